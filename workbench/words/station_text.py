"""The station's figures and a shipment's packing list as text: the report screen, the
shipment screen and `workbench report` / `workbench shipment` print the same."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.words.language import N_, _, ngettext, shown_date, shown_number, shown_time
from workbench.words.policy_text import right
from workbench.words.text import pad, strip_control
from workbench.words.vocabulary import code_words

if TYPE_CHECKING:
    from db.report import Spread, StationFigures
    from db.store import ShipmentView, ShippedDrive

BAR_WIDTH = 20  # fits beside a label in 80 columns
NAME_WIDTH = 28  # the cells of a name (a product line, a code, a supervisor) before its figures
LABEL_WIDTH = 17  # the cells of a label before its figure ("TBW used:")

# A figure's unit, as the report writes a value with it.
UNITS = {"": "{value}", "%": "{value}%", " h": N_("{value} h"), " d": N_("{value} d")}


def _number(value: float | None, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "-"
    return _(UNITS[unit]).format(value=shown_number(value, digits))


def _spread(spread: Spread, unit: str = "", digits: int = 1, scale: float = 1.0) -> str:
    if spread.count == 0:
        return _("no case has it")
    median = None if spread.median is None else spread.median * scale
    p90 = None if spread.p90 is None else spread.p90 * scale
    return ngettext(
        "median {median}, p90 {p90} (of {count} cases)", "median {median}, p90 {p90} (of {count} cases)", spread.count
    ).format(median=_number(median, unit, digits), p90=_number(p90, unit, digits), count=shown_number(spread.count))


def _name(text: str) -> str:
    """A name cut and padded to NAME_WIDTH cells (never in the middle of a character)."""
    from rich.cells import set_cell_size

    return set_cell_size(strip_control(text), NAME_WIDTH)


def bar(count: int, most: int) -> str:
    """A bar of up to BAR_WIDTH blocks, in characters any terminal and printer shows."""
    filled = round(BAR_WIDTH * count / most) if most else 0
    return "#" * filled + "." * (BAR_WIDTH - filled)


def report_lines(figures: StationFigures) -> list[str]:
    """The report as lines of at most 80 columns (terminal cells), with bars for the counts."""
    f = figures
    out = [
        _("Station figures, cases opened {since} to {until} (station time)").format(
            since=shown_date(f.since), until=shown_date(f.until)
        ),
        _("Claims: {claims} (withdrawn, not counted: {withdrawn})").format(
            claims=shown_number(f.claims), withdrawn=shown_number(f.withdrawn)
        ),
        "",
        _("Claims per product line and capacity:"),
    ]
    most = max((p.claims for p in f.by_product), default=0)
    no_model = _("(no model)")
    for p in f.by_product:
        name = f"{p.product_line or no_model} {p.capacity_gb or '?'} GB"
        out.append(f"  {_name(name)} {right(shown_number(p.claims), 9)}  {bar(p.claims, most)}")
    # Verdicts as the session names them short (code_words); reason codes are codes in every
    # language (their heading says so).
    verdict = code_words
    for title, counts, named in (
        (_("Verdicts:"), f.verdicts, verdict),
        (_("Reason codes (a case may give several):"), f.reasons, lambda code: code),
    ):
        out += ["", title]
        most = max(counts.values(), default=0)
        out += [
            f"  {_name(named(key))} {right(shown_number(count), 9)}  {bar(count, most)}"
            for key, count in counts.items()
        ]
        if not counts:
            out.append("  " + _("none"))
    share = f.tbw_over_80_share
    out += [
        "",
        _("At failure (as the drive reported when the case was decided):"),
        "  " + pad(_("TBW used:"), LABEL_WIDTH) + _spread(f.tbw_used, "%", 1, 100.0),
        "  "
        + pad(_("over 80% of TBW:"), LABEL_WIDTH)
        + ngettext("{count} cases ({share})", "{count} cases ({share})", f.tbw_over_80).format(
            count=shown_number(f.tbw_over_80), share=_number(None if share is None else share * 100, "%")
        ),
        "  " + pad(_("power-on hours:"), LABEL_WIDTH) + _spread(f.power_on_hours, " h", 0),
        _("Days from intake to hand-back: {spread}").format(spread=_spread(f.days_to_hand_back, " d")),
        _("Hand-backs without an ID check: {count} of {total}").format(
            count=shown_number(f.hand_backs_unchecked), total=shown_number(f.days_to_hand_back.count)
        ),
        "",
        _("No fault found (the diagnosis found the drive working), per product line:"),
    ]
    out += [
        f"  {_name(n.product_line or no_model)} "
        + _("{count} of {decided} decided").format(
            count=right(shown_number(n.no_fault), 9), decided=right(shown_number(n.decided), 9)
        )
        + f"  {_number(None if n.share is None else n.share * 100, '%')}"
        for n in f.no_fault_found
    ] or ["  " + _("no decided claim")]
    out += ["", _("Supervisors:")]
    people = sorted(set(f.overrides) | set(f.reviews))
    out += [
        f"  {_name(name)} "
        + _("overrides {overrides}  reviews {reviews}").format(
            overrides=right(shown_number(f.overrides.get(name, 0)), 6),
            reviews=right(shown_number(f.reviews.get(name, 0)), 6),
        )
        for name in people
    ] or ["  " + _("no override or review")]
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
        _("{case}  {model} {capacity}  {serial} replaced by {replacement}").format(
            case=drive.case_number,
            model=pad(drive.model, 10),
            capacity=right(capacity, 8),
            serial=pad(drive.serial, 20),
            replacement=drive.replaced_by,
        )
    )


def packing_list_lines(shipment: ShipmentView) -> list[str]:
    """What goes in the parcel, for the printer and for Netac's goods-in."""
    s = shipment
    out = [
        _("Packing list {number}: failed drives returned to Netac").format(number=s.number),
        _("Station {station}, packed {time} UTC by {technician}").format(
            station=s.station, time=shown_time(s.created_at), technician=s.technician
        ),
    ]
    if s.reference:
        out.append(_("Carrier reference: {reference}").format(reference=s.reference))
    out += ["", ngettext("{count} drive(s):", "{count} drive(s):", len(s.drives)).format(count=len(s.drives))]
    out += [f"  {drive_line(d)}" + (f"  ({d.reasons})" if d.reasons else "") for d in s.drives]
    return [strip_control(line) for line in out]
