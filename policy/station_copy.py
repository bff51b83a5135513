"""A station's copy of the policy: Netac's figures entered as CSV, and what a new file changes.

Pure: text in, text out. The command line reads and writes the files.

Netac sends its current warranty table (warranty years and TBW per product and capacity);
the station enters it as CSV with the columns `line, capacity_gb, tbw_tb, warranty_years,
source` (one row per capacity; a figure not in the table is left empty; every row says
where its figures come from). The figures go into the policy file's `[station_figures]`
table, in a block of their own that the next import replaces; they win over the figures the
file carries itself (`[figures]`, the workbench's own sourced research).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace

from policy.catalog import IDENTITY_FACTS, Identity, Product, normalise_model, without_brand
from policy.document import MAX_TBW_TB, MAX_YEARS, Clause, Policy, PolicyFileError, not_toml, parse_policy
from policy.message import Message

COLUMNS = ("line", "capacity_gb", "tbw_tb", "warranty_years", "source")
# A new line's name as a label prints it: a letter or digit first; at most 40 characters.
_LINE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._+-]{0,39}")
BLOCK_START = (
    "# --- figures from Netac's table, written by `workbench policy import`; the next import replaces them ---"
)
BLOCK_END = "# --- end of imported figures ---"


@dataclass(frozen=True)
class FigureRow:
    line: str
    capacity_gb: int
    tbw_tb: int | float | None
    warranty_years: int | None
    source: str


def parse_figures_csv(text: str, origin: str, policy: Policy) -> list[FigureRow]:
    """The CSV's rows, checked against the policy's lines; errors name the row and the column."""
    reader = csv.reader(io.StringIO(text))
    header = [name.strip().lower() for name in next(reader, [])]
    for name in header:
        if name not in COLUMNS:
            raise PolicyFileError(
                Message(
                    "{origin}: column {name} is not one of {columns}",
                    origin=origin,
                    name=repr(name),
                    columns=", ".join(COLUMNS),
                )
            )
    for name in COLUMNS:
        if name not in header:
            raise PolicyFileError(
                Message(
                    "{origin}: column {name} is missing (the columns are {columns})",
                    origin=origin,
                    name=repr(name),
                    columns=", ".join(COLUMNS),
                )
            )
    lines = {normalise_model(line): line for line in policy.catalog.lines()}
    rows: list[FigureRow] = []
    seen: set[tuple[str, int]] = set()
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise PolicyFileError(
                Message(
                    "{origin}: row {number} has {cells} cells for {columns} columns",
                    origin=origin,
                    number=number,
                    cells=len(values),
                    columns=len(header),
                )
            )
        cell = {name: value.strip() for name, value in zip(header, values, strict=True)}
        bad = _row_error(origin, number)
        row = _row(cell, lines, bad, new_lines=True)
        if (row.line, row.capacity_gb) in seen:
            raise bad(
                "capacity_gb", Message("{line} {capacity} GB is listed twice", line=row.line, capacity=row.capacity_gb)
            )
        seen.add((row.line, row.capacity_gb))
        rows.append(row)
    if not rows:
        raise PolicyFileError(Message("{origin}: no figures: the CSV has a header and no rows", origin=origin))
    return rows


def _row(
    cell: dict[str, str],
    lines: dict[str, str],
    bad: Callable[[str, Message], PolicyFileError],
    *,
    new_lines: bool = False,
) -> FigureRow:
    """One row of Netac's table (cells as text), checked; `bad` names where a problem is.

    `lines` maps each line as a label is matched to its name. With `new_lines` (Netac's table),
    a line it does not hold is a new line, and joins it: a later row spelling it otherwise
    (case, spaces, `Netac `) is the same line, as a label would be."""
    line = lines.get(normalise_model(cell["line"]))
    if line is None and new_lines:
        line = without_brand(" ".join(cell["line"].split()))
        if not _LINE_NAME.fullmatch(line):
            raise bad(
                "line", Message("{line} is not a product line's name, such as NV7000-Q", line=_quote(cell["line"]))
            )
        lines[normalise_model(line)] = line
    if line is None:
        raise bad(
            "line",
            Message(
                "{line} is not a line of the catalog ({lines})",
                line=_quote(cell["line"]),
                lines=", ".join(sorted(lines.values())),
            ),
        )
    if not cell["capacity_gb"].isdigit() or int(cell["capacity_gb"]) == 0:
        raise bad(
            "capacity_gb",
            Message("{value} is not a capacity in GB such as 512 or 1000", value=_quote(cell["capacity_gb"])),
        )
    capacity = int(cell["capacity_gb"])
    tbw = _number(cell["tbw_tb"])
    if cell["tbw_tb"] and (tbw is None or not 0 < tbw <= MAX_TBW_TB):
        raise bad(
            "tbw_tb",
            Message(
                "{value} is not a positive number of TB (at most {most})",
                value=_quote(cell["tbw_tb"]),
                most=format(MAX_TBW_TB, ","),
            ),
        )
    years = int(cell["warranty_years"]) if cell["warranty_years"].isdigit() else None
    if cell["warranty_years"] and (years is None or not 1 <= years <= MAX_YEARS):
        raise bad(
            "warranty_years",
            Message(
                "{value} is not a whole number of years, 1 to {most}",
                value=_quote(cell["warranty_years"]),
                most=MAX_YEARS,
            ),
        )
    if tbw is None and years is None:
        raise bad("tbw_tb", Message("the row gives neither tbw_tb nor warranty_years"))
    if not cell["source"]:
        raise bad(
            "source", Message('is empty: no source, no figure (e.g. "Netac warranty table, received 2026-11-20")')
        )
    return FigureRow(line, capacity, tbw, years, cell["source"])


def figure_row(policy: Policy, cell: dict[str, str]) -> FigureRow:
    """One figure entered at the counter (cells as typed), checked as an imported row is;
    errors name the field."""
    lines = {normalise_model(line): line for line in policy.catalog.lines()}
    return _row(
        {name: cell.get(name, "").strip() for name in COLUMNS},
        lines,
        lambda column, problem: PolicyFileError(Message("{column}: {problem}", column=column, problem=problem)),
    )


def station_rows(text: str) -> list[FigureRow]:
    """The figures a station copy's [station_figures] holds (entered earlier), as rows."""
    data = tomllib.loads(text)
    return [
        FigureRow(line, int(capacity), entry.get("tbw_tb"), entry.get("warranty_years"), entry["source"])
        for line, capacities in data.get("station_figures", {}).items()
        for capacity, entry in capacities.items()
    ]


def with_row(rows: list[FigureRow], row: FigureRow) -> list[FigureRow]:
    """`rows` with `row` in place of any earlier figure for the same line and capacity."""
    return [r for r in rows if (r.line, r.capacity_gb) != (row.line, row.capacity_gb)] + [row]


def figures_block(rows: list[FigureRow], note: str, catalog_lines: set[str]) -> str:
    """The rows as the policy file's [station_figures] table, between the import markers; a line
    not among `catalog_lines` (as labels are matched) is listed in [station_lines], its
    capacities and sources those of its rows."""
    out = [BLOCK_START, f"# {_one_line(note)}"]
    by_line: dict[str, list[FigureRow]] = {}
    for row in rows:
        by_line.setdefault(row.line, []).append(row)
    for line, entries in by_line.items():
        if normalise_model(line) in catalog_lines:
            continue
        capacities = sorted(row.capacity_gb for row in entries)
        sources = list(dict.fromkeys(row.source for row in entries))
        out.append(f"[station_lines.{json.dumps(line)}]  # a new line, from Netac's table")
        out.append(f"capacities_gb = {json.dumps(capacities)}")
        out.append(f"sources = {json.dumps(sources, ensure_ascii=False)}")
    for line, entries in by_line.items():
        out.append(f"[station_figures.{json.dumps(line)}]")
        for row in sorted(entries, key=lambda r: r.capacity_gb):
            parts = (
                ([f"tbw_tb = {row.tbw_tb}"] if row.tbw_tb is not None else [])
                + ([f"warranty_years = {row.warranty_years}"] if row.warranty_years is not None else [])
                + [f"source = {json.dumps(row.source, ensure_ascii=False)}"]
            )
            out.append(f"{row.capacity_gb} = {{ {', '.join(parts)} }}")
    out.append(BLOCK_END)
    return "\n".join(out) + "\n"


def with_block(base: str, start_marker: str, end_marker: str, block: str) -> str:
    """The policy file's text with the block between the two markers replaced by `block` (which
    carries the markers), at the end of the file."""
    start, end = base.find(start_marker), base.find(end_marker)
    if start >= 0 and end > start:
        base = base[:start] + base[end + len(end_marker) :].lstrip("\n")
    return base.rstrip("\n") + "\n\n" + block


def catalog_lines(base_text: str, origin: str) -> set[str]:
    """The lines of the file's own catalog ([lines]), as labels are matched: not those a
    station added from Netac's table."""
    try:
        lines = tomllib.loads(base_text).get("lines", {})
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError(not_toml(origin, exc)) from None
    return {normalise_model(line) for line in lines}


def station_copy(base_text: str, rows: list[FigureRow], note: str, origin: str) -> tuple[str, Policy]:
    """The station copy that `rows` make of `base_text`: its text, and the policy it is,
    checked as the workbench will load it."""
    block = figures_block(rows, note, catalog_lines(base_text, origin))
    text = with_block(base_text, BLOCK_START, BLOCK_END, block)
    return text, parse_policy(text.encode("utf-8"), origin)


def diff(old: Policy, new: Policy) -> list[str]:
    """What `new` changes against `old`, one line a change, in the counter's words: each a
    Message (English as a str; `say` it at the counter). Typed `list[str]` for the callers'
    annotations."""
    out: list[str] = []
    if old.id != new.id:
        out.append(Message("policy: {old} -> {new}", old=old.id, new=new.id))
    for name in sorted(set(old.clauses) | set(new.clauses)):
        was, now = old.clauses.get(name), new.clauses.get(name)
        if was is None:
            out.append(Message("clause {name}: added", name=name))
        elif now is None:
            out.append(Message("clause {name}: removed", name=name))
        elif (was.ref, was.text) != (now.ref, now.text):
            out.append(Message("clause {name}: text changed", name=name))
        else:
            out += [
                Message("clause {name}: {change}", name=name, change=change)
                for change in _translation_changes(was, now)
            ]
    for exclusion, changed in zip(old.exclusions, new.exclusions, strict=True):  # always the ten
        if exclusion == changed:
            continue
        if exclusion.translations == changed.translations:
            out.append(Message("exclusion {number} ({key}): changed", number=exclusion.number, key=exclusion.key))
        else:
            out += [
                Message("exclusion {number} ({key}): {change}", number=exclusion.number, key=exclusion.key, change=c)
                for c in _translation_changes(exclusion.clause, changed.clause)
            ]
            if replace(exclusion, translations={}) != replace(changed, translations={}):
                out.append(Message("exclusion {number} ({key}): changed", number=exclusion.number, key=exclusion.key))
    old_lines, new_lines = set(old.catalog.lines()), set(new.catalog.lines())
    before = {(p.line, p.capacity_gb): p for p in old.catalog.products}
    after = {(p.line, p.capacity_gb): p for p in new.catalog.products}
    for line in sorted(new_lines - old_lines):
        capacities = ", ".join(str(c) for c in new.catalog.capacities(line))
        missing = next(p for p in new.catalog.products if p.line == line).identity
        out.append(
            Message("line {line}: new line ({capacities} GB); identity not on record", line=line, capacities=capacities)
            if missing is None or missing.missing()
            else Message("line {line}: new line ({capacities} GB)", line=line, capacities=capacities)
        )
    out += [Message("line {line}: removed", line=line) for line in sorted(old_lines - new_lines)]
    out += _identity_changes(old, new, sorted(old_lines & new_lines))
    for key in sorted(set(before) | set(after)):
        line, capacity = key
        a, b = before.get(key), after.get(key)
        if line not in new_lines:
            continue  # said with the line
        if line not in old_lines and b is not None:  # a new line's figures: from none
            a = replace(b, tbw_tb=None, warranty_years=None, figure_source=None)
        if a is None or b is None:
            out.append(
                Message("{line} {capacity} GB: added", line=line, capacity=capacity)
                if a is None
                else Message("{line} {capacity} GB: removed", line=line, capacity=capacity)
            )
            continue
        changes = []
        if a.tbw_tb != b.tbw_tb:
            changes.append(Message("TBW {old} -> {new}", old=_figure(a.tbw_tb), new=_figure(b.tbw_tb)))
        if a.warranty_years != b.warranty_years:
            changes.append(
                Message("warranty {old} -> {new}", old=_figure(a.warranty_years), new=_figure(b.warranty_years))
            )
        if a.figure_source != b.figure_source and (changes or b.figure_source):
            changes.append(Message("source {source}", source=_figure(b.figure_source)))
        if changes:
            out.append(
                Message(
                    "{line} {capacity} GB: {changes}",
                    line=line,
                    capacity=capacity,
                    changes=_joined(changes),
                )
            )
    return out


def _translation_changes(was: Clause, now: Clause) -> list[Message]:
    """Each language whose translation of the clause (Netac's own) comes, goes or changes."""
    out = []
    for code in sorted(set(was.translations) | set(now.translations)):
        a, b = was.translations.get(code), now.translations.get(code)
        if a is None:
            out.append(Message("{language} translation added", language=code))
        elif b is None:
            out.append(Message("{language} translation removed", language=code))
        elif a != b:
            out.append(Message("{language} translation changed", language=code))
    return out


def _joined(parts: list[Message]) -> Message:
    """Changes one after another, `; ` between them (a Message, so each is said in its language)."""
    joined = parts[0]
    for part in parts[1:]:
        joined = Message("{before}; {after}", before=joined, after=part)
    return joined


def _identity_changes(old: Policy, new: Policy, lines: list[str]) -> list[Message]:
    """Each identity fact that changes, per line (a line's capacities share its identity)."""
    out = []
    for line in lines:
        was = next(p for p in old.catalog.products if p.line == line).identity or Identity()
        now = next(p for p in new.catalog.products if p.line == line).identity or Identity()
        sources = dict(now.taught)
        for fact in IDENTITY_FACTS:
            a, b = getattr(was, fact), getattr(now, fact)
            if a != b:
                change = {"line": line, "fact": fact, "old": _fact(a), "new": _fact(b)}
                out.append(
                    Message(
                        "line {line}: identity {fact} {old} -> {new} (source: {source})", **change, source=sources[fact]
                    )
                    if fact in sources and b is not None
                    else Message("line {line}: identity {fact} {old} -> {new}", **change)
                )
    return out


def _fact(value: str | tuple[str, ...] | None) -> str:
    if value is None:
        return Message("none")
    if isinstance(value, tuple):
        return _any_of([f"'{v}'" for v in value])
    return f"'{value}'"


def _any_of(values: list[str]) -> str:
    """`'a' or 'b' or 'c'` (a Message when there is more than one, so `or` is said in its language)."""
    joined = values[0]
    for value in values[1:]:
        joined = Message("{before} or {after}", before=joined, after=value)
    return joined


def unsourced_products(policy: Policy) -> list[Product]:
    """Products a claim on which goes to review for want of a sourced figure."""
    return [p for p in policy.catalog.products if "tbw_tb" in p.unsourced or "warranty_years" in p.unsourced]


def _row_error(origin: str, number: int) -> Callable[[str, Message], PolicyFileError]:
    def bad(column: str, problem: Message) -> PolicyFileError:
        return PolicyFileError(
            Message(
                "{origin}: row {number}, {column}: {problem}",
                origin=origin,
                number=number,
                column=column,
                problem=problem,
            )
        )

    return bad


def _number(text: str) -> int | float | None:
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        value = float(text)
        return value if math.isfinite(value) else None
    return None


def _figure(value: object) -> str:
    return Message("none") if value is None else str(value)


def _quote(text: str, limit: int = 40) -> str:
    text = _one_line(text)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _one_line(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", " ", text)
