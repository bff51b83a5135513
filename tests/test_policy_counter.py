"""A missing figure fixed at the counter (issue 10, 5): a supervisor enters it from Netac's
current table; the station copy is checked, written, audited, and the claim decided again."""

from __future__ import annotations

import json
import sqlite3

import pytest

import workbench.config
from tests.db_helpers import sqlite_url
from tests.test_policy_decided import INTAKE
from tests.ticket_helpers import station_config
from workbench.door.case_flow import NotASupervisor, Station
from workbench.errors import InputError, WorkbenchError

SOURCE = "Netac warranty table, received by e-mail 2026-11-20"


@pytest.fixture
def counter(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path / "cases.db"))
    monkeypatch.setattr(workbench.config, "login_user", lambda: "chen")  # the station's supervisor
    station = Station(station_config(tmp_path))
    flow = station.new_claim()
    # As SMART read it (19.5 TB written), and the diagnosis found the failure on the drive.
    flow.update(**INTAKE, host_bytes_written=19_500_000_000_000, fault="confirmed")
    flow.save("decision")
    return tmp_path, station, flow


def test_a_supervisor_enters_the_missing_figures_and_the_claim_is_covered(counter):
    tmp_path, station, flow = counter
    waiting = flow.decide()
    assert waiting.verdict == "needs_review"
    assert {r.code for r in waiting.reasons} >= {"unknown_product"}

    assert station.enter_figure("NV7000", "2000", "", "5", SOURCE) == [
        f"NV7000 2000 GB: warranty none -> 5; source {SOURCE}"
    ]
    half = flow.decide()
    assert half.verdict == "needs_review" and "tbw_unverified" in {r.code for r in half.reasons}
    # The second figure joins the first: the station copy keeps both.
    assert station.enter_figure("nv7000", "2000", "1400", "5", SOURCE) == ["NV7000 2000 GB: TBW none -> 1400"]
    decided = flow.decide()
    assert decided.verdict == "covered", [r.code for r in decided.reasons]
    assert decided.warranty.last_day.isoformat() == "2030-02-28"
    assert decided.tbw.limit_bytes == 1400 * 10**12
    copy = (tmp_path / "station-policy.toml").read_text()
    assert copy.count("[station_figures.") == 1 and "entered at the counter by chen" in copy
    actions = (
        sqlite3.connect(tmp_path / "cases.db")
        .execute("select action, actor, detail from audit_entry where action = 'policy_changed'")
        .fetchall()
    )
    assert [(a, actor, json.loads(d)["figures"]) for a, actor, d in actions] == [
        ("policy_changed", "chen", 1),
        ("policy_changed", "chen", 1),
    ]


@pytest.mark.parametrize(
    "fields, named",
    [
        (("NV7000", "2000", "1400", "5", ""), "source"),
        (("NV9999", "2000", "1400", "5", SOURCE), "line"),
        (("NV7000", "2 TB", "1400", "5", SOURCE), "capacity_gb"),
        (("NV7000", "2000", "-3", "5", SOURCE), "tbw_tb"),
        (("NV7000", "2000", "1400", "five", SOURCE), "warranty_years"),
        (("NV7000", "2000", "", "", SOURCE), "tbw_tb"),
    ],
)
def test_a_bad_figure_is_refused_naming_its_field_and_nothing_is_written(counter, fields, named):
    tmp_path, station, flow = counter
    with pytest.raises(InputError) as refused:
        station.enter_figure(*fields)
    assert refused.value.field == named
    assert not (tmp_path / "station-policy.toml").exists()
    assert flow.decide().verdict == "needs_review"


def test_a_technician_cannot_enter_a_figure(counter, monkeypatch):
    tmp_path, station, _ = counter
    monkeypatch.setattr(workbench.config, "login_user", lambda: "ana")
    with pytest.raises(NotASupervisor):
        station.enter_figure("NV7000", "2000", "1400", "5", SOURCE)
    assert not (tmp_path / "station-policy.toml").exists()


def test_a_chains_station_takes_figures_only_from_its_head_office(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path / "cases.db"))
    monkeypatch.setattr(workbench.config, "login_user", lambda: "chen")
    station = Station(station_config(tmp_path, '[policy]\npublic_key = "' + "A" * 43 + '="\n'))
    with pytest.raises(WorkbenchError, match="head office's signed policy"):
        station.enter_figure("NV7000", "2000", "1400", "5", SOURCE)
