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

COVERED, NOT_COVERED, REFUSED, NEEDS_REVIEW = "covered", "not_covered", "refused", "needs_review"
REPAIR_OR_REPLACE = "repair_or_replace"


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
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
                    "The counterfeit checks concluded the product is not a genuine Netac product; service is refused.",
                )
            ],
        )

    excluded = [
        Reason(f"exclusion.{e.number}", f"Exclusion {e.number}: {e.check}.", e.clause)
        for e in policy.exclusions
        if e.key in claim.inspection
    ]
    if warranty.start is not None and warranty.last_day is not None and claim.claim_date > warranty.last_day:
        excluded.append(
            _reason(
                policy,
                "expired",
                f"The warranty period ({warranty.years} years from the {warranty.basis} date "
                f"{warranty.start.isoformat()}) ended on {warranty.last_day.isoformat()}; the claim is dated "
                f"{claim.claim_date.isoformat()}.",
            )
        )
    if tbw.exceeded and tbw.written_bytes is not None and tbw.limit_bytes is not None:  # exceeded: both known
        excluded.append(
            _reason(
                policy,
                "tbw_exceeded",
                f"The drive reports {_tb(tbw.written_bytes)} written by the host, over its TBW "
                f"limit of {_tb(tbw.limit_bytes)}.",
            )
        )
    if claim.fault == FAULT_NOT_FOUND:
        excluded.append(
            _reason(
                policy,
                "no_fault_found",
                "The station's diagnosis found no fault on the drive; the warranty serves a product "
                "that fails under normal use.",
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
    label = f"{claim.model} {claim.capacity_gb} GB"
    reasons = []
    if product is None:
        known = policy.catalog.capacities(claim.model)
        hint = f" (the catalog has it in {', '.join(f'{c} GB' for c in known)})" if known else ""
        reasons.append(_reason(policy, "unknown_product", f"{label} is not in the catalog{hint}."))
    elif product.warranty_years is None:
        reasons.append(
            _reason(
                policy,
                "unknown_product",
                f"The catalog has no sourced warranty period for {product.line}: the expiry cannot be decided.",
            )
        )
    if warranty.start is None:
        reasons.append(
            _reason(policy, "no_start_date", "Neither a proof of purchase date nor a manufacturing date was given.")
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
                f"The purchase date {claim.purchase_date.isoformat()} is before the "
                f"manufacturing date {claim.manufacture_date.isoformat()}.",
            )
        )
    missing = [
        name
        for name, value in (("serial number", claim.serial), ("failure description", claim.failure_description))
        if not value
    ]
    if missing:
        reasons.append(_reason(policy, "missing_information", f"Missing: {' and '.join(missing)}."))
    if claim.host_bytes_written is None:
        reasons.append(
            _reason(
                policy,
                "tbw_unverified",
                "SMART could not be read: host bytes written against the TBW limit is unverified.",
            )
        )
    elif product is not None and tbw.limit_bytes is None:
        reasons.append(
            _reason(
                policy,
                "tbw_unverified",
                f"The catalog has no sourced TBW limit for {product.line} "
                f"{product.capacity_gb} GB: bytes written cannot be compared.",
            )
        )
    if claim.fault == FAULT_UNTESTED:
        reasons.append(
            _reason(
                policy,
                "fault_unconfirmed",
                "The failure is not confirmed: the drive has not been diagnosed, or could not be.",
            )
        )
    return reasons


def _reason(policy: Policy, code: str, text: str) -> Reason:
    return Reason(code, text, policy.clause_for(code))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _tb(count: int) -> str:
    # Integer arithmetic: exact for any counter, where a float would overflow or round.
    thousandths = (count + 500_000_000) // 1_000_000_000
    return f"{thousandths // 1000:,}.{thousandths % 1000:03d} TB ({count:,} bytes)"
