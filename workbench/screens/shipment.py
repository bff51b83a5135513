"""Failed drives going back to Netac: mark the ones in the parcel, pack them, read the list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Header, Input, Label, Static

from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.base import WorkbenchScreen
from workbench.screens.footer import KeysFooter
from workbench.words.language import _, ngettext, shown_date, spoken
from workbench.words.text import pad, plain

if TYPE_CHECKING:
    from workbench.door.case_flow import ShipmentView, ShippedDrive


class ShipmentScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("space", "mark", "Mark"),
        Binding("ctrl+s", "pack", "Pack marked"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.marked: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            _("Failed drives at the station (Space marks the ones in the parcel)"),
            classes="section-title",
            markup=False,
        )
        drives: DataTable[Any] = DataTable(id="pending", cursor_type="row", zebra_stripes=True)
        drives.add_columns(_("In"), _("Case"), _("Model"), _("GB"), _("Failed serial"), _("Replaced by"))
        yield drives
        with Horizontal(classes="row"):
            yield Label(_("Carrier reference"), classes="field-label", markup=False)
            yield Input(placeholder=_("tracking number (optional)"), id="reference", max_length=200)
        with VerticalScroll():
            yield Static(_("Reading the drives…"), id="packing-list", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="shipment")
    def _load(self) -> None:
        try:
            drives = self.station.awaiting_shipment()
            shipments = self.station.shipments()
        except ONE_LINE_ERRORS as exc:
            problem = spoken(exc)
            self.app.call_from_thread(self.query_one("#packing-list", Static).update, problem)
            return
        self.app.call_from_thread(self._shown, drives, shipments)

    def _shown(self, drives: list[ShippedDrive], shipments: list[ShipmentView]) -> None:
        table = self.query_one("#pending", DataTable)
        table.clear()
        self.marked &= {d.case_number for d in drives}
        for d in drives:
            table.add_row(
                "✔" if d.case_number in self.marked else " ",
                plain(d.case_number),
                plain(d.model),
                plain(d.capacity_gb or "?"),
                plain(d.serial),
                plain(d.replaced_by),
                key=d.case_number,
            )
        days = {s.number: shown_date(s.created_at.date()) for s in shipments[:5]}
        width = max((cell_len(day) for day in days.values()), default=0)  # a long date in Chinese is wider
        earlier = [
            ngettext("{shipment}  {day}  {n} drive(s)", "{shipment}  {day}  {n} drive(s)", len(s.drives)).format(
                shipment=s.number, day=pad(days[s.number], width), n=len(s.drives)
            )
            for s in shipments[:5]
        ]
        waiting = (
            ngettext("{n} drive(s) to send.", "{n} drive(s) to send.", len(drives)).format(n=len(drives))
            if drives
            else _("No failed drive waits to be sent.")
        )
        self.query_one("#packing-list", Static).update(
            waiting + ("\n" + _("Earlier shipments:") + "\n" + "\n".join(earlier) if earlier else "")
        )
        table.focus()

    def action_mark(self) -> None:
        table = self.query_one("#pending", DataTable)
        if table.row_count == 0:
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        number = str(row_key.value)
        self.marked ^= {number}
        table.update_cell(row_key, table.ordered_columns[0].key, "✔" if number in self.marked else " ")

    def action_pack(self) -> None:
        if not self.marked:
            self.notify(_("Mark the drives in the parcel first (Space)."), markup=False)
            return
        table = self.query_one("#pending", DataTable)
        in_order = [str(row.key.value) for row in table.ordered_rows if str(row.key.value) in self.marked]
        self._pack(in_order, self.query_one("#reference", Input).value)

    @work(thread=True, exclusive=True, group="shipment")
    def _pack(self, numbers: list[str], reference: str) -> None:
        from workbench.words.station_text import packing_list_lines

        try:
            shipment = self.station.create_shipment(numbers, reference)
            drives, shipments = self.station.awaiting_shipment(), self.station.shipments()
        except ONE_LINE_ERRORS as exc:
            problem = spoken(exc)
            self.app.call_from_thread(self.notify, problem, severity="error", markup=False, timeout=15)
            return
        self.app.call_from_thread(self._packed, shipment.number, packing_list_lines(shipment), drives, shipments)

    def _packed(self, number: str, lines: list[str], drives: list[ShippedDrive], shipments: list[ShipmentView]) -> None:
        self.marked.clear()
        self._shown(drives, shipments)
        self.query_one("#packing-list", Static).update("\n".join(lines))
        self.notify(_("Shipment {number} packed: its packing list is below.").format(number=number), markup=False)
