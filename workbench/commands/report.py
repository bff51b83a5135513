"""The station's figures over a period: the manager's monthly report to Netac."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from workbench.commands import csv_safe, day
from workbench.errors import InputError
from workbench.words.language import N_, _, shown_date
from workbench.words.text import strip_control

DESCRIPTION = N_(
    """The station's figures over a period: the manager's monthly report to Netac.

workbench report --from DAY --to DAY [--format text|csv|json] [--output FILE]

Cases opened on the days DAY..DAY (station time, inclusive): claims per product line and
capacity, verdicts, each reason code's count, TBW used and power-on hours at failure
(median, p90, share over 80% of the TBW limit), days from intake to hand-back, and the
supervisors' overrides and reviews. CSV and JSON rows: figure, product_line, capacity_gb,
item, value.
"""
)
HELP = N_("the station's figures over a period (CSV for Netac)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="since", metavar="DAY", type=day, required=True, help=_("first day, YYYY-MM-DD"))
    parser.add_argument("--to", dest="until", metavar="DAY", type=day, required=True, help=_("last day, YYYY-MM-DD"))
    parser.add_argument("--format", choices=("text", "csv", "json"), default="text")
    parser.add_argument("--output", metavar="FILE", help=_("write to FILE instead of standard output"))


def run(args: argparse.Namespace) -> int:
    from workbench.config import load_config
    from workbench.door.case_flow import Station
    from workbench.words.station_text import REPORT_COLUMNS, report_lines, report_rows

    if args.since > args.until:
        raise InputError(
            "--from",
            _("{since} is after --to {until}").format(since=shown_date(args.since), until=shown_date(args.until)),
        )
    figures = Station(load_config(), read_only=True).report(args.since, args.until)
    try:
        out = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout
    except OSError as exc:
        raise InputError(
            "--output",
            _("{path} cannot be written ({problem})").format(
                path=strip_control(args.output)[:80], problem=exc.strerror
            ),
        ) from None
    try:
        if args.format == "text":
            out.write("\n".join(report_lines(figures)) + "\n")
        elif args.format == "json":
            json.dump(report_rows(figures), out, indent=2, ensure_ascii=False)
            out.write("\n")
        else:
            writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS)
            writer.writeheader()
            writer.writerows(csv_safe(row) for row in report_rows(figures))
    finally:
        if args.output:
            out.close()
    return 0
