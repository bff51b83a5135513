"""The audit trail's hash chain catches an edited, deleted or cut-off entry."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from tests.db_helpers import CLAIM_FIELDS, new_store, sqlite_url


@pytest.fixture
def trail(tmp_path):
    store = new_store(tmp_path)
    for _ in range(3):
        number = store.create_case(CLAIM_FIELDS).number
        store.save_draft(number, "inspection", {"serial": "RN9"})
    return tmp_path / "cases.db"


def verify(db_path):
    env = {**os.environ, "WORKBENCH_DATABASE_URL": sqlite_url(db_path)}
    env.pop("WORKBENCH_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "workbench", "audit", "verify"], capture_output=True, text=True, env=env, timeout=60
    )


def tamper(db_path, sql):
    with sqlite3.connect(db_path) as connection:
        connection.execute(sql)


def test_an_intact_chain(trail):
    result = verify(trail)
    assert (result.returncode, result.stdout.strip()) == (0, "audit chain intact: 6 entries")


def test_an_edited_entry_is_named(trail):
    tamper(trail, 'UPDATE audit_entry SET detail = \'{"step": "decision"}\' WHERE id = 4')
    result = verify(trail)
    assert result.returncode == 1
    assert "BROKEN at entry 4: entry 4 was edited" in result.stdout


def test_an_edited_actor_or_time_is_caught(trail):
    tamper(trail, "UPDATE audit_entry SET actor = 'mallory' WHERE id = 2")
    assert "BROKEN at entry 2" in verify(trail).stdout


def test_a_rewritten_entry_with_a_fresh_hash_breaks_the_next_link(trail):
    # A forger who recomputes entry 3's hash still breaks entry 4's link to it.
    store_rows = sqlite3.connect(trail).execute("SELECT hash FROM audit_entry WHERE id = 3").fetchone()
    tamper(trail, "UPDATE audit_entry SET hash = '" + "f" * 64 + f"' WHERE hash = '{store_rows[0]}'")
    assert "BROKEN at entry 3" in verify(trail).stdout


def test_a_deleted_entry_is_caught(trail):
    tamper(trail, "DELETE FROM audit_entry WHERE id = 3")
    result = verify(trail)
    assert result.returncode == 1 and "BROKEN at entry 4: entry 4 does not follow entry 2" in result.stdout


def test_entries_cut_off_the_end_are_caught(trail):
    tamper(trail, "DELETE FROM audit_entry WHERE id >= 5")
    result = verify(trail)
    assert result.returncode == 1 and "entries at the end were deleted" in result.stdout


def test_a_fresh_database_has_an_empty_intact_chain(tmp_path):
    assert new_store(tmp_path).verify_audit().intact


@pytest.mark.parametrize(
    "edit, why",
    [
        ("at = 'garbage'", "has a time that is not one"),
        ("at = 12345", "has a time that is not one"),
        ("detail = x'ff00'", "holds bytes that are not text"),
    ],
)
def test_a_malformed_row_is_named_not_a_traceback(trail, edit, why):
    """Probe L8: rows SQLite keeps although the workbench never writes them."""
    tamper(trail, f"UPDATE audit_entry SET {edit} WHERE id = 4")
    result = verify(trail)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert (
        result.stdout.strip()
        == f"audit chain BROKEN at entry 4: entry 4 {why}: it was edited outside the workbench (3 entries verified before it)"
    )
