"""What the hot-plug watcher costs while nothing changes, and what one look costs.

    .venv/bin/python benchmarks/bench_drive_watch.py [--seconds 10] [--polls 2000]

Runs `DriveWatcher.changes()` in a thread at its default interval (1 s) for SECONDS while
no drive comes or goes, and reports the CPU time the whole process used per second of
watching (the main thread only waits). Then times POLLS single looks (`poll()` with nothing
changed: a listdir of /sys/block and two sysfs reads per device) and one full listing
(`list_disks()`, what a change costs). Target: idle watching well under 1 ms of CPU per
second (0.1% of one core).
"""

from __future__ import annotations

import argparse
import os
import threading
import time

from workbench.inspection.bench_drives import DriveWatcher, list_disks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--polls", type=int, default=2000)
    args = parser.parse_args()

    entries = len(os.listdir("/sys/block"))
    watcher = DriveWatcher()
    stop = threading.Event()
    reported: list[object] = []
    worker = threading.Thread(target=lambda: reported.extend(watcher.changes(stop)))
    cpu, wall = time.process_time(), time.perf_counter()
    worker.start()
    time.sleep(args.seconds)
    stop.set()
    worker.join()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    idle_ms_per_s = cpu * 1000 / wall

    cpu = time.process_time()
    started = time.perf_counter()
    for _ in range(args.polls):
        watcher.poll()
    poll_us = (time.perf_counter() - started) * 1e6 / args.polls
    poll_cpu_us = (time.process_time() - cpu) * 1e6 / args.polls

    rounds = 200
    started = time.perf_counter()
    for _ in range(rounds):
        list_disks()
    listing_us = (time.perf_counter() - started) * 1e6 / rounds

    print(f"/sys/block entries: {entries}  disks with a medium: {len(watcher.disks)}")
    print(f"idle watching:  {wall:.1f} s, {idle_ms_per_s:.3f} ms CPU per second ({idle_ms_per_s / 10:.4f}% of a core)")
    print(f"                changes reported: {len(reported)} (nothing was plugged: expected 0)")
    print(f"one poll:       {poll_us:.1f} us wall, {poll_cpu_us:.1f} us CPU  (mean of {args.polls})")
    print(f"list_disks():   {listing_us:.1f} us (on a change)")
    print(f"target < 1 ms CPU/s idle: {1 / idle_ms_per_s if idle_ms_per_s else float('inf'):.0f}x under")


if __name__ == "__main__":
    main()
