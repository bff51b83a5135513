"""What every step of a claim shares: its heading, Back and Next, and saving the draft."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from workbench.case_flow import CaseFlow
from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.base import WorkbenchScreen
from workbench.vocabulary import STEP_TITLES, STEPS, step_after, step_before


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
        number = self.flow.number or "new case"
        index = STEPS.index(self.STEP) + 1
        yield Static(f"Step {index}/{len(STEPS)} · {STEP_TITLES[self.STEP]} · {number}", id="step-title",
                     markup=False)
        with VerticalScroll(id="step-body"):
            yield from self.body()
        yield Footer()

    def body(self) -> ComposeResult:
        yield from ()

    def leave(self) -> bool:
        """Record this step's input; False (after telling the technician why) to stay."""
        return True

    # Every change reaches the case draft after a short pause in typing (and at once on
    # leaving the step or on hang-up): a crash loses at most the field being typed.
    SAVE_AFTER_S = 0.4
    _save_timer = None

    def changed(self) -> None:
        """Call when the technician changed something on this step."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(self.SAVE_AFTER_S, self.save_now)

    def _cancel_pending_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    def save_now(self) -> None:
        self._cancel_pending_save()
        if self.is_attached:  # a step already left put its input in the draft as it went
            self.keep_input()
        try:
            self.flow.save()
        except ONE_LINE_ERRORS as exc:  # e.g. the database is busy or read-only: the input stays on screen
            self.notify(f"draft not saved: {exc}", severity="error", markup=False)

    def action_next(self) -> None:
        if self.busy():
            return
        self._cancel_pending_save()  # leaving writes everything at once
        try:
            if not self.leave():
                return
            following = step_after(self.STEP)
            self.flow.save(following)
        except ONE_LINE_ERRORS as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=15)
            return
        self.workbench.show_step(following)

    def action_back(self) -> None:
        """One step back, keeping everything entered; from the first step, to the home screen."""
        self._cancel_pending_save()  # leaving writes everything at once
        try:
            self.keep_input()
            if self.STEP == STEPS[0]:
                self.flow.save()
                self.workbench.finish_claim()
                return
            previous = step_before(self.STEP)
            self.flow.save(previous)
        except ONE_LINE_ERRORS as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=15)
            return
        self.workbench.show_step(previous)

    def keep_input(self) -> None:
        """Put what is on screen into the draft before going back."""

    def busy(self) -> bool:
        return False

    def problem(self, message: str) -> bool:
        self.notify(message, severity="error", markup=False, timeout=10)
        return False
