"""Over every screen while the terminal is smaller than 80x24: what is cut off may be what matters."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from workbench.words.language import _

# The size every screen of the workbench is laid out for (and checked at, in the snapshots).
MIN_WIDTH, MIN_HEIGHT = 80, 24


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    """Says so, and goes away by itself when the terminal is large enough again."""

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small-message", markup=False)

    def on_mount(self) -> None:
        self._say(*self.app.size)

    def on_resize(self, event: events.Resize) -> None:
        self._say(*event.size)

    def _say(self, width: int, height: int) -> None:
        self.query_one("#too-small-message", Static).update(
            "\n".join(
                (
                    _("Terminal too small: needs {width}x{height}.").format(width=MIN_WIDTH, height=MIN_HEIGHT),
                    _("This one is {width}x{height}: make the window larger.").format(width=width, height=height),
                    _("What was on screen comes back as it was."),
                    _("Ctrl+Q keeps any draft and quits."),
                )
            )
        )
