"""A yes-or-no question before something that cannot be undone (Enter or y: yes; Escape or n: no)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class Ask(ModalScreen[bool]):
    BINDINGS = [Binding("enter,y", "yes", "Yes"), Binding("escape,n", "no", "No")]

    def __init__(self, question: str, *notes: str, dialog_id: str) -> None:
        super().__init__()
        self.question = question
        self.notes = notes
        self.dialog_id = dialog_id

    def compose(self) -> ComposeResult:
        with Vertical(id=self.dialog_id, classes="dialog"):
            yield Label(self.question, classes="section-title", markup=False)
            for note in self.notes:
                yield Static(note, classes="note", markup=False)

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
