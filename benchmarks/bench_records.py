"""Lookups in a station's case records at 1,000,000 cases.

    .venv/bin/python benchmarks/bench_records.py [CASES] [--keep FILE]

Seeds CASES (default 1,000,000) cases into a fresh SQLite file through the migrated
schema, then times, through the CaseStore the workbench uses: a case by number (search),
the full record of a case, cases by serial (search), and the history of one serial.
Target: each under 5 ms. Then the station's figures (`workbench report`) over a month and
over all the cases. Target: under 2 s over all of them.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from db import open_store

SAMPLES = 300


def seed(path: Path, count: int) -> list[tuple[str, str]]:
    import sqlite3

    rng = random.Random(7)
    serials = [f"RN{rng.randrange(10**15):015d}" for _ in range(count * 9 // 10)]
    start = datetime(2021, 1, 1)
    lines = [("NV7000", 2000), ("NV7000", 1000), ("NV5000", 1000), ("N535S", 240), ("NV3000", 500), ("N600S", 512)]
    reasons = ["", "", "exclusion.3", "exclusion.5", "tbw_exceeded", "expired", "exclusion.5 tbw_exceeded"]
    rows, picked = [], []
    for i in range(1, count + 1):
        serial = rng.choice(serials)  # about one serial in ten comes back again
        at = start + timedelta(seconds=i * 90)
        created = at.isoformat(sep=" ", timespec="microseconds")
        line, capacity = rng.choice(lines)
        waited = timedelta(hours=rng.randrange(1, 480))
        handed = (at + waited).isoformat(sep=" ", timespec="microseconds")
        number = f"SZ01-{2021 + i * 90 // 31_536_000}-{i:07d}"
        name = f"Customer {rng.randrange(200_000)}"
        rows.append(
            (
                number,
                "SZ01",
                2021,
                i,
                "handed_back",
                "ticket",
                "ana",
                created,
                created,
                json.dumps({"serial": serial, "customer_name": name}),
                serial,
                name,
                name.casefold(),
                line,
                rng.choice(["covered", "not_covered", "needs_review"]),
                capacity,
                line,
                rng.choice(reasons),
                rng.random() * 1.2 if rng.random() < 0.9 else None,
                rng.randrange(40_000),
                created,
                rng.choice([None] * 30 + ["chen", "wang"]),
                rng.choice([None] * 20 + ["wang"]),
                handed,
                waited.total_seconds() / 86400,
            )
        )
        if i % (count // SAMPLES or 1) == 0:
            picked.append((number, serial))
    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "INSERT INTO case_record (number, station, year, seq, status, step, technician, created_at, updated_at,"
            " fields, serial, customer_name, customer_key, model, verdict, capacity_gb, product_line, reasons,"
            " tbw_used, power_on_hours, decided_at, override_by, reviewed_by, handed_back_at, days_to_hand_back)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
    db.close()
    return picked


def report_timed(label: str, call) -> None:
    times = []
    for _ in range(3):
        t = time.perf_counter()
        figures = call()
        times.append(time.perf_counter() - t)
    best, median = min(times), statistics.median(times)
    print(
        f"{label:<32} median {median:6.2f} s    best {best:5.2f} s   ({median / 2:.2f} of the 2 s budget; "
        f"{figures.claims:,} claims)"
    )


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
    last = datetime(2021, 1, 1) + timedelta(seconds=count * 90)
    month = (last - timedelta(days=31)).date()
    report_timed(f"report, a month ({month} on)", lambda: store.report(month, last.date()))
    report_timed(f"report, all {count:,} cases", lambda: store.report(date(2021, 1, 1), last.date()))
    store.engine.dispose()
    shutil.rmtree(folder)  # 400 MB at a million cases; --keep FILE keeps the database


if __name__ == "__main__":
    main()
