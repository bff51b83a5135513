"""The Textual application: small on purpose; each step of a claim is its own screen."""

from __future__ import annotations

import asyncio
import signal
import sys
import traceback
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.driver import Driver
from textual.widgets import Input, TextArea

from workbench.config import StationConfig, load_config, user_data_dir
from workbench.door.case_flow import CaseFlow, Station
from workbench.errors import ONE_LINE_ERRORS, StaleCase
from workbench.screens.base import Counter, WorkbenchScreen
from workbench.screens.commands import WorkbenchCommands
from workbench.screens.too_small import TooSmallScreen, too_small
from workbench.words.language import N_, _, set_language, spoken

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.screen import Screen
    from textual.widget import AwaitMount

    from workbench.screens.step import StepScreen


# Textual's own palette commands (App.get_system_commands, Textual 8.2.8), for the catalog: the
# palette says them in the session's language (tests/test_language.py keeps the list whole).
TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)

STEP_SETTLES_S = 0.1  # long enough for a step's passes, short enough not to be noticed


class WorkbenchApp(App):
    TITLE = N_("Netac service-station workbench")
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    # Quit works everywhere; the home screen shows it in its footer.
    # Tab and Shift+Tab move the focus before the next key is read, so keys typed ahead
    # (a slow SSH link, a scanner) land in the field they were typed for.
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
        Binding("tab", "focus_next", "Next field", priority=True, show=False),
        Binding("shift+tab", "focus_previous", "Previous field", priority=True, show=False),
    ]

    def __init__(self, config: StationConfig, *, training: bool = False, new_claim: bool = False) -> None:
        super().__init__()
        self.station = Station(config, training=training)
        self.new_claim = new_claim
        self.flow: CaseFlow | None = None  # the claim being worked on, if any
        # Keys read while a new claim's intake is being built (one read of a slow link holds
        # "nLi Wei"): kept in the order typed, for its first field once it has the focus.
        self._held_keys: list[events.Key] | None = None
        self._first_screen_open = False

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        if sys.platform != "win32":
            from textual.drivers.linux_driver import LinuxDriver

            if driver is LinuxDriver:  # the terminal's own driver, not one a tool asked for
                from workbench.terminal.output import CompactDriver

                return CompactDriver
        return driver

    async def on_event(self, event: events.Event) -> None:
        # Every key passes here first, in the order typed, before Textual hands it on to a
        # widget's own queue: what must not lose or reorder keys decides here.
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._held_keys is not None:
                self._held_keys.append(event)
                return
            screen = self.screen
            if isinstance(screen, WorkbenchScreen) and screen.takes_key_first(event):
                return
        await super().on_event(event)

    async def release_keys(self) -> None:
        """The keys held (since the claim was opened, or the app mounted), in order, as if
        typed now: the screen showing takes its own first, the rest go to the focused widget."""
        held, self._held_keys = self._held_keys, None
        for key in held or ():
            await self.on_event(key)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A blinking cursor redraws twice a second for as long as nobody types: traffic a slow
        # SSH link carries for nothing. Off unless the station asks for it ([terminal] cursor_blink).
        widget = event.widget
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = self.station.config.section("terminal").get("cursor_blink", bool, False)

    def on_mount(self) -> None:
        self._retitle()
        if not self.is_headless:  # a real terminal, which can hang up
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(signum, self._hang_up)
        # The first screen opens once the app is mounted: Textual paints nothing until its
        # mount is over, so a screen composed during the mount would wait for the next
        # refresh. Keys typed meanwhile are held for it, in order.
        self._held_keys = []
        self.call_later(self._open_first_screen)

    def _retitle(self) -> None:
        self.sub_title = self.station.title()
        # The training bench says so first in the header of every screen, so 80 columns show it.
        self.title = _("TRAINING BENCH") if self.station.training else _(self.TITLE)

    async def _open_first_screen(self) -> None:
        self._first_screen_open = True  # from now on the notice may cover it (_fit_terminal)
        if self.new_claim:
            self.start_claim()  # its intake hands the held keys to its first field
        else:
            await self.show_home()
            if too_small(*self.size):
                self._held_keys = None  # typed while the notice was due: they reach nothing
            else:
                await self.release_keys()
        self._fit_terminal(*self.size)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_terminal(*event.size)  # before Textual's own handler takes the new size

    def _fit_terminal(self, width: int, height: int) -> None:
        """Below 80x24 a notice covers every screen (text would be cut without a word); it
        goes when the terminal is large enough, and the screen under it is as it was."""
        if not self._first_screen_open:  # a resize at start-up: the first screen fits itself
            return
        small = too_small(width, height)
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def action_command_palette(self) -> None:
        # Nothing is reached from under the too-small notice. Textual's palette in the session's
        # language: its placeholder is an argument, its own commands come from get_system_commands.
        if isinstance(self.screen, TooSmallScreen) or not self.use_command_palette or CommandPalette.is_open(self):
            return
        self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))

    def show_home(self) -> AwaitMount:
        from workbench.screens.home import HomeScreen

        return self.push_screen(HomeScreen())

    def start_claim(self) -> None:
        self.flow = self.station.new_claim()
        if self._held_keys is None:  # until the intake has focused its first field (it releases them)
            self._held_keys = []
        try:
            self.show_step("intake")
        except BaseException:
            self._held_keys = None
            raise

    def resume_claim(self, number: str) -> None:
        self.notify(_("Opening case {case}…").format(case=number), markup=False, timeout=2)
        self._resume(number)

    @work(thread=True, exclusive=True, group="resume")
    def _resume(self, number: str) -> None:
        try:
            flow = self.station.resume(number)  # reads the case: off the UI thread
        except ONE_LINE_ERRORS as exc:
            self.call_from_thread(self.notify, spoken(exc), severity="error", markup=False)
            return
        self.call_from_thread(self._resumed, flow)

    def _resumed(self, flow: CaseFlow) -> None:
        self.flow = flow
        self.show_step(flow.step)

    def show_step(self, step: str) -> None:
        """Show a step of the current claim, in place of the step before it."""
        from workbench.screens import step_screen
        from workbench.screens.step import StepScreen

        assert self.flow is not None
        screen = step_screen(step, self.flow)
        # A toast belongs to the step it was about: it does not follow to the next (issue 13, 8).
        self.clear_notifications()
        if isinstance(self.screen, WorkbenchScreen):
            # A step opens in several passes (its widgets, the footer's keys, the focus, its
            # lists filled), each painted whole: about 20 KB over SSH. Held, it is painted
            # once. (Not the first screen of all: nothing is on screen yet to hold.)
            self.delay_update(STEP_SETTLES_S)
        if isinstance(self.screen, StepScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def finish_claim(self, outcome: str = "") -> None:
        """Back to the home screen, with its lists brought up to date; `outcome` (what became of
        the claim) stays in its status line, where a toast would be gone with the step."""
        from workbench.screens.step import StepScreen

        self.flow = None
        self.clear_notifications()  # what the claim came to is in the home screen's status line
        if isinstance(self.screen, StepScreen):
            self.pop_screen()
        refresh = getattr(self.screen, "refresh_cases", None)
        if refresh is not None:
            refresh(outcome)
        else:  # started with --new-claim: no home screen yet
            self.show_home()

    def show_case_as_it_stands(self, stale: StaleCase) -> None:
        """This session's claim was decided or withdrawn in another: nothing more of it is
        written; the case opens as the records now hold it, saying what happened."""
        if self.flow is not None:
            self.flow.closed = True  # no save still due may write into it
        self.finish_claim(spoken(stale))
        self.show_case(stale.number, notice=spoken(stale))

    def show_case(self, number: str, *, by_ticket: bool = False, notice: str = "") -> None:
        """A decided case at the counter: its state and the moves it allows (`by_ticket`: opened
        by the customer's scanned ticket; `notice`: what to say first)."""
        from workbench.screens.case import CaseScreen

        self.push_screen(CaseScreen(number, by_ticket=by_ticket, notice=notice))

    def show_history(self, number: str) -> None:
        """Everything recorded on a case, and the earlier claims on its serial."""
        from workbench.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(number))

    def leave_claim(self, step: str | None) -> None:
        """To another step of the open claim, or home (None), once what is typed is in the
        draft: the step's screen writes it in a worker (the command palette's way)."""
        screen = self._step_screen()
        if screen is not None:
            screen.go_to(step)
        elif step is None:
            self.finish_claim()
        else:
            self.show_step(step)

    def _step_screen(self) -> StepScreen | None:
        """The open claim's step, which may be under a dialog, a search or the terminal-too-small notice."""
        from workbench.screens.step import StepScreen

        return next((s for s in reversed(self.screen_stack) if isinstance(s, StepScreen)), None)

    def save_draft(self) -> None:
        """Write what is typed to the case draft now, waiting for it (hang-up, Ctrl+Q, a fatal error)."""
        step = self._step_screen()
        if step is not None:
            step.save_draft_now()  # with the step's unsaved input: ticks, notes, the field being typed
        elif self.flow is not None:
            self.flow.save()

    async def switch_language(self, code: str) -> None:
        """Speak `code` from now on in this session, without a restart: every screen opens again
        in its words, the open claim at its step with what was typed (kept in its draft first);
        the cases are as they were."""
        flow, step = self.flow, self._step_screen()
        if step is not None and step.is_attached:
            step.keep_input()  # into the claim's draft: the step opened again shows it
        set_language(code)
        self.clear_notifications()
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        self._retitle()
        await self.show_home()
        if flow is not None and not flow.closed:
            self.flow = flow
            self.show_step(flow.step)

    async def action_quit(self) -> None:
        self.save_draft()  # Ctrl+Q mid-case keeps what was typed, as a hang-up does
        self.exit()

    def _hang_up(self) -> None:
        # The SSH link dropped (SIGHUP) or the station is shutting down (SIGTERM): keep the
        # draft, then leave; the next login offers to resume it.
        try:
            self.save_draft()
        finally:
            self.exit(return_code=129)

    def _fatal_error(self) -> None:
        """An unexpected error: keep the draft, log the details, leave with one line."""
        error = self._exception
        try:
            self.save_draft()
        except Exception:  # the error may be the database itself
            pass
        log = user_data_dir() / "workbench-errors.log"
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as handle:
                handle.write(f"--- {datetime.now(UTC).isoformat()}\n")
                handle.write("".join(traceback.format_exception(error)) if error else "unknown error\n")
            line = _("workbench: unexpected error ({error}); details in {log}.").format(
                error=type(error).__name__, log=log
            )
        except OSError:
            line = _("workbench: unexpected error ({error}); the details could not be logged.").format(
                error=type(error).__name__
            )
        if self.flow and self.flow.number:
            line += " " + _("Case {case} is kept as a draft.").format(case=self.flow.number)
        # Text, not a markup string: the path and the error's name are not markup.
        self._exit_renderables.append(Text(line))
        self._close_messages_no_wait()


def run_tui(*, training: bool = False, new_claim: bool = False) -> int:
    app = WorkbenchApp(load_config(), training=training, new_claim=new_claim)
    app.run()
    return app.return_code or 0


def _the_app_is_what_screens_ask_for(app: WorkbenchApp) -> Counter:
    """mypy holds WorkbenchApp to the Counter protocol through which the screens reach it."""
    return app
