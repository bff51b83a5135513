"""An interrupted claim survives the workbench ending and is offered for resume at its step."""

from __future__ import annotations

from tests.tui_helpers import SIZE, new_claim, typed_to_inspection, wait_for
from workbench.screens.home import HomeScreen
from workbench.screens.inspection import InspectionScreen
from workbench.screens.intake import IntakeScreen


async def test_a_draft_is_resumed_at_its_step_with_its_fields(bench):
    first = bench()
    async with first.run_test(size=SIZE) as pilot:
        await typed_to_inspection(pilot)
        number = first.flow.number
        await pilot.press("space", "tab", *"half a note")  # typed, then the session ends
        await pilot.pause(0.1)
    # the app ended with the case at inspection: a new session offers it
    second = bench()
    async with second.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(second.screen, HomeScreen))
        home = second.screen
        await wait_for(pilot, lambda: home.query_one("#drafts").row_count == 1)
        assert f"You left {number} at Physical inspection" in str(home.query_one("#home-status").render())
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(second.screen, InspectionScreen))
        assert second.flow.number == number
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(second.screen, IntakeScreen))
        screen = second.screen
        assert (
            screen.query_one("#customer_name").value,
            screen.query_one("#serial").value,
            screen.query_one("#purchase_date").value,
        ) == ("Li Wei", "RN202406182TB104233", "2025-01-10")


async def test_intake_fields_reach_the_draft_as_they_are_typed(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await new_claim(pilot)
        await pilot.press(*"Li Wei", "tab", "tab", *"NV7000")
        await wait_for(pilot, lambda: app.flow.number is not None and not app.flow.unsaved)
        fields = app.station.store.get_case(app.flow.number).fields
        assert (fields["customer_name"], fields["model"]) == ("Li Wei", "NV7000")


async def test_inspection_ticks_and_notes_reach_the_draft_as_they_change(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await typed_to_inspection(pilot)
        await pilot.press("space", "tab", *"corner lifted")
        await wait_for(
            pilot,
            lambda: (
                (app.station.store.get_case(app.flow.number).fields.get("inspection_notes") or {}).get(
                    "sticker_removed"
                )
                == "corner lifted"
            ),
        )
        fields = app.station.store.get_case(app.flow.number).fields
        assert fields["inspection"]["sticker_removed"] is True and fields["inspection"]["misuse"] is False
