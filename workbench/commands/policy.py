"""The warranty policy the station decides under: see it, check a file, compare two, enter Netac's table."""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from workbench.errors import InputError, WorkbenchError
from workbench.words.language import N_, _, say, spoken

DESCRIPTION = N_(
    """The warranty policy the station decides under: see it, check a file, compare two, enter Netac's table.

    workbench policy show [LINE]             # the catalog: capacities, TBW, years, source, what is unsourced;
                                             # without LINE, the clauses too
    workbench policy check FILE              # exit 0 when FILE loads; exit 2 naming the key that is wrong
    workbench policy diff OLD NEW            # what NEW changes (figures, clauses, lines); exit 0 same, 1 differs
    workbench policy import FILE.csv [--output PATH] [--dry-run]
    workbench policy teach LINE --device DEV --source TEXT [--replay DIR] [--type T] [--yes]
                                             # supervisor: the line's identity from a drive known genuine
    workbench policy keygen KEYFILE          # head office: a new Ed25519 key; prints the stations' public_key
    workbench policy sign FILE --key KEYFILE [--output PATH] [--issue N]   # head office: sign a policy file

`import` takes Netac's current table as CSV with the columns line, capacity_gb, tbw_tb,
warranty_years, source (one row per capacity; every row says where its figures come
from), shows what it changes against the policy in use, checks the result as the
workbench will load it and writes the station's copy: by default where the station
configuration's `[policy] file` points, else station-policy.toml beside the configuration
(or in the user's data folder), which the workbench then uses without further setting.
OLD and NEW may be `bundled` for the policy that ships with the workbench. A line Netac's
table lists that the catalog does not is a new line: the import says so and adds it with its
capacities and figures; its identity is not on record until a supervisor teaches it.

`teach` reads a drive known genuine (from Netac's stock, or a sealed retail box) and proposes,
for each identity fact the line lacks (model string, firmware family, controller with the PCI
ids the bench sees, serial format), what the drive shows; the supervisor confirms each (y),
leaves it out (n), or types the value to record instead, and the station copy records the
confirmed facts with --source, checked and audited. The next import keeps them.

`sign` stamps the file with its issue number (one more than the file's, or the signed file's
it replaces, unless --issue says): a station never takes a lower issue than its last good copy.
"""
)
HELP = N_("show the warranty policy in use, check or compare policy files, import Netac's table (CSV)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    show = verbs.add_parser(
        "show", help=_("the catalog as a table, with sources and what is unsourced; without LINE, the clauses too")
    )
    show.add_argument("line", nargs="?", metavar="LINE", help=_("one product line, e.g. NV7000"))
    check = verbs.add_parser("check", help=_("load a policy file strictly; exit 2 naming the key that is wrong"))
    check.add_argument("file", metavar="FILE")
    compare = verbs.add_parser("diff", help=_("what a new policy file changes against an old one"))
    compare.add_argument("old", metavar="OLD")
    compare.add_argument("new", metavar="NEW")
    importing = verbs.add_parser("import", help=_("enter Netac's table (CSV) into the station's copy of the policy"))
    importing.add_argument("csv", metavar="FILE.csv")
    importing.add_argument(
        "--output",
        metavar="PATH",
        help=_("where to write the station copy (default: the station configuration's [policy] file)"),
    )
    importing.add_argument("--dry-run", action="store_true", help=_("show what would change; write nothing"))
    teach = verbs.add_parser(
        "teach", help=_("supervisor: teach a product line its identity from a drive known genuine")
    )
    teach.add_argument("line", metavar="LINE", help=_("the product line, e.g. NV7000-Q"))
    teach.add_argument("--device", required=True, metavar="DEV", help=_("the genuine drive, e.g. /dev/nvme0"))
    teach.add_argument(
        "--source",
        required=True,
        metavar="TEXT",
        help=_('where the genuine drive comes from, e.g. "sealed retail unit, receipt 4711"'),
    )
    teach.add_argument("--type", dest="device_type", metavar="TYPE", help=_("smartctl's -d type (some USB adapters)"))
    teach.add_argument("--replay", metavar="DIR", help=_("answer from recorded smartctl output instead of the drive"))
    teach.add_argument("--yes", action="store_true", help=_("record every proposed fact without asking"))
    keygen = verbs.add_parser("keygen", help=_("head office: make the signing key; prints the stations' public_key"))
    keygen.add_argument("keyfile", metavar="KEYFILE")
    sign = verbs.add_parser("sign", help=_("head office: sign a policy file for the chain's stations"))
    sign.add_argument("file", metavar="FILE")
    sign.add_argument("--key", required=True, metavar="KEYFILE", help=_("the head office's private key (PEM)"))
    sign.add_argument("--output", metavar="PATH", help=_("where to write the signed file (default: FILE itself)"))
    sign.add_argument(
        "--issue",
        type=_issue,
        metavar="N",
        help=_(
            "the file's issue number; stations refuse a lower one than they have "
            "(default: one more than FILE's or PATH's)"
        ),
    )


