"""The SMART readout: what the drive on the bench says about itself, read exactly.

`list_drives(reader)` lists what smartctl finds on the bench; `read_drive(reader, device)`
reads one drive into a `SmartReadout`. The reader is a live smartctl or a replay of
recordings (workbench.inspection.smartctl). pySMART parses smartctl's text; it runs
through `_EvidenceSmartctl`, a pySMART `Smartctl` whose every call goes through the
reader, so each call has a deadline and its raw output is kept as evidence.

Failures raise SmartError subclasses (workbench.inspection.errors), one per cause. The
readout's own words (how the bytes written were counted, an adapter's name for people, a note)
are English `Message`s, their templates kept in `said` (workbench.inspection.said): the drive's
and smartctl's words (model, serial, health, pySMART's notes) are never translated.
Blocking: call these from a worker thread, never from the UI thread.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from policy.message import Message
from workbench.errors import InputError
from workbench.inspection.errors import (
    DriveAbsent,
    DriveUnresponsive,
    SmartctlFailed,
    SmartError,
    SmartPermissionDenied,
    SmartTimeout,
    UnparseableOutput,
    UnsupportedBridge,
    transcript,
)
from workbench.inspection.said import as_message, said
from workbench.inspection.smartctl import DEFAULT_TIMEOUT, SmartctlCall, SmartctlReader
from workbench.inspection.write_units import ata_write_unit, controller_from_pci
from workbench.words.text import strip_control

NVME_DATA_UNIT = 512_000  # NVMe spec: one Data Unit is 1000 units of 512 bytes
_DEVICE_NAME = re.compile(r"/dev/[A-Za-z0-9][A-Za-z0-9/_.-]*")
_NVME_NODE = re.compile(r"/dev/nvme\d+(n\d+)?")

# smartctl -d types and how pySMART must parse them. USB-NVMe bridges speak NVMe but
# pySMART rejects their type names, so pySMART is told "nvme" and the real type is put
# back on the command line (see _EvidenceSmartctl). USB-SATA bridges speak SAT. A drive
# smartctl can only reach as plain SCSI is hidden behind its adapter (_refuse_scsi).
_NVME_BRIDGES = {"sntasmedia": "ASMedia", "sntjmicron": "JMicron", "sntrealtek": "Realtek"}
_SAT_BRIDGES = ("usbcypress", "usbjmicron", "usbprolific", "usbsunplus", "usbasm1352r")
_ATA_TYPES = ("ata", "sat")  # how pySMART is told to parse SATA drives

ASSESSMENT = {"PASS": "PASSED", "WARN": "WARNING", "FAIL": "FAILED", None: "UNKNOWN"}


@dataclass(frozen=True)
class DriveInfo:
    """One line of `smartctl --scan-open`: a drive smartctl can (or cannot) open."""

    device: str
    device_type: str
    description: str
    problem: str | None = None  # why smartctl could not open it, if it could not
    own_disk: str | None = None  # why it is the bench computer's own disk (never read into a claim)
    serial: str | None = None  # as the kernel knows it, where it does (sysfs)


@dataclass(frozen=True)
class SmartReadout:
    """What one drive reported, with the raw smartctl output it came from.

    Strings are cleaned of control characters and escape sequences (drive firmware is
    controlled by whoever made the drive); the raw bytes stay in `calls`. The readout's own
    words (`interface`, `controller`, `bytes_written_basis`, a note of ours in `messages`) are
    English `Message`s; `said` keeps their templates, so that a readout rebuilt from its
    `to_dict()` (a resumed case) says them in any language again.
    """

    device: str
    model: str | None
    serial: str | None
    firmware: str | None
    capacity_bytes: int | None
    interface: str  # NVMe, SATA, USB-NVMe (Realtek bridge), USB-SATA
    health: str  # PASSED, WARNING, FAILED, UNKNOWN
    power_on_hours: int | None
    temperature_c: int | None
    percentage_used: int | None
    media_errors: int | None
    host_bytes_written: int | None
    bytes_written_basis: str
    device_type: str = ""  # smartctl's -d type
    family: str | None = None  # smartctl's drive database family (SATA)
    pci_vendor_id: str | None = None  # NVMe, e.g. 0x1f40
    pci_subsystem_vendor_id: str | None = None
    controller: str | None = None
    smartctl_version: str | None = None
    messages: tuple[str, ...] = ()
    calls: tuple[SmartctlCall, ...] = field(default=(), repr=False)
    said: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        kept = self.said or {}
        for name in _SAID_FIELDS:
            object.__setattr__(self, name, as_message(getattr(self, name), kept.get(name)))
        entries = kept.get("messages")
        if isinstance(entries, list) and len(entries) == len(self.messages):
            object.__setattr__(self, "messages", tuple(map(as_message, self.messages, entries)))
        object.__setattr__(self, "said", said(**{n: getattr(self, n) for n in (*_SAID_FIELDS, "messages")}))

    @property
    def raw_output(self) -> bytes:
        """Every smartctl call of this readout, verbatim, as one evidence transcript."""
        return transcript(self.calls)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; the raw bytes travel separately as `raw_output`."""
        data = asdict(self)
        data["messages"] = list(self.messages)
        data["calls"] = [
            {
                "args": list(c.args),
                "exit_status": c.exit_status,
                "seconds": round(c.seconds, 3),
                "stdout_bytes": len(c.stdout),
            }
            for c in self.calls
        ]
        return data


