"""The policy in use, read-only: its version and file, each product's figures and their
sources, and what is unsourced (claims on it go to review) with how to enter Netac's table."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.base import WorkbenchScreen


class PolicyScreen(WorkbenchScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("Reading the policy…", id="policy", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    @work(thread=True, exclusive=True, group="policy")
    def _show(self) -> None:
        # The station's file is read (and its signature checked) on first use: off the UI thread.
        try:
            text = "\n".join(self.station.policy_lines())
        except ONE_LINE_ERRORS as exc:
            text = f"The policy cannot be read: {exc}"
        self.app.call_from_thread(self.query_one("#policy", Static).update, text)
