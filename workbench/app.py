"""The Textual application: small on purpose; each step of a claim is its own screen."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from workbench.config import StationConfig, load_config
from workbench.text import safe_markup


class WorkbenchApp(App):
    TITLE = "Netac service-station workbench"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, config: StationConfig) -> None:
        super().__init__()
        self.config = config

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            f"Station {safe_markup(self.config.station_id)}: the claim screens are being built; "
            "use `workbench assess` meanwhile."
        )
        yield Footer()


def run_tui() -> int:
    WorkbenchApp(load_config()).run()
    return 0
