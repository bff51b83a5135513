"""CaseStore: every write the workbench makes to a case, each with its audit entry.

Read methods return plain frozen dataclasses (never live ORM objects), so screens and
commands can hold them across workers and sessions.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, NoSuchModuleError
from sqlmodel import Session, col, select

from db.audit import AuditReport, anchor_of, append_entry, decision_digest, lock_head, verify_chain
from db.connection import explain, make_engine, retrying, sqlite_path
from db.errors import StaleCase, StoreError
from db.lifecycle import BEFORE_DECISION, STATES, Seen, move_problem
from db.listing import CaseFilter
from db.migrate import current_revision, head_revision, upgrade
from db.models import (
    AuditEntry,
    Case,
    CaseSequence,
    CounterfeitFinding,
    DecisionRecord,
    DiagnosisTest,
    HandBack,
    InspectionItem,
    Replacement,
    Shipment,
    SmartSnapshot,
    Ticket,
    row_id,
)
from db.report import StationFigures, station_figures
from policy.serials import canonical_serial

T = TypeVar("T")
STATUSES = STATES
TICKET_STATUSES = ("queued", "printed", "failed")
DIAGNOSIS_TESTS = ("self_test", "read_test")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CaseSummary:
    number: str
    status: str
    step: str
    technician: str
    created_at: datetime
    updated_at: datetime
    serial: str
    customer_name: str
    model: str
    verdict: str | None
    replaced_by: str | None = None  # the serial of the drive that replaced this one (history only)
    shipment: str | None = None  # the parcel its failed drive went to Netac in (history only)


@dataclass(frozen=True)
class InspectionView:
    key: str
    finding: bool
    note: str
    recorded_at: datetime


@dataclass(frozen=True)
class SnapshotView:
    id: int
    taken_at: datetime
    device: str
    readout: dict[str, Any]
    raw_output: bytes
    host_bytes_written: int | None


@dataclass(frozen=True)
class DiagnosisTestView:
    id: int | None
    recorded_at: datetime
    kind: str
    device: str
    outcome: str
    result: dict[str, Any]
    raw_output: bytes


@dataclass(frozen=True)
class FindingView:
    check: str
    severity: str
    message: str
    evidence: dict[str, Any]
    confirmed: bool | None
    batch: int


@dataclass(frozen=True)
class DecisionView:
    id: int
    decided_at: datetime
    technician: str
    verdict: str
    remedy: str | None
    decision: dict[str, Any]
    policy_id: str
    override_verdict: str | None
    override_by: str | None
    override_reason: str | None
    policy_sha256: str | None = None  # the policy file that decided; None before revision 0004
    review_request: dict[str, str] | None = None  # a technician's request for a supervisor's review

    @property
    def final_verdict(self) -> str:
        return self.override_verdict or self.verdict


@dataclass(frozen=True)
class ReviewItem:
    """A case in the supervisors' review queue, and why it waits."""

    summary: CaseSummary
    why: str  # the technician's request (wanted verdict and reason), or the engine's reasons


@dataclass(frozen=True)
class ReplacementView:
    serial: str
    model: str
    capacity_gb: int
    recorded_at: datetime
    technician: str
    substitution_reason: str | None
    substitution_by: str | None


@dataclass(frozen=True)
class HandBackView:
    at: datetime
    technician: str
    collected_by: str
    id_checked: bool
    drive_serial: str
    by_ticket: bool


@dataclass(frozen=True)
class ShippedDrive:
    """One line of a shipment's packing list: a failed drive going back to Netac."""

    case_number: str
    model: str
    capacity_gb: int | None
    serial: str
    replaced_by: str
    reasons: str
    decided_at: datetime | None


@dataclass(frozen=True)
class ShipmentView:
    number: str
    station: str
    created_at: datetime
    technician: str
    reference: str
    drives: tuple[ShippedDrive, ...]


@dataclass(frozen=True)
class TicketView:
    id: int
    created_at: datetime
    payload: str
    printer: str
    status: str
    attempts: int
    last_error: str | None
    printed_at: datetime | None


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]
    hash: str = ""

    @property
    def anchor(self) -> str:
        """This link of the trail as a ticket prints it, for `workbench audit verify --anchor`."""
        return anchor_of(self.id, self.hash)


@dataclass(frozen=True)
class CaseView:
    """Everything recorded on one case."""

    summary: CaseSummary
    fields: dict[str, Any]
    inspection: tuple[InspectionView, ...] = ()
    snapshots: tuple[SnapshotView, ...] = ()
    diagnosis_tests: tuple[DiagnosisTestView, ...] = ()
    findings: tuple[FindingView, ...] = ()  # the latest run of the checks
    decisions: tuple[DecisionView, ...] = ()
    tickets: tuple[TicketView, ...] = ()
    audit: tuple[AuditView, ...] = field(default=())
    replacement: ReplacementView | None = None
    hand_back: HandBackView | None = None
    shipment: str | None = None  # the number of the parcel its failed drive went to Netac in

    @property
    def number(self) -> str:
        return self.summary.number

    @property
    def decision(self) -> DecisionView | None:
        return self.decisions[-1] if self.decisions else None


