"""Decide a warranty claim under the Netac policy: JSON in, JSON out."""

from __future__ import annotations

import argparse
import json
import sys

from workbench.errors import InputError
from workbench.words.language import N_, _, say, spoken

DESCRIPTION = N_(
    """Decide a warranty claim under the Netac policy: JSON in, JSON out.

    workbench assess CLAIM.json            # or '-' for standard input
    workbench assess --policy FILE CLAIM.json

Exit 0 with one JSON object for every valid claim, whatever the verdict; exit 2 with one
line on stderr naming the field for invalid input. The contract is
docs/claim-format.md in the project; the TUI's decision step calls the same function.
"""
)
HELP = N_("decide a claim (JSON) under the warranty policy and print the decision (JSON)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("claim", metavar="CLAIM.json", help=_("the claim as a JSON object, or - for standard input"))
    parser.add_argument(
        "--policy",
        metavar="FILE",
        help=_("a policy data file (default: the station's [policy] file, else the bundled one)"),
    )


def run(args: argparse.Namespace) -> int:
    from policy import ClaimInputError, PolicyFileError, assess, load_policy, parse_claim
    from workbench.config import load_config

    if args.policy:
        try:
            policy = load_policy(args.policy)
        except PolicyFileError as exc:
            raise InputError("--policy", spoken(exc)) from None
    else:
        policy = load_config().load_policy()
        if policy.notice:  # the station's file was refused: say so, decide under the last good one
            from workbench.words.text import strip_control

            print(f"workbench assess: {strip_control(say(policy.notice))}", file=sys.stderr)
    try:
        claim = parse_claim(_read_json(args.claim))
    except ClaimInputError as exc:
        raise InputError(exc.field, say(exc.problem)) from None
    json.dump(assess(claim, policy).to_dict(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def _read_json(source: str) -> object:
    try:
        if source == "-":
            raw = sys.stdin.buffer.read()  # bytes: invalid UTF-8 is refused, never carried on
        else:
            with open(source, "rb") as handle:
                raw = handle.read()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise InputError(source, _("cannot read the claim ({problem})").format(problem=exc.strerror)) from None
    except UnicodeDecodeError:
        raise InputError(source, _("the claim is not UTF-8 text")) from None
    try:
        return json.loads(text, object_pairs_hook=_no_twin_keys)
    except json.JSONDecodeError as exc:
        raise InputError(
            "claim",
            _("not valid JSON ({problem} at line {line} column {column})").format(
                problem=exc.msg, line=exc.lineno, column=exc.colno
            ),
        ) from None
    except RecursionError:
        raise InputError("claim", _("not a claim: the JSON is nested too deeply")) from None
    except ValueError as exc:  # Python's limit on the digits of one integer (4,300)
        raise InputError(
            "claim", _("a number has too many digits ({problem})").format(problem=str(exc).split("(")[0].strip())
        ) from None


def _no_twin_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A key given twice is refused: two systems reading the claim must not decide on different values."""
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            shown = json.dumps(key)[:80]
            raise InputError(shown, _("is given twice in one object: the claim is ambiguous"))
        seen[key] = value
    return seen
