"""The ticket's QR text: the decision's key facts, signed by the station.

    NW1|SZ01-2026-000123|SZ01|2026-11-24|NV7000|2000|RN2023...|not_covered||netac-warranty 2024.1|<signature>

Fields are separated by `|` (a `|` or `%` inside a value is %-escaped); the signature is
Ed25519 over everything before the last `|`, in unpadded base64url. A QR scanner at the
counter types the text back; `verify` checks it.
"""

from __future__ import annotations

import base64
from dataclasses import astuple, dataclass, fields

from workbench.errors import InputError

PREFIX = "NW1"


@dataclass(frozen=True)
class TicketFacts:
    case_number: str
    station: str
    date: str  # day of the decision, YYYY-MM-DD
    model: str
    capacity_gb: str
    serial: str
    verdict: str  # final, after any override
    remedy: str
    policy: str


FIELD_COUNT = len(fields(TicketFacts))


def _escape(value: str) -> str:
    return value.replace("%", "%25").replace("|", "%7C")


def _unescape(value: str) -> str:
    return value.replace("%7C", "|").replace("%25", "%")


def signed_text(facts: TicketFacts, key) -> str:
    body = "|".join([PREFIX, *(_escape(str(v)) for v in astuple(facts))])
    signature = base64.urlsafe_b64encode(key.sign(body.encode("utf-8"))).decode().rstrip("=")
    return f"{body}|{signature}"


@dataclass(frozen=True)
class ParsedTicket:
    facts: TicketFacts
    body: bytes
    signature: bytes


def parse(text: str) -> ParsedTicket:
    """Split a scanned ticket text; InputError (field `ticket`) when it is not one."""
    text = text.strip()
    parts = text.split("|")
    if parts[0] != PREFIX:
        raise InputError("ticket", f"not a workbench ticket (it should start with {PREFIX}|)")
    if len(parts) != FIELD_COUNT + 2:
        raise InputError("ticket", f"has {len(parts) - 2} fields instead of {FIELD_COUNT}: truncated or altered")
    body, _, signature_text = text.rpartition("|")
    try:
        signature = base64.urlsafe_b64decode(signature_text + "=" * (-len(signature_text) % 4))
    except ValueError:
        raise InputError("ticket", "its signature is not base64url text") from None
    if len(signature) != 64:
        raise InputError("ticket", "its signature is truncated")
    return ParsedTicket(TicketFacts(*(_unescape(p) for p in parts[1:-1])), body.encode("utf-8"), signature)
