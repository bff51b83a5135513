"""The diagnosis of one claim: does the claimed drive really fail? (issue 20)

A warranty serves a product that fails under normal use (the policy's opening paragraph), so
before the decision the station looks for the failure on the drive itself: what SMART already
says (critical warnings, media errors, reallocated sectors), the drive's own self-test, and a
read-only read test. The technician concludes: fault confirmed (naming the evidence), no fault
found (after what was tried), or could not be tested (why). The conclusion is the claim's
`fault`, which policy.assess decides with; each test is recorded with its evidence.

Part of the door (workbench/case_flow.py): screens reach it as `flow.diagnosis`. Every method
that touches the drive or the database blocks: call it from a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.errors import InputError, WorkbenchError

if TYPE_CHECKING:
    from workbench.case_flow import CaseFlow
    from workbench.inspection.diagnosis import Finding as DriveFinding
    from workbench.inspection.read_test import ReadTest
    from workbench.inspection.selftest import SelfTestResult

# A running test tells the screen how far it is: percent done (None while the drive has not
# said) and the words to show.
Progress = Callable[[int | None, str], None]

# The technician's conclusions, as the contract spells them, and in the counter's words.
CONCLUSIONS = {
    "confirmed": "Fault confirmed: the failure shows on the drive",
    "not_found": "No fault found: the drive works",
    "untested": "Could not be tested",
}


# A self-test's outcome in the counter's words; the others keep smartctl's own message (why
# the drive has none, how it vanished).
SELF_TEST_WORDS = {"passed": "completed without error", "aborted": "stopped before its end (aborted)"}


@dataclass(frozen=True)
class TestRecord:
    """A test of this claim's drive as recorded: what it was and what it found, in words."""

    kind: str  # "self_test" or "read_test"
    outcome: str
    words: str  # one line for the screen and the ticket
    confirms_fault: bool
    tried: bool  # it ran to an end that says something about the drive


class Diagnosis:
    """The diagnosis of `flow`'s claim: the evidence, the tests run, the conclusion."""

    def __init__(self, flow: CaseFlow) -> None:
        self.flow = flow
        self.tests: list[TestRecord] = []  # this claim's tests, oldest first (load() reads the recorded ones)
        self.findings: list[DriveFinding] | None = None  # SMART's evidence, once load() has read it

    # -- the evidence SMART already holds ------------------------------------------------------

    def load(self) -> list[DriveFinding]:
        """What the drive's readout says in plain words (faults first; none when it was not
        read), and the tests already recorded on the case (a resumed claim)."""
        from workbench.inspection.diagnosis import diagnose

        readout = self.flow.latest_readout()
        self.findings = diagnose(readout) if readout is not None else []
        if self.flow.number is not None:
            view = self.flow.station.store.get_case(self.flow.number)
            self.tests = [recorded_test(t.kind, t.outcome, t.result) for t in view.diagnosis_tests]
        return self.findings

    # -- the drive's own self-test ------------------------------------------------------------

    def run_self_test(self, kind: str, progress: Progress, stop: threading.Event, poll_s: float) -> TestRecord:
        """The drive's own `kind` ("short" or "long") test, from its start to its outcome,
        asking the drive how far it is every `poll_s` seconds; `stop` set aborts it on the
        drive. The outcome is recorded with smartctl's output, whatever it is (a drive with no
        self-test, one that vanished mid-test: what was gathered stays as evidence)."""
        from workbench.inspection.selftest import SelfTestProgress, SelfTestResult, start_selftest

        readout = self._readout("self-test")
        reader, timeout = self.flow.station._reader()
        test = start_selftest(reader, readout.device, kind, device_type=readout.device_type or None, timeout=timeout)
        while not isinstance(test, SelfTestResult):
            if stop.wait(poll_s):
                return self.record_self_test(test.abort())
            state = test.poll()
            if isinstance(state, SelfTestResult):
                return self.record_self_test(state)
            assert isinstance(state, SelfTestProgress)
            done = "waiting for the drive to report" if state.percent_done is None else f"{state.percent_done} % done"
            left = "" if state.seconds_left is None else f", about {_duration(state.seconds_left)} left"
            progress(state.percent_done, f"Self-test running in the drive: {done}{left}.")
        return self.record_self_test(test)

    def record_self_test(self, result: SelfTestResult) -> TestRecord:
        """A self-test's outcome, with smartctl's own output as evidence."""
        data = result.to_dict()
        self.flow.station.store.record_diagnosis_test(
            self.flow._number(),
            "self_test",
            result.device,
            str(result.outcome),
            data,
            result.raw_output,
            seen=self.flow.seen,
        )
        record = recorded_test("self_test", str(result.outcome), data)
        self.tests.append(record)
        return record

    # -- the read test -------------------------------------------------------------------------

    def run_read_test(self, whole: bool, progress: Progress, stop: threading.Event) -> TestRecord:
        """A read-only read test of the claimed drive (a sample spread over the whole LBA range,
        or every block), recorded with the unreadable LBAs it found; `stop` set ends it early.
        The device is opened for reading only: the customer's data is theirs."""
        with self._read_test(whole) as test:
            while not test.progress().finished:
                if stop.is_set():
                    test.cancel()
                state = test.step()
                progress(
                    round(state.fraction * 100),
                    f"Read test (read-only): {state.fraction:.0%} read, {state.mb_per_s:,.0f} MB/s, "
                    f"{len(state.unreadable)} unreadable range(s) so far.",
                )
            return self.record_read_test(test)

    def _read_test(self, whole: bool) -> ReadTest:
        from workbench.inspection.bench_drives import find_disk, list_disks
        from workbench.inspection.read_test import ReadTest

        readout = self._readout("read test")
        if self.flow.station.training:
            raise WorkbenchError("read test: the training bench's drives are recordings; there is nothing to read")
        disk = find_disk(list_disks(), readout.device)
        if disk is None:
            raise WorkbenchError(f"read test: {readout.device} is not on this computer's list of disks now")
        if disk.own_disk:
            raise WorkbenchError(f"read test: {disk.device} is this computer's disk ({disk.own_reason})")
        return ReadTest(disk.device, whole=whole)

    def record_read_test(self, test: ReadTest) -> TestRecord:
        summary = test.summary()
        outcome = test.progress().outcome
        self.flow.station.store.record_diagnosis_test(
            self.flow._number(), "read_test", test.device, outcome, summary, seen=self.flow.seen
        )
        record = recorded_test("read_test", outcome, summary)
        self.tests.append(record)
        return record

    # -- the conclusion -----------------------------------------------------------------------

    def evidence_of_fault(self) -> list[str]:
        """What points at the drive itself, in words: SMART's findings and the tests' outcomes."""
        words = [f.sentence for f in self.findings or () if f.points_at_drive]
        words += [t.words for t in self.tests if t.confirms_fault]
        if self.flow.claim.drive is not None and self.flow.claim.drive.unreadable:
            words.append(f"the drive could not be read at the bench ({self.flow.claim.drive.unreadable})")
        return words

    def problem(self, fault: str, note: str) -> str | None:
        """Why this conclusion cannot stand as it is (one line naming the field), or None."""
        note = note.strip()
        if fault not in CONCLUSIONS:
            return "diagnosis: choose fault confirmed, no fault found or could not be tested"
        evidence = self.evidence_of_fault()
        if fault == "confirmed" and not evidence and not note:
            return (
                "diagnosis note: nothing recorded shows the fault; say how the customer's symptom "
                "was reproduced, or run a self-test or a read test"
            )
        if fault == "not_found":
            if not any(t.tried for t in self.tests):
                return "diagnosis: no fault found needs a test first (s short self-test, t read test)"
            if evidence and not note:
                return f"diagnosis note: the evidence shows a fault ({evidence[0]}); say why it is not the drive's"
        if fault == "untested" and not note:
            return "diagnosis note: say why the drive could not be tested"
        return None

    def conclude(self, fault: str, note: str) -> None:
        """The technician's conclusion into the claim (saved with the draft)."""
        problem = self.problem(fault, note)
        if problem is not None:
            field, _, why = problem.partition(": ")
            raise InputError(field, why)
        self.flow.update(fault=fault, fault_note=note.strip())

    def summary(self) -> str:
        """The diagnosis in one line, for the decision and the customer's ticket."""
        return summary_line(self.flow.claim.fault, [t.words for t in self.tests if t.tried], self.flow.claim.fault_note)

    def _readout(self, what: str) -> Any:
        readout = self.flow.latest_readout()
        if readout is None:
            raise WorkbenchError(f"{what}: the drive was not read at the SMART step, so there is no drive to test")
        if self.flow.claim.drive is not None and self.flow.claim.drive.unreadable:
            raise WorkbenchError(f"{what}: the drive is recorded as unreadable; read it again at the SMART step first")
        return readout