_SAID_FIELDS = ("interface", "controller", "bytes_written_basis")


def list_drives(reader: SmartctlReader, timeout: float = DEFAULT_TIMEOUT) -> list[DriveInfo]:
    call = reader.run(["--scan-open"], timeout)
    if call.exit_status & 1:
        raise SmartctlFailed(None, _first_message(call.text))
    drives = []
    for line in call.text.splitlines():
        # "/dev/sda -d sat # /dev/sda [SAT], ATA device", or when it cannot be opened:
        # "# /dev/sda -d scsi # /dev/sda, SCSI device open failed: Permission denied"
        match = re.fullmatch(r"(#\s*)?(/\S+)\s+-d\s+(\S+)\s+#\s*(.*?)\s*", line)
        if not match:
            continue
        failed, device, device_type, description = match.groups()
        problem = None
        if failed:
            description, _, problem = description.partition(" open failed: ")
        drives.append(
            DriveInfo(
                strip_control(device),
                strip_control(device_type),
                strip_control(description),
                strip_control(problem) if problem else None,
            )
        )
    return drives


def read_drive(
    reader: SmartctlReader,
    device: str,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    device_type: str | None = None,
) -> SmartReadout:
    """Read one drive; `device_type` is smartctl's -d type when known (from list_drives).

    A SmartError raised here carries the smartctl calls made so far (`.calls`,
    `.raw_output`): a dead drive's answer is evidence too.
    """
    if not _DEVICE_NAME.fullmatch(device) or ".." in device.split("/"):
        raise InputError(
            "device", Message("{device} is not a device path like /dev/sda or /dev/nvme0", device=repr(device))
        )
    calls: list[SmartctlCall] = []
    try:
        return _read(reader, device, timeout, device_type, calls)
    except SmartError as exc:
        exc.calls = tuple(calls)
        raise


