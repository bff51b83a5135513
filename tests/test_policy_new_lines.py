"""Netac's table brings new products (issue 25): `policy import` adds a line the catalog does
not know, a claim on it is decided like any other, its counterfeit checks say its identity is
not on record until a supervisor teaches it from a drive known genuine, and the identity stays
through the next import. The figures here are TEST figures with a test source, not Netac's."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest

import workbench.config
from policy import PolicyFileError, bundled_bytes, parse_policy
from policy.line_identity import IdentityFact, propose
from policy.station_copy import parse_figures_csv, station_copy
from tests.as_station import take_as_station_file
from tests.db_helpers import sqlite_url
from tests.test_policy_cli import station, write  # noqa: F401
from tests.test_policy_cli import workbench as cli
from tests.test_policy_decided import INTAKE
from tests.test_policy_signed import _issue, chain  # noqa: F401
from tests.ticket_helpers import station_config
from workbench.cli import main
from workbench.config import load_config
from workbench.door.case_flow import NotASupervisor, Station
from workbench.errors import InputError, WorkbenchError

SOURCE = "TEST FIGURES, not Netac's: a test table for issue 25"
TABLE = f"""line,capacity_gb,tbw_tb,warranty_years,source
NV7000-Q,1000,300,3,"{SOURCE}"
nv7000 q,2000,600,3,"{SOURCE}"
"""
GENUINE = "sealed retail unit, receipt TEST-4711"
CLAIM = {
    "claim_date": "2026-11-24",
    "model": "NV7000-Q",
    "capacity_gb": 2000,
    "serial": "RN202406182TB104233",
    "purchase_date": "2025-03-01",
    "manufacture_date": None,
    "failure_description": "Not detected by the BIOS",
    "inspection": {},
    "counterfeit": False,
    "host_bytes_written": 19_500_000_000_000,
    "fault": "confirmed",  # the diagnosis shows the failure on the drive
}


def test_a_table_with_a_new_line_imports_and_decides(station):  # noqa: F811
    tmp_path, env = station
    before = json.loads(cli(env, "assess", "-", stdin=json.dumps(CLAIM)).stdout)
    assert [r["code"] for r in before["reasons"]] == ["unknown_product"]
    done = cli(env, "policy", "import", write(tmp_path / "netac.csv", TABLE))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:4] == [
        "  line NV7000-Q: new line (1000, 2000 GB); identity not on record",
        f"  NV7000-Q 1000 GB: TBW none -> 300; warranty none -> 3; source {SOURCE}",
        f"  NV7000-Q 2000 GB: TBW none -> 600; warranty none -> 3; source {SOURCE}",
    ]
    decided = json.loads(cli(env, "assess", "-", stdin=json.dumps(CLAIM)).stdout)
    assert decided["verdict"] == "covered", decided["reasons"]
    assert decided["warranty"]["last_day"] == "2028-02-29" and decided["tbw"]["limit_bytes"] == 600 * 10**12
    [copy] = (tmp_path / "data").rglob("station-policy.toml")
    diff = cli(env, "policy", "diff", "bundled", str(copy))
    assert diff.returncode == 1 and "line NV7000-Q: new line (1000, 2000 GB); identity not on record" in diff.stdout
    assert f"NV7000-Q     2000       600     3  {SOURCE}" in cli(env, "policy", "show", "nv7000q").stdout


@pytest.mark.parametrize("spelling", ["nv7000", "Netac NV7000", "NV 7000"])
def test_a_name_a_label_would_not_tell_apart_is_the_lines_own_not_a_new_one(spelling):
    rows = parse_figures_csv(
        f'line,capacity_gb,tbw_tb,warranty_years,source\n{spelling},2000,,5,"{SOURCE}"\n', "t", BUNDLED
    )
    assert [row.line for row in rows] == ["NV7000"]
    _, policy = station_copy(BUNDLED_TEXT, rows, "test", "copy")
    assert policy.catalog.lines() == BUNDLED.catalog.lines()


def test_a_bad_new_line_is_refused_naming_row_and_column_and_twins_in_the_file_are_refused():
    with pytest.raises(PolicyFileError, match=r"^t: row 2, line: '\?\?' is not a product line's name"):
        parse_figures_csv(f'line,capacity_gb,tbw_tb,warranty_years,source\n??,2000,,5,"{SOURCE}"\n', "t", BUNDLED)
    twin = BUNDLED_TEXT + f'\n[station_lines."Netac nv7000"]\ncapacities_gb = [2000]\nsources = ["{SOURCE}"]\n'
    with pytest.raises(PolicyFileError, match=r"station_lines.Netac nv7000 is the same model as lines.NV7000"):
        parse_policy(twin.encode(), "copy")
    unsourced = BUNDLED_TEXT + '\n[station_lines."NV7000-Q"]\ncapacities_gb = [2000]\n'
    with pytest.raises(PolicyFileError, match=r"station_lines.NV7000-Q.sources must say where the line comes from"):
        parse_policy(unsourced.encode(), "copy")


BUNDLED = parse_policy(bundled_bytes(), "bundled")
BUNDLED_TEXT = bundled_bytes().decode()


@pytest.fixture
def counter(tmp_path, monkeypatch):
    """A station whose copy holds the new line (imported), its supervisor chen at the counter,
    and the demo bench's drives (nvme0: a genuine Netac NVMe; nvme1: a relabelled fake)."""
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path / "cases.db"))
    monkeypatch.setattr(workbench.config, "login_user", lambda: "chen")
    text, _ = station_copy(BUNDLED_TEXT, parse_figures_csv(TABLE, "netac.csv", BUNDLED), "test import", "copy")
    (tmp_path / "station-policy.toml").write_text(text)
    return tmp_path, Station(station_config(tmp_path), replay="demo")


