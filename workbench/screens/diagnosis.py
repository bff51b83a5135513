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

from workbench.door.case_diagnosis import CONCLUSIONS
from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.step import StepScreen
from workbench.screens.widgets import Choice, Gauge
from workbench.words.text import strip_control

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
        yield Static("Reading the evidence…", id="evidence", markup=False)
        yield Static("", id="tests", markup=False)
        yield Gauge(total=100, show_eta=False, id="test-progress")
        yield Static("", id="test-status", markup=False)
        fault = self.flow.claim.fault if self.flow.claim.fault != "untested" or self.flow.claim.fault_note else None
        with RadioSet(id="conclusion"):
            for key, words in CONCLUSIONS.items():
                yield Choice(words, value=key == fault)
        yield Input(
            self.flow.claim.fault_note,
            id="fault_note",
            placeholder="what was tried, the symptom reproduced, or why it could not be tested",
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
            self.app.call_from_thread(self._status, f"The evidence could not be read: {exc}")
            return
        self.app.call_from_thread(self._show_evidence, findings)

    def _show_evidence(self, findings: list[Any]) -> None:
        drive = self.flow.claim.drive
        if drive is None or drive.unreadable:
            head = f"The drive could not be read at the SMART step: {drive.unreadable if drive else 'not read'}."
        else:
            head = f"Drive {drive.device}: {drive.model}, serial {drive.serial}, SMART health {drive.health or '—'}."
        lines = [head]
        lines += [f"{'✖' if f.points_at_drive else '·'} {f.sentence}" for f in findings]
        if drive is not None and not drive.unreadable and not any(f.points_at_drive for f in findings):
            lines.append("Nothing in SMART points at the drive: run a test before concluding (s, e, t, w).")
        self.query_one("#evidence", Static).update(strip_control("\n".join(lines), keep_newlines=True))
        self._show_tests()

    def _show_tests(self) -> None:
        tests: list[TestRecord] = self.flow.diagnosis.tests
        lines = [f"{'✖' if t.confirms_fault else '✔' if t.tried else '·'} {t.words}" for t in tests]
        self.query_one("#tests", Static).update(
            strip_control("\n".join(lines), keep_newlines=True) or "No test run yet: s short self-test, t read test."
        )

    def _status(self, text: str) -> None:
        self.query_one("#test-status", Static).update(text)

    # -- the tests: one at a time, in a worker; Escape stops it ---------------------------------

    def action_self_test(self, kind: str) -> None:
        words = "extended" if kind == "long" else "short"
        self._run("self_test", f"Starting the drive's {words} self-test…", kind)

    def action_read_test(self, whole: bool) -> None:
        self._run("read_test", "Opening the drive for reading only…", whole)

    def _run(self, test: str, starting: str, choice: str | bool) -> None:
        if self._test_running is not None:
            self.notify("A test is running: wait for it, or Escape to stop it.", markup=False)
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
            self.app.call_from_thread(self._test_done, str(exc))
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

    def _progress(self, percent: int | None, words: str) -> None:
        bar = self.query_one("#test-progress", ProgressBar)
        bar.display = True
        bar.update(progress=percent or 0)
        self._status(f"{words} Escape stops it.")

    def _test_done(self, problem: str | None) -> None:
        self._test_running = None
        self.query_one("#test-progress").display = False
        last = self.flow.diagnosis.tests[-1].words if self.flow.diagnosis.tests else ""
        self._status(problem or f"{last}: conclude below, then Ctrl+N.")
        self._show_tests()

    def busy(self) -> bool:
        if self._test_running is not None:
            self.notify("A test is running: wait for it, or Escape to stop it.", markup=False)
        elif self.flow.diagnosis.findings is None:
            self.notify("The evidence is still being read.", markup=False)
        return self._test_running is not None or self.flow.diagnosis.findings is None

    def action_back(self) -> None:
        """Escape stops a running test (asked first: the drive's own test is then aborted)."""
        if self._test_running is None:
            super().action_back()
            return
        from workbench.screens.ask import Ask

        what = "the drive's self-test" if self._test_running == "self_test" else "the read test"

        def answered(stop: bool | None) -> None:
            if stop and self._test_running is not None:
                self._status(f"Stopping {what}…")
                self._stop.set()

        self.app.push_screen(
            Ask(
                f"Stop {what}?",
                "What it found so far is recorded as evidence. Enter stops it; Escape lets it run.",
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
            self.problem(problem)
            return None
        self.flow.diagnosis.conclude(fault, note)
        return super().leave()
