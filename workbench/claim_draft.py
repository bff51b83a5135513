"""The claim as the counter enters it: one typed record for the whole case draft.

It owns the field names (the case draft's JSON column uses the same names), the intake
checks, and the step from what was entered to the contract's claim that policy.assess
decides. Values are kept as the technician typed them (a capacity of "2 000" stays text
until it is checked), so a draft can always be saved and resumed, whatever is in it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from typing import Any

from workbench.words.language import _
from workbench.words.text import strip_control
from workbench.words.vocabulary import field_name

SERIAL = re.compile(r"[A-Za-z0-9-]+")

# The technician's conclusion of the diagnosis, as the contract spells it.
FAULTS = ("confirmed", "not_found", "untested")


@dataclass(frozen=True)
class FieldProblem:
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{field_name(self.field)}: {self.problem}"


@dataclass(frozen=True)
class DriveRecord:
    """What the SMART step recorded of the claimed drive: the drive read, or why it could not be."""

    device: str = ""
    model: str = ""
    serial: str = ""
    capacity_bytes: int | None = None
    health: str = ""
    unreadable: str = ""  # why the drive could not be read; empty when it was read

    def to_json(self) -> dict[str, Any]:
        if self.unreadable:
            return {"unreadable": self.unreadable}
        return {
            "device": self.device,
            "model": self.model,
            "serial": self.serial,
            "capacity_bytes": self.capacity_bytes,
            "health": self.health,
        }

    @classmethod
    def from_json(cls, data: object) -> DriveRecord | None:
        if not isinstance(data, dict) or not data:
            return None
        capacity = data.get("capacity_bytes")
        return cls(
            device=_text(data.get("device")),
            model=_text(data.get("model")),
            serial=_text(data.get("serial")),
            capacity_bytes=capacity if isinstance(capacity, int) and not isinstance(capacity, bool) else None,
            health=_text(data.get("health")),
            unreadable=_text(data.get("unreadable")),
        )


@dataclass
class ClaimDraft:
    """Everything entered and gathered for one claim, field by field."""

    # intake
    customer_name: str = ""
    customer_contact: str = ""
    model: str = ""
    capacity_gb: str = ""  # as typed; `capacity` is the number when it is one
    serial: str = ""
    proof_of_purchase: bool = True  # most customers bring one, so the switch starts on
    purchase_date: str = ""
    manufacture_date: str = ""
    failure_description: str = ""
    data_acknowledged: bool = False
    claim_date: str = ""  # the day the case was opened at the counter
    # inspection: each exclusion's key -> found, and the technician's notes
    inspection: dict[str, bool] = field(default_factory=dict)
    inspection_notes: dict[str, str] = field(default_factory=dict)
    # SMART: the drive read (or why not), and the host bytes written it reported
    drive: DriveRecord | None = None
    host_bytes_written: int | None = None
    # counterfeit checks: the technician's conclusion (None until concluded)
    counterfeit: bool | None = None
    counterfeit_note: str = ""
    # diagnosis: whether the failure shows on the drive (FAULTS), and what that rests on
    fault: str = "untested"
    fault_note: str = ""

    # -- the case draft's JSON column ---------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["drive"] = self.drive.to_json() if self.drive else None
        return data

    def json_value(self, name: str) -> Any:
        value = getattr(self, name)
        if isinstance(value, DriveRecord):
            return value.to_json()
        return dict(value) if isinstance(value, dict) else value

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClaimDraft:
        """A draft as stored (by this version or an older one): unknown keys are ignored and
        each value is read as its field's type, so an old draft always resumes."""
        draft = cls()
        for name in cls.field_names():
            if name in data:
                setattr(draft, name, _coerce(name, data[name], getattr(draft, name)))
        return draft

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def with_changes(self, **changes: Any) -> ClaimDraft:
        return replace(self, **changes)

    # -- what was entered ---------------------------------------------------------------------

    @property
    def capacity(self) -> int | None:
        """The labelled capacity in GB, when what was typed is a whole number."""
        return int(self.capacity_gb) if self.capacity_gb.isdigit() else None

    @property
    def anything_typed(self) -> bool:
        """Whether anything was entered beyond the form's blanks and its one default."""
        return replace(self, claim_date="") != ClaimDraft()

    def intake_problems(self, today: date) -> list[FieldProblem]:
        """What stops the intake form from moving on, one message per field."""
        problems = []
        for name in ("customer_name", "model", "capacity_gb", "serial", "failure_description"):
            if not getattr(self, name).strip():
                problems.append(FieldProblem(name, _("is required")))
        if self.serial and not SERIAL.fullmatch(self.serial):
            problems.append(FieldProblem("serial", _("only letters, digits and '-' (as on the label)")))
        if self.capacity_gb and not self.capacity:
            problems.append(
                FieldProblem(
                    "capacity_gb",
                    _("{value} is not a capacity in GB such as 512 or 1000").format(value=repr(self.capacity_gb)),
                )
            )
        for name in ("purchase_date", "manufacture_date"):
            text = getattr(self, name).strip()
            if text:
                problem = date_problem(text, today)
                if problem:
                    problems.append(FieldProblem(name, problem))
        if self.proof_of_purchase and not self.purchase_date.strip():
            problems.append(FieldProblem("purchase_date", _("is required when a proof of purchase is presented")))
        if not self.data_acknowledged:
            problems.append(
                FieldProblem(
                    "data_acknowledged",
                    _(
                        "the customer must acknowledge that their data is their own responsibility "
                        "(policy, other terms 2)"
                    ),
                )
            )
        return problems

    def contract_claim(self, today: date) -> dict[str, Any]:
        """The contract's claim object (shared/contracts/claim-assessment.md) from this draft."""
        return {
            "claim_date": self.claim_date or today.isoformat(),
            "model": self.model,
            # As typed when it is not a number, so policy.parse_claim names the field.
            "capacity_gb": self.capacity if self.capacity is not None else self.capacity_gb,
            "serial": self.serial,
            "purchase_date": (self.purchase_date or None) if self.proof_of_purchase else None,
            "manufacture_date": self.manufacture_date or None,
            "failure_description": self.failure_description,
            "inspection": dict(self.inspection),
            "counterfeit": bool(self.counterfeit),
            "host_bytes_written": self.host_bytes_written,
            "fault": self.fault,
        }


