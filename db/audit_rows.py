"""What the audit trail vouches for: every row a decision or a customer relies on.

Each entry that writes a row records the row as written: its values where they are short
(an inspection item's finding and note, a replacement, a hand-back), a SHA-256 where they are
not (a decision, a ticket's text, a SMART readout and its raw output, a diagnosis test's
result and output, a counterfeit finding),
and every entry about a case the digest of the case row as that write left it
(`case_digest`). `verify_records` then reads the records case by case, along with the trail's
entries of each case, and names the first row that has no entry, differs from the latest entry
that wrote it, or is missing although an entry wrote it.

The case digest leaves out the step (where the technician is in the flow) and `updated_at`
(when the case was last touched): nothing is decided on them and no customer reads them.
It covers everything else: the state, the verdict, the claim's fields and their indexed copies
(serial, customer name, model), the station's figures copied at the decision and the
hand-back, and the parcel its failed drive went in.

Entries written before the digests (older databases) carry less, and what they carry is
compared: an inspection item's key, finding and note; a SMART readout's raw output (SHA-256),
device and bytes written; each counterfeit finding's check, severity and answer; a
replacement's and a hand-back's values; the claim's fields (the creation entry's and each
saved draft's); and a case's verdict against its latest decision. Left unchecked for them: a
case's state and figures, a SMART readout's parsed readout, a finding's message and evidence.

The check streams: one pass over each table in case order (their case_id indexes) and one
over the trail's entries joined to their cases, holding one case at a time.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy import Table, func
from sqlalchemy import select as select_rows
from sqlmodel import Session, SQLModel, col, select

from db.lifecycle import code_named
from db.models import AuditEntry, Shipment, case_copies, row_id
from policy.message import Message

# The case row's columns an entry vouches for (not `step` nor `updated_at`: see above).
CASE_VOUCHED = (
    "number",
    "station",
    "technician",
    "created_at",
    "status",
    "fields",
    "serial",
    "customer_name",
    "customer_key",
    "model",
    "verdict",
    "capacity_gb",
    "product_line",
    "reasons",
    "tbw_used",
    "power_on_hours",
    "decided_at",
    "override_by",
    "reviewed_by",
    "handed_back_at",
    "days_to_hand_back",
    "shipment_id",
)
DECISION_VOUCHED = (
    "case_id",
    "technician",
    "verdict",
    "remedy",
    "decision",
    "policy_id",
    "policy_sha256",
    "override_verdict",
    "override_by",
    "override_reason",
    "review_request",
)
FINDING_VOUCHED = ("batch", "check", "severity", "message", "evidence", "confirmed")

Problem = tuple[int, str]  # (the entry it is found at, 0 for none; what is wrong: a Message)


def _plain(value: Any) -> Any:
    """A value as the digest takes it: a time as its UTC instant (a driver may give it back
    with or without its zone)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).replace(tzinfo=None).isoformat()
    return value


