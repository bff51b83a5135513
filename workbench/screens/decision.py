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
from workbench.screens.widgets import listed, words
from workbench.words.language import N_, _, shown_date, spoken
from workbench.words.text import plain
from workbench.words.vocabulary import VERDICT_WORDS, VERDICTS, code_words

if TYPE_CHECKING:
    from workbench.door.case_flow import Decision
    from workbench.screens.figure import EnteredFigure


# The warranty period by what started it (policy's Warranty.basis), and the basis in a word.
PERIODS = {
    "purchase": N_("{years} years from the purchase date {start}, last day {last_day}"),
    "manufacture": N_("{years} years from the manufacture date {start}, last day {last_day}"),
}
PERIOD = N_("{years} years from the {basis} date {start}, last day {last_day}")
BASES = {"purchase": N_("purchase"), "manufacture": N_("manufacture")}


class DecisionScreen(StepScreen):
    STEP = "decision"
    BINDINGS = [Binding("o", "change_verdict", "Change verdict"), Binding("f", "enter_figure", "Enter figure")]

    def body(self) -> ComposeResult:
        yield Static("", id="verdict", markup=False)
        yield Static("", id="warranty", markup=False)
        yield TbwGauge(id="tbw")
        table: DataTable[Any] = DataTable(id="reasons", cursor_type="row", zebra_stripes=True)
        # Each reason's words and its clause side by side within 80 columns, wrapped.
        table.add_column(_("Why"), width=46)
        table.add_column(_("Policy clause"), width=24)
        yield table
        yield Static("", id="override", markup=False)
        yield Static("", id="missing-figure", classes="note", markup=False)

    def on_mount(self) -> None:
        self.override: Override | None = None  # a supervisor's own change of the verdict
        self.request: Override | None = None  # a technician's request for one
        self._decide()

    def _decide(self) -> None:
        missing = self.flow.missing_figures()
        figures = listed(missing, _("{first} or {second}"))
        self.query_one("#missing-figure", Static).update(
            (
                _("No sourced {figures} for this product in the policy: f enters Netac's figures.")
                if self.station.is_supervisor
                else _("No sourced {figures} for this product in the policy: a supervisor enters them (f).")
            ).format(figures=figures)
            if missing
            else ""
        )
        try:
            self.decision: Decision | None = self.flow.decide()
        except ClaimInputError as exc:
            self.decision = None
            self.query_one("#verdict", Static).update(
                _("The claim cannot be decided: {problem}. Press Escape to go back and correct it.").format(
                    problem=spoken(exc)
                )
            )
            return
        d = self.decision
        self.query_one("#verdict", Static).update(Text(_(VERDICT_WORDS[d.verdict]), style="bold"))
        w = d.warranty
        if w.last_day:
            period = _(PERIODS.get(w.basis or "", PERIOD))
        else:
            period = _("start {start} ({basis}); period not in the catalog")
        period = period.format(
            years=w.years,
            basis=_(BASES[w.basis]) if w.basis in BASES else w.basis or _("no date"),
            start=shown_date(w.start) if w.start else _("unknown"),
            last_day=shown_date(w.last_day),
        )
        self.query_one("#warranty", Static).update(
            _("Warranty: {period}. Policy {policy}.").format(period=period, policy=d.policy_id)
        )
        self.query_one(TbwGauge).show(d.tbw, _("no limit in the catalog, or SMART unread"))
        table = self.query_one("#reasons", DataTable)
        table.clear()
        for reason in d.reasons:
            table.add_row(
                plain(words(reason.text)),
                _clause(reason.clause.ref if reason.clause else _("product catalog"), reason.code),
                height=None,
            )
        if not d.reasons:
            table.add_row(
                plain(_("Within the warranty period and the TBW limit; no exclusion found.")),
                _clause(self.station.clause_ref("warranty_service"), "covered"),
                height=None,
            )

    def action_enter_figure(self) -> None:
        from workbench.screens.figure import FigureDialog

        missing, product = self.flow.missing_figures(), self.flow.product
        if not missing or product is None:
            self.notify(_("The policy has this product's figures with their sources."), markup=False)
            return
        if not self.station.is_supervisor:
            self.notify(
                _("Entering a figure into the station's policy is a supervisor's action; you are {login}.").format(
                    login=self.station.technician
                ),
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
            self.app.call_from_thread(self.notify, spoken(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._decided_again, changes)

    def _decided_again(self, changes: list[str]) -> None:
        self.notify(
            _("Station policy changed: {changes}. The claim is decided again.").format(
                changes=listed(changes, _("{first}; {second}"))
            ),
            markup=False,
            timeout=10,
        )
        self._decide()

    def action_change_verdict(self) -> None:
        if self.decision is None:
            return
        others = tuple(v for v in VERDICTS if v != self.decision.verdict)
        if self.station.is_supervisor:
            dialog = VerdictDialog(
                _("Override as supervisor {login}").format(login=self.station.technician),
                _("The engine's verdict stays recorded beside yours."),
                others,
            )
        else:
            dialog = VerdictDialog(
                _("Ask a supervisor to change the verdict"),
                _(
                    "You are {login}, not a supervisor: the case goes to the supervisors' review queue with your reason."
                ).format(login=self.station.technician),
                others,
            )
        self.app.push_screen(dialog, self._changed)

    def _changed(self, change: Override | None) -> None:
        if change is None:
            return
        if self.station.is_supervisor:
            self.override, self.request = change, None
            text = _("Override by you ({login}): {verdict} — {reason}").format(
                login=self.station.technician, verdict=code_words(change.verdict), reason=change.reason
            )
        else:
            self.override, self.request = None, change
            text = _("Review requested: {verdict} — {reason}. Ctrl+N sends the case to the supervisors' queue.").format(
                verdict=code_words(change.verdict), reason=change.reason
            )
        self.query_one("#override", Static).update(text)

    def leave(self) -> Callable[[], bool] | None:
        decision, override, request = self.decision, self.override, self.request
        if decision is None:
            self.problem(_("The claim cannot be decided yet: go back (Escape) and correct it."))
            return None
        return lambda: self.flow.record_decision(decision, override, request)

    def waits(self) -> None:
        # Waiting for a supervisor: no ticket before their verdict.
        self.notify(
            _(
                "Case {case} is in the supervisors' review queue; it goes on to its ticket "
                "when a supervisor records the verdict."
            ).format(case=self.flow.number),
            markup=False,
            timeout=10,
        )
        super().waits()


def _clause(ref: str, code: str) -> Text:
    """The clause as the policy page names it, then the reason's code (what `assess` reports)."""
    text = plain(ref)
    text.append(f"\n{code}", style="dim")
    return text
