"""CaseStore: a case from draft to ticket, searched and listed as the counter does."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
from sqlalchemy import event

from db import StoreError, open_store
from db.listing import CaseFilter
from tests.db_helpers import CLAIM_FIELDS, new_store, sqlite_url

DECISION = {
    "verdict": "not_covered",
    "remedy": None,
    "warranty": {},
    "tbw": {},
    "reasons": [{"code": "exclusion.3", "text": "sticker"}],
    "policy": "netac-warranty 2024.1",
}


def test_case_numbers_are_per_station_and_year(tmp_path):
    store = new_store(tmp_path)
    year = date.today().year
    first, second = store.create_case(), store.create_case()
    other = open_store(sqlite_url(tmp_path / "cases.db"), station_id="BJ02", technician="bo").create_case()
    assert (first.number, second.number, other.number) == (
        f"SZ01-{year}-000001",
        f"SZ01-{year}-000002",
        f"BJ02-{year}-000001",
    )


def test_drafts_merge_fields_and_resume_at_their_step(tmp_path):
    store = new_store(tmp_path)
    case = store.create_case({"customer_name": "Li Wei"})
    store.save_draft(case.number, "intake", {"serial": "RN1"})
    store.save_draft(case.number, "inspection", {"model": "NV7000", "serial": "RN12"})
    # A new process (the technician logged in again) sees the same draft.
    again = new_store(tmp_path)
    [draft] = again.list_drafts()
    assert (draft.number, draft.step, draft.serial, draft.model) == (case.number, "inspection", "RN12", "NV7000")
    assert again.get_case(case.number).fields == {"customer_name": "Li Wei", "serial": "RN12", "model": "NV7000"}
    assert again.list_drafts(technician="somebody-else") == []


def test_an_unchanged_draft_writes_nothing(tmp_path):
    store = new_store(tmp_path)
    case = store.create_case({"serial": "RN1"})
    store.save_draft(case.number, "intake", {"serial": "RN1"})
    assert [a.action for a in store.get_case(case.number).audit] == ["case_created"]


def test_the_whole_record_of_a_case(tmp_path):
    store = new_store(tmp_path)
    number = store.create_case(CLAIM_FIELDS).number
    store.record_inspection(number, [("sticker_removed", True, "torn at the corner"), ("misuse", False, "")])
    store.record_inspection(number, [("misuse", True, "used as a boot drive in a mining rig")])
    snap = store.record_smart(
        number, {"device": "/dev/nvme0", "serial": "RN1", "host_bytes_written": 42}, b"smartctl raw \x1b[31m output"
    )
    store.record_findings(number, [{"check": "model", "severity": "medium", "message": "m", "evidence": {"a": 1}}])
    store.record_findings(number, [{"check": "model", "severity": "pass", "message": "ok", "confirmed": True}])
    store.record_decision(number, DECISION, "netac-warranty 2024.1")
    ticket = store.add_ticket(number, "NW1|payload", "receipt")
    store.mark_ticket(ticket, "failed", "printer offline")
    store.mark_ticket(ticket, "printed")
    assert store.ticket_given(number) == "ready"  # a not covered drive goes back to its customer

    view = store.get_case(number)
    assert view.summary.status == "ready" and view.summary.verdict == "not_covered"
    assert {(i.key, i.finding, i.note) for i in view.inspection} == {
        ("sticker_removed", True, "torn at the corner"),
        ("misuse", True, "used as a boot drive in a mining rig"),
    }
    assert view.snapshots[0].id == snap and view.snapshots[0].raw_output == b"smartctl raw \x1b[31m output"
    assert [(f.check, f.severity, f.confirmed, f.batch) for f in view.findings] == [("model", "pass", True, 2)]
    assert view.decision.decision == DECISION and view.decision.policy_id == "netac-warranty 2024.1"
    [t] = view.tickets
    assert (t.status, t.attempts, t.last_error, t.printed_at is not None) == ("printed", 2, None, True)
    assert [a.action for a in view.audit] == [
        "case_created",
        "inspection_recorded",
        "inspection_recorded",
        "smart_recorded",
        "findings_recorded",
        "findings_recorded",
        "decided",
        "ticket_issued",
        "ticket_failed",
        "ticket_printed",
        "ticket_given",
    ]
    assert all(a.actor == "ana" for a in view.audit)


def test_a_supervisor_override_is_recorded_beside_the_engine_verdict(tmp_path):
    store = new_store(tmp_path, technician="chen")  # the override is the acting login's, never a name passed in
    number = store.create_case(CLAIM_FIELDS).number
    store.record_decision(
        number, DECISION, "p", override={"verdict": "covered", "reason": "sticker torn by our own courier"}
    )
    d = store.get_case(number).decision
    assert (d.verdict, d.override_verdict, d.override_by, d.final_verdict) == (
        "not_covered",
        "covered",
        "chen",
        "covered",
    )
    assert store.get_case(number).summary.verdict == "covered"
    with pytest.raises(StoreError, match="override: reason missing"):
        store.record_decision(number, DECISION, "p", override={"verdict": "covered", "reason": " "})


def test_search_history_and_prior_claims(tmp_path):
    store = new_store(tmp_path)
    a = store.create_case({**CLAIM_FIELDS, "customer_name": "Zhang Wěi 50%_off"}).number
    b = store.create_case({**CLAIM_FIELDS, "customer_name": "Müller GmbH"}).number
    c = store.create_case({**CLAIM_FIELDS, "serial": "OTHER1", "customer_name": "Ana"}).number
    assert [x.number for x in store.find("rn202303092TB677720".upper())] == [b, a]
    assert [x.number for x in store.find(a.lower())] == [a]
    assert [x.number for x in store.find("müller")] == [b]
    assert [x.number for x in store.find("zhang wěi 50%")] == [a]  # no wildcards
    assert store.find("%") == [] and store.find("wěi") == []  # the name's beginning, not any part
    assert store.find("   ") == []
    assert [x.number for x in store.history("RN202303092TB677720")] == [a, b]
    assert [x.number for x in store.prior_claims("RN202303092TB677720", exclude=b)] == [a]
    assert store.prior_claims("") == []
    assert [x.number for x in store.list_cases(serial="OTHER1")] == [c]


def test_list_filters(tmp_path):
    store = new_store(tmp_path)
    decided = store.create_case(CLAIM_FIELDS).number
    store.record_decision(decided, DECISION, "p")
    draft = store.create_case(CLAIM_FIELDS).number
    today = date.today()
    assert [c.number for c in store.list_cases(verdict="not_covered")] == [decided]
    assert [c.number for c in store.list_cases(status="draft")] == [draft]
    assert [c.number for c in store.list_cases(since=today, until=today)] == [draft, decided]
    assert store.list_cases(since=today + timedelta(days=1)) == []
    assert store.list_cases(technician="bo") == []


def test_a_stream_of_cases_reads_them_as_they_are_taken(tmp_path):
    """`cases export` of a million cases: each is read from the database when it is taken,
    never all of them first (the driver's row factory sees every row read)."""
    store = new_store(tmp_path)
    numbers = [store.create_case(CLAIM_FIELDS).number for _ in range(5)]
    store.create_case({**CLAIM_FIELDS, "serial": "OTHER1"})
    store.engine.dispose()  # the connections made from here on count their rows
    read: list[str] = []

    @event.listens_for(store.engine, "connect")
    def count_rows(dbapi_connection, _record):
        dbapi_connection.row_factory = lambda _cursor, row: read.append(row[0]) or row

    cases = store.stream_cases(CaseFilter(serial=CLAIM_FIELDS["serial"]), chunk=2)
    assert read == []  # nothing is read before the first case is asked for
    assert next(cases).number == numbers[-1] and 1 <= len(read) <= 2
    assert [c.number for c in cases] == numbers[-2::-1] and read == numbers[::-1]
    assert [c.number for c in store.stream_cases(CaseFilter(), limit=2)] == [store.list_cases()[0].number, numbers[-1]]
    assert store.count_cases(CaseFilter(serial=CLAIM_FIELDS["serial"])) == 5


def test_errors_name_the_case(tmp_path):
    store = new_store(tmp_path)
    with pytest.raises(StoreError, match="case XX01-2026-000009: no such case"):
        store.save_draft("XX01-2026-000009", "intake", {})
    number = store.create_case().number
    with pytest.raises(StoreError, match="only a decided case's ticket is given"):
        store.ticket_given(number)
    with pytest.raises(StoreError, match="ticket status"):
        store.mark_ticket(1, "lost")


def test_days_are_the_stations_local_days(tmp_path, monkeypatch):
    import time as clock
    from datetime import datetime

    import db.clock

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    clock.tzset()
    try:
        # 23:30 UTC on the 24th is 07:30 on the 25th at a station in Shenzhen.
        monkeypatch.setattr(db.clock, "utcnow", lambda: datetime(2026, 11, 24, 23, 30, tzinfo=UTC))
        store = new_store(tmp_path)
        number = store.create_case({"serial": "RN1"}).number
        assert [c.number for c in store.list_cases(since=date(2026, 11, 25), until=date(2026, 11, 25))] == [number]
        assert store.list_cases(since=date(2026, 11, 24), until=date(2026, 11, 24)) == []
    finally:
        monkeypatch.delenv("TZ")
        clock.tzset()


def test_a_new_database_is_readable_by_its_owner_only(tmp_path):
    """It holds customers' names and phones (issue 13, 8)."""
    import stat as stat_module

    store = new_store(tmp_path)
    store.create_case(CLAIM_FIELDS)
    for name in ("cases.db", "cases.db-wal"):
        assert stat_module.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
