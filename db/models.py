"""The station's case records as SQLModel tables.

The schema is created and changed only by the migrations in db/migrations; these classes
describe the latest revision (tests compare the two).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from policy.serials import canonical_serial


class Case(SQLModel, table=True):
    __tablename__ = "case_record"
    __table_args__ = (
        UniqueConstraint("station", "year", "seq", name="uq_case_station_year_seq"),
        Index("ix_case_serial", "serial"),
        Index("ix_case_customer", "customer_key"),
        Index("ix_case_created", "created_at"),
        Index("ix_case_status", "status"),
        # db.report's indexes: the counts in the order they are grouped (with what they
        # count), and each figure in the order its median and p90 are read; the period and
        # the state ride along in each, so the table itself is not read.
        Index(
            "ix_case_report",
            "product_line",
            "capacity_gb",
            "verdict",
            "reasons",
            "override_by",
            "reviewed_by",
            "created_at",
            "status",
            "tbw_used",
            "power_on_hours",
            "days_to_hand_back",
        ),
        Index("ix_case_tbw_used", "tbw_used", "created_at", "status"),
        Index("ix_case_power_on_hours", "power_on_hours", "created_at", "status"),
        Index("ix_case_days_to_hand_back", "days_to_hand_back", "created_at", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_column_kwargs={"unique": True}, max_length=32)
    station: str = Field(max_length=8)
    year: int
    seq: int
    status: str = Field(default="draft", max_length=16)  # db.lifecycle.STATES
    step: str = Field(default="intake", max_length=32)  # where the technician is in the flow
    technician: str = Field(max_length=64)
    created_at: datetime
    updated_at: datetime
    # The claim as entered: the intake form's fields, JSON; the columns below copy the
    # ones searched on.
    fields: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    serial: str = Field(default="", max_length=64)
    customer_name: str = Field(default="", max_length=200)
    customer_key: str = Field(default="", max_length=200)  # casefolded, for search
    model: str = Field(default="", max_length=64)
    verdict: str | None = Field(default=None, max_length=16)  # the final one, after any override
    # The station's figures, copied when the case is decided and handed back, so that a month's
    # report reads one table (revision 0007).
    capacity_gb: int | None = None
    product_line: str = Field(default="", max_length=64)
    reasons: str = Field(default="", max_length=400)  # the final decision's reason codes, space-separated
    tbw_used: float | None = None  # host bytes written / the product's TBW limit, at the decision
    power_on_hours: int | None = None
    decided_at: datetime | None = None
    override_by: str | None = Field(default=None, max_length=64)  # a supervisor's override at the decision
    reviewed_by: str | None = Field(default=None, max_length=64)  # the supervisor who resolved its review
    handed_back_at: datetime | None = None
    days_to_hand_back: float | None = None  # from intake to the customer leaving the counter
    shipment_id: int | None = Field(default=None, foreign_key="shipment.id", index=True)  # the failed drive's parcel


def case_copies(fields: dict[str, Any]) -> dict[str, str]:
    """The claim's fields a case copies into its indexed columns, as the case keeps them."""
    name = str(fields.get("customer_name") or "").strip()
    return {
        "serial": canonical_serial(str(fields.get("serial") or "")),
        "customer_name": name,
        "customer_key": name.casefold(),
        "model": str(fields.get("model") or "").strip(),
    }


class InspectionItem(SQLModel, table=True):
    __tablename__ = "inspection_item"
    __table_args__ = (UniqueConstraint("case_id", "key", name="uq_inspection_case_key"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True)
    key: str = Field(max_length=64)
    finding: bool
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    recorded_at: datetime


class SmartSnapshot(SQLModel, table=True):
    __tablename__ = "smart_snapshot"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True)
    taken_at: datetime
    device: str = Field(default="", max_length=200)
    readout: str = Field(sa_column=Column(Text, nullable=False))  # SmartReadout.to_dict(), JSON
    raw_output: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # smartctl's own bytes
    host_bytes_written: int | None = Field(default=None, sa_column=Column(BigInteger))  # > 2**31 on any drive


class DiagnosisTest(SQLModel, table=True):
    """A test run on the claimed drive to see whether it really failed: the drive's own
    self-test (with smartctl's output) or the workbench's read-only read test (revision 0008)."""

    __tablename__ = "diagnosis_test"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True)
    recorded_at: datetime
    kind: str = Field(max_length=16)  # "self_test" or "read_test"
    device: str = Field(default="", max_length=200)
    outcome: str = Field(max_length=32)  # e.g. passed, failed, aborted, not_supported, complete, vanished
    result: str = Field(sa_column=Column(Text, nullable=False))  # what the test found, JSON
    raw_output: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # smartctl's own bytes, if any


