"""Counterfeit checks: the label and the catalog against what the drive says about itself.

`check_claim(label, readout, product, prior_claims)` returns one `Finding` per check, each
with its evidence. Severity: "high" is evidence the product is not genuine on its own;
"medium" and "low" are doubts the technician must look at and confirm; "pass" means the
check found nothing. Only a high finding supports the conclusion "not genuine"
(`not_genuine`); `to_confirm` lists what the technician must look at.

What these checks cannot catch is in docs/drives.md ("Counterfeit checks"): above all,
a fake-capacity drive whose firmware reports the labelled capacity is only exposed by
writing and reading back the whole drive, which destroys data and is not done here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from policy import Identity, Product
from policy.serials import canonical_serial
from workbench.inspection.smart import SmartReadout

SEVERITIES = ("high", "medium", "low", "pass")

# Reported capacity / labelled capacity. Labels use decimal GB; drives report a little
# more (2 TB -> 2,000,398,934,016 bytes), some makers label GiB-sized drives in GB (x1.074).
CAPACITY_MATCH = (0.97, 1.08)
CAPACITY_PLAUSIBLE = (0.90, 1.15)

# What a check says when the line's identity (its model string, firmware, controller or serial
# format) is not on record: it cannot pass, and the technician looks instead.
HAND_CHECK = "check the label against the drive by hand"


@dataclass(frozen=True)
class Finding:
    check: str  # model, serial, capacity, identity, serial_format, prior_claims
    severity: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True)
class Label:
    """What the label on the drive says (the claim's model, capacity_gb and serial)."""

    model: str
    capacity_gb: int
    serial: str


@dataclass(frozen=True)
class PriorClaim:
    """An earlier case on the same serial, from the case records."""

    case_number: str
    claim_date: str
    verdict: str | None  # covered, not_covered, refused, needs_review; None while draft
    replaced: bool = False  # the drive was exchanged: Netac kept this serial


def check_claim(
    label: Label,
    readout: SmartReadout | None,
    product: Product | None,
    prior_claims: Iterable[PriorClaim] = (),
) -> list[Finding]:
    """All counterfeit checks, in the order a technician reads them.

    `readout` is None when the drive could not be read: the checks that need the drive
    then say so (low), the others still run.
    """
    identity = product.identity if product is not None else None  # None: unsourced
    findings = []
    if readout is None:
        findings.append(
            Finding(
                "drive",
                "low",
                "The drive could not be read: model, serial, capacity and controller are unchecked.",
            )
        )
    else:
        findings += [
            _check_model(label, readout, identity),
            _check_serial(label, readout),
            _check_capacity(label, readout),
            _check_identity(readout, product, identity),
        ]
    findings.append(_check_serial_format(label, product, identity))
    findings.append(_check_prior_claims(label, list(prior_claims)))
    return findings


def not_genuine(findings: Iterable[Finding]) -> bool:
    """Only a high finding supports refusing a claim as not genuine."""
    return any(f.severity == "high" for f in findings)


def to_confirm(findings: Iterable[Finding]) -> list[Finding]:
    """Doubts the technician must look at and confirm or dismiss."""
    return [f for f in findings if f.severity in ("medium", "low")]


def _norm(text: str | None) -> str:
    return re.sub(r"[\s_-]+", "", text or "").upper()


def _matches_any(patterns: Sequence[str], text: str) -> bool:
    return any(re.fullmatch(p, text, re.IGNORECASE) for p in patterns)


def _finder(check: str, evidence: dict[str, Any]) -> Callable[[str, str], Finding]:
    """A check's findings all carry its name and the evidence it gathered."""
    return lambda severity, message: Finding(check, severity, message, evidence)


def _check_model(label: Label, readout: SmartReadout, identity: Identity | None) -> Finding:
    reported = readout.model or ""
    evidence: dict[str, object] = {"label": label.model, "reported": readout.model}
    found = _finder("model", evidence)
    patterns = identity.model_patterns if identity else None
    if not reported:
        return found("medium", "The drive reports no model name.")
    if patterns:
        evidence["genuine_patterns"] = list(patterns)
        if _matches_any(patterns, reported):
            return found("pass", f"The drive reports {reported!r}, as a genuine {label.model} does.")
        return found(
            "high",
            f"The drive reports {reported!r}; a genuine {label.model} reports a model matching "
            f"{' or '.join(patterns)}.",
        )
    # Without a genuine model string on record, a name that fits is no proof: never a pass.
    if _norm(label.model) and _norm(label.model) in _norm(reported):
        return found(
            "low",
            f"The drive reports {reported!r}, naming {label.model}, but no genuine model string is on record "
            f"for it: {HAND_CHECK}.",
        )
    if "NETAC" in _norm(reported):
        return found(
            "low",
            f"The drive reports {reported!r}, a Netac model, but no genuine model string is on record "
            f"for {label.model}: {HAND_CHECK}.",
        )
    return found(
        "medium",
        f"The drive reports {reported!r}, which is neither {label.model} nor a Netac name; "
        "confirm the label against the drive.",
    )


def _check_serial(label: Label, readout: SmartReadout) -> Finding:
    evidence = {"label": label.serial, "reported": readout.serial}
    found = _finder("serial", evidence)
    on_label, reported = canonical_serial(label.serial), canonical_serial(readout.serial or "")
    if not reported:
        return found("medium", "The drive reports no serial number.")
    if not on_label:
        return found("low", f"No label serial to compare; the drive reports {readout.serial}.")
    if on_label == reported:
        return found("pass", "The label serial is the serial the drive reports.")
    if on_label in reported or reported in on_label:
        return found(
            "medium",
            f"The label serial {label.serial} and the drive's {readout.serial} only partly match; "
            "rescan the label and confirm.",
        )
    return found(
        "high",
        f"The label serial {label.serial} is not the drive's serial {readout.serial}: "
        "the label does not belong to this drive.",
    )


def _check_capacity(label: Label, readout: SmartReadout) -> Finding:
    evidence: dict[str, object] = {"label_gb": label.capacity_gb, "reported_bytes": readout.capacity_bytes}
    found = _finder("capacity", evidence)
    if not readout.capacity_bytes:
        return found("medium", "The drive reports no capacity.")
    if label.capacity_gb <= 0:
        return found("low", "No labelled capacity to compare.")
    reported_gb = readout.capacity_bytes / 1e9
    ratio = readout.capacity_bytes / (label.capacity_gb * 1e9)
    evidence["ratio"] = round(ratio, 4)
    said = f"The drive reports {reported_gb:,.1f} GB for a label of {label.capacity_gb:,} GB"
    if CAPACITY_MATCH[0] <= ratio <= CAPACITY_MATCH[1]:
        return found("pass", f"{said}.")
    if CAPACITY_PLAUSIBLE[0] <= ratio <= CAPACITY_PLAUSIBLE[1]:
        return found("medium", f"{said}: more than rounding apart; confirm the label.")
    return found("high", f"{said}: it is not the labelled product.")


def _check_identity(readout: SmartReadout, product: Product | None, identity: Identity | None) -> Finding:
    evidence: dict[str, object] = {
        "reported_controller": readout.controller or readout.family,
        "reported_firmware": readout.firmware,
        "pci_vendor_id": readout.pci_vendor_id,
        "pci_subsystem_vendor_id": readout.pci_subsystem_vendor_id,
    }
    found = _finder("identity", evidence)
    if product is None:
        return found(
            "medium", "The labelled model and capacity are not in the catalog: no genuine identity to compare."
        )
    controller = identity.controller if identity else None
    firmware_patterns = identity.firmware_patterns if identity else None
    if not controller and not firmware_patterns:
        return found(
            "low",
            f"No genuine controller or firmware is on record for {product.line}: {HAND_CHECK} "
            "(a supervisor can teach the line its identity from a drive known genuine).",
        )
    reported = f"{readout.controller or ''} {readout.family or ''}"
    if controller:
        evidence["genuine_controller"] = controller
        maker = controller.split()[0]
        if not reported.strip():
            return found(
                "low",
                f"The drive does not show its controller; a genuine {product.model} has {controller}: not checked.",
            )
        if maker.upper() not in reported.upper():
            return found(
                "high", f"The drive's controller is {reported.strip()}; a genuine {product.model} has {controller}."
            )
    if firmware_patterns:
        evidence["genuine_firmware"] = list(firmware_patterns)
        if not _matches_any(firmware_patterns, readout.firmware or ""):
            return found(
                "medium",
                f"Firmware {readout.firmware} is not one known for a genuine {product.model}; "
                "confirm with Netac support before concluding.",
            )
    return found("pass", f"Controller and firmware are those of a genuine {product.model}.")


def _check_serial_format(label: Label, product: Product | None, identity: Identity | None) -> Finding:
    pattern = identity.serial_pattern if identity else None
    evidence = {"label": label.serial, "pattern": pattern}
    found = _finder("serial_format", evidence)
    line = product.line if product is not None else label.model
    if not pattern:
        return found("low", f"No serial format is on record for {line}: {HAND_CHECK}.")
    if re.fullmatch(pattern, canonical_serial(label.serial)):
        return found("pass", f"The serial has the format of the {line} line.")
    return found(
        "medium", f"The serial {label.serial} does not have the format of the {line} line; rescan it and confirm."
    )


def _check_prior_claims(label: Label, prior: list[PriorClaim]) -> Finding:
    evidence = {"serial": label.serial, "cases": [p.case_number for p in prior]}
    found = _finder("prior_claims", evidence)
    replaced = [p for p in prior if p.replaced]
    if replaced:
        first = replaced[0]
        return found(
            "high",
            f"Serial {label.serial} was already replaced under case {first.case_number} "
            f"({first.claim_date}): that drive went back to Netac, so this one is a copy.",
        )
    if prior:
        cases = ", ".join(f"{p.case_number} ({p.claim_date}, {p.verdict or 'open'})" for p in prior)
        return found("low", f"Serial {label.serial} was claimed before: {cases}; check those cases.")
    return found("pass", f"No earlier claim on serial {label.serial}.")
