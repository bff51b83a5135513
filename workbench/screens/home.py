"""The home screen: today's cases and the interrupted drafts to resume."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from workbench import case_flow
from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.base import WorkbenchScreen
from workbench.text import plain
from workbench.vocabulary import STEP_TITLES


class HomeScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("n", "new_claim", "New claim"),
        # Short labels: with Policy, all six and Quit fit an 80-column footer.
        Binding("r", "resume", "Resume"),
        Binding("slash,s", "search", "Search"),
        Binding("h", "history", "History"),
        Binding("p", "policy", "Policy"),
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
        review.add_columns("Case", "Customer", "Why it waits")
        yield review
        yield Static("Interrupted drafts (r resumes the highlighted one)", classes="section-title", markup=False)
        drafts: DataTable[Any] = DataTable(id="drafts", cursor_type="row", zebra_stripes=True)
        drafts.add_columns("Case", "Step", "Serial", "Model", "Customer", "Technician")
        yield drafts
        yield Static("Today's cases (h shows the whole case)", classes="section-title", markup=False)
        today: DataTable[Any] = DataTable(id="today", cursor_type="row", zebra_stripes=True)
        today.add_columns("Case", "Status", "Verdict", "Serial", "Model", "Customer")
        yield today
        yield Static("Opening the case records…", id="home-status", classes="note", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_cases()

    def refresh_cases(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="home")
    def _load(self) -> None:
        # Opening the database imports SQLAlchemy and may migrate: off the UI thread.
        try:
            drafts = self.station.drafts()
            today = self.station.cases_of(case_flow.today())
            review = self.station.review_queue()
        except ONE_LINE_ERRORS as exc:
            self.app.call_from_thread(self._status, f"Case records unavailable: {exc}")
            return
        try:
            notice = self.station.policy_notice()
        except ONE_LINE_ERRORS as exc:
            notice = f"Policy unavailable: {exc}"
        self.app.call_from_thread(self._policy_notice, notice)
        self.app.call_from_thread(self._show, drafts, today, review)

    def _policy_notice(self, text: str) -> None:
        notice = self.query_one("#policy-notice", Static)
        notice.update(text)
        notice.display = bool(text)

    def _status(self, text: str) -> None:
        self.query_one("#home-status", Static).update(text)

    def _show(self, drafts, today, review) -> None:
        waiting = self.query_one("#review", DataTable)
        waiting.clear()
        for item in review:
            waiting.add_row(
                plain(item.summary.number), plain(item.summary.customer_name), plain(item.why), key=item.summary.number
            )
        title = self.query_one("#review-title", Static)
        title.update(
            f"Waiting for a supervisor: {len(review)} (Enter reviews the case)"
            if self.station.is_supervisor
            else f"Your cases waiting for a supervisor: {len(review)} (Enter shows the case)"
        )
        waiting.display = title.display = bool(review)
        table = self.query_one("#drafts", DataTable)
        table.clear()
        for c in drafts:
            table.add_row(
                plain(c.number),
                plain(STEP_TITLES.get(c.step, c.step)),
                plain(c.serial),
                plain(c.model),
                plain(c.customer_name),
                plain(c.technician),
                key=c.number,
            )
        listing = self.query_one("#today", DataTable)
        listing.clear()
        for c in today:
            listing.add_row(
                plain(c.number),
                plain(c.status),
                plain(c.verdict or "-"),
                plain(c.serial),
                plain(c.model),
                plain(c.customer_name),
                key=c.number,
            )
        mine = [c for c in drafts if c.technician == self.station.technician]
        self._status(
            f"{len(drafts)} draft(s), {len(today)} case(s) today. n starts a new claim."
            + (f" You left {mine[0].number} at {STEP_TITLES.get(mine[0].step)}: r resumes it." if mine else "")
        )
        (waiting if review and self.station.is_supervisor else table if drafts else listing).focus()

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
            self.notify("No draft to resume.", markup=False)
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

    @on(DataTable.RowSelected, "#today")
    def _case_chosen(self, event: DataTable.RowSelected) -> None:
        self._open_history(str(event.row_key.value))

    def action_history(self) -> None:
        focused = self.focused if isinstance(self.focused, DataTable) else self.query_one("#today", DataTable)
        number = self._selected(f"#{focused.id}")
        if number:
            self._open_history(number)

    def _open_history(self, number: str) -> None:
        from workbench.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(number))

    def action_policy(self) -> None:
        from workbench.screens.policy import PolicyScreen

        self.app.push_screen(PolicyScreen())

    def action_search(self) -> None:
        from workbench.screens.search import SearchScreen

        self.app.push_screen(SearchScreen())