def _issue(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) < 10**18:
        raise argparse.ArgumentTypeError(_("{text} is not a whole number from 1").format(text=repr(text[:20])))
    return int(text)


def run(args: argparse.Namespace) -> int:
    verbs = {"show": _show, "check": _check, "diff": _diff, "import": _import, "teach": _teach}
    return (verbs | {"keygen": _keygen, "sign": _sign})[args.verb](args)


def _load(name: str):
    from policy import PolicyFileError, load_policy

    try:
        return load_policy(None if name == "bundled" else name)
    except PolicyFileError as exc:  # names the file and the key already
        raise WorkbenchError(spoken(exc), exit_code=2) from None


def _show(args: argparse.Namespace) -> int:
    from policy.catalog import normalise_model
    from workbench.config import load_config
    from workbench.words.policy_text import clause_lines, policy_lines
    from workbench.words.text import strip_control

    policy = load_config().load_policy()
    products = sorted(policy.catalog.products, key=lambda p: (p.line, p.capacity_gb))
    if args.line:
        products = [p for p in products if normalise_model(p.line) == normalise_model(args.line)]
        if not products:
            raise InputError(
                "LINE",
                _("{line} is not a line of the catalog ({lines})").format(
                    line=repr(strip_control(args.line)[:40]), lines=", ".join(policy.catalog.lines())
                ),
            )
    # One line's figures alone; the whole policy with the clauses its decisions quote.
    print("\n".join(policy_lines(policy, products) + ([] if args.line else ["", *clause_lines(policy)])))
    return 0


def _check(args: argparse.Namespace) -> int:
    from policy import PolicyFileError
    from policy.station_copy import unsourced_products
    from workbench.config import load_config

    policy = _load(args.file)
    issue = None
    if args.file != "bundled":  # a chain's station: the head office's signature and issue too
        try:
            issue = load_config().signed_issue(Path(args.file))
        except PolicyFileError as exc:
            raise WorkbenchError(spoken(exc), exit_code=2) from None
    facts = {
        "file": args.file,
        "id": policy.id,
        "issue": issue,
        "sha256": policy.sha256,
        "lines": len(policy.catalog.lines()),
        "products": len(policy.catalog.products),
        "unsourced": len(unsourced_products(policy)),
    }
    if issue is None:
        line = _(
            "{file}: good: {id}, sha256 {sha256}, {lines} lines, {products} products, "
            "{unsourced} without a sourced figure"
        )
    else:
        line = _(
            "{file}: good: {id}, signed, issue {issue}, sha256 {sha256}, {lines} lines, {products} products, "
            "{unsourced} without a sourced figure"
        )
    print(line.format(**facts))
    return 0


def _diff(args: argparse.Namespace) -> int:
    from policy.station_copy import diff

    changes = diff(_load(args.old), _load(args.new))
    print("\n".join(say(change) for change in changes) if changes else _("no differences"))
    return 1 if changes else 0


def _import(args: argparse.Namespace) -> int:
    from db import open_station_store
    from policy import PolicyFileError, bundled_bytes
    from policy.station_copy import diff, parse_figures_csv, station_copy
    from workbench.config import load_config
    from workbench.door.policy_copy import audit_policy_change, write_atomically
    from workbench.words.policy_text import where

    config = load_config()
    if config.names_supervisors and not config.acting_supervisor:
        raise WorkbenchError(
            _(
                "policy import: changing the station's policy is a supervisor's action; "
                "{login} is not one of the station's supervisors"
            ).format(login=config.technician)
        )
    target = Path(args.output) if args.output else config.policy_target()
    if config.section("policy").get("public_key", str, "") and target == config.policy_target():
        # An unsigned station copy would be refused at the next start: say so now.
        raise WorkbenchError(
            _(
                "policy import: this station decides under its head office's signed policy; "
                "import into --output PATH and have the head office sign it (workbench policy sign)"
            )
        )
    current = config.load_policy()
    try:
        base = target.read_text(encoding="utf-8") if target.is_file() else bundled_bytes().decode("utf-8")
        text = Path(args.csv).read_text(encoding="utf-8-sig")  # spreadsheets write a byte-order mark
    except OSError as exc:
        raise InputError(
            exc.filename or args.csv, _("cannot be read ({problem})").format(problem=exc.strerror)
        ) from None
    except UnicodeDecodeError:
        raise InputError(args.csv, _("is not UTF-8 text (save the table as CSV UTF-8)")) from None
    try:
        rows = parse_figures_csv(text, args.csv, current)
        content, new = station_copy(
            base, rows, f"imported from {Path(args.csv).name} on {date.today().isoformat()}", str(target)
        )
    except PolicyFileError as exc:  # names the file, the row and the column already
        raise WorkbenchError(spoken(exc), exit_code=2) from None
    changes = diff(current, new)
    print(_("Against the policy in use ({origin}):").format(origin=say(where(current.origin))))
    print("\n".join(f"  {say(line)}" for line in changes) if changes else "  " + _("no differences"))
    if args.dry_run:
        print(_("dry run: nothing written"))
        return 0
    write_atomically(target, content)
    audit_policy_change(open_station_store(config), target, current.sha256, new.sha256, len(rows))
    if args.output is None or Path(args.output) == config.policy_target():
        line = _("wrote {target} (sha256 {sha256}); claims are decided under it from the next start")
    else:
        line = _(
            "wrote {target} (sha256 {sha256}); claims are decided under it from the next start. "
            'Point the station at it: [policy] file = "{target}" in the station configuration'
        )
    print(line.format(target=target, sha256=new.sha256))
    return 0


