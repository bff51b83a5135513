"""A dialog that records what is typed in it and stays open, with everything typed, until the
records take it: a refusal (a serial of the wrong line, a drive that is not the case's) is
shown in the dialog, naming the field, for the technician to correct."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual import work
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from workbench.errors import ONE_LINE_ERRORS
from workbench.words.language import _, spoken

T = TypeVar("T")


class RecordDialog(ModalScreen[bool], Generic[T]):
    """Subclasses compose the fields and a Static with id "dialog-problem", and build the value."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "confirm", "Record")]

    def __init__(self, record: Callable[[T], None]) -> None:
        super().__init__()
        self.record = record  # blocks (the database): run in a worker
        self._saving = False

    def value(self) -> T | None:
        """What was typed, or None after showing what is missing."""
        raise NotImplementedError

    def problem(self, text: str) -> None:
        shown = self.query_one("#dialog-problem", Static)
        shown.update(text)
        shown.display = bool(text)

    def on_mount(self) -> None:
        self.problem("")

    def action_cancel(self) -> None:
        if not self._saving:
            self.dismiss(False)

    def action_confirm(self) -> None:
        if self._saving:
            return
        value = self.value()
        if value is None:
            return
        self._saving = True
        self.problem(_("Saving…"))
        self._save(value)

    @work(thread=True, exclusive=True, group="dialog")
    def _save(self, value: T) -> None:
        try:
            self.record(value)
        except ONE_LINE_ERRORS as exc:
            self.app.call_from_thread(self._refused, spoken(exc))
            return
        self.app.call_from_thread(self.dismiss, True)

    def _refused(self, message: str) -> None:
        self._saving = False
        self.problem(message)
