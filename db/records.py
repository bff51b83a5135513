"""The base of the case records: sessions, the audit entry of every write, the checks of a case's life."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db import clock
from db.audit import append_entry, lock_head
from db.audit_rows import case_digest
from db.connection import retrying
from db.errors import StaleCase, StoreError
from db.lifecycle import BEFORE_DECISION, Seen, code_words
from db.models import (
    AuditEntry,
    Case,
    DecisionRecord,
    Shipment,
    case_copies,
)
from policy.message import Message

T = TypeVar("T")


class Records:
    """The records of a station: one way to open a session (a write queues on the audit head and is
    retried while another process writes; a read never waits) and one error path (StoreError);
    every write appends its audit entry in the same transaction, and each case write first asks
    whether the case takes it now (a case's life, enforced here whichever screen or command writes).

    What the records say to a person (an error's message, `what` a write or read does, `doing`) is a
    policy.message.Message: English as a string, and the counter says it in its own language."""

    def __init__(self, engine: Engine, *, station_id: str, technician: str, zone: tzinfo | None = None) -> None:
        self.engine = engine
        self.zone = zone  # the station's clock (None: the system's): case-number years, listings' days
        self.station_id = station_id
        self.technician = technician
        self._reader = engine.execution_options(sqlite_begin="DEFERRED")

    def _write(self, what: str, work: Callable[[Session], T]) -> T:
        def attempt() -> T:
            with Session(self.engine, expire_on_commit=False) as session:
                lock_head(session)
                result = work(session)
                session.commit()
                return result

        return retrying(attempt, what=what)

    def _read(self, what: str, work: Callable[[Session], T]) -> T:
        def attempt() -> T:
            with Session(self._reader) as session:
                return work(session)

        return retrying(attempt, what=what)

    def _audit(self, session: Session, case_number: str | None, action: str, detail: dict[str, Any]) -> None:
        """An entry about the case `case_number` vouches for the case row as this write left it."""
        if case_number is not None:
            detail = {**detail, "case_row": case_digest(self._case(session, case_number))}
        append_entry(
            session,
            at=clock.utcnow(),
            actor=self.technician,
            station=self.station_id,
            case_number=case_number,
            action=action,
            detail=detail,
        )

    def record_station_event(self, action: str, detail: dict[str, Any]) -> None:
        """Something done to the station rather than to a case (e.g. its policy file changed), in the audit trail."""
        self._write(
            Message("record {action}", action=action), lambda session: self._audit(session, None, action, detail)
        )

    def _touch(self, case: Case, session: Session) -> None:
        case.updated_at = clock.utcnow()
        session.add(case)

    def _case(self, session: Session, number: str) -> Case:
        case = session.exec(select(Case).where(Case.number == number)).first()
        if case is None:
            raise StoreError(Message("case {number}: no such case", number=number))
        return case

    def _case_taking(
        self, session: Session, number: str, doing: str, seen: Seen | None, states: tuple[str, ...] = BEFORE_DECISION
    ) -> Case:
        """The case, if it takes this write now: in one of `states`, and (for a session that
        says what it saw) decided no differently since. The records enforce a case's life
        here, whichever screen or command writes. `doing` names the write (a Message: "the decision")."""
        case = self._case(session, number)
        latest = latest_decision(session, case)
        if seen is not None and (latest.id if latest else None) != seen.decision:
            raise StaleCase(
                number,
                Message(
                    "case {number} changed in another session since you opened it: {what}; {doing} was not recorded",
                    number=number,
                    what=self._what_became(session, case),
                    doing=doing,
                ),
            )
        if case.status not in states:
            raise StaleCase(
                number,
                Message(
                    "case {number} is {what}: {doing} is no longer taken",
                    number=number,
                    what=self._what_became(session, case),
                    doing=doing,
                ),
            )
        return case

    def _what_became(self, session: Session, case: Case) -> str:
        """The case's state in words, with who put it there and when (from its latest audit entry
        or decision): what a stale session is told."""
        latest = latest_decision(session, case)
        if case.status in ("decided", "review") and latest is not None:
            who = latest.override_by or latest.technician
            at = self._clock(latest.decided_at)
            if case.status == "review":
                return Message("sent to review by {who} at {at}", who=who, at=at)
            verdict = latest.override_verdict or latest.verdict
            return Message("decided {verdict} by {who} at {at}", verdict=code_words(verdict), who=who, at=at)
        entry = session.exec(
            select(AuditEntry).where(AuditEntry.case_number == case.number).order_by(col(AuditEntry.id).desc())
        ).first()
        state = code_words(case.status)
        if entry is None:
            return state
        return Message(
            "{state} (last changed by {who} at {at})", state=state, who=entry.actor, at=self._clock(entry.at)
        )

    def _clock(self, at: datetime) -> str:
        """A recorded time on the station's clock, to the minute."""
        aware = at if at.tzinfo else at.replace(tzinfo=UTC)
        return aware.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")


def apply_fields(case: Case, fields: dict[str, Any]) -> None:
    case.fields = json.dumps(fields, sort_keys=True, default=str)
    copies = case_copies(fields)
    case.serial, case.customer_name = copies["serial"], copies["customer_name"]
    case.customer_key, case.model = copies["customer_key"], copies["model"]


def latest_decision(session: Session, case: Case) -> DecisionRecord | None:
    return session.exec(
        select(DecisionRecord).where(DecisionRecord.case_id == case.id).order_by(col(DecisionRecord.id).desc())
    ).first()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def shipment_number(session: Session, case: Case) -> str | None:
    if case.shipment_id is None:
        return None
    shipment = session.get(Shipment, case.shipment_id)
    return shipment.number if shipment else None
