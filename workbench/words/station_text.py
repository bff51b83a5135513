"""The station's figures and a shipment's packing list as text: the report screen, the
shipment screen and `workbench report` / `workbench shipment` print the same."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.words.text import strip_control

if TYPE_CHECKING:
    from db.report import Spread, StationFigures
    from db.store import ShipmentView, ShippedDrive

BAR_WIDTH = 20  # fits beside a label in 80 columns


def _number(value: float | None, unit: str = "", digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}{unit}"


def _spread(spread: Spread, unit: str = "", digits: int = 1, scale: float = 1.0) -> str:
    if spread.count == 0:
        return "no case has it"
    median = None if spread.median is None else spread.median * scale
    p90 = None if spread.p90 is None else spread.p90 * scale
    return f"median {_number(median, unit, digits)}, p90 {_number(p90, unit, digits)} (of {spread.count:,} cases)"


def bar(count: int, most: int) -> str:
    """A bar of up to BAR_WIDTH blocks, in characters any terminal and printer shows."""
    filled = round(BAR_WIDTH * count / most) if most else 0
    return "#" * filled + "." * (BAR_WIDTH - filled)


def report_lines(figures: StationFigures) -> list[str]:
    """The report as lines of at most 80 columns, with bars for the counts."""
    f = figures
    out = [
        f"Station figures, cases opened {f.since.isoformat()} to {f.until.isoformat()} (station time)",
        f"Claims: {f.claims:,} (withdrawn, not counted: {f.withdrawn:,})",
        "",
        "Claims per product line and capacity:",
    ]
    most = max((p.claims for p in f.by_product), default=0)
    for p in f.by_product:
        name = f"{p.product_line or '(no model)'} {p.capacity_gb or '?'} GB"
        out.append(f"  {strip_control(name)[:28]:<28} {p.claims:>9,}  {bar(p.claims, most)}")
    for title, counts in (("Verdicts:", f.verdicts), ("Reason codes (a case may give several):", f.reasons)):
        out += ["", title]
        most = max(counts.values(), default=0)
        out += [f"  {strip_control(key)[:28]:<28} {count:>9,}  {bar(count, most)}" for key, count in counts.items()]
        if not counts:
            out.append("  none")
    share = f.tbw_over_80_share
    out += [
        "",
        "At failure (as the drive reported when the case was decided):",
        f"  TBW used:        {_spread(f.tbw_used, '%', 1, 100.0)}",
        f"  over 80% of TBW: {f.tbw_over_80:,} cases ({_number(None if share is None else share * 100, '%')})",
        f"  power-on hours:  {_spread(f.power_on_hours, ' h', 0)}",
        f"Days from intake to hand-back: {_spread(f.days_to_hand_back, ' d')}",
        f"Hand-backs without an ID check: {f.hand_backs_unchecked:,} of {f.days_to_hand_back.count:,}",
        "",
        "No fault found (the diagnosis found the drive working), per product line:",
    ]
    out += [
        f"  {strip_control(n.product_line or '(no model)')[:28]:<28} {n.no_fault:>9,} of {n.decided:>9,} decided"
        f"  {_number(None if n.share is None else n.share * 100, '%')}"
        for n in f.no_fault_found
    ] or ["  no decided claim"]
    out += ["", "Supervisors:"]
    people = sorted(set(f.overrides) | set(f.reviews))
    out += [
        f"  {strip_control(name)[:28]:<28} overrides {f.overrides.get(name, 0):>6,}  reviews {f.reviews.get(name, 0):>6,}"
        for name in people
    ] or ["  no override or review"]
    return out


def report_rows(figures: StationFigures) -> list[dict[str, object]]:
    """The report as rows (figure, product_line, capacity_gb, item, value) for CSV and JSON:
    one shape for every figure, so a head office can add stations' files together."""
    f = figures
    rows: list[dict[str, object]] = []

    def row(figure: str, value: object, item: str = "", line: str = "", capacity: int | None = None) -> None:
        rows.append(
            {
                "figure": figure,
                "product_line": strip_control(line),
                "capacity_gb": capacity,
                "item": strip_control(item),
                "value": value,
            }
        )

    row("period_from", f.since.isoformat())
    row("period_to", f.until.isoformat())
    row("claims", f.claims)
    row("withdrawn", f.withdrawn)
    for p in f.by_product:
        row("claims_by_product", p.claims, line=p.product_line, capacity=p.capacity_gb)
    for verdict, count in f.verdicts.items():
        row("verdict", count, verdict)
    for code, count in f.reasons.items():
        row("reason", count, code)
    for name, spread, scale in (
        ("tbw_used_percent", f.tbw_used, 100.0),
        ("power_on_hours", f.power_on_hours, 1.0),
        ("days_to_hand_back", f.days_to_hand_back, 1.0),
    ):
        row(name, spread.count, "cases")
        for item, value in (("median", spread.median), ("p90", spread.p90)):
            row(name, None if value is None else round(value * scale, 3), item)
    row("hand_backs_without_id_check", f.hand_backs_unchecked, "cases")
    share = f.tbw_over_80_share
    row("tbw_over_80_percent", f.tbw_over_80, "cases")
    row("tbw_over_80_percent", None if share is None else round(share * 100, 3), "share")
    for n in f.no_fault_found:
        row("no_fault_found", n.no_fault, "cases", line=n.product_line)
        row("no_fault_found", n.decided, "decided", line=n.product_line)
        row(
            "no_fault_found", None if n.share is None else round(n.share * 100, 3), "share_percent", line=n.product_line
        )
    for name, count in f.overrides.items():
        row("overrides", count, name)
    for name, count in f.reviews.items():
        row("reviews", count, name)
    return rows


REPORT_COLUMNS = ("figure", "product_line", "capacity_gb", "item", "value")


def drive_line(drive: ShippedDrive) -> str:
    capacity = f"{drive.capacity_gb} GB" if drive.capacity_gb else "? GB"
    return strip_control(
        f"{drive.case_number}  {drive.model:<10} {capacity:>8}  {drive.serial:<20} replaced by {drive.replaced_by}"
    )


def packing_list_lines(shipment: ShipmentView) -> list[str]:
    """What goes in the parcel, for the printer and for Netac's goods-in."""
    s = shipment
    out = [
        f"Packing list {s.number}: failed drives returned to Netac",
        f"Station {s.station}, packed {s.created_at:%Y-%m-%d %H:%M} UTC by {s.technician}",
    ]
    if s.reference:
        out.append(f"Carrier reference: {s.reference}")
    out += ["", f"{len(s.drives)} drive(s):"]
    out += [f"  {drive_line(d)}" + (f"  ({d.reasons})" if d.reasons else "") for d in s.drives]
    return [strip_control(line) for line in out]