def _teach(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from policy.line_identity import FACT_NAMES
    from workbench.config import load_config
    from workbench.door.case_flow import Station
    from workbench.words.text import strip_control

    station = Station(load_config(), replay=args.replay)
    station.require_supervisor(_("teach a product line its identity"))  # before a drive is read for it
    readout = station.read_drive(args.device, args.device_type)
    line, proposals = station.identity_proposals(args.line, readout)
    print(
        _("{line}: what {device} shows, as a genuine {line} drive's identity (source: {source}):").format(
            line=line, device=readout.device, source=args.source
        )
    )
    unseen = [
        say(FACT_NAMES[fact]) for fact in station.identity_missing(line) if fact not in {p.fact for p in proposals}
    ]
    if unseen:
        print("  " + _("not shown by the drive, not proposed: {facts}").format(facts=", ".join(unseen)))
    confirmed = []
    for fact in proposals:
        print(
            "  "
            + _("{fact}: {value}  (the drive: {read})").format(
                fact=say(fact.name), value=fact.value, read=strip_control(fact.read)
            )
        )
        answer = (
            "y"
            if args.yes
            else _ask("    " + _("record it? y records it, n leaves it out, or type the value to record: "))
        )
        if answer.lower() not in ("", "n"):
            confirmed.append(replace(fact, value=fact.value if answer.lower() == "y" else answer, source=args.source))
    changes = station.teach_identity(line, readout, confirmed)
    print("\n".join(f"  {say(change)}" for change in changes))
    print(
        _("wrote {target}: the next claim on {line} gets the full counterfeit checks").format(
            target=station.config.policy_target(), line=line
        )
    )
    return 0


def _ask(prompt: str) -> str:
    """The supervisor's answer; no answer (the end of the input) leaves the fact out."""
    try:
        return input(prompt).strip()
    except EOFError:
        print()
        return ""


def _keygen(args: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from policy.signature import private_key_pem, public_key_text

    target = Path(args.keyfile)
    if target.exists():
        raise InputError(
            "KEYFILE", _("{path} exists; a new key would make every signed file unverifiable").format(path=target)
        )
    key = Ed25519PrivateKey.generate()
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # the head office's secret
        with os.fdopen(fd, "wb") as handle:
            handle.write(private_key_pem(key))
    except OSError as exc:
        raise InputError(
            "KEYFILE", _("{path}: cannot be written ({problem})").format(path=target, problem=exc.strerror)
        ) from None
    print(_("wrote {path} (keep it at the head office). Each station's configuration:").format(path=target))
    print(f'[policy]\npublic_key = "{public_key_text(key)}"')
    return 0


def _sign(args: argparse.Namespace) -> int:
    from policy import PolicyFileError, parse_policy
    from policy.signature import private_key_from_pem, sign_policy, stamped_issues
    from workbench.door.policy_copy import write_atomically

    target = Path(args.output or args.file)
    try:
        pem = Path(args.key).read_bytes()
        raw = Path(args.file).read_bytes()
        before = target.read_bytes() if target.is_file() else b""  # the issue it replaces
    except OSError as exc:
        raise InputError(
            exc.filename or args.file, _("cannot be read ({problem})").format(problem=exc.strerror)
        ) from None
    try:
        key = private_key_from_pem(pem, args.key)
        parse_policy(raw, args.file)  # only a file a station can load is worth signing
    except PolicyFileError as exc:
        raise WorkbenchError(spoken(exc), exit_code=2) from None
    issue = args.issue or max(stamped_issues(raw) + stamped_issues(before), default=0) + 1
    signed = sign_policy(raw, key, issue)
    write_atomically(target, signed.decode("utf-8"))
    print(
        _("signed {path}, issue {issue} (sha256 {sha256})").format(
            path=target, issue=issue, sha256=parse_policy(signed, str(target)).sha256
        )
    )
    return 0