def _digest(row: Any, names: Sequence[str]) -> str:
    content = json.dumps([_plain(getattr(row, name)) for name in names], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def sha256_text(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def case_digest(case: Any) -> str:
    """What each entry about a case vouches for: the case row as the write left it."""
    return _digest(case, CASE_VOUCHED)


def decision_digest(row: Any) -> str:
    """What a decision's audit entry vouches for: the row as recorded (verdicts, reasons, who)."""
    return _digest(row, DECISION_VOUCHED)


def finding_digest(row: Any) -> str:
    """What a run of the counterfeit checks vouches for of each finding."""
    return _digest(row, FINDING_VOUCHED)


@dataclass(frozen=True)
class _Entry:
    id: int
    action: str
    actor: str
    detail: dict[str, Any]


Vouched = dict[str, tuple[int, Callable[[Any], bool]]]  # a row's name: (its latest entry, does the row match it)


def verify_records(session: Session) -> Problem | None:
    """The first record that is not the one the trail vouches for, or None."""
    return _verify_cases(session) or _verify_shipments(session)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


CHILDREN = (
    "decision",
    "ticket",
    "inspection_item",
    "smart_snapshot",
    "diagnosis_test",
    "counterfeit_finding",
    "replacement",
    "hand_back",
)


def _verify_cases(session: Session) -> Problem | None:
    """Each case with its entries and its rows, a case at a time, then the entries of no case."""
    connection = session.connection()
    shipments = {row_id(s): s.number for s in session.exec(select(Shipment))}

    def stream(query: Any) -> Iterator[Any]:
        return iter(connection.execution_options(yield_per=2000).execute(query))

    cases, trail = _table("case_record"), _table("audit_entry")
    entries = _Grouped(
        stream(
            select_rows(cases.c.id, trail.c.id, trail.c.action, trail.c.actor, trail.c.detail)
            .join(trail, trail.c.case_number == cases.c.number)
            .order_by(cases.c.id, trail.c.id)
        ),
        key=0,
    )
    children = {
        name: _Grouped(stream(select_rows(_table(name)).order_by(_table(name).c.case_id, _table(name).c.id)))
        for name in CHILDREN
    }
    joined = 0
    for case in stream(select_rows(cases).order_by(cases.c.id)):
        problem = _stray(children, case.id)
        if problem is not None:
            return problem
        case_entries = [_Entry(e[1], e[2], e[3], _detail(e[4])) for e in entries.of(case.id)]
        joined += len(case_entries)
        problem = _verify_case(
            case, case_entries, {name: rows.of(case.id) for name, rows in children.items()}, shipments
        )
        if problem is not None:
            return problem
    return _stray(children, None) or _deleted_case(session, joined)


# The tables of CHILDREN in words, as a stray row is named.
TABLE_WORDS = {
    "decision": Message("decision"),
    "ticket": Message("ticket"),
    "inspection_item": Message("inspection item"),
    "smart_snapshot": Message("smart snapshot"),
    "diagnosis_test": Message("diagnosis test"),
    "counterfeit_finding": Message("counterfeit finding"),
    "replacement": Message("replacement"),
    "hand_back": Message("hand back"),
}


def _stray(children: dict[str, _Grouped], case_id: int | None) -> Problem | None:
    """A row whose case is not in the records (taken before the case `case_id`, None: the last)."""
    for name, rows in children.items():
        stray = rows.before(case_id)
        if stray is not None:
            return 0, Message(
                "{table} {id} belongs to no case in the records (case id {case_id})",
                table=TABLE_WORDS.get(name, name.replace("_", " ")),
                id=stray.id,
                case_id=stray.case_id,
            )
    return None


def _deleted_case(session: Session, joined: int) -> Problem | None:
    """An entry about a case that is no longer in the records (deleted, or its number changed):
    the trail has more entries about cases than the cases took (`joined`)."""
    about_cases = session.exec(
        select(func.count()).select_from(AuditEntry).where(col(AuditEntry.case_number).is_not(None))
    ).one()
    if about_cases == joined:
        return None
    trail, cases = _table("audit_entry"), _table("case_record")
    orphan = (
        session.connection()
        .execute(
            select_rows(trail.c.id, trail.c.case_number)
            .where(trail.c.case_number.is_not(None))
            .where(~select_rows(cases.c.id).where(cases.c.number == trail.c.case_number).exists())
            .order_by(trail.c.id)
            .limit(1)
        )
        .one()
    )
    return orphan[0], Message(
        "case {number} (written in entry {entry}) is missing from the records: deleted",
        number=orphan[1],
        entry=orphan[0],
    )


class _Grouped:
    """Rows in case order, taken a case at a time."""

    def __init__(self, rows: Iterator[Any], key: int | None = None) -> None:
        self.rows, self.key, self.next = rows, key, next(rows, None)

    def _case_id(self, row: Any) -> int:
        return int(row[self.key] if self.key is not None else row.case_id)

    def before(self, case_id: int | None) -> Any | None:
        """A row whose case comes before `case_id` (None: after the last case) and was not taken: it has no case."""
        if self.next is not None and (case_id is None or self._case_id(self.next) < case_id):
            return self.next
        return None

    def of(self, case_id: int) -> list[Any]:
        taken = []
        while self.next is not None and self._case_id(self.next) == case_id:
            taken.append(self.next)
            self.next = next(self.rows, None)
        return taken


def _verify_case(
    case: Any, entries: list[_Entry], rows: dict[str, list[Any]], shipments: dict[int, str]
) -> Problem | None:
    number = case.number
    if not any(e.action == "case_created" for e in entries):
        return 0, Message("case {number} has no creation entry in the trail: its entries were deleted", number=number)
    vouched: Vouched = {}
    issued: dict[int, dict[str, Any]] = {}
    for entry in entries:
        _vouch(entry, vouched, issued)
    named = {
        **{f"decision {r.id}": r for r in rows["decision"]},
        **{f"ticket {r.id}": r for r in rows["ticket"]},
        **{f"inspection item {r.key}": r for r in rows["inspection_item"]},
        **{f"SMART readout {r.id}": r for r in rows["smart_snapshot"]},
        **{f"diagnosis test {r.id}": r for r in rows["diagnosis_test"]},
    }
    for name, table in (("replacement", "replacement"), ("hand-back", "hand_back")):
        named.update((name, row) for row in rows[table])  # one at most: its case_id is unique
    for batch, findings in _batches(rows["counterfeit_finding"]).items():
        named.update({f"counterfeit finding {i + 1} of run {batch}": r for i, r in enumerate(findings)})
    for name, row in named.items():
        if name not in vouched:
            return 0, Message("{row} of case {number} has no entry in the trail", row=_row_words(name), number=number)
        entry_id, matches = vouched.pop(name)
        if not matches(row):
            return entry_id, Message(
                "{row} of case {number} was changed after entry {entry} recorded it",
                row=_row_words(name),
                number=number,
                entry=entry_id,
            )
    for name, (entry_id, _) in vouched.items():
        return entry_id, Message(
            "{row} of case {number} (recorded in entry {entry}) is missing from the records: deleted",
            row=_row_words(name),
            number=number,
            entry=entry_id,
        )
    return _verify_case_row(case, entries, rows["decision"], shipments)


# A row's name as the check keys it ("decision 12"), in words: built only for the row a problem is found at.
ROW_WORDS: tuple[tuple[str, Callable[[str], Message]], ...] = (
    ("decision ", lambda key: Message("decision {id}", id=key)),
    ("ticket ", lambda key: Message("ticket {id}", id=key)),
    ("inspection item ", lambda key: Message("inspection item {key}", key=key)),
    ("SMART readout ", lambda key: Message("SMART readout {id}", id=key)),
    ("diagnosis test ", lambda key: Message("diagnosis test {id}", id=key)),
)
ONE_ROW_WORDS = {"replacement": Message("replacement"), "hand-back": Message("hand-back")}
FINDING_NAME = re.compile(r"counterfeit finding (\d+) of run (.*)", re.DOTALL)


def _row_words(name: str) -> str:
    """A row named as in `named` and `vouched`, as a Message (any other name as it is)."""
    if name in ONE_ROW_WORDS:
        return ONE_ROW_WORDS[name]
    finding = FINDING_NAME.fullmatch(name)
    if finding:
        return Message("counterfeit finding {finding} of run {run}", finding=finding[1], run=finding[2])
    for prefix, words in ROW_WORDS:
        if name.startswith(prefix):
            return words(name.removeprefix(prefix))
    return name


def _batches(findings: list[Any]) -> dict[int, list[Any]]:
    batches: dict[int, list[Any]] = {}
    for row in findings:
        batches.setdefault(row.batch, []).append(row)
    return batches


def _vouch(entry: _Entry, vouched: Vouched, issued: dict[int, dict[str, Any]]) -> None:
    """What this entry vouches for, by row name, replacing what an earlier entry said of it
    (`issued`: each ticket's issuing entry, which its print attempts refer to)."""
    d, at = entry.detail, entry.id
    if entry.action in ("decided", "review_resolved") and isinstance(d.get("decision"), int):
        digest = d.get("row")
        vouched[f"decision {d['decision']}"] = (at, lambda r: digest is None or digest == decision_digest(r))
    elif entry.action == "ticket_issued" and isinstance(d.get("ticket"), int):
        issued[d["ticket"]] = d
        vouched[f"ticket {d['ticket']}"] = (at, lambda r: _ticket_matches(r, d, "queued", 0))
    elif entry.action in ("ticket_printed", "ticket_failed", "ticket_queued") and d.get("ticket") in issued:
        # The text and printer, with this attempt's outcome.
        first, status, attempt = issued[d["ticket"]], entry.action.removeprefix("ticket_"), d.get("attempt")
        vouched[f"ticket {d['ticket']}"] = (at, lambda r: _ticket_matches(r, first, status, attempt))
    elif entry.action == "inspection_recorded":
        for item in d.get("items") or ():
            values = (bool(item.get("finding")), item.get("note") or "")
            vouched[f"inspection item {item.get('key')}"] = (at, partial(_inspection_matches, values=values))
    elif entry.action == "smart_recorded" and isinstance(d.get("snapshot"), int):
        vouched[f"SMART readout {d['snapshot']}"] = (at, lambda r: _smart_matches(r, d))
    elif entry.action == "diagnosis_test_recorded" and isinstance(d.get("test"), int):
        vouched[f"diagnosis test {d['test']}"] = (at, lambda r: _diagnosis_matches(r, d))
    elif entry.action == "findings_recorded":
        for i, finding in enumerate(d.get("findings") or ()):
            vouched[f"counterfeit finding {i + 1} of run {d.get('batch')}"] = (at, partial(_finding_matches, f=finding))
    elif entry.action == "replacement_recorded":
        vouched["replacement"] = (at, lambda r: _replacement_matches(r, d, entry.actor))
    elif entry.action == "handed_back":
        vouched["hand-back"] = (at, lambda r: _hand_back_matches(r, d, entry.actor))


def _ticket_matches(r: Any, issued: dict[str, Any], status: str, attempts: Any) -> bool:
    digest = issued.get("payload_sha256")  # in every release's entries but the first
    return (digest is None or digest == sha256_text(r.payload)) and (r.printer, r.status, r.attempts) == (
        issued.get("printer"),
        status,
        attempts,
    )


def _inspection_matches(r: Any, values: tuple[bool, str]) -> bool:
    return (bool(r.finding), r.note) == values


def _smart_matches(r: Any, d: dict[str, Any]) -> bool:
    readout = d.get("readout_sha256")  # not in entries written before the digests
    return (
        sha256_text(bytes(r.raw_output)) == d.get("raw_output_sha256")
        and r.device == d.get("device")
        and r.host_bytes_written == d.get("host_bytes_written")
        and (readout is None or readout == sha256_text(r.readout))
    )


def _diagnosis_matches(r: Any, d: dict[str, Any]) -> bool:
    return (r.kind, r.device, r.outcome, sha256_text(r.result), sha256_text(bytes(r.raw_output))) == (
        d.get("kind"),
        d.get("device"),
        d.get("outcome"),
        d.get("result_sha256"),
        d.get("raw_output_sha256"),
    )


def _finding_matches(r: Any, f: dict[str, Any]) -> bool:
    digest = f.get("row")  # not in entries written before the digests
    return (r.check, r.severity, r.confirmed) == (f.get("check"), f.get("severity"), f.get("confirmed")) and (
        digest is None or digest == finding_digest(r)
    )


def _replacement_matches(r: Any, d: dict[str, Any], actor: str) -> bool:
    substitution = d.get("substitution") or {}
    return (r.original_serial, r.serial, r.model, r.capacity_gb, r.technician) == (
        d.get("failed_serial"),
        d.get("serial"),
        d.get("model"),
        d.get("capacity_gb"),
        actor,
    ) and (r.substitution_reason, r.substitution_by) == (substitution.get("reason"), substitution.get("supervisor"))


def _hand_back_matches(r: Any, d: dict[str, Any], actor: str) -> bool:
    return (r.collected_by, bool(r.id_checked), r.drive_serial, bool(r.by_ticket), r.technician) == (
        d.get("collected_by"),
        d.get("id_checked"),
        d.get("drive"),
        d.get("by_ticket"),
        actor,
    ) and r.id_check_reason == d.get("id_check_reason")


def _verify_case_row(
    case: Any, entries: list[_Entry], decisions: list[Any], shipments: dict[int, str]
) -> Problem | None:
    number = case.number
    latest = next((e for e in reversed(entries) if "case_row" in e.detail), None)
    if latest is not None:
        if latest.detail["case_row"] != case_digest(case):
            return latest.id, Message(
                "case {number} was changed after entry {entry} recorded it (its state, verdict, claim, or figures)",
                number=number,
                entry=latest.id,
            )
        return None
    # Written before the digests: its claim as the trail has it, and its latest decision's verdict.
    created = next(e for e in entries if e.action == "case_created")
    fields = dict(created.detail.get("fields") or {})
    last = created
    for entry in entries:
        if entry.action == "draft_saved":
            fields.update(entry.detail.get("fields") or {})
            last = entry
    copies = case_copies(fields)
    if _detail(case.fields) != fields or (case.serial, case.customer_name, case.model) != (
        copies["serial"],
        copies["customer_name"],
        copies["model"],
    ):
        return (
            last.id,
            Message(
                "case {number}: its claim (fields, serial, customer or model) is not the one entry {entry} recorded",
                number=number,
                entry=last.id,
            ),
        )
    decision = decisions[-1] if decisions else None
    if case.verdict != (decision and (decision.override_verdict or decision.verdict)):
        return 0, Message(
            "case {number}: its verdict {verdict} is not its latest decision's",
            number=number,
            verdict=code_named(case.verdict),
        )
    shipped = [e for e in entries if e.action == "drive_shipped"]
    if shipments.get(case.shipment_id) != (shipped[-1].detail.get("shipment") if shipped else None):
        return (shipped[-1].id if shipped else 0), Message(
            "case {number}: its shipment is not the one the trail recorded", number=number
        )
    return None


def _verify_shipments(session: Session) -> Problem | None:
    trail = _table("audit_entry")
    created: dict[str, _Entry] = {}
    for entry_id, actor, detail in session.connection().execute(
        select_rows(trail.c.id, trail.c.actor, trail.c.detail).where(
            trail.c.case_number.is_(None), trail.c.action == "shipment_created"
        )
    ):
        entry = _Entry(entry_id, "shipment_created", actor, _detail(detail))
        created[str(entry.detail.get("shipment"))] = entry
    for shipment in session.exec(select(Shipment).order_by(col(Shipment.id))):
        vouching = created.pop(shipment.number, None)
        if vouching is None:
            return 0, Message("shipment {number} has no entry in the trail", number=shipment.number)
        if (shipment.reference, shipment.technician) != (vouching.detail.get("reference"), vouching.actor):
            return vouching.id, Message(
                "shipment {number} was changed after entry {entry} recorded it",
                number=shipment.number,
                entry=vouching.id,
            )
    for number, entry in created.items():
        return entry.id, Message(
            "shipment {number} (recorded in entry {entry}) is missing from the records: deleted",
            number=number,
            entry=entry.id,
        )
    return None


def _detail(text: Any) -> dict[str, Any]:
    try:
        detail = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return detail if isinstance(detail, dict) else {}
