"""Engines for the case database, and the ways it can fail at the counter.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy timeout;
write transactions start with BEGIN IMMEDIATE so two technicians' writes queue instead of
deadlocking on a lock upgrade, and `retrying` repeats a write the timeout did not save.
Any other SQLAlchemy URL (a chain's central PostgreSQL) gets the same store.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from db.errors import StoreError
from policy.message import Message

BUSY_TIMEOUT_MS = 5000
RETRY_FOR_S = 30.0
T = TypeVar("T")


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for any other database (or a URL that is not one: opening it says so)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str, *, read_only: bool = False, replicated: bool = False) -> Engine:
    """An engine for `url`; `read_only` opens a SQLite file the user may only read, without
    touching it (no schema upgrade, no journal change); `replicated`: Litestream replicates the
    file (the station's [replica]) and makes its checkpoints, the workbench none of its own."""
    path = sqlite_path(url)
    if path is not None and read_only:
        return _read_only_engine(path)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                Message(
                    "cannot create the folder for the case database {folder}: {error}",
                    folder=str(path.parent),
                    error=str(exc.strerror),
                )
            ) from None
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _sqlite_setup(engine, replicated=replicated)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _read_only_engine(path: Path) -> Engine:
    def connect() -> sqlite3.Connection:
        try:  # shares the writers' WAL index when it can
            return _checked(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000))
        except sqlite3.OperationalError:
            # A WAL database in a folder this user cannot write has no index to share: read the
            # file as it stands (exact when no one writes it meanwhile, as for an auditor's copy).
            return _checked(sqlite3.connect(f"file:{path}?immutable=1", uri=True))

    engine = create_engine("sqlite://", creator=connect)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def _checked(connection: sqlite3.Connection) -> sqlite3.Connection:
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opening is lazy: read now
    return connection


def _sqlite_setup(engine: Engine, *, replicated: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # The driver's own transaction handling is off; "begin" below issues ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on the disk when it returns, even through a power cut (NORMAL in WAL
        # mode survives a crash of the program but may lose the last commits to a power cut).
        cursor.execute("PRAGMA synchronous = FULL")
        if replicated:
            # Litestream copies each commit out of the WAL and checkpoints once it has: a
            # writer's own checkpoint at 1000 pages would only race it for the same pages
            # (benchmarks/bench_replication.py measures both).
            cursor.execute("PRAGMA wal_autocheckpoint = 0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN " + connection.get_execution_options().get("sqlite_begin", "IMMEDIATE"))


def retrying(write: Callable[[], T], *, what: str) -> T:
    """Run a write, repeating it while another process holds the database."""
    started = time.monotonic()
    deadline = started + RETRY_FOR_S
    delay = 0.02
    while True:
        try:
            return write()
        except OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() > deadline:
                raise explain(exc, what, waited=time.monotonic() - started) from None
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)
        except DatabaseError as exc:
            raise explain(exc, what) from None


def _is_busy(exc: Exception) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "locked" in text or "busy" in text


def explain(exc: Exception, what: str, *, waited: float = BUSY_TIMEOUT_MS / 1000) -> StoreError:
    """A database failure as one line a technician or station manager can act on; `what` the
    failed work in words (a Message: "record the decision"); `waited`: how long it was tried (the
    busy timeout alone, unless retried). The driver's own words stay as it said them."""
    orig = getattr(exc, "orig", exc)
    text = str(orig).lower()
    if isinstance(orig, sqlite3.Error) or "sqlite" in type(orig).__module__:
        if "readonly" in text or "read-only" in text or "attempt to write" in text:
            return StoreError(
                Message(
                    "cannot {what}: the case database is read-only (check the file's and its folder's permissions)",
                    what=what,
                )
            )
        if "not a database" in text or "malformed" in text or "corrupt" in text or "could not decode" in text:
            # The driver's own words may quote the damaged bytes: not shown (probe L11).
            return StoreError(
                Message(
                    "cannot {what}: the case database file is damaged; restore the latest "
                    "backup (the .bak files beside it) or ask the station manager",
                    what=what,
                )
            )
        if "unable to open" in text:
            return StoreError(
                Message("cannot {what}: the case database cannot be opened ({error})", what=what, error=str(orig))
            )
        if _is_busy(exc):
            return StoreError(
                Message(
                    "cannot {what}: the case database stayed busy for {seconds} s; try again",
                    what=what,
                    seconds=round(waited),
                )
            )
    return StoreError(Message("cannot {what}: {error}", what=what, error=str(orig)))
