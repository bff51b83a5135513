"""Real processes against one SQLite file: concurrent writers, a killed writer, bad files."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from db import StoreError, open_store
from tests.db_helpers import new_store, sqlite_url

WRITER = str(Path(__file__).with_name("db_writer.py"))


def writer(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, WRITER, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs
    )


def test_four_processes_writing_500_cases_each_lose_nothing(tmp_path):
    url = sqlite_url(tmp_path / "cases.db")  # a new file: the four also race to create the schema
    start = tmp_path / "go"
    procs = [writer(url, f"ST{n}", "500", str(start)) for n in range(4)]
    start.touch()
    results = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert (p.returncode, err) == (0, "")
    written = [line for out, _ in results for line in out.split()]
    assert len(written) == len(set(written)) == 2000
    store = open_store(url, station_id="ST0", technician="check")
    cases = store.list_cases()
    assert sorted(c.number for c in cases) == sorted(written)
    assert all(c.step == "inspection" and c.model == "NV7000" for c in cases)
    for n in range(4):  # each station's numbers are 1..500 with no gap or repeat
        assert sorted(c.number[-6:] for c in cases if c.number.startswith(f"ST{n}-")) == [
            f"{i:06d}" for i in range(1, 501)
        ]
    assert store.verify_audit().entries == 4000 and store.verify_audit().intact


def test_a_writer_killed_mid_transaction_leaves_every_committed_case(tmp_path):
    url = sqlite_url(tmp_path / "cases.db")
    new_store(tmp_path)
    busy = writer(url, "KL01", "100000")
    committed = [busy.stdout.readline().strip() for _ in range(40)]
    busy.send_signal(signal.SIGKILL)  # somewhere inside its next case's transactions
    busy.wait(timeout=30)
    holder = writer(url, "KL02", "hold")
    assert holder.stdout.readline().strip() == "in transaction"
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)

    with sqlite3.connect(tmp_path / "cases.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        numbers = {row[0] for row in db.execute("SELECT number FROM case_record")}
    assert set(committed) <= numbers
    assert "KL02-UNCOMMITTED" not in numbers
    store = new_store(tmp_path, station="KL03")
    assert store.create_case().number.startswith("KL03-")  # the dead writers' locks are gone
    assert store.verify_audit().intact


def test_a_corrupt_database_file_gets_a_clear_message(tmp_path):
    (tmp_path / "cases.db").write_bytes(b"this is not a database, it is a shopping list\n" * 200)
    with pytest.raises(StoreError, match="damaged"):
        new_store(tmp_path)
    result = _cli(tmp_path / "cases.db", "cases", "list")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "damaged" in result.stderr and "Traceback" not in result.stderr


def _as_other_user() -> list[str]:
    """Root writes any file: test read-only as 'nobody' when the suite runs as root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv to drop to another user")
    return [setpriv, "--reuid", "nobody", "--regid", "nogroup", "--clear-groups"]


