"""The dialog in which a verdict is changed (a supervisor) or a change is asked for (a technician)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from workbench.door.case_flow import Override
from workbench.words.language import _
from workbench.words.vocabulary import VERDICT_WORDS


class VerdictDialog(ModalScreen[Override | None]):
    """A new verdict and the reason for it; who gives it is the login, recorded with the case."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "confirm", "Record")]

    def __init__(self, title: str, explanation: str, verdicts: tuple[str, ...]) -> None:
        super().__init__()
        self.title_text = title
        self.explanation = explanation
        self.verdicts = verdicts

    def compose(self) -> ComposeResult:
        with Vertical(id="override-dialog"):
            yield Label(self.title_text, classes="section-title", markup=False)
            yield Static(self.explanation, classes="note", markup=False)
            yield Select([(_(VERDICT_WORDS[v]), v) for v in self.verdicts], prompt=_("New verdict"), id="new-verdict")
            yield Input(placeholder=_("Reason (required)"), id="reason", max_length=500)
            # Translators: an odd number of cells, 15 or more (a Han character takes two): the button is
            # then an odd width, and the list of verdicts that opens over it is drawn whole (Textual
            # drops a wide character that straddles the edge of a widget under an overlay).
            yield Button(_("Record (Ctrl+S)"), id="confirm", variant="warning")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_confirm()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        verdict = self.query_one("#new-verdict", Select).value
        reason = self.query_one("#reason", Input).value.strip()
        # None chosen is Select.NULL (Textual 8's Select.BLANK is False: it never matched, and a
        # change of verdict to "Select.NULL" was recorded).
        if verdict not in self.verdicts:
            self.notify(_("new verdict: choose one"), severity="error", markup=False)
            return
        if not reason:
            self.notify(_("reason: a change of verdict needs a reason"), severity="error", markup=False)
            return
        self.dismiss(Override(str(verdict), reason))
