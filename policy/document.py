"""Load the policy data file (TOML) into the objects the engine decides with."""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from policy.catalog import IDENTITY_FACTS, Catalog, Identity, Product, normalise_model
from policy.message import Message

# The contract's inspection keys, numbered as the policy's exclusion list.
EXCLUSION_KEYS = (
    "unauthorised_modification",
    "interface_or_housing_damage",
    "sticker_removed",
    "misuse",
    "physical_or_liquid_damage",
    "virus_damage",
    "electrical_damage",
    "environmental_damage",
    "customer_transport_damage",
    "rnd_or_production_use",
)

REQUIRED_CLAUSES = (
    "warranty_start",
    "expired",
    "tbw_exceeded",
    "counterfeit",
    "required_information",
    "data_backup",
    "warranty_service",
)
# Clauses the bundled file gained after stations made their own copies of it. A station copy,
# or a chain's signed file, without one decides with the bundled clause (Netac's words, quoted
# there verbatim), and `Policy.clauses_from_bundled` names it so that the station sees it.
LATER_CLAUSES = ("normal_use",)


class PolicyFileError(ValueError):
    """The policy data file is unreadable or breaks its schema; names file and key. Its first
    argument is a Message (English as a str): the counter says it with `say(exc.args[0])`."""


# A clause's translation in the policy file: `text_<language>`, e.g. `text_zh_CN = "..."`.
TRANSLATION_KEY = re.compile(r"text_([a-z]{2,3}(?:_[A-Z]{2})?)")


@dataclass(frozen=True)
class Clause:
    """A clause of Netac's policy as the file quotes it: `text` is Netac's words, never translated
    by us; `translations` holds the head office's own translations of it, by language code
    (`zh_CN`), as the file carries them (`text_zh_CN = "..."`). Do not change the mapping."""

    ref: str
    text: str
    translations: Mapping[str, str] = field(default_factory=dict, hash=False)

    def text_in(self, code: str) -> tuple[str, bool]:
        """The clause for a counter speaking `code`, and whether it is Netac's own translation
        (True); without one, Netac's text as written (False)."""
        translated = self.translations.get(code)
        return (translated, True) if translated is not None else (self.text, False)


@dataclass(frozen=True)
class Exclusion:
    number: int
    key: str
    # `check` and `label` are our words, not Netac's: what the technician looks for (in the
    # decision's reason), and the same in a few words for a checkbox on an 80-column terminal.
    # Each is a Message whose template is the text itself, so the counter says it in its language
    # (the bundled file's are in the catalog: OUR_WORDS); words the catalog lacks are said as written.
    check: Message
    text: str  # Netac's words: the exclusion as the policy states it
    label: Message
    translations: Mapping[str, str] = field(default_factory=dict, hash=False)  # Netac's, of `text`

    @property
    def clause(self) -> Clause:
        return Clause(f"Warranty exclusions, {self.number})", self.text, self.translations)


# Our own words in the bundled file, for the catalog (the extractor reads literals only): each
# exclusion's `check`, then its `label`. A test keeps them equal to the file's.
OUR_WORDS = (
    Message("Opened, reassembled or repaired without Netac's written permission (signs of opening or repair)"),
    Message("Interface bent or deformed by force; housing damaged or deformed"),
    Message("Warranty sticker torn or removed"),
    Message("Used or maintained against the operation manual"),
    Message("Water or liquid damage, impact, fall, rupture, disaster, loss or negligence"),
    Message("Damaged by a computer virus or antivirus software"),
    Message("Electrical damage: burn marks, power supply, static, lightning, interference"),
    Message("Stored or used in heat, cold or high humidity"),
    Message("Damaged by the customer's transport or packing"),
    Message("Used in R&D, production or specialised testing"),
    Message("Opened, reassembled or repaired"),
    Message("Interface bent, housing damaged"),
    Message("Warranty sticker torn or removed"),
    Message("Used against the operation manual"),
    Message("Liquid, impact, fall or disaster"),
    Message("Virus or antivirus damage"),
    Message("Burn marks or electrical damage"),
    Message("Heat, cold or humidity damage"),
    Message("Damaged in customer's transport"),
    Message("Used in R&D, production, testing"),
)

