"""Check the case records' audit trail: `workbench audit verify`.

Exit 0 when every entry's SHA-256 link holds; exit 1 naming the first broken entry when a
row was edited or deleted.
"""

from __future__ import annotations

import argparse

HELP = "verify the audit trail's hash chain"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    verbs.add_parser("verify", help="check every link of the chain")


def run(args: argparse.Namespace) -> int:
    from db import open_station_store
    from workbench.config import load_config

    report = open_station_store(load_config()).verify_audit()
    if report.intact:
        print(f"audit chain intact: {report.entries} entries")
        return 0
    print(f"audit chain BROKEN at entry {report.broken_at}: {report.problem} "
          f"({report.entries} entries verified before it)")
    return 1
