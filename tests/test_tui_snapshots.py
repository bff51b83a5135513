"""Each screen at 80x24, as a technician over SSH sees it (pytest-textual-snapshot)."""

from __future__ import annotations

import pytest

from tests.after_helpers import NV7000_FIGURES
from tests.tui_helpers import SIZE, diagnosed, drive_chosen, screen_text, wait_for
from workbench.screens.counterfeit import CounterfeitScreen
from workbench.screens.home import HomeScreen
from workbench.screens.inspection import InspectionScreen
from workbench.screens.intake import IntakeScreen
from workbench.screens.smart import SmartScreen
from workbench.screens.ticket import TicketScreen
from workbench.screens.too_small import TooSmallScreen
from workbench.words.language import _, shown_number

# The waits below read no words: the same ways reach each screen in every language (test_tui_chinese).


async def to_home(pilot):
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    status = pilot.app.screen.query_one("#home-status")
    await wait_for(pilot, lambda: str(status.render()) not in ("", _("Opening the case records…")))


async def to_intake(pilot):
    await to_home(pilot)
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, IntakeScreen))


INTAKE = {
    "customer_name": "Li Wei",
    "customer_contact": "138 0000 0000",
    "model": "NV7000",
    "capacity_gb": "2000",
    "serial": "RN202406182TB104233",
    "proof_of_purchase": True,
    "purchase_date": "2025-01-10",
    "failure_description": "Not detected by the BIOS",
    "data_acknowledged": True,
}


async def at_step(pilot, step: str, **fields):
    """Open a claim with its intake done (typing it is test_tui_flow's job) and show `step`."""
    await to_home(pilot)
    app = pilot.app
    app.flow = app.station.new_claim()
    app.flow.update(**{**INTAKE, **fields})
    app.flow.save(step)
    app.show_step(step)
    await pilot.pause()


async def to_inspection(pilot):
    await at_step(pilot, "inspection")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, InspectionScreen))


async def to_smart(pilot, inspection=None, drive="/dev/nvme0", **fields):
    await at_step(pilot, "smart", inspection={"sticker_removed": True} if inspection is None else inspection, **fields)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SmartScreen))
    await drive_chosen(pilot, {"/dev/nvme0": 8, "/dev/nvme1": 9}[drive])
    await wait_for(pilot, lambda: (pilot.app.flow.claim.drive and pilot.app.flow.claim.drive.device) == drive)


async def to_counterfeit(pilot):
    await to_smart(pilot)
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CounterfeitScreen))


async def to_counterfeit_fake(pilot):
    """The training bench's counterfeit NV7000: four high findings, each wrapped whole."""
    await to_smart(pilot, drive="/dev/nvme1", serial="RN202405022TB553120")
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CounterfeitScreen))


async def to_diagnosis(pilot):
    from workbench.screens.diagnosis import DiagnosisScreen

    await to_counterfeit(pilot)
    await pilot.press("enter", "ctrl+n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiagnosisScreen))
    await wait_for(pilot, lambda: pilot.app.flow.diagnosis.findings is not None)


async def to_decision(pilot):
    await to_counterfeit(pilot)
    await pilot.press("enter", "ctrl+n")
    await diagnosed(pilot)


async def to_decision_nothing_found(pilot):
    """A genuine NV7000 with nothing found at inspection: the reasons are the catalog's."""
    await to_smart(pilot, inspection={})
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CounterfeitScreen))
    await pilot.press("enter", "ctrl+n")
    await diagnosed(pilot)


async def to_ticket(pilot):
    await to_decision(pilot)
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TicketScreen))
    await wait_for(pilot, lambda: str(pilot.app.screen.query_one("#ticket-words").render()) != "")


async def to_ticket_qr(pilot):
    from workbench.screens.ticket_qr import TicketQrScreen

    await to_ticket(pilot)
    await pilot.press("v")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TicketQrScreen))


async def to_policy(pilot):
    from workbench.screens.policy import PolicyScreen

    await to_home(pilot)
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PolicyScreen))
    await wait_for(pilot, lambda: "sha256" in screen_text(pilot.app))


async def to_case(pilot):
    """A covered case whose ticket was given, opened from the home screen's list: repair or replace."""
    from tests.after_helpers import decided_claim
    from workbench.screens.case import CaseScreen

    await to_home(pilot)
    app = pilot.app
    flow = decided_claim(app.station)
    app.station.reprint(flow.number)
    flow.ticket_given()
    app.screen.refresh_cases()
    table = app.screen.query_one("#after")
    await wait_for(pilot, lambda: table.row_count == 1)
    table.focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen.view is not None)


async def to_report(pilot):
    """The station's figures (`f`) over this month: one covered claim."""
    from tests.after_helpers import decided_claim

    await to_home(pilot)
    decided_claim(pilot.app.station)
    await pilot.press("f")
    await wait_for(
        pilot,
        lambda: (
            _("Claims: {claims} (withdrawn, not counted: {withdrawn})").format(
                claims=shown_number(1), withdrawn=shown_number(0)
            )
            in screen_text(pilot.app)
        ),
    )


# The after-the-decision screens need a covered case: the station has Netac's NV7000 figures.
to_case.station_lines = to_report.station_lines = NV7000_FIGURES