def summary_line(fault: str, tried: list[str], note: str = "") -> str:
    """What the diagnosis found, as the ticket tells the customer."""
    done = "; ".join(tried)
    if fault == "confirmed":
        return f"Fault confirmed: {done or note or 'the failure shows on the drive'}"
    if fault == "not_found":
        return f"No fault found after {_tests_named(tried)}: the drive is returned to you"
    return f"Not diagnosed: {note}" if note else "Not diagnosed"


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes >= 1 else f"{max(1, round(seconds))} s"


def _tests_named(tried: list[str]) -> str:
    names = [f"a {t.split(':', 1)[0].lower()}" for t in tried]
    return " and ".join(dict.fromkeys(names)) or "the tests"


def recorded_test(kind: str, outcome: str, result: dict[str, Any]) -> TestRecord:
    """A recorded test in words (from what the records hold, so a resumed case reads the same)."""
    if kind == "self_test":
        test = "Extended self-test" if result.get("kind") == "long" else "Short self-test"
        lba = result.get("failing_lba")
        if outcome == "failed" and isinstance(lba, int):
            message = f"read failure at LBA {lba:,}"
        else:
            message = SELF_TEST_WORDS.get(outcome) or str(result.get("message") or outcome).rstrip(".")
        return TestRecord(
            kind,
            outcome,
            f"{test}: {message}",
            confirms_fault=outcome == "failed",
            tried=outcome in ("passed", "failed"),
        )
    unreadable = result.get("unreadable") or []
    first = unreadable[0].get("first") if unreadable and isinstance(unreadable[0], dict) else None
    at = f", the first at LBA {first:,}" if isinstance(first, int) else ""
    mode = "Read test of the whole drive" if result.get("mode") == "whole" else "Read test"
    if outcome == "complete" and unreadable:
        words = f"{mode}: {len(unreadable)} unreadable range(s){at}"
    elif outcome == "complete":
        words = f"{mode}: every block read ({result.get('mb_per_s', 0)} MB/s)"
    else:
        words = f"{mode}: {outcome} ({result.get('problem') or 'stopped before the end'})"
    return TestRecord(
        kind, outcome, words, confirms_fault=bool(unreadable), tried=outcome == "complete" or bool(unreadable)
    )
