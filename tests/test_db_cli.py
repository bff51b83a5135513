"""`workbench cases list|show|export` on a real database, as a station manager runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from dataclasses import asdict

import pytest

from db.listing import CaseFilter
from tests.db_helpers import CLAIM_FIELDS, new_store, sqlite_url
from workbench.commands import csv_safe
from workbench.commands.cases import COLUMNS, PAGE, write_export
from workbench.words.text import clean_data


@pytest.fixture
def station(tmp_path):
    store = new_store(tmp_path)
    covered = store.create_case(CLAIM_FIELDS).number
    store.record_smart(covered, {"device": "/dev/nvme0", "host_bytes_written": 7}, b"raw \xff bytes")
    store.record_decision(covered, {"verdict": "covered", "remedy": "repair_or_replace", "reasons": []}, "p")
    hostile = store.create_case(
        {**CLAIM_FIELDS, "serial": "RN2", "customer_name": '=HYPERLINK("x") \x1b[2J[bold]'}
    ).number
    return tmp_path, covered, hostile


def cli(tmp_path, *args):
    env = {**os.environ, "WORKBENCH_DATABASE_URL": sqlite_url(tmp_path / "cases.db")}
    env.pop("WORKBENCH_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "workbench", "cases", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_list_and_filters(station):
    tmp_path, covered, hostile = station
    out = cli(tmp_path, "list").stdout.splitlines()
    assert [line.split()[0] for line in out] == [hostile, covered]
    assert "\x1b" not in "".join(out)  # a customer's escape sequence never reaches the terminal
    assert [line.split()[0] for line in cli(tmp_path, "list", "--verdict", "covered").stdout.splitlines()] == [covered]
    assert [line.split()[0] for line in cli(tmp_path, "list", "--serial", "RN2").stdout.splitlines()] == [hostile]
    assert cli(tmp_path, "list", "--technician", "bo").stdout == ""
    assert cli(tmp_path, "list", "--from", "2999-01-01").stdout == ""


def test_bad_filters_name_the_option(station):
    tmp_path, _, _ = station
    result = cli(tmp_path, "list", "--from", "yesterday")
    assert result.returncode == 2 and "--from" in result.stderr and "YYYY-MM-DD" in result.stderr
    result = cli(tmp_path, "list", "--from", "2026-02-01", "--to", "2026-01-01")
    assert result.returncode == 2 and "--from: 2026-02-01 is after --to 2026-01-01" in result.stderr


def test_show(station):
    tmp_path, covered, _ = station
    result = cli(tmp_path, "show", covered.lower())
    assert result.returncode == 0 and f"Case {covered}: decided" in result.stdout
    data = json.loads(cli(tmp_path, "show", covered, "--json").stdout)
    assert data["decisions"][0]["verdict"] == "covered"
    assert data["snapshots"][0]["raw_output"] == "raw \ufffd bytes"
    missing = cli(tmp_path, "show", "SZ01-1999-000001")
    assert missing.returncode == 1 and "no such case" in missing.stderr


def test_export_csv_and_json(station, tmp_path):
    db_dir, covered, hostile = station
    rows = list(csv.DictReader(io.StringIO(cli(db_dir, "export", "--format", "csv").stdout)))
    assert [r["number"] for r in rows] == [hostile, covered]
    assert rows[0]["customer_name"].startswith("'=HYPERLINK")  # not a formula in a spreadsheet
    target = tmp_path / "out.json"
    assert cli(db_dir, "export", "--format", "json", "--verdict", "covered", "--output", str(target)).returncode == 0
    [row] = json.loads(target.read_text())
    assert (row["number"], row["verdict"], row["serial"]) == (covered, "covered", CLAIM_FIELDS["serial"])


def test_list_shows_a_page_and_says_how_to_see_more(tmp_path):
    store = new_store(tmp_path)
    numbers = [store.create_case(CLAIM_FIELDS).number for _ in range(PAGE + 2)][::-1]  # newest first
    listed = cli(tmp_path, "list")
    assert [line.split()[0] for line in listed.stdout.splitlines()] == numbers[:PAGE]
    assert listed.stderr == (
        f"the newest {PAGE} case(s); 2 more: --limit N or --all shows them, "
        "--from, --to, --verdict, --serial, --technician or --status narrows the list\n"
    )
    limited = cli(tmp_path, "list", "--limit", "3", "--serial", CLAIM_FIELDS["serial"])
    assert [line.split()[0] for line in limited.stdout.splitlines()] == numbers[:3]
    assert limited.stderr.startswith(f"the newest 3 case(s); {PAGE - 1} more: ")
    every = cli(tmp_path, "list", "--all")
    assert [
        line.split()[0] for line in every.stdout.splitlines()
    ] == numbers and every.stderr == f"{PAGE + 2} case(s)\n"
    assert cli(tmp_path, "list", "--limit", str(PAGE + 2)).stderr == f"{PAGE + 2} case(s)\n"  # none left
    assert f"(the newest {PAGE} unless --limit N or --all)" in cli(tmp_path, "--help").stdout
    assert f"the newest N cases (default {PAGE})" in cli(tmp_path, "list", "--help").stdout
    for wrong in (("--limit", "0"), ("--limit", "ten"), ("--limit", "3", "--all")):
        result = cli(tmp_path, "list", *wrong)
        assert result.returncode == 2 and ("--limit" in result.stderr.splitlines()[-1]), wrong


def test_export_writes_every_case_in_order_as_before(tmp_path):
    """More cases than a chunk of the stream, hostile names among them: the same files as the
    export that held every case in memory (its code is the oracle here)."""
    store = new_store(tmp_path)
    for i in range(store.LISTING_CHUNK + 5):
        name = ("=cmd|' /C calc'!A0", "Li Wei \x1b]52;c;eA==\x07", "Zhang\nWěi \u202e", f"Customer {i}")[i % 4]
        store.create_case({**CLAIM_FIELDS, "customer_name": name, "serial": f"RN{i:06d}"}, step="inspection")
    cases = store.list_cases()
    rows = [
        clean_data({k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in asdict(c).items()}) for c in cases
    ]
    assert len(rows) == store.LISTING_CHUNK + 5
    assert cli(tmp_path, "export", "--format", "json").stdout == json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    before = io.StringIO(newline="")
    csv.DictWriter(before, fieldnames=COLUMNS).writeheader()
    csv.DictWriter(before, fieldnames=COLUMNS).writerows(csv_safe(row) for row in rows)
    exported = tmp_path / "cases.csv"
    assert cli(tmp_path, "export", "--format", "csv", "--output", str(exported)).returncode == 0
    assert exported.read_bytes().decode("utf-8") == before.getvalue()
    assert cli(tmp_path, "export", "--format", "json", "--serial", "NONE").stdout == "[]\n"


@pytest.mark.parametrize("form", ["csv", "json"])
def test_export_writes_each_case_before_it_reads_the_next(station, form):
    """Nothing is held: each case is in the output before the next one is asked for."""
    db_dir, covered, hostile = station
    store = new_store(db_dir)
    out = io.StringIO()
    taken = []

    def cases():
        for case in store.stream_cases(CaseFilter()):
            assert all(number in out.getvalue() for number in taken)
            taken.append(case.number)
            yield case

    write_export(cases(), form, out)
    assert taken == [hostile, covered] and taken[-1] in out.getvalue()
