"""The dialog in which the customer's collection is recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Static

from workbench.screens.record_dialog import RecordDialog
from workbench.screens.widgets import Tick
from workbench.words.language import _


@dataclass(frozen=True)
class HandBack:
    collected_by: str
    id_checked: bool
    drive_serial: str  # the replacement going out, as scanned; empty for the customer's own drive
    id_check_reason: str = ""  # why the ID was not checked


class HandBackDialog(RecordDialog[HandBack]):
    """Who collects, whether their ID was checked (if not, why), and for a replacement which drive
    goes out: scanned from the drive itself, so the dialog never shows the serial it expects."""

    def __init__(self, customer: str, replaced: bool, record: Callable[[HandBack], None]) -> None:
        super().__init__(record)
        self.customer = customer
        self.replaced = replaced

    def compose(self) -> ComposeResult:
        with Vertical(id="hand-back-dialog", classes="dialog"):
            yield Label(_("Hand-back"), classes="section-title", markup=False)
            with Horizontal(classes="row"):
                yield Label(_("Collected by"), classes="field-label", markup=False)
                yield Input(value=self.customer, id="collected-by", max_length=200)
            yield Tick(_("ID checked (the collector's identity document)"), id="id-checked")
            with Horizontal(classes="row", id="id-check-reason-row"):
                yield Label(_("Why not checked"), classes="field-label", markup=False)
                yield Input(placeholder=_("needed when the ID is not checked"), id="id-check-reason", max_length=400)
            if self.replaced:
                yield Static(_("Scan the serial label of the replacement going out."), classes="note", markup=False)
                with Horizontal(classes="row"):
                    yield Label(_("Drive going out"), classes="field-label", markup=False)
                    yield Input(placeholder=_("scan its serial"), id="drive-out", max_length=200)
            yield Static("", id="dialog-problem", classes="problems", markup=False)
            yield Static(_("Ctrl+S records the hand-back; Escape cancels."), classes="note", markup=False)

    @on(Input.Submitted, "#drive-out")
    def _scanned(self) -> None:
        self.action_confirm()

    @on(Checkbox.Changed, "#id-checked")
    def _id_checked(self, event: Checkbox.Changed) -> None:
        self.query_one("#id-check-reason-row").display = not event.value

    def value(self) -> HandBack | None:
        collected_by = self.query_one("#collected-by", Input).value.strip()
        if not collected_by:
            self.problem(_("collected by: name who collects the drive"))
            self.query_one("#collected-by", Input).focus()
            return None
        id_checked = self.query_one("#id-checked", Tick).value
        reason = "" if id_checked else self.query_one("#id-check-reason", Input).value.strip()
        if not id_checked and not reason:
            self.problem(_("why not checked: say why the collector's ID was not checked, or tick ID checked"))
            self.query_one("#id-check-reason", Input).focus()
            return None
        drive = self.query_one("#drive-out", Input).value.strip() if self.replaced else ""
        if self.replaced and not drive:
            self.problem(_("drive going out: scan the replacement's serial"))
            self.query_one("#drive-out", Input).focus()
            return None
        return HandBack(collected_by, id_checked, drive, reason)
