"""The station's figures over a period, for the manager's monthly report to Netac.

Read from the case table alone (each case carries its figures from the decision and the
hand-back, revision 0007), along indexes that hold them in order (db.models.Case): the
counts in one pass with nothing sorted, each median and p90 by reading the two values at
its rank. benchmarks/bench_records.py: 0.74 s over a million cases, 0.35 s for a month.

Definitions (also in docs/after-the-decision.md): a claim is a case opened in the period and not
withdrawn; "at failure" is what the drive reported when the case was decided; a median is
the middle value (the mean of the two middle ones for an even count); p90 is the 90th
percentile by the inclusive method (Python's statistics.quantiles(method="inclusive")).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.engine import Connection

NO_VERDICT = "undecided"
TBW_HIGH_SHARE = 0.8  # "share over 80% of the limit"


@dataclass(frozen=True)
class Spread:
    """A figure's distribution over the cases that have it."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def from_ranks(cls, count: int, at: Callable[[int], Sequence[float]]) -> Spread:
        """The spread of `count` values, reading only the ones it needs: `at(rank)` gives the
        value at that rank of the sorted values (from 0) and the next one, when there is one."""
        if count == 0:
            return cls(0, None, None)
        middle = at((count - 1) // 2)
        median = float(middle[0]) if count % 2 else (middle[0] + middle[1]) / 2
        position = (count - 1) * 0.9  # the inclusive method: between the ranks around it
        low = int(position)
        around = at(low)
        high = around[1] if len(around) > 1 else around[0]
        return cls(count, median, float(around[0] + (high - around[0]) * (position - low)))


@dataclass(frozen=True)
class ProductCount:
    product_line: str
    capacity_gb: int | None
    claims: int


@dataclass(frozen=True)
class NoFaultFound:
    """A product line's decided claims and how many of them the diagnosis found no fault in:
    the no-fault-found (NFF) rate a manufacturer's RMA department watches first."""

    product_line: str
    decided: int  # claims of the line with a verdict
    no_fault: int  # ... of which not covered because no fault was found

    @property
    def share(self) -> float | None:
        return self.no_fault / self.decided if self.decided else None


@dataclass(frozen=True)
class StationFigures:
    since: date
    until: date
    claims: int
    withdrawn: int
    by_product: tuple[ProductCount, ...]  # most claims first
    verdicts: dict[str, int]
    reasons: dict[str, int]  # each reason code's count (a case may give several)
    tbw_used: Spread  # share of the TBW limit written (1.0 = the limit)
    tbw_over_80: int  # cases over 80% of their limit
    power_on_hours: Spread
    days_to_hand_back: Spread
    hand_backs_unchecked: int  # handed back without the collector's ID checked (a reason recorded)
    overrides: dict[str, int]  # by supervisor
    reviews: dict[str, int]  # resolved, by supervisor
    no_fault_found: tuple[NoFaultFound, ...] = ()  # by product line, most decided claims first

    @property
    def tbw_over_80_share(self) -> float | None:
        return self.tbw_over_80 / self.tbw_used.count if self.tbw_used.count else None


def utc_bounds(since: date, until: date, zone: tzinfo | None = None) -> tuple[datetime, datetime]:
    """The first and last instants of the days `since`..`until` on the station's clock (`zone`,
    None for the system's), in UTC, as the records keep their times."""

    def instant(day: date, at: time) -> datetime:
        moment = datetime.combine(day, at)
        return (moment.replace(tzinfo=zone) if zone else moment.astimezone()).astimezone(UTC)

    start, end = instant(since, time.min), instant(until, time.max)
    return start, end


# The report's one index (db.models.Case), in the order of its grouping: the counts are read
# from it in one pass with no sorting, and the figures beside them without touching the table.
REPORT_INDEX = "ix_case_report"
NO_FAULT_FOUND = "no_fault_found"  # the reason code of a drive the diagnosis found working


def station_figures(connection: Connection, since: date, until: date, zone: tzinfo | None = None) -> StationFigures:
    start, end = utc_bounds(since, until, zone)
    sqlite = connection.dialect.name == "sqlite"
    period = "created_at >= :start AND created_at <= :end"

    def rows(sql: str) -> Sequence[Any]:
        query = text(sql).bindparams(bindparam("start", type_=DateTime), bindparam("end", type_=DateTime))
        return connection.execute(query, {"start": start, "end": end}).fetchall()

    def source(index: str) -> str:
        # SQLite's planner, without statistics, would take the created_at index and sort a
        # million rows (1.5 s for the counts); the report's indexes hold them in order.
        return f"case_record INDEXED BY {index}" if sqlite else "case_record"

    products: Counter[tuple[str, int | None]] = Counter()
    verdicts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    overrides: Counter[str] = Counter()
    reviews: Counter[str] = Counter()
    decided: Counter[str] = Counter()  # by product line
    no_fault: Counter[str] = Counter()
    claims = withdrawn = with_tbw = over_80 = with_hours = handed_back = 0
    claim = "CASE WHEN status = 'withdrawn' THEN 0 ELSE 1 END"
    for line, capacity, verdict, codes, override_by, reviewed_by, count, gone, tbw, high, hours, handed in rows(
        "SELECT product_line, capacity_gb, verdict, reasons, override_by, reviewed_by, "
        f"sum({claim}), sum(1 - {claim}), sum(CASE WHEN tbw_used IS NULL THEN 0 ELSE {claim} END), "
        f"sum(CASE WHEN tbw_used > {TBW_HIGH_SHARE} THEN {claim} ELSE 0 END), "
        f"sum(CASE WHEN power_on_hours IS NULL THEN 0 ELSE {claim} END), "
        f"sum(CASE WHEN days_to_hand_back IS NULL THEN 0 ELSE {claim} END) "
        f"FROM {source('ix_case_report')} WHERE {period} GROUP BY 1, 2, 3, 4, 5, 6"
    ):
        withdrawn += gone
        if not count:
            continue
        claims += count
        with_tbw, over_80, with_hours, handed_back = (
            with_tbw + tbw,
            over_80 + high,
            with_hours + hours,
            handed_back + handed,
        )
        products[(line or "", capacity)] += count
        verdicts[verdict or NO_VERDICT] += count
        for code in (codes or "").split():
            reasons[code] += count
        if verdict:
            decided[line or ""] += count
            no_fault[line or ""] += count if NO_FAULT_FOUND in (codes or "").split() else 0
        if override_by:
            overrides[override_by] += count
        if reviewed_by:
            reviews[reviewed_by] += count

    def spread(column: str, count: int) -> Spread:
        # The value at a rank, read along the column's index: no sorting, whatever the period.
        def at(rank: int) -> Sequence[float]:
            found = rows(
                f"SELECT {column} FROM {source('ix_case_' + column)} WHERE {period} AND status != 'withdrawn' "
                f"AND {column} IS NOT NULL ORDER BY {column} LIMIT 2 OFFSET {int(rank)}"
            )
            return [row[0] for row in found]

        return Spread.from_ranks(count, at)

    return StationFigures(
        since=since,
        until=until,
        claims=claims,
        withdrawn=withdrawn,
        by_product=tuple(
            ProductCount(line, capacity, count)
            for (line, capacity), count in sorted(
                products.items(), key=lambda item: (-item[1], item[0][0], item[0][1] or 0)
            )
        ),
        verdicts=dict(verdicts.most_common()),
        reasons=dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        tbw_used=spread("tbw_used", with_tbw),
        tbw_over_80=over_80,
        power_on_hours=spread("power_on_hours", with_hours),
        days_to_hand_back=spread("days_to_hand_back", handed_back),
        hand_backs_unchecked=rows(
            "SELECT count(*) FROM hand_back JOIN case_record ON case_record.id = hand_back.case_id "
            "WHERE NOT hand_back.id_checked AND case_record.created_at >= :start AND case_record.created_at <= :end"
        )[0][0],
        overrides=dict(overrides.most_common()),
        reviews=dict(reviews.most_common()),
        no_fault_found=tuple(
            NoFaultFound(line, count, no_fault[line])
            for line, count in sorted(decided.items(), key=lambda item: (-item[1], item[0]))
        ),
    )
