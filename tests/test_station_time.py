"""The station's clock (issue 14, 6; probe L16): case-number years, ticket dates and the days
of listings and reports follow the station's time zone, not UTC."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

import db.clock
from tests.after_helpers import NV7000_FIGURES, decided_claim

NEW_YEAR_IN_SHENZHEN = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 01:30 on 1 January 2027 there


@pytest.fixture
def shenzhen(bench, tmp_path, monkeypatch):
    text = (tmp_path / "workbench.toml").read_text()  # the bench fixture's station, in Shenzhen
    text = text.replace("[station]\n", '[station]\ntime_zone = "Asia/Shanghai"\n', 1)
    (tmp_path / "workbench.toml").write_text(text)
    clock = iter(range(10**6))
    monkeypatch.setattr(db.clock, "utcnow", lambda: NEW_YEAR_IN_SHENZHEN.replace(microsecond=next(clock)))
    return bench(station_lines=NV7000_FIGURES).station


def test_a_case_opened_on_new_years_night_is_numbered_in_the_new_year(shenzhen):
    assert shenzhen.config.time_zone == ZoneInfo("Asia/Shanghai")
    flow = decided_claim(shenzhen)
    assert flow.number == "SZ01-2027-000001"
    assert [c.number for c in shenzhen.store.list_cases(since=date(2027, 1, 1), until=date(2027, 1, 1))] == [
        flow.number
    ]
    assert shenzhen.store.list_cases(until=date(2026, 12, 31)) == []
    assert shenzhen.report(date(2027, 1, 1), date(2027, 1, 31)).claims == 1


def test_its_ticket_is_dated_the_stations_day_and_verifies(shenzhen):
    from workbench.ticket.issue import verify_ticket

    flow = decided_claim(shenzhen)
    outcome = shenzhen.reprint(flow.number)
    assert "Date 2027-01-01" in outcome.content.lines
    result = verify_ticket(outcome.qr_text, shenzhen.config, shenzhen.store)
    assert result.good and result.facts.date == "2027-01-01"


def test_an_unknown_time_zone_is_one_line_naming_the_setting(tmp_path):
    config = tmp_path / "workbench.toml"
    config.write_text('[station]\nid = "SZ01"\ntime_zone = "Asia/Shenzen"\n')
    env = {"WORKBENCH_CONFIG": str(config), "WORKBENCH_DATABASE_URL": f"sqlite:///{tmp_path}/cases.db", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "cases", "list"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "station.time_zone: 'Asia/Shenzen' is not a time zone name (e.g. Asia/Shanghai)" in result.stderr
    config.with_name("ok.toml").write_text('[station]\nid = "SZ01"\n')
    check = subprocess.run(
        [sys.executable, "-m", "workbench", "config", "check"],
        capture_output=True,
        text=True,
        env={**env, "WORKBENCH_CONFIG": str(config.with_name("ok.toml"))},
        timeout=60,
    )
    assert "station.time_zone" in check.stdout and "the system's" in check.stdout
