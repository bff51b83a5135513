"""Who may decide, at the keyboard: a technician asks, a supervisor decides (issue H1 of the probe).

The acting person is the login: the bench's technician is `ana`; `chen` is a supervisor by
the station's configuration. No one picks a supervisor's name on screen any more.
"""

from __future__ import annotations

import pytest

import workbench.config
from tests.tui_helpers import SIZE, diagnosed, screen_text, typed_to_inspection, wait_for
from workbench.door.case_flow import NotASupervisor, Override
from workbench.screens.counterfeit import CounterfeitScreen
from workbench.screens.home import HomeScreen
from workbench.screens.review import ReviewScreen
from workbench.screens.smart import SmartScreen
from workbench.screens.ticket import TicketScreen
from workbench.screens.verdict import VerdictDialog

REASON = "drive dead on arrival, seen at the counter"


async def to_decision_needing_review(pilot) -> None:
    """A claim whose drive cannot be read: the engine says needs_review (TBW unverified)."""
    app = pilot.app
    await typed_to_inspection(pilot)
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: isinstance(app.screen, SmartScreen))
    await pilot.press("u", "ctrl+n")
    await wait_for(pilot, lambda: isinstance(app.screen, CounterfeitScreen))
    await pilot.press("enter", "ctrl+n")
    await diagnosed(pilot)
    assert app.screen.decision.verdict == "needs_review"


async def change_verdict(pilot, reason: str) -> None:
    """o, the first other verdict in the list, a reason, Ctrl+S."""
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, VerdictDialog))
    await pilot.press("enter", "down", "enter")
    await pilot.press("tab", *reason, "ctrl+s")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, VerdictDialog))


async def test_a_technician_asks_and_the_case_waits_for_a_supervisor(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await to_decision_needing_review(pilot)
        await change_verdict(pilot, REASON)
        assert "Review requested" in screen_text(app) and app.screen.override is None
        number = app.flow.number
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(pilot, lambda: "Your cases waiting for a supervisor: 1" in screen_text(app))
        await wait_for(pilot, lambda: f"ana asks for covered: {REASON}"[:30] in screen_text(app))
    view = app.station.store.get_case(number)
    assert view.summary.status == "review" and view.tickets == ()  # no ticket before a supervisor's verdict
    d = view.decision
    assert (d.verdict, d.override_by, d.override_verdict) == ("needs_review", None, None)
    assert d.review_request == {"verdict": "covered", "reason": REASON, "by": "ana"}
    [entry] = [a for a in view.audit if a.action == "decided"]
    assert entry.actor == "ana" and entry.detail["review_request"]["by"] == "ana"


async def test_a_supervisor_resolves_the_queue_and_the_case_goes_on_to_its_ticket(bench, monkeypatch):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await to_decision_needing_review(pilot)
        await pilot.press("ctrl+n")  # a needs_review decision goes to the queue as it is
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        number = app.station.store.review_queue()[0].summary.number
    monkeypatch.setattr(workbench.config, "login_user", lambda: "chen")  # the supervisor logs in
    supervisor = bench()
    async with supervisor.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "Waiting for a supervisor: 1" in screen_text(supervisor))
        await wait_for(pilot, lambda: "needs_review: unknown_product, tbw_unverified" in screen_text(supervisor))
        await pilot.press("enter")  # the queue has the focus
        await wait_for(pilot, lambda: isinstance(supervisor.screen, ReviewScreen))
        await wait_for(pilot, lambda: "tbw_unverified" in screen_text(supervisor))
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(supervisor.screen, VerdictDialog))
        await pilot.press("enter", "down", "enter")  # the first of covered / not covered / refused
        await pilot.press("tab", *REASON, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(supervisor.screen, TicketScreen))
        await wait_for(pilot, lambda: "Ctrl+N finishes" in screen_text(supervisor))
    view = supervisor.station.store.get_case(number)
    d = view.decision
    assert (d.verdict, d.override_verdict, d.override_by, d.override_reason) == (
        "needs_review",
        "covered",
        "chen",
        REASON,
    )
    assert view.summary.verdict == "covered" and len(view.tickets) == 1
    [entry] = [a for a in view.audit if a.action == "review_resolved"]
    assert entry.actor == "chen" and entry.detail["engine_verdict"] == "needs_review"


async def test_a_supervisor_overrides_at_the_decision_in_their_own_name(bench, monkeypatch):
    monkeypatch.setattr(workbench.config, "login_user", lambda: "chen")
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await to_decision_needing_review(pilot)
        await change_verdict(pilot, REASON)
        assert app.screen.override == Override("covered", REASON) and app.screen.request is None
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen))
        number = app.flow.number
    d = app.station.store.get_case(number).decision
    assert (d.verdict, d.override_by, d.override_verdict, d.override_reason) == (
        "needs_review",
        "chen",
        "covered",
        REASON,
    )


def test_a_technicians_session_cannot_record_an_override(bench):
    """H1: the flow itself refuses, whatever a screen does."""
    app = bench()
    flow = app.station.new_claim()
    flow.update(
        customer_name="Li Wei",
        model="NV7000",
        capacity_gb="2000",
        serial="RN1",
        purchase_date="2025-01-10",
        failure_description="dead",
        data_acknowledged=True,
    )
    flow.save("decision")
    with pytest.raises(NotASupervisor, match="only a supervisor may do this, and ana is not one"):
        flow.record_decision(flow.decide(), Override("covered", "trust me"))
    with pytest.raises(NotASupervisor):
        app.station.resolve_review(flow.number, "covered", "trust me")
    assert app.station.store.get_case(flow.number).decisions == ()


async def test_the_home_screen_says_a_users_file_named_no_supervisor(bench, tmp_path, monkeypatch):
    """F5 at the keyboard: ana's own file naming her supervisor is ignored, and the home screen
    says so (the command line says it on standard error)."""
    mine = tmp_path / "config" / "netac-workbench" / "workbench.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text('[station]\nsupervisors = ["ana"]\n')
    monkeypatch.delenv("WORKBENCH_CONFIG")  # no station file: its user's file in the config folder
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = bench()
    assert not app.station.is_supervisor
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "Configuration:" in screen_text(app))
        shown = "".join(screen_text(app).split())  # a long path wraps anywhere
        said = f"Configuration: {mine}: [station] supervisors ignored: authority comes only from the station's own file"
        assert "".join(said.split()) in shown
