"""People's and drives' strings are shown as typed: markup and escape sequences stay inert."""

from __future__ import annotations

from tests.tui_helpers import screen_text, wait_for
from workbench.screens.history import HistoryScreen
from workbench.screens.home import HomeScreen
from workbench.screens.search import SearchScreen

HOSTILE = "[bold]Zhang[/] [link=http://evil.example]Wei[/link] \x1b[2J\x1b]0;owned\x07[/]"


async def test_hostile_strings_show_literally_everywhere(bench):
    app = bench()
    async with app.run_test(size=(120, 40)) as pilot:
        store = app.station.store
        store.create_case(
            {"customer_name": HOSTILE, "serial": "RN1", "model": "NV7000[/]", "failure_description": "[red]x"}
        )
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.screen.refresh_cases()
        await wait_for(pilot, lambda: "Zhang" in screen_text(app))  # the table has painted its row
        text = screen_text(app)
        assert "[bold]Zhang[/] [link=http://evil.example]Wei[/link] [/]" in text
        assert "NV7000[/]" in text and "owned" not in text  # the OSC sequence is gone whole
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.press(*"[bold]zhang", "enter")
        await wait_for(pilot, lambda: "Zhang" in screen_text(app))
        assert "[bold]Zhang[/]" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and "Zhang" in screen_text(app))
        text = screen_text(app)
        assert "failure_description: [red]x" in text and "customer_name: [bold]Zhang[/]" in text


async def test_a_drive_reporting_markup_and_escapes(bench, tmp_path):
    """A counterfeiter's firmware strings reach the screen as plain text."""
    from workbench.inspection.smart import read_drive
    from workbench.inspection.smartctl import ReplaySmartctl

    app = bench()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("n")
        await pilot.pause()
        flow = app.flow
        flow.update(customer_name="x", model="NV7000", capacity_gb="2000")
        flow.save("smart")
        readout = read_drive(ReplaySmartctl("demo"), "/dev/nvme0", 30)
        evil = readout.__class__(
            **{**readout.__dict__, "model": "[bold]Netac[/bold] \x1b[31mNVMe", "firmware": "[link=x]3.S[/link]"}
        )
        flow.record_smart(evil)
        app.show_step("smart")
        await wait_for(pilot, lambda: "Netac" in screen_text(app))
        text = screen_text(app)
        assert "[bold]Netac[/bold] NVMe" in text and "[link=x]3.S[/link]" in text
