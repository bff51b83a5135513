"""The decision: a claim and the policy in, a verdict with every reason and its clause out.

Pure: no I/O, no clock (the claim carries its date), no UI, no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from policy.catalog import Product
from policy.claim import FAULT_NOT_FOUND, FAULT_UNTESTED, Claim
from policy.document import Clause, Policy
from policy.message import Message

COVERED, NOT_COVERED, REFUSED, NEEDS_REVIEW = "covered", "not_covered", "refused", "needs_review"
REPAIR_OR_REPLACE = "repair_or_replace"


@dataclass(frozen=True)
class Reason:
    code: str
    text: Message  # as a str the English text (the contract's); the counter says it in its language
    clause: Clause | None

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


@dataclass(frozen=True)
class Warranty:
    basis: str | None  # purchase | manufacture
    start: date | None
    last_day: date | None
    years: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "start": _iso(self.start),
            "last_day": _iso(self.last_day),
            "years": self.years,
        }


@dataclass(frozen=True)
class TbwCheck:
    limit_bytes: int | None
    written_bytes: int | None

    @property
    def exceeded(self) -> bool | None:
        if self.limit_bytes is None or self.written_bytes is None:
            return None
        return self.written_bytes > self.limit_bytes

    @property
    def used_fraction(self) -> float | None:
        """Share of the TBW limit used, for the TBW bar (1.0 = exactly at the limit)."""
        if self.limit_bytes is None or self.written_bytes is None:
            return None
        try:
            return self.written_bytes / self.limit_bytes
        except OverflowError:  # a counter too large for a float is far past any limit
            return math.inf

    def to_dict(self) -> dict[str, Any]:
        return {"limit_bytes": self.limit_bytes, "written_bytes": self.written_bytes, "exceeded": self.exceeded}


@dataclass(frozen=True)
class Decision:
    verdict: str
    remedy: str | None
    warranty: Warranty
    tbw: TbwCheck
    reasons: tuple[Reason, ...]
    policy_id: str
    product: Product | None

    def to_dict(self) -> dict[str, Any]:
        """Exactly the contract's output object."""
        return {
            "verdict": self.verdict,
            "remedy": self.remedy,
            "warranty": self.warranty.to_dict(),
            "tbw": self.tbw.to_dict(),
            "reasons": [r.to_dict() for r in self.reasons],
            "policy": self.policy_id,
        }


