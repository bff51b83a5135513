"""One claim's way through the bench, with no screen in it.

The screens collect input and show results; this class carries a case from step to step:
it saves every field to the case draft, gathers evidence through workbench.inspection,
asks policy.assess for the decision and records everything through db. It holds no
policy rule of its own: it only turns what was entered into the contract's claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from policy import Decision, Policy, Product, assess, parse_claim

# The steps in the order a technician meets them. The drive is read before the
# counterfeit checks because they compare the label with what the drive reports.
STEPS = ("intake", "inspection", "smart", "counterfeit", "decision", "ticket")
STEP_TITLES = {
    "intake": "Intake", "inspection": "Physical inspection", "smart": "SMART readout",
    "counterfeit": "Counterfeit checks", "decision": "Decision", "ticket": "Ticket",
}
# A verdict in words, the same on the screen and on the customer's ticket.
VERDICT_WORDS = {
    "covered": "COVERED: repair or replace under warranty",
    "not_covered": "NOT COVERED under the warranty policy",
    "refused": "REFUSED: not a genuine Netac product",
    "needs_review": "NEEDS REVIEW before a decision",
}
SERIAL = re.compile(r"[A-Za-z0-9-]+")
FIELD_NAMES = {
    "customer_name": "customer", "customer_contact": "contact", "model": "model", "capacity_gb": "capacity (GB)",
    "serial": "serial", "purchase_date": "purchase date", "manufacture_date": "manufacturing date",
    "failure_description": "failure description", "data_acknowledged": "data acknowledgement",
    "claim_date": "claim date", "counterfeit": "counterfeit conclusion", "host_bytes_written": "bytes written",
}


@dataclass(frozen=True)
class FieldProblem:
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{FIELD_NAMES.get(self.field, self.field)}: {self.problem}"


def today() -> date:
    """The counter's date (one place, so the tests can fix it)."""
    return date.today()


def intake_problems(fields: dict[str, Any], today: date) -> list[FieldProblem]:
    """What stops the intake form from moving on, one message per field."""
    problems = []
    for key in ("customer_name", "model", "capacity_gb", "serial", "failure_description"):
        if not str(fields.get(key) or "").strip():
            problems.append(FieldProblem(key, "is required"))
    serial = str(fields.get("serial") or "")
    if serial and not SERIAL.fullmatch(serial):
        problems.append(FieldProblem("serial", "only letters, digits and '-' (as on the label)"))
    capacity = str(fields.get("capacity_gb") or "")
    if capacity and (not capacity.isdigit() or int(capacity) == 0):
        problems.append(FieldProblem("capacity_gb", f"{capacity!r} is not a capacity in GB such as 512 or 1000"))
    for key in ("purchase_date", "manufacture_date"):
        text = str(fields.get(key) or "").strip()
        if text:
            problem = date_problem(text, today)
            if problem:
                problems.append(FieldProblem(key, problem))
    if fields.get("proof_of_purchase") and not str(fields.get("purchase_date") or "").strip():
        problems.append(FieldProblem("purchase_date", "is required when a proof of purchase is presented"))
    if not fields.get("data_acknowledged"):
        problems.append(FieldProblem("data_acknowledged", "the customer must acknowledge that their data is "
                                                          "their own responsibility (policy, other terms 2)"))
    return problems


def date_problem(text: str, today: date) -> str | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f"{text!r} is not a date in the form YYYY-MM-DD"
    try:
        value = date.fromisoformat(text)
    except ValueError:
        return f"{text} is not a calendar date"
    if value > today:
        return f"{text} is in the future"
    return None


