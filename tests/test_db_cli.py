"""`workbench cases list|show|export` on a real database, as a station manager runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from tests.db_helpers import CLAIM_FIELDS, new_store, sqlite_url


@pytest.fixture
def station(tmp_path):
    store = new_store(tmp_path)
    covered = store.create_case(CLAIM_FIELDS).number
    store.record_decision(covered, {"verdict": "covered", "remedy": "repair_or_replace", "reasons": []}, "p")
    store.record_smart(covered, {"device": "/dev/nvme0", "host_bytes_written": 7}, b"raw \xff bytes")
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
