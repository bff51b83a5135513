"""The station's figures over a period, for the manager's monthly report to Netac.

Read from the case table alone (each case carries its figures from the decision and the
hand-back, revision 0007), with the grouping and sorting done by the database: a year of a
busy station, or a million cases, is one pass per figure.

Definitions (also in the README): a claim is a case opened in the period and not
withdrawn; "at failure" is what the drive reported when the case was decided; a median is
the middle value (the mean of the two middle ones for an even count); p90 is the 90th
percentile by the inclusive method (Python's statistics.quantiles(method="inclusive")).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
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
    def of_sorted(cls, values: Sequence[float]) -> Spread:
        n = len(values)
        if n == 0:
            return cls(0, None, None)
        middle = n // 2
        median = float(values[middle]) if n % 2 else (values[middle - 1] + values[middle]) / 2
        if n == 1:
            return cls(1, median, float(values[0]))
        position = (n - 1) * 0.9  # inclusive method: interpolate between the ranks around it
        low = int(position)
        high = min(low + 1, n - 1)
        p90 = values[low] + (values[high] - values[low]) * (position - low)
        return cls(n, median, float(p90))


@dataclass(frozen=True)
class ProductCount:
    product_line: str
    capacity_gb: int | None
    claims: int


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
    overrides: dict[str, int]  # by supervisor
    reviews: dict[str, int]  # resolved, by supervisor

    @property
    def tbw_over_80_share(self) -> float | None:
        return self.tbw_over_80 / self.tbw_used.count if self.tbw_used.count else None


def utc_bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """The first and last instants of the days `since`..`until` on the station's clock, in UTC
    (as the records keep their times)."""
    start = datetime.combine(since, time.min).astimezone().astimezone(UTC)
    end = datetime.combine(until, time.max).astimezone().astimezone(UTC)
    return start, end


def station_figures(connection: Connection, since: date, until: date) -> StationFigures:
    start, end = utc_bounds(since, until)
    period = "created_at >= :start AND created_at <= :end"
    claimed = f"{period} AND status != 'withdrawn'"
    params = {"start": start, "end": end}

    def rows(sql: str) -> Sequence[Any]:
        query = text(sql).bindparams(bindparam("start", type_=DateTime), bindparam("end", type_=DateTime))
        return connection.execute(query, params).fetchall()

    products: Counter[tuple[str, int | None]] = Counter()
    verdicts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    overrides: Counter[str] = Counter()
    reviews: Counter[str] = Counter()
    claims = 0
    for line, capacity, verdict, codes, override_by, reviewed_by, count in rows(
        "SELECT product_line, capacity_gb, verdict, reasons, override_by, reviewed_by, count(*) "
        f"FROM case_record WHERE {claimed} GROUP BY 1, 2, 3, 4, 5, 6"
    ):
        claims += count
        products[(line or "", capacity)] += count
        verdicts[verdict or NO_VERDICT] += count
        for code in (codes or "").split():
            reasons[code] += count
        if override_by:
            overrides[override_by] += count
        if reviewed_by:
            reviews[reviewed_by] += count
    (withdrawn,) = rows(f"SELECT count(*) FROM case_record WHERE {period} AND status = 'withdrawn'")[0]

    def spread(expression: str) -> list[float]:
        return [
            value
            for (value,) in rows(
                f"SELECT {expression} AS v FROM case_record WHERE {claimed} AND {expression} IS NOT NULL ORDER BY 1"
            )
        ]

    tbw = spread("tbw_used")
    over = len(tbw) - _first_above(tbw, TBW_HIGH_SHARE)
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
        tbw_used=Spread.of_sorted(tbw),
        tbw_over_80=over,
        power_on_hours=Spread.of_sorted(spread("power_on_hours")),
        days_to_hand_back=Spread.of_sorted(spread(_days_between(connection, "created_at", "handed_back_at"))),
        overrides=dict(overrides.most_common()),
        reviews=dict(reviews.most_common()),
    )


def _first_above(values: Sequence[float], limit: float) -> int:
    """The index of the first value over `limit` in sorted `values` (len when none is)."""
    low, high = 0, len(values)
    while low < high:
        middle = (low + high) // 2
        if values[middle] > limit:
            high = middle
        else:
            low = middle + 1
    return low


def _days_between(connection: Connection, start: str, end: str) -> str:
    if connection.dialect.name == "sqlite":
        return f"(julianday({end}) - julianday({start}))"
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"
