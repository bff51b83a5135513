"""Restore the station's records from its replica: `workbench restore --output PATH [--at TIME]`."""

from __future__ import annotations

import argparse
from datetime import datetime

from workbench.words.language import N_, _


def moment(text: str) -> datetime:
    """An argparse type: a time, YYYY-MM-DDTHH:MM[:SS] in the station's clock, or with its offset."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a time such as 2026-11-20T14:30").format(text=repr(text))
        ) from None


DESCRIPTION = N_(
    """Restore the station's records from its replica: `workbench restore --output PATH [--at TIME]`.

Restores the replica (`[replica] url`) as it is now, or as it was at TIME, into PATH, a file
that must not exist (the live database is never written over), and checks it before it is put
there: SQLite's integrity check, the schema's revision, the audit chain bound to the records.
Then it says what the file holds: cases, the last case number, the last audit entry and the
time of the last commit. A file that fails a check is not kept: exit 1 naming the check.
"""
)
HELP = N_("restore the replica into a new file and check it before it is used")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", required=True, metavar="PATH", help=_("the new database file (must not exist)"))
    parser.add_argument(
        "--at",
        type=moment,
        metavar="TIME",
        help=_("the records as they were then (station time unless an offset is given)"),
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.config import load_config
    from workbench.replica import restore

    config = load_config()
    at = args.at
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=config.time_zone) if config.time_zone else at.astimezone()
    print("\n".join(restore(config, Path(args.output), at)))
    return 0