def claim_on(desk: Station, device: str, serial: str):
    flow = desk.new_claim()
    flow.update(**{**INTAKE, "model": "NV7000-Q", "serial": serial}, fault="confirmed")
    flow.save("smart")
    flow.record_smart(desk.read_drive(device))
    return flow, {f.check: f for f in flow.counterfeit_findings()}


def teach_all(desk: Station, device: str = "/dev/nvme0") -> list[str]:
    readout = desk.read_drive(device)
    line, proposals = desk.identity_proposals("nv7000 q", readout)
    assert line == "NV7000-Q"
    return desk.teach_identity(line, readout, [replace(p, source=GENUINE) for p in proposals])


IDENTITY_CHECKS = ("model", "identity", "serial_format")


def test_a_claim_on_the_new_line_before_and_after_its_identity_is_learnt(counter):
    tmp_path, desk = counter
    flow, found = claim_on(desk, "/dev/nvme0", "RN202406182TB104233")
    assert flow.decide().verdict == "covered"  # decided like any other line
    for check in IDENTITY_CHECKS:  # never a pass, and says why in words
        assert found[check].severity == "low" and "on record" in found[check].message, found[check]
        assert "check the label against the drive by hand" in found[check].message
    _, found = claim_on(desk, "/dev/nvme1", "RN202405022TB553120")
    # A relabelled fake: only its label gives it away; nothing to hold its controller against yet.
    assert (found["model"].severity, found["identity"].severity) == ("medium", "low")

    changes = teach_all(desk)
    assert changes == [
        f"line NV7000-Q: identity model_patterns none -> 'Netac NVMe SSD \\d+(GB|TB)' (source: {GENUINE})",
        f"line NV7000-Q: identity firmware_patterns none -> '3\\.S\\.[A-Z0-9.]+' (source: {GENUINE})",
        f"line NV7000-Q: identity controller none -> 'InnoGrit (PCI vendor 0x1f40, subsystem 0x1dbe)' (source: {GENUINE})",
        f"line NV7000-Q: identity serial_pattern none -> '[A-Z]{{2}}\\d{{9}}[A-Z]{{2}}\\d{{6}}' (source: {GENUINE})",
    ]
    _, found = claim_on(desk, "/dev/nvme0", "RN202406182TB104233")
    assert [(check, f.severity) for check, f in found.items() if f.severity != "pass"] == [
        ("prior_claims", "low")  # the claim on the same serial before: the full checks pass
    ]
    _, found = claim_on(desk, "/dev/nvme1", "RN202405022TB553120")
    assert (found["model"].severity, found["identity"].severity) == ("high", "high")
    assert "a genuine NV7000-Q has InnoGrit" in found["identity"].message
    [(actor, detail)] = (
        sqlite3.connect(tmp_path / "cases.db")
        .execute("select actor, detail from audit_entry where action = 'policy_changed'")
        .fetchall()
    )
    detail = json.loads(detail)
    assert actor == "chen" and detail["identity"]["line"] == "NV7000-Q"
    assert detail["identity"]["facts"]["controller"]["source"] == GENUINE
    assert detail["drive"]["serial"] == "RN202406182TB104233" and detail["drive"]["pci_vendor_id"] == "0x1f40"


