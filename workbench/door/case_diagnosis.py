"""The diagnosis of one claim: does the claimed drive really fail? (issue 20)

A warranty serves a product that fails under normal use (the policy's opening paragraph), so
before the decision the station looks for the failure on the drive itself: what SMART already
says (critical warnings, media errors, reallocated sectors), the drive's own self-test, and a
read-only read test. The technician concludes: fault confirmed (naming the evidence), no fault
found (after what was tried), or could not be tested (why). The conclusion is the claim's
`fault`, which policy.assess decides with; each test is recorded with its evidence.

Part of the door (workbench/door/case_flow.py): screens reach it as `flow.diagnosis`. Every method
that touches the drive or the database blocks: call it from a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from workbench.errors import InputError, WorkbenchError
from workbench.words.diagnosis_text import TestRecord, recorded_test
from workbench.words.language import N_, _, ngettext, say, shown_number
from workbench.words.vocabulary import CONCLUSIONS

if TYPE_CHECKING:
    from db.lifecycle import Seen
    from db.store import CaseStore
    from workbench.claim_draft import ClaimDraft
    from workbench.inspection.diagnosis import Finding as DriveFinding
    from workbench.inspection.read_test import ReadTest
    from workbench.inspection.selftest import SelfTestResult
    from workbench.inspection.smart import SmartReadout
    from workbench.inspection.smartctl import SmartctlReader

# A running test tells the screen how far it is: percent done (None while the drive has not
# said) and the words to show.
Progress = Callable[[int | None, str], None]


class Bench(Protocol):
    """What the diagnosis asks of the station (workbench.door.case_flow.Station is it)."""

    training: bool

    @property
    def store(self) -> CaseStore: ...

    def smartctl(self) -> tuple[SmartctlReader, float]: ...


class ClaimOnTheBench(Protocol):
    """What the diagnosis asks of the claim being worked on (workbench.door.case_flow.CaseFlow is it)."""

    number: str | None
    seen: Seen
    claim: ClaimDraft

    @property
    def station(self) -> Bench: ...

    def latest_readout(self) -> SmartReadout | None: ...

    def update(self, **changes: Any) -> None: ...


class Diagnosis:
    """The diagnosis of `flow`'s claim: the evidence, the tests run, the conclusion."""

    def __init__(self, flow: ClaimOnTheBench) -> None:
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

        readout = self._readout(N_("self-test"))
        reader, timeout = self.flow.station.smartctl()
        test = start_selftest(reader, readout.device, kind, device_type=readout.device_type or None, timeout=timeout)
        while not isinstance(test, SelfTestResult):
            if stop.wait(poll_s):
                return self.record_self_test(test.abort())
            state = test.poll()
            if isinstance(state, SelfTestResult):
                return self.record_self_test(state)
            assert isinstance(state, SelfTestProgress)
            progress(state.percent_done, _self_test_progress(state.percent_done, state.seconds_left))
        return self.record_self_test(test)

    def record_self_test(self, result: SelfTestResult) -> TestRecord:
        """A self-test's outcome, with smartctl's own output as evidence."""
        data = result.to_dict()
        self.flow.station.store.record_diagnosis_test(
            self._case(),
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
                    ngettext(
                        "Read test (read-only): {percent} read, {speed} MB/s, {count} unreadable range(s) so far.",
                        "Read test (read-only): {percent} read, {speed} MB/s, {count} unreadable range(s) so far.",
                        len(state.unreadable),
                    ).format(
                        percent=f"{state.fraction:.0%}",
                        speed=shown_number(state.mb_per_s, 0),
                        count=len(state.unreadable),
                    ),
                )
            return self.record_read_test(test)

    def _read_test(self, whole: bool) -> ReadTest:
        from workbench.inspection.bench_drives import find_disk, list_disks
        from workbench.inspection.read_test import ReadTest

        readout = self._readout(N_("read test"))
        if self.flow.station.training:
            raise WorkbenchError(_("read test: the training bench's drives are recordings; there is nothing to read"))
        disk = find_disk(list_disks(), readout.device)
        if disk is None:
            raise WorkbenchError(
                _("read test: {device} is not on this computer's list of disks now").format(device=readout.device)
            )
        if disk.own_disk:
            raise WorkbenchError(
                _("read test: {device} is this computer's disk ({why})").format(
                    device=disk.device, why=say(disk.own_reason)
                )
            )
        return ReadTest(disk.device, whole=whole)

    def record_read_test(self, test: ReadTest) -> TestRecord:
        summary = test.summary()
        outcome = test.progress().outcome
        self.flow.station.store.record_diagnosis_test(
            self._case(), "read_test", test.device, outcome, summary, seen=self.flow.seen
        )
        record = recorded_test("read_test", outcome, summary)
        self.tests.append(record)
        return record

    # -- the conclusion -----------------------------------------------------------------------

    def evidence_of_fault(self) -> list[str]:
        """What points at the drive itself, in words: SMART's findings and the tests' outcomes."""
        words = [say(f.sentence) for f in self.findings or () if f.points_at_drive]
        words += [t.words for t in self.tests if t.confirms_fault]
        if self.flow.claim.drive is not None and self.flow.claim.drive.unreadable:
            words.append(
                _("the drive could not be read at the bench ({reason})").format(reason=self.flow.claim.drive.unreadable)
            )
        return words

    def problem(self, fault: str, note: str) -> str | None:
        """Why this conclusion cannot stand as it is (one line naming the field), or None."""
        found = self._problem(fault, note)
        return None if found is None else f"{found[0]}: {found[1]}"

    def _problem(self, fault: str, note: str) -> tuple[str, str] | None:
        """The field (in the person's words) and what is wrong with it, or None."""
        note = note.strip()
        if fault not in CONCLUSIONS:
            return _("diagnosis"), _("choose fault confirmed, no fault found or could not be tested")
        evidence = self.evidence_of_fault()
        if fault == "confirmed" and not evidence and not note:
            return _("diagnosis note"), _(
                "nothing recorded shows the fault; say how the customer's symptom "
                "was reproduced, or run a self-test or a read test"
            )
        if fault == "not_found":
            if not any(t.tried for t in self.tests):
                return _("diagnosis"), _("no fault found needs a test first (s short self-test, t read test)")
            if evidence and not note:
                return _("diagnosis note"), _(
                    "the evidence shows a fault ({evidence}); say why it is not the drive's"
                ).format(evidence=evidence[0])
        if fault == "untested" and not note:
            return _("diagnosis note"), _("say why the drive could not be tested")
        return None

    def conclude(self, fault: str, note: str) -> None:
        """The technician's conclusion into the claim (saved with the draft)."""
        problem = self._problem(fault, note)
        if problem is not None:
            raise InputError(*problem)
        self.flow.update(fault=fault, fault_note=note.strip())

    def _case(self) -> str:
        if self.flow.number is None:  # the flow saves the claim before its diagnosis step
            raise WorkbenchError(_("diagnosis: the claim is not saved yet, so there is no case to record the test in"))
        return self.flow.number

    def _readout(self, what: str) -> Any:
        """`what`: the test, as marked for the catalog (N_)."""
        readout = self.flow.latest_readout()
        if readout is None:
            raise WorkbenchError(
                _("{test}: the drive was not read at the SMART step, so there is no drive to test").format(test=_(what))
            )
        if self.flow.claim.drive is not None and self.flow.claim.drive.unreadable:
            raise WorkbenchError(
                _("{test}: the drive is recorded as unreadable; read it again at the SMART step first").format(
                    test=_(what)
                )
            )
        return readout


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes >= 1:
        return ngettext("{n} min", "{n} min", minutes).format(n=minutes)
    n = max(1, round(seconds))
    return ngettext("{n} s", "{n} s", n).format(n=n)


def _self_test_progress(percent: int | None, seconds_left: float | None) -> str:
    """A running self-test's line: how far it is, and about how long it has left, when the drive says."""
    if percent is None and seconds_left is None:
        return _("Self-test running in the drive: waiting for the drive to report.")
    if percent is None:
        return _("Self-test running in the drive: waiting for the drive to report, about {left} left.").format(
            left=_duration(seconds_left or 0)
        )
    if seconds_left is None:
        return _("Self-test running in the drive: {percent} % done.").format(percent=percent)
    return _("Self-test running in the drive: {percent} % done, about {left} left.").format(
        percent=percent, left=_duration(seconds_left)
    )
