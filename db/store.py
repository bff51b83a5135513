"""CaseStore: the one face of the station's case records, and how a station opens them.

The records are split by what they keep, each a class of its own that shares one way to open a
session and one error path (db/records.py): cases and drafts (db/cases.py), evidence
(db/evidence.py), decisions and reviews (db/decisions.py), tickets (db/tickets.py), what
happens after the decision (db/after_decision.py), and reading (db/reading.py, returning the
frozen views of db/views.py). Every write appends its audit entry in the same transaction.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import tzinfo
from pathlib import Path
from typing import Protocol

from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from db.after_decision import AfterDecisionRecords
from db.cases import CaseRecords
from db.connection import explain, make_engine, sqlite_path
from db.decisions import DecisionRecords
from db.errors import StoreError
from db.evidence import EvidenceRecords
from db.lifecycle import STATES
from db.migrate import current_revision, head_revision, upgrade
from db.reading import CaseReading
from db.tickets import TicketRecords
from db.views import (
    AuditView,
    CaseSummary,
    CaseView,
    DecisionView,
    DiagnosisTestView,
    FindingView,
    HandBackView,
    InspectionView,
    ReplacementView,
    ReviewItem,
    ShipmentView,
    ShippedDrive,
    SnapshotView,
    TicketView,
)
from policy.message import Message

STATUSES = STATES


class CaseStore(CaseRecords, EvidenceRecords, DecisionRecords, TicketRecords, AfterDecisionRecords, CaseReading):
    """Every write the workbench makes to a case, each with its audit entry, and every read of
    the records: one object per station and login (open_store, open_station_store)."""


# SQLite makes a new database's file on the first connection and writes its first page once the
# schema is created under the write lock: a station starting at the same moment as another sees
# an empty file for that instant. An empty file older than this was cut off, not being created.
CREATING_S = 3.0


def _empty_once_created(path: Path) -> bool:
    """Whether the file is empty and not a database another process is creating right now (an
    empty file made in the last CREATING_S seconds is given that long to gain its first page)."""
    deadline = time.monotonic() + CREATING_S
    while True:
        status = path.stat()
        if status.st_size > 0:
            return False
        if time.time() - status.st_mtime > CREATING_S or time.monotonic() > deadline:
            return True
        time.sleep(0.05)


def open_store(
    url: str,
    *,
    station_id: str,
    technician: str,
    read_only: bool = False,
    zone: tzinfo | None = None,
    replicated: bool = False,
) -> CaseStore:
    """Open (and create or upgrade) the case database at `url`.

    `read_only`: for commands that only read (listing, showing, exporting, verifying). A file
    the user may only read is then opened as it is, without an upgrade; one they may write is
    opened as for any other command. `replicated`: Litestream replicates the file and makes
    its checkpoints (db.connection.make_engine).
    """
    path = sqlite_path(url)
    if path is not None and path.exists():
        if path.is_file() and _empty_once_created(path):
            # A database file is never empty: this one was cut off. Taken as new, its case
            # numbers would start again at 000001 and collide with customers' tickets.
            raise StoreError(
                Message(
                    "the case database {path} is empty (0 bytes): it is damaged, not new; restore the latest "
                    "backup (the .bak files beside it), or remove the file to start a new database",
                    path=str(path),
                )
            )
        writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        if not writable and read_only:
            return _read_only_store(url, path, station_id=station_id, technician=technician, zone=zone)
        if not writable:
            raise StoreError(
                Message(
                    "the case database {path} is read-only for {user}: nothing could be saved; "
                    "ask the station manager to fix its permissions (file and folder)",
                    path=str(path),
                    user=technician,
                )
            )
    # A new database holds customers' names and phones: only its owner reads it (0600; SQLite
    # gives its -wal and -shm files the same mode). A station's shared file is made by
    # deploy/setup-ssh-station.sh (0660, group technicians) and is left as it is.
    private = os.umask(0o077) if path is not None and not path.exists() else None
    try:
        engine = make_engine(url, replicated=replicated)
        upgrade(engine, url)
    except DBAPIError as exc:
        raise explain(exc, Message("open the case database")) from None
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:  # a URL SQLAlchemy cannot use
        shown = url if len(url) <= 80 else url[:80] + "…"
        raise StoreError(
            Message(
                "the case database URL {url} is not usable ({error}): set "
                "[database] url or WORKBENCH_DATABASE_URL to e.g. sqlite:////var/lib/netac-workbench/cases.db",
                url=repr(shown),
                error=type(exc).__name__,
            )
        ) from None
    finally:
        if private is not None:
            os.umask(private)
    return CaseStore(engine, station_id=station_id, technician=technician, zone=zone)


def _read_only_store(url: str, path: Path, *, station_id: str, technician: str, zone: tzinfo | None) -> CaseStore:
    """A database the user may only read (an auditor's account): read as it is, never upgraded."""
    try:
        engine = make_engine(url, read_only=True)
        revision = current_revision(engine)
    except (DBAPIError, sqlite3.Error) as exc:
        raise explain(exc, Message("open the case database (read-only)")) from None
    if revision != head_revision():
        raise StoreError(
            Message(
                "the case database {path} is at revision {revision} and this workbench reads "
                "{head}: it needs an upgrade, which a read-only copy cannot take "
                "(open it once with write access, or read it with the workbench that wrote it)",
                path=str(path),
                revision=str(revision),
                head=head_revision(),
            )
        )
    return CaseStore(engine, station_id=station_id, technician=technician, zone=zone)


class StationSettings(Protocol):
    """What the store needs of a station's configuration (workbench.config.StationConfig)."""

    @property
    def database_url(self) -> str: ...

    @property
    def station_id(self) -> str: ...

    @property
    def technician(self) -> str: ...

    @property
    def time_zone(self) -> tzinfo | None: ...

    @property
    def replicated(self) -> bool: ...


def open_station_store(config: StationSettings, *, read_only: bool = False) -> CaseStore:
    """The store a station's configuration names, for its login user."""
    return open_store(
        config.database_url,
        station_id=config.station_id,
        technician=config.technician,
        read_only=read_only,
        zone=config.time_zone,
        replicated=config.replicated,
    )


__all__ = [
    "AuditView",
    "CaseStore",
    "CaseSummary",
    "CaseView",
    "DecisionView",
    "DiagnosisTestView",
    "FindingView",
    "HandBackView",
    "InspectionView",
    "ReplacementView",
    "ReviewItem",
    "STATUSES",
    "ShipmentView",
    "ShippedDrive",
    "SnapshotView",
    "StationSettings",
    "TicketView",
    "open_station_store",
    "open_store",
]
