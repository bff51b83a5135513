"""An audit trail whose end cannot be cut off unseen, bound to the records it speaks of, and
anchored outside the database by the link each ticket prints (probe finding M1)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from db.audit import GENESIS
from db.errors import StoreError
from policy import load_policy
from tests.db_helpers import CLAIM_FIELDS, sqlite_url
from tests.ticket_helpers import decided_case, station_config
from workbench.ticket.issue import issue_ticket


@pytest.fixture
def station(tmp_path):
    """Three decided cases, the last with a ticket; returns the database and the ticket's anchor."""
    config = station_config(tmp_path, '[printer]\nkind = "none"\n')
    store, _ = decided_case(tmp_path)
    for _ in range(2):
        number = store.create_case(CLAIM_FIELDS).number
        store.record_decision(number, {"verdict": "not_covered", "remedy": None, "reasons": []}, "p")
    outcome = issue_ticket(store, number, config, load_policy())
    [anchor_line] = [line for line in outcome.content.lines if line.startswith("Audit anchor ")]
    store.engine.dispose()
    return tmp_path / "cases.db", anchor_line.split()[2]


def verify(db_path, *args):
    env = {**os.environ, "WORKBENCH_DATABASE_URL": sqlite_url(db_path)}
    env.pop("WORKBENCH_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "workbench", "audit", "verify", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def tamper(db_path, *statements):
    with sqlite3.connect(db_path) as connection:
        for sql in statements:
            connection.execute(sql)


def broken(result) -> str:
    assert result.returncode == 1 and result.stdout.startswith("audit chain BROKEN"), result.stdout + result.stderr
    return result.stdout


def test_intact_with_its_anchor(station):
    db, anchor = station
    result = verify(db, "--anchor", anchor)
    assert result.returncode == 0 and result.stdout.startswith("audit chain intact"), result.stdout + result.stderr


def test_a_missing_head_row_is_broken_not_empty(station):
    db, _ = station
    tamper(db, "delete from audit_head")
    assert "audit head row is missing" in broken(verify(db))


def test_head_and_tail_deleted(station):
    db, _ = station
    tamper(db, "delete from audit_head", "delete from audit_entry where id > 3")
    assert "audit head row is missing" in broken(verify(db))


def test_every_entry_and_the_head_deleted_while_cases_exist(station):
    db, _ = station
    tamper(db, "delete from audit_entry", "delete from audit_head")
    broken(verify(db))
    tamper(db, "insert into audit_head (id, last_id, last_hash) values (1, 0, '" + GENESIS + "')")
    assert "has no creation entry in the trail" in broken(verify(db))


def test_an_edited_verdict_is_caught(station):
    db, _ = station
    tamper(db, "update decision set verdict = 'covered' where id = 2")
    out = broken(verify(db))
    assert "decision 2 of case SZ01-2026-000002 was changed after entry" in out


def test_a_deleted_case_or_ticket_is_caught(station, tmp_path):
    db, _ = station
    tamper(db, "update ticket set payload = 'NW2000' where id = 1")
    assert "ticket 1 of case SZ01-2026-000003 was changed after entry" in broken(verify(db))
    tamper(
        db,
        "delete from ticket",
        "delete from decision where case_id = 1",
        "delete from counterfeit_finding",
        "delete from case_record where id = 1",
    )
    assert "is missing from the records: deleted" in broken(verify(db))


def test_a_rewritten_trail_passes_alone_but_not_against_a_tickets_anchor(station):
    """Whoever can write the file can cut the tail and recompute the head: only the link
    printed on the customer's ticket (outside the database) shows it."""
    db, anchor = station
    last = int(anchor.split(":")[0])
    with sqlite3.connect(db) as connection:
        # Cut the ticket's entry and everything after it, and move the head back.
        connection.execute("delete from ticket")
        connection.execute(f"delete from audit_entry where id >= {last}")
        row = connection.execute("select id, hash from audit_entry order by id desc limit 1").fetchone()
        connection.execute("update audit_head set last_id = ?, last_hash = ?", row)
    assert verify(db).returncode == 0  # nothing inside the file gives it away
    assert f"no longer holds the link {anchor}" in broken(verify(db, "--anchor", anchor))


def test_a_trail_without_its_head_takes_no_more_entries(station):
    from tests.db_helpers import new_store

    db, _ = station
    tamper(db, "delete from audit_head")
    store = new_store(db.parent)
    with pytest.raises(StoreError, match="head row is missing"):
        store.create_case(CLAIM_FIELDS)


def test_the_anchor_is_the_entry_that_recorded_the_ticket(station):
    db, anchor = station
    number, prefix = anchor.split(":")
    with sqlite3.connect(db) as connection:
        action, detail, hash_ = connection.execute(
            "select action, detail, hash from audit_entry where id = ?", (int(number),)
        ).fetchone()
    assert action == "ticket_issued" and json.loads(detail)["ticket"] == 1 and hash_.startswith(prefix)
    assert len(prefix) == 16  # a 64-bit prefix: no rewrite lands on it by chance
