"""The station's records off the machine (issue 24): the real Litestream of the venv run by
`workbench replicate`, to a folder and to SFTP on the tests' own sshd; a station's file deleted
mid-day and restored whole; a restore at a past time; a full replica disk and a refused key each
one clear line while the counter goes on taking cases."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db import open_store
from policy import load_policy
from tests.db_helpers import CLAIM_FIELDS, sqlite_url
from tests.sshd_harness import SshStation, missing_tools, wait_until
from tests.ticket_helpers import DECISION
from workbench.config import read_config
from workbench.errors import ConfigError
from workbench.replica import replica_settings, replica_state
from workbench.ticket.issue import issue_ticket

ROOT = Path(__file__).resolve().parent.parent


class Station:
    """A station's files in tmp, its [replica] as given, the workbench run as the station's."""

    def __init__(self, tmp: Path, replica: str) -> None:
        self.tmp = tmp
        self.database = tmp / "cases.db"
        self.config_file = tmp / "workbench.toml"
        self.config_file.write_text(
            '[station]\nid = "SZ01"\nname = "Shenzhen Futian"\n'
            f'[database]\nurl = "{sqlite_url(self.database)}"\n'
            f'[ticket]\nkey_file = "{tmp / "key.pem"}"\n[printer]\nkind = "none"\n'
            f"[replica]\n{replica}\n"
        )
        self.env = {**os.environ, "WORKBENCH_CONFIG": str(self.config_file), "XDG_DATA_HOME": str(tmp / "data")}
        self.env.pop("WORKBENCH_DATABASE_URL", None)
        self.config = read_config(self.config_file)
        self.store = open_store(sqlite_url(self.database), station_id="SZ01", technician="ana", replicated=True)
        self._replicate: subprocess.Popen | None = None

    def workbench(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tests.as_station", *args],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=ROOT,
            timeout=timeout,
        )

    def decided(self, ticket: bool = False) -> tuple[str, str | None]:
        """A decided case (with its ticket's audit anchor when asked)."""
        number = self.store.create_case(CLAIM_FIELDS).number
        self.store.record_decision(number, DECISION, "netac-warranty 2024.1")
        if not ticket:
            return number, None
        outcome = issue_ticket(self.store, number, self.config, load_policy())
        [anchor] = [line.split()[2] for line in outcome.content.lines if line.startswith("Audit anchor ")]
        return number, anchor

    def start(self) -> Station:
        log = (self.tmp / "replicate.log").open("w")
        self._replicate = subprocess.Popen(
            [sys.executable, "-m", "tests.as_station", "replicate"],
            stdout=log,
            stderr=log,
            env=self.env,
            cwd=ROOT,
        )
        log.close()
        assert wait_until(lambda: self.status().get("checked_at"), timeout=30), self.log()
        return self

    def stop(self) -> int | None:
        if self._replicate is None:
            return None
        self._replicate.send_signal(signal.SIGTERM)
        code = self._replicate.wait(timeout=60)
        self._replicate = None
        return code

    def status(self) -> dict:
        try:
            return json.loads((self.tmp / "cases.db-replica.json").read_text())
        except (OSError, ValueError):
            return {}

    def log(self) -> str:
        path = self.tmp / "replicate.log"
        return path.read_text() if path.exists() else ""

    def line(self) -> str:
        state = replica_state(self.config)
        assert state is not None
        return state.line


@pytest.fixture
def folder_station(tmp_path):
    station = Station(tmp_path, f'url = "file://{tmp_path / "replica"}"')
    yield station
    station.stop()
    station.store.engine.dispose()


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode in (1, 2) and result.stderr.count("\n") == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_station_file_deleted_mid_day_comes_back_whole(folder_station, tmp_path):
    station = folder_station.start()
    cases = [station.decided(ticket=index % 2 == 1) for index in range(6)]
    anchors = [anchor for _, anchor in cases if anchor]
    station.store.record_station_event("policy_changed", {"note": "the last commit of the morning"})
    backup = station.workbench("backup")
    assert backup.returncode == 0, backup.stderr
    assert "holds the last commit (through `workbench replicate`" in backup.stdout
    assert f"last case: {cases[-1][0]}" in backup.stdout and "cases: 6" in backup.stdout
    assert "Replica up to date (file): it last took a commit at " in station.line()
    before = {number: station.store.get_case(number) for number, _ in cases}
    trail = station.store.verify_audit()
    station.store.engine.dispose()
    for name in ("cases.db", "cases.db-wal", "cases.db-shm"):  # the disk's file is gone
        (tmp_path / name).unlink(missing_ok=True)
    assert station.stop() == 0

    restored = tmp_path / "restored" / "cases.db"
    restored.parent.mkdir()
    result = station.workbench("restore", "--output", str(restored))
    assert result.returncode == 0, result.stderr
    assert "checked: integrity ok, schema current, audit chain intact" in result.stdout
    assert "cases: 6" in result.stdout and f"last case: {cases[-1][0]}" in result.stdout
    assert f"last audit entry: {trail.entries} (policy_changed)" in result.stdout
    back = open_store(sqlite_url(restored), station_id="SZ01", technician="ana", read_only=True)
    for number, view in before.items():
        again = back.get_case(number)
        assert again.decisions == view.decisions and again.tickets == view.tickets and again.fields == view.fields
    env = {**station.env, "WORKBENCH_DATABASE_URL": sqlite_url(restored)}
    anchored = [arg for anchor in anchors for arg in ("--anchor", anchor)]
    verify = subprocess.run(
        [sys.executable, "-m", "workbench", "audit", "verify", *anchored], capture_output=True, text=True, env=env
    )
    assert verify.stdout == f"audit chain intact: {trail.entries} entries\n", verify.stderr
    back.engine.dispose()


def test_a_restore_at_a_past_time_holds_the_records_as_they_were(folder_station, tmp_path):
    station = folder_station.start()
    morning = [station.decided()[0] for _ in range(2)]
    assert station.workbench("backup").returncode == 0
    time.sleep(2)  # the replica's files are stamped to the second
    noon = datetime.now(UTC)
    time.sleep(2)
    afternoon = station.decided()[0]
    assert station.workbench("backup").returncode == 0
    past = tmp_path / "noon.db"
    result = station.workbench("restore", "--output", str(past), "--at", noon.isoformat())
    assert result.returncode == 0, result.stderr
    assert "cases: 2" in result.stdout and f"last case: {morning[-1]}" in result.stdout
    latest = station.workbench("restore", "--output", str(tmp_path / "now.db"))
    assert f"last case: {afternoon}" in latest.stdout and "cases: 3" in latest.stdout


def test_a_restore_never_writes_over_the_live_database_or_any_file(folder_station, tmp_path):
    station = folder_station.start()
    station.decided()
    assert station.workbench("backup").returncode == 0
    live = one_line(station.workbench("restore", "--output", str(station.database)))
    assert "is the station's live database: restore to another path" in live
    (tmp_path / "taken.db").write_text("a manager's notes")
    taken = one_line(station.workbench("restore", "--output", str(tmp_path / "taken.db")))
    assert "taken.db exists: a restore never writes over a file" in taken
    assert (tmp_path / "taken.db").read_text() == "a manager's notes"


def test_a_backup_without_the_service_syncs_by_itself(folder_station):
    folder_station.decided()
    backup = folder_station.workbench("backup")
    assert backup.returncode == 0, backup.stderr
    assert "holds the last commit (by a sync of its own" in backup.stdout
    assert "Replica NOT RUNNING: `workbench replicate` has never reported" in folder_station.line()


class SftpServer(SshStation):
    """The tests' own sshd, serving SFTP (no workbench forced on the login)."""

    def deployed_config(self) -> str:
        return "Subsystem sftp internal-sftp\n"


@pytest.fixture
def sftp(tmp_path):
    if missing := missing_tools():
        pytest.skip(f"needs OpenSSH: {', '.join(missing)} missing")
    server = SftpServer(tmp_path / "server")
    yield server
    server.stop()


def sftp_station(tmp_path: Path, server: SftpServer, key: Path) -> Station:
    (tmp_path / "remote").mkdir()
    host_key = server.host_key.with_suffix(".pub").read_text().strip()
    return Station(
        tmp_path,
        f'url = "sftp://{server.user}@127.0.0.1:{server.port}{tmp_path / "remote"}"\n'
        f'key_file = "{key}"\nhost_key = "{host_key}"\nmax_lag_minutes = 1',
    )


@pytest.fixture
def sftp_tmp(tmp_path):
    (tmp_path / "server").mkdir()
    return tmp_path


def test_sftp_replica_on_the_tests_sshd(sftp_tmp, sftp):
    sftp.start()
    station = sftp_station(sftp_tmp, sftp, sftp.client_key).start()
    try:
        number = station.decided()[0]
        backup = station.workbench("backup")
        assert backup.returncode == 0, backup.stderr + station.log()
        assert list((sftp_tmp / "remote").rglob("*.ltx")), "nothing on the server"
        restored = station.workbench("restore", "--output", str(sftp_tmp / "from-head-office.db"))
        assert restored.returncode == 0, restored.stderr
        assert f"last case: {number}" in restored.stdout
    finally:
        station.stop()


def test_a_refused_key_is_one_line_and_the_counter_keeps_taking_cases(sftp_tmp, sftp):
    sftp.start()
    stranger = sftp_tmp / "stranger_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    station = sftp_station(sftp_tmp, sftp, stranger).start()
    try:
        numbers = [station.decided()[0] for _ in range(3)]  # the counter works meanwhile
        assert len(set(numbers)) == 3
        failing = wait_until(lambda: "FAILING" in station.line() and station.line(), timeout=30)
        assert failing, station.line() + station.log()
        assert "the replica server refuses the station's key (replica.key_file)" in failing
        shown = station.workbench("config", "check").stdout
        assert "replica: Replica FAILING since " in shown
        refused = one_line(station.workbench("backup"))
        assert "the replica server refuses the station's key" in refused
    finally:
        station.stop()


def test_a_full_replica_disk_is_one_line_and_the_counter_keeps_taking_cases(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs as the full disk needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], check=True)
    station = None
    try:
        station = Station(tmp_path, f'url = "file://{disk / "replica"}"')
        station.start()
        fill(disk / "filler")  # the rest of the disk, taken
        big = {**CLAIM_FIELDS, "failure_description": "x" * 60_000}
        numbers = [station.store.create_case(big).number for _ in range(3)]
        assert len(set(numbers)) == 3
        failing = wait_until(lambda: "FAILING" in station.line() and station.line(), timeout=30)
        assert failing and "the replica's disk is full" in failing, station.line() + station.log()
        assert "the replica's disk is full" in one_line(station.workbench("backup"))
        station.store.create_case(CLAIM_FIELDS)  # still taking cases
    finally:
        if station is not None:
            station.stop()
            station.store.engine.dispose()
        subprocess.run(["umount", str(disk)], check=True)


