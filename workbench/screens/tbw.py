"""The TBW gauge: host bytes written against the product's limit, on the SMART and decision steps."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from workbench.screens.widgets import Gauge
from workbench.words.language import _, shown_number


class TbwGauge(Vertical):
    DEFAULT_CSS = "TbwGauge { height: auto; }"

    def compose(self) -> ComposeResult:
        # The bar's own percentage rounds to whole numbers (2% beside a text of 1.6%): the text
        # below says the share once, to one decimal.
        yield Gauge(show_eta=False, show_percentage=False)
        yield Static("", markup=False)

    def show(self, check, unknown: str) -> None:
        """`check` is policy's TbwCheck; `unknown` says why nothing is compared when it cannot be."""
        bar = self.query_one(ProgressBar)
        text = self.query_one(Static)
        if check.used_fraction is None:
            bar.display = False
            text.update(_("TBW: not compared ({why}).").format(why=unknown))
            return
        bar.display = True
        bar.update(total=check.limit_bytes, progress=min(check.written_bytes, check.limit_bytes))
        said = (
            _("TBW used {share}: {written} of {limit} TB ({bytes} bytes) — EXCEEDED")
            if check.exceeded
            else _("TBW used {share}: {written} of {limit} TB ({bytes} bytes)")
        )
        text.update(
            said.format(
                share=f"{check.used_fraction:.1%}",
                # Decimal, exact to the byte (shown_number formats it as it does a float).
                written=shown_number(cast(float, Decimal(check.written_bytes) / 10**12), 3),
                limit=shown_number(check.limit_bytes / 1e12, 0),
                bytes=shown_number(check.written_bytes),
            )
        )
