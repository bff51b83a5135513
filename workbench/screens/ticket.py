"""Step 6, ticket: sign and record it, show the QR, send it to the printer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.step import StepScreen
from workbench.words.language import _, say, spoken
from workbench.words.vocabulary import state_words

if TYPE_CHECKING:
    from workbench.door.case_flow import TicketOutcome


class TicketScreen(StepScreen):
    STEP = "ticket"
    BINDINGS = [
        Binding("ctrl+n", "next", "Finish case"),
        Binding("p", "reprint", "Print again"),
        Binding("v", "show_qr", "QR on screen"),
    ]

    def body(self) -> ComposeResult:
        yield Static(_("Signing and printing the ticket…"), id="print-status", markup=False)
        yield Static("", id="ticket-words", markup=False)

    def on_mount(self) -> None:
        self._printing = False
        self._qr_text: str | None = None
        self._print()

    def busy(self) -> bool:
        return self._printing

    def action_reprint(self) -> None:
        if not self._printing:
            self._print()

    def _print(self) -> None:
        self._printing = True
        self.query_one("#print-status", Static).update(_("Printing…"))
        self._print_worker()

    @work(thread=True, exclusive=True, group="ticket")
    def _print_worker(self) -> None:
        try:
            outcome = self.flow.print_ticket()  # issues the ticket first when there is none
        except ONE_LINE_ERRORS as exc:
            self.app.call_from_thread(self._failed, spoken(exc))
            return
        self.app.call_from_thread(self._done, outcome)

    def _failed(self, message: str) -> None:
        self._printing = False
        self.query_one("#print-status", Static).update(_("No ticket: {problem}").format(problem=message))

    def _done(self, outcome: TicketOutcome) -> None:
        self._printing = False
        self._qr_text = outcome.qr_text
        if outcome.printed:
            status = _(
                "Printed: {outcome}. p prints again; v shows the QR to scan from the screen; Ctrl+N finishes the case."
            )
        else:
            status = _(
                "NOT printed: {outcome}. p prints again; v shows the QR to scan from the screen; "
                "Ctrl+N finishes the case."
            )
        self.query_one("#print-status", Static).update(status.format(outcome=say(outcome.message)))
        self.query_one("#ticket-words", Static).update("\n".join(outcome.content.lines))

    def action_show_qr(self) -> None:
        from workbench.screens.ticket_qr import TicketQrScreen

        if self._qr_text is not None and self.flow.number is not None:
            self.app.push_screen(TicketQrScreen(self.flow.number, self._qr_text))

    def action_next(self) -> None:
        if self._printing or self._leaving:
            return

        def give() -> Callable[[], None]:
            state = self.flow.ticket_given()
            return lambda: self._given(state)

        self._leaving = True
        self._write(give, "")

    def _given(self, state: str) -> None:
        words = _(state_words(state, "covered"))
        self.workbench.finish_claim(_("Case {number}: {state}.").format(number=self.flow.number, state=words))

    def action_back(self) -> None:
        # A decided case is not re-decided by going back: the ticket is issued already. Leaving
        # without giving it asks first: the case then waits on the home screen as decided.
        from workbench.screens.leave_ticket import LeaveTicketDialog

        if self._printing or self._leaving:
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.workbench.finish_claim()

        self.app.push_screen(LeaveTicketDialog(self.flow.number or ""), answered)
