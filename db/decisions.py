"""Decisions and the review queue."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from db import clock
from db.audit_rows import decision_digest
from db.errors import StoreError
from db.lifecycle import BEFORE_DECISION, Seen, code_named
from db.models import (
    Case,
    DecisionRecord,
    SmartSnapshot,
    row_id,
)
from db.records import Records, latest_decision
from db.views import ReviewItem, summary_of
from policy.message import Message

# What a decision may lack: the override's or the review request's missing parts, in words.
MISSING = {
    ("verdict",): Message("verdict"),
    ("reason",): Message("reason"),
    ("verdict", "reason"): Message("verdict, reason"),
}


class DecisionRecords(Records):
    """Decisions, supervisors' overrides and the review queue."""

    def record_decision(
        self,
        number: str,
        decision: dict[str, Any],
        policy_id: str,
        override: dict[str, str] | None = None,
        *,
        policy_sha256: str | None = None,
        review_request: dict[str, str] | None = None,
        product_line: str = "",
        seen: Seen | None = None,
    ) -> int:
        """The engine's decision (the contract's output) and any supervisor override.

        `override` is {"verdict", "reason"}, made by this store's user (the caller has
        checked they are a supervisor): the case's verdict becomes the override's, the
        engine's stays recorded beside it. A `needs_review` decision, or one with a
        technician's `review_request` ({"verdict", "reason"}), puts the case in the review
        queue (status `review`) until a supervisor resolves it. `product_line` is the catalog's
        line of the claimed product, for the station's figures (the model when not in the catalog).

        A decision is taken from a draft or a case under review; a decided case changes only by
        a supervisor's override; `seen` refuses a decision made against an older one.

        Each reason is stored as {"code", "text", ...} and, when its text is a
        policy.message.Message, with its "template" and "values" too: the counter says a stored
        reason in its own language (workbench.words.language.say); "text" stays the English.
        """
        for name, given in ((Message("override"), override), (Message("review request"), review_request)):
            if given is not None:
                missing = tuple(k for k in ("verdict", "reason") if not str(given.get(k) or "").strip())
                if missing:
                    raise StoreError(
                        Message(
                            "{name}: {missing} missing; it needs a verdict and a reason",
                            name=name,
                            missing=MISSING[missing],
                        )
                    )
        request = (
            {"verdict": review_request["verdict"], "reason": review_request["reason"].strip(), "by": self.technician}
            if review_request
            else None
        )

        def work(session: Session) -> int:
            states = (*BEFORE_DECISION, "decided") if override else BEFORE_DECISION
            doing = (
                Message("the override")
                if override
                else Message("the review request")
                if request
                else Message("the decision")
            )
            case = self._case_taking(session, number, doing, seen, states)
            record = DecisionRecord(
                case_id=row_id(case),
                decided_at=clock.utcnow(),
                technician=self.technician,
                verdict=decision["verdict"],
                remedy=decision.get("remedy"),
                decision=json.dumps(stored_decision(decision), sort_keys=True, default=str),
                policy_id=policy_id,
                policy_sha256=policy_sha256 or None,
                override_verdict=override["verdict"] if override else None,
                override_by=self.technician if override else None,
                override_reason=override["reason"].strip() if override else None,
                review_request=json.dumps(request, sort_keys=True) if request else None,
            )
            session.add(record)
            case.verdict = record.override_verdict or record.verdict
            case.status = "review" if request or case.verdict == "needs_review" else "decided"
            _copy_figures(session, case, record, product_line)
            self._touch(case, session)
            session.flush()
            self._audit(
                session,
                number,
                "decided",
                {
                    "decision": record.id,
                    "row": decision_digest(record),
                    "verdict": record.verdict,
                    "policy": policy_id,
                    "policy_sha256": policy_sha256,
                    "reasons": [r.get("code") for r in decision.get("reasons", [])],
                    "override": override and {**override, "supervisor": self.technician},
                    "review_request": request,
                },
            )
            return row_id(record)

        return self._write(Message("record the decision"), work)

    def resolve_review(self, number: str, verdict: str, reason: str, *, seen: Seen | None = None) -> int:
        """A supervisor's verdict on a case in the review queue (the caller has checked they are one).

        Recorded as a new decision: the engine's, as last decided, with this store's user's
        override; the case leaves the queue and goes on to its ticket.
        """
        if not reason.strip():
            raise StoreError(Message("reason: resolving a review needs a reason"))

        def work(session: Session) -> int:
            case = self._case_taking(session, number, Message("resolving the review"), seen, ("review",))
            last = latest_decision(session, case)
            if last is None:
                raise StoreError(Message("case {number}: no decision to review", number=number))
            record = DecisionRecord(
                case_id=row_id(case),
                decided_at=clock.utcnow(),
                technician=self.technician,
                verdict=last.verdict,
                remedy=last.remedy,
                decision=last.decision,
                policy_id=last.policy_id,
                policy_sha256=last.policy_sha256,
                override_verdict=verdict,
                override_by=self.technician,
                override_reason=reason.strip(),
                review_request=last.review_request,
            )
            session.add(record)
            case.verdict, case.status, case.step = verdict, "decided", "ticket"
            case.decided_at, case.override_by, case.reviewed_by = record.decided_at, None, self.technician
            self._touch(case, session)
            session.flush()
            self._audit(
                session,
                number,
                "review_resolved",
                {
                    "decision": record.id,
                    "row": decision_digest(record),
                    "verdict": verdict,
                    "reason": reason.strip(),
                    "engine_verdict": last.verdict,
                    "request": json.loads(last.review_request) if last.review_request else None,
                },
            )
            return row_id(record)

        return self._write(Message("resolve the review"), work)

    def review_queue(self, technician: str | None = None) -> list[ReviewItem]:
        """Cases waiting for a supervisor, oldest first (the next to take), with why they wait."""

        def work(session: Session) -> list[ReviewItem]:
            query = select(Case).where(Case.status == "review")
            if technician:
                query = query.where(Case.technician == technician)
            items = []
            for case in session.exec(query.order_by(col(Case.updated_at))):
                items.append(ReviewItem(summary_of(case), _why(latest_decision(session, case))))
            return items

        return self._read(Message("list the review queue"), work)