def date_problem(text: str, today: date) -> str | None:
    """What is wrong with a date as typed, in the session's language, or None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return _("{value} is not a date in the form YYYY-MM-DD").format(value=repr(text))
    try:
        value = date.fromisoformat(text)
    except ValueError:
        return _("{date} is not a calendar date").format(date=text)
    if value > today:
        return _("{date} is in the future").format(date=text)
    return None


def _text(value: object, *, keep_newlines: bool = False) -> str:
    """A stored value as text a widget may show: the database is one of the boundaries where
    strings come in, so escape sequences, control and bidi characters are dropped here (M2)."""
    return "" if value is None else strip_control(str(value), keep_newlines=keep_newlines)


def _coerce(name: str, value: Any, default: Any) -> Any:
    """A stored value as its field's type (drafts are JSON, and older versions stored some as other types)."""
    if name == "drive":
        return DriveRecord.from_json(value)
    if name == "host_bytes_written":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if name == "counterfeit":
        return value if isinstance(value, bool) else None
    if name == "fault":  # a draft stored before the diagnosis was untested
        return value if value in FAULTS else "untested"
    if name == "inspection":
        return {str(k): bool(v) for k, v in value.items()} if isinstance(value, dict) else {}
    if name == "inspection_notes":
        return {str(k): _text(v) for k, v in value.items()} if isinstance(value, dict) else {}
    if isinstance(default, bool):
        return bool(value)
    return _text(value, keep_newlines=name == "failure_description")