# The clause each of the contract's reason codes cites (exclusion.N cites exclusion N;
# unknown_product cites the catalog, not a clause).
REASON_CLAUSES = {
    "counterfeit": "counterfeit",
    "expired": "expired",
    "tbw_exceeded": "tbw_exceeded",
    "tbw_unverified": "tbw_exceeded",
    "no_start_date": "warranty_start",
    "date_conflict": "warranty_start",
    "missing_information": "required_information",
    "no_fault_found": "normal_use",
    "fault_unconfirmed": "normal_use",
}


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    source: str
    clauses: dict[str, Clause]
    exclusions: tuple[Exclusion, ...]
    catalog: Catalog
    origin: str = "netac_warranty.toml"  # the file it was read from ("bundled" for the packaged one)
    sha256: str = ""  # of the file's bytes: which file decided, whatever its version says
    # The head office's issue number, when its signature was checked (0: signed before issue
    # numbers); None for a file no signature was asked of.
    issue: int | None = None
    # Set when the station's file was refused or is missing and its last good copy decides
    # instead: one line for whoever runs the station to see (the CLI on standard error).
    notice: str = ""
    clauses_from_bundled: tuple[str, ...] = ()  # LATER_CLAUSES the file lacks, taken from the bundled one

    @property
    def id(self) -> str:
        return f"{self.name} {self.version}"

    def clause_for(self, code: str) -> Clause | None:
        """The clause a decision's reason cites, from its code (as recorded with the case)."""
        if code.startswith("exclusion."):
            return self.exclusions[int(code.split(".", 1)[1]) - 1].clause
        key = REASON_CLAUSES.get(code)
        return self.clauses[key] if key else None


def load_policy(path: str | Path | None = None) -> Policy:
    """The bundled Netac policy, or the station's own copy at `path`."""
    if path is None:
        return _bundled()
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyFileError(
            Message("{path}: cannot read the policy file ({error})", path=str(path), error=exc.strerror)
        ) from None
    return parse_policy(raw, str(path))


@cache
def _bundled() -> Policy:
    return parse_policy(bundled_bytes(), "bundled")


def bundled_bytes() -> bytes:
    """The packaged policy file as it is on disk (a station copy starts from it)."""
    return resources.files("policy").joinpath("netac_warranty.toml").read_bytes()


