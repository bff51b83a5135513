"""A supervisor's review of a case in the queue: the reasons and the evidence, then the verdict."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from workbench.door.case_flow import REVIEW_VERDICTS, Override
from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.base import WorkbenchScreen
from workbench.screens.footer import KeysFooter
from workbench.screens.verdict import VerdictDialog
from workbench.words.case_text import case_lines, why_it_waits
from workbench.words.language import _, spoken


class ReviewScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("v", "verdict", "Record verdict"),
    ]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            _(
                "Review of case {number}: read the reasons and the evidence, then v records "
                "your verdict with its reason."
            ).format(number=self.number),
            classes="note",
            markup=False,
        )
        with VerticalScroll():
            yield Static(_("Reading the case…"), id="review-case", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, group="review")
    def _read(self) -> None:
        try:
            view = self.station.case(self.number)
            text = "\n".join(why_it_waits(view) + ["", _("The whole record:")] + case_lines(view))
        except ONE_LINE_ERRORS as exc:
            text = spoken(exc)
        self.app.call_from_thread(self.query_one("#review-case", Static).update, text)

    def action_verdict(self) -> None:
        self.app.push_screen(
            VerdictDialog(
                _("Verdict on case {number}").format(number=self.number),
                _(
                    "Recorded as {technician}'s; the engine's verdict "
                    "stays beside it. The case then goes on to its ticket."
                ).format(technician=self.station.technician),
                REVIEW_VERDICTS,
            ),
            self._decided,
        )

    def _decided(self, verdict: Override | None) -> None:
        if verdict is not None:
            self._resolve(verdict)

    @work(thread=True, exclusive=True, group="review")
    def _resolve(self, verdict: Override) -> None:
        try:
            self.station.resolve_review(self.number, verdict.verdict, verdict.reason)
        except ONE_LINE_ERRORS as exc:
            problem = spoken(exc)
            self.app.call_from_thread(self.notify, problem, severity="error", markup=False, timeout=15)
            return
        self.app.call_from_thread(self._to_ticket)

    def _to_ticket(self) -> None:
        self.app.pop_screen()
        self.workbench.resume_claim(self.number)  # at its ticket step: signed and printed there
