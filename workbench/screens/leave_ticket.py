"""Asked when Escape would leave the ticket step without giving the ticket."""

from __future__ import annotations

from workbench.screens.ask import Ask


class LeaveTicketDialog(Ask):
    def __init__(self, number: str) -> None:
        super().__init__(
            f"Leave case {number} without giving its ticket?",
            "The case stays decided and waits on the home screen under 'Decided, not yet "
            "collected', where it goes on later (Enter opens it). Ctrl+N on the ticket step "
            "gives the ticket now.",
            "Enter leaves; Escape stays on the ticket step.",
            dialog_id="leave-ticket-dialog",
        )
