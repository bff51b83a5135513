"""The same store on a real PostgreSQL server: the URL a chain of stations would configure.

A private server (Debian's postgresql, installed by ./bench test) runs on a Unix socket in
a temporary folder, with no TCP port; as root it runs as 'nobody', as PostgreSQL requires.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from db import open_store
from tests.db_helpers import CLAIM_FIELDS

WRITER = str(Path(__file__).with_name("db_writer.py"))


def _server_binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.skip("PostgreSQL server not installed (./bench test installs Debian's postgresql)")
    return Path(found[-1]).parent


# One worker runs the whole module, so its PostgreSQL server (a module fixture) is made once, not once per worker.
pytestmark = pytest.mark.xdist_group("db_postgresql")


@pytest.fixture(scope="module")
def pg_url():
    binaries = _server_binaries()
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="workbench-pg-"))
    if os.geteuid() == 0:
        as_user = [
            shutil.which("setpriv") or pytest.skip("running as root without setpriv"),
            "--reuid",
            "nobody",
            "--regid",
            "nogroup",
            "--clear-groups",
        ]
        folder.chmod(0o755)
        shutil.chown(folder, "nobody", "nogroup")
    data = folder / "data"

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120, cwd=folder)

    run(str(binaries / "initdb"), "-D", str(data), "-U", "workbench", "-A", "trust", "--no-sync", "-E", "UTF8")
    run(
        str(binaries / "pg_ctl"),
        "-D",
        str(data),
        "-w",
        "-l",
        str(folder / "server.log"),
        "-o",
        f"-k {folder} -c listen_addresses='' -c fsync=off",
        "start",
    )
    try:
        yield f"postgresql+psycopg://workbench@/postgres?host={folder}"
    finally:
        run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_a_whole_case_on_postgresql(pg_url):
    store = open_store(pg_url, station_id="PG01", technician="ana")
    number = store.create_case(CLAIM_FIELDS).number
    store.save_draft(number, "inspection", {"customer_contact": "li.wei@example.com"})
    store.record_inspection(number, [("warranty_sticker", False, ""), ("burn_marks", True, "near the controller")])
    store.record_smart(
        number,
        {"device": "/dev/nvme0", "serial": CLAIM_FIELDS["serial"], "host_bytes_written": 9},
        b"smartctl \xff raw",
    )
    store.record_findings(number, [{"check": "catalog", "severity": "ok", "message": "model in catalog"}])
    store.record_decision(
        number,
        {"verdict": "not_covered", "reasons": [{"code": "burn_marks"}]},
        "netac-2025",
        override={"supervisor": "bo", "verdict": "covered", "reason": "goodwill"},
    )
    ticket = store.add_ticket(number, "payload", "counter")
    store.mark_ticket(ticket, "failed", "out of paper")
    store.mark_ticket(ticket, "printed")
    assert store.ticket_given(number) == "decided"  # covered: repair or replacement comes next
    store.record_replacement(number, "RN2025NEW0001", "NV7000", 1000)
    store.record_hand_back(number, "Li Wei", True, "rn2025new0001")

    case = open_store(pg_url, station_id="PG01", technician="bo").get_case(number)
    assert case.summary.status == "handed_back" and case.summary.verdict == "covered"
    assert case.replacement.serial == "RN2025NEW0001" and case.hand_back.collected_by == "Li Wei"
    assert case.fields["customer_contact"] == "li.wei@example.com"
    assert [(i.key, i.finding, i.note) for i in case.inspection][1] == ("burn_marks", True, "near the controller")
    assert case.snapshots[0].raw_output == b"smartctl \xff raw"
    assert (case.tickets[0].status, case.tickets[0].attempts) == ("printed", 2)
    assert [c.number for c in store.history(CLAIM_FIELDS["serial"])] == [number]
    assert [c.number for c in store.find("li wei")] == [number]
    assert store.verify_audit().intact


def test_four_processes_on_one_server_get_unique_numbers(pg_url):
    open_store(pg_url, station_id="PG02", technician="setup")  # the schema exists before they start
    procs = [
        subprocess.Popen(
            [sys.executable, WRITER, pg_url, station, "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for station in ("PG02", "PG02", "PG03", "PG03")
    ]  # two counters share each station's sequence
    results = [p.communicate(timeout=180) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert (p.returncode, err) == (0, "")
    store = open_store(pg_url, station_id="PG02", technician="check")
    for station in ("PG02", "PG03"):
        numbers = sorted(c.number[-6:] for c in store.list_cases() if c.number.startswith(station + "-"))
        assert numbers == [f"{i:06d}" for i in range(1, 121)]
    report = store.verify_audit()
    assert report.intact, report.problem


def test_four_processes_opening_a_new_server_database_at_once(pg_url, tmp_path):
    import psycopg

    host = pg_url.split("host=")[1]
    with psycopg.connect(host=host, user="workbench", dbname="postgres", autocommit=True) as admin:
        admin.execute("CREATE DATABASE fresh")
    url = pg_url.replace("/postgres?", "/fresh?")
    start = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, WRITER, url, f"PN{n}", "5", str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    start.touch()  # all four find no schema and race to create it
    results = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert (p.returncode, err) == (0, "")
    assert len(open_store(url, station_id="PN0", technician="check").list_cases()) == 20