def parse_policy(raw: bytes, origin: str) -> Policy:
    """A policy file's bytes, checked strictly; errors name `origin` and the key."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyFileError(not_toml(origin, exc)) from None
    policy = _build(data, origin)
    return replace(policy, origin=origin, sha256=hashlib.sha256(raw).hexdigest())


def _build(data: dict[str, Any], origin: str) -> Policy:
    reader = _Reader(origin)
    for key in data:
        if key not in _TOP_KEYS:
            raise reader.error(
                Message(
                    "{key} is not a policy table (expected one of {keys})", key=key, keys=", ".join(sorted(_TOP_KEYS))
                )
            )
    head = reader.table(data, "policy")
    clauses = {
        key: Clause(
            reader.string(body, f"clauses.{key}.ref"),
            reader.string(body, f"clauses.{key}.text"),
            _translations(reader, f"clauses.{key}", body),
        )
        for key, body in reader.table(data, "clauses").items()
    }
    # The bundled file itself must carry every clause: it is what the others borrow from.
    for key in REQUIRED_CLAUSES + (LATER_CLAUSES if origin == "bundled" else ()):
        if key not in clauses:
            raise reader.error(Message("{key} is missing", key="clauses." + key))
    from_bundled = tuple(key for key in LATER_CLAUSES if key not in clauses)
    clauses |= {key: _bundled().clauses[key] for key in from_bundled}
    exclusions = tuple(
        _exclusion(reader, f"exclusions[{i}]", item) for i, item in enumerate(data.get("exclusions", []))
    )
    if tuple(e.key for e in exclusions) != EXCLUSION_KEYS or [e.number for e in exclusions] != list(range(1, 11)):
        raise reader.error(
            Message(
                "{key} must be the ten exclusions 1-10 in the policy's order, with the contract's keys",
                key="exclusions",
            )
        )
    products = []
    seen: dict[str, str] = {}
    # The workbench's own lines, then those a station added from Netac's table (`policy import`).
    station_lines = data.get("station_lines", {})
    if not isinstance(station_lines, dict):
        raise reader.error(Message("{key} must be a table of line = {{ capacities_gb, sources }}", key="station_lines"))
    for table, lines in (("lines", reader.table(data, "lines")), ("station_lines", station_lines)):
        for line, body in lines.items():
            # Lines are matched as a label is typed (case, `Netac ` prefix): two must not meet there.
            twin = seen.setdefault(normalise_model(line), f"{table}.{line}")
            if twin != f"{table}.{line}":
                raise reader.error(
                    Message(
                        "{key} is the same model as {twin} as a label is matched", key=table + "." + line, twin=twin
                    )
                )
            products += _line_products(reader, table, line, body)
    # Sourced figures: first the file's own, then a station's import of Netac's table, which wins.
    for table in ("figures", "station_figures"):
        products = _with_figures(reader, products, table, data.get(table, {}))
    products = _with_taught_identity(reader, products, data.get("station_identity", {}))
    return Policy(
        name=reader.string(head, "policy.id"),
        version=reader.string(head, "policy.version"),
        source=reader.string(head, "policy.source"),
        clauses=clauses,
        exclusions=exclusions,
        catalog=Catalog(products),
        clauses_from_bundled=from_bundled,
    )


# Bounds no real figure comes near; past them a typo (1e300) would overflow the date or byte arithmetic.
MAX_TBW_TB = 1_000_000
MAX_YEARS = 50
_TOP_KEYS = {
    "policy",
    "clauses",
    "exclusions",
    "lines",
    "figures",
    "station_figures",
    "station_lines",
    "station_identity",
}
_FIGURE_KEYS = {"tbw_tb", "warranty_years", "source", "note"}
_LINE_KEYS = {
    "interface",
    "description",
    "capacities_gb",
    "warranty_years",
    "tbw_tb",
    "identity",
    "sources",
    "unsourced",
}
# A line a station added from Netac's table: its capacities and where they come from; no more.
_STATION_LINE_KEYS = {"capacities_gb", "sources"}
_IDENTITY_KEYS = set(IDENTITY_FACTS)
# What a line may declare unsourced; the two figures are also derived per capacity below.
_UNSOURCED = {"warranty_years", "tbw_tb", "identity", "capacities_gb"}


def _line_products(reader: _Reader, table: str, line: str, body: dict[str, Any]) -> list[Product]:
    """A line's products. `table` is `lines` (the workbench's catalog) or `station_lines` (a line
    Netac's table brought, which gives its capacities and sources only: its interface and
    identity are not on record)."""
    where = f"{table}.{line}"
    if not isinstance(body, dict):
        raise reader.error(Message("{key} must be a table", key=where))
    allowed = _LINE_KEYS if table == "lines" else _STATION_LINE_KEYS
    # A misspelt key (warranty_year) would silently leave a figure out: refuse it instead.
    for key in body:
        if key not in allowed:
            raise reader.error(
                Message(
                    "{key} is not a line setting (expected one of {keys})",
                    key=where + "." + key,
                    keys=", ".join(sorted(allowed)),
                )
            )
    interface = reader.string(body, f"{where}.interface") if table == "lines" else None
    if interface not in ("SATA", "NVMe", None):
        raise reader.error(
            Message("{key} is {value}; expected SATA or NVMe", key=where + ".interface", value=repr(interface))
        )
    capacities = body.get("capacities_gb")
    if (
        not isinstance(capacities, list)
        or not capacities
        or not all(_whole(c) and c > 0 for c in capacities)
        or len(set(capacities)) != len(capacities)
    ):
        raise reader.error(
            Message(
                "{key} must list the capacities in GB as positive whole numbers, each once",
                key=where + ".capacities_gb",
            )
        )
    years = body.get("warranty_years")
    if years is not None and (not _whole(years) or not 1 <= years <= MAX_YEARS):
        raise reader.error(_not_years(f"{where}.warranty_years"))
    tbw = body.get("tbw_tb", {})
    if not isinstance(tbw, dict):
        raise reader.error(Message("{key} must be a table of capacity in GB = TBW in TB", key=where + ".tbw_tb"))
    tbw_by_capacity: dict[int, int | float] = {}
    for capacity, figure in tbw.items():
        if not capacity.isdigit() or int(capacity) not in capacities:
            raise reader.error(
                Message("{key} is not one of the line's capacities_gb", key=where + ".tbw_tb." + capacity)
            )
        if (
            isinstance(figure, bool)
            or not isinstance(figure, (int, float))
            or not math.isfinite(figure)
            or not 0 < figure <= MAX_TBW_TB
        ):
            raise reader.error(_not_tbw(f"{where}.tbw_tb.{capacity}"))
        tbw_by_capacity[int(capacity)] = figure
    identity = _identity(reader, f"{where}.identity", body.get("identity"))
    sources = _strings(reader, f"{where}.sources", body.get("sources", []))
    declared = _strings(reader, f"{where}.unsourced", body.get("unsourced", []))
    for name in declared:
        if name not in _UNSOURCED:
            raise reader.error(
                Message(
                    "{key} lists {name}; expected any of {names}",
                    key=where + ".unsourced",
                    name=repr(name),
                    names=", ".join(sorted(_UNSOURCED)),
                )
            )
    if (years is not None or tbw_by_capacity) and not sources:
        raise reader.error(
            Message(
                "{key} must say where the line's warranty_years and tbw_tb come from: no source, no figure",
                key=where + ".sources",
            )
        )
    if table == "station_lines":
        if not sources:
            raise reader.error(
                Message("{key} must say where the line comes from (Netac's table as received)", key=where + ".sources")
            )
        declared = ("identity",)
    # `unsourced` is kept true per capacity: a figure a station fills in stops being unsourced.
    other = tuple(n for n in declared if n not in ("warranty_years", "tbw_tb"))

    def unsourced(capacity: int) -> tuple[str, ...]:
        missing = (("warranty_years",) if years is None else ()) + (
            ("tbw_tb",) if capacity not in tbw_by_capacity else ()
        )
        return missing + other

    return [
        Product(
            line=line,
            model=line,
            capacity_gb=capacity,
            interface=interface,
            tbw_tb=tbw_by_capacity.get(capacity),
            warranty_years=years,
            identity=identity,
            sources=sources,
            unsourced=unsourced(capacity),
            figure_source="; ".join(sources) if years is not None or capacity in tbw_by_capacity else None,
        )
        for capacity in capacities
    ]


def _with_figures(reader: _Reader, products: list[Product], table: str, figures: Any) -> list[Product]:
    """A figures table: Netac's figures per line and capacity, each with its source.

    `<table>.<line>.<capacity_gb> = { tbw_tb = T, warranty_years = Y, source = "...", note = "..." }`
    (either figure may be left out). A capacity the line does not list yet is added to it.
    """
    if not isinstance(figures, dict):
        raise reader.error(Message("{key} must be a table of line = {{ capacity_gb = {{ ... }} }}", key=table))
    by_key = {(normalise_model(p.line), p.capacity_gb): p for p in products}
    lines = {normalise_model(p.line): p.line for p in products}
    for line, capacities in figures.items():
        if normalise_model(line) not in lines:
            raise reader.error(Message("{key} is not a line of the catalog ([lines.<name>])", key=table + "." + line))
        if not isinstance(capacities, dict):
            raise reader.error(
                Message(
                    "{key} must be a table of capacity_gb = {{ tbw_tb, warranty_years, source }}",
                    key=table + "." + line,
                )
            )
        for capacity, entry in capacities.items():
            where = f"{table}.{line}.{capacity}"
            if not capacity.isdigit() or int(capacity) == 0:
                raise reader.error(Message("{key} is not a capacity in GB (a positive whole number)", key=where))
            if not isinstance(entry, dict):
                raise reader.error(Message("{key} must be a table {{ tbw_tb, warranty_years, source }}", key=where))
            for key in entry:
                if key not in _FIGURE_KEYS:
                    raise reader.error(
                        Message(
                            "{key} is not a figure setting (expected one of {keys})",
                            key=where + "." + key,
                            keys=", ".join(sorted(_FIGURE_KEYS)),
                        )
                    )
            source = entry.get("source")
            if not isinstance(source, str) or not source.strip():
                raise reader.error(Message("{key} is missing: no source, no figure", key=where + ".source"))
            tbw, years = entry.get("tbw_tb"), entry.get("warranty_years")
            if tbw is None and years is None:
                raise reader.error(Message("{key} gives neither tbw_tb nor warranty_years", key=where))
            if tbw is not None and (
                isinstance(tbw, bool)
                or not isinstance(tbw, (int, float))
                or not math.isfinite(tbw)
                or not 0 < tbw <= MAX_TBW_TB
            ):
                raise reader.error(_not_tbw(f"{where}.tbw_tb"))
            if years is not None and (not _whole(years) or not 1 <= years <= MAX_YEARS):
                raise reader.error(_not_years(f"{where}.warranty_years"))
            key = (normalise_model(line), int(capacity))
            product = by_key.get(key) or _new_capacity(products, key[0], int(capacity))
            tbw = tbw if tbw is not None else product.tbw_tb
            years = years if years is not None else product.warranty_years
            unsourced = tuple(
                n
                for n in product.unsourced
                if not (n == "tbw_tb" and tbw is not None) and not (n == "warranty_years" and years is not None)
            )
            note = entry.get("note")
            if note is not None and not isinstance(note, str):
                raise reader.error(Message("{key} must be a text", key=where + ".note"))
            by_key[key] = replace(
                product,
                tbw_tb=tbw,
                warranty_years=years,
                unsourced=unsourced,
                figure_source=source.strip(),
                figure_note=note or None,
            )
    return list(by_key.values())


def _new_capacity(products: list[Product], line_key: str, capacity: int) -> Product:
    """A capacity Netac's table lists that the line did not: the line's identity, no figures yet."""
    like = next(p for p in products if normalise_model(p.line) == line_key)
    missing = ("warranty_years",) if like.warranty_years is None else ()
    other = tuple(n for n in like.unsourced if n not in ("warranty_years", "tbw_tb"))
    return replace(like, capacity_gb=capacity, tbw_tb=None, unsourced=missing + ("tbw_tb",) + other, figure_source=None)


def _with_taught_identity(reader: _Reader, products: list[Product], taught: Any) -> list[Product]:
    """[station_identity]: identity facts a station's supervisor confirmed from a drive known
    genuine, `<line>.<fact> = { value = ..., source = "..." }`; each stands over the line's own.

    Checked as a line's own identity is (patterns must compile), and each needs its source."""
    if not isinstance(taught, dict):
        raise reader.error(
            Message("{key} must be a table of line = {{ fact = {{ value, source }} }}", key="station_identity")
        )
    lines = {normalise_model(p.line): p.line for p in products}
    learnt: dict[str, tuple[Identity, tuple[tuple[str, str], ...]]] = {}
    for line, facts in taught.items():
        where = f"station_identity.{line}"
        if normalise_model(line) not in lines:
            raise reader.error(
                Message(
                    "{key} is not a line of the catalog: its identity was taught for a line this file no longer has "
                    "(list the line in Netac's table again, or remove the entry)",
                    key=where,
                )
            )
        if not isinstance(facts, dict) or not facts:
            raise reader.error(Message("{key} must be a table of fact = {{ value = ..., source = ... }}", key=where))
        values: dict[str, Any] = {}
        told: list[tuple[str, str]] = []
        for fact, entry in facts.items():
            if fact not in _IDENTITY_KEYS:
                raise reader.error(
                    Message(
                        "{key} is not an identity fact (expected one of {keys})",
                        key=where + "." + fact,
                        keys=", ".join(IDENTITY_FACTS),
                    )
                )
            if not isinstance(entry, dict) or "value" not in entry or set(entry) - {"value", "source"}:
                raise reader.error(Message('{key} must be {{ value = ..., source = "..." }}', key=where + "." + fact))
            source = entry.get("source")
            if not isinstance(source, str) or not source.strip():
                raise reader.error(
                    Message("{key} is missing: no source, no identity fact", key=where + "." + fact + ".source")
                )
            values[fact] = entry["value"]
            told.append((fact, source.strip()))
        learnt[lines[normalise_model(line)]] = (_identity(reader, where, values) or Identity(), tuple(told))
    out = []
    for product in products:
        if product.line not in learnt:
            out.append(product)
            continue
        facts_read, sources = learnt[product.line]
        identity = replace(
            product.identity or Identity(),
            **{f: getattr(facts_read, f) for f in IDENTITY_FACTS if getattr(facts_read, f) is not None},
            taught=sources,
        )
        unsourced = tuple(n for n in product.unsourced if n != "identity" or identity.missing())
        out.append(replace(product, identity=identity, unsourced=unsourced))
    return out


