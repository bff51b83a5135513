"""A forged ticket carrying escape sequences, scanned at the counter (probe finding F1).

Anyone holding a printed QR can make one: a digits-only NW2 ticket whose every text (station,
case number, model, capacity, serial, verdict, remedy, policy) holds a title change, a screen
erase, a cursor move, a position query, a device-control string or C1 controls, signed by a
key the station does not trust. Its texts are cleaned where the ticket is read
(`TicketFacts`, `Verification`), and what the counter shows of it is only the refusal: the
title and every other cell of the terminal stay as they were.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pexpect
import pyte
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_tui_terminal import screen_until, spawn
from tests.ticket_helpers import station_config
from tests.tui_helpers import SIZE, Terminal, wait_for
from workbench.ticket.issue import verify_ticket
from workbench.ticket.payload import FACT_NAMES, TicketFacts, signed_text

KINDS = {
    "OSC ended by ST": "\x1b]0;PWNED\x1b\\\x1b]52;c;cHduZWQ=\x1b\\",
    "OSC ended by BEL": "\x1b]2;PWNED\x07\x1b]52;c;cHduZWQ=\x07",
    "CSI": "\x1b[2J\x1b[3;1HHIJACK\x1b[6n",
    "DCS": "\x1bP$qPWNED\x1b\\\x1bP+q544e\x1b\\",
    "C1": "\x9b2J\x9b3;1HHIJACK\x9d0;PWNED\x9c\x9b6n",
}
RAW = ("\x1b", "\x07", "\x9b", "\x9c", "\x9d", "\x90")


def forged(hostile: str, station: str = "LOCAL") -> str:
    """A digits-only NW2 ticket with `hostile` in each of its texts, signed by a stranger's key.
    (Made from the texts as given: TicketFacts would clean them, so the packing is done raw.)"""
    texts = {name: f"{name[:2]}{hostile}[b]" for name in FACT_NAMES}
    texts |= {"case_number": f"{station}-2026-1{hostile}", "station": f"{station}{hostile}[b]", "date": "2026-11-24"}
    facts = TicketFacts.__new__(TicketFacts)
    for name, value in texts.items():
        object.__setattr__(facts, name, value)
    return signed_text(facts, Ed25519PrivateKey.generate())


def test_a_forged_tickets_texts_are_raw_in_its_digits():
    """The forgery is what a scanner would type (NW2 and digits), and it does carry the raw texts."""
    from workbench.ticket.payload import _from_digits

    for hostile in KINDS.values():
        text = forged(hostile)
        assert text.startswith("NW2") and text[3:].isdigit()
        assert hostile.encode() in _from_digits(text[3:])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    hostile=st.lists(st.sampled_from(list(KINDS.values())) | st.text(max_size=10), max_size=2).map("".join),
    station=st.sampled_from(["LOCAL", "SZ01", "BJ02", "TRAIN"]),
)
def test_what_a_ticket_says_is_clean_whatever_it_holds(tmp_path, hostile, station):
    """Every text of a verification (its message, station and facts) is clean, for tickets of
    this station, another, an unknown one and the training bench."""
    config = station_config(tmp_path, station="LOCAL")
    result = verify_ticket(forged(hostile, station), config)
    assert result.verdict_word == "NOT GENUINE"
    for text in (result.message, result.station, *(getattr(result.facts, name) for name in FACT_NAMES)):
        assert not any(c in text for c in RAW), text
    assert len(result.message) < 200


def test_ticket_verify_prints_nothing_raw(tmp_path):
    config = station_config(tmp_path, station="LOCAL")
    env = {**os.environ, "WORKBENCH_CONFIG": str(config.station_file)}
    for hostile in KINDS.values():
        done = subprocess.run(
            [sys.executable, "-m", "workbench", "ticket", "verify", "--offline", forged(hostile)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 1 and done.stdout.startswith("NOT GENUINE: station LOCAL") and "[b]" in done.stdout
        assert not any(c in done.stdout + done.stderr for c in RAW), done.stdout


def read_into(child: pexpect.spawn, stream: pyte.Stream, quiet_s: float, limit_s: float) -> bytes:
    """What the workbench writes until it is quiet for `quiet_s`, fed to the emulated terminal."""
    out = b""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            out += child.read_nonblocking(10**6, timeout=quiet_s)
        except pexpect.TIMEOUT:
            break
    stream.feed(out.decode("utf-8", "replace"))
    return out


SCANS = {kind: (forged(hostile), "is not among this station's trusted keys") for kind, hostile in KINDS.items()}
SCANS["5,000 digits"] = ("NW2" + "7" * 5000, "is longer than any ticket")


@pytest.mark.parametrize("scan", SCANS, ids=list(SCANS))
def test_a_scanned_forgery_changes_nothing_but_the_status_and_a_toast(tmp_path, scan):
    text, why = SCANS[scan]
    terminal = Terminal()
    stream = pyte.Stream(terminal)
    child = spawn(tmp_path, TERM="xterm-256color")
    try:
        stream.feed(screen_until(child, "case(s) today").decode())
        read_into(child, stream, quiet_s=0.8, limit_s=15)  # at rest
        before = list(terminal.display)
        answers = len(terminal.answers)
        child.send(text + "\r")  # the scanner types the QR's text, then Enter
        out = read_into(child, stream, quiet_s=1.5, limit_s=30)
        child.send("\x11")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    after = list(terminal.display)
    first = next(row for row, line in enumerate(after) if line.startswith("Ticket NOT GENUINE: "))
    last = next(row for row, line in enumerate(after) if row >= first and "Nothing opened." in line)
    status = " ".join(line.strip() for line in after[first : last + 1])
    assert why in status
    if scan != "5,000 digits":
        assert "station LOCAL" in status and "[b] is not among" in status  # cleaned, its markup literal
    # the toast, in the lower right corner, says it too
    toast = [row for row, line in enumerate(after) if line[39:41] == "▌ "]
    assert toast and "Ticket NOT GENUINE" in " ".join(after[row][41:] for row in toast)
    for row, (was, now) in enumerate(zip(before, after, strict=True)):
        if first <= row <= last:
            continue
        if row in toast:
            was, now = was[:39], now[:39]
        assert now == was, (row, was, now)
    assert not any("PWNED" in title for title in terminal.titles)
    assert terminal.answers[answers:] == []  # no position or device query reached it
    assert not any(c.encode() in out for c in RAW[2:]) and b"\x1b]0;" not in out and b"\x1bP" not in out


async def test_the_widgets_clean_what_they_quote(bench):
    """The status line, the toast and the case's notice clean what they are given, whoever
    composed it (a second wall behind Verification's own cleaning)."""
    from workbench.screens.case import CaseScreen

    app = bench()
    said = "Ticket NOT GENUINE: station SZ01\x1b]0;PWNED\x07\x9b2J[b]. Nothing opened."
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "case(s) today" in str(app.screen.query_one("#home-status").render()))
        app.screen._ticket_refused(said)
        await pilot.pause()
        status = str(app.screen.query_one("#home-status").render())
        toasts = [n.message for n in app._notifications]
    assert status == toasts[-1] == "Ticket NOT GENUINE: station SZ01[b]. Nothing opened."
    assert CaseScreen("SZ01-2026-000001", notice=said).notice == toasts[-1]
