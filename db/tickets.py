"""Tickets."""

from __future__ import annotations

from sqlmodel import Session

from db import clock
from db.errors import StoreError
from db.lifecycle import code_named
from db.models import (
    Case,
    Ticket,
    row_id,
)
from db.records import Records, sha256_hex
from policy.message import Message

TICKET_STATUSES = ("queued", "printed", "failed")


class TicketRecords(Records):
    """The customer's tickets: issued, printed, given."""

    def add_ticket(self, number: str, payload: str, printer: str) -> int:
        def work(session: Session) -> int:
            case = self._case(session, number)
            ticket = Ticket(
                case_id=row_id(case), created_at=clock.utcnow(), payload=payload, printer=printer, status="queued"
            )
            session.add(ticket)
            session.flush()
            self._touch(case, session)
            self._audit(
                session,
                number,
                "ticket_issued",
                {"ticket": ticket.id, "printer": printer, "payload_sha256": sha256_hex(payload.encode())},
            )
            return row_id(ticket)

        return self._write(Message("issue the ticket"), work)

    def mark_ticket(self, ticket_id: int, status: str, error: str | None = None) -> None:
        """One print attempt's outcome: printed, failed (stays in the queue) or queued."""
        if status not in TICKET_STATUSES:
            raise StoreError(
                Message(
                    "ticket status: {status} is not one of {statuses}",
                    status=repr(status),
                    statuses=", ".join(TICKET_STATUSES),
                )
            )

        def work(session: Session) -> None:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise StoreError(Message("ticket {ticket}: no such ticket", ticket=ticket_id))
            case = session.get(Case, ticket.case_id)
            if case is None:
                raise StoreError(Message("ticket {ticket}: its case is missing from the records", ticket=ticket_id))
            if status != "queued":
                ticket.attempts += 1
            ticket.status = status
            ticket.last_error = error
            if status == "printed":
                ticket.printed_at = clock.utcnow()
            session.add(ticket)
            self._touch(case, session)
            self._audit(
                session,
                case.number,
                f"ticket_{status}",
                {"ticket": ticket_id, "printer": ticket.printer, "attempt": ticket.attempts, "error": error},
            )

        self._write(Message("record the print"), work)

    def ticket_given(self, number: str) -> str:
        """The decided case's ticket is in the customer's hands: a not covered or refused drive
        is ready for pickup; a covered one waits for the choice of repair or replacement.
        Returns the case's state."""

        def work(session: Session) -> str:
            case = self._case(session, number)
            if case.status != "decided":
                raise StoreError(
                    Message(
                        "case {number}: only a decided case's ticket is given (it is {state})",
                        number=number,
                        state=code_named(case.status),
                    )
                )
            if case.verdict != "covered":
                case.status = "ready"
            self._touch(case, session)
            self._audit(session, number, "ticket_given", {"state": case.status})
            return case.status

        return self._write(Message("record the ticket as given"), work)
