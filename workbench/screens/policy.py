"""The policy in use, read-only: its version and file, each product's figures and their
sources, and what is unsourced (claims on it go to review) with how to enter Netac's table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.base import WorkbenchScreen
from workbench.screens.footer import KeysFooter
from workbench.words.language import _, say, spoken

if TYPE_CHECKING:
    from workbench.screens.teach import Taught


class PolicyScreen(WorkbenchScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("t", "teach", "Teach a line's identity")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(_("Reading the policy…"), id="policy", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self._show()

    @work(thread=True, exclusive=True, group="policy")
    def _show(self) -> None:
        # The station's file is read (and its signature checked) on first use: off the UI thread.
        try:
            text = "\n".join(self.station.policy_lines())
        except ONE_LINE_ERRORS as exc:
            text = _("The policy cannot be read: {problem}").format(problem=spoken(exc))
        self.app.call_from_thread(self.query_one("#policy", Static).update, text)

    def action_teach(self) -> None:
        from workbench.screens.teach import TeachDialog

        if not self.station.is_supervisor:
            self.notify(
                _("Teaching a line its identity is a supervisor's action; you are {technician}.").format(
                    technician=self.station.technician
                ),
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(TeachDialog(self.station), self._taught)

    def _taught(self, taught: Taught | None) -> None:
        if taught is not None:
            self._teach(taught)

    @work(thread=True, exclusive=True, group="write")
    def _teach(self, taught: Taught) -> None:
        # Writes the station's policy copy and the audit trail: off the UI thread.
        try:
            changes = self.station.teach_identity(taught.line, taught.readout, taught.facts)
        except ONE_LINE_ERRORS as exc:
            problem = spoken(exc)
            self.app.call_from_thread(self.notify, problem, severity="error", markup=False)
            return
        # Translators: what separates the changes in "Station policy changed: ...; ...".
        changed = _("Station policy changed: {changes}").format(changes=_("; ").join(say(c) for c in changes))
        self.app.call_from_thread(self.notify, changed, markup=False, timeout=10)
        self._show()
