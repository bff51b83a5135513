"""The drive's own self-test: started, followed and read through smartctl, evidence kept.

    test = start_selftest(reader, "/dev/sda", "short")   # or a SelfTestResult at once
    while isinstance(state := test.poll(), SelfTestProgress):
        ...                                              # show state.percent_done, wait
    state.outcome                                        # a SelfTestResult

A self-test runs inside the drive (it reads its own media and writes no user data); the
host starts it (`smartctl -d TYPE -t short|long DEV`), asks how it goes, one smartctl run
per poll (`-d TYPE -c -l selftest DEV`: the capabilities, the running test's state and
the self-test log) and may stop it (`-d TYPE -X DEV`). Every call blocks for as long as
smartctl takes and nothing sleeps in between: poll from a worker, at the pace the screen
chooses, and abort when the technician presses Escape.

NVMe self-tests need smartctl 7.4 or newer (NEWS 7.4: "'-t short', '-t long' and '-X':
NVMe support"; Debian 12's 7.3 has none) and a controller offering Device Self-test
(`Self_Test` among the Optional Admin Commands of `-c`). While an NVMe test runs, the log's
entry 0 is still the previous test: the `Self-test status:` line is read first.

smartctl's self-test logs are read here rather than through pySMART: pySMART 1.4.3 drops a
failed NVMe entry (`Completed: failed segments`, whose SCT and Code columns are one space
apart), which would hide exactly the result that matters.

The outcome's `message` and a progress's `time_left_basis` are English `Message`s (said in the
session's language with workbench.words.language.say); smartctl's words for a log entry
(`status`) are kept as they are, and quoted in the message as values.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from policy.message import Message
from workbench.errors import InputError
from workbench.inspection.errors import DriveAbsent, DriveUnresponsive, SmartctlFailed, SmartError, transcript
from workbench.inspection.said import said
from workbench.inspection.smart import (
    _DEVICE_NAME,
    _NVME_NODE,
    _detect_type,
    _first_message,
    _interface,
    _raise_for_open_failure,
    _run,
)
from workbench.inspection.smartctl import DEFAULT_TIMEOUT, SmartctlCall, SmartctlReader
from workbench.words.language import N_
from workbench.words.text import strip_control

KINDS = ("short", "long")
NVME_SHORT_TEST_SECONDS = 120  # NVMe Base Specification: a short device self-test takes 2 minutes or less
_RATE_AFTER_SECONDS = 10  # an NVMe test's pace is taken from its progress once it has run this long


class Outcome(StrEnum):
    PASSED = "passed"  # completed without error
    FAILED = "failed"  # the drive's own test found a fault
    ABORTED = "aborted"  # stopped by the host (smartctl -X)
    INTERRUPTED = "interrupted"  # a reset, a namespace or format change: it did not finish
    NOT_SUPPORTED = "not_supported"  # this drive (or this smartctl) has no self-test
    VANISHED = "vanished"  # the drive disappeared during the test
    UNKNOWN = "unknown"  # a status the workbench does not know; smartctl's words are kept


@dataclass(frozen=True)
class LogEntry:
    """One line of the drive's self-test log, newest first, in smartctl's words."""

    number: int
    kind: str  # "Short offline" (ATA), "Short" (NVMe)
    status: str
    power_on_hours: int
    failing_lba: int | None = None
    remaining_percent: int | None = None  # ATA
    segment: int | None = None  # NVMe


@dataclass(frozen=True)
class SelfTestProgress:
    """A test still running: how far, and how long the drive's own figures say is left."""

    device: str
    kind: str
    percent_done: int | None  # None while the drive has not yet reported the test
    seconds_left: float | None
    time_left_basis: str  # where seconds_left comes from, in words
    call: SmartctlCall = field(repr=False)


@dataclass(frozen=True)
class SelfTestResult:
    """How a self-test ended (or why there is none), with every smartctl call it took."""

    device: str
    kind: str
    outcome: Outcome
    message: str  # one plain-English line (a Message: say() says it in the session's language)
    status: str | None = None  # smartctl's words for the log entry, e.g. "Completed: read failure"
    failing_lba: int | None = None
    power_on_hours: int | None = None
    calls: tuple[SmartctlCall, ...] = field(default=(), repr=False)

    @property
    def confirms_fault(self) -> bool:
        return self.outcome is Outcome.FAILED

    @property
    def raw_output(self) -> bytes:
        return transcript(self.calls)

    def to_dict(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "kind": self.kind,
            "outcome": self.outcome.value,
            "message": self.message,
            "status": self.status,
            "failing_lba": self.failing_lba,
            "power_on_hours": self.power_on_hours,
            "calls": [{"args": list(c.args), "exit_status": c.exit_status} for c in self.calls],
            "said": said(message=self.message),
        }


