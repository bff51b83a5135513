"""The audit trail vouches for every row a decision or a customer relies on (issue 21, F7):
a direct edit of the database file (sqlite3, as the probe did) is named by `audit verify`,
and a database written before the rows were vouched for still verifies intact."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from sqlmodel import Session, col, select

from db.audit import entry_hash
from db.models import AuditEntry, AuditHead, row_id
from tests.after_helpers import NEW_SERIAL, NV7000_FIGURES, decided_claim

COVERED, REFUSED, DRAFT = "SZ01-2026-000001", "SZ01-2026-000002", "SZ01-2026-000003"


@pytest.fixture
def records(bench, tmp_path):
    """Every kind of row: a covered case (inspection, SMART readout, counterfeit findings,
    decision, ticket and its print attempt, replacement, hand-back without an ID check, shipment),
    a not covered one handed back, and a draft with a diagnosis test."""
    station = bench(station_lines=NV7000_FIGURES).station
    covered = decided_claim(station)
    station.reprint(covered.number)
    covered.ticket_given()
    station.record_replacement(covered.number, NEW_SERIAL, "NV7000", "2000")
    station.record_hand_back(covered.number, "Li Wei", False, NEW_SERIAL, id_check_reason="a regular")
    station.create_shipment([covered.number], "SF1234567890")
    refused = decided_claim(station, serial="RN202303092TB677721", inspection={"physical_or_liquid_damage": True})
    refused.ticket_given()
    station.record_hand_back(refused.number, "Li Wei", True)
    draft = station.new_claim()
    draft.update(customer_name="Zhang San")
    draft.save()
    station.store.record_diagnosis_test(draft.number, "read_test", "/dev/nvme0", "complete", {"errors": 0}, b"log")
    assert (covered.number, refused.number, draft.number) == (COVERED, REFUSED, DRAFT)
    station.store.engine.dispose()
    return tmp_path / "cases.db"


def verify() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "audit", "verify"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def tamper(db_path, sql: str) -> None:
    with sqlite3.connect(db_path) as connection:
        assert connection.execute(sql).rowcount >= 1


def test_every_kind_of_row_verifies_intact(records):
    result = verify()
    assert result.returncode == 0 and result.stdout.startswith("audit chain intact"), result.stdout + result.stderr


@pytest.mark.parametrize(
    "sql, named",
    [
        ("UPDATE ticket SET payload = payload || '0'", f"ticket 1 of case {COVERED} was changed after entry"),
        ("UPDATE ticket SET attempts = attempts + 1", f"ticket 1 of case {COVERED} was changed after entry"),
        ("DELETE FROM ticket", f"ticket 1 of case {COVERED} (recorded in entry"),
        ("UPDATE replacement SET serial = 'RN202511012TB000999'", f"replacement of case {COVERED} was changed"),
        ("DELETE FROM replacement", f"replacement of case {COVERED} (recorded in entry"),
        ("UPDATE hand_back SET id_checked = 1 WHERE id = 1", f"hand-back of case {COVERED} was changed"),
        ("UPDATE hand_back SET id_check_reason = 'checked' WHERE id = 1", f"hand-back of case {COVERED} was changed"),
        ("UPDATE hand_back SET collected_by = 'Mallory' WHERE id = 2", f"hand-back of case {REFUSED} was changed"),
        ("DELETE FROM hand_back WHERE id = 2", f"hand-back of case {REFUSED} (recorded in entry"),
        ("UPDATE shipment SET reference = 'SF0'", "shipment SZ01-S2026-0001 was changed after entry"),
        ("UPDATE case_record SET status = 'ready' WHERE id = 1", f"case {COVERED} was changed after entry"),
        ("UPDATE case_record SET verdict = 'covered' WHERE id = 2", f"case {REFUSED} was changed after entry"),
        ("UPDATE case_record SET serial = 'RN1' WHERE id = 1", f"case {COVERED} was changed after entry"),
        ("UPDATE case_record SET customer_name = 'Wang Fang' WHERE id = 2", f"case {REFUSED} was changed"),
        ("UPDATE case_record SET model = 'NV9000' WHERE id = 2", f"case {REFUSED} was changed"),
        (
            "UPDATE case_record SET fields = replace(fields, '2025-01-10', '2026-01-10') WHERE id = 2",
            f"case {REFUSED} was changed",
        ),
        ("UPDATE case_record SET tbw_used = 0.01 WHERE id = 1", f"case {COVERED} was changed"),
        ("UPDATE case_record SET shipment_id = NULL WHERE id = 1", f"case {COVERED} was changed"),
        (
            "UPDATE inspection_item SET finding = 0 WHERE key = 'physical_or_liquid_damage' AND case_id = 2",
            f"inspection item physical_or_liquid_damage of case {REFUSED} was changed",
        ),
        (
            "UPDATE inspection_item SET note = 'burnt' WHERE key = 'physical_or_liquid_damage' AND case_id = 1",
            f"inspection item physical_or_liquid_damage of case {COVERED} was changed",
        ),
        ("DELETE FROM inspection_item WHERE case_id = 2", f"of case {REFUSED} (recorded in entry"),
        (
            "UPDATE counterfeit_finding SET severity = 'high' WHERE id = (SELECT min(id) FROM counterfeit_finding)",
            f"counterfeit finding 1 of run 1 of case {COVERED} was changed",
        ),
        (
            "UPDATE counterfeit_finding SET message = 'fine' WHERE id = (SELECT min(id) FROM counterfeit_finding)",
            f"counterfeit finding 1 of run 1 of case {COVERED} was changed",
        ),
        (
            "DELETE FROM counterfeit_finding WHERE case_id = 2",
            f"counterfeit finding 1 of run 1 of case {REFUSED} (recorded in entry",
        ),
        (
            "UPDATE smart_snapshot SET raw_output = x'00' WHERE case_id = 1",
            f"SMART readout 1 of case {COVERED} was changed",
        ),
        (
            "UPDATE smart_snapshot SET readout = replace(readout, '\"power_on_hours\"', '\"power_on_hour\"') "
            "WHERE case_id = 2",
            f"SMART readout 2 of case {REFUSED} was changed",
        ),
        ("DELETE FROM smart_snapshot WHERE case_id = 2", f"SMART readout 2 of case {REFUSED} (recorded in entry"),
        ("UPDATE diagnosis_test SET outcome = 'failed'", f"diagnosis test 1 of case {DRAFT} was changed"),
        ("UPDATE diagnosis_test SET raw_output = x'00'", f"diagnosis test 1 of case {DRAFT} was changed"),
        ("DELETE FROM diagnosis_test", f"diagnosis test 1 of case {DRAFT} (recorded in entry"),
    ],
)
def test_a_direct_edit_of_a_row_is_named(records, sql, named):
    tamper(records, sql)
    result = verify()
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stdout + result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith("audit chain BROKEN at entry ") and named in line, line


def test_a_row_the_trail_never_wrote_is_named(records):
    with sqlite3.connect(records) as connection:
        connection.execute(
            "INSERT INTO inspection_item (case_id, key, finding, note, recorded_at) "
            "VALUES (2, 'sticker', 1, '', '2026-11-24 09:30:00')"
        )
    assert f"inspection item sticker of case {REFUSED} has no entry in the trail" in verify().stdout


def as_written_before_the_digests(db_path) -> None:
    """The database as the workbench wrote it before entries vouched for rows: the new
    details taken out of each entry, and the chain and its head recomputed."""
    from db.connection import make_engine

    engine = make_engine(f"sqlite:///{db_path}")
    with Session(engine) as session:
        prev = "0" * 64
        for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))):
            detail = json.loads(entry.detail)
            for key in ("case_row", "readout_sha256", "id_check_reason"):
                detail.pop(key, None)
            for finding in detail.get("findings") or ():
                finding.pop("row")
            entry.detail = json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str)
            entry.prev_hash = prev
            entry.hash = prev = entry_hash(
                prev, row_id(entry), entry.at, entry.actor, entry.station, entry.case_number, entry.action, entry.detail
            )
            session.add(entry)
        head = session.get(AuditHead, 1)
        head.last_hash = prev
        session.add(head)
        session.commit()
    engine.dispose()


def test_a_database_written_before_the_digests_verifies_intact(records):
    as_written_before_the_digests(records)
    tamper(records, "UPDATE hand_back SET id_check_reason = NULL")  # no reason was asked then
    result = verify()
    assert result.returncode == 0 and result.stdout.startswith("audit chain intact"), result.stdout + result.stderr


@pytest.mark.parametrize(
    "sql, named",
    [
        ("UPDATE case_record SET serial = 'RN1' WHERE id = 1", f"case {COVERED}: its claim"),
        (
            "UPDATE case_record SET fields = replace(fields, 'Li Wei', 'Wang Fang') WHERE id = 2",
            f"case {REFUSED}: its claim",
        ),
        ("UPDATE case_record SET verdict = 'covered' WHERE id = 2", f"case {REFUSED}: its verdict covered"),
        ("UPDATE case_record SET shipment_id = NULL WHERE id = 1", f"case {COVERED}: its shipment"),
        ("UPDATE smart_snapshot SET raw_output = x'00' WHERE case_id = 1", f"SMART readout 1 of case {COVERED}"),
        ("UPDATE hand_back SET id_checked = 0 WHERE id = 2", f"hand-back of case {REFUSED} was changed"),
        ("DELETE FROM ticket", f"ticket 1 of case {COVERED} (recorded in entry"),
    ],
)
def test_in_an_older_database_what_its_entries_carry_is_still_checked(records, sql, named):
    as_written_before_the_digests(records)
    tamper(records, "UPDATE hand_back SET id_check_reason = NULL")
    tamper(records, sql)
    assert named in verify().stdout
