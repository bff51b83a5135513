"""What the TUI tests share: the screen size, the bench's day, and ways to drive and read the app.

The `bench` fixture itself (a station, database, clock and technician of its own) is in conftest.py.
"""

from __future__ import annotations

import time
from datetime import date

import pexpect
import pyte

SIZE = (80, 24)
TODAY = date(2026, 11, 24)


class Terminal(pyte.Screen):
    """An emulated terminal that keeps what it was asked to answer and the titles it was given."""

    def __init__(self) -> None:
        super().__init__(*SIZE)
        self.answers: list[str] = []
        self.titles: list[str] = []

    def write_process_input(self, data: str) -> None:
        self.answers.append(data)

    def set_title(self, param: str) -> None:
        self.titles.append(param)

    def set_icon_name(self, param: str) -> None:
        self.titles.append(param)


def until_quiet(child: pexpect.spawn, quiet_s: float, limit_s: float) -> None:
    """Read what a program in a pty writes until it has written nothing for `quiet_s`
    seconds (the screen at rest), or `limit_s` seconds have gone by."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            child.read_nonblocking(10**6, timeout=quiet_s)
        except pexpect.TIMEOUT:
            return


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (workers, timers), or fail."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the workbench did not get there in time")


async def type_intake(pilot, *, serial: str = "RN202406182TB104233") -> None:
    """A claim's intake as a technician types it: Tab between fields, the scanner's Enter."""
    await pilot.press(*"Li Wei", "tab", *"138 0000 0000", "tab", *"NV7000", "tab", *"2000", "tab")
    await pilot.press(*serial, "enter")  # the barcode scanner's Enter moves on
    await pilot.press("tab", *"2025-01-10", "tab", *"2024-12-01", "tab", *"Not detected by the BIOS", "tab", "space")


def screen_text(app) -> str:
    """What the screen shows, as plain lines (from Textual's own SVG screenshot)."""
    import html
    import re
    from collections import defaultdict

    rows: dict[float, list[tuple[float, str]]] = defaultdict(list)
    for match in re.finditer(
        r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot()
    ):
        rows[float(match.group(2))].append((float(match.group(1)), html.unescape(match.group(3))))
    return "\n".join("".join(t for _, t in sorted(row)).replace("\xa0", " ") for _, row in sorted(rows.items()))


async def new_claim(pilot) -> None:
    """From the start of the app to an empty intake form."""
    from workbench.screens.home import HomeScreen
    from workbench.screens.intake import IntakeScreen

    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, IntakeScreen))


async def typed_to_inspection(pilot) -> None:
    """A new claim typed in at intake, now at the inspection step."""
    from workbench.screens.inspection import InspectionScreen

    await new_claim(pilot)
    await type_intake(pilot)
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, InspectionScreen))


# The diagnosis step's conclusions, as the keys that choose them on its list.
CONFIRMED, NOT_FOUND, UNTESTED = ("enter",), ("down", "enter"), ("down", "down", "enter")


async def diagnosed(
    pilot, conclusion=CONFIRMED, note: str = "not detected by the BIOS: reproduced on the bench"
) -> None:
    """From the counterfeit step's Ctrl+N, through the diagnosis step: its conclusion chosen,
    its note typed, and on to the decision."""
    from workbench.screens.decision import DecisionScreen
    from workbench.screens.diagnosis import DiagnosisScreen

    await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiagnosisScreen))
    await wait_for(pilot, lambda: pilot.app.flow.diagnosis.findings is not None)
    await pilot.press(*conclusion, "tab", *note, "ctrl+n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, DecisionScreen))


async def drive_chosen(pilot, row: int | None = None) -> None:
    """At the SMART step: the bench listed and searched for the claimed serial; then the drive at
    `row` chosen with the arrow keys (None: the one the search highlighted), and Enter."""
    await wait_for(pilot, lambda: pilot.app.screen.query_one("#drives").row_count == 13)
    # Searched: the status names the claimed serial, and no longer says it is looking (in any language).
    from workbench.words.language import _

    serial = pilot.app.flow.claim.serial
    looking = _("{count} drive(s). Looking for the claimed drive, serial {serial}…").format(count=13, serial=serial)
    status = pilot.app.screen.query_one("#smart-status")
    await wait_for(pilot, lambda: serial in str(status.render()) and str(status.render()) != looking)
    keys = [] if row is None else ["up"] * 13 + ["down"] * row
    await pilot.press(*keys, "enter")
