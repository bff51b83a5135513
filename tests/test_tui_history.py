"""Search, a case's history, and printing its ticket again from there."""

from __future__ import annotations

from tests.tui_helpers import SIZE, screen_text, wait_for
from workbench.screens.history import HistoryScreen
from workbench.screens.home import HomeScreen
from workbench.screens.search import SearchScreen
from workbench.ticket.payload import parse

DECISION = {
    "verdict": "covered",
    "remedy": "repair_or_replace",
    "warranty": {},
    "tbw": {},
    "reasons": [],
    "policy": "netac-warranty 2024.1",
}


async def test_search_by_serial_then_reprint_from_the_history(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        store = app.station.store
        number = store.create_case(
            {"customer_name": "Li Wei", "serial": "RN77", "model": "NV7000", "capacity_gb": "2000"}
        ).number
        store.record_decision(number, DECISION, "netac-warranty 2024.1")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.press(*"RN77", "enter")
        await wait_for(pilot, lambda: app.screen.query_one("#results").row_count == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and "Decision" in screen_text(app))
        assert "covered" in screen_text(app)
        await pilot.press("p")
        await wait_for(pilot, lambda: len(store.get_case(number).tickets) == 1)
        [ticket] = store.get_case(number).tickets
        assert ticket.status == "queued" and parse(ticket.payload).facts.case_number == number  # no printer: kept
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_the_command_palette_reaches_the_search(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"search cases")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))


async def test_the_palette_goes_back_to_an_earlier_step_and_the_draft_follows(bench):
    from tests.tui_helpers import typed_to_inspection
    from workbench.screens.intake import IntakeScreen

    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await typed_to_inspection(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"step: intake")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))
        assert app.station.store.get_case(app.flow.number).summary.step == "intake"


async def test_the_palette_leaves_the_step_without_waiting_for_a_busy_database(bench, tmp_path):
    """Another process holds the write lock: going to a step from the palette says what it
    waits for, the step stays usable meanwhile, and the step changes once the write is done."""
    import sqlite3

    from tests.tui_helpers import typed_to_inspection
    from workbench.screens.inspection import InspectionScreen
    from workbench.screens.intake import IntakeScreen

    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await typed_to_inspection(pilot)
        await wait_for(pilot, lambda: not app.flow.unsaved)
        holder = sqlite3.connect(tmp_path / "cases.db", isolation_level=None, timeout=30)
        holder.execute("BEGIN IMMEDIATE")  # another technician's long write
        try:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"step: intake")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await wait_for(pilot, lambda: "saving… the database is" in screen_text(app), timeout=5)
            inspection = app.screen
            assert isinstance(inspection, InspectionScreen)
            await pilot.press("tab")  # the screen still takes keys
        finally:
            holder.execute("COMMIT")
            holder.close()
        # The write goes through once the lock is free; then the intake, in place of the inspection.
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and not inspection.children, timeout=30)
        assert app.station.store.get_case(app.flow.number).summary.step == "intake"


async def test_the_whole_case_shows_each_of_its_keys_whole_at_80_columns(bench):
    from tests.after_helpers import NV7000_FIGURES
    from tests.test_tui_chinese import to_history

    app = bench(station_lines=NV7000_FIGURES)
    async with app.run_test(size=SIZE) as pilot:
        await to_history(pilot)
        assert "c At the counter" in screen_text(app).splitlines()[-1]
