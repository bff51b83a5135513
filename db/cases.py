"""Cases and drafts."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from db import clock
from db.errors import StoreError
from db.lifecycle import BEFORE_DECISION, STATES, Seen
from db.models import (
    Case,
    CaseSequence,
)
from db.records import Records, apply_fields
from db.views import CaseSummary, summary_of
from policy.message import Message


class CaseRecords(Records):
    """Cases and their drafts: a new case with its number, the draft as typed, a withdrawal."""

    def create_case(self, fields: dict[str, Any] | None = None, *, step: str = "intake") -> CaseSummary:
        """A new draft case with the next number of this station and year."""
        fields = dict(fields or {})

        def work(session: Session) -> CaseSummary:
            now = clock.utcnow()
            year = now.astimezone(self.zone).year  # a case opened on 1 January in Shenzhen is that year's
            sequence = session.get(CaseSequence, (self.station_id, year))
            if sequence is None:
                sequence = CaseSequence(station=self.station_id, year=year, last_seq=0)
            sequence.last_seq += 1
            session.add(sequence)
            case = Case(
                number=f"{self.station_id}-{year}-{sequence.last_seq:06d}",
                station=self.station_id,
                year=year,
                seq=sequence.last_seq,
                status="draft",
                step=step,
                technician=self.technician,
                created_at=now,
                updated_at=now,
            )
            apply_fields(case, fields)
            session.add(case)
            session.flush()
            self._audit(session, case.number, "case_created", {"fields": fields, "step": step})
            return summary_of(case)

        return self._write(Message("create a case"), work)

    def save_draft(self, number: str, step: str, fields: dict[str, Any], *, seen: Seen | None = None) -> None:
        """Merge changed intake fields and the step into the case: durable when this returns.
        Fields change only before the decision; the step (where the technician is) until the
        case is withdrawn."""

        def work(session: Session) -> None:
            case = self._case(session, number)
            stored = json.loads(case.fields)
            changed = {k: v for k, v in fields.items() if stored.get(k) != v}
            if not changed and case.step == step:
                return
            states = BEFORE_DECISION if changed else tuple(s for s in STATES if s != "withdrawn")
            self._case_taking(session, number, Message("the draft"), seen, states)
            case.step = step
            apply_fields(case, {**stored, **fields})
            self._touch(case, session)
            self._audit(session, number, "draft_saved", {"step": step, "fields": changed})

        self._write(Message("save the draft"), work)

    def withdraw(self, number: str, reason: str) -> None:
        """A draft discarded or a claim withdrawn before its decision: the case stays in the
        records as withdrawn (its number is never given again), with who and why."""
        if not reason.strip():
            raise StoreError(Message("reason: withdrawing a claim needs a reason"))

        def work(session: Session) -> None:
            case = self._case_taking(session, number, Message("withdrawing the claim"), None)
            before, case.status = case.status, "withdrawn"
            self._touch(case, session)
            self._audit(session, number, "case_withdrawn", {"from": before, "reason": reason.strip()})

        self._write(Message("withdraw the claim"), work)
