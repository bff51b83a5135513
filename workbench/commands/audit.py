"""Check the case records' audit trail: `workbench audit verify`."""

from __future__ import annotations

import argparse

from workbench.words.language import N_, _, ngettext, say

DESCRIPTION = N_(
    """Check the case records' audit trail: `workbench audit verify`.

Exit 0 when every entry's SHA-256 link holds, the head row is there, every case, decision
and ticket is the one its entry recorded, and every `--anchor` printed on a ticket is still
in the trail; exit 1 naming the first broken entry otherwise.
"""
)
HELP = N_("verify the audit trail's hash chain")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    verify = verbs.add_parser("verify", help=_("check every link of the chain and the records bound to it"))
    verify.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="ENTRY:HASH",
        help=_(
            "a link printed on a ticket ('Audit anchor'): the trail must still hold it (repeat for several tickets)"
        ),
    )


def run(args: argparse.Namespace) -> int:
    from db import open_station_store
    from workbench.config import load_config

    # An auditor's account may only read the file: nothing is written to verify it.
    report = open_station_store(load_config(), read_only=True).verify_audit(tuple(args.anchor))
    if report.intact:
        entries = report.entries
        print(ngettext("audit chain intact: {n} entries", "audit chain intact: {n} entries", entries).format(n=entries))
        return 0
    print(
        ngettext(
            "audit chain BROKEN at entry {entry}: {problem} ({n} entries verified before it)",
            "audit chain BROKEN at entry {entry}: {problem} ({n} entries verified before it)",
            report.entries,
        ).format(entry=report.broken_at, problem=say(report.problem), n=report.entries)
    )
    return 1
