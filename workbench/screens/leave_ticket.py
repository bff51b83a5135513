"""Asked when Escape would leave the ticket step without giving the ticket."""

from __future__ import annotations

from workbench.screens.ask import Ask
from workbench.words.language import _


class LeaveTicketDialog(Ask):
    def __init__(self, number: str) -> None:
        super().__init__(
            _("Leave case {number} without giving its ticket?").format(number=number),
            _(
                "The case stays decided and waits on the home screen under 'Decided, not yet "
                "collected', where it goes on later (Enter opens it). Ctrl+N on the ticket step "
                "gives the ticket now."
            ),
            _("Enter leaves; Escape stays on the ticket step."),
            dialog_id="leave-ticket-dialog",
        )
