"""The workbench in a real pseudo-terminal: 16 colours, NO_COLOR, and a hang-up keeping the draft."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import sys

import pexpect

from tests.conftest import demo_smartctl
from tests.tui_helpers import until_quiet


def spawn(tmp_path, dimensions=(24, 80), **env) -> pexpect.spawn:
    """The workbench in a pty; its bench's smartctl answers as the demo drives would."""
    config = tmp_path / "workbench.toml"
    config.write_text(f'[smart]\nsmartctl = "{demo_smartctl(tmp_path)}"\n')
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("WORKBENCH_", "NO_COLOR", "COLORTERM"))}
    environment.update(
        WORKBENCH_CONFIG=str(config),
        WORKBENCH_DATABASE_URL=f"sqlite:///{tmp_path}/cases.db",
        XDG_DATA_HOME=str(tmp_path / "d"),
        XDG_CONFIG_HOME=str(tmp_path / "c"),
        **env,
    )
    return pexpect.spawn(sys.executable, ["-m", "workbench"], env=environment, dimensions=dimensions, timeout=30)


def screen_until(child: pexpect.spawn, text: str) -> bytes:
    child.expect(re.escape(text))
    return child.before + child.after


GREYS = {0, 7, 8, 15, 16, 231} | set(range(232, 256))  # xterm-256 colours without hue


def colours(output: bytes) -> set[int]:
    return {int(n) for n in re.findall(rb"[34]8;5;(\d+)", output)}


def test_sixteen_colours(tmp_path):
    child = spawn(tmp_path, TERM="xterm-16color")
    try:
        output = screen_until(child, "New claim")
        assert not re.search(rb"[34]8;[25];", output)  # no 256-colour or true-colour sequences
        assert re.search(rb"\x1b\[[0-9;]*[34][0-7]m", output)  # but the 16 colours are used
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_no_color_draws_in_greys(tmp_path):
    child = spawn(tmp_path, TERM="xterm-256color", NO_COLOR="1")
    try:
        output = screen_until(child, "New claim")
        assert colours(output) and colours(output) <= GREYS
        assert not re.search(rb"[34]8;2;", output)
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_a_hang_up_keeps_what_was_typed(tmp_path):
    child = spawn(tmp_path, TERM="xterm-256color")
    try:
        screen_until(child, "New claim")
        child.send("n")
        screen_until(child, "Intake")
        child.send("Li Wei\t138")
        child.expect("138")  # on screen, then the link drops before the 0.4 s pause saves it
        child.kill(signal.SIGHUP)
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    [(fields,)] = sqlite3.connect(tmp_path / "cases.db").execute("SELECT fields FROM case_record").fetchall()
    assert '"customer_name": "Li Wei"' in fields and '"customer_contact": "138"' in fields


def test_keys_typed_ahead_land_in_their_fields(tmp_path):
    """A whole intake arriving in one burst (typing ahead over a slow link, a scanner)."""
    child = spawn(tmp_path, TERM="xterm-256color")
    try:
        screen_until(child, "New claim")
        child.send("n")
        screen_until(child, "Intake")
        child.send("Li Wei\t138 0000 0000\tNV7000\t2000\tRN202406182TB104233\r\t2025-01-10\t")
        child.expect("2025-01-10")  # read and shown; Ctrl+Q then keeps the draft
        child.send("\x11")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    [(fields,)] = sqlite3.connect(tmp_path / "cases.db").execute("SELECT fields FROM case_record").fetchall()
    import json

    fields = json.loads(fields)
    assert {
        k: fields.get(k)
        for k in ("customer_name", "customer_contact", "model", "capacity_gb", "serial", "purchase_date")
    } == {
        "customer_name": "Li Wei",
        "customer_contact": "138 0000 0000",
        "model": "NV7000",
        "capacity_gb": "2000",
        "serial": "RN202406182TB104233",
        "purchase_date": "2025-01-10",
    }


def test_a_terminal_too_small_says_so_until_it_grows(tmp_path):
    child = spawn(tmp_path, dimensions=(20, 60), TERM="xterm-256color")
    try:
        screen_until(child, "Terminal too small: needs 80x24.")
        child.send("n")  # reaches nothing under the notice
        child.setwinsize(22, 70)  # the terminal sends SIGWINCH, as a window dragged larger does
        screen_until(child, "This one is 70x22")  # by now the key was read, and ignored
        child.setwinsize(24, 80)
        screen_until(child, "New claim")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert not sqlite3.connect(tmp_path / "cases.db").execute("SELECT number FROM case_record").fetchall()


