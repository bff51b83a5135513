"""The policy in use as lines of text: `workbench policy show` and the TUI's policy screen.

Our words are in the session's language; Netac's clauses are quoted as Netac wrote them, and the
policy's own data (lines, sources, notes, the file's keys) as the file holds it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.words.clause_text import clause_text
from workbench.words.language import N_, _, ngettext, say
from workbench.words.text import pad, strip_control

if TYPE_CHECKING:
    from policy import Policy, Product

IMPORT_HINT = N_("Enter Netac's current table with `workbench policy import FILE.csv`.")


def policy_lines(policy: Policy, products: list[Product] | None = None) -> list[str]:
    """The version in use, then per capacity its TBW, years and source, then what is unsourced."""
    from policy.station_copy import unsourced_products

    shown = products if products is not None else sorted(policy.catalog.products, key=lambda p: (p.line, p.capacity_gb))
    if policy.issue is None:
        title = _("Policy {id}, file {file}, sha256 {sha256}")
    else:
        title = _("Policy {id}, file {file}, issue {issue}, sha256 {sha256}")
    lines = [title.format(id=policy.id, file=where(policy.origin), issue=policy.issue, sha256=policy.sha256)]
    if policy.notice:
        lines.append(_("REFUSED: {notice}").format(notice=strip_control(say(policy.notice))))
    line_head, years_head, source_head = _("line"), _("years"), _("source")
    lines.append(f"{pad(line_head, 10)} {right('GB', 6)} {right('TBW (TB)', 9)} {right(years_head, 5)}  {source_head}")
    for p in shown:
        missing = [name for name in ("tbw_tb", "warranty_years") if name in p.unsourced]
        source = p.figure_source or "-"
        if not missing:
            said = source
        elif p.figure_source:
            said = _("UNSOURCED: {fields} (other figure: {source})").format(fields=", ".join(missing), source=source)
        else:
            said = _("UNSOURCED: {fields}").format(fields=", ".join(missing))
        lines.append(
            f"{pad(p.line, 10)} {right(str(p.capacity_gb), 6)} {right(_figure(p.tbw_tb), 9)} "
            f"{right(_figure(p.warranty_years), 5)}  " + strip_control(said)
        )
        if p.figure_note:
            lines.append(" " * 34 + _("note: {note}").format(note=strip_control(p.figure_note)))
    waiting = [p for p in unsourced_products(policy) if p in shown]
    if waiting:
        lines.append(
            ngettext(
                "{count} of {total} product(s) have no sourced warranty period or TBW: claims on "
                "them go to review. {hint}",
                "{count} of {total} product(s) have no sourced warranty period or TBW: claims on "
                "them go to review. {hint}",
                len(shown),
            ).format(count=len(waiting), total=len(shown), hint=_(IMPORT_HINT))
        )
    return lines


def clause_lines(policy: Policy) -> list[str]:
    """The clauses the policy is quoted by, each as `[where on the policy page] Netac's words`
    (never translated: they stand as Netac wrote them); a clause the station's file lacks says
    that the bundled policy's words stand in for it."""
    lines = [_("Clauses, as Netac words them:")]
    for key, clause in policy.clauses.items():
        lines.append(strip_control(f"[{clause.ref}] {clause_text(clause)}"))
        if key in policy.clauses_from_bundled:
            lines.append(
                "  "
                + _("(clauses.{key} is not in this file: the bundled policy's clause stands in for it)").format(key=key)
            )
    lines += [strip_control(f"[{e.clause.ref}] {clause_text(e.clause)}") for e in policy.exclusions]
    return lines


def unsourced_products_count(policy: Policy) -> int:
    from policy.station_copy import unsourced_products

    return len(unsourced_products(policy))


def where(origin: str) -> str:
    """Where the policy in use comes from, in the session's language (a path as it is)."""
    return _("bundled with the workbench") if origin == "bundled" else origin


def right(text: str, width: int) -> str:
    """`text` right-aligned in `width` terminal cells (a Han character takes two)."""
    from rich.cells import cell_len

    return " " * max(0, width - cell_len(text)) + text


def _figure(value: object) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
