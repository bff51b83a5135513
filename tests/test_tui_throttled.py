"""A whole claim over a slow link: the workbench in a pty whose output reaches the
technician at 64 kbit/s (a branch counter on mobile data). Every key typed shows, and the
claim completes. How long it takes is the benchmark's business (benchmarks/bench_startup.py).
"""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import sys
import time

from tests.conftest import demo_smartctl

LINK_BYTES_PER_S = 64_000 // 8


class SlowLink:
    """The workbench's terminal, read no faster than the link carries: what the workbench
    writes beyond that waits in the pty, as it waits in an SSH channel."""

    def __init__(self, env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the workbench, in an 80x24 terminal
            os.execve(sys.executable, [sys.executable, "-m", "workbench"], env)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.received = bytearray()
        self.opened = time.monotonic()
        self.seen = 0  # what `expect` has already matched

    def _carry(self) -> None:
        allowed = int(LINK_BYTES_PER_S * (time.monotonic() - self.opened)) - len(self.received)
        if allowed <= 0:
            time.sleep(0.02)
            return
        ready, _, _ = select.select([self.fd], [], [], 0.05)
        if ready:
            self.received += os.read(self.fd, min(allowed, 4096))

    def expect(self, *texts: bytes, limit_s: float = 60) -> bytes:
        """Wait until one of `texts` has come over the link since the last match, and return
        it (a limit only so a broken run ends; no figure about speed is asserted)."""
        deadline = time.monotonic() + limit_s
        while True:
            for text in texts:
                found = self.received.find(text, self.seen)
                if found >= 0:
                    self.seen = found + len(text)
                    return text
            assert time.monotonic() < deadline, f"{texts!r} never arrived; last: {bytes(self.received[-400:])!r}"
            self._carry()

    def send(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def close(self) -> None:
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


TAB, ENTER, NEXT, DOWN = b"\t", b"\r", b"\x0e", b"\x1b[B"
# Each field typed, then its echo awaited before the next key (a person looks up).
INTAKE = [b"Li Wei", b"138 0000 0000", b"NV7000", b"2000", b"RN202406182TB104233"]
DATES = [b"2025-01-10", b"2024-12-01", b"Not detected by the BIOS"]


def test_a_whole_claim_over_a_64_kbit_link(tmp_path):
    config = tmp_path / "workbench.toml"  # the bench's smartctl answers as the demo drives would
    config.write_text(f'[smart]\nsmartctl = "{demo_smartctl(tmp_path)}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKBENCH_", "NO_COLOR", "COLORTERM"))}
    env.update(
        TERM="xterm-256color",
        WORKBENCH_CONFIG=str(config),
        WORKBENCH_DATABASE_URL=f"sqlite:///{tmp_path}/cases.db",
        XDG_DATA_HOME=str(tmp_path / "d"),
        XDG_CONFIG_HOME=str(tmp_path / "c"),
    )
    link = SlowLink(env)
    try:
        link.expect(b"New claim")
        link.send(b"n")
        link.expect(b"Step 1/7")
        for n, field in enumerate(INTAKE):
            link.send((TAB if n else b"") + field)
            link.expect(field)
        link.send(ENTER)  # the serial's Enter (a scanner's) moves on, to proof of purchase
        for field in DATES:
            link.send(TAB + field)
            link.expect(field)
        link.send(TAB + b" " + NEXT)  # the customer's acknowledgement, then the next step
        link.expect(b"Step 2/7")
        link.send(b" " + TAB + b"corner lifted")
        link.expect(b"corner lifted")
        link.send(NEXT)
        link.expect(b"Step 3/7")
        link.expect(b"has the claimed serial")  # the training bench's NV7000 2TB, found by its serial
        link.send(ENTER)
        link.expect(b"Health PASSED")  # read and shown
        link.send(NEXT)
        link.expect(b"Step 4/7")
        link.expect(b"high finding")  # the checks have run (Ctrl+N waits for them)
        link.send(ENTER)  # genuine: its line drawn again, pressed
        link.expect(b"Genuine: the findings are explained")
        link.send(NEXT)
        link.expect(b"Step 5/7")
        link.expect(b"SMART health")  # the evidence read
        link.send(ENTER)  # fault confirmed: its line drawn again, pressed
        link.expect(b"Fault confirmed: the failure shows on the drive")
        link.send(TAB + b"reproduced")  # the customer's symptom, seen at the bench
        link.expect(b"reproduced")
        link.send(NEXT)
        link.expect(b"Step 6/7")
        # The verdict depends on the catalog's sourced figures: a case needing review goes
        # to the queue (and home), a decided one on to its ticket.
        verdict = link.expect(b"NOT COVERED", b"NEEDS REVIEW")
        link.send(NEXT)
        if verdict == b"NEEDS REVIEW":
            link.expect(b"New claim")
        else:
            link.expect(b"Step 7/7")
            link.expect(b"queued")
            link.send(NEXT)
            link.expect(b"ready for pickup")
    finally:
        link.close()
    [(status, fields)] = (
        sqlite3.connect(tmp_path / "cases.db").execute("SELECT status, fields FROM case_record").fetchall()
    )
    assert status == ("review" if verdict == b"NEEDS REVIEW" else "ready")
    assert '"customer_name": "Li Wei"' in fields and '"serial": "RN202406182TB104233"' in fields


async def test_the_cursor_blinks_only_where_the_station_asks(bench, tmp_path):
    """A blink is a repaint a slow link carries while nobody types: off by default."""
    from textual.widgets import Input

    from tests.tui_helpers import new_claim, wait_for

    app = bench()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_claim(pilot)
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.pause()
        assert app.focused.cursor_blink is False
    with open(os.environ["WORKBENCH_CONFIG"], "a") as config:
        config.write("[terminal]\ncursor_blink = true\n")
    app = bench()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_claim(pilot)
        await wait_for(pilot, lambda: isinstance(app.focused, Input) and app.focused.cursor_blink)