def fill(path: Path) -> None:
    try:
        with path.open("wb") as out:
            while True:
                out.write(b"\0" * 1024)
                out.flush()
    except OSError as exc:
        assert exc.errno == errno.ENOSPC


def test_not_running_and_behind_in_words(folder_station):
    station = folder_station.start()
    assert wait_until(lambda: "up to date" in station.line(), timeout=20), station.line()
    station.stop()
    assert "Replica NOT RUNNING: `workbench replicate` stopped since " in station.line()
    # What `replicate` reports when commits have waited 12 minutes for the replica.
    status = station.status()
    now = datetime.now(UTC)
    status.update(stopped_at=None, checked_at=now.isoformat(), pending_since=(now - timedelta(minutes=12)).isoformat())
    (station.tmp / "cases.db-replica.json").write_text(json.dumps(status))
    assert "Replica BEHIND by 12 min (more than 10 min): it last took a commit at " in station.line()


def test_replica_is_the_station_files_alone(tmp_path, monkeypatch):
    import workbench.config

    monkeypatch.setattr(workbench.config, "SYSTEM_CONFIG", tmp_path / "etc" / "workbench.toml")  # none
    user = tmp_path / "user.toml"
    user.write_text(f'[replica]\nurl = "file://{tmp_path}/elsewhere"\n')
    monkeypatch.setenv("WORKBENCH_CONFIG", str(user))
    config = read_config()
    assert replica_settings(config) is None and not config.replicated
    assert any("[replica] url ignored: authority comes only from the station's own file" in i for i in config.ignored)