class CaseStore:
    def __init__(self, engine: Engine, *, station_id: str, technician: str, zone: tzinfo | None = None) -> None:
        self.engine = engine
        self.zone = zone  # the station's clock (None: the system's): case-number years, listings' days
        self.station_id = station_id
        self.technician = technician
        self._reader = engine.execution_options(sqlite_begin="DEFERRED")

    # -- writing ------------------------------------------------------------------------

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
        append_entry(
            session,
            at=utcnow(),
            actor=self.technician,
            station=self.station_id,
            case_number=case_number,
            action=action,
            detail=detail,
        )

    def record_station_event(self, action: str, detail: dict[str, Any]) -> None:
        """Something done to the station rather than to a case (e.g. its policy file changed), in the audit trail."""
        self._write(f"record {action}", lambda session: self._audit(session, None, action, detail))

    def create_case(self, fields: dict[str, Any] | None = None, *, step: str = "intake") -> CaseSummary:
        """A new draft case with the next number of this station and year."""
        fields = dict(fields or {})

        def work(session: Session) -> CaseSummary:
            now = utcnow()
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
            _apply_fields(case, fields)
            session.add(case)
            session.flush()
            self._audit(session, case.number, "case_created", {"fields": fields, "step": step})
            return _summary(case)

        return self._write("create a case", work)

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
            self._case_taking(session, number, "the draft", seen, states)
            case.step = step
            _apply_fields(case, {**stored, **fields})
            self._touch(case, session)
            self._audit(session, number, "draft_saved", {"step": step, "fields": changed})

        self._write("save the draft", work)

    def record_inspection(
        self, number: str, items: Iterable[tuple[str, bool, str]], *, seen: Seen | None = None
    ) -> None:
        items = [(key, bool(found), note or "") for key, found, note in items]

        def work(session: Session) -> None:
            case = self._case_taking(session, number, "the inspection", seen)
            now = utcnow()
            existing = {i.key: i for i in session.exec(select(InspectionItem).where(InspectionItem.case_id == case.id))}
            for key, found, note in items:
                item = existing.get(key) or InspectionItem(
                    case_id=row_id(case), key=key, finding=found, note=note, recorded_at=now
                )
                item.finding, item.note, item.recorded_at = found, note, now
                session.add(item)
            self._touch(case, session)
            self._audit(
                session,
                number,
                "inspection_recorded",
                {"items": [{"key": k, "finding": f, "note": n} for k, f, n in items]},
            )

        self._write("record the inspection", work)

    def record_smart(self, number: str, readout: dict[str, Any], raw_output: bytes, *, seen: Seen | None = None) -> int:
        def work(session: Session) -> int:
            case = self._case_taking(session, number, "the SMART readout", seen)
            snapshot = SmartSnapshot(
                case_id=row_id(case),
                taken_at=utcnow(),
                device=str(readout.get("device") or ""),
                readout=json.dumps(readout, sort_keys=True, default=str),
                raw_output=bytes(raw_output),
                host_bytes_written=readout.get("host_bytes_written"),
            )
            session.add(snapshot)
            session.flush()
            self._touch(case, session)
            self._audit(
                session,
                number,
                "smart_recorded",
                {
                    "snapshot": snapshot.id,
                    "device": snapshot.device,
                    "serial": readout.get("serial"),
                    "host_bytes_written": snapshot.host_bytes_written,
                    "raw_output_sha256": _sha256(raw_output),
                },
            )
            return row_id(snapshot)

        return self._write("record the SMART readout", work)

    def set_aside_readouts(self, number: str, reason: str, *, seen: Seen | None = None) -> list[int]:
        """The technician found the drive unreadable: earlier readouts of the case stay as
        evidence, set aside (who, why) so that nothing decides on them."""

        def work(session: Session) -> list[int]:
            case = self._case_taking(session, number, "setting the readouts aside", seen)
            ids = [row_id(s) for s in session.exec(select(SmartSnapshot).where(SmartSnapshot.case_id == case.id))]
            self._touch(case, session)
            self._audit(session, number, "smart_set_aside", {"snapshots": ids, "reason": reason})
            return ids

        return self._write("set the readouts aside", work)

    def record_diagnosis_test(
        self,
        number: str,
        kind: str,
        device: str,
        outcome: str,
        result: dict[str, Any],
        raw_output: bytes = b"",
        *,
        seen: Seen | None = None,
    ) -> int:
        """A test run on the claimed drive (`kind` "self_test" or "read_test"), with what it found
        and smartctl's own output as evidence. Returns the test's id."""
        if kind not in DIAGNOSIS_TESTS:
            raise StoreError(f"diagnosis test: {kind!r} is not one of {', '.join(DIAGNOSIS_TESTS)}")

        def work(session: Session) -> int:
            case = self._case_taking(session, number, "the diagnosis", seen)
            test = DiagnosisTest(
                case_id=row_id(case),
                recorded_at=utcnow(),
                kind=kind,
                device=device,
                outcome=outcome,
                result=json.dumps(result, sort_keys=True, default=str),
                raw_output=bytes(raw_output),
            )
            session.add(test)
            session.flush()
            self._touch(case, session)
            self._audit(
                session,
                number,
                "diagnosis_test_recorded",
                {
                    "test": test.id,
                    "kind": kind,
                    "device": device,
                    "outcome": outcome,
                    "result_sha256": _sha256(test.result.encode()),
                    "raw_output_sha256": _sha256(raw_output),
                },
            )
            return row_id(test)

        return self._write("record the diagnosis test", work)

    def record_findings(self, number: str, findings: Sequence[dict[str, Any]], *, seen: Seen | None = None) -> None:
        """A run of the counterfeit checks (check, severity, message, evidence, confirmed)."""

        def work(session: Session) -> None:
            case = self._case_taking(session, number, "the counterfeit findings", seen)
            batch = (
                session.exec(
                    select(func.max(CounterfeitFinding.batch)).where(CounterfeitFinding.case_id == case.id)
                ).one()
                or 0
            ) + 1
            now = utcnow()
            for f in findings:
                session.add(
                    CounterfeitFinding(
                        case_id=row_id(case),
                        batch=batch,
                        check=f["check"],
                        severity=f["severity"],
                        message=f["message"],
                        evidence=json.dumps(f.get("evidence") or {}, sort_keys=True, default=str),
                        confirmed=f.get("confirmed"),
                        recorded_at=now,
                    )
                )
            self._touch(case, session)
            self._audit(
                session,
                number,
                "findings_recorded",
                {
                    "batch": batch,
                    "findings": [{k: f.get(k) for k in ("check", "severity", "confirmed")} for f in findings],
                },
            )

        self._write("record the counterfeit findings", work)

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
        """
        for name, given in (("override", override), ("review request", review_request)):
            if given is not None:
                missing = [k for k in ("verdict", "reason") if not str(given.get(k) or "").strip()]
                if missing:
                    raise StoreError(f"{name}: {', '.join(missing)} missing; it needs a verdict and a reason")
        request = (
            {"verdict": review_request["verdict"], "reason": review_request["reason"].strip(), "by": self.technician}
            if review_request
            else None
        )

        def work(session: Session) -> int:
            states = (*BEFORE_DECISION, "decided") if override else BEFORE_DECISION
            doing = "the override" if override else "the review request" if request else "the decision"
            case = self._case_taking(session, number, doing, seen, states)
            record = DecisionRecord(
                case_id=row_id(case),
                decided_at=utcnow(),
                technician=self.technician,
                verdict=decision["verdict"],
                remedy=decision.get("remedy"),
                decision=json.dumps(decision, sort_keys=True, default=str),
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

        return self._write("record the decision", work)

    def resolve_review(self, number: str, verdict: str, reason: str, *, seen: Seen | None = None) -> int:
        """A supervisor's verdict on a case in the review queue (the caller has checked they are one).

        Recorded as a new decision: the engine's, as last decided, with this store's user's
        override; the case leaves the queue and goes on to its ticket.
        """
        if not reason.strip():
            raise StoreError("reason: resolving a review needs a reason")

        def work(session: Session) -> int:
            case = self._case_taking(session, number, "resolving the review", seen, ("review",))
            last = _latest_decision(session, case)
            if last is None:
                raise StoreError(f"case {number}: no decision to review")
            record = DecisionRecord(
                case_id=row_id(case),
                decided_at=utcnow(),
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

        return self._write("resolve the review", work)

    def add_ticket(self, number: str, payload: str, printer: str) -> int:
        def work(session: Session) -> int:
            case = self._case(session, number)
            ticket = Ticket(
                case_id=row_id(case), created_at=utcnow(), payload=payload, printer=printer, status="queued"
            )
            session.add(ticket)
            session.flush()
            self._touch(case, session)
            self._audit(
                session,
                number,
                "ticket_issued",
                {"ticket": ticket.id, "printer": printer, "payload_sha256": _sha256(payload.encode())},
            )
            return row_id(ticket)

        return self._write("issue the ticket", work)

    def mark_ticket(self, ticket_id: int, status: str, error: str | None = None) -> None:
        """One print attempt's outcome: printed, failed (stays in the queue) or queued."""
        if status not in TICKET_STATUSES:
            raise StoreError(f"ticket status: {status!r} is not one of {', '.join(TICKET_STATUSES)}")

        def work(session: Session) -> None:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise StoreError(f"ticket {ticket_id}: no such ticket")
            case = session.get(Case, ticket.case_id)
            if case is None:
                raise StoreError(f"ticket {ticket_id}: its case is missing from the records")
            if status != "queued":
                ticket.attempts += 1
            ticket.status = status
            ticket.last_error = error
            if status == "printed":
                ticket.printed_at = utcnow()
            session.add(ticket)
            self._touch(case, session)
            self._audit(
                session,
                case.number,
                f"ticket_{status}",
                {"ticket": ticket_id, "printer": ticket.printer, "attempt": ticket.attempts, "error": error},
            )

        self._write("record the print", work)

    def ticket_given(self, number: str) -> str:
        """The decided case's ticket is in the customer's hands: a not covered or refused drive
        is ready for pickup; a covered one waits for the choice of repair or replacement.
        Returns the case's state."""

        def work(session: Session) -> str:
            case = self._case(session, number)
            if case.status != "decided":
                raise StoreError(f"case {number}: only a decided case's ticket is given (it is {case.status})")
            if case.verdict != "covered":
                case.status = "ready"
            self._touch(case, session)
            self._audit(session, number, "ticket_given", {"state": case.status})
            return case.status

        return self._write("record the ticket as given", work)

    def move(self, number: str, target: str, note: str = "") -> None:
        """A plain change of state (db.lifecycle.MOVES), audited with the note."""

        def work(session: Session) -> None:
            case = self._case(session, number)
            problem = move_problem(case.status, target, case.verdict)
            if problem:
                raise StoreError(f"case {number}: {problem}")
            before, case.status = case.status, target
            self._touch(case, session)
            self._audit(session, number, "state_changed", {"from": before, "to": target, "note": note})

        self._write(f"mark the case {target}", work)

    def withdraw(self, number: str, reason: str) -> None:
        """A draft discarded or a claim withdrawn before its decision: the case stays in the
        records as withdrawn (its number is never given again), with who and why."""
        if not reason.strip():
            raise StoreError("reason: withdrawing a claim needs a reason")

        def work(session: Session) -> None:
            case = self._case_taking(session, number, "withdrawing the claim", None)
            before, case.status = case.status, "withdrawn"
            self._touch(case, session)
            self._audit(session, number, "case_withdrawn", {"from": before, "reason": reason.strip()})

        self._write("withdraw the claim", work)

    def record_replacement(
        self, number: str, serial: str, model: str, capacity_gb: int, substitution_reason: str | None = None
    ) -> None:
        """The drive the customer of a covered case receives (serial as scanned); the failed
        drive's serial is known as replaced from now on. `substitution_reason`: another model or
        capacity than the claimed one, allowed by this store's user (the caller has checked they
        are a supervisor). The case is then ready for pickup."""
        serial = canonical_serial(serial)
        if not serial:
            raise StoreError("replacement serial: scan the replacement drive's serial")

        def work(session: Session) -> None:
            case = self._case(session, number)
            if case.verdict != "covered" or case.status not in ("decided", "awaiting_repair", "awaiting_stock"):
                raise StoreError(
                    f"case {number}: only a covered case waiting for service gets a replacement "
                    f"(it is {case.status}, {case.verdict})"
                )
            if serial == case.serial:
                raise StoreError(f"replacement serial: {serial} is the failed drive's own serial")
            given = session.exec(select(Replacement).where(Replacement.serial == serial)).first()
            if given is not None:
                other = session.get(Case, given.case_id)
                raise StoreError(
                    f"replacement serial: {serial} already went out as the replacement of case "
                    f"{other.number if other else given.case_id}"
                )
            claimed = session.exec(select(Case).where(Case.serial == serial).limit(1)).first()
            if claimed is not None:
                raise StoreError(
                    f"replacement serial: {serial} is a claimed drive (case {claimed.number}), not new stock"
                )
            reason = (substitution_reason or "").strip() or None
            replacement = Replacement(
                case_id=row_id(case),
                original_serial=case.serial,
                serial=serial,
                model=model.strip(),
                capacity_gb=capacity_gb,
                recorded_at=utcnow(),
                technician=self.technician,
                substitution_reason=reason,
                substitution_by=self.technician if reason else None,
            )
            session.add(replacement)
            before, case.status = case.status, "ready"
            self._touch(case, session)
            self._audit(
                session,
                number,
                "replacement_recorded",
                {
                    "from": before,
                    "failed_serial": case.serial,
                    "serial": serial,
                    "model": replacement.model,
                    "capacity_gb": capacity_gb,
                    "substitution": reason and {"reason": reason, "supervisor": self.technician},
                },
            )

        self._write("record the replacement", work)

    def record_hand_back(
        self, number: str, collected_by: str, id_checked: bool, drive_serial: str = "", *, by_ticket: bool = False
    ) -> None:
        """The customer collected: who, whether their ID was checked, and which drive went out
        (for a replaced drive, the replacement's serial as scanned; otherwise their own drive)."""
        collected_by = collected_by.strip()
        if not collected_by:
            raise StoreError("collected by: name who collected the drive")

        def work(session: Session) -> None:
            case = self._case(session, number)
            if case.status != "ready":
                raise StoreError(f"case {number}: only a case ready for pickup is handed back (it is {case.status})")
            replacement = session.exec(select(Replacement).where(Replacement.case_id == case.id)).first()
            expected = replacement.serial if replacement else case.serial
            going = canonical_serial(drive_serial) or (expected if replacement is None else "")
            if replacement is not None and not going:
                raise StoreError(f"drive out: scan the replacement drive going out ({expected})")
            if going != expected:
                what = "the replacement recorded for" if replacement else "the drive of"
                raise StoreError(f"drive out: {going} is not {what} case {number} ({expected})")
            now = utcnow()
            session.add(
                HandBack(
                    case_id=row_id(case),
                    at=now,
                    technician=self.technician,
                    collected_by=collected_by,
                    id_checked=id_checked,
                    drive_serial=going,
                    by_ticket=by_ticket,
                )
            )
            case.status, case.handed_back_at = "handed_back", now
            case.days_to_hand_back = (now - case.created_at).total_seconds() / 86400
            self._touch(case, session)
            self._audit(
                session,
                number,
                "handed_back",
                {"collected_by": collected_by, "id_checked": id_checked, "drive": going, "by_ticket": by_ticket},
            )

        self._write("record the hand-back", work)

    def create_shipment(self, numbers: Sequence[str], reference: str = "") -> str:
        """A parcel of failed drives to Netac: the drives of replaced cases not yet sent.
        Returns the shipment's number (station, year, sequence)."""
        if not numbers:
            raise StoreError("shipment: name the cases whose failed drives go in the parcel")

        def work(session: Session) -> str:
            cases = [self._case(session, number) for number in dict.fromkeys(numbers)]
            for case in cases:
                replaced = session.exec(select(Replacement).where(Replacement.case_id == case.id)).first()
                if replaced is None:
                    raise StoreError(f"case {case.number}: its drive was not replaced, so it is not at the station")
                if case.shipment_id is not None:
                    shipped = session.get(Shipment, case.shipment_id)
                    raise StoreError(
                        f"case {case.number}: its failed drive is already in shipment {shipped.number if shipped else ''}"
                    )
            now = utcnow()
            year = now.year
            prefix = f"{self.station_id}-S{year}-"
            count = session.exec(
                select(func.count()).select_from(Shipment).where(col(Shipment.number).startswith(prefix))
            ).one()
            shipment = Shipment(
                number=f"{prefix}{count + 1:04d}",
                station=self.station_id,
                created_at=now,
                technician=self.technician,
                reference=reference.strip(),
            )
            session.add(shipment)
            session.flush()
            for case in cases:
                case.shipment_id = shipment.id
                self._touch(case, session)
                self._audit(session, case.number, "drive_shipped", {"shipment": shipment.number})
            self._audit(
                session,
                None,
                "shipment_created",
                {"shipment": shipment.number, "reference": shipment.reference, "cases": [c.number for c in cases]},
            )
            return shipment.number

        return self._write("record the shipment", work)

    def _touch(self, case: Case, session: Session) -> None:
        case.updated_at = utcnow()
        session.add(case)

    def _case(self, session: Session, number: str) -> Case:
        case = session.exec(select(Case).where(Case.number == number)).first()
        if case is None:
            raise StoreError(f"case {number}: no such case")
        return case

    def _case_taking(
        self, session: Session, number: str, doing: str, seen: Seen | None, states: tuple[str, ...] = BEFORE_DECISION
    ) -> Case:
        """The case, if it takes this write now: in one of `states`, and (for a session that
        says what it saw) decided no differently since. The records enforce a case's life
        here, whichever screen or command writes."""
        case = self._case(session, number)
        latest = _latest_decision(session, case)
        if seen is not None and (latest.id if latest else None) != seen.decision:
            raise StaleCase(
                number,
                f"case {number} changed in another session since you opened it: {self._what_became(session, case)}; "
                f"{doing} was not recorded",
            )
        if case.status not in states:
            raise StaleCase(number, f"case {number} is {self._what_became(session, case)}: {doing} is no longer taken")
        return case

    def _what_became(self, session: Session, case: Case) -> str:
        """The case's state in words, with who put it there and when (from its latest audit entry
        or decision): what a stale session is told."""
        latest = _latest_decision(session, case)
        if case.status in ("decided", "review") and latest is not None:
            who = latest.override_by or latest.technician
            verdict = latest.override_verdict or latest.verdict
            state = "sent to review" if case.status == "review" else f"decided {verdict.replace('_', ' ')}"
            return f"{state} by {who} at {self._clock(latest.decided_at)}"
        entry = session.exec(
            select(AuditEntry).where(AuditEntry.case_number == case.number).order_by(col(AuditEntry.id).desc())
        ).first()
        state = case.status.replace("_", " ")
        return f"{state} (last changed by {entry.actor} at {self._clock(entry.at)})" if entry else state

    def _clock(self, at: datetime) -> str:
        """A recorded time on the station's clock, to the minute."""
        aware = at if at.tzinfo else at.replace(tzinfo=UTC)
        return aware.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    # -- reading ------------------------------------------------------------------------

    def get_case(self, number: str) -> CaseView:
        def work(session: Session) -> CaseView:
            case = self._case(session, number)

            def rows(model: Any, order: Any) -> Sequence[Any]:
                return session.exec(select(model).where(model.case_id == case.id).order_by(order)).all()

            findings = rows(CounterfeitFinding, CounterfeitFinding.id)
            latest = max((f.batch for f in findings), default=0)
            audit = session.exec(
                select(AuditEntry).where(AuditEntry.case_number == number).order_by(col(AuditEntry.id))
            ).all()
            return CaseView(
                summary=_summary(case),
                fields=json.loads(case.fields),
                inspection=tuple(
                    InspectionView(i.key, i.finding, i.note, i.recorded_at)
                    for i in rows(InspectionItem, InspectionItem.id)
                ),
                snapshots=tuple(
                    SnapshotView(s.id, s.taken_at, s.device, json.loads(s.readout), s.raw_output, s.host_bytes_written)
                    for s in rows(SmartSnapshot, SmartSnapshot.id)
                ),
                diagnosis_tests=tuple(
                    DiagnosisTestView(
                        t.id, t.recorded_at, t.kind, t.device, t.outcome, json.loads(t.result), t.raw_output
                    )
                    for t in rows(DiagnosisTest, DiagnosisTest.id)
                ),
                findings=tuple(
                    FindingView(f.check, f.severity, f.message, json.loads(f.evidence), f.confirmed, f.batch)
                    for f in findings
                    if f.batch == latest
                ),
                decisions=tuple(
                    DecisionView(
                        d.id,
                        d.decided_at,
                        d.technician,
                        d.verdict,
                        d.remedy,
                        json.loads(d.decision),
                        d.policy_id,
                        d.override_verdict,
                        d.override_by,
                        d.override_reason,
                        d.policy_sha256,
                        json.loads(d.review_request) if d.review_request else None,
                    )
                    for d in rows(DecisionRecord, DecisionRecord.id)
                ),
                tickets=tuple(
                    TicketView(
                        t.id, t.created_at, t.payload, t.printer, t.status, t.attempts, t.last_error, t.printed_at
                    )
                    for t in rows(Ticket, Ticket.id)
                ),
                audit=tuple(AuditView(row_id(a), a.at, a.actor, a.action, json.loads(a.detail), a.hash) for a in audit),
                replacement=next(
                    (
                        ReplacementView(
                            r.serial,
                            r.model,
                            r.capacity_gb,
                            r.recorded_at,
                            r.technician,
                            r.substitution_reason,
                            r.substitution_by,
                        )
                        for r in rows(Replacement, Replacement.id)
                    ),
                    None,
                ),
                hand_back=next(
                    (
                        HandBackView(h.at, h.technician, h.collected_by, h.id_checked, h.drive_serial, h.by_ticket)
                        for h in rows(HandBack, HandBack.id)
                    ),
                    None,
                ),
                shipment=_shipment_number(session, case),
            )

        return self._read("read the case", work)

    LISTING_CHUNK = 1000  # the rows a listing fetches at a time

    def list_cases(
        self,
        *,
        status: str | None = None,
        technician: str | None = None,
        serial: str | None = None,
        verdict: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
    ) -> list[CaseSummary]:
        """Cases, newest first, filtered (db.listing.CaseFilter says how)."""
        which = CaseFilter(status, technician, serial, verdict, since, until)
        return self._read("list the cases", lambda s: list(self._listed(s, which, limit, self.LISTING_CHUNK)))

    def stream_cases(
        self, which: CaseFilter, *, limit: int | None = None, chunk: int = LISTING_CHUNK
    ) -> Iterator[CaseSummary]:
        """list_cases for any number of cases: each is read as it is taken, in one read
        transaction (the cases are the database as it stood when the first was read)."""
        with Session(self._reader) as session:
            try:
                yield from self._listed(session, which, limit, chunk)
            except DatabaseError as exc:
                raise explain(exc, "list the cases") from None

    def _listed(self, session: Session, which: CaseFilter, limit: int | None, chunk: int) -> Iterator[CaseSummary]:
        """The cases of one query, fetched `chunk` at a time as they are taken: memory stays flat."""
        # Columns, not ORM objects, and rows as the driver gives them: 8 µs a case, not 12.
        columns: list[Any] = [Case.number, Case.status, Case.step, Case.technician, Case.created_at, Case.updated_at]
        columns += [Case.serial, Case.customer_name, Case.model, Case.verdict]
        query = (
            select(*columns)
            .where(*which.conditions(self.zone))
            .order_by(col(Case.created_at).desc(), col(Case.id).desc())
            .limit(limit)
            .execution_options(yield_per=chunk)  # without it the ORM fetches every row first
        )
        for row in session.connection().execute(query):
            yield CaseSummary(*row)

    def count_cases(self, which: CaseFilter) -> int:
        """How many cases `which` takes."""
        query = select(func.count()).select_from(Case).where(*which.conditions(self.zone))
        return self._read("count the cases", lambda s: s.exec(query).one())

    def review_queue(self, technician: str | None = None) -> list[ReviewItem]:
        """Cases waiting for a supervisor, oldest first (the next to take), with why they wait."""

        def work(session: Session) -> list[ReviewItem]:
            query = select(Case).where(Case.status == "review")
            if technician:
                query = query.where(Case.technician == technician)
            items = []
            for case in session.exec(query.order_by(col(Case.updated_at))):
                items.append(ReviewItem(_summary(case), _why(_latest_decision(session, case))))
            return items

        return self._read("list the review queue", work)

    def list_drafts(self, technician: str | None = None) -> list[CaseSummary]:
        """Interrupted cases to resume, the most recently touched first."""
        query = select(Case).where(Case.status == "draft")
        if technician:
            query = query.where(Case.technician == technician)
        query = query.order_by(col(Case.updated_at).desc())
        return self._read("list the drafts", lambda s: [_summary(c) for c in s.exec(query)])

    def find(self, text: str, limit: int = 50) -> list[CaseSummary]:
        """Search as the counter does: a case number, a serial, or the start of a customer's name."""
        text = text.strip()
        if not text:
            return []
        key = text.casefold()
        # Three indexed lookups rather than one OR, which SQLite would answer by a full scan.
        queries = [
            select(Case).where(Case.number == text.upper()),
            select(Case).where(Case.serial == canonical_serial(text)),
            select(Case).where(Case.customer_key >= key, Case.customer_key < key + "\U0010ffff"),
        ]

        def work(session: Session) -> list[CaseSummary]:
            found: dict[int, Case] = {}
            for query in queries:
                for case in session.exec(query.order_by(col(Case.created_at).desc()).limit(limit)):
                    found.setdefault(row_id(case), case)
            ordered = sorted(found.values(), key=lambda c: (c.created_at, c.id), reverse=True)
            return [_summary(c) for c in ordered[:limit]]

        return self._read("search the cases", work)

    def history(self, serial: str) -> list[CaseSummary]:
        """Every case on one serial, oldest first, with the drive that replaced it if one did."""
        query = select(Case).where(Case.serial == canonical_serial(serial)).order_by(col(Case.created_at), col(Case.id))

        def work(session: Session) -> list[CaseSummary]:
            cases = session.exec(query).all()
            replaced = {
                r.case_id: r.serial
                for r in session.exec(select(Replacement).where(col(Replacement.case_id).in_([c.id for c in cases])))
            }
            return [
                _summary(c, replaced_by=replaced.get(row_id(c)), shipment=_shipment_number(session, c)) for c in cases
            ]

        return self._read("read the serial's history", work)

    def prior_claims(self, serial: str, exclude: str | None = None) -> list[CaseSummary]:
        return [c for c in self.history(serial) if c.number != exclude] if serial else []

    def after_decision(self) -> list[CaseSummary]:
        """Cases decided and not yet handed back: the counter's open work, the oldest first."""
        query = (
            select(Case)
            .where(col(Case.status).in_(("decided", "awaiting_repair", "awaiting_stock", "ready")))
            .order_by(col(Case.updated_at))
        )
        return self._read("list the cases after their decision", lambda s: [_summary(c) for c in s.exec(query)])

    def awaiting_shipment(self) -> list[ShippedDrive]:
        """Failed drives at the station (their cases were replaced) not yet in a shipment to Netac."""
        query = (
            select(Case, Replacement)
            .join(Replacement, col(Replacement.case_id) == col(Case.id))
            .where(col(Case.shipment_id).is_(None))
            .order_by(col(Replacement.recorded_at))
        )
        return self._read(
            "list the drives to send to Netac", lambda s: [_shipped(case, r) for case, r in s.exec(query)]
        )

    def shipments(self) -> list[ShipmentView]:
        """Every shipment, newest first."""
        return self._read(
            "list the shipments",
            lambda s: [
                _shipment_view(s, shipment)
                for shipment in s.exec(select(Shipment).order_by(col(Shipment.created_at).desc()))
            ],
        )

    def shipment(self, number: str) -> ShipmentView:
        def work(session: Session) -> ShipmentView:
            shipment = session.exec(select(Shipment).where(Shipment.number == number.strip().upper())).first()
            if shipment is None:
                raise StoreError(f"shipment {number}: no such shipment")
            return _shipment_view(session, shipment)

        return self._read("read the shipment", work)

    def report(self, since: date, until: date) -> StationFigures:
        """The station's figures for the cases opened on the days `since`..`until` (station time)."""
        if until < since:
            raise StoreError(f"report: --to {until.isoformat()} is before --from {since.isoformat()}")
        return self._read(
            "compute the station's figures", lambda s: station_figures(s.connection(), since, until, self.zone)
        )

    def verify_audit(self, anchors: tuple[str, ...] = ()) -> AuditReport:
        """The trail intact, bound to the records, and holding every anchor (`entry:hash`) given."""
        return self._read("verify the audit trail", lambda session: verify_chain(session, anchors))


