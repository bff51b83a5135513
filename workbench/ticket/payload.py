"""The ticket's QR text: the decision's key facts, signed by the station.

Tickets are issued as `NW2` followed by digits only, short enough that the QR fits a whole
80x24 terminal (version 6, 41 modules, for a usual case; see qr.py):

    NW2004021133...   (about 245 digits)

The digits are one big-endian number: the facts packed as bytes (below), then the raw
64-byte Ed25519 signature over b"NW2" + those bytes. Digits, because QR numeric mode spends
3.33 bits a digit (8.03 a byte: as dense as binary) and a counter's scanner types digits
alike on every keyboard layout. n bytes are always written with as many digits as 256**n - 1
has, zeros in front, so the length gives the byte count back.

The facts, packed in this order:
    varint  the decision's day, in days since 2000-01-01
    varint  the case number: 1 + (year - 2000) * 10**7 + sequence when it is
            "<station>-<year>-<sequence of 6 or more digits>"; 0 when it is among the texts
    varint  capacity: 1 + GB for a plain whole number; 0 when it is among the texts
    byte    1 + verdict * 2 + remedy (indexes in VERDICTS, REMEDIES); 0: both among the texts
    byte    1 + index in POLICY_NAMES, the text then being the version only; 0: the full policy id
    byte    how the texts are written: 1 in base 40 over TEXT_ALPHABET ('|' between them),
            0 in UTF-8, each after its varint length
    rest    the texts: station, model, serial, policy, then whatever the fields above left out
            (case number, capacity, verdict, remedy), in that order

Tickets issued before (`NW1|...|<base64url signature>`, fields separated by `|`, the
signature over everything before the last `|`) still verify: they are in customers' hands.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, fields
from datetime import date, timedelta

from policy.engine import COVERED, NEEDS_REVIEW, NOT_COVERED, REFUSED
from workbench.errors import InputError
from workbench.words.language import _
from workbench.words.text import strip_control

PREFIX = "NW2"
PREFIX_NW1 = "NW1"
SIGNATURE_BYTES = 64

# The orders below are the format: add at the end only, never reorder.
VERDICTS = (COVERED, NOT_COVERED, REFUSED, NEEDS_REVIEW)
REMEDIES = ("", "repair_or_replace")
POLICY_NAMES = ("netac-warranty",)  # the shipped policy; others' ids are written in full
TEXT_ALPHABET = "|0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. "
EPOCH = date(2000, 1, 1)
CASE_NUMBER = re.compile(r"(?P<station>.+)-(?P<year>2\d{3})-(?P<sequence>\d{6,7})")
MAX_DIGITS = 3000  # a QR holds 7089 digits at most; tickets are far shorter
WHOLE_NUMBER = re.compile(r"0|[1-9]\d{0,17}")
NW1_SIGNATURE = re.compile(r"[A-Za-z0-9_-]+")
NW1_SIGNATURE_LENGTH = 86  # 64 bytes in base64url, unpadded


@dataclass(frozen=True)
class TicketFacts:
    """A ticket's facts, as text that is data: a scanned ticket is anyone's text until its
    signature is checked (and then the signer's), so every fact is cleaned of escape
    sequences and control characters when the facts are made, whoever makes them."""

    case_number: str
    station: str
    date: str  # day of the decision, YYYY-MM-DD
    model: str
    capacity_gb: str
    serial: str
    verdict: str  # final, after any override
    remedy: str
    policy: str

    def __post_init__(self) -> None:
        for name in FACT_NAMES:
            object.__setattr__(self, name, strip_control(getattr(self, name)))


FACT_NAMES = tuple(f.name for f in fields(TicketFacts))
FIELD_COUNT = len(FACT_NAMES)


@dataclass(frozen=True)
class ParsedTicket:
    facts: TicketFacts
    body: bytes  # what the signature is over
    signature: bytes


def signed_text(facts: TicketFacts, key) -> str:
    packed = pack(facts)
    return PREFIX + _digits(packed + key.sign(PREFIX.encode() + packed))


def parse(text: str) -> ParsedTicket:
    """Split a scanned ticket text; InputError (field `ticket`) when it is not one."""
    text = text.strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 (a scanner in another code page)
        raise InputError("ticket", _("not a workbench ticket: it has bytes that are not UTF-8 text")) from None
    if text.startswith(PREFIX_NW1 + "|"):
        return _parse_nw1(text)
    if not text.startswith(PREFIX):
        raise InputError(
            "ticket",
            _("not a workbench ticket (it should start with {nw2} or {nw1}|)").format(nw2=PREFIX, nw1=PREFIX_NW1),
        )
    data = _from_digits(text[len(PREFIX) :])
    if len(data) <= SIGNATURE_BYTES:
        raise InputError("ticket", _("is too short to hold its facts and signature: truncated or altered"))
    packed, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
    return ParsedTicket(unpack(packed), PREFIX.encode() + packed, signature)


# --- the packed facts ---------------------------------------------------------------------


def pack(facts: TicketFacts) -> bytes:
    try:
        day = (date.fromisoformat(facts.date) - EPOCH).days
    except ValueError:
        raise InputError("ticket", _("date {date} is not YYYY-MM-DD").format(date=repr(facts.date))) from None
    if day < 0:
        raise InputError("ticket", _("date {date} is before 2000").format(date=facts.date))
    extra: list[str] = []
    match = CASE_NUMBER.fullmatch(facts.case_number)
    if match and match["station"] == facts.station:
        case_code = 1 + (int(match["year"]) - 2000) * 10**7 + int(match["sequence"])
        if _case_number(case_code, facts.station) != facts.case_number:  # e.g. a sequence 0001234
            case_code = 0
    else:
        case_code = 0
    if case_code == 0:
        extra.append(facts.case_number)
    capacity_code = int(facts.capacity_gb) + 1 if WHOLE_NUMBER.fullmatch(facts.capacity_gb) else 0
    if capacity_code == 0:
        extra.append(facts.capacity_gb)
    if facts.verdict in VERDICTS and facts.remedy in REMEDIES:
        outcome_code = 1 + VERDICTS.index(facts.verdict) * len(REMEDIES) + REMEDIES.index(facts.remedy)
    else:
        outcome_code = 0
        extra += [facts.verdict, facts.remedy]
    name, _sep, version = facts.policy.partition(" ")
    if name in POLICY_NAMES and version:
        policy_code, policy_text = 1 + POLICY_NAMES.index(name), version
    else:
        policy_code, policy_text = 0, facts.policy
    texts = [facts.station, facts.model, facts.serial, policy_text, *extra]
    head = _varint(day) + _varint(case_code) + _varint(capacity_code) + bytes([outcome_code, policy_code])
    if all(c in TEXT_ALPHABET[1:] for t in texts for c in t):
        return head + b"\x01" + _base40("|".join(texts))
    return head + b"\x00" + b"".join(_varint(len(t.encode())) + t.encode() for t in texts)


def unpack(packed: bytes) -> TicketFacts:
    reader = _Reader(packed)
    day, case_code, capacity_code = reader.varint(), reader.varint(), reader.varint()
    outcome_code, policy_code, text_mode = reader.byte(), reader.byte(), reader.byte()
    if text_mode == 1:
        texts = _from_base40(reader.rest()).split("|")
    elif text_mode == 0:
        texts = reader.texts()
    else:
        raise reader.damaged()
    expected = 4 + (case_code == 0) + (capacity_code == 0) + 2 * (outcome_code == 0)
    if len(texts) != expected or outcome_code > len(VERDICTS) * len(REMEDIES) or policy_code > len(POLICY_NAMES):
        raise reader.damaged()
    station, model, serial, policy_text, *extra = texts
    extra.reverse()
    case_number = _case_number(case_code, station) if case_code else extra.pop()
    capacity = str(capacity_code - 1) if capacity_code else extra.pop()
    if outcome_code:
        verdict, remedy = VERDICTS[(outcome_code - 1) // len(REMEDIES)], REMEDIES[(outcome_code - 1) % len(REMEDIES)]
    else:
        verdict, remedy = extra.pop(), extra.pop()
    policy = f"{POLICY_NAMES[policy_code - 1]} {policy_text}" if policy_code else policy_text
    try:
        decided = (EPOCH + timedelta(days=day)).isoformat()
    except OverflowError:
        raise reader.damaged() from None
    return TicketFacts(case_number, station, decided, model, capacity, serial, verdict, remedy, policy)


def _case_number(code: int, station: str) -> str:
    year, sequence = divmod(code - 1, 10**7)
    return f"{station}-{2000 + year}-{sequence:06d}"


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        value, low = divmod(value, 128)
        out.append(low | (128 if value else 0))
        if not value:
            return bytes(out)


def _base40(text: str) -> bytes:
    number = 1  # a leading 1 keeps leading zero characters
    for char in text:
        number = number * len(TEXT_ALPHABET) + TEXT_ALPHABET.index(char)
    return number.to_bytes((number.bit_length() + 7) // 8, "big")


def _from_base40(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    if not data or data[0] == 0:
        raise InputError("ticket", _("its facts are damaged: truncated or altered"))
    chars = []
    while number >= len(TEXT_ALPHABET):
        number, index = divmod(number, len(TEXT_ALPHABET))
        chars.append(TEXT_ALPHABET[index])
    if number != 1:
        raise InputError("ticket", _("its facts are damaged: truncated or altered"))
    return "".join(reversed(chars))


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    @staticmethod
    def damaged() -> InputError:
        return InputError("ticket", _("its facts are damaged: truncated or altered"))

    def byte(self) -> int:
        if self.at >= len(self.data):
            raise self.damaged()
        self.at += 1
        return self.data[self.at - 1]

    def varint(self) -> int:
        value, shift = 0, 0
        while True:
            part = self.byte()
            value |= (part & 127) << shift
            if not part & 128:
                return value
            shift += 7
            if shift > 63:
                raise self.damaged()

    def rest(self) -> bytes:
        rest, self.at = self.data[self.at :], len(self.data)
        return rest

    def texts(self) -> list[str]:
        texts = []
        while self.at < len(self.data):
            length = self.varint()
            if self.at + length > len(self.data):
                raise self.damaged()
            try:
                texts.append(self.data[self.at : self.at + length].decode("utf-8"))
            except UnicodeDecodeError:
                raise self.damaged() from None
            self.at += length
        return texts


def _digit_count(byte_count: int) -> int:
    return len(str(256**byte_count - 1))


def _digits(data: bytes) -> str:
    return str(int.from_bytes(data, "big")).zfill(_digit_count(len(data)))


def _from_digits(text: str) -> bytes:
    if not text.isascii() or not text.isdigit():
        raise InputError("ticket", _("after {nw2} a ticket has digits only: altered or mistyped").format(nw2=PREFIX))
    if len(text) > MAX_DIGITS:
        raise InputError("ticket", _("is longer than any ticket ({count} digits)").format(count=len(text)))
    # n bytes take at least 2 more digits than n - 1 bytes: one byte count fits a length
    byte_count = next((n for n in range(len(text) // 2 + 2) if _digit_count(n) >= len(text)), 0)
    number = int(text)
    if _digit_count(byte_count) != len(text) or number >= 256**byte_count:
        raise InputError("ticket", _("has a number of digits no ticket has: truncated or altered"))
    return number.to_bytes(byte_count, "big")


# --- tickets issued before NW2 --------------------------------------------------------------


def _unescape(value: str) -> str:
    return value.replace("%7C", "|").replace("%25", "%")


def _parse_nw1(text: str) -> ParsedTicket:
    parts = text.split("|")
    if len(parts) != FIELD_COUNT + 2:
        raise InputError(
            "ticket",
            _("has {count} fields instead of {expected}: truncated or altered").format(
                count=len(parts) - 2, expected=FIELD_COUNT
            ),
        )
    body, _sep, signature_text = text.rpartition("|")
    # One spelling only (L7): 86 characters of the URL-safe alphabet, no padding, and the
    # canonical last character; any other spelling of the same bytes is refused.
    if not NW1_SIGNATURE.fullmatch(signature_text):
        raise InputError("ticket", _("its signature is not base64url text (A-Z a-z 0-9 - _, no padding): altered"))
    if len(signature_text) != NW1_SIGNATURE_LENGTH:
        raise InputError(
            "ticket",
            _("its signature is truncated")
            if len(signature_text) < NW1_SIGNATURE_LENGTH
            else _("its signature is too long: altered"),
        )
    signature = base64.urlsafe_b64decode(signature_text + "==")
    if base64.urlsafe_b64encode(signature).decode().rstrip("=") != signature_text:
        raise InputError("ticket", _("its signature is not written as the workbench writes it: altered"))
    return ParsedTicket(TicketFacts(*(_unescape(p) for p in parts[1:-1])), body.encode("utf-8"), signature)
