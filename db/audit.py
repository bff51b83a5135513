"""The audit trail: append-only, each entry chained to the one before by SHA-256.

An entry's hash covers the previous entry's hash and the entry's own content, so editing
or deleting any row breaks the chain at that row; `audit_head` holds the newest link, so
cutting entries off the end is caught too, and a missing head is a broken trail, never an
empty one. The records the trail speaks of are bound to it (db.audit_rows): each entry that
writes a row carries the row as written, and every case has its creation entry, so an edited
verdict, ticket, hand-back or case, and a deleted one, is caught as well.

Everything here sits in the same database, so whoever can rewrite the file can recompute
it all. What they cannot recompute is an anchor kept outside: each ticket's words carry
the trail's link at signing (`entry:hash`), and `audit verify --anchor ENTRY:HASH` checks
the trail still holds it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from db.audit_rows import verify_records
from db.errors import StoreError
from db.models import AuditEntry, AuditHead, row_id
from policy.message import Message

GENESIS = "0" * 64


def entry_hash(
    prev_hash: str,
    entry_id: int,
    at: datetime,
    actor: str,
    station: str,
    case_number: str | None,
    action: str,
    detail: str,
) -> str:
    content = json.dumps(
        [entry_id, at.isoformat(), actor, station, case_number, action, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def lock_head(session: Session) -> AuditHead | None:
    """Take the chain's newest link for this transaction: every writer queues here (SQLite's
    BEGIN IMMEDIATE does the same), so two never read the same link or case sequence."""
    return session.exec(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()


def append_entry(
    session: Session,
    *,
    at: datetime,
    actor: str,
    station: str,
    case_number: str | None,
    action: str,
    detail: dict[str, Any],
) -> AuditEntry:
    """Append inside the caller's transaction, which holds the head (lock_head)."""
    head = session.get(AuditHead, 1)  # already loaded by lock_head: no second query
    if head is None:  # seeded by migration 0003: gone means the trail was cut
        raise StoreError(
            Message(
                "the audit trail's head row is missing, so its end may have been cut off: nothing more "
                "is written; run `workbench audit verify` and restore the database from its backup"
            )
        )
    text = json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str)
    entry = AuditEntry(
        at=at,
        actor=actor,
        station=station,
        case_number=case_number,
        action=action,
        detail=text,
        prev_hash=head.last_hash,
        hash="",
    )
    session.add(entry)
    session.flush()  # the id is part of the hash
    entry.hash = entry_hash(head.last_hash, row_id(entry), at, actor, station, case_number, action, text)
    head.last_id, head.last_hash = row_id(entry), entry.hash
    session.add_all([entry, head])
    return entry


@dataclass(frozen=True)
class AuditReport:
    entries: int
    broken_at: int | None  # the id of the first entry that does not verify
    problem: str | None  # what is wrong, in words (a policy.message.Message the counter can say)

    @property
    def intact(self) -> bool:
        return self.broken_at is None and self.problem is None


def anchor_of(entry_id: int, entry_hash_text: str) -> str:
    """The trail's link as printed on a ticket: entry number and the first 16 hex digits of its hash."""
    return f"{entry_id}:{entry_hash_text[:16]}"


def verify_chain(session: Session, anchors: tuple[str, ...] = ()) -> AuditReport:
    """The chain, its head, the records bound to it, and any anchors kept outside."""
    try:
        return _verify_chain(session, anchors)
    except (ValueError, TypeError, DBAPIError):
        # A row the workbench never wrote (a time that is not one, bytes that are not text):
        # SQLite keeps what it is given, so an edit outside the workbench can leave one.
        malformed = _first_malformed(session)
        if malformed is None:
            raise
        return AuditReport(*malformed)


def _first_malformed(session: Session) -> tuple[int, int, str] | None:
    """(entries before it, its id, what is wrong) for the first audit row that cannot be read."""
    if session.get_bind().dialect.name != "sqlite":
        return None  # a server database keeps each column to its type
    session.rollback()
    rows = session.connection().exec_driver_sql(
        "SELECT id, typeof(at), CAST(at AS BLOB), CAST(detail AS BLOB) FROM audit_entry ORDER BY id"
    )
    for count, (entry_id, kind, at, detail) in enumerate(rows):
        try:
            if kind != "text":
                raise ValueError
            datetime.fromisoformat(bytes(at).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return (
                count,
                entry_id,
                Message(
                    "entry {entry} has a time that is not one: it was edited outside the workbench", entry=entry_id
                ),
            )
        try:
            bytes(detail or b"").decode("utf-8")
        except UnicodeDecodeError:
            return (
                count,
                entry_id,
                Message(
                    "entry {entry} holds bytes that are not text: it was edited outside the workbench", entry=entry_id
                ),
            )
    return None


def _verify_chain(session: Session, anchors: tuple[str, ...]) -> AuditReport:
    report = _verify_links(session)
    if not report.intact:
        return report
    for check in (verify_records, lambda s: _verify_anchors(s, anchors)):
        problem = check(session)
        if problem is not None:
            broken_at, text = problem
            return AuditReport(report.entries, broken_at, text)
    return report


def _verify_anchors(session: Session, anchors: tuple[str, ...]) -> tuple[int, str] | None:
    for anchor in anchors:
        number, _, prefix = anchor.partition(":")
        entry = session.get(AuditEntry, int(number)) if number.isdigit() else None
        if entry is None or not prefix or not entry.hash.startswith(prefix.lower()):
            return (
                int(number) if number.isdigit() else 0,
                Message(
                    "the trail no longer holds the link {anchor} printed on a ticket: it was cut or rewritten",
                    anchor=anchor[:40],
                ),
            )
    return None


def _verify_links(session: Session) -> AuditReport:
    prev_hash, prev_id, count = GENESIS, 0, 0
    for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).yield_per(2000):
        entry_id = row_id(entry)
        if entry.prev_hash != prev_hash:
            what = (
                Message("an entry before it was deleted or edited")
                if count
                else Message("entries before it were deleted")
            )
            return AuditReport(
                count,
                entry_id,
                Message(
                    "entry {entry} does not follow entry {previous}: {what}",
                    entry=entry_id,
                    previous=prev_id,
                    what=what,
                ),
            )
        expected = entry_hash(
            prev_hash, entry_id, entry.at, entry.actor, entry.station, entry.case_number, entry.action, entry.detail
        )
        if entry.hash != expected:
            return AuditReport(
                count, entry_id, Message("entry {entry} was edited after it was written", entry=entry_id)
            )
        prev_hash, prev_id, count = entry.hash, entry_id, count + 1
    head = session.get(AuditHead, 1)
    if head is None:
        return AuditReport(
            count,
            prev_id + 1,
            Message("the audit head row is missing: the end of the trail may have been cut off with it"),
        )
    if (head.last_id, head.last_hash) != (prev_id, prev_hash):
        return AuditReport(
            count,
            prev_id + 1,
            Message(
                "the trail ends at entry {last} but entry {head} was written: entries at the end were deleted",
                last=prev_id,
                head=head.last_id,
            ),
        )
    return AuditReport(count, None, None)