def open_store(
    url: str,
    *,
    station_id: str,
    technician: str,
    read_only: bool = False,
    zone: tzinfo | None = None,
    replicated: bool = False,
) -> CaseStore:
    """Open (and create or upgrade) the case database at `url`.

    `read_only`: for commands that only read (listing, showing, exporting, verifying). A file
    the user may only read is then opened as it is, without an upgrade; one they may write is
    opened as for any other command. `replicated`: Litestream replicates the file and makes
    its checkpoints (db.connection.make_engine).
    """
    path = sqlite_path(url)
    if path is not None and path.exists():
        if path.is_file() and path.stat().st_size == 0:
            # A database file is never empty: this one was cut off. Taken as new, its case
            # numbers would start again at 000001 and collide with customers' tickets.
            raise StoreError(
                f"the case database {path} is empty (0 bytes): it is damaged, not new; restore the latest "
                "backup (the .bak files beside it), or remove the file to start a new database"
            )
        writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        if not writable and read_only:
            return _read_only_store(url, path, station_id=station_id, technician=technician, zone=zone)
        if not writable:
            raise StoreError(
                f"the case database {path} is read-only for {technician}: nothing could be saved; "
                "ask the station manager to fix its permissions (file and folder)"
            )
    # A new database holds customers' names and phones: only its owner reads it (0600; SQLite
    # gives its -wal and -shm files the same mode). A station's shared file is made by
    # deploy/setup-ssh-station.sh (0660, group technicians) and is left as it is.
    private = os.umask(0o077) if path is not None and not path.exists() else None
    try:
        engine = make_engine(url, replicated=replicated)
        upgrade(engine, url)
    except DBAPIError as exc:
        raise explain(exc, "open the case database") from None
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:  # a URL SQLAlchemy cannot use
        shown = url if len(url) <= 80 else url[:80] + "…"
        raise StoreError(
            f"the case database URL {shown!r} is not usable ({type(exc).__name__}): set "
            "[database] url or WORKBENCH_DATABASE_URL to e.g. sqlite:////var/lib/netac-workbench/cases.db"
        ) from None
    finally:
        if private is not None:
            os.umask(private)
    return CaseStore(engine, station_id=station_id, technician=technician, zone=zone)


