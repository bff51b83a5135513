"""A decided case at the counter: repair or replacement, ready for pickup, hand-back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.base import WorkbenchScreen
from workbench.screens.footer import KeysFooter
from workbench.words.case_text import after_decision_lines
from workbench.words.language import _, spoken
from workbench.words.text import strip_control
from workbench.words.vocabulary import VERDICT_WORDS, state_words

if TYPE_CHECKING:
    from workbench.door.case_flow import CaseView

# Which keys each state offers (the footer shows only these); a covered case just decided
# waits for the choice of repair or replacement.
ACTIONS = {
    ("decided", "covered"): ("repair", "wait_stock", "replace"),
    ("awaiting_repair", "covered"): ("repaired", "wait_stock", "replace"),
    ("awaiting_stock", "covered"): ("replace", "repair"),
    ("decided", "not_covered"): ("ready",),
    ("decided", "refused"): ("ready",),
    ("ready", "covered"): ("hand_back",),
    ("ready", "not_covered"): ("hand_back",),
    ("ready", "refused"): ("hand_back",),
}
CASE_ACTIONS = {action for actions in ACTIONS.values() for action in actions}


class CaseScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "repair", "Repair"),
        Binding("w", "wait_stock", "Await stock"),
        Binding("x", "replace", "Replacement"),
        Binding("d", "repaired", "Repaired"),
        Binding("k", "ready", "Ready for pickup"),
        Binding("b", "hand_back", "Hand back"),
        Binding("h", "history", "Whole case"),
    ]

    def __init__(self, number: str, *, by_ticket: bool = False, notice: str = "") -> None:
        super().__init__()
        self.number = number
        self.by_ticket = by_ticket  # opened by scanning the customer's ticket
        self.notice = strip_control(notice)  # what a scanned ticket said: data
        self.view: CaseView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(self.notice, id="case-notice", classes="problems", markup=False)
            yield Static(_("Reading the case…"), id="case-state", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#case-notice").display = bool(self.notice)
        self._load()

    @work(thread=True, exclusive=True, group="case")
    def _load(self) -> None:
        try:
            view = self.station.case(self.number)
        except ONE_LINE_ERRORS as exc:
            problem = spoken(exc)
            self.app.call_from_thread(self.query_one("#case-state", Static).update, problem)
            return
        self.app.call_from_thread(self._shown, view)

    def _shown(self, view: CaseView) -> None:
        self.view = view
        s = view.summary
        verdict = s.verdict or ""
        lines = [
            _("Case {number}: {state}").format(number=s.number, state=_(state_words(s.status, s.verdict)).upper()),
            _(VERDICT_WORDS[verdict]) if verdict in VERDICT_WORDS else verdict or _("not decided"),
            _("Customer {customer}; drive {model} {capacity} GB, serial {serial}").format(
                customer=s.customer_name, model=s.model, capacity=view.fields.get("capacity_gb", "?"), serial=s.serial
            ),
            *after_decision_lines(view),
            "",
            self._next_words(),
        ]
        self.query_one("#case-state", Static).update("\n".join(strip_control(line) for line in lines))
        self.refresh_bindings()

    def _next_words(self) -> str:
        offered = self._offered()
        words = {
            "repair": _("r: it goes for repair"),
            "wait_stock": _("w: waiting for replacement stock"),
            "replace": _("x: scan the replacement drive"),
            "repaired": _("d: repair done, ready for pickup"),
            "ready": _("k: ready for pickup"),
            "hand_back": _("b: the customer collects"),
        }
        if not offered:
            return _("Nothing more to do at the counter for this case.")
        # Translators: what separates the things a case can do next ("r: ...; w: ...").
        return _("Next: {actions}.").format(actions=_("; ").join(words[a] for a in offered))

    def _offered(self) -> tuple[str, ...]:
        if self.view is None:
            return ()
        s = self.view.summary
        return ACTIONS.get((s.status, s.verdict or ""), ())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in CASE_ACTIONS:
            return action in self._offered()
        return True

    # -- the actions --------------------------------------------------------------------------

    def action_repair(self) -> None:
        self._change(lambda: self.station.move(self.number, "awaiting_repair"))

    def action_wait_stock(self) -> None:
        self._change(lambda: self.station.move(self.number, "awaiting_stock"))

    def action_repaired(self) -> None:
        self._change(lambda: self.station.move(self.number, "ready", "repair done"))

    def action_ready(self) -> None:
        self._change(lambda: self.station.move(self.number, "ready"))

    def action_replace(self) -> None:
        from workbench.screens.replacement import ReplacementDialog, ReplacementDrive

        if self.view is None:
            return
        fields = self.view.fields

        def record(drive: ReplacementDrive) -> None:
            self.station.record_replacement(
                self.number, drive.serial, drive.model, drive.capacity_gb, drive.substitution_reason
            )

        dialog = ReplacementDialog(str(fields.get("model") or ""), str(fields.get("capacity_gb") or ""), record)
        self.app.push_screen(dialog, self._recorded)

    def action_hand_back(self) -> None:
        from workbench.screens.hand_back import HandBack, HandBackDialog

        if self.view is None:
            return
        replacement = self.view.replacement

        def record(hand_back: HandBack) -> None:
            self.station.record_hand_back(
                self.number,
                hand_back.collected_by,
                hand_back.id_checked,
                hand_back.drive_serial,
                by_ticket=self.by_ticket,
                id_check_reason=hand_back.id_check_reason,
            )

        dialog = HandBackDialog(self.view.summary.customer_name, replacement is not None, record)
        self.app.push_screen(dialog, self._recorded)

    def _recorded(self, recorded: bool | None) -> None:
        if recorded:
            self._change(lambda: None)  # shows the case as it is now

    def action_back(self) -> None:
        self.app.pop_screen()
        refresh = getattr(self.app.screen, "refresh_cases", None)
        if refresh is not None:  # the home screen's lists show the case's new state
            refresh()

    def action_history(self) -> None:
        self.workbench.show_history(self.number)

    def _change(self, change: Callable[[], None]) -> None:
        self.query_one("#case-state", Static).update(_("Saving…"))
        self._changer(change)

    @work(thread=True, exclusive=True, group="case")
    def _changer(self, change: Callable[[], None]) -> None:
        try:
            change()
            view = self.station.case(self.number)
        except ONE_LINE_ERRORS as exc:
            problem = spoken(exc)
            self.app.call_from_thread(self.notify, problem, severity="error", markup=False, timeout=15)
            self.app.call_from_thread(self._load)
            return
        self.app.call_from_thread(self._changed, view)

    def _changed(self, view: CaseView) -> None:
        state = _(state_words(view.summary.status, view.summary.verdict))
        self.notify(_("Case {number}: {state}.").format(number=self.number, state=state), markup=False)
        self._shown(view)
