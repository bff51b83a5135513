"""Bring a case database to the latest schema, with a backup of a SQLite file first."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from db.connection import explain, sqlite_path
from db.errors import StoreError
from policy.message import Message

UPGRADE_LOCK = 0x4E65746163  # an arbitrary key of the workbench's own ("Netac")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("db").joinpath("migrations")))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise StoreError(Message("the workbench's database migrations are missing: reinstall the workbench"))
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, url: str, target: str = "head") -> Path | None:
    """Apply the migrations up to `target`; returns the backup taken, if any."""
    try:
        current = current_revision(engine)
        wanted = head_revision() if target == "head" else target
        if current == wanted:
            return None
        backup = _backup(url, current)
        config = _config()
        with engine.connect() as connection:
            sqlite = engine.dialect.name == "sqlite"
            if sqlite:
                # SQLite alters a table by copying it; foreign keys must be off meanwhile,
                # and that can only be switched outside a transaction.
                _outside_transaction(connection, "PRAGMA foreign_keys = OFF")
                # The write lock first (BEGIN IMMEDIATE), then the revision: two stations
                # starting at once on a new file queue here, and the second finds the work
                # done. Alembic commits each revision on its own unless it runs inside a
                # transaction of ours; a second process would otherwise read "no schema"
                # while the first was half-way and create the tables again.
                connection.begin()
                if MigrationContext.configure(connection).get_current_revision() == wanted:
                    connection.rollback()
                    _outside_transaction(connection, "PRAGMA foreign_keys = ON")
                    return backup
            elif engine.dialect.name == "postgresql":
                # Stations starting at once on a new server database queue here; each then
                # reads the revision inside the lock and finds the work done.
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK})")
            config.attributes["connection"] = connection
            command.upgrade(config, target)
            connection.commit()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                connection.rollback()
                _outside_transaction(connection, "PRAGMA foreign_keys = ON")
                if broken:
                    raise StoreError(
                        Message(
                            "the upgrade left {rows} rows without their case; restore {backup}",
                            rows=len(broken),
                            backup=str(backup),
                        )
                    )
        return backup
    except DBAPIError as exc:
        raise explain(exc, Message("open the case database")) from None


def _backup(url: str, revision: str | None) -> Path | None:
    """A checked copy of the file as it was before the upgrade (none for a new, empty database).

    SQLite's online backup (consistent even while others write), then an integrity check of
    the copy. No room for it: the upgrade does not start, and says how much it needs. A copy
    that failed is removed: the damaged-database message sends the manager to these files.
    """
    path = sqlite_path(url)
    if path is None or revision is None or not path.exists():
        return None
    wal = path.with_name(path.name + "-wal")
    # The copy and the upgrade's own rewrite of the tables each take about the file's size.
    needed = 2 * (path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)) + 1_000_000
    free = shutil.disk_usage(path.parent).free
    if free < needed:
        raise StoreError(
            Message(
                "cannot upgrade the case database {path}: the backup and the upgrade need about "
                "{needed} free beside it and there are {free}; free some space and start again",
                path=str(path),
                needed=_megabytes(needed),
                free=_megabytes(free),
            )
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.bak-{revision}-{stamp}")
    try:
        source = sqlite3.connect(path)
        try:
            copy = sqlite3.connect(target)
            try:
                with copy:
                    source.backup(copy)
                verdict = copy.execute("PRAGMA integrity_check").fetchone()
            finally:
                copy.close()
        finally:
            source.close()
        if verdict != ("ok",):
            raise StoreError(
                Message(
                    "cannot upgrade the case database {path}: its copy fails SQLite's integrity check "
                    "({answer}); the file is damaged: restore an earlier backup",
                    path=str(path),
                    answer=str(verdict[0]) if verdict else Message("no answer"),
                )
            )
    except (sqlite3.Error, OSError) as exc:
        target.unlink(missing_ok=True)
        raise StoreError(
            Message(
                "cannot upgrade the case database {path}: its backup failed ({error}); nothing was changed",
                path=str(path),
                error=str(exc),
            )
        ) from None
    except StoreError:
        target.unlink(missing_ok=True)
        raise
    return target


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _outside_transaction(connection: Connection, sql: str) -> None:
    """SQLite takes some PRAGMAs only outside a transaction: straight to the driver, past SQLAlchemy's BEGIN."""
    driver = connection.connection.dbapi_connection
    if driver is None:
        raise StoreError(Message("the case database connection was closed during the upgrade"))
    driver.execute(sql)
