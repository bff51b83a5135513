"""The station's system of record: cases, evidence, decisions, tickets and the audit trail."""

from db.audit import AuditReport
from db.errors import StoreError
from db.store import (
    CaseStore,
    CaseSummary,
    CaseView,
    DecisionView,
    FindingView,
    InspectionView,
    SnapshotView,
    TicketView,
    open_station_store,
    open_store,
)

__all__ = [
    "AuditReport", "StoreError", "CaseStore", "CaseSummary", "CaseView", "DecisionView", "FindingView",
    "InspectionView", "SnapshotView", "TicketView", "open_station_store", "open_store",
]
