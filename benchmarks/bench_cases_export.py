"""`workbench cases list` and `cases export` at 10,000, 100,000 and 1,000,000 cases.

    .venv/bin/python benchmarks/bench_cases_export.py [CASES ...]

For each count (default 10,000 100,000 1,000,000) seeds a fresh SQLite file the way
benchmarks/bench_records.py does, then runs the real command line as child processes:
`cases export --format csv` and `--format json` (to a file), `cases list` and `cases list
--all` (standard output to a file), and prints each one's wall and CPU time, peak RSS (the
child's own, from wait4), the cases it wrote, and the ratios to the smallest count. The
seeding and the check of the JSON run in child processes too: a child's peak RSS, as the
kernel counts it, starts from its parent's, which therefore stays small.
Targets: an export of 1,000,000 cases under 30 s; peak RSS at most 100 MB at any count.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "export csv": ["export", "--format", "csv"],
    "export json": ["export", "--format", "json"],
    "list": ["list"],
    "list --all": ["list", "--all"],
}


def run(database: Path, args: list[str], out: Path) -> tuple[float, float, float, int]:
    """Wall time (s), CPU time (s), peak RSS (MB) and exit status of `workbench cases ARGS`,
    its output in `out`. The CPU time tells a slow run from a busy machine."""
    env = {**os.environ, "WORKBENCH_DATABASE_URL": f"sqlite:///{database}"}
    env.pop("WORKBENCH_CONFIG", None)
    with open(out, "wb") as stdout:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "workbench", "cases", *args], stdout=stdout, stderr=subprocess.PIPE, env=env
        )
        assert child.stderr is not None
        child.stderr.read()  # a line or two: it cannot fill the pipe
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, for its own rusage
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode


SEED = """
import sys
from bench_records import seed
from db import open_store
open_store(f"sqlite:///{sys.argv[1]}", station_id="SZ01", technician="bench").engine.dispose()
seed(sys.argv[1], int(sys.argv[2]))
"""
COUNT_JSON = "import json, sys; print(len(json.load(open(sys.argv[1], encoding='utf-8'))))"


def python(code: str, *args: object) -> str:
    """Run `code` in a child Python (beside bench_records.py), its standard output."""
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=Path(__file__).parent,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def written(path: Path, kind: str) -> int:
    """The cases in an output: CSV lines after the header, JSON objects, list lines."""
    if kind == "export json":
        return int(python(COUNT_JSON, path))
    with open(path, "rb") as f:
        lines = sum(1 for _ in f)
    return lines - 1 if kind == "export csv" else lines


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000]
    folder = Path(tempfile.mkdtemp(prefix="bench-cases-export-"))
    figures: dict[tuple[str, int], tuple[float, float]] = {}
    try:
        for count in counts:
            database = folder / f"cases-{count}.db"
            t = time.perf_counter()
            python(SEED, database, count)
            print(f"\n{count:,} cases seeded in {time.perf_counter() - t:.1f} s")
            for kind, args in COMMANDS.items():
                out = folder / "out"
                wall, cpu, rss, status = run(
                    database, [*args, "--output", str(out)] if kind.startswith("export") else args, out
                )
                if status != 0:
                    print(f"  {kind:<12} exit {status}")
                    continue
                figures[kind, count] = wall, rss
                print(
                    f"  {kind:<12} {wall:7.2f} s (CPU {cpu:6.2f} s)   peak RSS {rss:7.1f} MB   "
                    f"{written(out, kind):>9,} cases written"
                )
            database.unlink()
        smallest = counts[0]
        print(f"\nratios to {smallest:,} cases (time, peak RSS)")
        for (kind, count), (wall, rss) in figures.items():
            if count != smallest and (kind, smallest) in figures:
                base_wall, base_rss = figures[kind, smallest]
                print(f"  {kind:<12} {count:>9,}: time x{wall / base_wall:6.1f}   peak RSS x{rss / base_rss:5.2f}")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
