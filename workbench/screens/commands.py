"""The command palette (Ctrl+P) reaches every screen and every step of the open claim."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from workbench.words.language import LANGUAGES, _, language
from workbench.words.vocabulary import STEP_TITLES, STEPS

if TYPE_CHECKING:
    from workbench.screens.base import Counter


class WorkbenchCommands(Provider):
    def _commands(self):
        app = cast("Counter", self.app)
        commands = [
            (_("New claim"), _("start a claim at intake"), app.start_claim),
            (_("Home"), _("today's cases and drafts"), partial(_go_home, app)),
            (_("Search cases"), _("by serial, case number or customer"), partial(_search, app)),
            (_("Station figures"), _("the report for Netac over a period"), partial(_push, app, "report")),
            (_("Shipments to Netac"), _("pack failed drives, packing lists"), partial(_push, app, "shipment")),
        ]
        for code, name in LANGUAGES.items():
            if code != language():  # the session's words, switched without a restart; drafts kept
                commands.append(
                    (_("Language: {name}").format(name=name), _("this session speaks it"), partial(_speak, app, code))
                )
        if app.flow is not None and app.flow.step != "ticket":  # not yet decided
            commands.append(
                (
                    _("Withdraw this claim"),
                    _("discard it, with a reason; its number is not reused"),
                    partial(_withdraw, app),
                )
            )
        if app.flow is not None:
            for step in STEPS[: STEPS.index(app.flow.step) + 1]:
                commands.append(
                    (
                        _("Go to step: {step}").format(step=_(STEP_TITLES[step])),
                        _("within the open claim"),
                        partial(_go_step, app, step),
                    )
                )
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


def _speak(app: Counter, code: str) -> None:
    app.run_worker(app.switch_language(code), group="language", exclusive=True)


def _go_home(app: Counter) -> None:
    app.leave_claim(None)


def _search(app: Counter) -> None:
    from workbench.screens.search import SearchScreen

    app.push_screen(SearchScreen())


def _withdraw(app: Counter) -> None:
    from workbench.screens.withdraw import WithdrawDialog

    flow = app.flow
    if flow is None:
        return

    def withdrawn(done: bool | None) -> None:
        if done and app.flow is flow:
            app.finish_claim(_("Claim {number} withdrawn.").format(number=flow.number or _("(not yet saved)")))

    app.push_screen(WithdrawDialog(flow.number or _("(not yet saved)"), flow.withdraw), withdrawn)


def _push(app: Counter, screen: str) -> None:
    if screen == "report":
        from workbench.screens.report import ReportScreen

        app.push_screen(ReportScreen())
    else:
        from workbench.screens.shipment import ShipmentScreen

        app.push_screen(ShipmentScreen())


def _go_step(app: Counter, step: str) -> None:
    app.leave_claim(step)  # the draft resumes where the technician now is