def test_the_identity_survives_the_next_import_of_figures(counter, monkeypatch, capsys):
    tmp_path, desk = counter
    teach_all(desk)
    monkeypatch.setenv("WORKBENCH_CONFIG", str(tmp_path / "SZ01.toml"))  # the station's file
    take_as_station_file(monkeypatch)
    newer = TABLE.replace("2000,600,3", "2000,700,3")
    assert main(["policy", "import", write(tmp_path / "newer.csv", newer)]) == 0
    said = capsys.readouterr().out
    assert said.splitlines()[1] == "  NV7000-Q 2000 GB: TBW 600 -> 700" and "line NV7000-Q" not in said
    policy = parse_policy((tmp_path / "station-policy.toml").read_bytes(), "copy")
    product = policy.catalog.lookup("NV7000-Q", 2000)
    assert product.tbw_tb == 700 and product.identity.controller.startswith("InnoGrit")
    assert dict(product.identity.taught)["serial_pattern"] == GENUINE and "identity" not in product.unsourced


def test_a_technician_cannot_teach_identity(counter, monkeypatch):
    tmp_path, desk = counter
    monkeypatch.setattr(workbench.config, "login_user", lambda: "ana")
    before = (tmp_path / "station-policy.toml").read_text()
    with pytest.raises(NotASupervisor, match="teach a product line its identity: only a supervisor"):
        teach_all(desk)
    assert (tmp_path / "station-policy.toml").read_text() == before


@pytest.mark.parametrize(
    "fact, named",
    [
        (IdentityFact("serial_pattern", r"[A-Z]{2}\d{20}", "", GENUINE), "serial_pattern"),  # the drive does not fit
        (IdentityFact("model_patterns", "Netac (", "", GENUINE), "model_patterns"),  # not a regular expression
        (IdentityFact("controller", "Maxio MAP1602", "", GENUINE), "controller"),  # not the drive's maker
        (IdentityFact("firmware_patterns", r"3\.S\..+", "", ""), "firmware_patterns"),  # no source
    ],
)
def test_a_fact_the_genuine_drive_does_not_bear_out_is_refused_naming_it(counter, fact, named):
    tmp_path, desk = counter
    before = (tmp_path / "station-policy.toml").read_text()
    with pytest.raises(InputError) as refused:
        desk.teach_identity("NV7000-Q", desk.read_drive("/dev/nvme0"), [fact])
    assert refused.value.field == named
    assert (tmp_path / "station-policy.toml").read_text() == before


def test_a_drive_of_another_capacity_or_a_line_with_its_identity_on_record_teaches_nothing(counter):
    _, desk = counter
    with pytest.raises(InputError, match="drive: /dev/nvme1 reports 512.1 GB, none of NV7000-Q's capacities"):
        desk.identity_proposals("NV7000-Q", desk.read_drive("/dev/nvme1"))
    with pytest.raises(InputError, match="NV7000's identity is all on record: nothing to teach"):
        desk.identity_proposals("NV7000", desk.read_drive("/dev/nvme0"))


def test_proposals_from_a_sata_drive_leave_out_what_the_bench_does_not_see():
    proposed = propose("Netac SSD 1TB", "W0713A0", None, None, None, "aa2025-0311100000487")
    assert [(p.fact, p.value) for p in proposed] == [
        ("model_patterns", r"Netac SSD \d+(GB|TB)"),
        ("firmware_patterns", "W[A-Z0-9]+"),
        ("serial_pattern", r"[A-Z]{2}\d{17}"),
    ]


def test_a_taught_fact_without_its_source_is_refused_when_the_file_loads():
    text = BUNDLED_TEXT + '\n[station_identity.NV5000]\ncontroller = { value = "Maxio MAP1602" }\n'
    with pytest.raises(PolicyFileError, match="station_identity.NV5000.controller.source is missing: no source"):
        parse_policy(text.encode(), "copy")


def test_a_chains_signed_policy_carries_new_lines_to_its_stations(chain, monkeypatch):  # noqa: F811
    tmp_path, head_office, station_env, key, folder = chain
    _issue(head_office, key, TABLE, folder / "policy.toml")
    decided = cli(station_env, "assess", "-", stdin=json.dumps(CLAIM))
    assert decided.returncode == 0 and decided.stderr == ""
    assert json.loads(decided.stdout)["verdict"] == "covered"
    # Its supervisor learns the line's identity from the head office's next signed file, not at the counter.
    config = folder / "workbench.toml"
    config.write_text(config.read_text() + '[station]\nsupervisors = ["chen"]\n')
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path / "cases.db"))
    monkeypatch.setattr(workbench.config, "login_user", lambda: "chen")
    signed = (folder / "policy.toml").read_bytes()
    chain_station = Station(load_config(config), replay="demo")
    assert chain_station.policy.catalog.lookup("NV7000-Q", 2000).tbw_tb == 600
    with pytest.raises(WorkbenchError, match="a line's identity comes in the head office's next signed file"):
        teach_all(chain_station)
    assert (folder / "policy.toml").read_bytes() == signed
