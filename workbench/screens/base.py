"""The one typed way from a screen to the application, and so to the station and the claim."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from textual import events
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from workbench.door.case_flow import CaseFlow, Station
    from workbench.errors import StaleCase


class Counter(Protocol):
    """What a screen asks of the workbench application (workbench.app.WorkbenchApp is it): the
    station, the open claim and the ways between them. Screens never import the app itself:
    it imports them."""

    station: Station
    flow: CaseFlow | None

    def push_screen(self, screen: Any, callback: Any = None) -> Any: ...

    def start_claim(self) -> None: ...

    def resume_claim(self, number: str) -> None: ...

    def show_step(self, step: str) -> None: ...

    def finish_claim(self, outcome: str = "") -> None: ...

    def leave_claim(self, step: str | None) -> None: ...

    def show_case(self, number: str, *, by_ticket: bool = False, notice: str = "") -> None: ...

    def show_history(self, number: str) -> None: ...

    def show_case_as_it_stands(self, stale: StaleCase) -> None: ...

    async def release_keys(self) -> None: ...

    async def switch_language(self, code: str) -> None: ...

    def run_worker(self, work: Any, *, group: str = "default", exclusive: bool = False) -> Any: ...


class WorkbenchScreen(Screen[None]):
    """A screen of the workbench: reaches the app, and through it the station, typed."""

    # Textual declares Screen.focused as a repainting reactive: every focus change (each Tab)
    # repainted all 24 rows, about 5 KB over SSH. The widgets that gain and lose the focus
    # repaint themselves (their :focus styles), so the screen need not.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    @property
    def workbench(self) -> Counter:
        return cast("Counter", self.app)

    @property
    def station(self) -> Station:
        return self.workbench.station

    def takes_key_first(self, event: events.Key) -> bool:
        """Called by the app for every key, in the order typed, before any widget sees it.
        True when this screen has taken the key (a scanner's text, keys typed with `n`)."""
        return False
