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

A finding's `sentence` and `source` are English `Message`s (workbench.words.language.say says
them in the session's language); what smartctl names (an attribute, an error-log message) is
quoted in them as it is.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from policy.message import Message
from workbench.inspection.said import said
from workbench.inspection.selftest import SelfTestResult
from workbench.inspection.smart import SmartReadout, _pysmart
from workbench.words.language import N_


@dataclass(frozen=True)
class Finding:
    code: str  # stable key, e.g. "nvme_reliability_degraded", "ata_crc_errors"
    sentence: str  # plain English, for the technician and the case record (a Message: say() it)
    points_at_drive: bool  # a fault of the drive itself
    figure: int | None  # the number behind it (a count, a percentage)
    source: str  # where it comes from, e.g. "NVMe Critical Warning bit 2" (a Message: say() it)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, the English texts with their templates under "said"."""
        return {**asdict(self), "said": said(sentence=self.sentence, source=self.source)}


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
                Message("the drive's long self-test")
                if selftest.kind == "long"
                else Message("the drive's short self-test"),
            )
        )
    return sorted(findings, key=lambda f: not f.points_at_drive)


# Each bit's sentence whole (marked here, made a Message where it is found).
_WARNING_BITS = (
    (
        0,
        "nvme_spare_below_threshold",
        True,
        N_(
            "The drive reports that its available spare has fallen below its threshold: "
            "it is running out of spare blocks."
        ),
    ),
    (
        1,
        "nvme_temperature",
        False,
        N_(
            "The drive reports that its temperature is or was outside its limits; on the bench this may be "
            "the airflow, not the drive: let it cool and read it again."
        ),
    ),
    (
        2,
        "nvme_reliability_degraded",
        True,
        N_("The drive reports that its reliability is degraded by media or internal errors."),
    ),
    (3, "nvme_read_only", True, N_("The drive reports that it has put its media in read-only mode.")),
    (
        4,
        "nvme_volatile_backup_failed",
        True,
        N_("The drive reports that its volatile memory backup device has failed."),
    ),
)


def _nvme(lines: list[str]) -> list[Finding]:
    pysmart, _ = _pysmart()
    health = pysmart.interface.NvmeAttributes(iter(lines))
    findings = []
    warning = health.criticalWarning or 0
    for bit, code, fault, sentence in _WARNING_BITS:
        if warning & (1 << bit):
            findings.append(
                Finding(code, Message(sentence), fault, warning, Message("NVMe Critical Warning bit {bit}", bit=bit))
            )
    spare, threshold = health.availableSpare, health.availableSpareThreshold
    if spare is not None and threshold is not None:
        low = spare < threshold
        findings.append(
            Finding(
                "nvme_available_spare",
                Message(
                    "Available spare {spare}% against its threshold of {threshold}%: below it, "
                    "the drive is running out of spare blocks.",
                    spare=spare,
                    threshold=threshold,
                )
                if low
                else Message(
                    "Available spare {spare}% against its threshold of {threshold}%.", spare=spare, threshold=threshold
                ),
                low,
                spare,
                Message("NVMe SMART/Health log, Available Spare"),
            )
        )
    if health.percentageUsed is not None:
        used = health.percentageUsed
        findings.append(
            Finding(
                "nvme_percentage_used",
                Message(
                    "{used}% of the drive's rated endurance is used; wear is not a defect, "
                    "the warranty's TBW limit decides.",
                    used=used,
                )
                if used >= 100
                else Message("{used}% of the drive's rated endurance is used.", used=used),
                False,
                used,
                Message("NVMe SMART/Health log, Percentage Used"),
            )
        )
    if health.integrityErrors:
        findings.append(
            Finding(
                "nvme_media_errors",
                Message(
                    "{count:,} media and data integrity errors: the drive could not read back data it stored.",
                    count=health.integrityErrors,
                ),
                True,
                health.integrityErrors,
                Message("NVMe SMART/Health log, Media and Data Integrity Errors"),
            )
        )
    if health.errorEntries:
        media = [m for m in _nvme_error_messages(lines) if m in _NVME_MEDIA_MESSAGES]
        if media:
            said_here = Message(
                "{count:,} entries in the drive's error log, among them {error}: errors of the drive's media.",
                count=health.errorEntries,
                error=media[0],
            )
        else:
            said_here = Message(
                "{count:,} entries in the drive's error log, none of them a media error "
                "(commands the drive refused, often a host's tools asking for what it does not offer): not a fault.",
                count=health.errorEntries,
            )
        findings.append(
            Finding(
                "nvme_error_log",
                said_here,
                bool(media),
                health.errorEntries,
                Message("NVMe Error Information log"),
            )
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


# Each attribute's sentence whole, with its count (marked here, made a Message where it is found).
_ATA_MEDIA = (
    (5, "ata_reallocated", N_("{count:,} sectors reallocated: the drive has replaced worn or bad blocks with spares.")),
    (187, "ata_reported_uncorrectable", N_("{count:,} errors the drive could not correct and reported to the host.")),
    (197, "ata_pending", N_("{count:,} sectors waiting to be reallocated: the drive could not read them.")),
    (198, "ata_offline_uncorrectable", N_("{count:,} sectors the drive found unreadable in its own scan.")),
)


def _ata(text: str, lines: list[str]) -> list[Finding]:
    pysmart, _ = _pysmart()
    attributes = pysmart.interface.AtaAttributes(iter(lines)).legacyAttributes
    findings = []
    for number, code, sentence in _ATA_MEDIA:
        count = _raw(attributes[number])
        if count:
            source = Message("SMART attribute {number} {name}", number=number, name=attributes[number].name)
            findings.append(Finding(code, Message(sentence, count=count), True, count, source))
    crc = _raw(attributes[199])
    if crc:
        findings.append(
            Finding(
                "ata_crc_errors",
                Message(
                    "{count:,} interface CRC errors: data was damaged on its way through the cable or the port, "
                    "not in the drive; try another cable and port.",
                    count=crc,
                ),
                False,
                crc,
                Message("SMART attribute {number} {name}", number=199, name=attributes[199].name),
            )
        )
    errors = re.search(r"^ATA Error Count: (\d+)", text, re.MULTILINE)
    if errors:
        count = int(errors.group(1))
        media = re.search(r"Error: [A-Z ,]*\bUNC\b.*", text)
        if media:
            sentence = Message(
                "{count:,} errors in the drive's ATA error log, among them an uncorrectable read ({error}).",
                count=count,
                error=media.group(0),
            )
        else:
            sentence = Message(
                "{count:,} errors in the drive's ATA error log, none of them an uncorrectable read.", count=count
            )
        findings.append(Finding("ata_error_log", sentence, media is not None, count, Message("ATA SMART error log")))
    return findings


def _raw(attribute) -> int | None:
    if attribute is None:
        return None
    try:
        return attribute.raw_int
    except (TypeError, ValueError):
        return None
