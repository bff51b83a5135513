"""Who may decide, with real login users (probe findings H1, F5): two technicians and two
supervisors share one station database; authority follows the account, never a name typed or
picked, and comes only from the station's own file while root alone can change it.

Run as root in a private mount namespace over a copy of /etc, so the users and groups made
here, and the station file /etc/netac-workbench/workbench.toml, vanish with it (as
tests/test_ssh_setup.py does). One supervisor is one by the Unix group `netac-supervisors`
that deploy/setup-ssh-station.sh add-supervisor puts them in, the other by the station file's
`[station] supervisors`.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from db import open_store
from tests.sshd_harness import SETUP_SCRIPT

CLAIM = r"""
import sys
from workbench.door.case_flow import NotASupervisor, Override, Station
from workbench.config import load_config

station = Station(load_config())
flow = station.new_claim()
flow.update(customer_name="Li Wei", model="NV7000", capacity_gb="2000", serial="RN202406182TB104233",
            purchase_date="2025-01-10", failure_description="dead", data_acknowledged=True)
flow.save("decision")
decision = flow.decide()
try:
    flow.record_decision(decision, Override("covered", "trust me"))
    print("OVERRIDDEN")
except NotASupervisor as exc:
    print(f"refused: {exc}")
flow.record_decision(decision, request=Override("covered", "the customer insists"))
open(sys.argv[1], "w").write(flow.number)
"""

SCENARIO = r"""
set -u
cp -a /etc "$T/etc" && mount --bind "$T/etc" /etc
groupadd technicians && groupadd netac-supervisors
for login in wbana wbbo wbchen wbdan; do useradd -M -N -g technicians "$login"; done
step() { local name="$1"; shift; "$@" > "$T/$name.out" 2> "$T/$name.err"; echo $? > "$T/$name.rc"; }
as() { local who="$1" name="$2"; shift 2; step "$name" setpriv --reuid "$who" --regid technicians --init-groups "$@"; }
# The station's own file, root's alone, naming wbdan a supervisor.
STATION=/etc/netac-workbench/workbench.toml
mkdir -p /etc/netac-workbench && chmod 0755 /etc/netac-workbench && cp "$T/station.toml" "$STATION" && chmod 0644 "$STATION"
# The station folder as setup-ssh-station.sh makes it: setgid, group technicians.
chgrp technicians "$T" && chmod 2777 "$T"
step add-supervisor "$SETUP" add-supervisor wbchen
as wbana claim "$PY" "$T/claim.py" "$T/number"
as wbana claim2 "$PY" "$T/claim.py" "$T/number2"
as wbbo bo-review "$PY" -m workbench cases review "$(cat "$T/number")" --verdict covered --reason "bo says so"
as wbbo bo-queue "$PY" -m workbench cases list --queue review
# F5: a technician's own file naming themself supervisor (and trusting a key of their own).
(sed 's/"wbdan"/"wbbo"/' "$STATION"; printf '[ticket.trusted_keys]\nXX01 = "abc"\n') > "$T/bo.toml"
chown wbbo "$T/bo.toml"
(export WORKBENCH_CONFIG="$T/bo.toml"; as wbbo bo-own-file "$PY" -m workbench cases review "$(cat "$T/number2")" \
    --verdict covered --reason "my own file says so")
mkdir -p "$T/bo-config/netac-workbench" && cp "$T/bo.toml" "$T/bo-config/netac-workbench/workbench.toml"
chown -R wbbo "$T/bo-config"
(export XDG_CONFIG_HOME="$T/bo-config"; as wbbo bo-config-dir "$PY" -m workbench cases review "$(cat "$T/number2")" \
    --verdict covered --reason "my config folder says so")
(export WORKBENCH_CONFIG="$T/bo.toml"; as wbbo bo-check "$PY" -m workbench config check)
(export USER=wbchen LOGNAME=wbchen; as wbbo bo-spoof "$PY" -m workbench cases review "$(cat "$T/number2")" \
    --verdict covered --reason "I am chen")