@dataclass(frozen=True)
class _DriveState:
    """What one `-c -l selftest` run says."""

    supported: bool
    why_not: Message | None
    running: bool
    percent_done: int | None
    polling_minutes: dict[str, int]
    log: tuple[LogEntry, ...]


def start_selftest(
    reader: SmartctlReader,
    device: str,
    kind: str = "short",
    *,
    device_type: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    clock: Callable[[], float] = time.monotonic,
) -> SelfTest | SelfTestResult:
    """Start the drive's own `kind` test; a SelfTest to poll, or at once the result saying
    this drive has no self-test. A test already running is followed, not restarted.

    Blocking (two or three smartctl runs): call from a worker. Failures raise SmartError
    subclasses carrying the calls made (`.calls`), as read_drive's do.
    """
    if not _DEVICE_NAME.fullmatch(device) or ".." in device.split("/"):
        raise InputError(
            "device", Message("{device} is not a device path like /dev/sda or /dev/nvme0", device=repr(device))
        )
    if kind not in KINDS:
        raise InputError(
            "kind", Message("{kind} is not a self-test kind ({kinds})", kind=repr(kind), kinds=", ".join(KINDS))
        )
    calls: list[SmartctlCall] = []
    try:
        deadline = time.monotonic() + timeout
        if device_type is None:
            device_type = (
                "nvme" if _NVME_NODE.fullmatch(device) else _detect_type(reader, device, timeout, deadline, calls)
            )
        nvme = _interface(device, device_type)[1] == "nvme"
        test = SelfTest(reader, device, device_type, kind, nvme, timeout, clock, calls)
        check = test._call(["-c", "-l", "selftest"])
        _raise_for_open_failure(check, device)
        state = _parse(check, nvme)
        if not state.supported:
            return test._result(
                Outcome.NOT_SUPPORTED,
                Message("This drive has no self-test the bench can run: {why}.", why=state.why_not),
            )
        test.polling_minutes = state.polling_minutes
        test.baseline = state.log
        if state.running:
            test.already_running = True
            return test
        started = test._call(["-t", kind])
        _raise_for_open_failure(started, device)
        if "has begun" not in started.text:
            if "without aborting current test" in started.text:
                test.already_running = True
                return test
            raise SmartctlFailed(device, _first_message(started.text))
        test.started = clock()
        return test
    except SmartError as exc:
        exc.calls = tuple(calls)
        raise


