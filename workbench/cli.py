"""`workbench`: with no command, the TUI; otherwise one of the headless commands.

Each command lives in workbench/commands/<name>.py with HELP and DESCRIPTION (marked for the
catalog, shown in the session's language), add_arguments(parser) and run(args) -> exit code;
modules import their heavy dependencies inside run() so that starting the TUI stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from workbench.errors import ONE_LINE_ERRORS, WorkbenchError
from workbench.words import argparse_words
from workbench.words.language import _, set_language, spoken
from workbench.words.text import shown

COMMANDS: dict[str, str] = {
    "assess": "workbench.commands.assess",
    "audit": "workbench.commands.audit",
    "backup": "workbench.commands.backup",
    "cases": "workbench.commands.cases",
    "config": "workbench.commands.config",
    "policy": "workbench.commands.policy",
    "replicate": "workbench.commands.replicate",
    "report": "workbench.commands.report",
    "restore": "workbench.commands.restore",
    "shipment": "workbench.commands.shipment",
    "smart": "workbench.commands.smart",
    "ticket": "workbench.commands.ticket",
}


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    """The parser for `argv`. Only the command asked for is built (its module imported): the
    TUI, the start a technician waits for, builds none; help or a misspelt command, all."""
    words = [word for word in argv if not word.startswith("-")]
    wanted = words[0] if words else None
    if wanted in COMMANDS:
        names = [wanted]
    elif wanted is None and not {"-h", "--help"} & set(argv):
        names = []
    else:
        names = list(COMMANDS)
    argparse_words.speak()  # argparse's own words ("usage: ", "options", its errors) in ours
    parser = argparse_words.ArgumentParser(
        prog="workbench",
        description=_("Netac service-station workbench. Without a command, starts the TUI."),
    )
    parser.add_argument(
        "--training", action="store_true", help=_("read drives from the recorded training bench instead of smartctl")
    )
    parser.add_argument("--new-claim", action="store_true", help=_("open a new claim at once"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in names:
        module = importlib.import_module(COMMANDS[name])
        sub = commands.add_parser(
            name,
            help=_(module.HELP),
            description=_(module.DESCRIPTION),
            formatter_class=argparse_words.RawDescriptionHelpFormatter,
        )
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def speak_the_login_language() -> None:
    """Every word from here on in the login's language, else the station's (workbench.words.language).
    A configuration that does not load is reported by the command itself, in the login's language."""
    from workbench.config import StationConfig, read_config

    try:
        config = read_config()
    except ONE_LINE_ERRORS:
        config = StationConfig()
    set_language(config.language_choice(os.environ).code)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    speak_the_login_language()
    args = build_parser(argv).parse_args(argv)
    try:
        if args.command is None:
            if not (sys.stdin.isatty() and sys.stdout.isatty()):
                # `ssh bench` without -t, scp or sftp: nothing to draw on, and a TUI left
                # waiting on a pipe would outlive the connection.
                raise WorkbenchError(_("the workbench needs a terminal: run it in one, or connect with `ssh -t`"))
            from workbench.app import run_tui

            return run_tui(training=args.training, new_claim=args.new_claim)
        return args.run(args)
    except ONE_LINE_ERRORS as exc:
        # The one boundary for errors: what a person, a file or the database put in a message
        # reaches the terminal cleaned, on one line, and cut to a sane length; words from below
        # the counter (a Message from the policy or the records) in the session's language.
        print(f"workbench: {shown(spoken(exc), 400)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `workbench cases list | head`: the reader has what it wanted. Nothing more is
        # written (Python would complain about the pipe on exit); the status is the shell's
        # for a command its pipe closed on.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
