"""Widgets whose state reads in words or glyphs, not only in colour: the counter's terminal may
have no colour (NO_COLOR, a monochrome console), and a newcomer should not have to guess."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Checkbox, ProgressBar, RadioButton

from workbench.words.language import _, say


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


def words(text: object) -> str:
    """Words from below the screens (a reason, a notice, a problem) in the session's language: a
    policy.message.Message said in it; an English text the catalog has (marked where it is
    defined), translated; anything else as it is. Never for data: names, serials, smartctl's output."""
    shown = say(text)
    return _(shown) if shown and shown == text else shown


# A verdict's code (the contract's) where a list or a line shows it: the code itself in English,
# the verdict in a word in another language (the records keep the code).
def listed(items: list[str], pair: str) -> str:
    """Words from below (e.g. the figures a product lacks) in the session's language, joined two
    at a time by `pair` (its {first} and {second}: "{first} or {second}", translated)."""
    said = [words(item) for item in items]
    joined = said[0] if said else ""
    for item in said[1:]:
        joined = pair.format(first=joined, second=item)
    return joined
