"""The one typed way from a screen to the application, and so to the station and the claim."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from workbench.app import WorkbenchApp
    from workbench.case_flow import Station


class WorkbenchScreen(Screen[None]):
    """A screen of the workbench: reaches the app, and through it the station, typed."""

    # Textual declares Screen.focused as a repainting reactive: every focus change (each Tab)
    # repainted all 24 rows, about 5 KB over SSH. The widgets that gain and lose the focus
    # repaint themselves (their :focus styles), so the screen need not.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    @property
    def workbench(self) -> WorkbenchApp:
        return cast("WorkbenchApp", self.app)

    @property
    def station(self) -> Station:
        return self.workbench.station

    def takes_key_first(self, event: events.Key) -> bool:
        """Called by the app for every key, in the order typed, before any widget sees it.
        True when this screen has taken the key (a scanner's text, keys typed with `n`)."""
        return False
