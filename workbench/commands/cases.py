"""The station's case records from the command line.

workbench cases list   [--from DAY] [--to DAY] [--verdict V] [--serial S] [--technician T] [--status S]
workbench cases show   CASE [--json]
workbench cases export --format csv|json [filters as for list] [--output FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import asdict
from datetime import date
from typing import Any, cast

from workbench.case_text import case_lines
from workbench.errors import InputError
from workbench.text import clean_data, strip_control
from workbench.vocabulary import VERDICTS

HELP = "list, show and export the station's cases"

COLUMNS = (
    "number",
    "status",
    "step",
    "technician",
    "created_at",
    "updated_at",
    "serial",
    "customer_name",
    "model",
    "verdict",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = verbs.add_parser("list", help="one line per case, newest first")
    show = verbs.add_parser("show", help="everything recorded on one case")
    export = verbs.add_parser("export", help="cases as CSV or JSON")
    show.add_argument("number", metavar="CASE", help="case number, e.g. SZ01-2026-000123")
    review = verbs.add_parser("review", help="a supervisor records the verdict of a case in the review queue")
    review.add_argument("number", metavar="CASE")
    review.add_argument("--verdict", required=True, choices=("covered", "not_covered", "refused"))
    review.add_argument("--reason", required=True, help="why (recorded with the verdict and your login)")
    show.add_argument("--json", action="store_true", help="print the case as one JSON object")
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    for verb in (listing, export):
        verb.add_argument("--from", dest="since", metavar="DAY", type=_day, help="created on or after DAY (YYYY-MM-DD)")
        verb.add_argument("--to", dest="until", metavar="DAY", type=_day, help="created on or before DAY (YYYY-MM-DD)")
        verb.add_argument("--verdict", choices=VERDICTS)
        verb.add_argument("--serial")
        verb.add_argument("--technician")
        verb.add_argument("--status", choices=("draft", "review", "decided", "closed"))
    listing.add_argument(
        "--queue",
        choices=("review",),
        help="review: the cases waiting for a supervisor, oldest first, with why they wait",
    )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day in the form YYYY-MM-DD") from None


def run(args: argparse.Namespace) -> int:
    from workbench.case_flow import Station
    from workbench.config import load_config

    config = load_config()
    station = Station(config)
    store = station.store
    if args.verb == "show":
        return _show(store, args)
    if args.verb == "review":
        number = args.number.strip().upper()
        station.resolve_review(number, args.verdict, args.reason)
        print(
            f"case {number}: {args.verdict}, recorded as {config.technician}'s verdict; "
            f"its ticket: workbench ticket print {number}"
        )
        return 0
    if getattr(args, "queue", None):
        items = store.review_queue()
        for item in items:
            c = item.summary
            print(
                f"{c.number}  {c.updated_at:%Y-%m-%d %H:%M}  {strip_control(c.customer_name)}  ({c.technician})  "
                f"{strip_control(item.why)}"
            )
        print(f"{len(items)} case(s) waiting for a supervisor", file=sys.stderr)
        return 0
    if args.since and args.until and args.since > args.until:
        raise InputError("--from", f"{args.since} is after --to {args.until}")
    cases = store.list_cases(
        since=args.since,
        until=args.until,
        verdict=args.verdict,
        serial=args.serial,
        technician=args.technician,
        status=args.status,
    )
    if args.verb == "list":
        for c in cases:
            print(
                f"{c.number}  {c.created_at:%Y-%m-%d %H:%M}  {c.status:<7}  {c.verdict or '-':<12}  "
                f"{strip_control(c.serial):<20}  {strip_control(c.model):<8}  {strip_control(c.customer_name)}  "
                f"({c.technician})"
            )
        print(f"{len(cases)} case(s)", file=sys.stderr)
        return 0
    rows = [cast(dict[str, Any], clean_data({k: _plain(v) for k, v in asdict(c).items()})) for c in cases]
    try:
        out = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout
    except OSError as exc:
        raise InputError("--output", f"{strip_control(args.output)[:80]} cannot be written ({exc.strerror})") from None
    try:
        if args.format == "json":
            json.dump(rows, out, indent=2, ensure_ascii=False)
            out.write("\n")
        else:
            writer = csv.DictWriter(out, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(_csv_safe(row) for row in rows)
    finally:
        if args.output:
            out.close()
    return 0


def _show(store, args: argparse.Namespace) -> int:
    view = store.get_case(args.number.strip().upper())
    if args.json:
        data = asdict(view)
        for snapshot in data["snapshots"]:
            snapshot["raw_output"] = snapshot["raw_output"].decode("utf-8", "replace")
        json.dump(clean_data(data), sys.stdout, indent=2, default=_plain, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print("\n".join(case_lines(view)))
    return 0


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _csv_safe(row: dict) -> dict:
    # A spreadsheet runs a cell starting with = + - @ as a formula: quote it as text.
    return {k: ("'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v) for k, v in row.items()}
