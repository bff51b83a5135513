"""The home screen: the review queue, the interrupted drafts, the decided cases not yet
collected, and today's cases. A ticket scanned here (its QR text typed by the scanner, from
its first capital N) opens its case for the hand-back."""

from __future__ import annotations

from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from workbench.door import counter_date
from workbench.errors import ONE_LINE_ERRORS, InputError
from workbench.screens.base import WorkbenchScreen
from workbench.screens.footer import KeysFooter
from workbench.screens.widgets import words
from workbench.words.language import _, spoken
from workbench.words.text import plain, strip_control
from workbench.words.vocabulary import STEP_TITLES, code_words, state_words

SCAN_LIMIT = 4_000  # characters: a ticket's QR text is far shorter


class HomeScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("n", "new_claim", "New claim"),
        # Short labels: these six and the palette fit an 80-column footer.
        Binding("r", "resume", "Resume"),
        Binding("slash,s", "search", "Search"),
        Binding("h", "history", "History", show=False),  # the section title says so; Enter does it too
        Binding("p", "policy", "Policy"),
        Binding("f", "figures", "Figures"),
        Binding("k", "shipments", "Shipments", show=False),
        Binding("x", "withdraw", "Withdraw draft", show=False),  # named in the drafts' title
        Binding("g", "refresh_cases", "Refresh", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__(id="home")

    def compose(self) -> ComposeResult:
        yield Header()
        notice = Static("", id="policy-notice", classes="note", markup=False)
        notice.display = False  # until the policy is read, in the worker
        yield notice
        yield Static("", id="review-title", classes="section-title", markup=False)
        review: DataTable[Any] = DataTable(id="review", cursor_type="row", zebra_stripes=True)
        review.add_columns(_("Case"), _("Customer"), _("Why it waits"))
        yield review
        yield Static(
            _("Interrupted drafts (r resumes the highlighted one, x withdraws it)"),
            classes="section-title",
            markup=False,
        )
        drafts: DataTable[Any] = DataTable(id="drafts", cursor_type="row", zebra_stripes=True)
        drafts.add_columns(_("Case"), _("Step"), _("Serial"), _("Model"), _("Customer"), _("Technician"))
        yield drafts
        yield Static("", id="after-title", classes="section-title", markup=False)
        after: DataTable[Any] = DataTable(id="after", cursor_type="row", zebra_stripes=True)
        after.add_columns(_("Case"), _("State"), _("Serial"), _("Customer"))
        yield after
        yield Static(_("Today's cases (h shows the whole case)"), classes="section-title", markup=False)
        today: DataTable[Any] = DataTable(id="today", cursor_type="row", zebra_stripes=True)
        today.add_columns(_("Case"), _("State"), _("Verdict"), _("Serial"), _("Model"), _("Customer"))
        yield today
        yield Static(_("Opening the case records…"), id="home-status", classes="note", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.refresh_cases()

    _outcome = ""  # what became of the last claim, shown until the next one starts

    def refresh_cases(self, outcome: str = "") -> None:
        self._outcome = outcome
        self._load()

    @work(thread=True, exclusive=True, group="home")
    def _load(self) -> None:
        # Opening the database imports SQLAlchemy and may migrate: off the UI thread.
        try:
            drafts = self.station.drafts()
            today = self.station.cases_of(counter_date.today())
            review = self.station.review_queue()
            after = self.station.after_decision()
        except ONE_LINE_ERRORS as exc:
            self.app.call_from_thread(
                self._status, _("Case records unavailable: {problem}").format(problem=spoken(exc))
            )
            return
        try:
            notice = words(self.station.policy_notice())
        except ONE_LINE_ERRORS as exc:
            notice = _("Policy unavailable: {problem}").format(problem=spoken(exc))
        try:
            replica = words(self.station.replica_notice())
        except ONE_LINE_ERRORS as exc:
            replica = _("Replica unknown: {problem}").format(problem=spoken(exc))
        warnings = [
            _("Configuration: {problem}").format(problem=words(line)) for line in self.station.configuration_warnings
        ]
        self.app.call_from_thread(self._policy_notice, "\n".join(filter(None, [*warnings, replica, notice])))
        self.app.call_from_thread(self._show, drafts, today, review, after)

    def _policy_notice(self, text: str) -> None:
        notice = self.query_one("#policy-notice", Static)
        notice.update(text)
        notice.display = bool(text)

    def _status(self, text: str) -> None:
        # It quotes what a scanned ticket or the records say: data, cleaned here as well.
        self.query_one("#home-status", Static).update(strip_control(text))

    def _show(self, drafts, today, review, after) -> None:
        waiting = self.query_one("#review", DataTable)
        waiting.clear()
        for item in review:
            waiting.add_row(
                plain(item.summary.number),
                plain(item.summary.customer_name),
                plain(words(item.why)),
                key=item.summary.number,
            )
        title = self.query_one("#review-title", Static)
        title.update(
            _("Waiting for a supervisor: {count} (Enter reviews the case)").format(count=len(review))
            if self.station.is_supervisor
            else _("Your cases waiting for a supervisor: {count} (Enter shows the case)").format(count=len(review))
        )
        waiting.display = title.display = bool(review)
        table = self.query_one("#drafts", DataTable)
        table.clear()
        for c in drafts:
            table.add_row(
                plain(c.number),
                plain(_(STEP_TITLES[c.step]) if c.step in STEP_TITLES else c.step),
                plain(c.serial),
                plain(c.model),
                plain(c.customer_name),
                plain(c.technician),
                key=c.number,
            )
        open_cases = self.query_one("#after", DataTable)
        open_cases.clear()
        for c in after:
            open_cases.add_row(
                plain(c.number),
                plain(words(state_words(c.status, c.verdict))),
                plain(c.serial),
                plain(c.customer_name),
                key=c.number,
            )
        after_title = self.query_one("#after-title", Static)
        after_title.update(
            _("Decided, not yet collected: {count} (Enter opens; scan a ticket to hand back)").format(count=len(after))
        )
        open_cases.display = after_title.display = bool(after)
        listing = self.query_one("#today", DataTable)
        listing.clear()
        for c in today:
            listing.add_row(
                plain(c.number),
                plain(words(state_words(c.status, c.verdict))),
                plain(code_words(c.verdict) if c.verdict else "-"),
                plain(c.serial),
                plain(c.model),
                plain(c.customer_name),
                key=c.number,
            )
        mine = [c for c in drafts if c.technician == self.station.technician]
        parts = [
            _("{drafts} draft(s), {today} case(s) today. n starts a new claim.").format(
                drafts=len(drafts), today=len(today)
            )
        ]
        if mine:
            left = STEP_TITLES.get(mine[0].step)
            parts.append(
                _("You left {case} at {step}: r resumes it.").format(
                    case=mine[0].number, step=_(left) if left else str(left)
                )
            )
        self._status(" ".join([self._outcome, *parts] if self._outcome else parts))
        if review and self.station.is_supervisor:
            waiting.focus()
        else:
            (table if drafts else open_cases if after else listing).focus()

    def _selected(self, table_id: str) -> str | None:
        table = self.query_one(table_id, DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_new_claim(self) -> None:
        self.workbench.start_claim()

    def action_resume(self) -> None:
        number = self._selected("#drafts")
        if number is None:
            self.notify(_("No draft to resume."), markup=False)
            return
        self.workbench.resume_claim(number)

    @on(DataTable.RowSelected, "#drafts")
    def _draft_chosen(self, event: DataTable.RowSelected) -> None:
        self.workbench.resume_claim(str(event.row_key.value))

    @on(DataTable.RowSelected, "#review")
    def _review_chosen(self, event: DataTable.RowSelected) -> None:
        if self.station.is_supervisor:
            from workbench.screens.review import ReviewScreen

            self.app.push_screen(ReviewScreen(str(event.row_key.value)))
        else:
            self._open_history(str(event.row_key.value))

    @on(DataTable.RowSelected, "#after")
    def _open_case_chosen(self, event: DataTable.RowSelected) -> None:
        self.workbench.show_case(str(event.row_key.value))

    @on(DataTable.RowSelected, "#today")
    def _case_chosen(self, event: DataTable.RowSelected) -> None:
        self._open_history(str(event.row_key.value))

    def action_history(self) -> None:
        focused = self.focused if isinstance(self.focused, DataTable) else self.query_one("#today", DataTable)
        number = self._selected(f"#{focused.id}")
        if number:
            self._open_history(number)

    def _open_history(self, number: str) -> None:
        self.workbench.show_history(number)

    def action_policy(self) -> None:
        from workbench.screens.policy import PolicyScreen

        self.app.push_screen(PolicyScreen())

    def action_withdraw(self) -> None:
        from workbench.screens.withdraw import WithdrawDialog

        number = self._selected("#drafts")
        if number is None:
            self.notify(_("No draft to withdraw."), markup=False)
            return

        def withdrawn(done: bool | None) -> None:
            if done:
                self.refresh_cases(_("Claim {case} withdrawn.").format(case=number))

        self.app.push_screen(WithdrawDialog(number, lambda reason: self.station.withdraw(number, reason)), withdrawn)

    def action_figures(self) -> None:
        from workbench.screens.report import ReportScreen

        self.app.push_screen(ReportScreen())

    def action_shipments(self) -> None:
        from workbench.screens.shipment import ShipmentScreen

        self.app.push_screen(ShipmentScreen())

    # -- a ticket scanned at the counter ------------------------------------------------------

    _scan: str | None = None  # the ticket's text so far, from its first "N"

    def takes_key_first(self, event: events.Key) -> bool:
        # Read in the order typed, before the table has them: a ticket starts NW1 or NW2, so a
        # capital N (no key of this screen) starts a scan, and the keys up to the scanner's
        # Enter are the ticket's text, not commands.
        if self._scan is None:
            if event.key == "n":
                # Opened here, not by the binding: the keys typed with the `n` are then held
                # for the intake's first field instead of reaching this screen's table.
                self.action_new_claim()
                return True
            if event.character != "N":
                return False
            self._scan = ""  # and the N is the ticket's first character
        if event.key == "escape":
            self._scan = None
            self._status(_("Ticket scan stopped."))
        elif event.key == "enter":
            text, self._scan = self._scan, None
            self._status(_("Checking the ticket…"))
            self._open_ticket(text)
        elif event.key == "backspace":
            self._scan = self._scan[:-1]
        elif event.character and event.is_printable and len(self._scan) < SCAN_LIMIT:
            self._scan += event.character
            self._status(
                _("Reading a ticket: {count} characters (Enter opens its case, Escape stops)").format(
                    count=len(self._scan)
                )
            )
        return True

    @work(thread=True, exclusive=True, group="ticket-scan")
    def _open_ticket(self, text: str) -> None:
        try:
            verification, view = self.station.case_for_ticket(text)
        except ONE_LINE_ERRORS as exc:  # not a ticket's text at all, or its facts altered
            problem = words(exc.problem) if isinstance(exc, InputError) else spoken(exc)
            self.app.call_from_thread(
                self._ticket_refused, _("Ticket NOT GENUINE: {problem}. Nothing opened.").format(problem=problem)
            )
            return
        verdict, message = words(verification.verdict_word), words(verification.message)
        if view is None:
            self.app.call_from_thread(
                self._ticket_refused,
                _("Ticket {verdict}: {message}. Nothing opened.").format(verdict=verdict, message=message),
            )
            return
        notice = "" if verification.good else _("Ticket {verdict}: {message}").format(verdict=verdict, message=message)
        self.app.call_from_thread(self._ticket_opened, view.number, notice)

    def _ticket_refused(self, message: str) -> None:
        self._status(message)
        self.notify(strip_control(message), severity="error", markup=False, timeout=10)

    def _ticket_opened(self, number: str, notice: str) -> None:
        self._status(_("Ticket of case {case}: opened.").format(case=number))
        self.workbench.show_case(number, by_ticket=True, notice=notice)

    def action_search(self) -> None:
        from workbench.screens.search import SearchScreen

        self.app.push_screen(SearchScreen())
