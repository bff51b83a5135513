"""The dialog in which the customer's collection is recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from workbench.screens.record_dialog import RecordDialog
from workbench.screens.widgets import Tick


@dataclass(frozen=True)
class HandBack:
    collected_by: str
    id_checked: bool
    drive_serial: str  # the replacement going out, as scanned; empty for the customer's own drive


class HandBackDialog(RecordDialog[HandBack]):
    """Who collects, whether their ID was checked, and for a replacement which drive goes out."""

    def __init__(self, customer: str, replacement_serial: str | None, record: Callable[[HandBack], None]) -> None:
        super().__init__(record)
        self.customer = customer
        self.replacement_serial = replacement_serial

    def compose(self) -> ComposeResult:
        with Vertical(id="hand-back-dialog", classes="dialog"):
            yield Label("Hand-back", classes="section-title", markup=False)
            with Horizontal(classes="row"):
                yield Label("Collected by", classes="field-label", markup=False)
                yield Input(value=self.customer, id="collected-by", max_length=200)
            yield Tick("ID checked (the collector's identity document)", id="id-checked")
            if self.replacement_serial is not None:
                yield Static(f"Scan the replacement going out: {self.replacement_serial}", classes="note", markup=False)
                with Horizontal(classes="row"):
                    yield Label("Drive going out", classes="field-label", markup=False)
                    yield Input(placeholder="scan its serial", id="drive-out", max_length=200)
            yield Static("", id="dialog-problem", classes="problems", markup=False)
            yield Static("Ctrl+S records the hand-back; Escape cancels.", classes="note", markup=False)

    @on(Input.Submitted, "#drive-out")
    def _scanned(self) -> None:
        self.action_confirm()

    def value(self) -> HandBack | None:
        collected_by = self.query_one("#collected-by", Input).value.strip()
        if not collected_by:
            self.problem("collected by: name who collects the drive")
            self.query_one("#collected-by", Input).focus()
            return None
        drive = self.query_one("#drive-out", Input).value.strip() if self.replacement_serial is not None else ""
        if self.replacement_serial is not None and not drive:
            self.problem("drive going out: scan the replacement's serial")
            self.query_one("#drive-out", Input).focus()
            return None
        return HandBack(collected_by, self.query_one("#id-checked", Tick).value, drive)
