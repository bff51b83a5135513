"""The station's case records from the command line."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from rich.cells import cell_len

from workbench.commands import csv_safe, day
from workbench.errors import InputError
from workbench.words.case_text import case_lines
from workbench.words.language import N_, _, ngettext, say, shown_date, shown_number, shown_time
from workbench.words.text import clean_data, pad, strip_control
from workbench.words.vocabulary import STATE_WORDS, VERDICTS, state_words

if TYPE_CHECKING:
    from db.listing import CaseFilter
    from db.store import CaseSummary

DESCRIPTION = N_(
    """The station's case records from the command line.

workbench cases list   [--from DAY] [--to DAY] [--verdict V] [--serial S] [--technician T] [--status S]
                       [--limit N | --all]      (the newest 50 unless --limit N or --all)
workbench cases show   CASE [--json]
workbench cases export --format csv|json [filters as for list] [--output FILE]
workbench cases review CASE --verdict V --reason TEXT          (a supervisor)
workbench cases move CASE --to awaiting_repair|awaiting_stock|ready [--note TEXT]
workbench cases replace CASE --serial S --model M --capacity GB [--reason TEXT]
workbench cases hand-back CASE --collected-by NAME --id-checked yes|no [--reason TEXT] [--drive SERIAL]
workbench cases withdraw CASE --reason TEXT