def _identity(reader: _Reader, where: str, body: Any) -> Identity | None:
    """A genuine drive's identity; every pattern must compile, as the counterfeit checks use them."""
    if body is None:
        return None
    if not isinstance(body, dict):
        raise reader.error(Message("{key} must be a table", key=where))
    for key in body:
        if key not in _IDENTITY_KEYS:
            raise reader.error(
                Message(
                    "{key} is not an identity setting (expected one of {keys})",
                    key=where + "." + key,
                    keys=", ".join(sorted(_IDENTITY_KEYS)),
                )
            )
    model_patterns = _strings(reader, f"{where}.model_patterns", body.get("model_patterns", []))
    firmware_patterns = _strings(reader, f"{where}.firmware_patterns", body.get("firmware_patterns", []))
    controller, serial_pattern = body.get("controller"), body.get("serial_pattern")
    for key, value in (("controller", controller), ("serial_pattern", serial_pattern)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise reader.error(Message("{key} must be a non-empty text", key=where + "." + key))
    patterns = [("model_patterns", p) for p in model_patterns] + [("firmware_patterns", p) for p in firmware_patterns]
    if serial_pattern is not None:
        patterns.append(("serial_pattern", serial_pattern))
    for key, pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise reader.error(
                Message(
                    "{key} {pattern} is not a regular expression ({error})",
                    key=where + "." + key,
                    pattern=repr(pattern),
                    error=str(exc),
                )
            ) from None
    return Identity(
        model_patterns=model_patterns or None,
        controller=controller,
        firmware_patterns=firmware_patterns or None,
        serial_pattern=serial_pattern,
    )


def _exclusion(reader: _Reader, where: str, item: dict[str, Any]) -> Exclusion:
    number = reader.integer(item, where + ".number")
    key = reader.string(item, where + ".key")
    check = reader.string(item, where + ".check")
    text = reader.string(item, where + ".text")
    # Optional: a station's copy written before labels existed shows its `check`.
    label = reader.string(item, where + ".label") if "label" in item else check
    # `check` and `label` are our words: said in the counter's language where the catalog has them.
    return Exclusion(number, key, Message(check), text, Message(label), _translations(reader, where, item))


def _translations(reader: _Reader, where: str, body: Any) -> dict[str, str]:
    """The head office's translations of a clause's (or an exclusion's) `text`: each
    `text_<language> = "..."` (`text_zh_CN`), a non-empty text; a `text_...` key that names no
    language (`text_zh_cn`, `text_chinese`) is refused rather than left unread."""
    if not isinstance(body, dict):
        return {}
    out = {}
    for key in body:
        if not key.startswith("text_"):
            continue
        match = TRANSLATION_KEY.fullmatch(key)
        if match is None:
            raise reader.error(
                Message(
                    "{key} is not a translation of the text (text_ and a language code, such as text_zh_CN)",
                    key=where + "." + key,
                )
            )
        out[match.group(1)] = reader.string(body, f"{where}.{key}")
    return out


def _strings(reader: _Reader, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise reader.error(Message("{key} must be a list of non-empty texts", key=where))
    return tuple(value)


def not_toml(origin: str, exc: Exception) -> Message:
    return Message("{origin}: not a valid TOML policy file ({error})", origin=origin, error=str(exc))


def _not_tbw(key: str) -> Message:
    return Message("{key} must be a positive number of TB, at most {most}", key=key, most=format(MAX_TBW_TB, ","))


def _not_years(key: str) -> Message:
    return Message("{key} must be a whole number of years, 1 to {most}", key=key, most=MAX_YEARS)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Reader:
    """Typed access to the TOML document; every complaint names the file and the key."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def error(self, problem: Message) -> PolicyFileError:
        """`problem` names the key; the error names the file too."""
        return PolicyFileError(Message("{origin}: {problem}", origin=self.origin, problem=problem))

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            raise self.error(Message("{key} is missing or not a table", key=key))
        return value

    def string(self, data: dict[str, Any], dotted: str) -> str:
        value = data.get(dotted.rsplit(".", 1)[-1])
        if not isinstance(value, str) or not value.strip():
            raise self.error(Message("{key} is missing or not a text", key=dotted))
        return value

    def integer(self, data: dict[str, Any], dotted: str) -> int:
        value = data.get(dotted.rsplit(".", 1)[-1])
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(Message("{key} is missing or not a whole number", key=dotted))
        return value
