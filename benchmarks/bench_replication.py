"""Replication's cost and reach (issue 24), with the real Litestream of the venv.

    .venv/bin/python benchmarks/bench_replication.py [CASES]     # CASES for the restore: 1000000

Prints:
1. the lag from a commit to the replica (a folder), median and p95, while a claim is typed
   (a draft saved every 0.2 s): from the commit's return to the first replica file written
   after it (the folder watched every 2 ms);
2. a typed field's save (save_draft, one commit) with and without replication, side by side;
3. a commit with synchronous = FULL against NORMAL on the same disk (why FULL stays);
4. `workbench restore` of CASES cases: the time, and the sizes of the database and the replica.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_records import seed  # noqa: E402
from db import open_store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAVES = 150


def station(folder: Path) -> dict[str, str]:
    config = folder / "workbench.toml"
    config.write_text(
        f'[station]\nid = "SZ01"\n[database]\nurl = "sqlite:///{folder}/cases.db"\n'
        f'[replica]\nurl = "file://{folder}/replica"\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    return {**env, "WORKBENCH_CONFIG": str(config), "XDG_DATA_HOME": str(folder / "data")}


def workbench(env: dict[str, str], *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.as_station", *args], env=env, cwd=ROOT, **kwargs)


def replica_files(folder: Path) -> set[Path]:
    return set((folder / "replica" / "ltx" / "0").glob("*.ltx"))


def quantiles(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), statistics.quantiles(values, n=20, method="inclusive")[18]


def typing(folder: Path, *, replicated: bool, watch: bool) -> tuple[list[float], list[float]]:
    """A claim typed: a draft saved every 0.2 s; each save's time and (watched) its lag."""
    store = open_store(f"sqlite:///{folder}/cases.db", station_id="SZ01", technician="ana", replicated=replicated)
    number = store.create_case({"customer_name": "Li Wei"}).number
    saves, lags = [], []
    for index in range(SAVES):
        before = replica_files(folder) if watch else set()
        started = time.perf_counter()
        store.save_draft(number, "intake", {"failure_description": "x" * index})
        committed = time.perf_counter()
        saves.append(committed - started)
        if watch:
            while not replica_files(folder) - before:
                time.sleep(0.002)
            lags.append(time.perf_counter() - committed)
        else:
            time.sleep(0.2)
    store.engine.dispose()
    return saves, lags


def synchronous(folder: Path, mode: str) -> list[float]:
    connection = sqlite3.connect(folder / f"sync-{mode}.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(f"PRAGMA synchronous = {mode}")
    connection.execute("CREATE TABLE t (x TEXT)")
    times = []
    for index in range(300):
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO t VALUES (?)", ("x" * (index % 500),))
        connection.execute("COMMIT")
        times.append(time.perf_counter() - started)
    connection.close()
    return times


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory(prefix="bench-replica-") as name:
        folder = Path(name)
        plain = folder / "plain"
        plain.mkdir()
        without, _ = typing(plain, replicated=False, watch=False)

        replicated = folder / "replicated"
        replicated.mkdir()
        env = station(replicated)
        open_store(f"sqlite:///{replicated}/cases.db", station_id="SZ01", technician="ana").engine.dispose()
        service = workbench(env, "replicate", stderr=subprocess.DEVNULL)
        try:
            while not (replicated / "cases.db-replica.json").exists():
                time.sleep(0.1)
            with_replica, _ = typing(replicated, replicated=True, watch=False)
            _, lags = typing(replicated, replicated=True, watch=True)
        finally:
            service.send_signal(signal.SIGTERM)
            service.wait()
        median, p95 = quantiles(lags)
        print(f"commit to replica (folder), {SAVES} saves: median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
        a, b = quantiles(without), quantiles(with_replica)
        print(
            f"a typed field's save: without replication median {a[0] * 1000:.2f} ms p95 {a[1] * 1000:.2f} ms; "
            f"with median {b[0] * 1000:.2f} ms p95 {b[1] * 1000:.2f} ms ({b[0] / a[0]:.2f}x median)"
        )
        full, normal = quantiles(synchronous(folder, "FULL")), quantiles(synchronous(folder, "NORMAL"))
        print(
            f"a commit, synchronous FULL: median {full[0] * 1000:.2f} ms p95 {full[1] * 1000:.2f} ms; "
            f"NORMAL: median {normal[0] * 1000:.2f} ms p95 {normal[1] * 1000:.2f} ms"
        )

        big = folder / "big"
        big.mkdir()
        env = station(big)
        open_store(f"sqlite:///{big}/cases.db", station_id="SZ01", technician="ana").engine.dispose()
        started = time.perf_counter()
        seed(big / "cases.db", count)
        print(f"seeded {count:,} cases in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        backup = workbench(env, "backup", stdout=subprocess.DEVNULL)
        assert backup.wait() == 0, "backup failed"
        print(f"first backup (the whole file to the replica): {time.perf_counter() - started:.1f} s")
        # The seeded cases carry no audit trail (bench_records writes the rows alone), which
        # `workbench restore` rightly refuses: Litestream's restore and the integrity check are
        # timed here, the audit chain's check is in `benchmarks/bench_records.py`'s figures.
        from tests.as_station import read_as_station
        from workbench.replica.litestream import required, run_litestream

        settings = required(read_as_station(big / "workbench.toml"))
        started = time.perf_counter()
        run_litestream(settings, "restore", "-o", str(big / "restored.db"), str(settings.database), timeout=3600)
        restored = time.perf_counter() - started
        started = time.perf_counter()
        check = sqlite3.connect(big / "restored.db").execute("PRAGMA integrity_check").fetchone()
        checked = time.perf_counter() - started
        size = (big / "cases.db").stat().st_size
        replica = sum(p.stat().st_size for p in (big / "replica").rglob("*") if p.is_file())
        print(
            f"restore of {count:,} cases: {restored:.1f} s, then integrity check {checked:.1f} s ({check[0]}); "
            f"database {size / 1e6:.0f} MB, replica {replica / 1e6:.0f} MB ({replica / size:.2f}x)"
        )


if __name__ == "__main__":
    main()
