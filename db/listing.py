"""Which cases a listing or an export takes: the filters of `workbench cases list|export`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from sqlalchemy import ColumnElement
from sqlmodel import col

from db.models import Case
from db.report import utc_bounds
from policy.serials import canonical_serial


@dataclass(frozen=True)
class CaseFilter:
    """`since`/`until` are days (inclusive) of creation in the station's own time zone: a case
    opened at 07:30 in Shenzhen is that day's, not the previous day's as in UTC."""

    status: str | None = None  # a state, or "sent": the failed drive is in a shipment to Netac
    technician: str | None = None
    serial: str | None = None
    verdict: str | None = None
    since: date | None = None
    until: date | None = None

    def conditions(self, zone: tzinfo | None) -> list[ColumnElement[bool]]:
        """The WHERE clauses, for a station on `zone`'s clock (None: the system's)."""
        where: list[ColumnElement[bool]] = []
        if self.status == "sent":  # not a state
            where.append(col(Case.shipment_id).is_not(None))
        elif self.status:
            where.append(col(Case.status) == self.status)
        if self.technician:
            where.append(col(Case.technician) == self.technician)
        if self.serial:
            where.append(col(Case.serial) == canonical_serial(self.serial))
        if self.verdict:
            where.append(col(Case.verdict) == self.verdict)
        if self.since:
            where.append(col(Case.created_at) >= utc_bounds(self.since, self.since, zone)[0])
        if self.until:
            where.append(col(Case.created_at) <= utc_bounds(self.until, self.until, zone)[1])
        return where
