"""Time the workbench reading one drive against a bare `smartctl --all` on the same recording.

Both run the same recording-backed smartctl stand-in as a child process
(workbench.inspection.fake_smartctl), so the ratio is the workbench's own overhead:
pySMART's parsing, the exact-bytes computation, the evidence kept. Target: under 1.5x.

    .venv/bin/python benchmarks/bench_smart.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workbench.inspection.smart import read_drive
from workbench.inspection.smartctl import LiveSmartctl, ReplaySmartctl

DRIVES = [  # device, smartctl -d type, the arguments the workbench passes for it
    ("/dev/nvme0", "nvme", ["-d", "nvme", "--all", "/dev/nvme0"]),
    ("/dev/sda", "sat", ["-l", "devstat", "-d", "sat", "--all", "/dev/sda"]),
]


def median_seconds(action, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        fake = Path(tmp) / "smartctl"
        fake.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m workbench.inspection.fake_smartctl demo "$@"\n')
        fake.chmod(0o755)
        live = LiveSmartctl(str(fake))
        replay = ReplaySmartctl("demo")

        started = time.perf_counter()
        read_drive(replay, "/dev/nvme0")  # first read imports pySMART
        first = time.perf_counter() - started
        print(f"first read in a fresh process (imports pySMART): {first * 1000:.1f} ms")
        print(f"{'drive':<11} {'bare smartctl':>14} {'workbench':>10} {'ratio':>6} {'parse only':>11}")
        worst = 0.0
        for device, device_type, args in DRIVES:
            # Each lambda is timed before the loop moves on, so binding the loop's names late is safe.
            bare = median_seconds(lambda: subprocess.run([str(fake), *args], capture_output=True, check=False), rounds)  # noqa: B023
            ours = median_seconds(lambda: read_drive(live, device, device_type=device_type), rounds)  # noqa: B023
            parse = median_seconds(lambda: read_drive(replay, device, device_type=device_type), rounds)  # noqa: B023
            ratio = ours / bare
            worst = max(worst, ratio)
            print(f"{device:<11} {bare * 1000:>11.1f} ms {ours * 1000:>7.1f} ms {ratio:>5.2f}x {parse * 1000:>8.2f} ms")
        print(f"worst ratio {worst:.2f}x (target < 1.5x), median of {rounds} rounds")
        # Without the -d type from `smart list`, a SATA read first asks smartctl -d test.
        untyped = median_seconds(lambda: read_drive(live, "/dev/sda"), rounds)
        print(f"/dev/sda read without its -d type (two smartctl runs): {untyped * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
