"""Undo at the counter (issue 13, 5): a draft withdrawn from the home screen or from within its
claim keeps its number, audited, never reused; Escape on the ticket step asks, and the case
left decided goes on later from the home screen or its history."""

from __future__ import annotations

from tests.after_helpers import NV7000_FIGURES, decided_claim
from tests.tui_helpers import SIZE, new_claim, screen_text, wait_for
from workbench.screens.case import CaseScreen
from workbench.screens.history import HistoryScreen
from workbench.screens.home import HomeScreen
from workbench.screens.leave_ticket import LeaveTicketDialog
from workbench.screens.ticket import TicketScreen
from workbench.screens.withdraw import WithdrawDialog


async def test_a_stray_draft_is_withdrawn_from_the_home_screen(bench):
    app = bench()
    draft = app.station.new_claim()
    draft.update(customer_name="n typed by mistake")
    draft.save()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.query_one("#drafts").row_count)
        assert "x withdraws it" in screen_text(app)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, WithdrawDialog))
        await pilot.press("enter")  # no reason: refused, says which field
        await wait_for(pilot, lambda: "reason: say why the claim is withdrawn" in screen_text(app))
        await pilot.press(*"opened by mistake", "enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, HomeScreen) and not app.screen.query_one("#drafts").row_count
        )
    view = app.station.case(draft.number)
    assert view.summary.status == "withdrawn"
    assert (view.audit[-1].action, view.audit[-1].actor, view.audit[-1].detail["reason"]) == (
        "case_withdrawn",
        "ana",
        "opened by mistake",
    )
    later = app.station.new_claim()
    later.update(customer_name="Zhang San")
    later.save()
    assert later.number.endswith("-000002")  # the withdrawn number is not given again


async def test_a_claim_is_withdrawn_from_within_it_by_the_palette(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await new_claim(pilot)
        await pilot.press(*"Li Wei", "tab")
        await wait_for(pilot, lambda: app.flow.number is not None)  # the draft is saved as typed
        number = app.flow.number
        await pilot.press("ctrl+p")
        await pilot.press(*"Withdraw")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WithdrawDialog))
        await pilot.press(*"customer took the drive back", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(pilot, lambda: f"{number}  withdrawn" in screen_text(app))  # today's cases say so
    assert app.station.case(number).summary.status == "withdrawn"
    assert app.station.drafts() == []


async def test_escape_on_the_ticket_step_asks_and_the_case_goes_on_later(bench):
    app = bench(station_lines=NV7000_FIGURES)
    number = decided_claim(app.station).number
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.flow = app.station.resume(number)
        app.show_step("ticket")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen) and app.screen.query("#print-status"))
        await wait_for(pilot, lambda: "queued" in str(app.screen.query_one("#print-status").render()))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LeaveTicketDialog))
        await pilot.press("escape")  # stay
        await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LeaveTicketDialog))
        await pilot.press("enter")  # leave: the case waits, decided, on the home screen
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.query_one("#after").row_count)
        app.screen.query_one("#today").focus()
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.view is not None)
        await pilot.press("c")  # from its history, the case goes on at the counter
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen.view is not None)
        await pilot.press("r")
        await wait_for(pilot, lambda: "AWAITING REPAIR" in screen_text(app))
    assert app.station.case(number).summary.status == "awaiting_repair"
