"""The station's figures (issue 15, 4): checked against numbers computed here, independently,
from the same seeded cases."""

from __future__ import annotations

import csv
import io
import random
import sqlite3
import statistics
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.after_helpers import NEW_SERIAL, NV7000_FIGURES, decided_claim
from tests.db_helpers import new_store

PRODUCTS = [("NV7000", 2000), ("NV7000", 1000), ("N535S", 240), ("NV3000", 500)]
VERDICTS = ["covered", "not_covered", "refused", "needs_review", None]
REASONS = ["", "exclusion.3", "exclusion.5 tbw_exceeded", "expired", "counterfeit"]


def seed(path, count: int, rng: random.Random) -> list[dict]:
    """Cases spread over two months, with every figure the report reads (some missing)."""
    cases = []
    start = datetime(2026, 9, 20, 8, 0)
    for i in range(1, count + 1):
        created = start + timedelta(hours=rng.randrange(24 * 60))
        line, capacity = rng.choice(PRODUCTS)
        handed = created + timedelta(hours=rng.randrange(1, 24 * 20)) if rng.random() < 0.6 else None
        cases.append(
            {
                "number": f"SZ01-2026-{i:06d}",
                "seq": i,
                "status": "withdrawn" if rng.random() < 0.05 else ("handed_back" if handed else "decided"),
                "created_at": created,
                "line": line,
                "capacity": capacity,
                "verdict": rng.choice(VERDICTS),
                "reasons": rng.choice(REASONS),
                "tbw_used": rng.random() * 1.3 if rng.random() < 0.8 else None,
                "hours": rng.randrange(20_000) if rng.random() < 0.9 else None,
                "handed": handed,
                "override_by": rng.choice([None, None, None, "chen", "wang"]),
                "reviewed_by": rng.choice([None, None, "wang"]),
            }
        )
    stamp = lambda d: d and d.strftime("%Y-%m-%d %H:%M:%S.%f")  # noqa: E731 (as the records keep times)
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO case_record (number, station, year, seq, status, step, technician, created_at, updated_at, "
            "fields, serial, customer_name, customer_key, model, verdict, capacity_gb, product_line, reasons, "
            "tbw_used, power_on_hours, decided_at, override_by, reviewed_by, handed_back_at, days_to_hand_back) VALUES "
            "(?, 'SZ01', 2026, ?, ?, 'ticket', 'ana', ?, ?, '{}', 'RN1', 'Li', 'li', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c["number"],
                    c["seq"],
                    c["status"],
                    stamp(c["created_at"]),
                    stamp(c["created_at"]),
                    c["line"],
                    c["verdict"],
                    c["capacity"],
                    c["line"],
                    c["reasons"],
                    c["tbw_used"],
                    c["hours"],
                    stamp(c["created_at"]),
                    c["override_by"],
                    c["reviewed_by"],
                    stamp(c["handed"]),
                    (c["handed"] - c["created_at"]).total_seconds() / 86400 if c["handed"] else None,
                )
                for c in cases
            ],
        )
    return cases


def expected(cases: list[dict], since: date, until: date) -> dict:
    """The figures, computed the plain way from the seeded rows (the test's machine runs in UTC)."""
    period = [c for c in cases if since <= c["created_at"].date() <= until]
    claims = [c for c in period if c["status"] != "withdrawn"]

    def p90(values):
        return statistics.quantiles(values, n=10, method="inclusive")[-1]

    tbw = [c["tbw_used"] for c in claims if c["tbw_used"] is not None]
    hours = [c["hours"] for c in claims if c["hours"] is not None]
    days = [(c["handed"] - c["created_at"]).total_seconds() / 86400 for c in claims if c["handed"]]
    return {
        "claims": len(claims),
        "withdrawn": len(period) - len(claims),
        "by_product": Counter((c["line"], c["capacity"]) for c in claims),
        "verdicts": Counter(c["verdict"] or "undecided" for c in claims),
        "reasons": Counter(code for c in claims for code in c["reasons"].split()),
        "tbw": (statistics.median(tbw), p90(tbw), sum(1 for v in tbw if v > 0.8)),
        "hours": (statistics.median(hours), p90(hours)),
        "days": (statistics.median(days), p90(days)),
        "overrides": Counter(c["override_by"] for c in claims if c["override_by"]),
        "reviews": Counter(c["reviewed_by"] for c in claims if c["reviewed_by"]),
    }


