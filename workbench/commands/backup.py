"""Copy the station's last commits to its replica now: `workbench backup`."""

from __future__ import annotations

import argparse

from workbench.words.language import N_

DESCRIPTION = N_(
    """Copy the station's last commits to its replica now: `workbench backup`.

One sync of the station's database to `[replica] url` (through `workbench replicate` when it
runs, else a sync of its own), then the replica itself is listed: exit 0 only when it holds
the station's last commit, and the lines say which (cases, last case, last audit entry, time).
"""
)
HELP = N_("sync the replica now; exit 0 only when it holds the last commit")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from workbench.config import load_config
    from workbench.replica import backup

    print("\n".join(backup(load_config())))
    return 0