@pytest.mark.parametrize(
    ("replica", "problem"),
    [
        ('url = "ftp://host/x"', "replica.url: must start with file://, sftp://, s3://, oss://"),
        ('url = "sftp://u:secret@host/x"', "replica.url: carries a password: credentials never go in the TOML"),
        ('url = "sftp://u@host/x"\nhost_key = "ssh-ed25519 AAAA"', "replica.key_file: an SSH replica needs"),
        ('url = "sftp://u@host/x"\nkey_file = "/k"', "replica.host_key: an SSH replica needs the server's public"),
        ('url = "file://relative"', "replica.url: a folder is file:///absolute/path"),
        ('key_file = "/k"', "replica.url: is needed with replica.key_file"),
    ],
)
def test_a_replica_setting_that_cannot_work_is_named(tmp_path, replica, problem):
    (tmp_path / "w.toml").write_text(f'[database]\nurl = "sqlite:///{tmp_path}/c.db"\n[replica]\n{replica}\n')
    with pytest.raises(ConfigError) as refused:
        replica_settings(read_config(tmp_path / "w.toml"))
    assert str(refused.value).startswith(problem)


def test_the_replicas_secrets_must_be_roots_alone(tmp_path):
    credentials = tmp_path / "replica.env"
    credentials.write_text("AWS_ACCESS_KEY_ID=x\nAWS_SECRET_ACCESS_KEY=y\n")
    credentials.chmod(0o644)
    station = Station(tmp_path, f'url = "s3://bucket/cases"\ncredentials_file = "{credentials}"')
    refused = one_line(station.workbench("backup"))
    assert f"replica.credentials_file: {credentials} may be read by others (mode 0644): chmod 600 it" in refused
    station.store.engine.dispose()


async def test_the_home_screen_says_how_safe_the_station_is(bench, tmp_path):
    from tests.tui_helpers import screen_text, wait_for
    from workbench.screens.home import HomeScreen

    with (tmp_path / "workbench.toml").open("a") as config:
        config.write(f'[replica]\nurl = "file://{tmp_path / "replica"}"\n')
    app = bench()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and "Replica" in screen_text(app))
        assert "Replica NOT RUNNING: `workbench replicate` has never reported" in screen_text(app)
