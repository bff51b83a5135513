"""Widgets whose state reads in words or glyphs, not only in colour: the counter's terminal may
have no colour (NO_COLOR, a monochrome console), and a newcomer should not have to guess."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Checkbox, ProgressBar, RadioButton


class Tick(Checkbox):
    """A checkbox that shows ✔ when ticked and an empty box when not (Textual draws X for both)."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "✔" if self.value else " "
        return super()._button


class Choice(RadioButton):
    """A radio button that shows ● when chosen and nothing when not (Textual draws ●
    for both, telling them apart by colour only)."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button


class Gauge(ProgressBar):
    """A progress bar that is painted only when its progress changes. Textual's repaints itself
    every second for its time-left estimate, shown or not: 166 bytes a second over SSH for a bar
    that stands still (the TBW gauge) or moves every few seconds (a self-test's). The time left,
    where one is known, is said in words beside it."""

    def on_mount(self, event: events.Mount) -> None:  # type: ignore[override]  # Textual passes the event to a handler that takes it
        event.prevent_default()  # not ProgressBar.on_mount: its one-second timer
        self.update()
