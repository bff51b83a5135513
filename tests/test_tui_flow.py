"""A whole claim at the keyboard, from the home screen to the ticket, on the training bench."""

from __future__ import annotations

from tests.tui_helpers import SIZE, diagnosed, drive_chosen, new_claim, typed_to_inspection, wait_for
from workbench.screens.counterfeit import CounterfeitScreen
from workbench.screens.home import HomeScreen
from workbench.screens.inspection import InspectionScreen
from workbench.screens.intake import IntakeScreen
from workbench.screens.smart import SmartScreen
from workbench.screens.ticket import TicketScreen


async def test_a_claim_from_intake_to_ticket(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await typed_to_inspection(pilot)
        number = app.flow.number
        await pilot.press("space", "tab", *"corner lifted", "ctrl+n")  # first item: the warranty sticker
        await wait_for(pilot, lambda: isinstance(app.screen, SmartScreen))
        await drive_chosen(pilot)  # the search highlights the claimed serial: the NV7000 at /dev/nvme0
        await wait_for(pilot, lambda: (app.flow.claim.drive and app.flow.claim.drive.device) == "/dev/nvme0")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, CounterfeitScreen))
        assert [f.severity for f in app.screen.findings if f.severity == "high"] == []
        await pilot.press("enter", "ctrl+n")  # genuine
        await diagnosed(pilot)
        assert app.screen.decision.verdict == "not_covered"
        assert [r.code for r in app.screen.decision.reasons] == ["exclusion.3"]
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen))
        await wait_for(pilot, lambda: "queued" in str(app.screen.query_one("#print-status").render()))
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))

    view = app.station.store.get_case(number)
    assert view.summary.status == "ready" and view.summary.verdict == "not_covered"
    assert view.fields["serial"] == "RN202406182TB104233" and view.fields["purchase_date"] == "2025-01-10"
    assert {(i.key, i.finding, i.note) for i in view.inspection if i.finding} == {
        ("sticker_removed", True, "corner lifted")
    }
    assert view.snapshots[-1].host_bytes_written == 19_515_951_616_000
    assert view.snapshots[-1].raw_output  # smartctl's own output kept as evidence
    assert view.decision.decision["reasons"][0]["code"] == "exclusion.3"
    [ticket] = view.tickets
    assert (ticket.status, ticket.attempts, ticket.last_error) == ("queued", 0, None)  # no printer: no failure
    assert app.station.store.verify_audit().intact


async def test_bad_intake_names_the_field_and_stays(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await new_claim(pilot)
        await pilot.press(*"Li Wei", "tab", "tab", *"NV7000", "tab", *"2000", "tab", *"RN1 /x", "enter")
        assert app.flow.claim.serial == "RN1X"  # the stray characters are refused; the serial is kept canonical
        await pilot.press("tab", *"2027-01-01", "ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen)
        problems = str(app.screen.query_one("#intake-problems").render())
        assert "purchase date: 2027-01-01 is in the future" in problems
        assert "failure description: is required" in problems
        assert "data acknowledgement" in problems


async def test_escape_goes_back_a_step_keeping_the_input(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await typed_to_inspection(pilot)
        await pilot.press("space", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))
        assert app.screen.query_one("#serial").value == "RN202406182TB104233"
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, InspectionScreen))
        assert app.screen.query_one("#found-sticker_removed").value is True


async def test_escape_right_after_typing_keeps_the_field_and_nothing_breaks(bench):
    """Escape within the save pause: the step saves as it leaves; a save still due later is harmless."""
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await new_claim(pilot)
        intake = app.screen
        await pilot.press(*"[bold]Li", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        [draft] = app.station.store.list_drafts()
        assert draft.customer_name == "[bold]Li"
        assert intake._save_timer is None  # the pending save was dropped on leaving
        intake.save_now()  # and one that fires anyway saves into its own case, not into "no claim"
        assert app.station.store.get_case(draft.number).fields["customer_name"] == "[bold]Li"


XT100 = """
[lines.XT100]
interface = "NVMe"
capacities_gb = [2000]
warranty_years = 3
tbw_tb = { 2000 = 10 }
sources = ["test line with figures"]
"""


async def test_tbw_over_the_limit_shows_on_the_gauge_and_decides(bench):
    """A product with a TBW limit: the demo drive has written 19.5 TB against 10 TB."""
    from workbench.screens.tbw import TbwGauge

    app = bench(station_lines=XT100)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.flow = app.station.new_claim()
        app.flow.update(
            customer_name="Li Wei",
            model="XT100",
            capacity_gb="2000",
            serial="RN1",
            proof_of_purchase=True,
            purchase_date="2025-01-10",
            failure_description="slow",
            data_acknowledged=True,
        )
        app.flow.save("smart")
        app.show_step("smart")
        await pilot.pause()
        await wait_for(pilot, lambda: isinstance(app.screen, SmartScreen))
        await drive_chosen(pilot, 8)  # the NV7000 at /dev/nvme0, whose serial is not the label's
        await wait_for(pilot, lambda: "EXCEEDED" in str(app.screen.query_one(TbwGauge).query_one("Static").render()))
        assert "TBW used 195.2%: 19.516 of 10 TB" in str(app.screen.query_one(TbwGauge).query_one("Static").render())
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, CounterfeitScreen))
        await pilot.press("enter", "tab", *"model string differs: test line", "ctrl+n")
        await diagnosed(pilot)
        assert [r.code for r in app.screen.decision.reasons] == ["tbw_exceeded"]
        assert "EXCEEDED" in str(app.screen.query_one(TbwGauge).query_one("Static").render())


async def test_a_claim_left_untouched_leaves_no_case(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await new_claim(pilot)
        await pilot.press("tab", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.station.store.list_cases() == []


async def test_states_read_in_words_and_glyphs_not_only_colour(bench):
    """Issue 13, 7: a ticked box draws ✔ and an unticked one nothing; the proof switch says
    which date starts the warranty; the capacity label keeps its GB."""
    from tests.tui_helpers import screen_text

    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await new_claim(pilot)
        await wait_for(pilot, lambda: "YES: the purchase date starts the warranty" in screen_text(app))
        assert "Capacity (GB)" in screen_text(app)
        app.screen.query_one("#proof_of_purchase").value = False
        await wait_for(pilot, lambda: "NO: the manufacturing date starts the warranty" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await typed_to_inspection(pilot)
        assert "Warranty sticker torn or removed" in screen_text(app) and "✔" not in screen_text(app)
        await pilot.press("space")
        await wait_for(pilot, lambda: "▐✔▌ Warranty sticker torn or removed" in screen_text(app))
