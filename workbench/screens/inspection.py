"""Step 2, physical inspection: every exclusion of the policy, each found or not, with a note."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Static

from workbench.screens.step import StepScreen

# What the technician sees first on the bench; then the rest in the policy's order.
BENCH_ORDER = ("sticker_removed", "interface_or_housing_damage", "physical_or_liquid_damage",
               "unauthorised_modification", "electrical_damage")


class InspectionScreen(StepScreen):
    STEP = "inspection"

    def body(self) -> ComposeResult:
        yield Static("Tick what you find (Space); a note says what you saw. Unticked = not found.",
                     classes="note", markup=False)
        found = self.flow.claim.inspection
        notes = self.flow.claim.inspection_notes
        for exclusion in _bench_order(self.station.exclusions()):
            yield Checkbox(f"{exclusion.check} (exclusion {exclusion.number})", bool(found.get(exclusion.key)),
                           id=f"found-{exclusion.key}")
            yield Input(notes.get(exclusion.key, ""), placeholder="note", id=f"note-{exclusion.key}",
                        classes="inspection-note", max_length=500)

    def on_mount(self) -> None:
        self.query(Checkbox).first().focus()

    @on(Checkbox.Changed)
    @on(Input.Changed)
    def _ticked_or_typed(self) -> None:
        self.changed()

    def items(self) -> list[tuple[str, bool, str]]:
        return [(e.key, self.query_one(f"#found-{e.key}", Checkbox).value,
                 self.query_one(f"#note-{e.key}", Input).value.strip())
                for e in self.station.exclusions()]

    def keep_input(self) -> None:
        self.flow.set_inspection(self.items())

    def leave(self) -> bool:
        self.flow.record_inspection(self.items())
        return True


def _bench_order(exclusions):
    first = [e for key in BENCH_ORDER for e in exclusions if e.key == key]
    return first + [e for e in exclusions if e not in first]