def _read(reader, device, timeout, device_type, calls: list[SmartctlCall]) -> SmartReadout:
    deadline = time.monotonic() + timeout
    if device_type is None:
        if _NVME_NODE.fullmatch(device):
            device_type = "nvme"
        else:
            device_type = _detect_type(reader, device, timeout, deadline, calls)
    if device_type == "scsi":
        _refuse_scsi(reader, device, timeout, deadline, calls)
    interface, parse_as = _interface(device, device_type)

    pysmart, bridge_class = _pysmart()
    smartctl = bridge_class(reader, device, device_type, parse_as, timeout, deadline, calls)
    if parse_as in _ATA_TYPES:
        # Device Statistics carry the exact Logical Sectors Written; asked for in the same
        # smartctl run as --all (pySMART puts options before its own arguments).
        smartctl.options = ["-l", "devstat"]
    try:
        dev = pysmart.Device(device, interface=parse_as, smartctl=smartctl)
    except SmartError:
        raise
    except Exception as exc:  # pySMART's parser met text it does not expect
        raise smartctl.failure or UnparseableOutput(device, f"pySMART: {exc}") from None
    if smartctl.failure:
        raise smartctl.failure
    main = next((c for c in reversed(calls) if "--all" in c.args), None)
    if main is None:
        raise UnparseableOutput(device, Message("smartctl --all was never run"))
    _raise_for_open_failure(main, device)
    if dev.model is None and dev.serial is None:
        raise UnparseableOutput(device, Message("no model or serial number in it"))
    return _readout(dev, device, device_type, interface, main, tuple(calls))


def _run(reader, args, device: str, timeout: float, deadline: float) -> SmartctlCall:
    """One call within what is left of the read's time; a timeout names the whole budget."""
    try:
        return reader.run(args, _remaining(deadline, device, timeout), device)
    except SmartTimeout:
        raise SmartTimeout(device, timeout) from None


def _detect_type(reader, device, timeout, deadline, calls) -> str:
    call = _run(reader, ["-d", "test", device], device, timeout, deadline)
    calls.append(call)
    _raise_for_open_failure(call, device)
    # Only a type as smartctl spells them: the drive's bridge may answer with anything (probe L13).
    match = re.search(r"Device of type '([a-z0-9+,]{2,24})' \[[^]]*\] opened", call.text)
    if not match:
        raise UnparseableOutput(device, Message("smartctl -d test did not say which type it opened"))
    return match.group(1)


def _interface(device: str, device_type: str) -> tuple[str, str]:
    """(label for people, interface name pySMART parses with) for a smartctl -d type."""
    base = device_type.split(",")[0]
    if base == "nvme":
        return "NVMe", "nvme"
    if base in _NVME_BRIDGES:
        return Message("USB-NVMe ({maker} bridge)", maker=_NVME_BRIDGES[base]), "nvme"
    if base in ("ata", "sata"):
        return "SATA", "ata"
    if base == "sat":
        return "SATA", "sat"
    if base in _SAT_BRIDGES:
        return "USB-SATA", "sat"
    raise UnsupportedBridge(device, device_type)


def _refuse_scsi(reader, device, timeout, deadline, calls) -> None:
    """Netac drives are SATA or NVMe: as plain SCSI, smartctl sees only a USB adapter.

    Its answer names the adapter (kept as evidence); reading on would show the adapter's
    name as the drive's model and wrongly fail the counterfeit checks.
    """
    call = _run(reader, ["-d", "scsi", "--all", device], device, timeout, deadline)
    calls.append(call)
    _raise_for_open_failure(call, device)
    adapter = " ".join(filter(None, (_field(call.text, "Vendor"), _field(call.text, "Product"))))
    raise UnsupportedBridge(device, "scsi", adapter or None)


