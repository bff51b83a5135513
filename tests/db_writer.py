"""A separate process writing cases, for the concurrency and crash tests.

python tests/db_writer.py URL STATION COUNT [START_FILE]   write COUNT cases, print each number
python tests/db_writer.py URL STATION hold                 stop inside a write transaction
"""

from __future__ import annotations

import sys
import time
from datetime import UTC
from pathlib import Path

from sqlmodel import Session

from db import open_store
from db.models import Case


def main() -> None:
    url, station, what = sys.argv[1:4]
    if len(sys.argv) > 4:  # start together with the other writers
        start = Path(sys.argv[4])
        while not start.exists():
            time.sleep(0.005)
    store = open_store(url, station_id=station, technician=f"tech-{station}")
    if what == "hold":
        with Session(store.engine) as session:  # a write transaction left open until the kill
            session.add(
                Case(
                    number=f"{station}-UNCOMMITTED",
                    station=station,
                    year=1,
                    seq=1,
                    technician="x",
                    created_at=_now(),
                    updated_at=_now(),
                )
            )
            session.flush()
            print("in transaction", flush=True)
            time.sleep(600)
        return
    for i in range(int(what)):
        case = store.create_case({"serial": f"{station}-{i}", "customer_name": f"Customer {station} {i}"})
        store.save_draft(case.number, "inspection", {"model": "NV7000"})
        print(case.number, flush=True)


def _now():
    from datetime import datetime

    return datetime.now(UTC)


if __name__ == "__main__":
    main()
