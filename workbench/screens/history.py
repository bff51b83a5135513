"""A case's full history: the claim, the evidence, the decisions, the tickets, the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.base import WorkbenchScreen
from workbench.screens.footer import KeysFooter
from workbench.words.case_text import case_lines
from workbench.words.language import _, say, spoken

if TYPE_CHECKING:
    from workbench.door.case_flow import CaseView


class HistoryScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "resume", "Resume"),  # short: the five keys fit 80 columns whole
        Binding("p", "reprint", "Print ticket"),
        Binding("v", "show_qr", "Ticket QR"),
        Binding("c", "counter", "At the counter"),
    ]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("", id="history", markup=False)
        yield KeysFooter()

    view: CaseView | None = None

    def on_mount(self) -> None:
        self._show()

    @work(thread=True, exclusive=True, group="history")
    def _show(self) -> None:
        try:
            view = self.station.case(self.number)
        except ONE_LINE_ERRORS as exc:
            problem = spoken(exc)
            self.app.call_from_thread(self.query_one("#history", Static).update, problem)
            return
        self.app.call_from_thread(self._shown, view)

    def _shown(self, view: CaseView) -> None:
        self.view = view
        self.query_one("#history", Static).update("\n".join(case_lines(view)))

    def action_resume(self) -> None:
        if self.view is not None and self.view.summary.status == "draft":
            self.app.pop_screen()
            self.workbench.resume_claim(self.number)
        else:
            self.notify(_("Only a draft can be resumed."), markup=False)

    def action_counter(self) -> None:
        """A decided case goes on where the counter left it: repair, replacement, hand-back."""
        if self.view is None or self.view.summary.status in ("draft", "review", "withdrawn"):
            self.notify(_("Only a decided case goes on at the counter."), markup=False)
            return
        self.workbench.show_case(self.number)

    def action_reprint(self) -> None:
        if self.view is None or self.view.decision is None:
            self.notify(_("This case is not decided: no ticket yet."), markup=False)
            return
        self.notify(_("Printing…"), markup=False)
        self._reprint()

    def action_show_qr(self) -> None:
        from workbench.screens.ticket_qr import TicketQrScreen

        if self.view is None or not self.view.tickets:
            self.notify(_("This case has no ticket yet."), markup=False)
            return
        self.app.push_screen(TicketQrScreen(self.number, self.view.tickets[-1].payload))

    @work(thread=True, exclusive=True, group="ticket")
    def _reprint(self) -> None:
        # A printer may take up to lp's timeout to answer: never on the UI thread.
        try:
            outcome = self.station.reprint(self.number)
        except ONE_LINE_ERRORS as exc:
            problem = spoken(exc)
            self.app.call_from_thread(self.notify, problem, severity="error", markup=False)
            return
        self.app.call_from_thread(
            self.notify, say(outcome.message), severity="information" if outcome.printed else "warning", markup=False
        )
        self.app.call_from_thread(self._show)
