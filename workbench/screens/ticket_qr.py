"""A ticket's QR on the whole screen, so a scanner or a phone can read it off the terminal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from workbench.screens.base import WorkbenchScreen
from workbench.screens.footer import KeysFooter
from workbench.words.language import _


class TicketQrScreen(WorkbenchScreen):
    """The code as large as the terminal allows: at 80x24, 23 lines and the footer."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, number: str, qr_text: str) -> None:
        super().__init__()
        self.number = number
        self.qr_text = qr_text

    def compose(self) -> ComposeResult:
        yield Static("", id="qr-whole", markup=False)
        yield KeysFooter()

    def on_resize(self) -> None:
        self._draw()

    def on_mount(self) -> None:
        self._draw()

    def _draw(self) -> None:
        lines = self.size.height - 1  # the footer's line
        drawing = self.station.ticket_qr(self.qr_text, lines)
        qr = self.query_one("#qr-whole", Static)
        qr.set_class(drawing is None, "too-small")
        if drawing is None:
            qr.update(
                _(
                    "Case {number}: the ticket's QR needs more than {lines} lines. "
                    "Enlarge the terminal, or scan the printed ticket."
                ).format(number=self.number, lines=lines)
            )
        else:
            qr.update("\n".join(drawing))
