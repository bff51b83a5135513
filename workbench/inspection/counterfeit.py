"""Counterfeit checks: the label and the catalog against what the drive says about itself.

`check_claim(label, readout, product, prior_claims)` returns one `Finding` per check, each
with its evidence. Severity: "high" is evidence the product is not genuine on its own;
"medium" and "low" are doubts the technician must look at and confirm; "pass" means the
check found nothing. Only a high finding supports the conclusion "not genuine"
(`not_genuine`); `to_confirm` lists what the technician must look at.

What these checks cannot catch is in docs/drives.md ("Counterfeit checks"): above all,
a fake-capacity drive whose firmware reports the labelled capacity is only exposed by
writing and reading back the whole drive, which destroys data and is not done here.

A finding's `message` is an English `Message` (stored with the case as its English text;
workbench.words.language.say says it in the session's language, and `to_dict()` keeps its
template under "said"). What the label, the drive and the catalog say is quoted in it as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from policy import Identity, Product
from policy.message import Message
from policy.serials import canonical_serial
from workbench.inspection.said import said
from workbench.inspection.smart import SmartReadout

SEVERITIES = ("high", "medium", "low", "pass")

# Reported capacity / labelled capacity. Labels use decimal GB; drives report a little
# more (2 TB -> 2,000,398,934,016 bytes), some makers label GiB-sized drives in GB (x1.074).
CAPACITY_MATCH = (0.97, 1.08)
CAPACITY_PLAUSIBLE = (0.90, 1.15)

# When the line's identity (its model string, firmware, controller or serial format) is not on
# record, a check cannot pass: it says "check the label against the drive by hand" instead.


@dataclass(frozen=True)
class Finding:
    check: str  # model, serial, capacity, identity, serial_format, prior_claims
    severity: str
    message: str  # a Message: say() it
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
            "said": said(message=self.message),
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
                Message("The drive could not be read: model, serial, capacity and controller are unchecked."),
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


def _finder(check: str, evidence: dict[str, Any]) -> Callable[[str, Message], Finding]:
    """A check's findings all carry its name and the evidence it gathered."""
    return lambda severity, message: Finding(check, severity, message, evidence)


def _either(patterns: Sequence[str]) -> str:
    """`a or b or c`, said in the session's language (the patterns themselves as they are)."""
    return reduce(lambda either, other: Message("{either} or {other}", either=either, other=other), patterns)


def _check_model(label: Label, readout: SmartReadout, identity: Identity | None) -> Finding:
    reported = readout.model or ""
    evidence: dict[str, object] = {"label": label.model, "reported": readout.model}
    found = _finder("model", evidence)
    patterns = identity.model_patterns if identity else None
    if not reported:
        return found("medium", Message("The drive reports no model name."))
    said_model = {"reported": repr(reported), "model": label.model}
    if patterns:
        evidence["genuine_patterns"] = list(patterns)
        if _matches_any(patterns, reported):
            return found("pass", Message("The drive reports {reported}, as a genuine {model} does.", **said_model))
        return found(
            "high",
            Message(
                "The drive reports {reported}; a genuine {model} reports a model matching {patterns}.",
                patterns=_either(patterns),
                **said_model,
            ),
        )
    # Without a genuine model string on record, a name that fits is no proof: never a pass.
    if _norm(label.model) and _norm(label.model) in _norm(reported):
        return found(
            "low",
            Message(
                "The drive reports {reported}, naming {model}, but no genuine model string is on record "
                "for it: check the label against the drive by hand.",
                **said_model,
            ),
        )
    if "NETAC" in _norm(reported):
        return found(
            "low",
            Message(
                "The drive reports {reported}, a Netac model, but no genuine model string is on record "
                "for {model}: check the label against the drive by hand.",
                **said_model,
            ),
        )
    return found(
        "medium",
        Message(
            "The drive reports {reported}, which is neither {model} nor a Netac name; "
            "confirm the label against the drive.",
            **said_model,
        ),
    )


def _check_serial(label: Label, readout: SmartReadout) -> Finding:
    evidence = {"label": label.serial, "reported": readout.serial}
    found = _finder("serial", evidence)
    on_label, reported = canonical_serial(label.serial), canonical_serial(readout.serial or "")
    if not reported:
        return found("medium", Message("The drive reports no serial number."))
    if not on_label:
        return found(
            "low", Message("No label serial to compare; the drive reports {reported}.", reported=readout.serial)
        )
    if on_label == reported:
        return found("pass", Message("The label serial is the serial the drive reports."))
    serials = {"label": label.serial, "reported": readout.serial}
    if on_label in reported or reported in on_label:
        return found(
            "medium",
            Message(
                "The label serial {label} and the drive's {reported} only partly match; rescan the label and confirm.",
                **serials,
            ),
        )
    return found(
        "high",
        Message(
            "The label serial {label} is not the drive's serial {reported}: the label does not belong to this drive.",
            **serials,
        ),
    )


