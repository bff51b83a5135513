"""Replicate the station's database off the machine: `workbench replicate`."""

from __future__ import annotations

import argparse

from workbench.words.language import N_

DESCRIPTION = N_(
    """Replicate the station's database off the machine: `workbench replicate`.

Runs Litestream in the foreground for the database of the station's configuration, to the
replica its own file names (`[replica] url`), until stopped (SIGTERM, Ctrl+C). The station's
service unit (deploy/netac-workbench-replica.service) starts it. Every few seconds it writes
where the replica stands beside the database, for the home screen and `workbench config check`.
"""
)
HELP = N_("run Litestream for the station's database (the replica service)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from workbench.config import load_config
    from workbench.replica import replicate

    return replicate(load_config())
