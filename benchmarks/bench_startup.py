"""Start-up time and terminal traffic, as a technician's terminal sees them.

    .venv/bin/python benchmarks/bench_startup.py [RUNS]

1. Time from launch to the intake form ready for typing (`workbench --new-claim`), against
   a bare Textual app with a Header and a Footer started the same way (a new Python process
   in an 80x24 pseudo-terminal), as medians of RUNS (default 7) and their ratio. Target < 1.5.
2. Bytes the workbench writes to the terminal for a whole scripted claim (docs/keys.md) on
   the training bench: what a slow SSH link has to carry.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import textwrap
import time
from pathlib import Path

BARE_APP = textwrap.dedent("""
    from textual.app import App
    from textual.widgets import Footer, Header, Input
    class Bare(App):
        def compose(self):
            yield Header()
            yield Input(placeholder="Name")
            yield Footer()
        def on_ready(self):
            self.screen.query_one(Input).focus()
            self.sub_title = "READY-MARK"
    Bare().run()
""")


class Terminal:
    """A process in an 80x24 pseudo-terminal; reads everything it writes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.output = bytearray()

    def read_until(self, marker: bytes, timeout: float = 30.0) -> float:
        start = time.perf_counter()
        while marker not in self.output:
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{marker!r} not seen; last output: {bytes(self.output[-300:])!r}")
            self.pump(0.05)
        return time.perf_counter()

    def pump(self, wait: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if ready:
            try:
                self.output += os.read(self.fd, 65536)
            except OSError:
                pass

    def type(self, keys: bytes, settle: float = 0.15) -> None:
        os.write(self.fd, keys)
        end = time.perf_counter() + settle
        while time.perf_counter() < end:
            self.pump(0.02)

    def close(self) -> None:
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env.update(TERM="xterm-256color", WORKBENCH_DATABASE_URL=f"sqlite:///{folder}/cases.db",
               XDG_DATA_HOME=str(folder / "data"), XDG_CONFIG_HOME=str(folder / "config"))
    return env


def time_to(argv: list[str], marker: bytes, env: dict[str, str]) -> float:
    start = time.perf_counter()
    terminal = Terminal(argv, env)
    try:
        return terminal.read_until(marker) - start
    finally:
        terminal.close()


# Keys a technician types, field by field (docs/keys.md). Textual routes a key to the
# widget focused when the key is read, so each field is typed after the focus has moved,
# as a person (or a scanner, whose Enter comes last) does.
TAB, ENTER, NEXT, DOWN = b"\t", b"\r", b"\x0e", b"\x1b[B"
INTAKE = [b"Li Wei", TAB, b"138 0000 0000", TAB, b"NV7000", TAB, b"2000", TAB, b"RN202406182TB104233", ENTER,
          TAB, b"2025-01-10", TAB, b"2024-12-01", TAB, b"Not detected by the BIOS", TAB, b" ", NEXT]


def scripted_claim(env: dict[str, str]) -> int:
    terminal = Terminal([sys.executable, "-m", "workbench", "--training"], env)
    try:
        terminal.read_until(b"New claim")
        terminal.type(b"n", 0.5)
        for keys in INTAKE:
            terminal.type(keys, 0.2)
        terminal.read_until(b"Physical inspection")
        for keys in (b" ", TAB, b"corner lifted", NEXT):
            terminal.type(keys, 0.2)
        terminal.read_until(b"nvme1")
        for _ in range(8):
            terminal.type(DOWN, 0.1)
        terminal.type(ENTER)
        terminal.read_until(b"Data Units Written")
        terminal.type(NEXT, 0.5)
        terminal.read_until(b"Counterfeit")
        for keys in (ENTER, NEXT):
            terminal.type(keys, 0.3)
        terminal.read_until(b"NOT COVERED")
        terminal.type(NEXT)
        terminal.read_until(b"queued")
        terminal.type(NEXT)
        terminal.read_until(b"closed")
        return len(terminal.output)
    finally:
        terminal.close()


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        env = environment(folder)
        bare = folder / "bare.py"
        bare.write_text(BARE_APP)
        # One unmeasured start each: the first run pays for .pyc files and the database.
        time_to([sys.executable, str(bare)], b"READY-MARK", env)
        time_to([sys.executable, "-m", "workbench", "--new-claim"], b"Step 1/6", env)
        bare_times, ours = [], []
        for _ in range(runs):
            bare_times.append(time_to([sys.executable, str(bare)], b"READY-MARK", env))
            ours.append(time_to([sys.executable, "-m", "workbench", "--new-claim"], b"Step 1/6", env))
        b, w = statistics.median(bare_times), statistics.median(ours)
        print(f"bare Textual app (Header, Input, Footer) ready: median {b * 1000:6.0f} ms over {runs} runs")
        print(f"workbench intake form ready:                   median {w * 1000:6.0f} ms over {runs} runs")
        print(f"ratio: {w / b:.2f}x (target < 1.5x)")
        sent = scripted_claim(env)
        print(f"terminal output for a whole scripted claim: {sent:,} bytes ({sent / 1024:.0f} KiB); "
              f"at 64 kbit/s that is {sent * 8 / 64000:.1f} s of link time")


if __name__ == "__main__":
    main()
