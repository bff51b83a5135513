"""The one typed way from a screen to the application, and so to the station and the claim."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from workbench.app import WorkbenchApp
    from workbench.case_flow import Station


class WorkbenchScreen(Screen[None]):
    """A screen of the workbench: reaches the app, and through it the station, typed."""

    @property
    def workbench(self) -> WorkbenchApp:
        return cast("WorkbenchApp", self.app)

    @property
    def station(self) -> Station:
        return self.workbench.station

