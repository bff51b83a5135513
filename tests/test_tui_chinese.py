"""Each screen at 80x24 in Simplified Chinese: its whole text shown (wrapped by cell width, never a
character cut), no English left where a person reads, and a snapshot beside the English one."""

from __future__ import annotations

import re

import pytest
from textual.containers import ScrollableContainer
from textual.css.query import NoMatches
from textual.errors import NoWidget
from textual.geometry import Region
from textual.widgets import Select, Static

from tests import test_tui_snapshots as english
from tests.tui_helpers import SIZE, screen_text, wait_for

# Words that stay as they are in Chinese: the demo's data (names, models, serials, devices, paths),
# units, and terms a Chinese counter uses in English (SMART, TBW, NVMe, QR, the firmware's own words).
KEPT = set(
    """
    Li Wei NV NV7000 NV5000 NV3000 NV2000 N600S N530S N930E NT01NV7000 RN BIOS Netac Shenzhen Futian SZ01 TRAIN
    SMART TBW NVMe SATA SSD QR GB TB MB KB LBA PCIe USB ID OK ESC POS PDF CUPS CSV JSON sha256 dev nvme
    sda sdb sdc sdd sde sdk PASSED FAILED Ctrl Tab Enter Esc Escape Space Shift ana chen wang NWT NW2 TRAINING
    smartctl sat scsi sntrealtek Realtek device Maxio
    workbench audit verify report csv printer kind none
    Not detected reproduced bench
    """.split()
)
# (smartctl's scan output and a controller's maker; commands and configuration keys, which are
# typed as they are; the technician's note typed at the diagnosis step, "not detected by the BIOS:
# reproduced on the bench")
ENGLISH_WORD = re.compile(r"(?<![\w/.-])[A-Za-z][a-z]{2,}(?![\w/.-])")


def english_left(text: str, policy=None) -> list[str]:
    """English words on a Chinese screen, but data, kept terms and Netac's own words (its clauses
    and where they stand on its page: quoted as Netac wrote them, marked as Netac's English)."""
    netacs: set[str] = set()
    if policy is not None:
        for clause in [*policy.clauses.values(), *(e.clause for e in policy.exclusions)]:
            netacs |= set(ENGLISH_WORD.findall(f"{clause.ref} {clause.text}"))
    # A dialog covers part of the screen under it: a Netac word it cuts shows only in part.
    return sorted({w for w in ENGLISH_WORD.findall(text) if w not in KEPT | netacs and not any(w in n for n in netacs)})


def cut_text(app) -> list[str]:
    """Each label and text on the screen whose text is not shown whole: rendered shorter than it is
    at its size, or placed where the screen cannot show or scroll to it."""
    problems = []
    screen = app.screen
    for widget in screen.query(Static):
        if not widget.display or not widget.visible or any(isinstance(a, Select) for a in widget.ancestors):
            continue  # (a Select's own arrows and overlay are Textual's, not text)
        wanted = "".join(str(widget.render()).split())
        if not wanted:
            continue
        width, height = widget.outer_size  # the padding and border drawn too
        if width == 0 or height == 0:  # laid out to nothing (a bar's hidden percentage): not shown at all
            continue
        drawn = "".join("".join(strip.text.split()) for strip in widget.render_lines(Region(0, 0, width, height)))
        if wanted not in drawn:
            problems.append(f"{widget!r}: {wanted[:40]!r} drawn as {drawn[:40]!r}")
            continue
        try:
            geometry = screen.find_widget(widget)
        except (NoWidget, NoMatches):
            continue  # scrolled out of view: a scrollable container shows it on the way
        if not geometry.clip.contains_region(geometry.region) and not any(
            isinstance(a, ScrollableContainer) for a in widget.ancestors
        ):
            problems.append(f"{widget!r}: {wanted[:40]!r} falls outside the screen")
    return problems


REACH = [
    english.to_home,
    english.to_policy,
    english.to_intake,
    english.to_inspection,
    english.to_smart,
    english.to_counterfeit,
    english.to_counterfeit_fake,
    english.to_diagnosis,
    english.to_decision,
    english.to_decision_nothing_found,
    english.to_ticket,
    english.to_ticket_qr,
    english.to_case,
    english.to_report,
]


async def to_history(pilot):
    """The whole case (h on the case screen): everything recorded on it."""
    from workbench.screens.history import HistoryScreen

    await english.to_case(pilot)
    await pilot.press("h")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen))
    await pilot.pause(0.3)


async def to_replacement(pilot):
    """The replacement dialog (x on the case screen)."""
    await english.to_case(pilot)
    screen = pilot.app.screen
    await pilot.press("x")
    await wait_for(pilot, lambda: pilot.app.screen is not screen)


async def to_search(pilot):
    from workbench.screens.search import SearchScreen

    await english.to_case(pilot)
    await pilot.press("escape")
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "HomeScreen")
    await pilot.press("slash")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SearchScreen))
    pilot.app.screen.query_one("#query").value = "Li Wei"  # typing is test_tui_history's business
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.screen.query_one("#results").row_count >= 1)


async def to_shipment(pilot):
    from workbench.screens.shipment import ShipmentScreen

    await english.to_home(pilot)
    await pilot.press("k")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ShipmentScreen))
    await pilot.pause(0.3)


async def to_withdraw(pilot):
    """The palette's withdraw dialog over the intake of a claim."""
    from workbench.screens.withdraw import WithdrawDialog

    await english.to_inspection(pilot)
    pilot.app.push_screen(WithdrawDialog(pilot.app.flow.number, pilot.app.flow.withdraw))
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, WithdrawDialog))


async def to_verdict(pilot):
    """A supervisor changes the verdict (o at the decision step): the verdict dialog."""
    from workbench.screens.decision import DecisionScreen

    await english.to_decision(pilot)
    assert isinstance(pilot.app.screen, DecisionScreen)
    screen = pilot.app.screen
    await pilot.press("o")
    await wait_for(pilot, lambda: pilot.app.screen is not screen)


for _reach in (to_history, to_replacement):
    _reach.station_lines = english.NV7000_FIGURES
to_search.station_lines = english.NV7000_FIGURES
MORE = [to_history, to_replacement, to_search, to_shipment, to_withdraw, to_verdict]


@pytest.mark.parametrize("reach", REACH + MORE, ids=lambda f: f.__name__[3:])
async def test_each_screen_is_whole_and_chinese_at_80x24(bench, chinese, reach, monkeypatch):
    app = bench(station_lines=getattr(reach, "station_lines", ""))
    async with app.run_test(size=SIZE) as pilot:
        await reach(pilot)
        await pilot.pause(0.2)
        shown = screen_text(app)
        left = english_left(shown, app.station.policy)
        assert not left, f"English left on the screen: {left}\n{shown}"
        assert not cut_text(app), "\n".join(cut_text(app))


@pytest.mark.parametrize("reach", REACH, ids=lambda f: f.__name__[3:])
def test_screen_at_80x24_in_chinese(snap_compare, bench, chinese, reach, monkeypatch):
    """The English snapshots' screens, in Chinese (tests/__snapshots__/test_tui_chinese)."""
    assert english.snapshot_matches(snap_compare, bench, reach, monkeypatch)


def test_terminal_too_small_in_chinese(snap_compare, bench, chinese):
    from tests.tui_helpers import wait_for
    from workbench.screens.too_small import TooSmallScreen

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TooSmallScreen))
        await pilot.pause(0.2)
        assert "80x24" in screen_text(pilot.app) and not english_left(screen_text(pilot.app))

    assert snap_compare(bench(), terminal_size=(60, 20), run_before=run_before)
