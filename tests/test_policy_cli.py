"""`workbench policy` as a station manager runs it: show, check, diff, import (subprocesses)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from importlib import resources

import pytest

from policy import load_policy

BUNDLED = resources.files("policy").joinpath("netac_warranty.toml").read_text()
SOURCE = "Netac warranty table, received by e-mail 2026-11-20"
TABLE = f"""line,capacity_gb,tbw_tb,warranty_years,source
NV7000,2000,1400,5,"{SOURCE}"
NV7000,1000,700,5,"{SOURCE}"
N535S,240,120,3,"{SOURCE}, SATA page"
"""
CLAIM = {
    "claim_date": "2026-11-24",
    "model": "NV7000",
    "capacity_gb": 2000,
    "serial": "RN202406182TB104233",
    "purchase_date": "2025-03-01",
    "manufacture_date": None,
    "failure_description": "Not detected by the BIOS",
    "inspection": {},
    "counterfeit": False,
    "host_bytes_written": 19_500_000_000_000,
    "fault": "confirmed",  # the drive's failure shows at the bench
}


@pytest.fixture
def station(tmp_path):
    """A fresh install: no configuration file, a home of its own."""
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    for name in ("WORKBENCH_CONFIG", "WORKBENCH_DATABASE_URL"):
        env.pop(name, None)
    if os.path.exists("/etc/netac-workbench/workbench.toml"):
        pytest.skip("this machine has a station configuration in /etc")
    return tmp_path, env


def workbench(env, *args, stdin=None):
    """`workbench ARGS`; a file a test names in $WORKBENCH_CONFIG is the station's own (tests.as_station)."""
    return subprocess.run(
        [sys.executable, "-m", "tests.as_station", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def write(path, text):
    path.write_text(text)
    return str(path)


def test_a_fresh_install_goes_from_netacs_table_to_a_covered_claim_in_one_import(station):
    tmp_path, env = station
    before = json.loads(workbench(env, "assess", "-", stdin=json.dumps(CLAIM)).stdout)
    assert before["verdict"] == "needs_review"  # the bundled file has no figure for the NV7000
    done = workbench(env, "policy", "import", write(tmp_path / "netac.csv", TABLE))
    assert done.returncode == 0, done.stderr
    assert "NV7000 2000 GB: TBW none -> 1400; warranty none -> 5" in done.stdout  # the diff, before it is used
    decided = json.loads(workbench(env, "assess", "-", stdin=json.dumps(CLAIM)).stdout)
    assert decided["verdict"] == "covered"
    assert decided["warranty"] == {"basis": "purchase", "start": "2025-03-01", "last_day": "2030-02-28", "years": 5}
    assert decided["tbw"]["limit_bytes"] == 1400 * 10**12
    shown = workbench(env, "policy", "show", "NV7000").stdout
    assert f"NV7000       2000      1400     5  {SOURCE}" in shown
    assert "NV7000        512         -     -  UNSOURCED: tbw_tb, warranty_years" in shown
    # The change is in the station's audit trail, with who made it.
    [db] = (tmp_path / "data").rglob("cases.db")
    actions = sqlite3.connect(db).execute("select action, actor, detail from audit_entry").fetchall()
    assert [(a, json.loads(d)["figures"]) for a, _, d in actions] == [("policy_changed", 3)]


def test_import_again_replaces_the_imported_figures(station):
    tmp_path, env = station
    assert workbench(env, "policy", "import", write(tmp_path / "a.csv", TABLE)).returncode == 0
    newer = TABLE.replace("NV7000,2000,1400,5", "NV7000,2000,1200,5")
    again = workbench(env, "policy", "import", write(tmp_path / "b.csv", newer))
    assert again.returncode == 0, again.stderr
    assert "NV7000 2000 GB: TBW 1400 -> 1200" in again.stdout
    decided = json.loads(workbench(env, "assess", "-", stdin=json.dumps(CLAIM)).stdout)
    assert decided["tbw"]["limit_bytes"] == 1200 * 10**12


def test_dry_run_writes_nothing(station):
    tmp_path, env = station
    done = workbench(env, "policy", "import", "--dry-run", write(tmp_path / "a.csv", TABLE))
    assert done.returncode == 0 and "dry run: nothing written" in done.stdout
    assert json.loads(workbench(env, "assess", "-", stdin=json.dumps(CLAIM)).stdout)["verdict"] == "needs_review"


@pytest.mark.parametrize(
    "table, message",
    [
        (TABLE.replace("warranty_years", "warranty"), "column 'warranty' is not one of"),
        (
            TABLE.replace(",warranty_years", "").replace(",5,", ",").replace(",3,", ","),
            "column 'warranty_years' is missing",
        ),
        (TABLE.replace(f',"{SOURCE}"\nNV7000,1000', ",\nNV7000,1000"), "row 2, source: is empty: no source, no figure"),
        (TABLE.replace("NV7000,1000", "NV#9999,1000"), "row 3, line: 'NV#9999' is not a product line's name"),
        (TABLE.replace("1400", "1e300"), "row 2, tbw_tb: '1e300' is not a positive number of TB"),
        (TABLE.replace("700,5", "700,0"), "row 3, warranty_years: '0' is not a whole number of years"),
        (TABLE.replace("NV7000,1000", "NV7000,2000"), "row 3, capacity_gb: NV7000 2000 GB is listed twice"),
        (TABLE.replace("700,5", ","), "row 3, tbw_tb: the row gives neither tbw_tb nor warranty_years"),
        ("line,capacity_gb,tbw_tb,warranty_years,source\n", "no figures"),
    ],
)
def test_a_bad_table_is_refused_naming_row_and_column(station, table, message):
    tmp_path, env = station
    done = workbench(env, "policy", "import", write(tmp_path / "bad.csv", table))
    assert done.returncode == 2 and done.stdout == ""
    assert message in done.stderr and len(done.stderr.splitlines()) == 1, done.stderr
    assert not list((tmp_path / "data").rglob("station-policy.toml"))


def test_only_a_supervisor_may_change_the_stations_policy(station):
    tmp_path, env = station
    config = write(tmp_path / "workbench.toml", '[station]\nid = "SZ01"\nsupervisors = ["nobody-here"]\n')
    done = workbench({**env, "WORKBENCH_CONFIG": config}, "policy", "import", write(tmp_path / "a.csv", TABLE))
    assert done.returncode == 1 and "supervisor's action" in done.stderr
    assert not (tmp_path / "station-policy.toml").exists()


def test_check_names_the_key_and_diff_says_what_changes(station):
    tmp_path, env = station
    good = workbench(env, "policy", "check", write(tmp_path / "good.toml", BUNDLED))
    assert good.returncode == 0 and good.stdout.startswith(f"{tmp_path}/good.toml: good: netac-warranty")
    unsourced = BUNDLED + "\n[figures.NV7000]\n2000 = { tbw_tb = 1400, warranty_years = 5 }\n"
    bad = workbench(env, "policy", "check", write(tmp_path / "bad.toml", unsourced))
    assert bad.returncode == 2 and "figures.NV7000.2000.source is missing: no source, no figure" in bad.stderr
    no_line_source = BUNDLED.replace("[lines.NV5000]\n", "[lines.NV5000]\nwarranty_years = 5\n")
    bad = workbench(env, "policy", "check", write(tmp_path / "bad2.toml", no_line_source))
    assert bad.returncode == 2 and "lines.NV5000.sources must say where" in bad.stderr
    assert workbench(env, "policy", "diff", "bundled", f"{tmp_path}/good.toml").stdout == "no differences\n"
    changed = BUNDLED.replace('version = "2024.1"', 'version = "2026.2"').replace(
        "If such document(s) cannot be presented", "If no such document is presented"
    )
    changed += f'\n[figures.N535S]\n240 = {{ tbw_tb = 120, warranty_years = 3, source = "{SOURCE}" }}\n'
    diff = workbench(env, "policy", "diff", "bundled", write(tmp_path / "new.toml", changed))
    assert diff.returncode == 1
    assert diff.stdout.splitlines() == [
        "policy: netac-warranty 2024.1 -> netac-warranty 2026.2",
        "clause warranty_start: text changed",
        f"N535S 240 GB: TBW none -> 120; warranty none -> 3; source {SOURCE}",
    ]


def test_show_names_an_unknown_line_in_one_line(station):
    _, env = station
    done = workbench(env, "policy", "show", "NV9999")
    assert done.returncode == 2 and "LINE: 'NV9999' is not a line of the catalog" in done.stderr


def test_show_lists_the_clauses_the_decisions_quote(station):
    tmp_path, env = station
    shown = workbench(env, "policy", "show").stdout.splitlines()
    opening = load_policy().clauses["normal_use"].text
    assert shown[shown.index("Clauses, as Netac words them:") + 1] == f"[Warranty Policy, opening paragraph] {opening}"
    assert "[Warranty exclusions, 10)] Fault or damage caused by Netac's products used in R&D" in "\n".join(shown)
    assert "is not in this file" not in "\n".join(shown)
    assert "Clauses" not in workbench(env, "policy", "show", "NV7000").stdout  # one line's figures alone
    # A station copy made before the opening paragraph was a clause: the bundled words stand in, and it says so.
    older = re.sub(r"# The policy's opening paragraph.*?\n\n", "", BUNDLED, flags=re.S)
    config = write(tmp_path / "workbench.toml", f'[policy]\nfile = "{write(tmp_path / "old.toml", older)}"\n')
    shown = workbench({**env, "WORKBENCH_CONFIG": config}, "policy", "show").stdout.splitlines()
    at = shown.index(f"[Warranty Policy, opening paragraph] {opening}")
    assert shown[at + 1] == "  (clauses.normal_use is not in this file: the bundled policy's clause stands in for it)"
