"""Netac's warranty policy as data and a pure decision engine (no UI, no database)."""

from policy.catalog import Catalog, Identity, Product, normalise_model
from policy.claim import (
    FAULT_CONFIRMED,
    FAULT_NOT_FOUND,
    FAULT_UNTESTED,
    FAULTS,
    Claim,
    ClaimInputError,
    parse_claim,
)
from policy.document import (
    EXCLUSION_KEYS,
    Clause,
    Exclusion,
    Policy,
    PolicyFileError,
    bundled_bytes,
    load_policy,
    parse_policy,
)
from policy.engine import (
    COVERED,
    NEEDS_REVIEW,
    NOT_COVERED,
    REFUSED,
    Decision,
    Reason,
    TbwCheck,
    Warranty,
    anniversary,
    assess,
)
from policy.serials import canonical_serial

__all__ = [
    "Catalog",
    "Identity",
    "Product",
    "normalise_model",
    "Claim",
    "ClaimInputError",
    "FAULT_CONFIRMED",
    "FAULT_NOT_FOUND",
    "FAULT_UNTESTED",
    "FAULTS",
    "parse_claim",
    "EXCLUSION_KEYS",
    "EXCLUSIONS",
    "Clause",
    "Exclusion",
    "Policy",
    "PolicyFileError",
    "bundled_bytes",
    "load_policy",
    "parse_policy",
    "COVERED",
    "NEEDS_REVIEW",
    "NOT_COVERED",
    "REFUSED",
    "Decision",
    "Reason",
    "TbwCheck",
    "Warranty",
    "anniversary",
    "assess",
    "canonical_serial",
]


def __getattr__(name: str) -> tuple[Exclusion, ...]:
    # EXCLUSIONS reads the bundled data file; only on first use, so importing stays cheap.
    if name == "EXCLUSIONS":
        return load_policy().exclusions
    raise AttributeError(f"module 'policy' has no attribute {name!r}")