def _read_only_store(url: str, path: Path, *, station_id: str, technician: str, zone: tzinfo | None) -> CaseStore:
    """A database the user may only read (an auditor's account): read as it is, never upgraded."""
    try:
        engine = make_engine(url, read_only=True)
        revision = current_revision(engine)
    except (DBAPIError, sqlite3.Error) as exc:
        raise explain(exc, "open the case database (read-only)") from None
    if revision != head_revision():
        raise StoreError(
            f"the case database {path} is at revision {revision} and this workbench reads "
            f"{head_revision()}: it needs an upgrade, which a read-only copy cannot take "
            "(open it once with write access, or read it with the workbench that wrote it)"
        )
    return CaseStore(engine, station_id=station_id, technician=technician, zone=zone)


class StationSettings(Protocol):
    """What the store needs of a station's configuration (workbench.config.StationConfig)."""

    @property
    def database_url(self) -> str: ...

    @property
    def station_id(self) -> str: ...

    @property
    def technician(self) -> str: ...

    @property
    def time_zone(self) -> tzinfo | None: ...

    @property
    def replicated(self) -> bool: ...


def open_station_store(config: StationSettings, *, read_only: bool = False) -> CaseStore:
    """The store a station's configuration names, for its login user."""
    return open_store(
        config.database_url,
        station_id=config.station_id,
        technician=config.technician,
        read_only=read_only,
        zone=config.time_zone,
        replicated=config.replicated,
    )