class CaseFlow:
    """The case being worked on: its number (None until the first save), fields and step."""

    def __init__(self, store, policy: Policy, *, number: str | None = None, fields: dict[str, Any] | None = None,
                 step: str = "intake") -> None:
        # `store` is the CaseStore, or a function returning it: a new claim's form shows at
        # once and the database is only needed at the first save.
        self._store = store
        self.policy = policy
        self.number = number
        self.fields: dict[str, Any] = dict(fields or {})
        self.step = step
        self._unsaved: dict[str, Any] = {}
        self.readout = None  # the SmartReadout read in this session, if any

    @property
    def store(self):
        if callable(self._store):
            self._store = self._store()
        return self._store

    @classmethod
    def resume(cls, store, policy: Policy, number: str) -> "CaseFlow":
        view = store.get_case(number)
        return cls(store, policy, number=number, fields=view.fields, step=view.summary.step)

    # -- the draft ------------------------------------------------------------------------

    def set_field(self, key: str, value: Any) -> None:
        """Change a field; it reaches the database on the next save()."""
        if self.fields.get(key) != value:
            self.fields[key] = value
            self._unsaved[key] = value

    @property
    def unsaved(self) -> bool:
        return bool(self._unsaved)

    def _typed(self) -> bool:
        """Whether anything was entered beyond the form's blanks and its one default."""
        return any(value not in ("", None, False) and not (key == "proof_of_purchase" and value is True)
                   for key, value in self.fields.items())

    def save(self, step: str | None = None) -> None:
        """Write the changed fields (and the step) to the case draft; creates the case."""
        step = step or self.step
        if self.number is None:
            if step == "intake" and not self._typed():
                return  # nothing typed yet: no empty case in the records
            fields = {"claim_date": today().isoformat(), **self.fields}
            self.fields = fields
            self.number = self.store.create_case(fields, step=step).number
        elif self._unsaved or step != self.step:
            self.store.save_draft(self.number, step, dict(self._unsaved))
        self._unsaved.clear()
        self.step = step

    # -- evidence ---------------------------------------------------------------------------

    @property
    def capacity_gb(self) -> int | None:
        """The labelled capacity as entered, when it is a whole number."""
        capacity = str(self.fields.get("capacity_gb") or "")
        return int(capacity) if capacity.isdigit() else None

    @property
    def product(self) -> Product | None:
        if self.capacity_gb is None:
            return None
        return self.policy.catalog.lookup(str(self.fields.get("model") or ""), self.capacity_gb)

    def set_inspection(self, items: list[tuple[str, bool, str]]) -> None:
        """The checklist as it stands (key, found, note), into the draft."""
        self.set_field("inspection", {key: found for key, found, _ in items})
        self.set_field("inspection_notes", {key: note for key, _, note in items if note})

    def record_inspection(self, items: list[tuple[str, bool, str]]) -> None:
        self.store.record_inspection(self.number, items)
        self.set_inspection(items)

    def record_smart(self, readout) -> None:
        self.store.record_smart(self.number, readout.to_dict(), readout.raw_output)
        self.readout = readout
        self.set_field("host_bytes_written", readout.host_bytes_written)
        self.set_field("drive", {"device": readout.device, "model": readout.model, "serial": readout.serial,
                                 "capacity_bytes": readout.capacity_bytes, "health": readout.health})

    def latest_readout(self):
        """The drive's readout: read in this session, or rebuilt from the case's latest snapshot."""
        if self.readout is not None or self.number is None:
            return self.readout
        from workbench.inspection.smart import SmartReadout

        snapshots = self.store.get_case(self.number).snapshots
        if not snapshots:
            return None
        data = {k: v for k, v in snapshots[-1].readout.items() if k != "calls"}
        data["messages"] = tuple(data.get("messages") or ())
        try:
            return SmartReadout(**data)
        except TypeError:  # recorded by a version with other fields
            return None

    def record_unreadable(self, reason: str) -> None:
        """The drive could not be read: the TBW stays unverified, and the reason is kept."""
        self.readout = None
        self.set_field("host_bytes_written", None)
        self.set_field("drive", {"unreadable": reason})

    def label(self):
        from workbench.inspection.counterfeit import Label

        return Label(model=str(self.fields.get("model") or ""), capacity_gb=self.capacity_gb or 0,
                     serial=str(self.fields.get("serial") or ""))

    def counterfeit_findings(self, readout):
        """Run the counterfeit checks on the label, the readout and the serial's history."""
        from workbench.inspection.counterfeit import PriorClaim, check_claim

        prior = [PriorClaim(c.number, c.created_at.date().isoformat(), c.verdict)
                 for c in self.store.prior_claims(str(self.fields.get("serial") or ""), exclude=self.number)]
        return check_claim(self.label(), readout, self.product, prior)

    def record_counterfeit(self, findings, *, not_genuine: bool, note: str) -> None:
        # `confirmed` on a doubt: True when the technician upheld it (not genuine), False
        # when they set it aside; a passed check has nothing to confirm.
        self.store.record_findings(self.number, [
            {**f.to_dict(), "confirmed": not_genuine if f.severity != "pass" else None} for f in findings])
        self.set_field("counterfeit", not_genuine)
        self.set_field("counterfeit_note", note)

    # -- the decision -----------------------------------------------------------------------

    def claim_input(self) -> dict[str, Any]:
        """The contract's claim object from what was entered and gathered."""
        f = self.fields
        return {
            "claim_date": f.get("claim_date") or today().isoformat(),
            "model": str(f.get("model") or ""),
            # As typed when it is not a number, so parse_claim names the field.
            "capacity_gb": self.capacity_gb if self.capacity_gb is not None else str(f.get("capacity_gb") or ""),
            "serial": str(f.get("serial") or ""),
            "purchase_date": (f.get("purchase_date") or None) if f.get("proof_of_purchase") else None,
            "manufacture_date": f.get("manufacture_date") or None,
            "failure_description": str(f.get("failure_description") or ""),
            "inspection": dict(f.get("inspection") or {}),
            "counterfeit": bool(f.get("counterfeit")),
            "host_bytes_written": f.get("host_bytes_written"),
        }

    def decide(self) -> Decision:
        """policy.assess on this claim; a ClaimInputError names the field to correct."""
        return assess(parse_claim(self.claim_input()), self.policy)

    def record_decision(self, decision: Decision, override: dict[str, str] | None = None) -> None:
        self.save("decision")
        self.store.record_decision(self.number, decision.to_dict(), decision.policy_id, override)


__all__ = ["CaseFlow", "FieldProblem", "STEPS", "STEP_TITLES", "VERDICT_WORDS", "intake_problems"]
