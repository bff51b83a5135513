"""What the workbench's terminal driver costs and saves, on what Textual really writes.

    .venv/bin/python benchmarks/bench_terminal_output.py [--rounds N]

Records a short session of the workbench in an 80x24 pty (tests/terminal_recorder.py: the
home screen, a new claim's intake typed into, fields moved through, the next step), then
compacts what Textual wrote again, ROUNDS times, and prints the bytes before and after
(their ratio) and the time the compaction takes, per character and for the largest paint.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import pexpect

from workbench.terminal_output import SgrCompactor

ROOT = Path(__file__).resolve().parent.parent


def record(folder: Path) -> list[str]:
    log = folder / "writes.jsonl"
    env = dict(
        os.environ,
        TERM="xterm-256color",
        WORKBENCH_DATABASE_URL=f"sqlite:///{folder}/cases.db",
        XDG_DATA_HOME=str(folder / "d"),
        XDG_CONFIG_HOME=str(folder / "c"),
    )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "tests.terminal_recorder", str(log), "--training"],
        env=env,
        cwd=str(ROOT),
        dimensions=(24, 80),
        timeout=30,
    )

    def settle() -> None:
        while True:
            try:
                child.read_nonblocking(10**6, timeout=0.4)
            except pexpect.TIMEOUT:
                return

    child.expect("New claim")
    settle()
    child.send("n")
    child.expect("Step 1/6")
    settle()
    for keys in ("Li Wei", "\t", "138 0000 0000", "\t", "\t", "\x1b[Z", "\x0e"):
        child.send(keys)
        settle()
    child.send("\x11")
    child.expect(pexpect.EOF)
    child.close()
    return [json.loads(line)[0] for line in log.read_text(encoding="utf-8").splitlines()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        writes = record(Path(folder))
    raw = sum(len(w.encode()) for w in writes)
    characters = sum(map(len, writes))
    largest = max(writes, key=len)
    timings = []
    for _ in range(rounds):
        compactor = SgrCompactor(erase_blanks=True, size=(80, 24))
        start = time.perf_counter()
        sent = sum(len(compactor.feed(w).encode()) for w in writes)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    paint = []
    for _ in range(rounds):
        compactor = SgrCompactor(erase_blanks=True, size=(80, 24))
        start = time.perf_counter()
        compactor.feed(largest)
        paint.append(time.perf_counter() - start)
    print(f"a recorded session: {len(writes)} writes, {raw:,} bytes as Textual wrote them")
    print(f"sent to the terminal: {sent:,} bytes ({sent / raw:.2f}x)")
    print(
        f"compaction, best of {rounds}: {best * 1000:.1f} ms for the session, {best / characters * 1e9:.0f} ns per"
        f" character; the largest paint ({len(largest):,} characters) {min(paint) * 1000:.2f} ms"
    )
    print(f"at 64 kbit/s the bytes saved are {(raw - sent) * 8 / 64000:.1f} s of link time")


if __name__ == "__main__":
    main()