(export WORKBENCH_CONFIG="$T/bo.toml"; as wbbo bo-import "$PY" -m workbench policy import "$T/table.csv")
as wbbo bo-teach "$PY" -m workbench policy teach NV7000-T --device /dev/nvme0 --replay demo --source "a test" --yes
# A station file others may change grants no authority: group-writable, then not root's.
chgrp technicians "$STATION" && chmod 0664 "$STATION"
as wbdan dan-loose-group "$PY" -m workbench cases review "$(cat "$T/number2")" --verdict covered --reason "loose"
as wbdan dan-loose-check "$PY" -m workbench config check
chgrp root "$STATION" && chmod 0644 "$STATION" && chown wbbo "$STATION"
as wbdan dan-loose-owner "$PY" -m workbench cases review "$(cat "$T/number2")" --verdict covered --reason "loose"
chown root "$STATION"
as wbdan dan-review "$PY" -m workbench cases review "$(cat "$T/number2")" --verdict not_covered --reason "seen by dan"
as wbdan dan-check "$PY" -m workbench config check
as wbchen chen-review "$PY" -m workbench cases review "$(cat "$T/number")" --verdict covered --reason "seen by chen"
as wbchen chen-queue "$PY" -m workbench cases list --queue review
as wbchen chen-print "$PY" -m workbench ticket print "$(cat "$T/number")"
as wbchen chen-ticket "$PY" -m workbench ticket show "$(cat "$T/number")" --text
for login in wbana wbbo wbchen; do
    as "$login" "$login-key" "$PY" -m workbench ticket key
    as "$login" "$login-verify" "$PY" -m workbench ticket verify "$(cat "$T/chen-ticket.out")"
done
as wbbo bo-substitute "$PY" -m workbench cases replace "$(cat "$T/number")" --serial RN202511011TB000001 \
    --model NV7000 --capacity 1000 --reason "no 2TB in stock"