@pytest.fixture
def seeded(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    store = new_store(tmp_path)
    cases = seed(tmp_path / "cases.db", 2_000, random.Random(15))
    return store, cases


@pytest.mark.parametrize(
    "since, until", [(date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 9, 1), date(2026, 12, 31))]
)
def test_the_report_matches_figures_computed_independently(seeded, since, until):
    store, cases = seeded
    figures = store.report(since, until)
    want = expected(cases, since, until)
    assert (figures.claims, figures.withdrawn) == (want["claims"], want["withdrawn"])
    assert {(p.product_line, p.capacity_gb): p.claims for p in figures.by_product} == dict(want["by_product"])
    assert [p.claims for p in figures.by_product] == sorted(want["by_product"].values(), reverse=True)
    assert figures.verdicts == dict(want["verdicts"])
    assert figures.reasons == dict(want["reasons"])
    median, p90, over = want["tbw"]
    assert (figures.tbw_used.median, figures.tbw_used.p90, figures.tbw_over_80) == (
        pytest.approx(median),
        pytest.approx(p90),
        over,
    )
    assert (figures.power_on_hours.median, figures.power_on_hours.p90) == pytest.approx(want["hours"])
    assert (figures.days_to_hand_back.median, figures.days_to_hand_back.p90) == pytest.approx(want["days"], abs=1e-6)
    assert (figures.overrides, figures.reviews) == (dict(want["overrides"]), dict(want["reviews"]))


def test_the_managers_csv_and_text_carry_the_same_numbers(seeded, tmp_path, monkeypatch):
    store, cases = seeded
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path}/cases.db")
    (tmp_path / "workbench.toml").write_text('[station]\nid = "SZ01"\n')
    monkeypatch.setenv("WORKBENCH_CONFIG", str(tmp_path / "workbench.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "workbench", "report", "--from", "2026-10-01", "--to", "2026-10-31", *a],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    out = run("--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    want = expected(cases, date(2026, 10, 1), date(2026, 10, 31))
    value = {(r["figure"], r["item"]): r["value"] for r in rows}
    assert int(value[("claims", "")]) == want["claims"]
    assert int(value[("reason", "exclusion.3")]) == want["reasons"]["exclusion.3"]
    assert float(value[("tbw_used_percent", "median")]) == pytest.approx(want["tbw"][0] * 100, abs=1e-3)
    by_product = {
        (r["product_line"], int(r["capacity_gb"])): int(r["value"]) for r in rows if r["figure"] == "claims_by_product"
    }
    assert by_product == dict(want["by_product"])
    text = run().stdout
    assert f"Claims: {want['claims']:,}" in text and "NV7000 2000 GB" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    bad = run("--format", "csv", "--to", "2026-09-01")
    assert bad.returncode == 2 and bad.stderr.strip() == "workbench: --from: 2026-10-01 is after --to 2026-09-01"


def test_a_decided_case_carries_its_figures_into_the_report(bench):
    station = bench(station_lines=NV7000_FIGURES).station
    flow = decided_claim(station)
    flow.ticket_given()
    station.record_replacement(flow.number, NEW_SERIAL, "NV7000", "2000")
    station.record_hand_back(flow.number, "Li Wei", True, NEW_SERIAL)
    day = datetime(2026, 11, 24, tzinfo=UTC).date()
    figures = station.report(day, day)
    assert figures.claims == 1 and figures.verdicts == {"covered": 1}
    [product] = figures.by_product
    assert (product.product_line, product.capacity_gb) == ("NV7000", 2000)
    readout = station.case(flow.number).snapshots[-1]
    assert figures.tbw_used.median == pytest.approx(readout.host_bytes_written / (1200 * 10**12))
    assert figures.power_on_hours.median == readout.readout["power_on_hours"]
    assert figures.days_to_hand_back.count == 1


def test_hand_backs_without_an_id_check_are_counted(bench):
    """Issue 21, F9: skipping the ID check takes a reason, and the station's figures count it."""
    from workbench.words.station_text import report_lines, report_rows

    station = bench(station_lines=NV7000_FIGURES).station
    serials = ("RN202303092TB677701", "RN202303092TB677702", "RN202303092TB677703")
    for serial, checked in zip(serials, (True, False, None), strict=True):
        flow = decided_claim(station, serial=serial, inspection={"physical_or_liquid_damage": True})
        flow.ticket_given()
        if checked is not None:
            station.record_hand_back(flow.number, "Li Wei", checked, id_check_reason="" if checked else "a regular")
    day = datetime(2026, 11, 24, tzinfo=UTC).date()
    figures = station.report(day, day)
    assert (figures.hand_backs_unchecked, figures.days_to_hand_back.count) == (1, 2)
    assert "Hand-backs without an ID check: 1 of 2" in report_lines(figures)
    assert {
        "figure": "hand_backs_without_id_check",
        "product_line": "",
        "capacity_gb": None,
        "item": "cases",
        "value": 1,
    } in report_rows(figures)
