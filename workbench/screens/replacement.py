"""The dialog in which the replacement drive of a covered case is scanned."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from workbench.screens.record_dialog import RecordDialog
from workbench.words.language import _


@dataclass(frozen=True)
class ReplacementDrive:
    serial: str
    model: str
    capacity_gb: str
    substitution_reason: str  # empty unless another model or capacity goes out


class ReplacementDialog(RecordDialog[ReplacementDrive]):
    """Scan the new drive's serial (the scanner's Enter records it when model and capacity are
    the claimed ones); another model or capacity needs a supervisor and a reason."""

    def __init__(self, model: str, capacity_gb: str, record: Callable[[ReplacementDrive], None]) -> None:
        super().__init__(record)
        self.model = model
        self.capacity_gb = capacity_gb

    def compose(self) -> ComposeResult:
        with Vertical(id="replacement-dialog", classes="dialog"):
            yield Label(_("Replacement drive"), classes="section-title", markup=False)
            yield Static(
                _(
                    "Scan the serial of the drive the customer receives. The claimed model and capacity "
                    "are filled in; another one needs a supervisor and a reason."
                ),
                classes="note",
                markup=False,
            )
            for label, field_id, value, placeholder in (
                (_("Serial"), "replacement-serial", "", _("scan the label")),
                (_("Model"), "replacement-model", self.model, ""),
                (_("Capacity (GB)"), "replacement-capacity", self.capacity_gb, ""),
                (_("Substitution reason"), "substitution-reason", "", _("only for another model or capacity")),
            ):
                with Horizontal(classes="row"):
                    yield Label(label, classes="field-label", markup=False)
                    yield Input(value=value, placeholder=placeholder, id=field_id, max_length=200)
            yield Static("", id="dialog-problem", classes="problems", markup=False)
            yield Static(_("Enter or Ctrl+S records it; Escape cancels."), classes="note", markup=False)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_confirm()

    def value(self) -> ReplacementDrive | None:
        def typed(field_id: str) -> str:
            return self.query_one(f"#{field_id}", Input).value.strip()

        if not typed("replacement-serial"):
            self.problem(_("replacement serial: scan the replacement drive's serial"))
            self.query_one("#replacement-serial", Input).focus()
            return None
        return ReplacementDrive(
            typed("replacement-serial"),
            typed("replacement-model"),
            typed("replacement-capacity"),
            typed("substitution-reason"),
        )
