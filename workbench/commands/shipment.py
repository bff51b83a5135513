"""Failed drives going back to Netac, in parcels with a packing list."""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import asdict
from datetime import datetime

from rich.cells import cell_len

from workbench.commands import csv_safe
from workbench.words.language import N_, _, ngettext, shown_time

DESCRIPTION = N_(
    """Failed drives going back to Netac, in parcels with a packing list.

workbench shipment pending                        drives at the station not yet sent
workbench shipment new CASE [CASE ...] [--reference TEXT]
                                                  pack them: prints the packing list
workbench shipment list                           every shipment, newest first
workbench shipment show NUMBER [--format text|csv]

A failed drive is at the station once its case's replacement is recorded; a repaired or
not covered drive goes back to its customer instead.
"""
)
HELP = N_("failed drives sent to Netac, with packing lists")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    verbs.add_parser("pending", help=_("failed drives at the station, not yet in a shipment"))
    new = verbs.add_parser("new", help=_("pack failed drives into a new shipment and print its packing list"))
    new.add_argument("cases", nargs="+", metavar="CASE")
    new.add_argument("--reference", default="", help=_("the carrier's tracking number"))
    verbs.add_parser("list", help=_("every shipment, newest first"))
    show = verbs.add_parser("show", help=_("a shipment's packing list"))
    show.add_argument("number", metavar="NUMBER")
    show.add_argument("--format", choices=("text", "csv"), default="text")


def run(args: argparse.Namespace) -> int:
    from workbench.config import load_config
    from workbench.door.case_flow import Station
    from workbench.words.station_text import drive_line, packing_list_lines
    from workbench.words.text import pad

    station = Station(load_config(), read_only=args.verb != "new")
    if args.verb == "pending":
        drives = station.awaiting_shipment()
        for drive in drives:
            print(drive_line(drive))
        count = len(drives)
        print(
            ngettext("{n} failed drive(s) to send to Netac", "{n} failed drive(s) to send to Netac", count).format(
                n=count
            ),
            file=sys.stderr,
        )
        return 0
    if args.verb == "list":
        shipments = station.shipments()
        width = cell_len(shown_time(datetime(2026, 12, 28, 23, 59)))  # the widest time: a column
        for s in shipments:
            drives_said = ngettext("{n} drive(s)", "{n} drive(s)", len(s.drives)).format(n=f"{len(s.drives):>3}")
            print(f"{s.number}  {pad(shown_time(s.created_at), width)}  {drives_said}  {s.technician}")
        count = len(shipments)
        print(ngettext("{n} shipment(s)", "{n} shipment(s)", count).format(n=count), file=sys.stderr)
        return 0
    if args.verb == "new":
        shipment = station.create_shipment([n.strip().upper() for n in args.cases], args.reference)
    else:
        shipment = station.store.shipment(args.number)
    if getattr(args, "format", "text") == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=("shipment", *asdict(shipment.drives[0]).keys()))
        writer.writeheader()
        for drive in shipment.drives:
            row = {"shipment": shipment.number, **asdict(drive)}
            writer.writerow(csv_safe({k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}))
        return 0
    print("\n".join(packing_list_lines(shipment)))
    return 0
