"""Widgets whose state reads in words or glyphs, not only in colour: the counter's terminal may
have no colour (NO_COLOR, a monochrome console), and a newcomer should not have to guess."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


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
