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
from dataclasses import dataclass

from policy.catalog import Product, normalise_model
from policy.document import MAX_TBW_TB, MAX_YEARS, Policy, PolicyFileError, parse_policy

COLUMNS = ("line", "capacity_gb", "tbw_tb", "warranty_years", "source")
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
            raise PolicyFileError(f"{origin}: column {name!r} is not one of {', '.join(COLUMNS)}")
    for name in COLUMNS:
        if name not in header:
            raise PolicyFileError(f"{origin}: column {name!r} is missing (the columns are {', '.join(COLUMNS)})")
    lines = {normalise_model(line): line for line in policy.catalog.lines()}
    rows: list[FigureRow] = []
    seen: set[tuple[str, int]] = set()
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise PolicyFileError(f"{origin}: row {number} has {len(values)} cells for {len(header)} columns")
        cell = {name: value.strip() for name, value in zip(header, values, strict=True)}
        bad = _row_error(origin, number)
        row = _row(cell, lines, bad)
        if (row.line, row.capacity_gb) in seen:
            raise bad("capacity_gb", f"{row.line} {row.capacity_gb} GB is listed twice")
        seen.add((row.line, row.capacity_gb))
        rows.append(row)
    if not rows:
        raise PolicyFileError(f"{origin}: no figures: the CSV has a header and no rows")
    return rows


def _row(cell: dict[str, str], lines: dict[str, str], bad: Callable[[str, str], PolicyFileError]) -> FigureRow:
    """One row of Netac's table (cells as text), checked; `bad` names where a problem is."""
    line = lines.get(normalise_model(cell["line"]))
    if line is None:
        raise bad("line", f"{_quote(cell['line'])} is not a line of the catalog ({', '.join(sorted(lines.values()))})")
    if not cell["capacity_gb"].isdigit() or int(cell["capacity_gb"]) == 0:
        raise bad("capacity_gb", f"{_quote(cell['capacity_gb'])} is not a capacity in GB such as 512 or 1000")
    capacity = int(cell["capacity_gb"])
    tbw = _number(cell["tbw_tb"])
    if cell["tbw_tb"] and (tbw is None or not 0 < tbw <= MAX_TBW_TB):
        raise bad("tbw_tb", f"{_quote(cell['tbw_tb'])} is not a positive number of TB (at most {MAX_TBW_TB:,})")
    years = int(cell["warranty_years"]) if cell["warranty_years"].isdigit() else None
    if cell["warranty_years"] and (years is None or not 1 <= years <= MAX_YEARS):
        raise bad(
            "warranty_years", f"{_quote(cell['warranty_years'])} is not a whole number of years, 1 to {MAX_YEARS}"
        )
    if tbw is None and years is None:
        raise bad("tbw_tb", "the row gives neither tbw_tb nor warranty_years")
    if not cell["source"]:
        raise bad("source", 'is empty: no source, no figure (e.g. "Netac warranty table, received 2026-11-20")')
    return FigureRow(line, capacity, tbw, years, cell["source"])


def figure_row(policy: Policy, cell: dict[str, str]) -> FigureRow:
    """One figure entered at the counter (cells as typed), checked as an imported row is;
    errors name the field."""
    lines = {normalise_model(line): line for line in policy.catalog.lines()}
    return _row(
        {name: cell.get(name, "").strip() for name in COLUMNS},
        lines,
        lambda column, problem: PolicyFileError(f"{column}: {problem}"),
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


def figures_block(rows: list[FigureRow], note: str) -> str:
    """The rows as the policy file's [station_figures] table, between the import markers."""
    out = [BLOCK_START, f"# {_one_line(note)}"]
    by_line: dict[str, list[FigureRow]] = {}
    for row in rows:
        by_line.setdefault(row.line, []).append(row)
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


def with_figures(base: str, block: str) -> str:
    """The policy file's text with its imported figures replaced by `block`."""
    start, end = base.find(BLOCK_START), base.find(BLOCK_END)
    if start >= 0 and end > start:
        base = base[:start] + base[end + len(BLOCK_END) :].lstrip("\n")
    return base.rstrip("\n") + "\n\n" + block


def station_copy(base_text: str, rows: list[FigureRow], note: str, origin: str) -> tuple[str, Policy]:
    """The station copy that `rows` make of `base_text`: its text, and the policy it is,
    checked as the workbench will load it."""
    text = with_figures(base_text, figures_block(rows, note))
    return text, parse_policy(text.encode("utf-8"), origin)


def diff(old: Policy, new: Policy) -> list[str]:
    """What `new` changes against `old`, one line a change, in the counter's words."""
    out = []
    if old.id != new.id:
        out.append(f"policy: {old.id} -> {new.id}")
    for name in sorted(set(old.clauses) | set(new.clauses)):
        was, now = old.clauses.get(name), new.clauses.get(name)
        if was != now:
            out.append(f"clause {name}: " + ("added" if was is None else "removed" if now is None else "text changed"))
    for exclusion, changed in zip(old.exclusions, new.exclusions, strict=True):  # always the ten
        if exclusion != changed:
            out.append(f"exclusion {exclusion.number} ({exclusion.key}): changed")
    old_lines, new_lines = set(old.catalog.lines()), set(new.catalog.lines())
    out += [f"line {line}: added" for line in sorted(new_lines - old_lines)]
    out += [f"line {line}: removed" for line in sorted(old_lines - new_lines)]
    before = {(p.line, p.capacity_gb): p for p in old.catalog.products}
    after = {(p.line, p.capacity_gb): p for p in new.catalog.products}
    for key in sorted(set(before) | set(after)):
        line, capacity = key
        a, b = before.get(key), after.get(key)
        if line not in old_lines or line not in new_lines:
            continue  # said with the line
        if a is None or b is None:
            out.append(f"{line} {capacity} GB: " + ("added" if a is None else "removed"))
            continue
        changes = [
            f"{name} {_figure(getattr(a, attr))} -> {_figure(getattr(b, attr))}"
            for name, attr in (("TBW", "tbw_tb"), ("warranty", "warranty_years"))
            if getattr(a, attr) != getattr(b, attr)
        ]
        if a.figure_source != b.figure_source and (changes or b.figure_source):
            changes.append(f"source {_figure(b.figure_source)}")
        if changes:
            out.append(f"{line} {capacity} GB: " + "; ".join(changes))
    return out


def unsourced_products(policy: Policy) -> list[Product]:
    """Products a claim on which goes to review for want of a sourced figure."""
    return [p for p in policy.catalog.products if "tbw_tb" in p.unsourced or "warranty_years" in p.unsourced]


def _row_error(origin: str, number: int) -> Callable[[str, str], PolicyFileError]:
    def bad(column: str, problem: str) -> PolicyFileError:
        return PolicyFileError(f"{origin}: row {number}, {column}: {problem}")

    return bad


def _number(text: str) -> int | float | None:
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        value = float(text)
        return value if math.isfinite(value) else None
    return None


def _figure(value: object) -> str:
    return "none" if value is None else str(value)


def _quote(text: str, limit: int = 40) -> str:
    text = _one_line(text)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _one_line(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", " ", text)
