"""Shared set-up for the case-record tests: a store on a throwaway SQLite file."""

from __future__ import annotations

from pathlib import Path

from db import open_store

CLAIM_FIELDS = {
    "customer_name": "Li Wei",
    "customer_contact": "+86 755 0000 0000",
    "model": "NV7000",
    "capacity_gb": "2000",
    "serial": "RN202303092TB677720",
    "purchase_date": "2025-01-10",
    "failure_description": "not detected",
}


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def new_store(tmp_path: Path, *, station: str = "SZ01", technician: str = "ana", name: str = "cases.db"):
    return open_store(sqlite_url(tmp_path / name), station_id=station, technician=technician)
