"""The station's figures over a period: what the manager sends Netac each month."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Static

from workbench.door import counter_date
from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.base import WorkbenchScreen

if TYPE_CHECKING:
    from workbench.door.case_flow import StationFigures


class ReportScreen(WorkbenchScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("ctrl+r", "report", "Compute")]

    def compose(self) -> ComposeResult:
        today = counter_date.today()
        yield Header()
        with Horizontal(classes="row"):
            yield Label("From", classes="field-label", markup=False)
            yield Input(today.replace(day=1).isoformat(), id="report-from", max_length=10)
            yield Label("To", classes="field-label", markup=False)
            yield Input(today.isoformat(), id="report-to", max_length=10)
        with VerticalScroll(id="report-body"):
            yield Static("", id="report", markup=False)
        yield Static(
            "Enter computes. For Netac: workbench report --from DAY --to DAY --format csv",
            classes="note",
            markup=False,
        )
        yield Footer()

    def on_mount(self) -> None:
        self.action_report()

    @on(Input.Submitted)
    def action_report(self) -> None:
        days = []
        for field_id, name in (("#report-from", "from"), ("#report-to", "to")):
            text = self.query_one(field_id, Input).value.strip()
            try:
                days.append(date.fromisoformat(text))
            except ValueError:
                self.query_one("#report", Static).update(f"{name}: {text!r} is not a day (YYYY-MM-DD)")
                return
        since, until = days
        if since > until:
            self.query_one("#report", Static).update(f"from: {since} is after to {until}")
            return
        self.query_one("#report", Static).update("Computing…")
        self._compute(since, until)

    @work(thread=True, exclusive=True, group="report")
    def _compute(self, since: date, until: date) -> None:
        try:
            figures = self.station.report(since, until)
        except ONE_LINE_ERRORS as exc:
            self.app.call_from_thread(self.query_one("#report", Static).update, str(exc))
            return
        self.app.call_from_thread(self._shown, figures)

    def _shown(self, figures: StationFigures) -> None:
        from workbench.words.station_text import report_lines

        self.query_one("#report", Static).update("\n".join(report_lines(figures)))
