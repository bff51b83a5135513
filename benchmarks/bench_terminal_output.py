"""What the workbench's terminal driver costs and saves, on what Textual really writes.

    .venv/bin/python benchmarks/bench_terminal_output.py [--rounds N]

Records a short session of the workbench in an 80x24 pty (tests/terminal_recorder.py: the
home screen, a new claim's intake typed into, fields moved through, the next step), then
compacts what Textual wrote again, ROUNDS times, and prints the bytes before and after
(their ratio) and the time the compaction takes, per character and for the largest paint.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from workbench.terminal.output import SgrCompactor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' session recorder
from tests.terminal_recorder import record_session  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        writes = [raw for raw, _ in record_session(Path(folder))]
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
