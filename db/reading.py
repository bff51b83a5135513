"""Reading the case records (frozen views, never live ORM objects)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, col, select

from db.audit import AuditReport, verify_chain
from db.connection import explain
from db.errors import StoreError
from db.listing import CaseFilter
from db.models import (
    AuditEntry,
    Case,
    CounterfeitFinding,
    DecisionRecord,
    DiagnosisTest,
    HandBack,
    InspectionItem,
    Replacement,
    SmartSnapshot,
    Ticket,
    row_id,
)
from db.records import Records, shipment_number
from db.report import StationFigures, station_figures
from db.views import (
    AuditView,
    CaseSummary,
    CaseView,
    DecisionView,
    DiagnosisTestView,
    FindingView,
    HandBackView,
    InspectionView,
    ReplacementView,
    SnapshotView,
    TicketView,
    summary_of,
)
from policy.message import Message
from policy.serials import canonical_serial


class CaseReading(Records):
    """Reading the records: a case whole, listings, search, a serial's history, the station's figures."""

    LISTING_CHUNK = 1000  # the rows a listing fetches at a time

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
                summary=summary_of(case),
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
                    FindingView(
                        f.check, f.severity, f.message, json.loads(f.evidence), f.confirmed, f.batch, json.loads(f.said)
                    )
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
                        HandBackView(
                            h.at,
                            h.technician,
                            h.collected_by,
                            h.id_checked,
                            h.drive_serial,
                            h.by_ticket,
                            h.id_check_reason,
                        )
                        for h in rows(HandBack, HandBack.id)
                    ),
                    None,
                ),
                shipment=shipment_number(session, case),
            )

        return self._read(Message("read the case"), work)

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
        return self._read(Message("list the cases"), lambda s: list(self._listed(s, which, limit, self.LISTING_CHUNK)))

    def stream_cases(
        self, which: CaseFilter, *, limit: int | None = None, chunk: int = LISTING_CHUNK
    ) -> Iterator[CaseSummary]:
        """list_cases for any number of cases: each is read as it is taken, in one read
        transaction (the cases are the database as it stood when the first was read)."""
        with Session(self._reader) as session:
            try:
                yield from self._listed(session, which, limit, chunk)
            except DatabaseError as exc:
                raise explain(exc, Message("list the cases")) from None

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
        return self._read(Message("count the cases"), lambda s: s.exec(query).one())

    def list_drafts(self, technician: str | None = None) -> list[CaseSummary]:
        """Interrupted cases to resume, the most recently touched first."""
        query = select(Case).where(Case.status == "draft")
        if technician:
            query = query.where(Case.technician == technician)
        query = query.order_by(col(Case.updated_at).desc())
        return self._read(Message("list the drafts"), lambda s: [summary_of(c) for c in s.exec(query)])

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
            return [summary_of(c) for c in ordered[:limit]]

        return self._read(Message("search the cases"), work)

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
                summary_of(c, replaced_by=replaced.get(row_id(c)), shipment=shipment_number(session, c)) for c in cases
            ]

        return self._read(Message("read the serial's history"), work)

    def prior_claims(self, serial: str, exclude: str | None = None) -> list[CaseSummary]:
        return [c for c in self.history(serial) if c.number != exclude] if serial else []

    def report(self, since: date, until: date) -> StationFigures:
        """The station's figures for the cases opened on the days `since`..`until` (station time)."""
        if until < since:
            raise StoreError(
                Message(
                    "report: --to {until} is before --from {since}", until=until.isoformat(), since=since.isoformat()
                )
            )
        return self._read(
            Message("compute the station's figures"), lambda s: station_figures(s.connection(), since, until, self.zone)
        )

    def verify_audit(self, anchors: tuple[str, ...] = ()) -> AuditReport:
        """The trail intact, bound to the records, and holding every anchor (`entry:hash`) given."""
        return self._read(Message("verify the audit trail"), lambda session: verify_chain(session, anchors))
