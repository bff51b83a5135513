"""What the drive's own records say about a fault, in plain words.

`diagnose(readout, selftest=None)` reads the `--all` output a SMART readout already holds
(no further smartctl run) and, when given, a self-test's result, into `Finding`s: one
sentence each, the figure behind it, and whether it points at the drive itself (a fault)
or at something else (the bench's airflow, the cable, the host's own commands).
`confirms_fault(findings)` says whether the evidence confirms a fault of the drive.

NVMe: the SMART/Health log (critical warning bits, available spare against its threshold,
percentage used, media and data integrity errors, error-information log entries) through
pySMART's NvmeAttributes. SATA: SMART attributes 5, 187, 197, 198 (the media) and 199 (the
cable), through pySMART's AtaAttributes, and the ATA error log count.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from workbench.inspection.selftest import SelfTestResult
from workbench.inspection.smart import SmartReadout, _pysmart


@dataclass(frozen=True)
class Finding:
    code: str  # stable key, e.g. "nvme_reliability_degraded", "ata_crc_errors"
    sentence: str  # plain English, for the technician and the case record
    points_at_drive: bool  # a fault of the drive itself
    figure: int | None  # the number behind it (a count, a percentage)
    source: str  # where it comes from, e.g. "NVMe Critical Warning bit 2"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def confirms_fault(findings: list[Finding]) -> bool:
    """True when at least one finding points at the drive itself."""
    return any(f.points_at_drive for f in findings)


def diagnose(readout: SmartReadout, selftest: SelfTestResult | None = None) -> list[Finding]:
    """The findings of a readout (and of a self-test on the same drive), faults first."""
    main = next((c for c in reversed(readout.calls) if "--all" in c.args), None)
    findings: list[Finding] = []
    if main is not None:
        lines = main.text.splitlines()
        nvme = any(line.startswith("SMART/Health Information (NVMe Log 0x02") for line in lines)
        findings += _nvme(lines) if nvme else _ata(main.text, lines)
    if selftest is not None:
        findings.append(
            Finding(
                f"selftest_{selftest.outcome.value}",
                selftest.message,
                selftest.confirms_fault,
                selftest.failing_lba,
                f"the drive's {selftest.kind} self-test",
            )
        )
    return sorted(findings, key=lambda f: not f.points_at_drive)


_WARNING_BITS = (
    (
        0,
        "nvme_spare_below_threshold",
        True,
        "its available spare has fallen below its threshold: it is running out of spare blocks",
    ),
    (
        1,
        "nvme_temperature",
        False,
        "its temperature is or was outside its limits; on the bench this may be the airflow, "
        "not the drive: let it cool and read it again",
    ),
    (2, "nvme_reliability_degraded", True, "its reliability is degraded by media or internal errors"),
    (3, "nvme_read_only", True, "it has put its media in read-only mode"),
    (4, "nvme_volatile_backup_failed", True, "its volatile memory backup device has failed"),
)


def _nvme(lines: list[str]) -> list[Finding]:
    pysmart, _ = _pysmart()
    health = pysmart.interface.NvmeAttributes(iter(lines))
    findings = []
    warning = health.criticalWarning or 0
    for bit, code, fault, words in _WARNING_BITS:
        if warning & (1 << bit):
            findings.append(
                Finding(code, f"The drive reports that {words}.", fault, warning, f"NVMe Critical Warning bit {bit}")
            )
    spare, threshold = health.availableSpare, health.availableSpareThreshold
    if spare is not None and threshold is not None:
        low = spare < threshold
        findings.append(
            Finding(
                "nvme_available_spare",
                f"Available spare {spare}% against its threshold of {threshold}%"
                + (": below it, the drive is running out of spare blocks." if low else "."),
                low,
                spare,
                "NVMe SMART/Health log, Available Spare",
            )
        )
    if health.percentageUsed is not None:
        findings.append(
            Finding(
                "nvme_percentage_used",
                f"{health.percentageUsed}% of the drive's rated endurance is used"
                + (
                    "; wear is not a defect, the warranty's TBW limit decides." if health.percentageUsed >= 100 else "."
                ),
                False,
                health.percentageUsed,
                "NVMe SMART/Health log, Percentage Used",
            )
        )
    if health.integrityErrors:
        findings.append(
            Finding(
                "nvme_media_errors",
                f"{health.integrityErrors:,} media and data integrity errors: the drive could not read back data it stored.",
                True,
                health.integrityErrors,
                "NVMe SMART/Health log, Media and Data Integrity Errors",
            )
        )
    if health.errorEntries:
        media = [m for m in _nvme_error_messages(lines) if m in _NVME_MEDIA_MESSAGES]
        if media:
            sentence = (
                f"{health.errorEntries:,} entries in the drive's error log, among them {media[0]}: "
                "errors of the drive's media."
            )
        else:
            sentence = (
                f"{health.errorEntries:,} entries in the drive's error log, none of them a media error "
                "(commands the drive refused, often a host's tools asking for what it does not offer): not a fault."
            )
        findings.append(
            Finding("nvme_error_log", sentence, bool(media), health.errorEntries, "NVMe Error Information log")
        )
    return findings


# smartctl 7.4+ names each error-log entry (nvme_status_to_info_str); these are SCT 2, media errors.
_NVME_MEDIA_MESSAGES = (
    "Unrecovered Read Error",
    "Write Fault",
    "End-to-end Guard Check Error",
    "End-to-end Application Tag Check Error",
    "End-to-end Reference Tag Check Error",
    "Compare Failure",
)


def _nvme_error_messages(lines: list[str]) -> list[str]:
    """The Message column of smartctl 7.4's error log (7.3 prints none)."""
    row = re.compile(r"\s*\d+\s+\d+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+  (.+?)\s*")
    messages = []
    inside = False
    for line in lines:
        if line.startswith("Num   ErrCount"):
            inside = True
        elif inside and not line.strip():
            break
        elif inside and (m := row.fullmatch(line)):
            messages.append(m.group(1))
    return messages


