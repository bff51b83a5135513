"""Step 5, decision: what policy.assess says, with its clauses; a supervisor may override."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from workbench.case_flow import ClaimInputError, Override
from workbench.screens.step import StepScreen
from workbench.screens.tbw import TbwGauge
from workbench.text import plain
from workbench.vocabulary import VERDICT_WORDS

class DecisionScreen(StepScreen):
    STEP = "decision"
    BINDINGS = [Binding("o", "override", "Supervisor override")]

    def body(self) -> ComposeResult:
        yield Static("", id="verdict", markup=False)
        yield Static("", id="warranty", markup=False)
        yield TbwGauge(id="tbw")
        table = DataTable(id="reasons", cursor_type="row", zebra_stripes=True)
        # Each reason's words and its clause side by side within 80 columns, wrapped.
        table.add_column("Why", width=46)
        table.add_column("Policy clause", width=24)
        yield table
        yield Static("", id="override", markup=False)

    def on_mount(self) -> None:
        self.override = None
        try:
            self.decision = self.flow.decide()
        except ClaimInputError as exc:
            self.decision = None
            self.query_one("#verdict", Static).update(
                f"The claim cannot be decided: {exc}. Press Escape to go back and correct it.")
            return
        d = self.decision
        self.query_one("#verdict", Static).update(Text(VERDICT_WORDS[d.verdict], style="bold"))
        w = d.warranty
        period = (f"{w.years} years from the {w.basis} date {w.start}, last day {w.last_day}" if w.last_day else
                  f"start {w.start or 'unknown'} ({w.basis or 'no date'}); period not in the catalog")
        self.query_one("#warranty", Static).update(f"Warranty: {period}. Policy {d.policy_id}.")
        self.query_one(TbwGauge).show(d.tbw, "no limit in the catalog, or SMART unread")
        table = self.query_one("#reasons", DataTable)
        for reason in d.reasons:
            table.add_row(plain(reason.text), _clause(reason.clause.ref if reason.clause else "product catalog",
                                                      reason.code), height=None)
        if not d.reasons:
            table.add_row(plain("Within the warranty period and the TBW limit; no exclusion found."),
                          _clause(self.station.clause_ref("warranty_service"), "covered"), height=None)

    def action_override(self) -> None:
        if self.decision is None:
            return
        supervisors = self.station.supervisors
        if not supervisors:
            self.notify("No supervisors are listed in the station configuration ([station] supervisors).",
                        severity="warning", markup=False)
            return
        self.app.push_screen(OverrideDialog(supervisors, self.decision.verdict), self._overridden)

    def _overridden(self, override: Override | None) -> None:
        self.override = override
        text = (f"Override by {override.supervisor}: {override.verdict} — {override.reason}"
                if override else "")
        self.query_one("#override", Static).update(text)

    def leave(self) -> bool:
        if self.decision is None:
            return self.problem("The claim cannot be decided yet: go back (Escape) and correct it.")
        self.flow.record_decision(self.decision, self.override)
        return True


def _clause(ref: str, code: str) -> Text:
    """The clause as the policy page names it, then the reason's code (what `assess` reports)."""
    text = plain(ref)
    text.append(f"\n{code}", style="dim")
    return text


class OverrideDialog(ModalScreen[Override | None]):
    """A supervisor changes the verdict; who and why are recorded with the case."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "confirm", "Record override")]

    def __init__(self, supervisors, verdict: str) -> None:
        super().__init__()
        self.supervisors = supervisors
        self.verdict = verdict

    def compose(self) -> ComposeResult:
        with Vertical(id="override-dialog"):
            yield Label("Supervisor override", classes="section-title")
            yield Select([(s, s) for s in self.supervisors], prompt="Supervisor", id="supervisor")
            yield Select([(words, v) for v, words in VERDICT_WORDS.items() if v != self.verdict],
                         prompt="New verdict", id="new-verdict")
            yield Input(placeholder="Reason (required)", id="reason", max_length=500)
            yield Button("Record override (Ctrl+S)", id="confirm", variant="warning")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_confirm()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        supervisor = self.query_one("#supervisor", Select).value
        verdict = self.query_one("#new-verdict", Select).value
        reason = self.query_one("#reason", Input).value.strip()
        for name, value in (("supervisor", supervisor), ("new verdict", verdict)):
            if value is Select.BLANK:
                self.notify(f"{name}: choose one", severity="error", markup=False)
                return
        if not reason:
            self.notify("reason: an override needs a reason", severity="error", markup=False)
            return
        self.dismiss(Override(str(supervisor), str(verdict), reason))