class SelfTest:
    """One self-test on one drive, from its start to its outcome (see module doc)."""

    def __init__(self, reader, device, device_type, kind, nvme, timeout, clock, calls) -> None:
        self.reader = reader
        self.device = device
        self.device_type = device_type
        self.kind = kind
        self.nvme = nvme
        self.timeout = timeout
        self.clock = clock
        self.calls: list[SmartctlCall] = calls
        self.started = clock()
        self.already_running = False  # found running when asked to start; followed, not restarted
        self.seen_running = False  # once seen running, the log's newest entry is its result
        self.polling_minutes: dict[str, int] = {}
        self.baseline: tuple[LogEntry, ...] = ()

    def poll(self) -> SelfTestProgress | SelfTestResult:
        """One smartctl run: the progress of a test still running, or its outcome."""
        try:
            call = self._call(["-c", "-l", "selftest"])
            _raise_for_open_failure(call, self.device)
        except (DriveAbsent, DriveUnresponsive) as gone:
            return self._vanished(gone)
        except SmartError as exc:
            exc.calls = tuple(self.calls)
            raise
        state = _parse(call, self.nvme)
        if state.running:
            self.seen_running = True
            return self._progress(call, state.percent_done)
        if not state.log or (state.log == self.baseline and not self.seen_running):
            # Never seen running, nothing new in the log: the drive has not started it yet.
            return SelfTestProgress(
                self.device, self.kind, None, None, Message("the drive has not reported the test yet"), call
            )
        return self._outcome(state.log[0])

    def abort(self) -> SelfTestResult:
        """Stop the test (`smartctl -X`) and read how the drive recorded it."""
        try:
            call = self._call(["-X"])
            _raise_for_open_failure(call, self.device)
        except (DriveAbsent, DriveUnresponsive) as gone:
            return self._vanished(gone)
        except SmartError as exc:
            exc.calls = tuple(self.calls)
            raise
        after = self.poll()
        if isinstance(after, SelfTestResult):
            return after
        stopped = (
            Message("The long self-test was stopped before it finished.")
            if self.kind == "long"
            else Message("The short self-test was stopped before it finished.")
        )
        return self._result(Outcome.ABORTED, stopped, "abort sent")

    # --- internals -----------------------------------------------------------------

    def _call(self, options: list[str]) -> SmartctlCall:
        args = ["-d", self.device_type, *options, self.device]
        call = _run(self.reader, args, self.device, self.timeout, time.monotonic() + self.timeout)
        self.calls.append(call)
        return call

    def _result(self, outcome: Outcome, message: Message, status: str | None = None, **facts) -> SelfTestResult:
        return SelfTestResult(self.device, self.kind, outcome, message, status, calls=tuple(self.calls), **facts)

    def _vanished(self, gone: SmartError) -> SelfTestResult:
        return self._result(
            Outcome.VANISHED,
            Message(
                "The drive at {device} disappeared during the self-test (smartctl can no longer open it): "
                "check the cable or adapter; the test did not finish.",
                device=self.device,
            ),
            _first_message(self.calls[-1].text) if self.calls else str(gone),
        )

    def _progress(self, call: SmartctlCall, percent: int | None) -> SelfTestProgress:
        left: float | None = None
        basis: Message
        if percent is None:
            basis = Message("the drive reports no progress")
        elif not self.nvme:
            minutes = self.polling_minutes.get(self.kind)
            if minutes is None:
                basis = Message("the drive gives no polling time for this test")
            else:
                left = minutes * 60 * (100 - percent) / 100
                if self.kind == "long":
                    basis = Message(
                        "the drive's recommended polling time for an extended test, {minutes} min, x {left}% left",
                        minutes=minutes,
                        left=100 - percent,
                    )
                else:
                    basis = Message(
                        "the drive's recommended polling time for a short test, {minutes} min, x {left}% left",
                        minutes=minutes,
                        left=100 - percent,
                    )
        else:
            elapsed = self.clock() - self.started
            if percent > 0 and not self.already_running and elapsed >= _RATE_AFTER_SECONDS:
                left = elapsed * (100 - percent) / percent
                basis = Message(
                    "the drive's own progress: {percent}% in {seconds:.0f} s", percent=percent, seconds=elapsed
                )
            elif self.kind == "short":
                left = NVME_SHORT_TEST_SECONDS * (100 - percent) / 100
                basis = Message("NVMe allows a short self-test 2 minutes at most")
            else:
                basis = Message("smartctl reports no time for an NVMe extended self-test")
        return SelfTestProgress(self.device, self.kind, percent, left, basis, call)

    def _outcome(self, entry: LogEntry) -> SelfTestResult:
        outcome = _classify(entry.status, self.nvme)
        # The test, named as the subject of each sentence; smartctl's own words for the entry stay as they are.
        test = TEST_NAMES.get(self.kind, TEST_NAMES["short"])
        facts = {"test": Message(test), "status": entry.status}
        message: Message
        if outcome is Outcome.PASSED:
            message = Message("{test} completed without error.", test=Message(test))
        elif outcome is Outcome.FAILED:
            if entry.segment is not None and entry.failing_lba is not None:
                message = Message(
                    "{test} failed in segment {segment} at LBA {lba:,} (smartctl: {status}): "
                    "the drive found a fault in itself.",
                    segment=entry.segment,
                    lba=entry.failing_lba,
                    **facts,
                )
            elif entry.segment is not None:
                message = Message(
                    "{test} failed in segment {segment} (smartctl: {status}): the drive found a fault in itself.",
                    segment=entry.segment,
                    **facts,
                )
            elif entry.failing_lba is not None:
                message = Message(
                    "{test} failed at LBA {lba:,} (smartctl: {status}): the drive found a fault in itself.",
                    lba=entry.failing_lba,
                    **facts,
                )
            else:
                message = Message("{test} failed (smartctl: {status}): the drive found a fault in itself.", **facts)
        elif outcome is Outcome.ABORTED:
            message = Message(
                "{test} was stopped before it finished (smartctl: {status}); it says nothing about the drive.", **facts
            )
        elif outcome is Outcome.INTERRUPTED:
            message = Message("{test} was interrupted before it finished (smartctl: {status}); run it again.", **facts)
        else:
            message = Message("{test} ended with a status the workbench does not know (smartctl: {status}).", **facts)
        return self._result(
            outcome, message, entry.status, failing_lba=entry.failing_lba, power_on_hours=entry.power_on_hours
        )


# The test as the subject of an outcome's sentence, by kind (marked here, made a Message there).
TEST_NAMES = {"short": N_("The drive's short self-test"), "long": N_("The drive's long self-test")}

_ATA_STATUS = {
    "Completed without error": Outcome.PASSED,
    "Aborted by host": Outcome.ABORTED,
    "Interrupted (host reset)": Outcome.INTERRUPTED,
    "Fatal or unknown error": Outcome.FAILED,
}
_NVME_STATUS = {
    "Completed without error": Outcome.PASSED,
    "Aborted: Self-test command": Outcome.ABORTED,
    "Aborted: Controller Reset": Outcome.INTERRUPTED,
    "Aborted: Namespace removed": Outcome.INTERRUPTED,
    "Aborted: Format NVM command": Outcome.INTERRUPTED,
    "Aborted: unknown reason": Outcome.INTERRUPTED,
    "Aborted: sanitize operation": Outcome.INTERRUPTED,
    "Fatal or unknown test error": Outcome.FAILED,
    "Completed: unknown failed segment": Outcome.FAILED,
    "Completed: failed segments": Outcome.FAILED,
}