def _apply_fields(case: Case, fields: dict[str, Any]) -> None:
    case.fields = json.dumps(fields, sort_keys=True, default=str)
    case.serial = canonical_serial(str(fields.get("serial") or ""))
    case.customer_name = str(fields.get("customer_name") or "").strip()
    case.customer_key = case.customer_name.casefold()
    case.model = str(fields.get("model") or "").strip()


def _why(decision: DecisionRecord | None) -> str:
    if decision is None:
        return "no decision recorded"
    if decision.review_request:
        request = json.loads(decision.review_request)
        return f"{request.get('by')} asks for {request.get('verdict')}: {request.get('reason')}"
    codes = [r.get("code", "") for r in json.loads(decision.decision).get("reasons", [])]
    return f"{decision.verdict}: " + ", ".join(codes)


def _latest_decision(session: Session, case: Case) -> DecisionRecord | None:
    return session.exec(
        select(DecisionRecord).where(DecisionRecord.case_id == case.id).order_by(col(DecisionRecord.id).desc())
    ).first()


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


def _shipment_number(session: Session, case: Case) -> str | None:
    if case.shipment_id is None:
        return None
    shipment = session.get(Shipment, case.shipment_id)
    return shipment.number if shipment else None


def _shipped(case: Case, replacement: Replacement) -> ShippedDrive:
    return ShippedDrive(
        case.number, case.model, case.capacity_gb, case.serial, replacement.serial, case.reasons, case.decided_at
    )


def _shipment_view(session: Session, shipment: Shipment) -> ShipmentView:
    drives = session.exec(
        select(Case, Replacement)
        .join(Replacement, col(Replacement.case_id) == col(Case.id))
        .where(Case.shipment_id == shipment.id)
        .order_by(col(Case.number))
    )
    return ShipmentView(
        shipment.number,
        shipment.station,
        shipment.created_at,
        shipment.technician,
        shipment.reference,
        tuple(_shipped(case, r) for case, r in drives),
    )


def _summary(case: Case, *, replaced_by: str | None = None, shipment: str | None = None) -> CaseSummary:
    return CaseSummary(
        case.number,
        case.status,
        case.step,
        case.technician,
        case.created_at,
        case.updated_at,
        case.serial,
        case.customer_name,
        case.model,
        case.verdict,
        replaced_by,
        shipment,
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = ["CaseStore", "CaseSummary", "CaseView", "StoreError", "open_store", "open_station_store", "STATUSES"]