def test_typing_goes_on_while_another_process_holds_the_database(tmp_path):
    """Probe M4: another technician's process holds the write lock for 20 s. Every key typed
    meanwhile is on screen while the lock is still held, the step says what it waits for,
    and the draft has it all once the lock goes."""
    import json
    import time

    child = spawn(tmp_path, TERM="xterm-256color")
    try:
        screen_until(child, "New claim")
        child.send("n")
        screen_until(child, "Intake")
        child.send("Li Wei")
        screen_until(child, "-2026-000001")  # the first save made the case (and the database)
        holder = sqlite3.connect(tmp_path / "cases.db", isolation_level=None, timeout=30)
        holder.execute("BEGIN IMMEDIATE")  # another process's long write
        locked_at = time.monotonic()
        for text in ("\t138 0000 0000", "\tNV7000", "\t2000"):
            child.send(text)
            child.expect(re.escape(text.strip()), timeout=5)  # echoed at once, the lock notwithstanding
            time.sleep(0.6)  # a pause in typing: the draft's save starts, and waits for the lock
        child.expect(re.escape("the database is busy"), timeout=5)
        assert time.monotonic() - locked_at < 20, "the keys should have shown while the lock was held"
        time.sleep(max(0.0, 20 - (time.monotonic() - locked_at)))
        holder.execute("COMMIT")
        holder.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the waiting save goes through once the lock is free
            [(fields,)] = sqlite3.connect(tmp_path / "cases.db").execute("SELECT fields FROM case_record").fetchall()
            if json.loads(fields).get("capacity_gb") == "2000":
                break
            time.sleep(0.5)
        child.send("\x11")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    fields = json.loads(fields)
    assert (fields["customer_name"], fields["customer_contact"], fields["model"], fields["capacity_gb"]) == (
        "Li Wei",
        "138 0000 0000",
        "NV7000",
        "2000",
    )


def test_nothing_is_written_while_nobody_types(tmp_path):
    """Issue 16: no cursor blink (or any other redraw) while the technician reads the screen;
    a station that wants the blink sets [terminal] cursor_blink = true."""
    import time

    child = spawn(tmp_path, TERM="xterm-256color")
    try:
        screen_until(child, "case(s) today")  # the home screen has read the records
        child.send("n")
        screen_until(child, "Intake")
        # the form settles: focus drawn, the footer's keys, late workers; a whole second
        # without a byte and the screen is at rest
        until_quiet(child, quiet_s=1.0, limit_s=15)
        idle = b""
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            try:
                idle += child.read_nonblocking(10**6, timeout=0.5)
            except pexpect.TIMEOUT:
                pass
        assert idle == b"", idle[:300]
        child.send("\x11")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_no_escape_from_the_records_reaches_the_terminal(tmp_path):
    """Issue 14: a draft whose customer, serial and model hold escape sequences (a clipboard
    write, a window title, a screen clear, a bidi override) is listed and resumed, and none of
    them reaches the technician's terminal."""
    from db import open_store

    hostile = "Li\x1b]52;c;cHduZWQ=\x07 Wei\x1b]0;PWNTITLE\x07\u202e"
    store = open_store(f"sqlite:///{tmp_path}/cases.db", station_id="LOCAL", technician="ana")
    store.create_case(
        {"customer_name": hostile, "serial": "RN1\x1b[2J", "model": "NV\x9b2J7000", "failure_description": hostile}
    )
    store.engine.dispose()
    child = spawn(tmp_path, TERM="xterm-256color")
    try:
        output = screen_until(child, "Li Wei")  # the home screen lists the draft, cleaned
        child.send("r")  # resume it: its intake form shows the same fields
        output += screen_until(child, "Intake")
        try:
            while True:
                output += child.read_nonblocking(10**6, timeout=2.0)
        except pexpect.TIMEOUT:
            pass
        child.send("\x11")
        child.expect(pexpect.EOF)
        output += child.before
    finally:
        child.close(force=True)
    for raw in (b"\x1b]52;", b"PWNTITLE\x07", b"\x1b]0;PWN", "\x9b".encode(), "\u202e".encode()):
        assert raw not in output, raw


async def test_a_still_gauge_keeps_no_timer_and_textuals_bar_does():
    """The workaround in workbench.screens.widgets.Gauge is still needed (Textual's ProgressBar
    starts a one-second timer that updates it, and so repaints it, for a time-left estimate
    shown or not: measured at 166 bytes a second over a terminal by benchmarks/bench_diagnosis.py)
    and still works (the Gauge keeps no timer, and is painted when its progress changes)."""
    from textual.app import App
    from textual.widgets import ProgressBar

    from workbench.screens.widgets import Gauge

    painted = []

    class CountedGauge(Gauge):
        def refresh(self, *args, **kwargs):
            painted.append(self.percentage)
            return super().refresh(*args, **kwargs)

    class Bars(App):
        def compose(self):
            yield ProgressBar(total=100, show_eta=False, id="textual")
            yield CountedGauge(total=100, show_eta=False, id="ours")

    async with Bars().run_test() as pilot:
        await pilot.pause(0.2)
        assert pilot.app.query_one("#textual")._timers  # Textual's bar updates itself every second
        gauge = pilot.app.query_one(CountedGauge)
        assert not gauge._timers
        painted.clear()
        gauge.update(progress=60)
        await pilot.pause(0.2)
        assert painted and gauge.percentage == 0.6