stat -c '%a %U %G' "$T/station-ticket-key.pem" > "$T/key.mode"
"""


# One worker runs the whole module, so its real users' scenario (a module fixture) is made once, not once per worker.
pytestmark = pytest.mark.xdist_group("authority_users")


@pytest.fixture(scope="module")
def station():
    if os.geteuid() != 0:
        pytest.skip("real login users are made as root, in a private mount namespace")
    if not all(shutil.which(tool) for tool in ("unshare", "setpriv", "useradd")):
        pytest.skip("unshare, setpriv or useradd missing")
    folder = Path(tempfile.mkdtemp(prefix="workbench-users-"))
    folder.chmod(0o777)  # the station's shared folder: every technician writes the database here
    (folder / "claim.py").write_text(CLAIM)
    (folder / "station.toml").write_text(
        f'[database]\nurl = "sqlite:///{folder}/cases.db"\n[printer]\nkind = "none"\n'
        '[station]\nid = "SZ01"\nname = "Shenzhen Futian"\nsupervisors = ["wbdan"]\n'
    )
    (folder / "table.csv").write_text('line,capacity_gb,tbw_tb,warranty_years,source\nNV7000,2000,1400,5,"a test"\n')
    # The shared database as deploy/setup-ssh-station.sh leaves it: writable by the technicians
    # (SQLite gives its -wal and -shm files the database file's mode).
    open_store(f"sqlite:///{folder}/cases.db", station_id="SZ01", technician="setup").engine.dispose()
    (folder / "cases.db").chmod(0o666)
    env = {
        **os.environ,
        "T": str(folder),
        "SETUP": str(SETUP_SCRIPT),
        "PY": sys.executable,
        "HOME": str(folder),
    }
    for name in ("WORKBENCH_CONFIG", "WORKBENCH_DATABASE_URL", "XDG_CONFIG_HOME", "USER", "LOGNAME"):
        env.pop(name, None)  # the station's own file says where its records are
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "bash", "-c", SCENARIO],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode != 0 and not (folder / "claim.rc").exists():
        pytest.skip(f"no private mount namespace here: {done.stderr.strip()}")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def step(folder: Path, name: str) -> tuple[int, str, str]:
    return (
        int((folder / f"{name}.rc").read_text()),
        (folder / f"{name}.out").read_text(),
        (folder / f"{name}.err").read_text(),
    )


def test_a_technician_cannot_override_and_asks_instead(station):
    rc, out, err = step(station, "claim")
    assert rc == 0, err
    assert out.startswith("refused: override the verdict: only a supervisor may do this, and wbana is not one")


def test_another_technician_cannot_resolve_the_review(station):
    rc, out, err = step(station, "bo-review")
    assert rc == 1 and out == ""
    assert err.count("\n") == 1 and "only a supervisor may do this, and wbbo is not one" in err
    rc, out, _ = step(station, "bo-queue")
    number = (station / "number").read_text()
    assert rc == 0 and out.startswith(number) and "wbana asks for covered: the customer insists" in out


def test_the_supervisor_resolves_it_and_the_audit_names_each_real_user(station):
    assert step(station, "add-supervisor")[0] == 0
    rc, out, err = step(station, "chen-review")
    number = (station / "number").read_text()
    assert rc == 0, err
    assert out.startswith(f"case {number}: covered, recorded as wbchen's verdict")
    assert step(station, "chen-queue")[1] == ""  # the queue is empty
    db = sqlite3.connect(station / "cases.db")
    decisions = db.execute(
        "select technician, verdict, override_verdict, override_by, review_request from decision "
        "where case_id = (select id from case_record where number = ?) order by id",
        (number,),
    ).fetchall()
    assert [(t, v, ov, by) for t, v, ov, by, _ in decisions] == [
        ("wbana", "needs_review", None, None),
        ("wbchen", "needs_review", "covered", "wbchen"),
    ]
    assert json.loads(decisions[0][4])["by"] == "wbana"
    actions = db.execute(
        "select actor, action from audit_entry where case_number = ? and action in "
        "('case_created', 'decided', 'review_resolved') order by id",
        (number,),
    ).fetchall()
    assert actions == [("wbana", "case_created"), ("wbana", "decided"), ("wbchen", "review_resolved")]
    assert db.execute("select status, verdict from case_record where number = ?", (number,)).fetchall() == [
        ("decided", "covered")
    ]


def test_every_login_of_the_station_signs_and_verifies_with_one_key(station):
    """H2: a ticket printed by one login verifies for the others; `ticket key` is one key."""
    ticket = (station / "chen-ticket.out").read_text().strip()
    assert ticket.startswith("NW2")
    keys = {login: step(station, f"{login}-key") for login in ("wbana", "wbbo", "wbchen")}
    assert all(rc == 0 for rc, _, _ in keys.values()), keys
    assert len({out for _, out, _ in keys.values()}) == 1 and next(iter(keys.values()))[1].startswith("SZ01 = ")
    for login in ("wbana", "wbbo", "wbchen"):
        rc, out, err = step(station, f"{login}-verify")
        assert (rc, out.split(":")[0]) == (0, "GOOD"), (login, out, err)
        assert "matches case" in out
    # made by the first login that signed, in the station's setgid folder: the group reads it
    assert (station / "key.mode").read_text().split() == ["640", "wbchen", "technicians"]


STATION = "/etc/netac-workbench/workbench.toml"


def refused(folder: Path, name: str, login: str) -> str:
    """The step was refused in one line naming the login; returns its other lines (warnings)."""
    rc, out, err = step(folder, name)
    assert (rc, out) == (1, ""), (name, err)
    lines = err.splitlines()
    assert lines[-1].startswith(f"workbench: resolve a review: only a supervisor may do this, and {login} is not one")
    return "\n".join(lines[:-1])


def test_a_technicians_own_file_naming_them_supervisor_is_ignored_in_one_line(station):
    """F5: $WORKBENCH_CONFIG, or the config folder, with the station's file plus `supervisors =
    ["me"]` does not make a technician a supervisor; each says so in one line."""
    for name, file in (("bo-own-file", station / "bo.toml"), ("bo-config-dir", station / "bo-config")):
        warning = refused(station, name, "wbbo")
        assert warning.count("\n") == 0 and warning.startswith(f"workbench: {file}")
        assert "[station] supervisors, [ticket] trusted_keys ignored: authority comes only from" in warning
        assert warning.endswith(f"the station's own file {STATION}")
    assert refused(station, "bo-spoof", "wbbo") == ""  # USER and LOGNAME are not who acts
    rc, out, err = step(station, "bo-import")  # nor may the technician change the station's policy
    assert rc == 1 and "supervisor's action" in err.splitlines()[-1] and out == ""
    assert not Path(STATION).with_name("station-policy.toml").exists()


def test_a_technician_cannot_teach_a_line_its_identity(station):
    rc, out, err = step(station, "bo-teach")
    assert (rc, out, err.count("\n")) == (1, "", 1), err
    assert "teach a product line its identity: only a supervisor may do this, and wbbo is not one" in err
    assert not Path(STATION).with_name("station-policy.toml").exists()


def test_a_technician_cannot_substitute_another_capacity(station):
    rc, out, err = step(station, "bo-substitute")
    assert (rc, out, err.count("\n")) == (1, "", 1), err
    assert "replace with another model or capacity: only a supervisor may do this, and wbbo is not one" in err


def test_config_check_names_where_authority_comes_from(station):
    rc, out, err = step(station, "bo-check")
    assert rc == 0, err
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert out.startswith(
        f"station file: {STATION} (grants authority)\nuser file: {station}/bo.toml ($WORKBENCH_CONFIG"
    )
    assert f"ignored: {station}/bo.toml: [station] supervisors, [ticket] trusted_keys ignored" in out
    assert lines["station.supervisors"].split()[1] == "wbdan"
    assert lines["station.supervisors"].endswith(f"(station file {STATION}; ignored in {station}/bo.toml)")
    assert lines["ticket.trusted_keys"].endswith(f"(embedded default; ignored in {station}/bo.toml)")
    assert lines["station.supervisor_group"].endswith("(embedded default)")
    assert lines["printer.kind"].endswith(f"(user file {station}/bo.toml)")  # what is not authority: the user's
    assert out.endswith("acting login: wbbo\n")
    rc, out, err = step(station, "dan-check")
    assert rc == 0 and out.startswith(f"station file: {STATION} (grants authority)\n  "), err
    assert out.endswith("acting login: wbdan (a supervisor)\n")


def test_a_station_file_others_may_change_grants_no_authority(station):
    group = refused(station, "dan-loose-group", "wbdan")
    assert group == (
        f"workbench: {STATION} grants no authority ([station] supervisors ignored): {STATION} is writable by "
        "the group technicians (mode 0664); only root may be able to change it (chown root:root, chmod go-w)"
    )
    owner = refused(station, "dan-loose-owner", "wbdan")
    assert f"grants no authority ([station] supervisors ignored): {STATION} belongs to wbbo, not root;" in owner
    rc, out, _ = step(station, "dan-loose-check")
    assert rc == 0 and out.startswith(f"station file: {STATION} (grants NO authority)\nignored: {STATION} grants")
    assert f"(embedded default; ignored in {STATION})" in out and "acting login: wbdan\n" in out


def test_the_station_files_supervisor_resolves_a_review(station):
    rc, out, err = step(station, "dan-review")
    number = (station / "number2").read_text()
    assert (rc, err) == (0, "")
    assert out.startswith(f"case {number}: not_covered, recorded as wbdan's verdict")
