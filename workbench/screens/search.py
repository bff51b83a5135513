"""Search by serial, case number or the beginning of a customer's name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static

from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.base import WorkbenchScreen
from workbench.screens.footer import KeysFooter
from workbench.words.language import _, ngettext, shown_date, spoken
from workbench.words.text import plain
from workbench.words.vocabulary import code_words

if TYPE_CHECKING:
    from workbench.door.case_flow import CaseSummary


class SearchScreen(WorkbenchScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("serial, case number or customer name; Enter searches"), id="query", max_length=200)
        table: DataTable[Any] = DataTable(id="results", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("Case"), _("Created"), _("Status"), _("Verdict"), _("Serial"), _("Customer"))
        yield table
        yield Static("", id="search-status", classes="note", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()

    @on(Input.Submitted, "#query")
    def _search(self, event: Input.Submitted) -> None:
        self.query_one("#search-status", Static).update(_("Searching…"))
        self._find(event.value)

    @work(thread=True, exclusive=True, group="search")
    def _find(self, text: str) -> None:
        try:
            found = self.station.find(text)
        except ONE_LINE_ERRORS as exc:
            problem = spoken(exc)
            self.app.call_from_thread(self.query_one("#search-status", Static).update, problem)
            return
        self.app.call_from_thread(self._show, found)

    def _show(self, found: list[CaseSummary]) -> None:
        table = self.query_one("#results", DataTable)
        table.clear()
        for c in found:
            table.add_row(
                plain(c.number),
                plain(shown_date(c.created_at.date())),
                plain(code_words(c.status) if c.status else ""),
                plain(code_words(c.verdict) if c.verdict else "-"),
                plain(c.serial),
                plain(c.customer_name),
                key=c.number,
            )
        self.query_one("#search-status", Static).update(
            ngettext(
                "{n} case(s). Enter on a row shows the case.", "{n} case(s). Enter on a row shows the case.", len(found)
            ).format(n=len(found))
            if found
            else _("Nothing found.")
        )
        if found:
            table.focus()

    @on(DataTable.RowSelected, "#results")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.workbench.show_history(str(event.row_key.value))