def _classify(status: str, nvme: bool) -> Outcome:
    known = (_NVME_STATUS if nvme else _ATA_STATUS).get(status)
    if known is not None:
        return known
    # ATA: "Completed: read failure", "... electrical failure", "... servo/seek failure", ...
    if not nvme and status.startswith("Completed: "):
        return Outcome.FAILED
    return Outcome.UNKNOWN


# smartctl 7.x prints its self-test logs with fixed formats (ataprint.cpp, nvmeprint.cpp):
#   ATA   "#%2u  %-19s %-29s %1d0%%  %8u         %s"
#   NVMe  "%2u   %-17s %-33s %9u %12s %5s %3s %3s %4s"
_ATA_ENTRY = re.compile(
    r"#\s*(?P<num>\d+)  (?P<kind>.{19}) (?P<status>.{29}) (?P<left>\d)0%\s+(?P<hours>\d+)\s+(?P<lba>\S+)\s*"
)
_NVME_ENTRY = re.compile(
    r"\s*(?P<num>\d+)   (?P<kind>.{17}) (?P<status>.{33}) +(?P<hours>\d+) +(?P<lba>\S+) +(?P<nsid>\S+)"
    r" +(?P<seg>\S+) +(?P<sct>\S+) +(?P<code>\S+)\s*"
)
_NVME_STATUS_LINE = re.compile(r"^Self-test status: (?P<what>.*?)(?: \((?P<pct>\d+)% completed\))?\s*$", re.MULTILINE)
_ATA_EXEC = re.compile(r"^Self-test execution status:\s+\(\s*(\d+)\)", re.MULTILINE)
_ATA_POLLING = re.compile(
    r"^(Short|Extended) self-test routine\s*\nrecommended polling time:\s+\(\s*(\d+)\) minutes", re.MULTILINE
)


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _parse(call: SmartctlCall, nvme: bool) -> _DriveState:
    text = call.text
    if nvme:
        return _parse_nvme(text)
    execution = _ATA_EXEC.search(text)
    value = int(execution.group(1)) if execution else 0
    running = value >> 4 == 15
    log = _log(text, _ATA_ENTRY, lambda m: {"remaining_percent": int(m["left"]) * 10})
    polling = {("short" if k == "Short" else "long"): int(v) for k, v in _ATA_POLLING.findall(text)}
    supported = re.search(r"^\s*Self-test supported\.", text, re.MULTILINE) is not None
    return _DriveState(
        supported,
        None if supported else Message("it does not offer SMART self-tests (smartctl: No Self-test supported)"),
        running,
        100 - (value & 15) * 10 if running else None,
        polling,
        log,
    )


def _parse_nvme(text: str) -> _DriveState:
    version = re.match(r"smartctl (\d+)\.(\d+)", text)
    if version and (int(version[1]), int(version[2])) < (7, 4):
        found = ".".join(version.groups())
        why = Message("smartctl {version} on this bench cannot run NVMe self-tests (7.4 or newer can)", version=found)
        return _DriveState(False, why, False, None, {}, ())
    admin = re.search(r"^Optional Admin Commands \(0x[0-9a-f]+\):(.*)$", text, re.MULTILINE)
    if "Self-tests not supported" in text or (admin and "Self_Test" not in admin.group(1).split()):
        why = Message("its controller does not offer Device Self-test (no Self_Test among its Optional Admin Commands)")
        return _DriveState(False, why, False, None, {}, ())
    status = _NVME_STATUS_LINE.search(text)
    running = bool(status) and not status["what"].startswith("No self-test")  # type: ignore[index]
    log = _log(text, _NVME_ENTRY, lambda m: {"segment": _number(m["seg"])})
    percent = int(status["pct"]) if running and status and status["pct"] else None
    return _DriveState(True, None, running, percent, {}, log)


def _log(
    text: str, entry: re.Pattern[str], kind_facts: Callable[[re.Match[str]], dict[str, Any]]
) -> tuple[LogEntry, ...]:
    """The self-test log's entries in `text`, one per line `entry` matches; `kind_facts` adds what
    only ATA (how much was left) or NVMe (the failing segment) says."""
    return tuple(
        LogEntry(
            int(m["num"]),
            strip_control(m["kind"].strip()),
            strip_control(m["status"].strip()),
            int(m["hours"]),
            _number(m["lba"]),
            **kind_facts(m),
        )
        for line in text.splitlines()
        if (m := entry.fullmatch(line))
    )