def stored_decision(decision: dict[str, Any]) -> dict[str, Any]:
    """The decision as the records keep it: each reason whose text is a Message also keeps its
    template and values ({"code", "text", "template", "values", ...}), so the counter can say it
    in any language later; "text" stays the English (what exports, tickets and older readers use)."""
    reasons = decision.get("reasons")
    if not isinstance(reasons, list):
        return decision
    return {**decision, "reasons": [_stored_reason(r) for r in reasons]}


def _stored_reason(reason: Any) -> Any:
    text = reason.get("text") if isinstance(reason, dict) else None
    if not isinstance(text, Message):
        return reason
    return {**reason, "text": str(text), **text.to_dict()}


def _why(decision: DecisionRecord | None) -> str:
    """Why a case waits for a supervisor, in words (a Message; the reason codes and the
    technician's own reason stay as recorded)."""
    if decision is None:
        return Message("no decision recorded")
    if decision.review_request:
        request = json.loads(decision.review_request)
        return Message(
            "{who} asks for {verdict}: {reason}",
            who=str(request.get("by")),
            verdict=code_named(request.get("verdict")),
            reason=str(request.get("reason")),
        )
    codes = [r.get("code", "") for r in json.loads(decision.decision).get("reasons", [])]
    return Message("{verdict}: {reasons}", verdict=code_named(decision.verdict), reasons=", ".join(codes))


def _copy_figures(session: Session, case: Case, record: DecisionRecord, product_line: str) -> None:
    """The decision's figures onto the case, for the station's report (one table to read)."""
    decision = json.loads(record.decision)
    fields = json.loads(case.fields)
    capacity = str(fields.get("capacity_gb") or "").strip()
    tbw = decision.get("tbw") or {}
    written, limit = tbw.get("written_bytes"), tbw.get("limit_bytes")
    unreadable = bool((fields.get("drive") or {}).get("unreadable"))
    snapshot = (
        None
        if unreadable
        else session.exec(
            select(SmartSnapshot).where(SmartSnapshot.case_id == case.id).order_by(col(SmartSnapshot.id).desc())
        ).first()
    )
    hours = json.loads(snapshot.readout).get("power_on_hours") if snapshot else None
    case.capacity_gb = int(capacity) if capacity.isdigit() and len(capacity) < 10 else None
    case.product_line = (product_line or case.model)[:64]
    case.reasons = " ".join(str(r.get("code", "")) for r in decision.get("reasons", []))[:400]
    case.tbw_used = written / limit if isinstance(written, int) and isinstance(limit, int) and limit > 0 else None
    case.power_on_hours = hours if isinstance(hours, int) else None
    case.decided_at = record.decided_at
    case.override_by = record.override_by
    case.reviewed_by = None
