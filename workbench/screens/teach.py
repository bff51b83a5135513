"""The dialog in which a supervisor teaches a product line its identity from a drive known
genuine (from Netac's stock, or a sealed retail box): the line, the drive, where it comes from;
then each fact the drive proposes, ticked to confirm it (and corrected if need be)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from workbench.errors import ONE_LINE_ERRORS
from workbench.screens.widgets import Tick
from workbench.words.language import _, say, spoken
from workbench.words.text import plain, strip_control

if TYPE_CHECKING:
    from workbench.door.case_flow import SmartReadout, Station
    from workbench.door.station_policy import IdentityFact


class Taught(NamedTuple):
    line: str
    readout: SmartReadout
    facts: list[IdentityFact]


class TeachDialog(ModalScreen[Taught | None]):
    """Ctrl+S reads the drive and proposes its facts; ticked, Ctrl+S again records them. The
    station checks each against the drive when it writes its copy of the policy."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "confirm", "Read / Record")]

    def __init__(self, station: Station) -> None:
        super().__init__()
        self.station = station
        self.proposed: tuple[str, SmartReadout, list[IdentityFact]] | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="teach-dialog"):
            yield Label(_("Teach a product line its identity"), classes="section-title", markup=False)
            lines = ", ".join(self.station.lines_to_teach()) or _("none")  # the lines' names: data
            yield Static(
                _(
                    "From a drive known genuine: Netac's stock or a sealed retail box. Lines whose identity is "
                    "not all on record: {lines}"
                ).format(lines=lines),
                classes="note",
                markup=False,
            )
            yield Input(placeholder=_("Line, e.g. NV7000-Q"), id="line", max_length=40)
            yield Select[str]([], prompt=_("The genuine drive (looking…)"), id="device")
            yield Input(
                placeholder=_("Source (required), e.g. sealed retail unit, receipt 4711"), id="source", max_length=300
            )
            yield Vertical(id="facts")
            yield Button(_("Read the drive (Ctrl+S)"), id="confirm", variant="warning")

    def on_mount(self) -> None:
        self._drives()

    @work(thread=True, exclusive=True, group="teach")
    def _drives(self) -> None:
        try:
            # What smartctl says of a drive is data, never markup ("[SAT]" would vanish as a tag).
            drives = [(plain(f"{d.device} {d.description}"), d.device) for d in self.station.drives() if not d.own_disk]
        except ONE_LINE_ERRORS as exc:
            problem = spoken(exc)
            self.app.call_from_thread(self.notify, problem, severity="error", markup=False)
            return
        self.app.call_from_thread(self.query_one("#device", Select).set_options, drives)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_confirm()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        source = self.query_one("#source", Input).value.strip()
        if not source:
            self.notify(_("source: say where the genuine drive comes from"), severity="error", markup=False)
            return
        if self.proposed is None:
            device = self.query_one("#device", Select).value
            if not isinstance(device, str):
                self.notify(_("drive: choose the genuine drive"), severity="error", markup=False)
                return
            self._read(self.query_one("#line", Input).value.strip(), device)
            return
        line, readout, proposals = self.proposed
        facts = [
            replace(fact, value=self.query_one(f"#value-{fact.fact}", Input).value.strip(), source=source)
            for fact in proposals
            if self.query_one(f"#tick-{fact.fact}", Tick).value
        ]
        if not facts:
            self.notify(_("Tick each fact to record; none is ticked."), severity="warning", markup=False)
            return
        self.dismiss(Taught(line, readout, facts))

    @work(thread=True, exclusive=True, group="teach")
    def _read(self, line: str, device: str) -> None:
        try:
            readout = self.station.read_drive(device)
            name, proposals = self.station.identity_proposals(line, readout)
        except ONE_LINE_ERRORS as exc:
            problem = spoken(exc)
            self.app.call_from_thread(self.notify, problem, severity="error", markup=False)
            return
        self.app.call_from_thread(self._propose, name, readout, proposals)

    def _propose(self, line: str, readout: SmartReadout, proposals: list[IdentityFact]) -> None:
        self.proposed = (line, readout, proposals)
        box = self.query_one("#facts", Vertical)
        for fact in proposals:
            read = strip_control(fact.read)
            box.mount(
                Tick(
                    plain(_("{fact} (the drive: {read})").format(fact=say(fact.name), read=read)),
                    id=f"tick-{fact.fact}",
                )
            )
            box.mount(Input(fact.value, id=f"value-{fact.fact}", max_length=200))
        if not proposals:
            box.mount(Static(_("The drive shows none of the facts the line lacks."), markup=False))
        button = self.query_one("#confirm", Button)
        button.label = _("Record the ticked facts (Ctrl+S)")
        button.refresh(layout=True)  # a longer label: Textual 8 keeps the button's width from the first one
        self.query_one("#line", Input).disabled = True
        self.query_one("#device", Select).disabled = True
