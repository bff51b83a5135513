"""Asked when Escape would leave the ticket step without giving the ticket."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class LeaveTicketDialog(ModalScreen[bool]):
    BINDINGS = [Binding("enter,y", "leave", "Leave"), Binding("escape,n", "stay", "Stay")]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    def compose(self) -> ComposeResult:
        with Vertical(id="leave-ticket-dialog", classes="dialog"):
            yield Label(f"Leave case {self.number} without giving its ticket?", classes="section-title", markup=False)
            yield Static(
                "The case stays decided and waits on the home screen under 'Decided, not yet "
                "collected', where it goes on later (Enter opens it). Ctrl+N on the ticket step "
                "gives the ticket now.",
                classes="note",
                markup=False,
            )
            yield Static("Enter leaves; Escape stays on the ticket step.", classes="note", markup=False)

    def action_leave(self) -> None:
        self.dismiss(True)

    def action_stay(self) -> None:
        self.dismiss(False)
