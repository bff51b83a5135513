"""The station's system of record: cases, evidence, decisions, tickets and the audit trail.

The names below load SQLAlchemy and SQLModel on first use, not when `db` is imported: the
TUI's start-up imports db.errors and must not pay for the database it opens later.
"""

from importlib import import_module
from typing import Any

from db.errors import StoreError

_LAZY = {
    "AuditReport": "db.audit",
    "CaseStore": "db.store",
    "CaseSummary": "db.store",
    "CaseView": "db.store",
    "DecisionView": "db.store",
    "FindingView": "db.store",
    "InspectionView": "db.store",
    "SnapshotView": "db.store",
    "TicketView": "db.store",
    "open_station_store": "db.store",
    "open_store": "db.store",
}

__all__ = ["StoreError", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'db' has no attribute {name!r}")
