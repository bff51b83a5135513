"""Bring a case database to the latest schema, with a backup of a SQLite file first."""

from __future__ import annotations

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

UPGRADE_LOCK = 0x4E65746163  # an arbitrary key of the workbench's own ("Netac")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("db").joinpath("migrations")))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise StoreError("the workbench's database migrations are missing: reinstall the workbench")
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
                    raise StoreError(f"the upgrade left {len(broken)} rows without their case; restore {backup}")
        return backup
    except DBAPIError as exc:
        raise explain(exc, "open the case database") from None


def _backup(url: str, revision: str | None) -> Path | None:
    """A copy of the file as it was before the upgrade (none for a new, empty database)."""
    path = sqlite_path(url)
    if path is None or revision is None or not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.bak-{revision}-{stamp}")
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)  # consistent even while others write
        copy.close()
    finally:
        source.close()
    return target


def _outside_transaction(connection: Connection, sql: str) -> None:
    """SQLite takes some PRAGMAs only outside a transaction: straight to the driver, past SQLAlchemy's BEGIN."""
    driver = connection.connection.dbapi_connection
    if driver is None:
        raise StoreError("the case database connection was closed during the upgrade")
    driver.execute(sql)