def _remaining(deadline: float, device: str, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise SmartTimeout(device, timeout)
    return left


def _first_message(text: str) -> str:
    """smartctl's first line after its two-line banner and blank line."""
    lines = [line.strip() for line in text.splitlines()]
    body = [line for line in lines if line and not line.startswith(("smartctl ", "Copyright"))]
    return strip_control(body[0]) if body else Message("no output")


def _raise_for_open_failure(call: SmartctlCall, device: str) -> None:
    """smartctl exit bit 0: bad command line; bit 1: the device did not open or identify."""
    if call.exit_status & 1:
        raise SmartctlFailed(device, _first_message(call.text))
    if not call.exit_status & 2:
        return
    text = call.text + call.stderr.decode(errors="replace")
    failure = next((line.strip() for line in text.splitlines() if "failed" in line), None)
    detail = strip_control(failure or _first_message(text))
    if "No such device" in text or "No such file or directory" in text:
        raise DriveAbsent(device)
    if "Permission denied" in text or "Operation not permitted" in text:
        raise SmartPermissionDenied(device, detail)
    raise DriveUnresponsive(device, detail)


def _readout(dev, device, device_type, interface, main: SmartctlCall, calls) -> SmartReadout:
    text = main.text
    nvme = dev.if_attributes.__class__.__name__ == "NvmeAttributes"
    attrs = dev.if_attributes
    messages = [strip_control(m) for m in (dev.messages or [])]
    health = ASSESSMENT.get(dev.assessment, "UNKNOWN")
    if main.exit_status & 8:  # smartctl: SMART status says DISK FAILING
        health = "FAILED"
    if main.exit_status & 4:
        messages.append(Message("smartctl: some SMART or other commands to the drive failed"))
    pci_vendor = _field(text, "PCI Vendor ID")
    pci_subsystem = _field(text, "PCI Vendor Subsystem ID")
    family = _clean(dev.family)
    if nvme:
        power_on_hours = attrs.powerOnHours
        percentage_used = attrs.percentageUsed
        media_errors = attrs.integrityErrors
        written, basis = _nvme_bytes_written(attrs.dataUnitsWritten)
        controller = controller_from_pci(pci_vendor, pci_subsystem)
    else:
        ata = dev.attributes
        devstat = _device_statistics(text)
        power_on_hours = _raw_int(ata[9]) if ata[9] is not None else devstat.get("Power-on Hours")
        percentage_used = devstat.get("Percentage Used Endurance Indicator")
        media_errors = _raw_int(ata[187]) if ata[187] is not None else None
        written, basis = _ata_bytes_written(dev, _logical_sector_size(text), devstat, ata[241])
        controller = None
    return SmartReadout(
        device=device,
        model=_clean(dev.model),
        serial=_clean(dev.serial),
        firmware=_clean(dev.firmware),
        capacity_bytes=dev.size or None,
        interface=interface,
        health=health,
        power_on_hours=power_on_hours,
        temperature_c=dev.temperature,
        percentage_used=percentage_used,
        media_errors=media_errors,
        host_bytes_written=written,
        bytes_written_basis=basis,
        device_type=device_type,
        family=family,
        pci_vendor_id=pci_vendor,
        pci_subsystem_vendor_id=pci_subsystem,
        controller=controller,
        smartctl_version=_smartctl_version(text),
        messages=tuple(messages),
        calls=tuple(calls),
    )


def _nvme_bytes_written(data_units: int | None) -> tuple[int | None, Message]:
    if data_units is None:
        return None, Message("unverified: the drive's SMART/Health log has no Data Units Written")
    return (
        data_units * NVME_DATA_UNIT,
        Message("NVMe Data Units Written {units:,} x 512,000 bytes", units=data_units),
    )


def _ata_bytes_written(dev, sector, devstat: dict[str, int], attribute_241) -> tuple[int | None, Message]:
    sectors = devstat.get("Logical Sectors Written")
    if sectors is not None and sector:
        return (
            sectors * sector,
            Message(
                "ATA Device Statistics Logical Sectors Written {sectors:,} x {sector} bytes",
                sectors=sectors,
                sector=sector,
            ),
        )
    if attribute_241 is None:
        return None, Message("unverified: no Device Statistics and no SMART attribute 241 on this drive")
    raw = _raw_int(attribute_241)
    unit = ata_write_unit(
        model=_clean(dev.model) or "",
        firmware=_clean(dev.firmware) or "",
        family=_clean(dev.family),
        attribute_name=attribute_241.name,
        logical_sector_size=sector,
    )
    if unit.bytes_per_unit is None or raw is None:
        return None, Message(
            "unverified: attribute 241 {name} = {raw}, {basis}",
            name=attribute_241.name,
            raw=attribute_241.raw,
            basis=unit.basis,
        )
    return (
        raw * unit.bytes_per_unit,
        Message(
            "SMART attribute 241 {name} {raw:,} x {unit:,} bytes ({basis})",
            name=attribute_241.name,
            raw=raw,
            unit=unit.bytes_per_unit,
            basis=unit.basis,
        ),
    )


_DEVSTAT_LINE = re.compile(r"0x[0-9a-f]{2}\s+0x[0-9a-f]{3}\s+\d+\s+(-|-?\d+)\s+\S*\s+(.+?)\s*")


def _device_statistics(text: str) -> dict[str, int]:
    """Valid values of `smartctl -l devstat`, by description ('-' marks no valid value)."""
    stats: dict[str, int] = {}
    for line in text.splitlines():
        match = _DEVSTAT_LINE.fullmatch(line)
        if match and match.group(1) != "-":
            stats.setdefault(match.group(2), int(match.group(1)))
    return stats


def _logical_sector_size(text: str) -> int | None:
    """From "Sector Size: 512 bytes logical/physical" or "Sector Sizes: 512 bytes logical, ..."

    (pySMART 1.4.3 reads only the second form.)
    """
    match = re.search(r"^Sector Sizes?:\s+(\d+) bytes logical", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def _raw_int(attribute) -> int | None:
    try:
        return attribute.raw_int
    except (TypeError, ValueError):
        return None


def _field(text: str, name: str) -> str | None:
    match = re.search(rf"^{re.escape(name)}:\s+(\S.*?)\s*$", text, re.MULTILINE)
    return strip_control(match.group(1)) if match else None


def _smartctl_version(text: str) -> str | None:
    match = re.match(r"smartctl (\S+)", text)
    return match.group(1) if match else None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return strip_control(value).strip() or None


# --- pySMART, imported once, on first use, without its side effects -----------------

_pysmart_modules: tuple[Any, type] | None = None
_pysmart_lock = threading.Lock()


def _pysmart() -> tuple[Any, type]:
    """pySMART and our Smartctl subclass.

    Importing pySMART sets LANG=C for the whole process and installs its own logger class
    for every logger created afterwards; both are undone here. Its warnings (such as
    "Detected encoding") would print over the TUI, so its logger gets a NullHandler.
    """
    global _pysmart_modules
    with _pysmart_lock:
        if _pysmart_modules is None:
            lang = os.environ.get("LANG")
            logger_class = logging.getLoggerClass()
            try:
                import pySMART
                from pySMART.smartctl import Smartctl
            finally:
                if lang is None:
                    os.environ.pop("LANG", None)
                else:
                    os.environ["LANG"] = lang
                logging.setLoggerClass(logger_class)
            log = logging.getLogger("pySMART")
            log.addHandler(logging.NullHandler())
            log.propagate = False
            _pysmart_modules = (pySMART, _evidence_smartctl_class(Smartctl))
        return _pysmart_modules


def _evidence_smartctl_class(smartctl_base: type) -> type:
    class _EvidenceSmartctl(smartctl_base):
        """pySMART's Smartctl with every call run by a reader, under one deadline, kept."""

        def __init__(self, reader, device, device_type, parse_as, timeout, deadline, calls):
            super().__init__(smartctl_path="smartctl", options=[], sudo=False)
            self.reader = reader
            self.device = device
            # pySMART is told `parse_as` (nvme for a USB-NVMe bridge); smartctl gets the real type.
            self.retype = {parse_as: device_type} if parse_as != device_type else {}
            self.timeout = timeout
            self.deadline = deadline
            self.calls: list[SmartctlCall] = calls  # shared with read_drive
            self.failure: SmartError | None = None

        def _exec(self, cmd):
            args = list(cmd[1:])  # cmd[0] is the placeholder program name
            for i, arg in enumerate(args[:-1]):
                if arg == "-d":
                    args[i + 1] = self.retype.get(args[i + 1], args[i + 1])
            try:
                call = _run(self.reader, args, self.device, self.timeout, self.deadline)
            except SmartError as exc:
                # pySMART swallows errors of its optional calls; keep the first for read_drive.
                self.failure = self.failure or exc
                raise
            self.calls.append(call)
            return self._decode_output(call.stdout), call.exit_status

    return _EvidenceSmartctl
