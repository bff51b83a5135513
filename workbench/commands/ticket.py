"""Tickets: verify a scanned ticket, print or show a case's ticket, show the station's key."""

from __future__ import annotations

import argparse
import sys

from workbench.words.language import N_, _, ngettext, say

DESCRIPTION = N_(
    """Tickets: verify a scanned ticket, print or show a case's ticket, show the station's key.

workbench ticket verify [TEXT | -]   exit 0 genuine, 1 not genuine, 2 not a ticket
workbench ticket print CASE          issue the case's ticket, or print its latest again
workbench ticket show CASE           the ticket's QR and words in the terminal
workbench ticket key                 this station's public key, for the chain's other stations
"""
)
HELP = N_("verify, print or show QR tickets; the station's public key")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    verify = verbs.add_parser("verify", help=_("check a scanned ticket's signature and its case record"))
    verify.add_argument(
        "text", nargs="?", default="-", metavar="TEXT", help=_("the QR text, or - to read it (default)")
    )
    verify.add_argument("--offline", action="store_true", help=_("check the signature only, not the case records"))
    for name, what in (
        ("print", _("issue or reprint the ticket of a decided case")),
        ("show", _("show a case's ticket")),
    ):
        verb = verbs.add_parser(name, help=what)
        verb.add_argument("number", metavar="CASE")
        if name == "show":
            verb.add_argument("--text", action="store_true", help=_("only the QR's text (what a scanner types)"))
    verbs.add_parser("key", help=_("print this station's public ticket key"))


def run(args: argparse.Namespace) -> int:
    from workbench.config import load_config
    from workbench.words.text import strip_control

    config = load_config()
    if args.verb == "key":
        from workbench.ticket.keys import public_key_text, station_key

        print(f'{config.station_id} = "{public_key_text(station_key(config).public_key())}"')
        return 0
    if args.verb == "verify":
        from workbench.ticket.issue import verify_ticket

        text = sys.stdin.readline() if args.text == "-" else args.text
        store = None if args.offline else _store(config, read_only=True)
        result = verify_ticket(text, config, store)
        print(
            _("{verdict}: {message}").format(
                verdict=say(result.verdict_word), message=strip_control(say(result.message))
            )
        )
        if result.facts is not None and result.genuine:
            f = result.facts
            print(
                strip_control(
                    _(
                        "case {number}, {date}, {model} {capacity} GB, serial {serial}, verdict {verdict}, policy {policy}"
                    ).format(
                        number=f.case_number,
                        date=f.date,
                        model=f.model,
                        capacity=f.capacity_gb,
                        serial=f.serial,
                        verdict=f.verdict,
                        policy=f.policy,
                    )
                )
            )
        return 0 if result.good else 1
    store = _store(config, read_only=args.verb == "show")
    number = args.number.strip().upper()
    if args.verb == "print":
        from workbench.ticket.issue import reprint

        outcome = reprint(store, number, config, config.load_policy())
        print(strip_control(say(outcome.message)))
        return 1 if outcome.failed else 0  # exit 1 only when a printer was tried and failed
    from workbench.ticket.content import ticket_content
    from workbench.ticket.qr import terminal_lines

    view = store.get_case(number)

    if not view.tickets:
        # Suggest only what will work: a case not decided has no ticket to print (issue 13, 8).
        if view.decision is None or view.summary.status in ("draft", "review", "withdrawn"):
            print(
                _("case {number} has no ticket: it is {status}, not decided").format(
                    number=number, status=view.summary.status
                ),
                file=sys.stderr,
            )
        else:
            print(
                _("case {number} has no ticket yet: workbench ticket print {number}").format(number=number),
                file=sys.stderr,
            )
        return 1
    ticket = view.tickets[-1]
    if args.text:
        print(ticket.payload)
        return 0
    print("\n".join(terminal_lines(ticket.payload)))
    print("\n".join(ticket_content(view, config.load_policy(), config.station_name, config.time_zone).lines))
    print(
        ngettext(
            "ticket {id}: {status}, {n} print attempt(s)",
            "ticket {id}: {status}, {n} print attempt(s)",
            ticket.attempts,
        ).format(id=ticket.id, status=ticket.status, n=ticket.attempts)
    )
    return 0


def _store(config, *, read_only: bool):
    from db import open_station_store

    return open_station_store(config, read_only=read_only)
