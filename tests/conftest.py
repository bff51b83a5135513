"""Fixtures shared by the test modules.

The suite runs on pytest-xdist workers (`./bench test`; `./bench test -n 0` runs it in one
process). What the workers could share is kept apart here: each test has its own stand-in
smartctl's state file, and tests marked `block_devices` (they attach loop devices or mount
filesystems, which every running workbench's drive watch sees) run alone: while one runs,
no other test runs on any worker.
"""

from __future__ import annotations

import fcntl
import os
import sys
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import db.clock
import workbench.config
from tests.as_station import take_as_station_file
from tests.tui_helpers import TODAY
from workbench.app import WorkbenchApp
from workbench.config import load_config
from workbench.door import counter_date

TERMINAL_SIZE = ("COLUMNS", "LINES")

# The suite speaks English unless a test chooses otherwise (the `chinese` fixture, or a child
# process's own environment): a developer's zh_CN login must not change what the tests read.
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"


@pytest.fixture
def chinese():
    """The process speaks Simplified Chinese for the test, English again after it."""
    from workbench.words.language import ENGLISH, set_language

    set_language("zh_CN")
    yield
    set_language(ENGLISH)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """pytest-xdist, in the process that started the run: the terminal size it was given (if
    any) goes to each worker. A worker's environment has COLUMNS=80 and LINES=24 of its own, and
    a workbench started in a pseudo-terminal would take them for its size."""
    node.workerinput["terminal_size"] = {name: os.environ.get(name) for name in TERMINAL_SIZE}


@pytest.fixture(autouse=True)
def _run_terminal_size(request, monkeypatch):
    """Each test sees the terminal size the run was started with, on a worker as in one process."""
    given = getattr(request.config, "workerinput", {}).get("terminal_size")
    for name, value in (given or {}).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


@pytest.fixture(autouse=True)
def own_smartctl_state(tmp_path, monkeypatch):
    """The stand-in smartctl keeps a self-test's place in its story in a file: the test's own,
    not the one per user in the temporary directory that tests running at once would share."""
    monkeypatch.setenv("WORKBENCH_FAKE_SMARTCTL_STATE", str(tmp_path / "smartctl-state"))


@pytest.fixture(scope="session")
def _run_lock(tmp_path_factory):
    """One lock file for the whole run, in the folder every xdist worker's base temp is in
    (None in a run with one process: nothing runs beside a test there)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return None
    return tmp_path_factory.getbasetemp().parent


@pytest.fixture(autouse=True)
def _alone_or_beside(request, _run_lock):
    """A `block_devices` test holds the run's lock exclusively; every other test holds it
    shared. A turnstile taken before either keeps a waiting `block_devices` test from being
    passed over by the other worker's next test."""
    if _run_lock is None:
        yield
        return
    alone = request.node.get_closest_marker("block_devices") is not None
    with open(_run_lock / "turnstile.lock", "a") as turnstile, open(_run_lock / "run.lock", "a") as run:
        fcntl.flock(turnstile, fcntl.LOCK_EX)
        try:
            fcntl.flock(run, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        finally:
            if not alone:
                fcntl.flock(turnstile, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(run, fcntl.LOCK_UN)
            if alone:
                fcntl.flock(turnstile, fcntl.LOCK_UN)


@pytest.fixture
def bench(tmp_path, monkeypatch):
    """Environment for a WorkbenchApp: returns a function making one. Its bench's smartctl is a
    program that answers as the demo drives would (a real child process, as at a station)."""
    config = tmp_path / "workbench.toml"
    config.write_text(
        '[station]\nid = "SZ01"\nname = "Shenzhen Futian"\nsupervisors = ["chen", "wang"]\n'
        f'[ticket]\nkey_file = "{tmp_path}/key.pem"\n[printer]\nkind = "none"\n'
        f'[smart]\nsmartctl = "{demo_smartctl(tmp_path)}"\nself_test_poll_seconds = 0.1\n'
    )
    # A fixed station key: Ed25519 signs deterministically, so the ticket's QR is the same each run.
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    take_as_station_file(monkeypatch)  # its supervisors and policy: the station's own (subprocesses: tests.as_station)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # error logs stay in the test's folder
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path}/cases.db")
    # Where the stand-in smartctl keeps each drive's place in a self-test's story: the test's own.
    monkeypatch.setenv("WORKBENCH_FAKE_SMARTCTL_STATE", str(tmp_path / "smartctl-state"))
    monkeypatch.setattr(workbench.config, "login_user", lambda: "ana")
    monkeypatch.setattr(counter_date, "today", lambda: TODAY)
    clock = iter(range(10**6))
    monkeypatch.setattr(
        db.clock, "utcnow", lambda: datetime(2026, 11, 24, 9, 30, tzinfo=UTC).replace(microsecond=next(clock))
    )

    def make(station_lines: str = "", **kwargs) -> WorkbenchApp:
        """`station_lines`: product lines (TOML) the station adds to its copy of the policy."""
        if station_lines:
            policy = tmp_path / "policy.toml"
            policy.write_text(resources.files("policy").joinpath("netac_warranty.toml").read_text() + station_lines)
            with config.open("a") as out:
                out.write(f'[policy]\nfile = "{policy}"\n')
        return WorkbenchApp(load_config(), **kwargs)

    return make


def demo_smartctl(folder: Path) -> Path:
    """A smartctl program that answers from the demo recordings, as the drives would."""
    script = folder / "smartctl"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m workbench.inspection.fake_smartctl demo "$@"\n')
    script.chmod(0o755)
    return script
