"""The policy in use as lines of text: `workbench policy show` and the TUI's policy screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.words.text import strip_control

if TYPE_CHECKING:
    from policy import Policy, Product

IMPORT_HINT = "Enter Netac's current table with `workbench policy import FILE.csv`."


def policy_lines(policy: Policy, products: list[Product] | None = None) -> list[str]:
    """The version in use, then per capacity its TBW, years and source, then what is unsourced."""
    from policy.station_copy import unsourced_products

    shown = products if products is not None else sorted(policy.catalog.products, key=lambda p: (p.line, p.capacity_gb))
    issue = "" if policy.issue is None else f", issue {policy.issue}"
    lines = [f"Policy {policy.id}, file {where(policy.origin)}{issue}, sha256 {policy.sha256}"]
    if policy.notice:
        lines.append(f"REFUSED: {strip_control(policy.notice)}")
    lines.append(f"{'line':<10} {'GB':>6} {'TBW (TB)':>9} {'years':>5}  source")
    for p in shown:
        missing = [name for name in ("tbw_tb", "warranty_years") if name in p.unsourced]
        source = p.figure_source or "-"
        lines.append(
            f"{p.line:<10} {p.capacity_gb:>6} {_figure(p.tbw_tb):>9} {_figure(p.warranty_years):>5}  "
            + strip_control(
                source
                if not missing
                else f"UNSOURCED: {', '.join(missing)}" + (f" (other figure: {source})" if p.figure_source else "")
            )
        )
        if p.figure_note:
            lines.append(f"{'':<34}note: {strip_control(p.figure_note)}")
    waiting = [p for p in unsourced_products(policy) if p in shown]
    if waiting:
        lines.append(
            f"{len(waiting)} of {len(shown)} product(s) have no sourced warranty period or TBW: claims on "
            f"them go to review. {IMPORT_HINT}"
        )
    return lines


def clause_lines(policy: Policy) -> list[str]:
    """The clauses the policy is quoted by, each as `[where on the policy page] Netac's words`;
    a clause the station's file lacks says that the bundled policy's words stand in for it."""
    lines = ["Clauses, as Netac words them:"]
    for key, clause in policy.clauses.items():
        lines.append(strip_control(f"[{clause.ref}] {clause.text}"))
        if key in policy.clauses_from_bundled:
            lines.append(f"  (clauses.{key} is not in this file: the bundled policy's clause stands in for it)")
    lines += [strip_control(f"[{e.clause.ref}] {e.text}") for e in policy.exclusions]
    return lines


def unsourced_products_count(policy: Policy) -> int:
    from policy.station_copy import unsourced_products

    return len(unsourced_products(policy))


def where(origin: str) -> str:
    return "bundled with the workbench" if origin == "bundled" else origin


def _figure(value: object) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