States (--status): draft, review, decided, awaiting_repair, awaiting_stock, ready (for
pickup), handed_back, withdrawn; and sent: the failed drive is in a shipment to Netac.
"""
)
HELP = N_("list, show and export the station's cases")

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
    "replaced_by",
    "shipment",
)
PAGE = 50  # what `cases list` shows unless told otherwise: a screenful, not a million lines
NARROWING = "--from, --to, --verdict, --serial, --technician or --status"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = verbs.add_parser(
        "list", help=_("one line per case, newest first ({page} unless --limit N or --all)").format(page=PAGE)
    )
    show = verbs.add_parser("show", help=_("everything recorded on one case"))
    export = verbs.add_parser("export", help=_("cases as CSV or JSON"))
    show.add_argument("number", metavar="CASE", help=_("case number, e.g. SZ01-2026-000123"))
    review = verbs.add_parser("review", help=_("a supervisor records the verdict of a case in the review queue"))
    review.add_argument("number", metavar="CASE")
    review.add_argument("--verdict", required=True, choices=("covered", "not_covered", "refused"))
    review.add_argument("--reason", required=True, help=_("why (recorded with the verdict and your login)"))
    move = verbs.add_parser("move", help=_("a decided case awaits repair or stock, or is ready for pickup"))
    move.add_argument("number", metavar="CASE")
    move.add_argument("--to", required=True, dest="target", choices=("awaiting_repair", "awaiting_stock", "ready"))
    move.add_argument("--note", default="", help=_("recorded in the audit trail"))
    replace = verbs.add_parser("replace", help=_("record the replacement drive of a covered case (ready for pickup)"))
    replace.add_argument("number", metavar="CASE")
    replace.add_argument("--serial", required=True, help=_("the replacement drive's serial, as scanned"))
    replace.add_argument("--model", required=True)
    replace.add_argument("--capacity", required=True, metavar="GB")
    replace.add_argument(
        "--reason", default="", help=_("another model or capacity than claimed: a supervisor's reason")
    )
    hand_back = verbs.add_parser("hand-back", help=_("the customer collected the drive"))
    hand_back.add_argument("number", metavar="CASE")
    hand_back.add_argument("--collected-by", required=True, metavar="NAME")
    hand_back.add_argument("--id-checked", required=True, choices=("yes", "no"))
    hand_back.add_argument("--drive", default="", metavar="SERIAL", help=_("for a replacement: the drive going out"))
    hand_back.add_argument("--reason", default="", help=_("with --id-checked no: why the ID was not checked (needed)"))
    withdraw = verbs.add_parser("withdraw", help=_("withdraw a claim before its decision (the number is not reused)"))
    withdraw.add_argument("number", metavar="CASE")
    withdraw.add_argument("--reason", required=True)
    show.add_argument("--json", action="store_true", help=_("print the case as one JSON object"))
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument("--output", metavar="FILE", help=_("write to FILE instead of standard output"))
    for verb in (listing, export):
        verb.add_argument(
            "--from", dest="since", metavar="DAY", type=day, help=_("created on or after DAY (YYYY-MM-DD)")
        )
        verb.add_argument(
            "--to", dest="until", metavar="DAY", type=day, help=_("created on or before DAY (YYYY-MM-DD)")
        )
        verb.add_argument("--verdict", choices=VERDICTS)
        verb.add_argument("--serial")
        verb.add_argument("--technician")
        verb.add_argument("--status", choices=(*STATE_WORDS, "sent"))
    shown = listing.add_mutually_exclusive_group()
    shown.add_argument(
        "--limit",
        type=_count,
        default=PAGE,
        metavar="N",
        help=_("the newest N cases (default {page})").format(page=PAGE),
    )
    shown.add_argument("--all", action="store_true", help=_("every case"))
    listing.add_argument(
        "--queue",
        choices=("review",),
        help=_("review: the cases waiting for a supervisor, oldest first, with why they wait"),
    )


def run(args: argparse.Namespace) -> int:
    from db.listing import CaseFilter
    from workbench.config import load_config
    from workbench.door.case_flow import Station

    config = load_config()
    station = Station(config, read_only=args.verb in ("list", "show", "export"))
    store = station.store
    if args.verb == "show":
        return _show(store, args)
    if args.verb == "review":
        number = args.number.strip().upper()
        station.resolve_review(number, args.verdict, args.reason)
        print(
            _(
                "case {number}: {verdict}, recorded as {login}'s verdict; its ticket: workbench ticket print {number}"
            ).format(number=number, verdict=args.verdict, login=config.technician)
        )
        return 0
    if args.verb in ("move", "replace", "hand-back", "withdraw"):
        return _after_decision(station, args)
    if getattr(args, "queue", None):
        items = store.review_queue()
        for item in items:
            c = item.summary
            print(
                f"{c.number}  {_time(c.updated_at)}  {strip_control(c.customer_name)}  ({c.technician})  "
                f"{strip_control(say(item.why))}"
            )
        waiting = len(items)
        print(
            ngettext("{n} case(s) waiting for a supervisor", "{n} case(s) waiting for a supervisor", waiting).format(
                n=waiting
            ),
            file=sys.stderr,
        )
        return 0
    if args.since and args.until and args.since > args.until:
        raise InputError(
            "--from",
            _("{since} is after --to {until}").format(since=shown_date(args.since), until=shown_date(args.until)),
        )
    which = CaseFilter(args.status, args.technician, args.serial, args.verdict, args.since, args.until)
    if args.verb == "list":
        return _list(store, which, None if args.all else args.limit)
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
        write_export(store.stream_cases(which), args.format, out)
    finally:
        if args.output:
            out.close()
    return 0


def _list(store, which: CaseFilter, limit: int | None) -> int:
    shown = 0
    for c in store.stream_cases(which, limit=limit):
        print(
            f"{c.number}  {_time(c.created_at)}  {pad(state_words(c.status, c.verdict), 26)}  "
            f"{pad(c.verdict or '-', 12)}  "
            f"{pad(strip_control(c.serial), 20)}  {pad(strip_control(c.model), 8)}  {strip_control(c.customer_name)}  "
            f"({c.technician})"
        )
        shown += 1
    more = store.count_cases(which) - shown if shown == limit else 0
    if more > 0:
        print(
            ngettext(
                "the newest {n} case(s); {more} more: --limit N or --all shows them, {narrowing} narrows the list",
                "the newest {n} case(s); {more} more: --limit N or --all shows them, {narrowing} narrows the list",
                shown,
            ).format(n=shown, more=shown_number(more), narrowing=NARROWING),
            file=sys.stderr,
        )
    else:
        print(ngettext("{n} case(s)", "{n} case(s)", shown).format(n=shown), file=sys.stderr)
    return 0


def write_export(cases: Iterable[CaseSummary], form: str, out: TextIO) -> None:
    """Each case written as it comes (an export of a million cases never holds them all): CSV
    rows, or one JSON array."""
    # Values only: the keys are COLUMNS, clean already (half of the time of an export).
    rows = ({k: clean_data(_plain(getattr(c, k))) for k in COLUMNS} for c in cases)
    if form == "csv":
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(csv_safe(row) for row in rows)
        return
    # json.dump(rows, indent=2)'s layout, from the C encoder (indent= takes the Python one, 3x
    # slower): a case is a flat object, so the separator of its items is where the lines break.
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",\n    ", ": ")).encode
    out.write("[")
    separator = "\n  "
    for row in rows:
        out.write(separator + "{\n    " + encode(row)[1:-1] + "\n  }")
        separator = ",\n  "
    out.write("]\n" if separator == "\n  " else "\n]\n")


def _count(text: str) -> int:
    """An argparse type: a number of cases, 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(_("{text} is not a number of cases (1 or more)").format(text=repr(text)))
    return int(text)


def _after_decision(station, args: argparse.Namespace) -> int:
    number = args.number.strip().upper()
    if args.verb == "move":
        station.move(number, args.target, args.note)
    elif args.verb == "replace":
        station.record_replacement(number, args.serial, args.model, args.capacity, args.reason)
    elif args.verb == "hand-back":
        station.record_hand_back(
            number, args.collected_by, args.id_checked == "yes", args.drive, id_check_reason=args.reason
        )
    else:
        station.withdraw(number, args.reason)
    summary = station.case(number).summary
    print(_("case {number}: {state}").format(number=number, state=state_words(summary.status, summary.verdict)))
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


_WIDEST = datetime(2026, 12, 28, 23, 59)  # the widest time a column shows (two-digit month and day)


def _time(moment: datetime) -> str:
    """A case's time in a column: as wide in every line (a date in words is wider in some months)."""
    return pad(shown_time(moment), cell_len(shown_time(_WIDEST)))


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
