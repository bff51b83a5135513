"""An unexpected error: the draft is kept, the details go to a log, one line is shown."""

from __future__ import annotations

import pytest

from tests.tui_helpers import SIZE, typed_to_inspection, wait_for
from workbench.door.case_flow import CaseFlow
from workbench.screens.smart import SmartScreen


async def test_an_unexpected_error_keeps_the_draft_and_logs(bench, tmp_path, monkeypatch, capfd):
    def broken(self):
        raise RuntimeError("a bug in a step")

    monkeypatch.setattr(CaseFlow, "decide", broken)
    app = bench()
    with pytest.raises(RuntimeError, match="a bug in a step"):  # Pilot re-raises it for the test
        async with app.run_test(size=SIZE) as pilot:
            await typed_to_inspection(pilot)
            number = app.flow.number
            await pilot.press("ctrl+n")
            await wait_for(pilot, lambda: isinstance(app.screen, SmartScreen))
            await pilot.press("u", "ctrl+n", "enter", "ctrl+n")  # unreadable, genuine, to the diagnosis
            await wait_for(pilot, lambda: app.flow.diagnosis.findings is not None)
            await pilot.press("enter", "ctrl+n")  # fault confirmed: the drive cannot be read
            await pilot.pause(0.5)
    assert app.return_code == 1
    shown = " ".join(capfd.readouterr().err.split())
    assert "workbench: unexpected error (RuntimeError); details in" in shown and "Traceback" not in shown
    assert f"Case {number} is kept as a draft." in shown
    log = tmp_path / "data" / "netac-workbench" / "workbench-errors.log"
    assert "RuntimeError: a bug in a step" in log.read_text()  # the details, for the station manager
    case = app.station.store.get_case(number).summary
    assert (case.status, case.step) == ("draft", "decision")  # resumable where it broke
