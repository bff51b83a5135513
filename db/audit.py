"""The audit trail: append-only, each entry chained to the one before by SHA-256.

An entry's hash covers the previous entry's hash and the entry's own content, so editing
or deleting any row breaks the chain at that row; `audit_head` holds the newest link, so
cutting entries off the end is caught too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from db.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def entry_hash(prev_hash: str, entry_id: int, at: datetime, actor: str, station: str,
               case_number: str | None, action: str, detail: str) -> str:
    content = json.dumps([entry_id, at.isoformat(), actor, station, case_number, action, detail],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def lock_head(session: Session) -> AuditHead | None:
    """Take the chain's newest link for this transaction: every writer queues here (SQLite's
    BEGIN IMMEDIATE does the same), so two never read the same link or case sequence."""
    return session.exec(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()


def append_entry(session: Session, *, at: datetime, actor: str, station: str, case_number: str | None,
                 action: str, detail: dict[str, Any]) -> AuditEntry:
    """Append inside the caller's transaction, which holds the head (lock_head)."""
    head = session.get(AuditHead, 1)  # already loaded by lock_head: no second query
    if head is None:
        head = AuditHead(id=1, last_id=0, last_hash=GENESIS)
    text = json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str)
    entry = AuditEntry(at=at, actor=actor, station=station, case_number=case_number, action=action,
                       detail=text, prev_hash=head.last_hash, hash="")
    session.add(entry)
    session.flush()  # the id is part of the hash
    entry.hash = entry_hash(head.last_hash, entry.id, at, actor, station, case_number, action, text)
    head.last_id, head.last_hash = entry.id, entry.hash
    session.add_all([entry, head])
    return entry


@dataclass(frozen=True)
class AuditReport:
    entries: int
    broken_at: int | None  # the id of the first entry that does not verify
    problem: str | None

    @property
    def intact(self) -> bool:
        return self.broken_at is None and self.problem is None


def verify_chain(session: Session) -> AuditReport:
    prev_hash, prev_id, count = GENESIS, 0, 0
    for entry in session.exec(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
        if entry.prev_hash != prev_hash:
            what = "an entry before it was deleted or edited" if count else "entries before it were deleted"
            return AuditReport(count, entry.id, f"entry {entry.id} does not follow entry {prev_id}: {what}")
        expected = entry_hash(prev_hash, entry.id, entry.at, entry.actor, entry.station, entry.case_number,
                              entry.action, entry.detail)
        if entry.hash != expected:
            return AuditReport(count, entry.id, f"entry {entry.id} was edited after it was written")
        prev_hash, prev_id, count = entry.hash, entry.id, count + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_id, head.last_hash) != (prev_id, prev_hash):
        return AuditReport(count, prev_id + 1, f"the trail ends at entry {prev_id} but entry {head.last_id} "
                                               "was written: entries at the end were deleted")
    return AuditReport(count, None, None)
