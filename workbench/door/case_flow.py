"""The one door between the screens and everything below them.

The screens collect input and show results. `Station` is what the counter can do without
a claim open (the case records, the drives on the bench, tickets of decided cases);
`CaseFlow` carries one claim from step to step: it keeps the typed claim record
(`ClaimDraft`) in the case draft, gathers evidence through workbench.inspection, asks
policy.assess for the decision and records everything through db. Neither holds a policy
rule of its own. Every method that touches the database, smartctl or a printer blocks:
screens call them from workers.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from db.lifecycle import Seen
from policy import ClaimInputError, Decision, Policy, Product, TbwCheck, assess, canonical_serial, parse_claim
from workbench.claim_draft import ClaimDraft, DriveRecord, FieldProblem
from workbench.door import counter_date
from workbench.door.bench import Bench
from workbench.door.case_diagnosis import Diagnosis
from workbench.door.station import NotASupervisor
from workbench.door.station_policy import StationPolicy
from workbench.errors import InputError, WorkbenchError
from workbench.words.case_text import PRODUCT_CATALOG
from workbench.words.language import N_, _
from workbench.words.vocabulary import VERDICTS

if TYPE_CHECKING:
    from db.report import StationFigures
    from db.store import CaseSummary, CaseView, ReviewItem, ShipmentView, ShippedDrive
    from workbench.inspection.counterfeit import Finding, Label
    from workbench.inspection.smart import SmartReadout
    from workbench.ticket.issue import TicketOutcome, Verification


class Station(StationPolicy, Bench):
    """The station as the counter sees it: its records, its policy (workbench/door/station_policy.py), its
    bench (workbench/door/bench.py), its tickets."""

    def new_claim(self) -> CaseFlow:
        return CaseFlow(self)

    def resume(self, number: str) -> CaseFlow:
        view = self.store.get_case(number)
        seen = Seen(view.decision.id if view.decision else None)
        return CaseFlow(self, number=number, claim=ClaimDraft.from_json(view.fields), step=view.summary.step, seen=seen)

    def drafts(self) -> list[CaseSummary]:
        return self.store.list_drafts()

    def cases_of(self, day: date) -> list[CaseSummary]:
        return self.store.list_cases(since=day, until=day)

    def find(self, text: str) -> list[CaseSummary]:
        return self.store.find(text)

    def case(self, number: str) -> CaseView:
        return self.store.get_case(number)

    def ticket_given(self, number: str) -> str:
        """The decided case's ticket is with the customer; returns its state from now on."""
        return self.store.ticket_given(number)

    def withdraw(self, number: str, reason: str) -> None:
        """Discard a draft or withdraw a claim before its decision (the number is not reused)."""
        if not reason.strip():
            raise InputError(_("reason"), _("say why the claim is withdrawn"))
        self.store.withdraw(number, reason)

    def after_decision(self) -> list[CaseSummary]:
        """Decided cases whose customer has not collected yet: the counter's open work."""
        return self.store.after_decision()

    def move(self, number: str, target: str, note: str = "") -> None:
        """Awaiting repair or stock, repaired (ready), or ready for pickup (not covered, refused)."""
        self.store.move(number, target, note)

    def record_replacement(
        self, number: str, serial: str, model: str, capacity_gb: str, substitution_reason: str = ""
    ) -> None:
        """The replacement drive of a covered case, its serial scanned as at intake. It must be
        the claimed product (the catalog's line and capacity), or a supervisor allows another
        with a reason."""
        # The intake's rule: one canonical spelling, whatever separators the scanner added.
        serial, model, reason = canonical_serial(serial), model.strip(), substitution_reason.strip()
        if not serial:
            raise InputError(_("replacement serial"), _("scan the replacement drive's serial"))
        capacity = capacity_gb.strip()
        if not capacity.isdigit() or len(capacity) > 7:
            raise InputError(_("replacement capacity (GB)"), _("a whole number of GB, as on the label"))
        product = self.policy.catalog.lookup(model, int(capacity))
        if product is None:
            raise InputError(
                _("replacement model"),
                _("{model} {capacity} GB is not in the catalog").format(model=model, capacity=capacity),
            )
        view = self.case(number)
        claimed_capacity = str(view.fields.get("capacity_gb") or "").strip()
        claimed = (
            self.policy.catalog.lookup(str(view.fields.get("model") or ""), int(claimed_capacity))
            if claimed_capacity.isdigit() and len(claimed_capacity) <= 7
            else None
        )
        same = claimed is not None and (claimed.line, claimed.capacity_gb) == (product.line, product.capacity_gb)
        if not same:
            if not reason:
                raise InputError(
                    _("substitution reason"),
                    _(
                        "the claim was for {model} {capacity} GB: another model or "
                        "capacity needs a supervisor and a reason"
                    ).format(model=view.fields.get("model"), capacity=claimed_capacity),
                )
            self.require_supervisor(N_("replace with another model or capacity"))
        pattern = product.identity.serial_pattern if product.identity else None
        if pattern and not re.fullmatch(pattern, serial):
            raise InputError(
                _("replacement serial"),
                _("{serial} does not have the format of the {line} line").format(serial=serial, line=product.line),
            )
        self.store.record_replacement(number, serial, model, int(capacity), None if same else reason)

    def record_hand_back(
        self,
        number: str,
        collected_by: str,
        id_checked: bool,
        drive_serial: str = "",
        *,
        by_ticket: bool = False,
        id_check_reason: str = "",
    ) -> None:
        """`id_check_reason`: why the collector's ID was not checked (needed then)."""
        if not collected_by.strip():
            raise InputError(_("collected by"), _("name who collected the drive"))
        if not id_checked and not id_check_reason.strip():
            raise InputError(_("ID check reason"), _("say why the collector's identity document was not checked"))
        self.store.record_hand_back(
            number, collected_by, id_checked, drive_serial, by_ticket=by_ticket, id_check_reason=id_check_reason
        )

    def case_for_ticket(self, text: str) -> tuple[Verification, CaseView | None]:
        """A ticket scanned at the counter: verified against this station's key and records, and
        its case when it is one of this station's on record (a genuine ticket whose case changed
        since, e.g. by a supervisor's review, opens too, and says so). A forged ticket, another
        station's, or one whose case is not on record opens nothing."""
        from workbench.ticket.issue import verify_ticket

        verification = verify_ticket(text.strip(), self.config, self.store)
        if verification.status not in ("good", "record_differs") or verification.facts is None:
            return verification, None
        if verification.station is None or verification.station.upper() != self.config.station_id:
            return verification, None
        return verification, self.store.get_case(verification.facts.case_number)

    def awaiting_shipment(self) -> list[ShippedDrive]:
        return self.store.awaiting_shipment()

    def create_shipment(self, numbers: list[str], reference: str = "") -> ShipmentView:
        """A parcel of failed drives to Netac; returns it with its packing list."""
        return self.store.shipment(self.store.create_shipment(numbers, reference))

    def shipments(self) -> list[ShipmentView]:
        return self.store.shipments()

    def report(self, since: date, until: date) -> StationFigures:
        return self.store.report(since, until)

    def review_queue(self) -> list[ReviewItem]:
        """Cases waiting for a supervisor (a needs_review decision, or a technician's request):
        all of them for a supervisor, a technician's own for a technician."""
        return self.store.review_queue(None if self.is_supervisor else self.technician)

    def resolve_review(self, number: str, verdict: str, reason: str) -> None:
        """A supervisor records the verdict of a case in the review queue; it goes on to its ticket."""
        self.require_supervisor(N_("resolve a review"))
        if verdict not in REVIEW_VERDICTS:
            raise WorkbenchError(
                _("verdict: {verdict} is not one of {verdicts}").format(
                    verdict=repr(verdict), verdicts=", ".join(REVIEW_VERDICTS)
                ),
                exit_code=2,
            )
        self.store.resolve_review(number, verdict, reason)

    def reprint(self, number: str) -> TicketOutcome:
        """Print the case's ticket again (issuing it first when it has none)."""
        from workbench.ticket.issue import reprint

        return reprint(self.store, number, self.config, self.policy)

    @staticmethod
    def ticket_qr(qr_text: str, lines: int) -> list[str] | None:
        """A ticket's QR in half blocks within `lines` terminal lines, or None when it cannot fit."""
        from workbench.ticket.qr import for_screen, terminal_lines

        code = for_screen(qr_text, lines)
        return None if code is None else terminal_lines(code)