_ATA_MEDIA = (
    (5, "ata_reallocated", "sectors reallocated: the drive has replaced worn or bad blocks with spares"),
    (187, "ata_reported_uncorrectable", "errors the drive could not correct and reported to the host"),
    (197, "ata_pending", "sectors waiting to be reallocated: the drive could not read them"),
    (198, "ata_offline_uncorrectable", "sectors the drive found unreadable in its own scan"),
)


def _ata(text: str, lines: list[str]) -> list[Finding]:
    pysmart, _ = _pysmart()
    attributes = pysmart.interface.AtaAttributes(iter(lines)).legacyAttributes
    findings = []
    for number, code, words in _ATA_MEDIA:
        count = _raw(attributes[number])
        if count:
            source = f"SMART attribute {number} {attributes[number].name}"
            findings.append(Finding(code, f"{count:,} {words}.", True, count, source))
    crc = _raw(attributes[199])
    if crc:
        findings.append(
            Finding(
                "ata_crc_errors",
                f"{crc:,} interface CRC errors: data was damaged on its way through the cable or the port, "
                "not in the drive; try another cable and port.",
                False,
                crc,
                f"SMART attribute 199 {attributes[199].name}",
            )
        )
    errors = re.search(r"^ATA Error Count: (\d+)", text, re.MULTILINE)
    if errors:
        count = int(errors.group(1))
        media = re.search(r"Error: [A-Z ,]*\bUNC\b.*", text)
        if media:
            sentence = (
                f"{count:,} errors in the drive's ATA error log, among them an uncorrectable read ({media.group(0)})."
            )
        else:
            sentence = f"{count:,} errors in the drive's ATA error log, none of them an uncorrectable read."
        findings.append(Finding("ata_error_log", sentence, media is not None, count, "ATA SMART error log"))
    return findings


def _raw(attribute) -> int | None:
    if attribute is None:
        return None
    try:
        return attribute.raw_int
    except (TypeError, ValueError):
        return None
