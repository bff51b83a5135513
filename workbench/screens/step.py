"""What every step of a claim shares: its heading, Back and Next, and saving the draft."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Header, Static

from workbench.door.case_flow import CaseFlow
from workbench.errors import ONE_LINE_ERRORS, StaleCase
from workbench.screens.base import WorkbenchScreen
from workbench.screens.footer import KeysFooter
from workbench.words.language import _, spoken
from workbench.words.vocabulary import STEP_TITLES, STEPS, step_after, step_before


class StepScreen(WorkbenchScreen):
    """A step of the current claim. Subclasses compose `body()` and implement `leave()`."""

    STEP = "intake"
    BINDINGS = [
        Binding("ctrl+n", "next", "Next"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, flow: CaseFlow) -> None:
        super().__init__()
        # The screen keeps its own claim: a save still pending when the technician has
        # moved on belongs to this case, whatever the app is showing by then.
        self.flow = flow

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._title_text(), id="step-title", markup=False)
        with VerticalScroll(id="step-body"):
            yield from self.body()
        yield KeysFooter()

    def body(self) -> ComposeResult:
        yield from ()

    def leave(self) -> Callable[[], bool] | None:
        """Check this step's input on screen. Returns what records it (run off the UI thread;
        it returns False when the case goes no further now), or None, after telling the
        technician why, to stay on the step."""
        return _goes_on

    def keep_input(self) -> None:
        """Put what is on screen into the draft (before a save, and before going back)."""

    def busy(self) -> bool:
        return False

    def problem(self, message: str) -> None:
        self.notify(message, severity="error", markup=False, timeout=10)

    def waits(self) -> None:
        """The case goes no further now (e.g. it waits for a supervisor): say so, back home."""
        self.workbench.finish_claim()

    # -- saving: every change reaches the case draft after a short pause in typing, and at
    # once on leaving the step or on hang-up, so a crash loses at most the field being typed.
    # The database may be busy (another technician's long write): writes run in workers,
    # one at a time (CaseFlow serialises them), and the screen says what it waits for while
    # typing goes on.
    SAVE_AFTER_S = 0.4
    _save_timer: Timer | None = None
    _writes = 0  # writes under way, counted on the UI thread
    _waiting_since = 0.0
    _waiting_timer: Timer | None = None
    _leaving = False

    def changed(self) -> None:
        """Call when the technician changed something on this step: the claim follows the
        screen at once (so it knows what is not saved yet); the write waits for a pause."""
        self.keep_input()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(self.SAVE_AFTER_S, self.save_now)

    def _cancel_pending_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    def save_now(self) -> None:
        """What is on screen, into the draft, without waiting for the database."""
        self._cancel_pending_save()
        if not self.is_attached:
            # A step already left put its input in the draft as it went; a save still due
            # writes into its own case, with no screen left to report to.
            try:
                self.flow.save()
            except ONE_LINE_ERRORS:
                pass
            return
        self.keep_input()
        self._write(self.flow.save, _("draft not saved: {problem}"))

    def save_draft_now(self) -> None:
        """The same, waiting for it: the app is about to end (hang-up, Ctrl+Q)."""
        self._cancel_pending_save()
        if self.is_attached:
            self.keep_input()
        self.flow.save()

    def action_next(self) -> None:
        if self.busy() or self._leaving:
            return
        self._cancel_pending_save()  # leaving writes everything at once
        record = self.leave()
        if record is None:
            return
        following = step_after(self.STEP)

        def leave_step() -> Callable[[], None]:
            if not record():
                return self.waits
            self.flow.save(following)
            return lambda: self.workbench.show_step(following)

        self._leaving = True
        self._write(leave_step, "")

    def action_back(self) -> None:
        """One step back, keeping everything entered; from the first step, to the home screen."""
        self.go_to(None if self.STEP == STEPS[0] else step_before(self.STEP))

    def go_to(self, step: str | None) -> None:
        """Leave for another step of this claim, or home (None), once everything entered is
        in the draft, which then resumes at that step (Back, and the command palette)."""
        if self._leaving:
            return
        self._cancel_pending_save()  # leaving writes everything at once
        self.keep_input()

        def go() -> Callable[[], None]:
            self.flow.save(step or self.STEP)
            return self.workbench.finish_claim if step is None else lambda: self.workbench.show_step(step)

        self._leaving = True
        self._write(go, "")

    def _write(self, work: Callable[[], object], failed: str) -> None:
        """Run a database write in a worker; a callable it returns is then run on the UI thread.
        `failed` says what failed, in the session's words, with the error in its {problem} field."""
        self._writes += 1
        if self._writes == 1:
            self._waiting_since = time.monotonic()
            self._waiting_timer = self.set_interval(1.0, self._show_waiting)
        self._writer(work, failed)

    @work(thread=True, group="write")
    def _writer(self, work: Callable[[], object], failed: str) -> None:
        try:
            then = work()
        except StaleCase as exc:  # another session decided or withdrew it: show it as it now stands
            stale = exc
            self.app.call_from_thread(self._written, lambda: self.workbench.show_case_as_it_stands(stale), None)
            return
        except ONE_LINE_ERRORS as exc:  # e.g. read-only, or busy past the retries: the input stays on screen
            message = failed.format(problem=spoken(exc)) if failed else spoken(exc)
            self.app.call_from_thread(self._written, None, message)
            return
        self.app.call_from_thread(self._written, then if callable(then) else None, None)

    def _written(self, then: Callable[[], None] | None, problem: str | None) -> None:
        self._writes -= 1
        if self._writes == 0:
            if self._waiting_timer is not None:
                self._waiting_timer.stop()
                self._waiting_timer = None
            self._show_title(self._title_text())  # with the case's number once the first save made it
        if problem is not None:
            self._leaving = False
            self.notify(problem, severity="error", markup=False, timeout=15)
        elif then is not None:
            self._leaving = False
            then()

    def _show_waiting(self) -> None:
        waited = time.monotonic() - self._waiting_since
        if waited >= 1.0:
            self._show_title(
                _("{title} · saving… the database is busy, {seconds} s").format(
                    title=self._title_text(), seconds=f"{waited:.0f}"
                )
            )

    _shown_title = ""

    def _show_title(self, text: str) -> None:
        if text != self._shown_title and self.is_attached:
            self._shown_title = text
            self.query_one("#step-title", Static).update(text)

    def _title_text(self) -> str:
        index = STEPS.index(self.STEP) + 1
        return _("Step {index}/{count} · {step} · {case}").format(
            index=index, count=len(STEPS), step=_(STEP_TITLES[self.STEP]), case=self.flow.number or _("new case")
        )


def _goes_on() -> bool:
    return True
