"""Ordinary command-line failures are one line with the documented status, never a traceback
(probe findings L1, L2, L4, L6, L12)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest

from tests.db_helpers import CLAIM_FIELDS, new_store, sqlite_url

CLAIM = {
    "claim_date": "2026-11-24",
    "model": "NV7000",
    "capacity_gb": 2000,
    "serial": "RN1",
    "purchase_date": None,
    "manufacture_date": "2025-01-01",
    "failure_description": "dead",
    "inspection": {},
    "counterfeit": False,
    "host_bytes_written": None,
}


def run(*args: str, stdin: bytes | None = None, db=None, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    environment.pop("WORKBENCH_CONFIG", None)
    if db is not None:
        environment["WORKBENCH_DATABASE_URL"] = sqlite_url(db)
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args], input=stdin, capture_output=True, env=environment, timeout=60
    )


def one_line(result: subprocess.CompletedProcess, status: int, words: str) -> None:
    err = result.stderr.decode()
    assert result.returncode == status and err.count("\n") == 1 and words in err, err
    assert "Traceback" not in err


def test_an_integer_of_more_than_4300_digits(tmp_path):
    text = json.dumps(CLAIM)[:-1] + ', "x": 1' + "0" * 5000 + "}"
    one_line(run("assess", "-", stdin=text.encode()), 2, "claim: a number has too many digits")


def test_invalid_utf8_on_standard_input():
    one_line(run("assess", "-", stdin=b'{"model": "\xff"}'), 2, "-: the claim is not UTF-8 text")


def test_a_key_given_twice_is_refused_naming_it():
    text = json.dumps(CLAIM)[:-1] + ', "counterfeit": true}'
    one_line(run("assess", "-", stdin=text.encode()), 2, '"counterfeit": is given twice')


def test_a_ticket_with_bytes_that_are_not_utf8():
    ticket = b"NW1|\xff|LOCAL|a|b|c|d|e|f|g|" + b"A" * 86
    one_line(run("ticket", "verify", "--offline", stdin=ticket), 2, "not a workbench ticket")
    one_line(run("ticket", "verify", "--offline", os.fsdecode(ticket)), 2, "not a workbench ticket")


@pytest.mark.parametrize("url", ["foo://", "not a url"])
def test_a_database_url_that_is_not_one(url):
    one_line(run("cases", "list", WORKBENCH_DATABASE_URL=url), 1, "is not usable")


@pytest.mark.parametrize("where, words", [("missing/x.csv", "No such file or directory"), (".", "Is a directory")])
def test_an_export_path_that_cannot_be_written(tmp_path, where, words):
    new_store(tmp_path).create_case(CLAIM_FIELDS)
    one_line(
        run("cases", "export", "--format", "csv", "--output", str(tmp_path / where), db=tmp_path / "cases.db"), 2, words
    )


def test_a_reader_that_stops_early(tmp_path):
    store = new_store(tmp_path)
    for _ in range(300):
        store.create_case(CLAIM_FIELDS)
    environment = {**os.environ, "WORKBENCH_DATABASE_URL": sqlite_url(tmp_path / "cases.db")}
    environment.pop("WORKBENCH_CONFIG", None)
    done = subprocess.run(
        f'{sys.executable} -m workbench cases export --format json | head -c 10; echo " status=${{PIPESTATUS[0]}}"',
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert done.stdout.endswith(" status=141\n") and done.stderr == "", done.stderr


def test_a_postgresql_server_that_does_not_answer_is_one_line(tmp_path):
    """Probe L12: the driver's message has two lines of its own."""
    pytest.importorskip("psycopg")
    url = "postgresql+psycopg://workbench@127.0.0.1:1/cases"  # nothing listens on port 1
    one_line(run("cases", "list", WORKBENCH_DATABASE_URL=url, HOME=str(tmp_path)), 1, "cannot open the case database")


def test_only_the_command_asked_for_is_built() -> None:
    """The TUI's start builds no command (their modules stay unimported); a command builds
    its own; help and a misspelt command still see them all."""
    from workbench.cli import COMMANDS, build_parser

    def commands(argv: list[str]) -> set[str]:
        parser = build_parser(argv)
        found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return set(found[0].choices) if found else set()

    assert commands([]) == commands(["--training", "--new-claim"]) == set()
    assert commands(["cases", "list", "--status", "decided"]) == {"cases"}
    assert commands(["--help"]) == commands(["casse"]) == set(COMMANDS)
    program = "import sys; from workbench.cli import build_parser; build_parser(['--training']); print(sorted(m for m in sys.modules if m.startswith('workbench.commands.')))"
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    listed = run("--help")
    assert listed.returncode == 0 and all(name.encode() in listed.stdout for name in COMMANDS)
    misspelt = run("casse")
    assert misspelt.returncode == 2 and b"invalid choice: 'casse'" in misspelt.stderr
