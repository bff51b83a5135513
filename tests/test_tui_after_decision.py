"""After the decision at the keyboard (issue 15): a covered case replaced and handed back by
its scanned ticket, a not covered drive handed back, a parcel of three drives, a forged ticket
refused, and the station's figures, all at 80x24."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.after_helpers import NEW_SERIAL, NV7000_FIGURES, decided_claim
from tests.tui_helpers import SIZE, screen_text, wait_for
from workbench.screens.case import CaseScreen
from workbench.screens.hand_back import HandBackDialog
from workbench.screens.home import HomeScreen
from workbench.screens.replacement import ReplacementDialog


@pytest.fixture
def app(bench):
    return bench(station_lines=NV7000_FIGURES)


def given_ticket(app, **claim) -> tuple[str, str]:
    """A decided claim whose ticket was printed and given: its number and the ticket's QR text."""
    flow = decided_claim(app.station, **claim)
    outcome = app.station.reprint(flow.number)
    flow.ticket_given()
    return flow.number, outcome.qr_text


async def open_from_home(pilot, number: str) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    table = app.screen.query_one("#after")
    await wait_for(pilot, lambda: table.row_count > 0)
    table.focus()
    table.move_cursor(row=table.get_row_index(number))
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen.view is not None)


async def test_a_covered_case_is_replaced_then_handed_back_by_its_scanned_ticket(app):
    number, qr_text = given_ticket(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_home(pilot, number)
        text = screen_text(app)
        assert "DECIDED: REPAIR OR REPLACE" in text and "x Replacement" in text and "b Hand back" not in text
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplacementDialog))
        await pilot.press(*"X1", "enter")  # a label of another line: refused, the dialog stays as typed
        await wait_for(
            pilot, lambda: "replacement serial: X1 does not have the format of the NV7000" in screen_text(app)
        )
        assert isinstance(app.screen, ReplacementDialog) and app.screen.query_one("#replacement-serial").value == "X1"
        await pilot.press("backspace", "backspace", *"RN202511012TB000123", "enter")  # the scanner's Enter records it
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen) and "READY FOR PICKUP" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))

        await pilot.press(*qr_text, "enter")  # the customer's ticket, scanned at the home screen
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen.view is not None)
        assert app.screen.number == number and app.screen.by_ticket
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, HandBackDialog))
        assert app.screen.query_one("#collected-by").value == "Li Wei"
        # The dialog asks for the drive's scan and never shows the serial it expects.
        assert all(NEW_SERIAL not in str(w.render()) for w in app.screen.query(Static))
        assert app.screen.query_one("#id-check-reason-row").display  # until the ID is ticked as checked
        await pilot.press("tab", "space")
        await wait_for(pilot, lambda: not app.screen.query_one("#id-check-reason-row").display)
        await pilot.press("tab", *NEW_SERIAL, "enter")  # ID checked; the drive going out scanned
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen) and "HANDED BACK" in screen_text(app))
        assert all(len(line) <= 80 for line in screen_text(app).splitlines())

    view = app.station.case(number)
    assert view.summary.status == "handed_back" and view.replacement.serial == NEW_SERIAL
    h = view.hand_back
    assert (h.collected_by, h.id_checked, h.drive_serial, h.by_ticket) == ("Li Wei", True, NEW_SERIAL, True)


async def test_a_not_covered_drive_is_handed_back(app):
    number, _ = given_ticket(app, inspection={"physical_or_liquid_damage": True})
    async with app.run_test(size=SIZE) as pilot:
        await open_from_home(pilot, number)
        assert "READY FOR PICKUP" in screen_text(app) and "NOT COVERED" in screen_text(app)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, HandBackDialog))
        await pilot.press("ctrl+s")  # the customer, ID not checked, their own drive: nothing to scan
        await wait_for(pilot, lambda: "why not checked: say why the collector's ID was not checked" in screen_text(app))
        assert isinstance(app.screen, HandBackDialog) and app.screen.focused.id == "id-check-reason"
        await pilot.press(*"known regular", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen) and "HANDED BACK" in screen_text(app))
        assert "ID NOT checked: known regular" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(pilot, lambda: app.screen.query_one("#after").row_count == 0)
    h = app.station.case(number).hand_back
    assert (h.collected_by, h.id_checked, h.id_check_reason, h.by_ticket) == ("Li Wei", False, "known regular", False)


async def test_a_forged_ticket_says_so_and_opens_nothing(app):
    number, qr_text = given_ticket(app)

    def altered(at: int) -> str:
        return qr_text[:at] + ("1" if qr_text[at] != "1" else "2") + qr_text[at + 1 :]

    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        for text, why in (
            (altered(-5), "the signature does not match"),  # a signature digit
            (altered(40), "its facts are damaged"),  # a fact's digit
            ("NOT A TICKET", "not a workbench ticket"),
        ):
            await pilot.press(*text, "enter")
            await wait_for(pilot, lambda why=why: why in screen_text(app))
            assert "Ticket NOT GENUINE" in screen_text(app) and "Nothing opened." in screen_text(app)
            assert isinstance(app.screen, HomeScreen)
    assert app.station.case(number).summary.status == "decided"


async def test_three_drives_go_to_netac_in_one_parcel(app):
    numbers = []
    for i in range(3):
        number, _ = given_ticket(app, serial=f"RN202303092TB6777{i:02d}")
        app.station.record_replacement(number, f"RN202511012TB0001{i:02d}", "NV7000", "2000")
        numbers.append(number)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("k")
        await wait_for(pilot, lambda: app.screen.query("#pending") and app.screen.query_one("#pending").row_count == 3)
        await pilot.press("space", "down", "space", "down", "space")
        app.screen.query_one("#reference").value = "SF1234567890"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Packing list SZ01-S2026-0001" in screen_text(app))
        assert app.screen.query_one("#pending").row_count == 0
    [shipment] = app.station.shipments()
    assert [d.case_number for d in shipment.drives] == numbers and shipment.reference == "SF1234567890"


async def test_the_station_figures_at_80x24(app):
    number, _ = given_ticket(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("f")
        await wait_for(pilot, lambda: "Claims: 1" in screen_text(app))
        text = screen_text(app)
        assert "NV7000 2000 GB" in text and "covered" in text
        assert all(len(line) <= 80 for line in text.splitlines())
