"""What reading the records returns: plain frozen dataclasses (never live ORM objects), so screens
and commands can hold them across workers and sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from db.audit import anchor_of
from db.models import (
    Case,
)


@dataclass(frozen=True)
class CaseSummary:
    number: str
    status: str
    step: str
    technician: str
    created_at: datetime
    updated_at: datetime
    serial: str
    customer_name: str
    model: str
    verdict: str | None
    replaced_by: str | None = None  # the serial of the drive that replaced this one (history only)
    shipment: str | None = None  # the parcel its failed drive went to Netac in (history only)


@dataclass(frozen=True)
class InspectionView:
    key: str
    finding: bool
    note: str
    recorded_at: datetime


@dataclass(frozen=True)
class SnapshotView:
    id: int
    taken_at: datetime
    device: str
    readout: dict[str, Any]
    raw_output: bytes
    host_bytes_written: int | None


@dataclass(frozen=True)
class DiagnosisTestView:
    id: int | None
    recorded_at: datetime
    kind: str
    device: str
    outcome: str
    result: dict[str, Any]
    raw_output: bytes


@dataclass(frozen=True)
class FindingView:
    check: str
    severity: str
    message: str
    evidence: dict[str, Any]
    confirmed: bool | None
    batch: int
    said: dict[str, Any] = field(default_factory=dict)  # the message's template and values, if kept


@dataclass(frozen=True)
class DecisionView:
    id: int
    decided_at: datetime
    technician: str
    verdict: str
    remedy: str | None
    decision: dict[str, Any]
    policy_id: str
    override_verdict: str | None
    override_by: str | None
    override_reason: str | None
    policy_sha256: str | None = None  # the policy file that decided; None before revision 0004
    review_request: dict[str, str] | None = None  # a technician's request for a supervisor's review

    @property
    def final_verdict(self) -> str:
        return self.override_verdict or self.verdict


@dataclass(frozen=True)
class ReviewItem:
    """A case in the supervisors' review queue, and why it waits."""

    summary: CaseSummary
    why: str  # the technician's request (wanted verdict and reason), or the engine's reasons


@dataclass(frozen=True)
class ReplacementView:
    serial: str
    model: str
    capacity_gb: int
    recorded_at: datetime
    technician: str
    substitution_reason: str | None
    substitution_by: str | None


@dataclass(frozen=True)
class HandBackView:
    at: datetime
    technician: str
    collected_by: str
    id_checked: bool
    drive_serial: str
    by_ticket: bool
    id_check_reason: str | None = None  # why the ID was not checked


@dataclass(frozen=True)
class ShippedDrive:
    """One line of a shipment's packing list: a failed drive going back to Netac."""

    case_number: str
    model: str
    capacity_gb: int | None
    serial: str
    replaced_by: str
    reasons: str
    decided_at: datetime | None


@dataclass(frozen=True)
class ShipmentView:
    number: str
    station: str
    created_at: datetime
    technician: str
    reference: str
    drives: tuple[ShippedDrive, ...]


@dataclass(frozen=True)
class TicketView:
    id: int
    created_at: datetime
    payload: str
    printer: str
    status: str
    attempts: int
    last_error: str | None
    printed_at: datetime | None


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]
    hash: str = ""

    @property
    def anchor(self) -> str:
        """This link of the trail as a ticket prints it, for `workbench audit verify --anchor`."""
        return anchor_of(self.id, self.hash)


@dataclass(frozen=True)
class CaseView:
    """Everything recorded on one case."""

    summary: CaseSummary
    fields: dict[str, Any]
    inspection: tuple[InspectionView, ...] = ()
    snapshots: tuple[SnapshotView, ...] = ()
    diagnosis_tests: tuple[DiagnosisTestView, ...] = ()
    findings: tuple[FindingView, ...] = ()  # the latest run of the checks
    decisions: tuple[DecisionView, ...] = ()
    tickets: tuple[TicketView, ...] = ()
    audit: tuple[AuditView, ...] = field(default=())
    replacement: ReplacementView | None = None
    hand_back: HandBackView | None = None
    shipment: str | None = None  # the number of the parcel its failed drive went to Netac in

    @property
    def number(self) -> str:
        return self.summary.number

    @property
    def decision(self) -> DecisionView | None:
        return self.decisions[-1] if self.decisions else None


def summary_of(case: Case, *, replaced_by: str | None = None, shipment: str | None = None) -> CaseSummary:
    return CaseSummary(
        case.number,
        case.status,
        case.step,
        case.technician,
        case.created_at,
        case.updated_at,
        case.serial,
        case.customer_name,
        case.model,
        case.verdict,
        replaced_by,
        shipment,
    )
