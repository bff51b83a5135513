"""The smaller points of issue 13 (8), each at 80x24: a toast stays with its step, a full field
says so, keys typed with `n` reach the intake, the TBW gauge says one share, `ticket show`
suggests only what works."""

from __future__ import annotations

import os
import subprocess
import sys

import pexpect
import pytest

from policy import TbwCheck
from tests.tui_helpers import SIZE, new_claim, screen_text, type_intake, until_quiet, wait_for
from workbench.screens.inspection import InspectionScreen


def toasts(app) -> list[str]:
    # The toasts on screen (Textual's SVG screenshot leaves its toast layer out).
    return [notification.message for notification in app._notifications]


async def test_a_toast_does_not_follow_to_the_next_step(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await new_claim(pilot)
        await type_intake(pilot)
        app.screen.query_one("#serial").focus()
        await pilot.press("/")  # not on any label: refused, with a toast naming the field
        await wait_for(pilot, lambda: "serial: only letters, digits and '-' (as printed on the label)" in toasts(app))
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, InspectionScreen))
        await pilot.pause(0.3)
        assert toasts(app) == []


async def test_a_full_date_field_says_so_instead_of_dropping_keys(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await new_claim(pilot)
        app.screen.query_one("#purchase_date").focus()
        await pilot.press(*"2025-01-101")
        await wait_for(
            pilot, lambda: "purchase date: is full at 10 characters (YYYY-MM-DD): Backspace corrects it" in toasts(app)
        )
        assert app.screen.query_one("#purchase_date").value == "2025-01-10"


async def test_the_tbw_gauge_says_one_share(bench):
    from textual.app import App

    from workbench.screens.tbw import TbwGauge

    class Gauge(App):
        def compose(self):
            yield TbwGauge()

    app = Gauge()
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(TbwGauge).show(TbwCheck(1200 * 10**12, 19_515_951_616_000), "")
        await pilot.pause()
        text = screen_text(app)
        assert "TBW used 1.6%: 19.516 of 1,200 TB" in text
        assert "2%" not in text  # the bar's own rounded percentage is not drawn beside it


async def test_keys_read_together_with_n_reach_the_intake_in_order(bench):
    """The driver posts one read's keys to the app at once, as a slow link delivers them."""
    from textual import events

    from workbench.screens.home import HomeScreen
    from workbench.screens.intake import IntakeScreen

    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        for character in "nLi Wei\t138":
            key = {"\t": "tab", " ": "space"}.get(character, character)
            app.post_message(events.Key(key, character))
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))
        await wait_for(pilot, lambda: app.screen.query_one("#customer_contact").value == "138")
        assert app.screen.query_one("#customer_name").value == "Li Wei"


async def test_keys_read_before_the_first_screen_is_up_wait_for_it(bench):
    """Keys already queued when the app mounts (typed while it starts) reach the home screen,
    which opens after the mount, in order: the n opens a claim, the rest is its first field."""
    from textual import events

    from workbench.screens.intake import IntakeScreen

    app = bench()
    for character in "nLi Wei":
        app.post_message(events.Key({" ": "space"}.get(character, character), character))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))
        await wait_for(pilot, lambda: app.screen.query_one("#customer_name").value == "Li Wei")


async def test_a_scanned_ticket_keeps_its_first_n(bench):
    """A ticket's text starts with N: read as the ticket's, never as `n` for a new claim."""
    from textual import events

    from workbench.screens.home import HomeScreen

    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        for character in "NWnot-a-ticket":
            app.post_message(events.Key(character, character))
        await wait_for(pilot, lambda: "Reading a ticket: 14 characters" in screen_text(app))
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("typed", ["on the home screen", "as the workbench starts"])
def test_keys_typed_with_n_reach_the_intake(tmp_path, typed):
    """One read of a slow link can hold "nLi Wei": the name was lost before the intake was up.
    Typed ahead of the start, the keys wait for the home screen (it opens after Textual's mount)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("WORKBENCH_", "NO_COLOR"))}
    environment.update(
        WORKBENCH_DATABASE_URL=f"sqlite:///{tmp_path}/cases.db",
        XDG_DATA_HOME=str(tmp_path / "d"),
        XDG_CONFIG_HOME=str(tmp_path / "c"),
        TERM="xterm-256color",
    )
    child = pexpect.spawn(sys.executable, ["-m", "workbench"], env=environment, dimensions=(24, 80), timeout=30)
    try:
        if typed == "on the home screen":
            child.expect("case\\(s\\) today")
        child.send("nLi Wei")  # one write: the keys arrive together
        child.expect("Intake")
        until_quiet(child, quiet_s=1.0, limit_s=10)
        child.send("\x11")  # Ctrl+Q keeps the draft
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    from db import open_store

    [draft] = open_store(f"sqlite:///{tmp_path}/cases.db", station_id="LOCAL", technician="x").list_drafts()
    assert draft.customer_name == "Li Wei"


def test_ticket_show_suggests_only_what_works(tmp_path):
    from db import open_store

    store = open_store(f"sqlite:///{tmp_path}/cases.db", station_id="LOCAL", technician="ana")
    number = store.create_case({"customer_name": "Li Wei"}).number
    store.engine.dispose()
    env = {**os.environ, "WORKBENCH_DATABASE_URL": f"sqlite:///{tmp_path}/cases.db", "HOME": str(tmp_path)}
    env.pop("WORKBENCH_CONFIG", None)
    shown = subprocess.run(
        [sys.executable, "-m", "workbench", "ticket", "show", number],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert shown.returncode == 1
    assert shown.stderr == f"case {number} has no ticket: it is draft, not decided\n"
