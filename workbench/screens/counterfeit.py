"""Step 4, counterfeit checks: the label and the catalog against what the drive reports."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, RadioButton, RadioSet, Static

from workbench.screens.step import StepScreen
from workbench.text import plain

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "pass": "green"}


class CounterfeitScreen(StepScreen):
    STEP = "counterfeit"

    def body(self) -> ComposeResult:
        self.findings = self.flow.counterfeit_findings()
        self.can_refuse = self.flow.supports_refusal(self.findings)
        table: DataTable[Any] = DataTable(id="findings", cursor_type="row", zebra_stripes=True)
        # Widths that fit 80 columns with both scroll bars; a finding wraps onto more lines.
        table.add_column("Check", width=13)
        table.add_column("Result", width=6)
        table.add_column("Finding", width=49)
        for f in self.findings:
            table.add_row(plain(f.check), Text(f.severity, style=SEVERITY_STYLE[f.severity]), plain(f.message),
                          height=None)
        yield table
        yield Static(
            "A high finding is evidence the drive is not genuine; medium and low are doubts to look at by hand."
            if self.can_refuse else
            "No high finding: the drive can only be concluded genuine here; look at any doubt above by hand.",
            classes="note", markup=False)
        decided = self.flow.claim.counterfeit
        with RadioSet(id="conclusion"):
            yield RadioButton("Genuine: the findings are explained", value=decided is False)
            yield RadioButton("Not genuine: refuse service (policy, other terms 3)", value=bool(decided),
                              disabled=not self.can_refuse)
        yield Input(self.flow.claim.counterfeit_note, id="counterfeit_note",
                    placeholder="what you checked (required when a high finding is set aside)", max_length=500)

    def on_mount(self) -> None:
        self.query_one("#conclusion", RadioSet).focus()

    @on(Input.Changed, "#counterfeit_note")
    def _note_typed(self) -> None:
        self.changed()

    def _conclusion(self) -> bool | None:
        pressed = self.query_one("#conclusion", RadioSet).pressed_index
        return None if pressed < 0 else pressed == 1

    def keep_input(self) -> None:
        self.flow.update(counterfeit_note=self.query_one("#counterfeit_note", Input).value.strip())

    def leave(self) -> bool:
        conclusion = self._conclusion()
        note = self.query_one("#counterfeit_note", Input).value.strip()
        if conclusion is None:
            return self.problem("counterfeit conclusion: choose genuine or not genuine")
        if not conclusion and self.can_refuse and not note:
            return self.problem("counterfeit note: say what you checked to set aside the high finding")
        self.flow.record_counterfeit(self.findings, not_genuine=conclusion, note=note)
        return True
