"""A supervisor teaches a new line its identity at the counter (issue 25, 3): p on the home
screen, t on the policy screen, the line, the genuine drive and its source; each proposed fact
ticked; the station copy records them. A technician is told it is a supervisor's action."""

from __future__ import annotations

import workbench.config
from tests.test_tui_policy import to_policy
from tests.tui_helpers import SIZE, screen_text, wait_for
from workbench.screens.teach import TeachDialog

SOURCE = "TEST FIGURES, not Netac's: a test table for issue 25"
NEW_LINE = f"""
[station_lines."NV7000-Q"]
capacities_gb = [1000, 2000]
sources = ["{SOURCE}"]
"""
GENUINE = "sealed retail unit, receipt TEST-4711"


async def test_a_supervisor_teaches_a_new_line_its_identity_from_the_policy_screen(bench, monkeypatch):
    monkeypatch.setattr(workbench.config, "login_user", lambda: "chen")  # one of the station's supervisors
    app = bench(NEW_LINE)
    async with app.run_test(size=SIZE) as pilot:
        await to_policy(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TeachDialog))
        dialog = app.screen
        assert "NV7000-Q" in app.station.lines_to_teach()
        await app.workers.wait_for_complete()  # the bench's drives, listed
        dialog.query_one("#device").value = "/dev/nvme0"
        dialog.query_one("#line").value = "nv7000 q"
        dialog.query_one("#source").value = GENUINE
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: dialog.proposed is not None)
        await wait_for(pilot, lambda: "Record the ticked facts (Ctrl+S)" in screen_text(app))  # the button whole
        for fact in ("model_patterns", "firmware_patterns", "controller"):
            dialog.query_one(f"#tick-{fact}").value = True  # the serial format is left out
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, TeachDialog))
        await wait_for(pilot, lambda: app.station.identity_missing("NV7000-Q") == ("serial_pattern",))
    identity = app.station.policy.catalog.lookup("NV7000-Q", 2000).identity
    assert identity.controller == "InnoGrit (PCI vendor 0x1f40, subsystem 0x1dbe)"
    assert dict(identity.taught) == dict.fromkeys(("model_patterns", "firmware_patterns", "controller"), GENUINE)


async def test_a_technician_is_told_teaching_is_a_supervisors_action(bench):
    app = bench(NEW_LINE)
    async with app.run_test(size=SIZE) as pilot:
        await to_policy(pilot)
        await pilot.press("t")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, TeachDialog)
        assert [n.message for n in app._notifications] == [
            "Teaching a line its identity is a supervisor's action; you are ana."
        ]
        assert app.station.identity_missing("NV7000-Q")  # nothing taught


async def test_the_drive_list_shows_what_smartctl_says_as_it_says_it(bench, monkeypatch):
    """A drive's description ("/dev/sda [SAT], ATA device") is data: "[SAT]" is not markup."""
    from textual.widgets import Select

    monkeypatch.setattr(workbench.config, "login_user", lambda: "chen")
    app = bench(NEW_LINE)
    async with app.run_test(size=SIZE) as pilot:
        await to_policy(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TeachDialog))
        await app.workers.wait_for_complete()
        select = app.screen.query_one("#device", Select)
        select.focus()
        await pilot.press("enter")  # the list opens
        await wait_for(pilot, lambda: select.expanded)
        await pilot.pause(0.2)
        assert "/dev/sda /dev/sda [SAT], ATA device" in screen_text(app)
