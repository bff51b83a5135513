"""Step 5, decision: what policy.assess says, with its clauses; a supervisor may change the verdict,
a technician may ask a supervisor to (the review queue)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from workbench.door.case_flow import ClaimInputError, Override
from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.step import StepScreen
from workbench.screens.tbw import TbwGauge
from workbench.screens.verdict import VerdictDialog
from workbench.words.text import plain
from workbench.words.vocabulary import VERDICT_WORDS, VERDICTS

if TYPE_CHECKING:
    from workbench.door.case_flow import Decision
    from workbench.screens.figure import EnteredFigure


class DecisionScreen(StepScreen):
    STEP = "decision"
    BINDINGS = [Binding("o", "change_verdict", "Change verdict"), Binding("f", "enter_figure", "Enter figure")]

    def body(self) -> ComposeResult:
        yield Static("", id="verdict", markup=False)
        yield Static("", id="warranty", markup=False)
        yield TbwGauge(id="tbw")
        table: DataTable[Any] = DataTable(id="reasons", cursor_type="row", zebra_stripes=True)
        # Each reason's words and its clause side by side within 80 columns, wrapped.
        table.add_column("Why", width=46)
        table.add_column("Policy clause", width=24)
        yield table
        yield Static("", id="override", markup=False)
        yield Static("", id="missing-figure", classes="note", markup=False)

    def on_mount(self) -> None:
        self.override: Override | None = None  # a supervisor's own change of the verdict
        self.request: Override | None = None  # a technician's request for one
        self._decide()

    def _decide(self) -> None:
        missing = self.flow.missing_figures()
        self.query_one("#missing-figure", Static).update(
            f"No sourced {' or '.join(missing)} for this product in the policy: "
            + ("f enters Netac's figures." if self.station.is_supervisor else "a supervisor enters them (f).")
            if missing
            else ""
        )
        try:
            self.decision: Decision | None = self.flow.decide()
        except ClaimInputError as exc:
            self.decision = None
            self.query_one("#verdict", Static).update(
                f"The claim cannot be decided: {exc}. Press Escape to go back and correct it."
            )
            return
        d = self.decision
        self.query_one("#verdict", Static).update(Text(VERDICT_WORDS[d.verdict], style="bold"))
        w = d.warranty
        period = (
            f"{w.years} years from the {w.basis} date {w.start}, last day {w.last_day}"
            if w.last_day
            else f"start {w.start or 'unknown'} ({w.basis or 'no date'}); period not in the catalog"
        )
        self.query_one("#warranty", Static).update(f"Warranty: {period}. Policy {d.policy_id}.")
        self.query_one(TbwGauge).show(d.tbw, "no limit in the catalog, or SMART unread")
        table = self.query_one("#reasons", DataTable)
        table.clear()
        for reason in d.reasons:
            table.add_row(
                plain(reason.text),
                _clause(reason.clause.ref if reason.clause else "product catalog", reason.code),
                height=None,
            )
        if not d.reasons:
            table.add_row(
                plain("Within the warranty period and the TBW limit; no exclusion found."),
                _clause(self.station.clause_ref("warranty_service"), "covered"),
                height=None,
            )

    def action_enter_figure(self) -> None:
        from workbench.screens.figure import FigureDialog

        missing, product = self.flow.missing_figures(), self.flow.product
        if not missing or product is None:
            self.notify("The policy has this product's figures with their sources.", markup=False)
            return
        if not self.station.is_supervisor:
            self.notify(
                f"Entering a figure into the station's policy is a supervisor's action; you are "
                f"{self.station.technician}.",
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(FigureDialog(f"{product.line} {product.capacity_gb} GB", missing), self._figure_entered)

    def _figure_entered(self, entered: EnteredFigure | None) -> None:
        if entered is not None:
            self._write_figure(entered)

    @work(thread=True, exclusive=True, group="write")
    def _write_figure(self, entered: EnteredFigure) -> None:
        # Writes the station's policy copy and the audit trail, then reads it back: off the UI thread.
        try:
            changes = self.flow.enter_figure(entered.tbw_tb, entered.warranty_years, entered.source)
            self.flow.decide()  # reads the new copy here, not on the UI thread
        except ONE_LINE_ERRORS as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._decided_again, changes)

    def _decided_again(self, changes: list[str]) -> None:
        self.notify(
            "Station policy changed: " + "; ".join(changes) + ". The claim is decided again.", markup=False, timeout=10
        )
        self._decide()

    def action_change_verdict(self) -> None:
        if self.decision is None:
            return
        others = tuple(v for v in VERDICTS if v != self.decision.verdict)
        if self.station.is_supervisor:
            dialog = VerdictDialog(
                f"Override as supervisor {self.station.technician}",
                "The engine's verdict stays recorded beside yours.",
                others,
            )
        else:
            dialog = VerdictDialog(
                "Ask a supervisor to change the verdict",
                f"You are {self.station.technician}, not a supervisor: the case goes to the "
                "supervisors' review queue with your reason.",
                others,
            )
        self.app.push_screen(dialog, self._changed)

    def _changed(self, change: Override | None) -> None:
        if change is None:
            return
        if self.station.is_supervisor:
            self.override, self.request = change, None
            text = f"Override by you ({self.station.technician}): {change.verdict} — {change.reason}"
        else:
            self.override, self.request = None, change
            text = (
                f"Review requested: {change.verdict} — {change.reason}. Ctrl+N sends the case to the "
                "supervisors' queue."
            )
        self.query_one("#override", Static).update(text)

    def leave(self) -> Callable[[], bool] | None:
        decision, override, request = self.decision, self.override, self.request
        if decision is None:
            self.problem("The claim cannot be decided yet: go back (Escape) and correct it.")
            return None
        return lambda: self.flow.record_decision(decision, override, request)

    def waits(self) -> None:
        # Waiting for a supervisor: no ticket before their verdict.
        self.notify(
            f"Case {self.flow.number} is in the supervisors' review queue; it goes on to its ticket "
            "when a supervisor records the verdict.",
            markup=False,
            timeout=10,
        )
        super().waits()


def _clause(ref: str, code: str) -> Text:
    """The clause as the policy page names it, then the reason's code (what `assess` reports)."""
    text = plain(ref)
    text.append(f"\n{code}", style="dim")
    return text
