"""After the decision: repair, replacement, hand-back, shipments."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from db import clock
from db.errors import StoreError
from db.lifecycle import code_named, move_problem
from db.models import (
    Case,
    HandBack,
    Replacement,
    Shipment,
    row_id,
)
from db.records import Records
from db.views import CaseSummary, ShipmentView, ShippedDrive, summary_of
from policy.message import Message
from policy.serials import canonical_serial


class AfterDecisionRecords(Records):
    """After the decision: repair or stock, replacement, hand-back, shipments to Netac."""

    def move(self, number: str, target: str, note: str = "") -> None:
        """A plain change of state (db.lifecycle.MOVES), audited with the note."""

        def work(session: Session) -> None:
            case = self._case(session, number)
            problem = move_problem(case.status, target, case.verdict)
            if problem:
                raise StoreError(Message("case {number}: {problem}", number=number, problem=problem))
            before, case.status = case.status, target
            self._touch(case, session)
            self._audit(session, number, "state_changed", {"from": before, "to": target, "note": note})

        self._write(Message("mark the case {state}", state=code_named(target)), work)

    def record_replacement(
        self, number: str, serial: str, model: str, capacity_gb: int, substitution_reason: str | None = None
    ) -> None:
        """The drive the customer of a covered case receives (serial as scanned); the failed
        drive's serial is known as replaced from now on. `substitution_reason`: another model or
        capacity than the claimed one, allowed by this store's user (the caller has checked they
        are a supervisor). The case is then ready for pickup."""
        serial = canonical_serial(serial)
        if not serial:
            raise StoreError(Message("replacement serial: scan the replacement drive's serial"))

        def work(session: Session) -> None:
            case = self._case(session, number)
            if case.verdict != "covered" or case.status not in ("decided", "awaiting_repair", "awaiting_stock"):
                raise StoreError(
                    Message(
                        "case {number}: only a covered case waiting for service gets a replacement "
                        "(it is {state}, {verdict})",
                        number=number,
                        state=code_named(case.status),
                        verdict=code_named(case.verdict),
                    )
                )
            if serial == case.serial:
                raise StoreError(
                    Message("replacement serial: {serial} is the failed drive's own serial", serial=serial)
                )
            given = session.exec(select(Replacement).where(Replacement.serial == serial)).first()
            if given is not None:
                other = session.get(Case, given.case_id)
                raise StoreError(
                    Message(
                        "replacement serial: {serial} already went out as the replacement of case {number}",
                        serial=serial,
                        number=other.number if other else str(given.case_id),
                    )
                )
            claimed = session.exec(select(Case).where(Case.serial == serial).limit(1)).first()
            if claimed is not None:
                raise StoreError(
                    Message(
                        "replacement serial: {serial} is a claimed drive (case {number}), not new stock",
                        serial=serial,
                        number=claimed.number,
                    )
                )
            reason = (substitution_reason or "").strip() or None
            replacement = Replacement(
                case_id=row_id(case),
                original_serial=case.serial,
                serial=serial,
                model=model.strip(),
                capacity_gb=capacity_gb,
                recorded_at=clock.utcnow(),
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

        self._write(Message("record the replacement"), work)

    def record_hand_back(
        self,
        number: str,
        collected_by: str,
        id_checked: bool,
        drive_serial: str = "",
        *,
        by_ticket: bool = False,
        id_check_reason: str = "",
    ) -> None:
        """The customer collected: who, whether their ID was checked (and if not, why), and which
        drive went out (for a replaced drive, the replacement's serial as scanned; otherwise their
        own drive). A refusal names what was scanned, never the serial expected."""
        collected_by, reason = collected_by.strip(), id_check_reason.strip()
        if not collected_by:
            raise StoreError(Message("collected by: name who collected the drive"))
        if not id_checked and not reason:
            raise StoreError(Message("ID check reason: say why the collector's identity document was not checked"))

        def work(session: Session) -> None:
            case = self._case(session, number)
            if case.status != "ready":
                raise StoreError(
                    Message(
                        "case {number}: only a case ready for pickup is handed back (it is {state})",
                        number=number,
                        state=code_named(case.status),
                    )
                )
            replacement = session.exec(select(Replacement).where(Replacement.case_id == case.id)).first()
            expected = replacement.serial if replacement else case.serial
            going = canonical_serial(drive_serial) or (expected if replacement is None else "")
            if replacement is not None and not going:
                raise StoreError(Message("drive out: scan the serial label of the replacement drive going out"))
            if going != expected:
                raise StoreError(
                    Message(
                        "drive out: the scanned drive {serial} is not the one of case {number}: "
                        "find the case's drive and scan its serial label",
                        serial=going,
                        number=number,
                    )
                )
            now = clock.utcnow()
            session.add(
                HandBack(
                    case_id=row_id(case),
                    at=now,
                    technician=self.technician,
                    collected_by=collected_by,
                    id_checked=id_checked,
                    id_check_reason=None if id_checked else reason,
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
                {
                    "collected_by": collected_by,
                    "id_checked": id_checked,
                    "id_check_reason": None if id_checked else reason,
                    "drive": going,
                    "by_ticket": by_ticket,
                },
            )

        self._write(Message("record the hand-back"), work)

    def create_shipment(self, numbers: Sequence[str], reference: str = "") -> str:
        """A parcel of failed drives to Netac: the drives of replaced cases not yet sent.
        Returns the shipment's number (station, year, sequence)."""
        if not numbers:
            raise StoreError(Message("shipment: name the cases whose failed drives go in the parcel"))

        def work(session: Session) -> str:
            cases = [self._case(session, number) for number in dict.fromkeys(numbers)]
            for case in cases:
                replaced = session.exec(select(Replacement).where(Replacement.case_id == case.id)).first()
                if replaced is None:
                    raise StoreError(
                        Message(
                            "case {number}: its drive was not replaced, so it is not at the station", number=case.number
                        )
                    )
                if case.shipment_id is not None:
                    shipped = session.get(Shipment, case.shipment_id)
                    raise StoreError(
                        Message(
                            "case {number}: its failed drive is already in shipment {shipment}",
                            number=case.number,
                            shipment=shipped.number if shipped else "",
                        )
                    )
            now = clock.utcnow()
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

        return self._write(Message("record the shipment"), work)

    def after_decision(self) -> list[CaseSummary]:
        """Cases decided and not yet handed back: the counter's open work, the oldest first."""
        query = (
            select(Case)
            .where(col(Case.status).in_(("decided", "awaiting_repair", "awaiting_stock", "ready")))
            .order_by(col(Case.updated_at))
        )
        return self._read(
            Message("list the cases after their decision"), lambda s: [summary_of(c) for c in s.exec(query)]
        )

    def awaiting_shipment(self) -> list[ShippedDrive]:
        """Failed drives at the station (their cases were replaced) not yet in a shipment to Netac."""
        query = (
            select(Case, Replacement)
            .join(Replacement, col(Replacement.case_id) == col(Case.id))
            .where(col(Case.shipment_id).is_(None))
            .order_by(col(Replacement.recorded_at))
        )
        return self._read(
            Message("list the drives to send to Netac"), lambda s: [shipped_drive(case, r) for case, r in s.exec(query)]
        )

    def shipments(self) -> list[ShipmentView]:
        """Every shipment, newest first."""
        return self._read(
            Message("list the shipments"),
            lambda s: [
                shipment_view(s, shipment)
                for shipment in s.exec(select(Shipment).order_by(col(Shipment.created_at).desc()))
            ],
        )

    def shipment(self, number: str) -> ShipmentView:
        def work(session: Session) -> ShipmentView:
            shipment = session.exec(select(Shipment).where(Shipment.number == number.strip().upper())).first()
            if shipment is None:
                raise StoreError(Message("shipment {number}: no such shipment", number=number))
            return shipment_view(session, shipment)

        return self._read(Message("read the shipment"), work)


def shipped_drive(case: Case, replacement: Replacement) -> ShippedDrive:
    return ShippedDrive(
        case.number, case.model, case.capacity_gb, case.serial, replacement.serial, case.reasons, case.decided_at
    )


def shipment_view(session: Session, shipment: Shipment) -> ShipmentView:
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
        tuple(shipped_drive(case, r) for case, r in drives),
    )
