"""The read test's own overhead: ReadTest over a whole device against dd reading it the same way.

    sudo .venv/bin/python benchmarks/bench_read_test.py [--mib 512] [--rounds 3]

Makes a loop device (root) on a MIB-MiB file in /dev/shm, so the device is faster than
any drive and what is left is the reader's cost, and reads it whole with `ReadTest` and with
`dd iflag=direct bs=1M` (both O_DIRECT, 1 MiB chunks). Target: within 1.2x of dd.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time

from workbench.inspection.read_test import ReadTest


def seconds(action, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile(dir="/dev/shm") as backing:
        backing.truncate(args.mib << 20)
        device = subprocess.run(
            ["losetup", "--find", "--show", "--read-only", backing.name], check=True, capture_output=True, text=True
        ).stdout.strip()
        try:

            def read_test() -> None:
                with ReadTest(device, whole=True) as test:
                    assert list(test)[-1].outcome == "complete"

            def dd() -> None:
                subprocess.run(
                    ["dd", f"if={device}", "of=/dev/null", "bs=1M", "iflag=direct"], check=True, capture_output=True
                )

            ours, theirs = seconds(read_test, args.rounds), seconds(dd, args.rounds)
        finally:
            subprocess.run(["losetup", "--detach", device], check=True)
    mb = (args.mib << 20) / 1e6
    print(f"device: loop on /dev/shm, {args.mib} MiB, median of {args.rounds}")
    print(f"ReadTest whole:  {ours:.3f} s  {mb / ours:,.0f} MB/s")
    print(f"dd iflag=direct: {theirs:.3f} s  {mb / theirs:,.0f} MB/s")
    print(f"ratio: {ours / theirs:.2f}x dd's time (target under 1.2x)")


if __name__ == "__main__":
    main()
