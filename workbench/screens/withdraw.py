"""The dialog in which a draft is discarded or a claim withdrawn before its decision."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from workbench.screens.record_dialog import RecordDialog
from workbench.words.language import _


class WithdrawDialog(RecordDialog[str]):
    """Why the claim is withdrawn. The case stays in the records as withdrawn, audited with the
    login and the reason; its number is never given to another claim."""

    def __init__(self, number: str, record: Callable[[str], None]) -> None:
        super().__init__(record)
        self.number = number

    def compose(self) -> ComposeResult:
        with Vertical(id="withdraw-dialog", classes="dialog"):
            yield Label(_("Withdraw claim {number}").format(number=self.number), classes="section-title", markup=False)
            yield Static(
                _(
                    "The case stays in the records as withdrawn, with your login and the reason; "
                    "its number is not used again."
                ),
                classes="note",
                markup=False,
            )
            yield Input(
                placeholder=_("Reason (required), e.g. opened by mistake"), id="withdraw-reason", max_length=500
            )
            yield Static("", id="dialog-problem", classes="problems", markup=False)
            yield Static(_("Enter withdraws it; Escape keeps the claim."), classes="note", markup=False)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_confirm()

    def value(self) -> str | None:
        reason = self.query_one("#withdraw-reason", Input).value.strip()
        if not reason:
            self.problem(_("reason: say why the claim is withdrawn"))
            return None
        return reason