@pytest.mark.parametrize(
    "reach",
    [
        to_home,
        to_policy,
        to_intake,
        to_inspection,
        to_smart,
        to_counterfeit,
        to_counterfeit_fake,
        to_diagnosis,
        to_decision,
        to_decision_nothing_found,
        to_ticket,
        to_ticket_qr,
        to_case,
        to_report,
    ],
    ids=lambda f: f.__name__[3:],
)
def test_screen_at_80x24(snap_compare, bench, reach, monkeypatch):
    assert snapshot_matches(snap_compare, bench, reach, monkeypatch)


def snapshot_matches(snap_compare, bench, reach, monkeypatch) -> bool:
    """The screen `reach` leads to, against its snapshot (test_tui_chinese takes it in Chinese)."""
    # How long each smartctl call took is evidence, hashed into the audit chain whose anchor
    # the ticket screen shows: a steady clock for smartctl's runs keeps that anchor the same.
    import time
    from types import SimpleNamespace

    import workbench.inspection.smartctl

    monkeypatch.setattr(workbench.inspection.smartctl, "time", SimpleNamespace(monotonic=lambda: 0.0, sleep=time.sleep))

    async def run_before(pilot) -> None:
        await reach(pilot)
        await pilot.pause(0.2)

    app = bench(station_lines=getattr(reach, "station_lines", ""))
    return snap_compare(app, terminal_size=SIZE, run_before=run_before)


def words(text: str) -> str:
    return " ".join(text.split())


async def test_inspection_checks_fit_and_the_focused_one_shows_its_clause(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await to_inspection(pilot)
        shown = screen_text(app)
        for exclusion in app.station.exclusions():  # whole labels, all ten without scrolling
            assert f"{exclusion.label} ({exclusion.number})" in shown
        await pilot.press("tab", "tab", "tab", "tab")  # sticker, its note, housing, its note: liquid
        [liquid] = [e for e in app.station.exclusions() if e.key == "physical_or_liquid_damage"]
        await wait_for(pilot, lambda: words(liquid.clause.text) in words(screen_text(app)))


async def test_decision_shows_each_reason_and_its_clause_at_80x24(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await to_decision_nothing_found(pilot)
        await pilot.pause(0.2)
        shown = words(screen_text(app))
        reasons = app.screen.decision.reasons
        assert [r.code for r in reasons] == ["unknown_product", "tbw_unverified"]
        for reason in reasons:  # every word of the reason and of its clause, none cut at the edge
            for word in reason.text.split() + (reason.clause.ref.split() if reason.clause else ["catalog"]):
                assert word in shown.split(), word


def test_terminal_too_small_at_60x20(snap_compare, bench):
    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TooSmallScreen))
        await pilot.pause(0.2)

    assert snap_compare(bench(), terminal_size=(60, 20), run_before=run_before)


async def test_the_too_small_notice_goes_when_the_terminal_grows(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await to_inspection(pilot)
        await pilot.press("space")  # the first check (sticker) found
        for size in ((60, 20), (79, 24), (80, 23)):
            await pilot.resize_terminal(*size)
            await wait_for(pilot, lambda: isinstance(app.screen, TooSmallScreen))
            assert f"needs 80x24. This one is {size[0]}x{size[1]}:" in words(screen_text(app))
        await pilot.press("space", "ctrl+n", "escape")  # under the notice nothing is reached
        app.save_draft()  # a hang-up now keeps the step's input
        found = app.station.resume(app.flow.number).claim.inspection
        assert [key for key, ticked in found.items() if ticked] == ["sticker_removed"]
        await pilot.resize_terminal(*SIZE)
        await wait_for(pilot, lambda: isinstance(app.screen, InspectionScreen))
        assert app.screen.query_one("#found-sticker_removed").value is True and len(app.screen_stack) == 3


async def test_the_chosen_conclusion_reads_in_a_glyph_not_only_colour(bench):
    """Issue 13, 7, on the counterfeit step: the chosen conclusion draws ●, the other nothing
    (Textual drew ● for both)."""
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await to_counterfeit(pilot)
        await wait_for(pilot, lambda: "No high finding" in screen_text(app))
        assert "Genuine: the findings are explained" in screen_text(app) and "●" not in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "▐●▌ Genuine: the findings are explained" in screen_text(app))
        assert screen_text(app).count("●") == 1


async def test_counterfeit_findings_are_whole_at_80x24(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await to_counterfeit_fake(pilot)
        await pilot.pause(0.2)
        shown = words(screen_text(app)).split()
        assert [f.severity for f in app.screen.findings].count("high") == 4
        for finding in app.screen.findings:
            for word in finding.message.split():
                assert word in shown, word


def test_the_docs_show_the_screens_as_the_snapshots_draw_them():
    """docs/screens/ holds each 80x24 snapshot above, byte for byte (docs/screens/update.py
    copies them), so a picture in the docs cannot drift from the code."""
    import importlib.util
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "docs" / "screens"
    spec = importlib.util.spec_from_file_location("docs_screens_update", folder / "update.py")
    assert spec and spec.loader
    update = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(update)
    wanted = update.pictures()
    assert len(wanted) >= 14
    shown = {path.name for path in folder.glob("*.svg")}
    assert shown == set(wanted), "run: .venv/bin/python docs/screens/update.py"
    for name, snapshot in wanted.items():
        assert (folder / name).read_bytes() == snapshot.read_bytes(), f"docs/screens/{name}: run docs/screens/update.py"
