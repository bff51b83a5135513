"""The dialog in which a supervisor enters a missing figure from Netac's current table."""

from __future__ import annotations

from typing import NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from workbench.screens.widgets import listed
from workbench.words.language import _


class EnteredFigure(NamedTuple):
    tbw_tb: str
    warranty_years: str
    source: str


class FigureDialog(ModalScreen[EnteredFigure | None]):
    """TBW and warranty years for one product, and where they come from (no source, no figure).
    The station checks them when it writes its copy of the policy."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "confirm", "Record")]

    def __init__(self, product: str, missing: list[str]) -> None:
        super().__init__()
        self.product = product
        self.missing = missing

    def compose(self) -> ComposeResult:
        with Vertical(id="figure-dialog"):
            yield Label(
                _("Netac's figures for {product}").format(product=self.product), classes="section-title", markup=False
            )
            yield Static(
                _(
                    "Unsourced: {figures}. Enter them from Netac's current table; "
                    "the station's policy copy is written, checked and audited."
                ).format(figures=listed(self.missing, _("{first}, {second}"))),
                classes="note",
                markup=False,
            )
            yield Input(placeholder=_("TBW in TB, e.g. 1400"), id="tbw_tb", max_length=12)
            yield Input(placeholder=_("Warranty years, e.g. 5"), id="warranty_years", max_length=3)
            yield Input(
                placeholder=_("Source (required), e.g. Netac warranty table, e-mail 2026-11-20"),
                id="source",
                max_length=300,
            )
            yield Button(_("Record (Ctrl+S)"), id="confirm", variant="warning")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_confirm()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        value = {
            name: self.query_one(f"#{name}", Input).value.strip() for name in ("tbw_tb", "warranty_years", "source")
        }
        if not value["source"]:
            self.notify(_("source: no source, no figure"), severity="error", markup=False)
            return
        self.dismiss(EnteredFigure(**value))