class CounterfeitFinding(SQLModel, table=True):
    __tablename__ = "counterfeit_finding"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True)
    batch: int  # each run of the checks is a batch; the latest is the case's current one
    check: str = Field(max_length=32)
    severity: str = Field(max_length=8)
    message: str = Field(sa_column=Column(Text, nullable=False))
    evidence: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    confirmed: bool | None = None  # the technician's answer to a medium/low finding
    recorded_at: datetime
    # The message's template and values ({"message": {"template", "values"}}): its words in any language.
    said: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))


class DecisionRecord(SQLModel, table=True):
    __tablename__ = "decision"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True)
    decided_at: datetime
    technician: str = Field(max_length=64)
    verdict: str = Field(max_length=16)  # the engine's
    remedy: str | None = Field(default=None, max_length=32)
    decision: str = Field(sa_column=Column(Text, nullable=False))  # the contract's output, JSON
    policy_id: str = Field(max_length=64)
    policy_sha256: str | None = Field(default=None, max_length=64)  # the policy file that decided
    override_verdict: str | None = Field(default=None, max_length=16)
    override_by: str | None = Field(default=None, max_length=64)
    override_reason: str | None = Field(default=None, sa_column=Column(Text))
    # A technician's request for a supervisor's review: {"verdict", "reason", "by"}, JSON.
    review_request: str | None = Field(default=None, sa_column=Column(Text))


class Ticket(SQLModel, table=True):
    __tablename__ = "ticket"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True)
    created_at: datetime
    payload: str = Field(sa_column=Column(Text, nullable=False))  # the signed QR text
    printer: str = Field(default="", max_length=200)
    status: str = Field(default="queued", max_length=16)  # queued | printed | failed
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    printed_at: datetime | None = None


class Replacement(SQLModel, table=True):
    """The drive a covered case's customer receives instead of theirs: the failed one goes to Netac."""

    __tablename__ = "replacement"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", sa_column_kwargs={"unique": True})
    original_serial: str = Field(max_length=64, index=True)
    serial: str = Field(max_length=64, sa_column_kwargs={"unique": True})  # the replacement's, canonical
    model: str = Field(max_length=64)
    capacity_gb: int
    recorded_at: datetime
    technician: str = Field(max_length=64)
    substitution_reason: str | None = Field(default=None, sa_column=Column(Text))  # another model or capacity
    substitution_by: str | None = Field(default=None, max_length=64)  # the supervisor who allowed it


class HandBack(SQLModel, table=True):
    """The customer collected their drive (or its replacement)."""

    __tablename__ = "hand_back"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", sa_column_kwargs={"unique": True})
    at: datetime
    technician: str = Field(max_length=64)
    collected_by: str = Field(max_length=200)
    id_checked: bool
    id_check_reason: str | None = Field(default=None, sa_column=Column(Text))  # why not, when not checked
    drive_serial: str = Field(max_length=64)  # the drive that went out over the counter
    by_ticket: bool  # opened by scanning the customer's ticket


class Shipment(SQLModel, table=True):
    """A parcel of failed drives sent to Netac, with its packing list."""

    __tablename__ = "shipment"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, sa_column_kwargs={"unique": True})
    station: str = Field(max_length=8)
    created_at: datetime
    technician: str = Field(max_length=64)
    reference: str = Field(default="", max_length=200)  # the carrier's tracking number


class CaseSequence(SQLModel, table=True):
    """The next case number per station and year, allocated inside the writing transaction."""

    __tablename__ = "case_sequence"

    station: str = Field(primary_key=True, max_length=8)
    year: int = Field(primary_key=True)
    last_seq: int = 0


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    actor: str = Field(max_length=64)
    station: str = Field(max_length=8)
    case_number: str | None = Field(default=None, max_length=32, index=True)
    action: str = Field(max_length=32)
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The chain's newest link: locked by each append, and what `audit verify` ends on."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    last_id: int = 0
    last_hash: str = Field(max_length=64)


def row_id(row: SQLModel) -> int:
    """The id of a row that is in the database (SQLModel types ids `int | None` for rows not yet written)."""
    value = getattr(row, "id", None)
    if not isinstance(value, int):
        raise ValueError(f"{type(row).__name__} has no id before it is written")
    return value