@pytest.fixture
def shared_dir():
    """A folder another user can enter (pytest's own tmp folders are private to us)."""
    path = Path(tempfile.mkdtemp(prefix="workbench-ro-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_read_only_database_is_read_and_never_written(shared_dir):
    """Probe L9: an auditor's account reads the records, verifies the trail and a ticket; what
    would write says read-only in one line."""
    store = new_store(shared_dir)
    number = store.create_case({"serial": "RN1", "customer_name": "Li Wei"}).number
    store.engine.dispose()
    (shared_dir / "cases.db").chmod(0o444)
    auditor = _as_other_user()
    listed = _cli(shared_dir / "cases.db", "cases", "list", prefix=auditor)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith(number) and "Li Wei" in listed.stdout
    shown = _cli(shared_dir / "cases.db", "cases", "show", number, "--json", prefix=auditor)
    assert shown.returncode == 0 and f'"number": "{number}"' in shown.stdout
    exported = _cli(shared_dir / "cases.db", "cases", "export", "--format", "csv", prefix=auditor)
    assert exported.returncode == 0 and number in exported.stdout
    verified = _cli(shared_dir / "cases.db", "audit", "verify", prefix=auditor)
    assert (verified.returncode, verified.stdout) == (0, "audit chain intact: 1 entries\n")
    ticket = _cli(shared_dir / "cases.db", "ticket", "verify", "NW2123", prefix=auditor)
    assert ticket.returncode in (1, 2) and "read-only" not in ticket.stderr and "Traceback" not in ticket.stderr
    written = _cli(shared_dir / "cases.db", "cases", "withdraw", number, "--reason", "x", prefix=auditor)
    assert written.returncode == 1
    assert "read-only" in written.stderr and written.stderr.count("\n") == 1 and "Traceback" not in written.stderr
    assert sorted(p.name for p in shared_dir.iterdir()) == ["cases.db"]  # nothing was written beside it


def test_a_read_only_database_of_an_older_revision_says_it_needs_an_upgrade(shared_dir):
    from db.connection import make_engine
    from db.migrate import upgrade

    url = sqlite_url(shared_dir / "cases.db")
    engine = make_engine(url)
    upgrade(engine, url, target="0006")
    engine.dispose()
    (shared_dir / "cases.db").chmod(0o444)
    result = _cli(shared_dir / "cases.db", "cases", "list", prefix=_as_other_user())
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "is at revision 0006" in result.stderr and "needs an upgrade" in result.stderr


def test_an_empty_database_file_is_damaged_not_new(tmp_path):
    """Probe L18: a file cut to 0 bytes would restart the numbering at 000001."""
    (tmp_path / "cases.db").write_bytes(b"")
    os.utime(tmp_path / "cases.db", (time.time() - 60, time.time() - 60))  # cut off a minute ago
    for args in (("cases", "list"), ("audit", "verify")):
        result = _cli(tmp_path / "cases.db", *args)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        assert "is empty (0 bytes): it is damaged, not new" in result.stderr
    assert (tmp_path / "cases.db").stat().st_size == 0


def test_an_empty_file_another_station_is_creating_is_waited_for(tmp_path):
    """Four stations starting on a new file at once: one sees the file SQLite has just made, still
    empty, while another creates the schema. It waits for it (a CI run found the refusal)."""
    import threading

    path = tmp_path / "cases.db"
    path.write_bytes(b"")  # made just now, as by another station's first connection

    def create() -> None:  # that station, past its own check (the file did not exist then), creates the schema
        from db.connection import make_engine
        from db.migrate import upgrade

        time.sleep(0.5)
        engine = make_engine(sqlite_url(path))
        upgrade(engine, sqlite_url(path))
        engine.dispose()

    creator = threading.Thread(target=create)
    creator.start()
    store = new_store(tmp_path)  # does not refuse the file as damaged
    creator.join()
    assert store.list_cases() == [] and path.stat().st_size > 0


def test_an_empty_file_that_stays_empty_is_refused_after_the_wait(tmp_path):
    from db.store import CREATING_S

    (tmp_path / "cases.db").write_bytes(b"")
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"is empty \(0 bytes\): it is damaged, not new"):
        new_store(tmp_path)
    assert time.monotonic() - started < CREATING_S + 2


def test_a_damaged_data_page_is_named_without_its_raw_bytes(tmp_path):
    """Probe L11: the driver's message quoted the damaged bytes."""
    store = new_store(tmp_path)
    store.create_case({"serial": "RN1"})
    store.engine.dispose()
    with sqlite3.connect(tmp_path / "cases.db") as db:
        db.execute("UPDATE case_record SET updated_at = CAST(x'ff1b5b33316dfe' AS TEXT)")
    result = _cli(tmp_path / "cases.db", "cases", "list")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "damaged" in result.stderr and "restore the latest backup" in result.stderr
    assert "\x1b" not in result.stderr and "\ufffd" not in result.stderr


def _cli(db_path: Path, *args: str, prefix: list[str] = ()) -> subprocess.CompletedProcess:
    env = {**os.environ, "WORKBENCH_DATABASE_URL": sqlite_url(db_path), "HOME": str(db_path.parent)}
    env.pop("WORKBENCH_CONFIG", None)
    return subprocess.run(
        [*prefix, sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=db_path.parent,
    )


def test_commits_are_on_the_disk_when_they_return(tmp_path):
    """Probe L17: "durable when this returns" holds through a power cut, not only a crash."""
    store = new_store(tmp_path)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA locking_mode = EXCLUSIVE")
db.execute("BEGIN EXCLUSIVE")
db.execute("UPDATE case_sequence SET last_seq = last_seq")
print("holding", flush=True)
time.sleep(60)
"""


def test_a_busy_message_states_the_real_wait(tmp_path):
    """Probe L10: a lock that blocks readers fails the open after the 5 s busy timeout, and the
    message said 30 s."""
    store = new_store(tmp_path)
    store.create_case({"serial": "RN1"})
    store.engine.dispose()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "cases.db")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        result = _cli(tmp_path / "cases.db", "cases", "list")
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "the case database stayed busy for 5 s; try again" in result.stderr