@dataclass(frozen=True)
class Override:
    """A change of the verdict with its reason: made by a supervisor, or requested by a
    technician (which puts the case in the supervisors' review queue)."""

    verdict: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"verdict": self.verdict, "reason": self.reason}


# What a supervisor may decide a case in review to be.
REVIEW_VERDICTS = tuple(v for v in VERDICTS if v != "needs_review")


class CaseFlow:
    """The case being worked on: its number (None until the first save), claim and step."""

    def __init__(
        self,
        station: Station,
        *,
        number: str | None = None,
        claim: ClaimDraft | None = None,
        step: str = "intake",
        seen: Seen | None = None,
    ) -> None:
        self.station = station
        self.number = number
        # The case's decision as this session saw it: every write says so, and the records
        # refuse one made after another session decided (db.errors.StaleCase).
        self.seen = seen or Seen()
        self.diagnosis = Diagnosis(self)
        self.claim = claim or ClaimDraft()
        self.step = step
        self._unsaved: set[str] = set()
        self.readout: SmartReadout | None = None  # the drive as read in this session, if it was
        # The screen types into the claim while a worker writes it: `_state` guards the claim's
        # bookkeeping for a moment; `_writing` keeps writes one at a time, so a new claim's
        # first two saves never make two cases.
        self._state = threading.Lock()
        self._writing = threading.Lock()
        self._in_flight: set[str] = set()  # taken from _unsaved by the write under way
        # Nothing more is saved once the claim is withdrawn, or decided or withdrawn in another session.
        self.closed = False

    @property
    def policy(self) -> Policy:
        return self.station.policy

    # -- the draft ----------------------------------------------------------------------------

    def update(self, **changes: Any) -> None:
        """Change fields of the claim; they reach the database on the next save()."""
        if "serial" in changes:  # one spelling of a serial everywhere, whatever the scanner typed
            changes["serial"] = canonical_serial(changes["serial"])
        with self._state:
            changed = {name for name, value in changes.items() if getattr(self.claim, name) != value}
            if changed:
                self.claim = self.claim.with_changes(**changes)
                self._unsaved |= changed

    @property
    def unsaved(self) -> bool:
        """Whether anything entered is not in the database yet (changed, or being written)."""
        with self._state:
            return bool(self._unsaved or self._in_flight)

    def save(self, step: str | None = None) -> None:
        """Write the changed fields (and the step) to the case draft; creates the case."""
        with self._writing:
            if self.closed:
                return
            with self._state:
                step = step or self.step
                names, self._unsaved = self._unsaved, set()
                self._in_flight = names
                if self.number is None:
                    if step == "intake" and not self.claim.anything_typed:
                        self._unsaved, self._in_flight = names, set()
                        return  # nothing typed yet: no empty case in the records
                    self.claim = self.claim.with_changes(
                        claim_date=self.claim.claim_date or counter_date.today().isoformat()
                    )
                    fields = self.claim.to_json()
                else:
                    fields = {name: self.claim.json_value(name) for name in sorted(names)}
                number, moved = self.number, step != self.step
            try:
                if number is None:
                    self.number = self.station.store.create_case(fields, step=step).number
                elif names or moved:
                    self.station.store.save_draft(number, step, fields, seen=self.seen)
            except BaseException:
                with self._state:
                    self._unsaved |= names  # not written: the next save tries again
                    self._in_flight = set()
                raise
            with self._state:
                self._in_flight = set()
            self.step = step

    def intake_problems(self) -> list[FieldProblem]:
        return self.claim.intake_problems(counter_date.today())

    # -- evidence -----------------------------------------------------------------------------

    @property
    def product(self) -> Product | None:
        if self.claim.capacity is None:
            return None
        return self.policy.catalog.lookup(self.claim.model, self.claim.capacity)

    def missing_figures(self) -> list[str]:
        """The labelled product's figures the catalog holds no source for ("warranty years",
        "TBW"): a claim on it goes to review until a supervisor enters them."""
        product = self.product
        if product is None:
            return []
        names = {"warranty_years": N_("warranty years"), "tbw_tb": N_("TBW")}
        return [_(word) for key, word in names.items() if key in product.unsourced]

    def enter_figure(self, tbw_tb: str, warranty_years: str, source: str) -> list[str]:
        """A supervisor's figure for this claim's product (see Station.enter_figure)."""
        product = self.product
        if product is None:
            raise WorkbenchError(_("the claim's model and capacity are not in the catalog"))
        return self.station.enter_figure(product.line, str(product.capacity_gb), tbw_tb, warranty_years, source)

    def tbw_check(self, written: int | None) -> TbwCheck:
        """Bytes written against the catalog's TBW limit for the labelled product."""
        product = self.product
        return TbwCheck(product.tbw_bytes if product else None, written)

    def set_inspection(self, items: list[tuple[str, bool, str]]) -> None:
        """The checklist as it stands (key, found, note), into the draft."""
        self.update(
            inspection={key: found for key, found, _note in items},
            inspection_notes={key: note for key, _found, note in items if note},
        )

    def record_inspection(self, items: list[tuple[str, bool, str]]) -> None:
        self.station.store.record_inspection(self._number(), items, seen=self.seen)
        self.set_inspection(items)

    def record_smart(self, readout: SmartReadout) -> None:
        evidence = readout.to_dict()
        if self.station.training:  # the evidence says it is no drive's reading
            evidence["recording"] = "training bench: recorded smartctl output, not a drive on the bench"
        self.station.store.record_smart(self._number(), evidence, readout.raw_output, seen=self.seen)
        self.readout = readout
        self.update(
            host_bytes_written=readout.host_bytes_written,
            drive=DriveRecord(
                device=readout.device,
                model=readout.model or "",
                serial=readout.serial or "",
                capacity_bytes=readout.capacity_bytes,
                health=readout.health or "",
            ),
        )

    def latest_readout(self) -> SmartReadout | None:
        """The drive's readout: read in this session, or rebuilt from the case's latest snapshot;
        None when the drive is recorded as unreadable (an earlier reading is set aside)."""
        if self.readout is not None or self.number is None:
            return self.readout
        if self.claim.drive is not None and self.claim.drive.unreadable:
            return None
        from workbench.inspection.smart import SmartReadout

        snapshots = self.station.store.get_case(self.number).snapshots
        if not snapshots:
            return None
        # The readout's own fields; what the evidence adds beside them (the smartctl calls, the
        # training bench's "recording" note) is not the readout's.
        names = {f.name for f in fields(SmartReadout)}
        data = {k: v for k, v in snapshots[-1].readout.items() if k in names}
        data["messages"] = tuple(data.get("messages") or ())
        try:
            return SmartReadout(**data)
        except TypeError:  # recorded by a version that lacked one of today's fields
            return None

    def record_unreadable(self, reason: str) -> None:
        """The drive could not be read: the TBW stays unverified, and the reason is kept. Any
        reading taken before (of the wrong drive, say) is set aside: kept as evidence, marked
        with who and why, and no longer used by the checks or the decision."""
        self.readout = None
        self.update(host_bytes_written=None, drive=DriveRecord(unreadable=reason))
        if self.number is not None:
            self.station.store.set_aside_readouts(self.number, reason, seen=self.seen)

    def label(self) -> Label:
        from workbench.inspection.counterfeit import Label

        return Label(model=self.claim.model, capacity_gb=self.claim.capacity or 0, serial=self.claim.serial)

    def counterfeit_findings(self) -> list[Finding]:
        """Run the counterfeit checks on the label, the drive's readout and the serial's history."""
        from workbench.inspection.counterfeit import PriorClaim, check_claim

        prior = [
            PriorClaim(c.number, c.created_at.date().isoformat(), c.verdict, replaced=c.replaced_by is not None)
            for c in self.station.store.prior_claims(self.claim.serial, exclude=self.number)
        ]
        return check_claim(self.label(), self.latest_readout(), self.product, prior)

    @staticmethod
    def supports_refusal(findings: list[Finding]) -> bool:
        """Whether the findings hold a high one: only that supports concluding "not genuine"."""
        from workbench.inspection.counterfeit import not_genuine

        return not_genuine(findings)

    def record_counterfeit(self, findings: list[Finding], *, not_genuine: bool, note: str) -> None:
        # `confirmed` on a doubt: True when the technician upheld it (not genuine), False
        # when they set it aside; a passed check has nothing to confirm.
        self.station.store.record_findings(
            self._number(),
            [{**f.to_dict(), "confirmed": not_genuine if f.severity != "pass" else None} for f in findings],
            seen=self.seen,
        )
        self.update(counterfeit=not_genuine, counterfeit_note=note)

    # -- the decision and the ticket ----------------------------------------------------------

    def claim_input(self) -> dict[str, Any]:
        """The contract's claim object from what was entered and gathered."""
        return self.claim.contract_claim(counter_date.today())

    def decide(self) -> Decision:
        """policy.assess on this claim; a ClaimInputError names the field to correct."""
        return assess(parse_claim(self.claim_input()), self.policy)

    def record_decision(
        self, decision: Decision, override: Override | None = None, request: Override | None = None
    ) -> bool:
        """Record the decision with the clause each reason cites and the policy file that decided,
        so the case stays explained after the station's policy file changes.

        `override` is a supervisor's own change of the verdict; `request` a technician's
        request for one, which sends the case to the review queue. True when the case goes
        on to its ticket, False when it waits for a supervisor.
        """
        if override is not None:
            self.station.require_supervisor(N_("override the verdict"))
        self.save("decision")
        recorded = decision.to_dict()
        recorded["reasons"] = [
            {**row, "clause": reason.clause.ref if reason.clause else PRODUCT_CATALOG}
            for row, reason in zip(recorded["reasons"], decision.reasons, strict=True)
        ]
        decision_id = self.station.store.record_decision(
            self._number(),
            recorded,
            decision.policy_id,
            override.to_dict() if override else None,
            policy_sha256=self.policy.sha256,
            review_request=request.to_dict() if request else None,
            product_line=decision.product.line if decision.product else "",
            seen=self.seen,
        )
        self.seen = Seen(decision_id)
        return not (request is not None or (override is None and decision.verdict == "needs_review"))

    def print_ticket(self) -> TicketOutcome:
        """Sign, record and print the case's ticket (or print it again)."""
        return self.station.reprint(self._number())

    def ticket_given(self) -> str:
        """The ticket is with the customer: returns the case's state from now on."""
        return self.station.ticket_given(self._number())

    def withdraw(self, reason: str) -> None:
        """Discard this draft or withdraw the claim (a case with no number yet just goes)."""
        with self._writing:  # after any save under way, and no save after it
            if self.number is not None:
                self.station.withdraw(self.number, reason)
            self.closed = True

    def _number(self) -> str:
        if self.number is None:
            raise ValueError("the claim has no case number before its first save")
        return self.number


__all__ = [
    "CaseFlow",
    "ClaimDraft",
    "ClaimInputError",
    "DriveRecord",
    "FieldProblem",
    "NotASupervisor",
    "Override",
    "Station",
]
