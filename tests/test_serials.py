"""One spelling of a serial everywhere: at intake, in every lookup, in the records, on the ticket."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from db.connection import make_engine
from db.migrate import upgrade
from policy import canonical_serial
from tests.db_helpers import CLAIM_FIELDS, new_store, sqlite_url


@pytest.mark.parametrize(
    "typed", ["RN202406182TB104233", "rn202406182tb104233", "RN2024-0618-2TB104233", " rn 202406182TB 104233\t"]
)
def test_every_spelling_is_one_serial(typed):
    assert canonical_serial(typed) == "RN202406182TB104233"


def test_lookups_find_a_serial_however_it_was_typed(tmp_path):
    store = new_store(tmp_path)
    first = store.create_case({**CLAIM_FIELDS, "serial": "RN202406182TB104233"}).number
    second = store.create_case({**CLAIM_FIELDS, "serial": "rn2024-06182tb104233"}).number
    assert [c.number for c in store.prior_claims("rn202406182tb104233", exclude=second)] == [first]
    assert {c.number for c in store.find("rn202406182TB104233")} == {first, second}
    assert {c.number for c in store.list_cases(serial="Rn2024 06182TB104233")} == {first, second}
    env = {**os.environ, "WORKBENCH_DATABASE_URL": sqlite_url(tmp_path / "cases.db")}
    env.pop("WORKBENCH_CONFIG", None)
    listed = subprocess.run(
        [sys.executable, "-m", "workbench", "cases", "list", "--serial", "rn202406182tb104233"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert {line.split()[0] for line in listed.stdout.splitlines()} == {first, second}


def test_the_flow_keeps_the_canonical_serial(bench):
    app = bench()
    flow = app.station.new_claim()
    flow.update(serial="rn2024-0618")
    assert flow.claim.serial == "RN20240618"


def test_cases_recorded_before_get_their_canonical_serial(tmp_path):
    path = tmp_path / "cases.db"
    url = sqlite_url(path)
    engine = make_engine(url)
    upgrade(engine, url, target="0005")
    engine.dispose()
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO case_record (number, station, year, seq, status, step, technician, created_at, "
            "updated_at, fields, serial, customer_name, customer_key, model, verdict) VALUES "
            "('SZ01-2025-000001', 'SZ01', 2025, 1, 'draft', 'intake', 'ana', '2025-03-01 10:00:00.000000', "
            "'2025-03-01 10:00:00.000000', '{}', 'rn2024-0618', 'Li', 'li', 'NV7000', NULL)"
        )
    engine = make_engine(url)
    upgrade(engine, url)
    engine.dispose()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT serial FROM case_record").fetchall() == [("RN20240618",)]
