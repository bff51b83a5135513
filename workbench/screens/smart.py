"""Step 3, SMART readout: the claimed drive found on the bench by its serial (and a drive plugged
in while the step is open appears by itself), read off the UI thread, the TBW used shown. The
bench computer's own disks are listed as such and cannot be read into a claim."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, LoadingIndicator, Static

from workbench.errors import ONE_LINE_ERRORS, WorkbenchError
from workbench.screens.step import StepScreen
from workbench.screens.tbw import TbwGauge
from workbench.screens.widgets import words
from workbench.words.language import N_, _, say, shown_number, spoken
from workbench.words.text import pad, plain, strip_control

if TYPE_CHECKING:
    from workbench.door.bench import DriveInfo, SmartReadout


# Why a drive is recorded unreadable when its reading gave no reason of its own.
UNREADABLE = N_("the drive could not be read at the bench")


class SmartScreen(StepScreen):
    STEP = "smart"
    BINDINGS = [
        Binding("enter", "read", "Read"),
        Binding("l", "list_drives", "Rescan"),
        Binding("u", "unreadable", "Unreadable"),
    ]

    def body(self) -> ComposeResult:
        yield Static(_("Drives on the bench (Enter reads the highlighted one):"), classes="note", markup=False)
        table: DataTable[Any] = DataTable(id="drives", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("Device"), _("Type"), _("What smartctl sees"))
        yield table
        yield LoadingIndicator(id="reading")
        yield Static("", id="smart-status", markup=False)
        yield Static("", id="readout", markup=False)
        yield TbwGauge(id="tbw")

    def on_mount(self) -> None:
        self._reading = False
        self._drives: dict[str, DriveInfo] = {}
        self._scan = 0  # the number of the latest drive scan
        self._failure: str | None = None  # why the last read failed (English: it is recorded)
        self._failure_words = ""  # the same in the session's language
        self._recorded_here = False  # a reading or "unreadable" recorded on this screen
        self.query_one("#reading").display = False
        self.query_one(TbwGauge).display = False  # until the drive is read
        self._show_known_readout()
        self.action_list_drives()
        self._unplugged = threading.Event()  # set when the step closes: the drive watch ends
        self._watch_drives()

    def on_unmount(self) -> None:
        self._unplugged.set()

    @work(thread=True, group="smart-watch")
    def _watch_drives(self) -> None:
        try:
            for _ in self.station.drive_watch(self._unplugged):
                self.app.call_from_thread(self.action_list_drives)
        except OSError:  # no /sys to watch: the technician rescans with l
            return

    def busy(self) -> bool:
        if self._reading:
            self.notify(_("The drive is still being read."), markup=False)
        return self._reading

    def _status(self, text: str) -> None:
        self.query_one("#smart-status", Static).update(text)

    # -- listing -------------------------------------------------------------------------

    def action_list_drives(self) -> None:
        self._status(_("Looking for drives…"))
        # A thread cannot be cancelled: a scan still running when the technician switches
        # benches must not overwrite the newer list, so each scan carries its number.
        self._scan += 1
        self._list_drives(self._scan)

    @work(thread=True, group="smart-scan")
    def _list_drives(self, scan: int) -> None:
        try:
            drives = self.station.drives()
        except ONE_LINE_ERRORS as exc:
            self.app.call_from_thread(self._no_drives, spoken(exc), scan)
            return
        self.app.call_from_thread(self._show_drives, drives, scan)

    def _show_drives(self, drives, scan: int) -> None:
        if scan != self._scan:
            return
        table = self.query_one("#drives", DataTable)
        highlighted = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None
        table.clear()
        for drive in drives:
            what = (
                _("{description} — cannot open: {problem}").format(
                    description=drive.description, problem=words(drive.problem)
                )
                if drive.problem
                else drive.description
            )
            if drive.own_disk:
                what = _("this computer's disk ({why})").format(why=words(drive.own_disk))
            table.add_row(plain(drive.device), plain(drive.device_type), plain(what), key=drive.device)
        self._drives = {d.device: d for d in drives}
        if highlighted in self._drives:  # a drive plugged in or out: the one highlighted stays so
            table.move_cursor(row=table.get_row_index(highlighted))
        if drives:
            serial = self.flow.claim.serial
            self._status(
                _("{count} drive(s). Looking for the claimed drive, serial {serial}…").format(
                    count=len(drives), serial=serial
                )
            )
            table.focus()
            self._find_claimed(drives, scan)
        else:
            self._no_drives(_("smartctl found no drive on the bench."), scan)

    @work(thread=True, group="smart-scan")
    def _find_claimed(self, drives: list[DriveInfo], scan: int) -> None:
        try:
            device = self.station.claimed_drive(drives, self.flow.claim.serial)
        except ONE_LINE_ERRORS:
            device = None
        self.app.call_from_thread(self._claimed_found, device, scan)

    def _claimed_found(self, device: str | None, scan: int) -> None:
        if scan != self._scan or self._reading:
            return
        table = self.query_one("#drives", DataTable)
        if device is None:
            self._status(
                _(
                    "{count} drive(s); none has the claimed serial {serial}. "
                    "Highlight the claimed drive and press Enter, or u if it cannot be read."
                ).format(count=len(self._drives), serial=self.flow.claim.serial)
            )
            return
        table.move_cursor(row=table.get_row_index(device))
        self._status(
            _("{device} has the claimed serial {serial}: Enter reads it into the claim.").format(
                device=device, serial=self.flow.claim.serial
            )
        )

    def _no_drives(self, why: str, scan: int) -> None:
        if scan != self._scan:
            return
        self._drives = {}
        # The training bench is not offered here: a real claim is never read from a recording
        # (practice runs in its own world: `workbench --training`).
        self._status(
            _("{why} Attach the drive and press l, or u if it cannot be read. Practice: workbench --training.").format(
                why=why
            )
        )

    # -- reading -------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#drives")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._read(str(event.row_key.value))

    def action_read(self) -> None:
        table = self.query_one("#drives", DataTable)
        if table.row_count == 0:
            self.notify(_("No drive to read: attach it and press l to rescan."), markup=False)
            return
        self._read(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def _read(self, device: str) -> None:
        if self._reading:
            return
        drive = self._drives.get(device)
        if drive is not None and drive.own_disk:
            self.problem(
                _("{device} is this computer's disk ({why}): it cannot be read into a claim.").format(
                    device=device, why=words(drive.own_disk)
                )
            )
            return
        self._reading = True
        self.query_one("#reading").display = True
        self._status(_("Reading {device}… (up to the configured timeout)").format(device=device))
        self._read_worker(device, self._drives.get(device))

    @work(thread=True, group="smart-read")
    def _read_worker(self, device: str, drive) -> None:
        try:
            readout = self.station.read_drive(device, drive.device_type if drive else None)
        except ONE_LINE_ERRORS as exc:
            self.app.call_from_thread(self._read_failed, device, exc)
            return
        self.app.call_from_thread(self._read_done, readout)

    def _read_failed(self, device: str, exc: WorkbenchError) -> None:
        self._reading = False
        self.query_one("#reading").display = False
        self._failure, self._failure_words = str(exc), spoken(exc)
        self._status(
            _("{problem}\nPress Enter to try again, or u to go on without SMART (TBW unverified).").format(
                problem=self._failure_words
            )
        )

    def _read_done(self, readout) -> None:
        self._reading = False
        self.query_one("#reading").display = False
        self._status(
            _("Read {device}: recording it with smartctl's own output as evidence…").format(device=readout.device)
        )

        def record() -> Callable[[], None]:
            self.flow.record_smart(readout)
            self.flow.save()
            return lambda: self._recorded(readout)

        self._write(record, _("the readout was not recorded: {problem}"))

    def _recorded(self, readout: SmartReadout) -> None:
        self._recorded_here = True
        self._status(
            _(
                "Read {device}: recorded with smartctl's own output as evidence. Ctrl+N for the counterfeit checks."
            ).format(device=readout.device)
        )
        self._show_readout(readout.to_dict())

    @work(thread=True, exclusive=True, group="smart-known")
    def _show_known_readout(self) -> None:
        try:
            readout = self.flow.latest_readout()  # a resumed case's reading is in the records
        except ONE_LINE_ERRORS:
            return  # the technician reads the drive again
        if readout is not None:
            self.app.call_from_thread(self._known_readout, readout)

    def _known_readout(self, readout: SmartReadout) -> None:
        # Shown under the drive list, whose status line says what to do (Enter reads it again).
        if not self._recorded_here:  # else a reading or "unreadable" recorded meanwhile says more
            self._show_readout(readout.to_dict())

    def _show_readout(self, r: dict) -> None:
        def show(value, unit="{value}"):
            if value is None:
                return "—"
            return unit.format(value=shown_number(value)) if isinstance(value, int) else strip_control(str(value))

        def ours(name: str) -> str | None:
            """The readout's own words (not the drive's), in the session's language: from the
            template the readout keeps of them ("said"), else as they are."""
            entry = (r.get("said") or {}).get(name)
            return say(entry) if isinstance(entry, dict) else None if r.get(name) is None else words(r[name])

        written = r.get("host_bytes_written")
        # The labels of the left column, padded by terminal cells (a Han character takes two).
        heads = [_("Model"), _("Serial"), _("Capacity"), _("Power-on"), _("Written")]
        width = max(cell_len(head) for head in heads) + 3
        model, serial, capacity, power_on, written_head = (pad(head, width) for head in heads)
        firmware, health, temp, used, media_errors = _("Firmware"), _("Health"), _("Temp"), _("Used"), _("Media errors")
        bytes_unit, hours_unit, degrees, percent = _("{value} bytes"), _("{value} h"), "{value} °C", "{value} %"
        lines = [
            f"{model}{show(r.get('model'))}   {firmware} {show(r.get('firmware'))}   {show(ours('interface'))}",
            f"{serial}{show(r.get('serial'))}",
            f"{capacity}{show(r.get('capacity_bytes'), bytes_unit)}   {health} {show(r.get('health'))}",
            f"{power_on}{show(r.get('power_on_hours'), hours_unit)}   "
            f"{temp} {show(r.get('temperature_c'), degrees)}   "
            f"{used} {show(r.get('percentage_used'), percent)}   "
            f"{media_errors} {show(r.get('media_errors'))}",
            f"{written_head}{show(written, bytes_unit)}",
            " " * width + strip_control(ours("bytes_written_basis") or ""),
        ]
        self.query_one("#readout", Static).update("\n".join(lines))
        gauge = self.query_one(TbwGauge)
        gauge.display = True
        gauge.show(
            self.flow.tbw_check(written),
            _("bytes written unknown")
            if written is None
            else _("the catalog has no sourced TBW limit for this product"),
        )

    # -- leaving -------------------------------------------------------------------------

    def action_unreadable(self) -> None:
        # Recorded in English (the case's records); said in the session's language.
        reason = self._failure or UNREADABLE
        shown = self._failure_words or _(UNREADABLE)

        def record() -> Callable[[], None]:
            self.flow.record_unreadable(reason)  # sets aside any reading taken before
            self.flow.save()
            return lambda: self._unreadable(shown)

        self._write(record, _("not recorded as unreadable: {problem}"))

    def _unreadable(self, reason: str) -> None:
        self._recorded_here = True
        self.query_one("#readout", Static).update("")
        self.query_one(TbwGauge).display = False
        self._status(
            _(
                "Recorded as unreadable ({reason}); any earlier reading is set aside and kept as evidence. "
                "The TBW is unverified. Ctrl+N to go on."
            ).format(reason=reason)
        )

    def leave(self) -> Callable[[], bool] | None:
        if self.flow.claim.drive is None:
            self.problem(_("SMART: read the claimed drive (Enter), or press u if it cannot be read."))
            return None
        return super().leave()
