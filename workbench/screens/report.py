"""The station's figures over a period: what the manager sends Netac each month."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, Label, Static

from workbench.door import counter_date
from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.base import WorkbenchScreen
from workbench.screens.footer import KeysFooter
from workbench.words.language import _, shown_date, spoken

if TYPE_CHECKING:
    from workbench.door.case_flow import StationFigures


class ReportScreen(WorkbenchScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("ctrl+r", "report", "Compute")]

    def compose(self) -> ComposeResult:
        today = counter_date.today()
        yield Header()
        with Horizontal(classes="row"):
            yield Label(_("From"), classes="field-label", markup=False)
            yield Input(today.replace(day=1).isoformat(), id="report-from", max_length=10)
            yield Label(_("To"), classes="field-label", markup=False)
            yield Input(today.isoformat(), id="report-to", max_length=10)
        with VerticalScroll(id="report-body"):
            yield Static("", id="report", markup=False)
        yield Static(
            _("Enter computes. For Netac: workbench report --from DAY --to DAY --format csv"),
            classes="note",
            markup=False,
        )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.action_report()

    @on(Input.Submitted)
    def action_report(self) -> None:
        days = []
        for field_id, not_a_day in (
            ("#report-from", _("from: {text} is not a day (YYYY-MM-DD)")),
            ("#report-to", _("to: {text} is not a day (YYYY-MM-DD)")),
        ):
            text = self.query_one(field_id, Input).value.strip()
            try:
                days.append(date.fromisoformat(text))
            except ValueError:
                self.query_one("#report", Static).update(not_a_day.format(text=repr(text)))
                return
        since, until = days
        if since > until:
            self.query_one("#report", Static).update(
                _("from: {since} is after to {until}").format(since=shown_date(since), until=shown_date(until))
            )
            return
        self.query_one("#report", Static).update(_("Computing…"))
        self._compute(since, until)

    @work(thread=True, exclusive=True, group="report")
    def _compute(self, since: date, until: date) -> None:
        try:
            figures = self.station.report(since, until)
        except ONE_LINE_ERRORS as exc:
            problem = spoken(exc)
            self.app.call_from_thread(self.query_one("#report", Static).update, problem)
            return
        self.app.call_from_thread(self._shown, figures)

    def _shown(self, figures: StationFigures) -> None:
        from workbench.words.station_text import report_lines

        self.query_one("#report", Static).update("\n".join(report_lines(figures)))
