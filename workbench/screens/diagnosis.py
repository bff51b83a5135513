"""Step 5, diagnosis: does the claimed drive really fail? SMART's evidence in plain words, the
drive's own self-test and a read-only read test with their progress, and the technician's
conclusion (fault confirmed, no fault found, could not be tested)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, ProgressBar, RadioSet, Static

from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.step import StepScreen
from workbench.screens.widgets import Choice, Gauge, words
from workbench.words.language import _, spoken
from workbench.words.text import strip_control
from workbench.words.vocabulary import CONCLUSIONS

if TYPE_CHECKING:
    from workbench.door.case_diagnosis import TestRecord

FAULTS = tuple(CONCLUSIONS)


class DiagnosisScreen(StepScreen):
    STEP = "diagnosis"
    AUTO_FOCUS = "#conclusion"  # not the scrolling body (see IntakeScreen); the test keys work from here
    BINDINGS = [
        Binding("s", "self_test('short')", "Short test"),
        Binding("e", "self_test('long')", "Long test"),
        Binding("t", "read_test(False)", "Read"),
        Binding("w", "read_test(True)", "Read all"),
    ]

    def body(self) -> ComposeResult:
        yield Static(_("Reading the evidence…"), id="evidence", markup=False)
        yield Static("", id="tests", markup=False)
        yield Gauge(total=100, show_eta=False, id="test-progress")
        yield Static("", id="test-status", markup=False)
        fault = self.flow.claim.fault if self.flow.claim.fault != "untested" or self.flow.claim.fault_note else None
        with RadioSet(id="conclusion"):
            for key, conclusion in CONCLUSIONS.items():
                yield Choice(_(conclusion), value=key == fault)
        yield Input(
            self.flow.claim.fault_note,
            id="fault_note",
            placeholder=_("what was tried, the symptom reproduced, or why it could not be tested"),
            max_length=500,
        )

    def on_mount(self) -> None:
        self._test_running: str | None = None  # "self_test" or "read_test" while one runs
        self._stop = threading.Event()  # set to abort the running test
        self.query_one("#test-progress").display = False
        self._gather()

    # -- the evidence --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="diagnosis-evidence")
    def _gather(self) -> None:
        try:
            findings = self.flow.diagnosis.load()
        except ONE_LINE_ERRORS as exc:
            self.app.call_from_thread(
                self._status, _("The evidence could not be read: {problem}").format(problem=spoken(exc))
            )
            return
        self.app.call_from_thread(self._show_evidence, findings)

    def _show_evidence(self, findings: list[Any]) -> None:
        drive = self.flow.claim.drive
        if drive is None or drive.unreadable:
            head = _("The drive could not be read at the SMART step: {reason}.").format(
                reason=words(drive.unreadable) if drive else _("not read")
            )
        else:
            head = _("Drive {device}: {model}, serial {serial}, SMART health {health}.").format(
                device=drive.device, model=drive.model, serial=drive.serial, health=drive.health or "—"
            )
        lines = [head]
        lines += [f"{'✖' if f.points_at_drive else '·'} {words(f.sentence)}" for f in findings]
        if drive is not None and not drive.unreadable and not any(f.points_at_drive for f in findings):
            lines.append(_("Nothing in SMART points at the drive: run a test before concluding (s, e, t, w)."))
        self.query_one("#evidence", Static).update(strip_control("\n".join(lines), keep_newlines=True))
        self._show_tests()

    def _show_tests(self) -> None:
        tests: list[TestRecord] = self.flow.diagnosis.tests
        lines = [f"{'✖' if t.confirms_fault else '✔' if t.tried else '·'} {words(t.words)}" for t in tests]
        self.query_one("#tests", Static).update(
            strip_control("\n".join(lines), keep_newlines=True) or _("No test run yet: s short self-test, t read test.")
        )

    def _status(self, text: str) -> None:
        self.query_one("#test-status", Static).update(text)

    # -- the tests: one at a time, in a worker; Escape stops it ---------------------------------

    def action_self_test(self, kind: str) -> None:
        starting = (
            _("Starting the drive's extended self-test…")
            if kind == "long"
            else _("Starting the drive's short self-test…")
        )
        self._run("self_test", starting, kind)

    def action_read_test(self, whole: bool) -> None:
        self._run("read_test", _("Opening the drive for reading only…"), whole)

    def _run(self, test: str, starting: str, choice: str | bool) -> None:
        if self._test_running is not None:
            self.notify(_("A test is running: wait for it, or Escape to stop it."), markup=False)
            return
        self._test_running = test
        self._stop.clear()
        self._status(starting)
        self._test(test, choice)

    @work(thread=True, exclusive=True, group="diagnosis-test")
    def _test(self, test: str, choice: str | bool) -> None:
        diagnosis = self.flow.diagnosis
        progress = self._reporter()
        try:
            if test == "self_test":
                poll_s = self.station.self_test_poll_seconds
                diagnosis.run_self_test(str(choice), progress, self._stop, poll_s)
            else:
                diagnosis.run_read_test(bool(choice), progress, self._stop)
        except ONE_LINE_ERRORS as exc:
            self.app.call_from_thread(self._test_done, spoken(exc))
            return
        self.app.call_from_thread(self._test_done, None)

    def _reporter(self) -> Callable[[int | None, str], None]:
        """How a worker's test shows its progress: on the UI thread, only when it changed."""
        shown: list[tuple[int | None, str]] = []

        def report(percent: int | None, words: str) -> None:
            if shown[-1:] != [(percent, words)]:
                shown[:] = [(percent, words)]
                self.app.call_from_thread(self._progress, percent, words)

        return report

    def _progress(self, percent: int | None, progress: str) -> None:
        bar = self.query_one("#test-progress", ProgressBar)
        bar.display = True
        bar.update(progress=percent or 0)
        self._status(_("{progress} Escape stops it.").format(progress=words(progress)))

    def _test_done(self, problem: str | None) -> None:
        self._test_running = None
        self.query_one("#test-progress").display = False
        last = words(self.flow.diagnosis.tests[-1].words) if self.flow.diagnosis.tests else ""
        self._status(problem or _("{test}: conclude below, then Ctrl+N.").format(test=last))
        self._show_tests()

    def busy(self) -> bool:
        if self._test_running is not None:
            self.notify(_("A test is running: wait for it, or Escape to stop it."), markup=False)
        elif self.flow.diagnosis.findings is None:
            self.notify(_("The evidence is still being read."), markup=False)
        return self._test_running is not None or self.flow.diagnosis.findings is None

    def action_back(self) -> None:
        """Escape stops a running test (asked first: the drive's own test is then aborted)."""
        if self._test_running is None:
            super().action_back()
            return
        from workbench.screens.ask import Ask

        self_test = self._test_running == "self_test"

        def answered(stop: bool | None) -> None:
            if stop and self._test_running is not None:
                self._status(_("Stopping the drive's self-test…") if self_test else _("Stopping the read test…"))
                self._stop.set()

        self.app.push_screen(
            Ask(
                _("Stop the drive's self-test?") if self_test else _("Stop the read test?"),
                _("What it found so far is recorded as evidence. Enter stops it; Escape lets it run."),
                dialog_id="stop-test-dialog",
            ),
            answered,
        )

    # -- the conclusion ------------------------------------------------------------------------

    @on(Input.Changed, "#fault_note")
    @on(RadioSet.Changed, "#conclusion")
    def _concluded(self) -> None:
        self.changed()

    def _conclusion(self) -> str:
        pressed = self.query_one("#conclusion", RadioSet).pressed_index
        return FAULTS[pressed] if pressed >= 0 else ""

    def keep_input(self) -> None:
        fault = self._conclusion()
        note = self.query_one("#fault_note", Input).value.strip()
        self.flow.update(fault=fault or "untested", fault_note=note)

    def leave(self) -> Callable[[], bool] | None:
        fault, note = self._conclusion(), self.query_one("#fault_note", Input).value
        problem = self.flow.diagnosis.problem(fault, note)
        if problem is not None:
            self.problem(words(problem))
            return None
        self.flow.diagnosis.conclude(fault, note)
        return super().leave()
