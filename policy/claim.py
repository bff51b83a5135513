"""A warranty claim as the contract defines it, and its validation."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from policy.document import EXCLUSION_KEYS
from policy.message import Message


class ClaimInputError(ValueError):
    """Invalid claim input; `field` names the key (dotted for inspection items), `problem` says
    what is wrong (a Message: English as a str). The first argument is the whole line, a Message."""

    def __init__(self, field: str, problem: Message) -> None:
        self.field = field
        self.problem = problem
        super().__init__(Message("{field}: {problem}", field=field, problem=problem))


# What the station's diagnosis found: the failure shows on the drive, nothing wrong was found,
# or the drive could not be diagnosed. A claim without the word (an older one) is untested.
FAULT_CONFIRMED, FAULT_NOT_FOUND, FAULT_UNTESTED = "confirmed", "not_found", "untested"
FAULTS = (FAULT_CONFIRMED, FAULT_NOT_FOUND, FAULT_UNTESTED)


@dataclass(frozen=True)
class Claim:
    claim_date: date
    model: str
    capacity_gb: int
    serial: str = ""
    purchase_date: date | None = None
    manufacture_date: date | None = None
    failure_description: str = ""
    inspection: frozenset[str] = field(default_factory=frozenset)
    counterfeit: bool = False
    host_bytes_written: int | None = None
    fault: str = FAULT_UNTESTED


_FIELDS = (
    "claim_date",
    "model",
    "capacity_gb",
    "serial",
    "purchase_date",
    "manufacture_date",
    "failure_description",
    "inspection",
    "counterfeit",
    "host_bytes_written",
    "fault",
)
_REQUIRED = ("claim_date", "model", "capacity_gb")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only, not any Unicode digit


def parse_claim(data: Any) -> Claim:
    """Validate the contract's input object; the first problem raises ClaimInputError."""
    if not isinstance(data, Mapping):
        raise ClaimInputError("claim", Message("expected a JSON object with the claim's fields"))
    for key in data:
        if key not in _FIELDS:
            raise ClaimInputError(_key(key), Message("unknown key"))
    for key in _REQUIRED:
        if key not in data:
            raise ClaimInputError(key, Message("is required"))
    claim_date = _date(data, "claim_date")
    if claim_date is None:
        raise ClaimInputError("claim_date", Message("is required (YYYY-MM-DD)"))
    purchase_date = _date(data, "purchase_date")
    manufacture_date = _date(data, "manufacture_date")
    for key, value in (("purchase_date", purchase_date), ("manufacture_date", manufacture_date)):
        if value is not None and value > claim_date:
            raise ClaimInputError(
                key, Message("{date} is after claim_date {claim_date}", date=value, claim_date=claim_date)
            )
    return Claim(
        claim_date=claim_date,
        model=_string(data, "model"),
        capacity_gb=_count(data, "capacity_gb", positive=True),
        serial=_string(data, "serial"),
        purchase_date=purchase_date,
        manufacture_date=manufacture_date,
        failure_description=_string(data, "failure_description"),
        inspection=_inspection(data.get("inspection", {})),
        counterfeit=_boolean(data, "counterfeit", "counterfeit"),
        host_bytes_written=None if data.get("host_bytes_written") is None else _count(data, "host_bytes_written"),
        fault=_fault(data.get("fault", FAULT_UNTESTED)),
    )


def _date(data: Mapping[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ClaimInputError(key, Message("{value} is not a date in the form YYYY-MM-DD", value=_shown(value)))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ClaimInputError(key, Message("{value} is not a calendar date", value=value)) from None


def _string(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ClaimInputError(key, Message("expected text, got {kind}", kind=_kind(value)))
    return value.strip()


def _count(data: Mapping[str, Any], key: str, *, positive: bool = False) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ClaimInputError(key, Message("expected a whole number, got {kind}", kind=_kind(value)))
    if value < 0:
        raise ClaimInputError(key, Message("{value} is negative", value=value))
    if positive and value == 0:
        raise ClaimInputError(key, Message("must be more than 0"))
    return value


def _boolean(data: Mapping[str, Any], key: str, name: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ClaimInputError(name, Message("expected true or false, got {kind}", kind=_kind(value)))
    return value


def _fault(value: Any) -> str:
    if not isinstance(value, str) or value not in FAULTS:
        raise ClaimInputError(
            "fault", Message("{value} is not one of {words}", value=_shown(value), words=", ".join(FAULTS))
        )
    return value


def _inspection(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, Mapping):
        raise ClaimInputError(
            "inspection", Message("expected an object of true/false findings, got {kind}", kind=_kind(value))
        )
    for key in value:
        if key not in EXCLUSION_KEYS:
            raise ClaimInputError(f"inspection.{_key(key)}", Message("unknown inspection item"))
    return frozenset(key for key in value if _boolean(value, key, f"inspection.{key}"))


def _key(key: Any) -> str:
    """A key as it may be shown in the one-line error: control characters escaped, never sent raw."""
    text = str(key)
    return text if text.isprintable() else json.dumps(text)


def _kind(value: Any) -> str:
    """What a JSON value is, in words (a Message); JSON's own null, true and false as they are."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    kinds = {
        str: Message("text"),
        int: Message("a number"),
        float: Message("a decimal number"),
        list: Message("a list"),
        dict: Message("an object"),
    }
    return kinds.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else _kind(value)
