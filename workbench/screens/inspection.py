"""Step 2, physical inspection: every exclusion of the policy, each found or not, with a note."""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Static

from workbench.screens.step import StepScreen
from workbench.screens.widgets import Tick, words
from workbench.words.clause_text import clause_text
from workbench.words.language import _

# What the technician sees first on the bench; then the rest in the policy's order.
BENCH_ORDER = (
    "sticker_removed",
    "interface_or_housing_damage",
    "physical_or_liquid_damage",
    "unauthorised_modification",
    "electrical_damage",
)


class InspectionScreen(StepScreen):
    STEP = "inspection"
    AUTO_FOCUS = "Checkbox"  # the first check, not the scrolling body (see IntakeScreen)

    def body(self) -> ComposeResult:
        yield Static(
            _("Space ticks what you find, a note says what you saw; its clause is below."), classes="note", markup=False
        )
        found = self.flow.claim.inspection
        notes = self.flow.claim.inspection_notes
        # One line a check (its short label and exclusion number, then the note), so all ten
        # fit at 80x24; the focused check's whole clause is shown under them.
        for exclusion in _bench_order(self.station.exclusions()):
            with Horizontal(classes="row"):
                yield Tick(
                    f"{words(exclusion.label)} ({exclusion.number})",
                    bool(found.get(exclusion.key)),
                    id=f"found-{exclusion.key}",
                )
                yield Input(
                    notes.get(exclusion.key, ""),
                    placeholder=_("note"),
                    id=f"note-{exclusion.key}",
                    classes="inspection-note",
                    max_length=500,
                )
        yield Static("", id="clause", classes="note", markup=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        key = (event.widget.id or "").partition("-")[2]
        for exclusion in self.station.exclusions():
            if exclusion.key == key:
                self.query_one("#clause", Static).update(
                    _("{check}. {clause}: {text}").format(
                        check=words(exclusion.check), clause=exclusion.clause.ref, text=clause_text(exclusion.clause)
                    )
                )

    @on(Checkbox.Changed)
    @on(Input.Changed)
    def _ticked_or_typed(self) -> None:
        self.changed()

    def items(self) -> list[tuple[str, bool, str]]:
        return [
            (
                e.key,
                self.query_one(f"#found-{e.key}", Checkbox).value,
                self.query_one(f"#note-{e.key}", Input).value.strip(),
            )
            for e in self.station.exclusions()
        ]

    def keep_input(self) -> None:
        self.flow.set_inspection(self.items())

    def leave(self) -> Callable[[], bool]:
        items = self.items()

        def record() -> bool:
            self.flow.record_inspection(items)
            return True

        return record


def _bench_order(exclusions):
    first = [e for key in BENCH_ORDER for e in exclusions if e.key == key]
    return first + [e for e in exclusions if e not in first]
