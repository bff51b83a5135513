"""Lookups in a station's case records at 1,000,000 cases.

    .venv/bin/python benchmarks/bench_records.py [CASES] [--keep FILE]

Seeds CASES (default 1,000,000) cases into a fresh SQLite file through the migrated
schema, then times, through the CaseStore the workbench uses: a case by number (search),
the full record of a case, cases by serial (search), and the history of one serial.
Target: each under 5 ms.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from db import open_store

SAMPLES = 300


def seed(path: Path, count: int) -> list[tuple[str, str]]:
    import sqlite3

    rng = random.Random(7)
    serials = [f"RN{rng.randrange(10**15):015d}" for _ in range(count * 9 // 10)]
    start = datetime(2021, 1, 1)
    rows, picked = [], []
    for i in range(1, count + 1):
        serial = rng.choice(serials)  # about one serial in ten comes back again
        created = (start + timedelta(seconds=i * 90)).isoformat(sep=" ")
        number = f"SZ01-{2021 + i * 90 // 31_536_000}-{i:07d}"
        name = f"Customer {rng.randrange(200_000)}"
        rows.append(
            (
                number,
                "SZ01",
                2021,
                i,
                "closed",
                "ticket",
                "ana",
                created,
                created,
                json.dumps({"serial": serial, "customer_name": name}),
                serial,
                name,
                name.casefold(),
                "NV7000",
                rng.choice(["covered", "not_covered", "needs_review"]),
            )
        )
        if i % (count // SAMPLES or 1) == 0:
            picked.append((number, serial))
    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "INSERT INTO case_record (number, station, year, seq, status, step, technician, created_at, updated_at,"
            " fields, serial, customer_name, customer_key, model, verdict) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
    db.close()
    return picked


def timed(label: str, calls) -> float:
    times = []
    for call in calls:
        t = time.perf_counter()
        call()
        times.append((time.perf_counter() - t) * 1000)
    median, p95 = statistics.median(times), sorted(times)[int(len(times) * 0.95)]
    print(f"{label:<32} median {median:6.2f} ms   p95 {p95:6.2f} ms   ({median / 5:.2f} of the 5 ms budget)")
    return p95


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    folder = Path(tempfile.mkdtemp(prefix="bench-records-"))
    path = Path(keep) if keep else folder / "cases.db"
    url = f"sqlite:///{path}"
    store = open_store(url, station_id="SZ01", technician="bench")
    t = time.perf_counter()
    picked = seed(path, count)
    print(f"seeded {count:,} cases in {time.perf_counter() - t:.1f} s; file {path.stat().st_size / 1e6:.0f} MB")
    store = open_store(url, station_id="SZ01", technician="bench")
    store.find(picked[0][0])  # warm the connection pool
    timed("case by number (search box)", [lambda n=n: store.find(n) for n, _ in picked])
    timed("full record of a case", [lambda n=n: store.get_case(n) for n, _ in picked])
    timed("cases by serial (search box)", [lambda s=s: store.find(s) for _, s in picked])
    timed("history of one serial", [lambda s=s: store.history(s) for _, s in picked])
    timed("customer name (beginning)", [lambda: store.find("customer 12345")] * 5)
    store.engine.dispose()
    shutil.rmtree(folder)  # 400 MB at a million cases; --keep FILE keeps the database


if __name__ == "__main__":
    main()
