"""Step 4, counterfeit checks: the label and the catalog against what the drive reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, RadioButton, RadioSet, Static

from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.step import StepScreen
from workbench.screens.widgets import Choice, words
from workbench.words.language import N_, _, spoken
from workbench.words.text import plain

if TYPE_CHECKING:
    from workbench.door.case_flow import Finding

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "pass": "green"}
# A finding's severity and its check (the codes the records keep) as the table shows them.
SEVERITY_WORDS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low"), "pass": N_("pass")}
CHECK_WORDS = {
    "drive": N_("drive"),
    "model": N_("model"),
    "serial": N_("serial"),
    "capacity": N_("capacity"),
    "identity": N_("identity"),
    "serial_format": N_("serial_format"),
    "prior_claims": N_("prior_claims"),
}


class CounterfeitScreen(StepScreen):
    STEP = "counterfeit"
    AUTO_FOCUS = "#conclusion"  # not the scrolling body (see IntakeScreen)

    findings: list[Finding] | None = None  # None until the checks have run
    can_refuse = False

    def body(self) -> ComposeResult:
        table: DataTable[Any] = DataTable(id="findings", cursor_type="row", zebra_stripes=True)
        # Widths that fit 80 columns with both scroll bars; a finding wraps onto more lines.
        table.add_column(_("Check"), width=13)
        table.add_column(_("Result"), width=6)
        table.add_column(_("Finding"), width=49)
        yield table
        yield Static(
            _("Running the checks (the case records are read for earlier claims)…"),
            id="checks-note",
            classes="note",
            markup=False,
        )
        decided = self.flow.claim.counterfeit
        with RadioSet(id="conclusion"):
            yield Choice(_("Genuine: the findings are explained"), value=decided is False)
            yield Choice(
                _("Not genuine: refuse service (policy, other terms 3)"),
                value=bool(decided),
                disabled=True,
                id="not-genuine",
            )
        yield Input(
            self.flow.claim.counterfeit_note,
            id="counterfeit_note",
            placeholder=_("what you checked (required when a high finding is set aside)"),
            max_length=500,
        )

    def on_mount(self) -> None:
        self._check()

    @work(thread=True, exclusive=True, group="checks")
    def _check(self) -> None:
        try:
            findings = self.flow.counterfeit_findings()  # reads the records: off the UI thread
        except ONE_LINE_ERRORS as exc:
            self.app.call_from_thread(
                self.query_one("#checks-note", Static).update,
                _("The checks could not run: {problem}").format(problem=spoken(exc)),
            )
            return
        self.app.call_from_thread(self._show_findings, findings)

    def _show_findings(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.can_refuse = self.flow.supports_refusal(findings)
        table = self.query_one("#findings", DataTable)
        for f in findings:
            table.add_row(
                plain(_(CHECK_WORDS[f.check]) if f.check in CHECK_WORDS else f.check),
                Text(_(SEVERITY_WORDS[f.severity]), style=SEVERITY_STYLE[f.severity]),
                plain(words(f.message)),
                height=None,
            )
        self.query_one("#not-genuine", RadioButton).disabled = not self.can_refuse
        self.query_one("#checks-note", Static).update(
            _("A high finding is evidence the drive is not genuine; medium and low are doubts to look at by hand.")
            if self.can_refuse
            else _("No high finding: the drive can only be concluded genuine here; look at any doubt above by hand.")
        )

    def busy(self) -> bool:
        if self.findings is None:
            self.notify(_("The checks are still running."), markup=False)
        return self.findings is None

    @on(Input.Changed, "#counterfeit_note")
    def _note_typed(self) -> None:
        self.changed()

    def _conclusion(self) -> bool | None:
        pressed = self.query_one("#conclusion", RadioSet).pressed_index
        return None if pressed < 0 else pressed == 1

    def keep_input(self) -> None:
        self.flow.update(counterfeit_note=self.query_one("#counterfeit_note", Input).value.strip())

    def leave(self) -> Callable[[], bool] | None:
        conclusion = self._conclusion()
        note = self.query_one("#counterfeit_note", Input).value.strip()
        if conclusion is None:
            self.problem(_("counterfeit conclusion: choose genuine or not genuine"))
            return None
        if not conclusion and self.can_refuse and not note:
            self.problem(_("counterfeit note: say what you checked to set aside the high finding"))
            return None
        findings = self.findings or []

        def record() -> bool:
            self.flow.record_counterfeit(findings, not_genuine=conclusion, note=note)
            return True

        return record