def _check_capacity(label: Label, readout: SmartReadout) -> Finding:
    evidence: dict[str, object] = {"label_gb": label.capacity_gb, "reported_bytes": readout.capacity_bytes}
    found = _finder("capacity", evidence)
    if not readout.capacity_bytes:
        return found("medium", Message("The drive reports no capacity."))
    if label.capacity_gb <= 0:
        return found("low", Message("No labelled capacity to compare."))
    reported_gb = readout.capacity_bytes / 1e9
    ratio = readout.capacity_bytes / (label.capacity_gb * 1e9)
    evidence["ratio"] = round(ratio, 4)
    sizes = {"reported": reported_gb, "label": label.capacity_gb}
    if CAPACITY_MATCH[0] <= ratio <= CAPACITY_MATCH[1]:
        return found("pass", Message("The drive reports {reported:,.1f} GB for a label of {label:,} GB.", **sizes))
    if CAPACITY_PLAUSIBLE[0] <= ratio <= CAPACITY_PLAUSIBLE[1]:
        return found(
            "medium",
            Message(
                "The drive reports {reported:,.1f} GB for a label of {label:,} GB: more than rounding apart; "
                "confirm the label.",
                **sizes,
            ),
        )
    return found(
        "high",
        Message(
            "The drive reports {reported:,.1f} GB for a label of {label:,} GB: it is not the labelled product.", **sizes
        ),
    )


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
            "medium",
            Message("The labelled model and capacity are not in the catalog: no genuine identity to compare."),
        )
    controller = identity.controller if identity else None
    firmware_patterns = identity.firmware_patterns if identity else None
    if not controller and not firmware_patterns:
        return found(
            "low",
            Message(
                "No genuine controller or firmware is on record for {line}: check the label against the drive by hand "
                "(a supervisor can teach the line its identity from a drive known genuine).",
                line=product.line,
            ),
        )
    reported = f"{readout.controller or ''} {readout.family or ''}"
    if controller:
        evidence["genuine_controller"] = controller
        maker = controller.split()[0]
        if not reported.strip():
            return found(
                "low",
                Message(
                    "The drive does not show its controller; a genuine {model} has {controller}: not checked.",
                    model=product.model,
                    controller=controller,
                ),
            )
        if maker.upper() not in reported.upper():
            # The readout's own words ("sold by") stay a Message when the controller is all it shows.
            shown = readout.controller if reported.strip() == readout.controller else reported.strip()
            return found(
                "high",
                Message(
                    "The drive's controller is {reported}; a genuine {model} has {controller}.",
                    reported=shown,
                    model=product.model,
                    controller=controller,
                ),
            )
    if firmware_patterns:
        evidence["genuine_firmware"] = list(firmware_patterns)
        if not _matches_any(firmware_patterns, readout.firmware or ""):
            return found(
                "medium",
                Message(
                    "Firmware {firmware} is not one known for a genuine {model}; "
                    "confirm with Netac support before concluding.",
                    firmware=readout.firmware,
                    model=product.model,
                ),
            )
    return found("pass", Message("Controller and firmware are those of a genuine {model}.", model=product.model))


def _check_serial_format(label: Label, product: Product | None, identity: Identity | None) -> Finding:
    pattern = identity.serial_pattern if identity else None
    evidence = {"label": label.serial, "pattern": pattern}
    found = _finder("serial_format", evidence)
    line = product.line if product is not None else label.model
    if not pattern:
        return found(
            "low",
            Message("No serial format is on record for {line}: check the label against the drive by hand.", line=line),
        )
    if re.fullmatch(pattern, canonical_serial(label.serial)):
        return found("pass", Message("The serial has the format of the {line} line.", line=line))
    return found(
        "medium",
        Message(
            "The serial {serial} does not have the format of the {line} line; rescan it and confirm.",
            serial=label.serial,
            line=line,
        ),
    )


def _check_prior_claims(label: Label, prior: list[PriorClaim]) -> Finding:
    evidence = {"serial": label.serial, "cases": [p.case_number for p in prior]}
    found = _finder("prior_claims", evidence)
    replaced = [p for p in prior if p.replaced]
    if replaced:
        first = replaced[0]
        return found(
            "high",
            Message(
                "Serial {serial} was already replaced under case {case} ({date}): that drive went back to Netac, "
                "so this one is a copy.",
                serial=label.serial,
                case=first.case_number,
                date=first.claim_date,
            ),
        )
    if prior:
        # Each case with its date and its verdict as the records spell it (covered, not_covered, ...).
        each = [
            Message("{case} ({date}, {verdict})", case=p.case_number, date=p.claim_date, verdict=p.verdict)
            if p.verdict
            else Message("{case} ({date}, open)", case=p.case_number, date=p.claim_date)
            for p in prior
        ]
        cases = reduce(lambda earlier, later: Message("{earlier}, {later}", earlier=earlier, later=later), each)
        return found(
            "low",
            Message(
                "Serial {serial} was claimed before: {cases}; check those cases.", serial=label.serial, cases=cases
            ),
        )
    return found("pass", Message("No earlier claim on serial {serial}.", serial=label.serial))