def anniversary(start: date, years: int) -> date:
    """The `years`-th anniversary; 29 February falls on 1 March in a non-leap year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 3, 1)


def assess(claim: Claim, policy: Policy) -> Decision:
    product = policy.catalog.lookup(claim.model, claim.capacity_gb)
    warranty = _warranty(claim, product)
    tbw = TbwCheck(product.tbw_bytes if product else None, claim.host_bytes_written)

    def decided(verdict: str, reasons: list[Reason]) -> Decision:
        remedy = REPAIR_OR_REPLACE if verdict == COVERED else None
        return Decision(verdict, remedy, warranty, tbw, tuple(reasons), policy.id, product)

    if claim.counterfeit:
        return decided(
            REFUSED,
            [
                _reason(
                    policy,
                    "counterfeit",
                    Message(
                        "The counterfeit checks concluded the product is not a genuine Netac product; service is refused."
                    ),
                )
            ],
        )

    excluded = [
        Reason(
            f"exclusion.{e.number}", Message("Exclusion {number}: {check}.", number=e.number, check=e.check), e.clause
        )
        for e in policy.exclusions
        if e.key in claim.inspection
    ]
    if warranty.start is not None and warranty.last_day is not None and claim.claim_date > warranty.last_day:
        dates = {"years": warranty.years, "start": warranty.start, "last_day": warranty.last_day}
        excluded.append(
            _reason(
                policy,
                "expired",
                Message(
                    "The warranty period ({years} years from the purchase date {start}) ended on {last_day}; "
                    "the claim is dated {claim_date}.",
                    **dates,
                    claim_date=claim.claim_date,
                )
                if warranty.basis == "purchase"
                else Message(
                    "The warranty period ({years} years from the manufacture date {start}) ended on {last_day}; "
                    "the claim is dated {claim_date}.",
                    **dates,
                    claim_date=claim.claim_date,
                ),
            )
        )
    if tbw.exceeded and tbw.written_bytes is not None and tbw.limit_bytes is not None:  # exceeded: both known
        excluded.append(
            _reason(
                policy,
                "tbw_exceeded",
                Message(
                    "The drive reports {written} written by the host, over its TBW limit of {limit}.",
                    written=_tb(tbw.written_bytes),
                    limit=_tb(tbw.limit_bytes),
                ),
            )
        )
    if claim.fault == FAULT_NOT_FOUND:
        excluded.append(
            _reason(
                policy,
                "no_fault_found",
                Message(
                    "The station's diagnosis found no fault on the drive; the warranty serves a product "
                    "that fails under normal use."
                ),
            )
        )
    if excluded:
        return decided(NOT_COVERED, excluded)

    review = _review_reasons(claim, product, warranty, tbw, policy)
    if review:
        return decided(NEEDS_REVIEW, review)
    # Covered has no reason codes in the contract: the remedy is the warranty service clause.
    return decided(COVERED, [])


def _warranty(claim: Claim, product: Product | None) -> Warranty:
    if claim.purchase_date is not None:
        basis, start = "purchase", claim.purchase_date
    elif claim.manufacture_date is not None:
        basis, start = "manufacture", claim.manufacture_date
    else:
        basis, start = None, None
    years = product.warranty_years if product else None
    # A period that would end after year 9999 cannot expire within the calendar: no last day.
    if start and years and start.year + years <= date.max.year:
        last_day = anniversary(start, years) - timedelta(days=1)
    else:
        last_day = None
    return Warranty(basis, start, last_day, years)


def _review_reasons(
    claim: Claim, product: Product | None, warranty: Warranty, tbw: TbwCheck, policy: Policy
) -> list[Reason]:
    reasons = []
    if product is None:
        known = policy.catalog.capacities(claim.model)
        reasons.append(
            _reason(
                policy,
                "unknown_product",
                Message(
                    "{model} {capacity} GB is not in the catalog (the catalog has it in {capacities}).",
                    model=claim.model,
                    capacity=claim.capacity_gb,
                    capacities=", ".join(f"{c} GB" for c in known),
                )
                if known
                else Message(
                    "{model} {capacity} GB is not in the catalog.", model=claim.model, capacity=claim.capacity_gb
                ),
            )
        )
    elif product.warranty_years is None:
        reasons.append(
            _reason(
                policy,
                "unknown_product",
                Message(
                    "The catalog has no sourced warranty period for {line}: the expiry cannot be decided.",
                    line=product.line,
                ),
            )
        )
    if warranty.start is None:
        reasons.append(
            _reason(
                policy,
                "no_start_date",
                Message("Neither a proof of purchase date nor a manufacturing date was given."),
            )
        )
    if (
        claim.purchase_date is not None
        and claim.manufacture_date is not None
        and claim.purchase_date < claim.manufacture_date
    ):
        reasons.append(
            _reason(
                policy,
                "date_conflict",
                Message(
                    "The purchase date {purchase} is before the manufacturing date {manufacture}.",
                    purchase=claim.purchase_date,
                    manufacture=claim.manufacture_date,
                ),
            )
        )
    missing = _missing(not claim.serial, not claim.failure_description)
    if missing is not None:
        reasons.append(_reason(policy, "missing_information", missing))
    if claim.host_bytes_written is None:
        reasons.append(
            _reason(
                policy,
                "tbw_unverified",
                Message("SMART could not be read: host bytes written against the TBW limit is unverified."),
            )
        )
    elif product is not None and tbw.limit_bytes is None:
        reasons.append(
            _reason(
                policy,
                "tbw_unverified",
                Message(
                    "The catalog has no sourced TBW limit for {line} {capacity} GB: bytes written cannot be compared.",
                    line=product.line,
                    capacity=product.capacity_gb,
                ),
            )
        )
    if claim.fault == FAULT_UNTESTED:
        reasons.append(
            _reason(
                policy,
                "fault_unconfirmed",
                Message("The failure is not confirmed: the drive has not been diagnosed, or could not be."),
            )
        )
    return reasons


def _missing(serial: bool, description: bool) -> Message | None:
    """What the claim lacks, in one sentence (a whole one per case, for the translation)."""
    if serial and description:
        return Message("Missing: serial number and failure description.")
    if serial:
        return Message("Missing: serial number.")
    if description:
        return Message("Missing: failure description.")
    return None


def _reason(policy: Policy, code: str, text: Message) -> Reason:
    return Reason(code, text, policy.clause_for(code))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _tb(count: int) -> Message:
    # Integer arithmetic: exact for any counter, where a float would overflow or round.
    thousandths = (count + 500_000_000) // 1_000_000_000
    return Message(
        "{terabytes} TB ({count} bytes)",
        terabytes=format(thousandths // 1000, ",") + "." + format(thousandths % 1000, "03d"),
        count=format(count, ","),
    )
