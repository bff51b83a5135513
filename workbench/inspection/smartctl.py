"""Where smartctl's answers come from: the real program, or recordings of it.

A reader runs one smartctl command line (the arguments after the program name) and
returns a `SmartctlCall`: the exact stdout and stderr bytes and the exit status, kept as
evidence. `LiveSmartctl` runs the program with a timeout (optionally through a narrow
sudo rule: technicians are not root); `ReplaySmartctl` answers from a recording
directory, for the tests and for training mode when no drive is attached.

A recording directory holds `calls.toml`, one `[[call]]` per smartctl command line:

    [[call]]
    args = ["-d", "nvme", "--all", "/dev/nvme0"]
    stdout = "nvme0-all.txt"      # file next to calls.toml, smartctl's exact output
    exit_status = 0               # smartctl's exit status bitmask (default 0)
    seconds = 0.4                 # optional: how long the drive took; beyond the
                                  # caller's timeout the replay times out like a hung drive

A drive whose answer changes from call to call (a self-test's progress) has a list of
answers, given in turn, the last one repeated:

    [[call]]
    args = ["-d", "sat", "-c", "-l", "selftest", "/dev/sda"]
    stdout = ["sda-test-90.txt", "sda-test-40.txt", "sda-test-done.txt"]
    exit_status = [0, 0, 0]       # exit_status, seconds, stderr: one value for every
                                  # answer, or a list with one per answer

    [[call]]
    args = ["-d", "sat", "-t", "short", "/dev/sda"]
    stdout = "sda-test-start.txt"
    starts = true                 # this call starts the device's story (again): the first
                                  # answer of a list is the drive before it began, so every
                                  # answer list of the same device (the last argument) goes
                                  # on from its second answer

A `ReplaySmartctl` keeps its place in each list in memory; given `state_file`, it keeps
it in that file (locked while it is read and written), so that several processes answer
one story in turn. The stand-in program (workbench.inspection.fake_smartctl) does this:
its state file is $WORKBENCH_FAKE_SMARTCTL_STATE, or one per user and recording directory
in the temporary directory.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import threading
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from policy.message import Message
from workbench.errors import ConfigError
from workbench.inspection.errors import (
    RecordingError,
    SmartctlMissing,
    SmartPermissionDenied,
    SmartTimeout,
)

DEFAULT_SMARTCTL = "/usr/sbin/smartctl"
DEFAULT_TIMEOUT = 30.0
BUNDLED_RECORDINGS = Path(__file__).with_name("recordings")
DEMO = "demo"


@dataclass(frozen=True)
class SmartctlCall:
    """One smartctl run, exactly as it happened."""

    args: tuple[str, ...]
    stdout: bytes
    stderr: bytes
    exit_status: int
    seconds: float

    @property
    def text(self) -> str:
        """stdout for parsing; smartctl prints ASCII, anything else is the drive's."""
        return self.stdout.decode("utf-8", errors="replace")

    def transcript(self) -> bytes:
        header = f"$ smartctl {' '.join(self.args)}\n".encode()
        footer = f"[exit status {self.exit_status}, {self.seconds:.3f} s]\n".encode()
        stderr = b"[stderr]\n" + self.stderr if self.stderr else b""
        return header + self.stdout + (b"" if self.stdout.endswith(b"\n") else b"\n") + stderr + footer


class SmartctlReader(Protocol):
    """Runs `smartctl ARGS`; raises a SmartError when it cannot."""

    description: str

    def run(self, args: Sequence[str], timeout: float, device: str | None = None) -> SmartctlCall: ...


class LiveSmartctl:
    """The real smartctl, run as a child process with a hard timeout."""

    def __init__(self, path: str = DEFAULT_SMARTCTL, *, use_sudo: bool = False) -> None:
        self.path = path
        self.use_sudo = use_sudo
        self.description = f"{'sudo ' if use_sudo else ''}{path}"

    def command(self, args: Sequence[str]) -> list[str]:
        # -n: never prompt for a password (there is no terminal to prompt on in the TUI);
        # without the sudoers rule sudo fails at once and we say which rule is missing.
        prefix = ["sudo", "-n", "--"] if self.use_sudo else []
        return [*prefix, self.path, *args]

    def run(self, args: Sequence[str], timeout: float, device: str | None = None) -> SmartctlCall:
        if not os.path.isfile(self.path):
            raise SmartctlMissing(self.path)
        # smartctl's text is parsed in English; set it for the child only.
        env = dict(os.environ, LANG="C", LC_ALL="C")
        started = time.monotonic()
        try:
            proc = subprocess.Popen(
                self.command(args),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            )
        except FileNotFoundError:
            raise SmartctlMissing("sudo" if self.use_sudo else self.path) from None
        except PermissionError as exc:
            raise SmartPermissionDenied(
                device, Message("cannot run {path}: {error}", path=self.path, error=exc.strerror)
            ) from None
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            raise SmartTimeout(device, timeout) from None
        call = SmartctlCall(tuple(args), stdout, stderr, proc.returncode, time.monotonic() - started)
        if self.use_sudo and proc.returncode == 1 and stderr.startswith(b"sudo:"):
            raise SmartPermissionDenied(device, stderr.decode(errors="replace").splitlines()[0])
        return call


def _stop(proc: subprocess.Popen) -> None:
    """End a hung smartctl without hanging ourselves.

    SIGTERM first: under sudo, only sudo (ours) can be signalled and it relays SIGTERM
    to smartctl. A process stuck in an uninterruptible ioctl cannot be reaped at all;
    we give up on it after a moment rather than freeze the counter.
    """
    proc.terminate()
    try:
        proc.communicate(timeout=1)
    except subprocess.TimeoutExpired:
        proc.kill()
        try:
            proc.communicate(timeout=1)
        except subprocess.TimeoutExpired:
            pass


@dataclass(frozen=True)
class _Answer:
    stdout_file: Path
    exit_status: int
    seconds: float
    stderr: bytes


@dataclass(frozen=True)
class _RecordedCall:
    answers: tuple[_Answer, ...]
    starts: bool  # sets every answer list of the same device to its second answer


class ReplaySmartctl:
    """Answers smartctl command lines from a recording directory (see module doc)."""

    def __init__(self, directory: str | Path, *, state_file: str | Path | None = None) -> None:
        self.directory = resolve_recording(directory)
        manifest = self.directory / "calls.toml"
        try:
            data = tomllib.loads(manifest.read_text(encoding="utf-8"))
        except OSError as exc:
            raise RecordingError(
                Message("recording {file}: cannot read: {error}", file=str(manifest), error=exc.strerror)
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise RecordingError(
                Message("recording {file}: not valid TOML: {error}", file=str(manifest), error=str(exc))
            ) from None
        self.title = str(data.get("title", self.directory.name))
        self.description: str = Message("recording {directory}", directory=str(self.directory))
        self.calls: dict[tuple[str, ...], _RecordedCall] = {}
        for number, entry in enumerate(data.get("call", []), start=1):
            where = Message("recording {file}, call {number}", file=str(manifest), number=number)
            args = entry.get("args")
            if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
                raise RecordingError(Message("{where}: args must be a list of strings", where=where))
            starts = entry.get("starts", False)
            if not isinstance(starts, bool):
                raise RecordingError(Message("{where}: starts must be true or false", where=where))
            self.calls[tuple(args)] = _RecordedCall(self._answers(entry, where), starts)
        self._state_file = Path(state_file) if state_file is not None else None
        self._positions: dict[str, int] = {}  # without a state file
        self._lock = threading.Lock()

    def _answers(self, entry: dict, where: Message) -> tuple[_Answer, ...]:
        files = entry.get("stdout")
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
            raise RecordingError(Message("{where}: stdout must name a file, or list files", where=where))

        def each(key: str, default):
            value = entry.get(key, default)
            values = value if isinstance(value, list) else [value] * len(files)
            if len(values) != len(files):
                raise RecordingError(
                    Message("{where}: {key} must be one value or one per stdout file", where=where, key=key)
                )
            return values

        answers = []
        for name, status, seconds, stderr in zip(
            files, each("exit_status", 0), each("seconds", 0.0), each("stderr", ""), strict=True
        ):
            stdout_file = self.directory / name
            if not stdout_file.is_file():
                raise RecordingError(Message("{where}: no such file {file}", where=where, file=str(stdout_file)))
            if not isinstance(status, int) or isinstance(status, bool) or not 0 <= status <= 255:
                raise RecordingError(
                    Message("{where}: exit_status must be smartctl's status, a whole number 0-255", where=where)
                )
            if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not 0 <= seconds < 3600:
                raise RecordingError(Message("{where}: seconds must be a number of seconds", where=where))
            answers.append(_Answer(stdout_file, status, float(seconds), str(stderr).encode()))
        return tuple(answers)

    def run(self, args: Sequence[str], timeout: float, device: str | None = None) -> SmartctlCall:
        recorded = self.calls.get(tuple(args))
        if recorded is None:
            raise RecordingError(
                Message(
                    "{recording} has no answer for `smartctl {args}`", recording=self.description, args=" ".join(args)
                ),
                device,
            )
        answer = recorded.answers[self._turn(tuple(args), recorded)]
        if answer.seconds > timeout:
            time.sleep(timeout)
            raise SmartTimeout(device, timeout)
        return SmartctlCall(
            tuple(args),
            answer.stdout_file.read_bytes(),
            answer.stderr,
            answer.exit_status,
            answer.seconds,
        )

    def _turn(self, args: tuple[str, ...], recorded: _RecordedCall) -> int:
        """Which of the call's answers is given now; moves the call (or its device) on."""
        if len(recorded.answers) == 1 and not recorded.starts:
            return 0
        with self._lock:
            if self._state_file is None:
                return self._move(self._positions, args, recorded)
            self._state_file.parent.mkdir(parents=True, exist_ok=True)
            with open(self._state_file, "a+", encoding="utf-8") as state:
                fcntl.flock(state, fcntl.LOCK_EX)  # released when the file is closed
                state.seek(0)
                text = state.read()
                positions = json.loads(text) if text.strip() else {}
                turn = self._move(positions, args, recorded)
                state.seek(0)
                state.truncate()
                state.write(json.dumps(positions))
                return turn

    def _move(self, positions: dict[str, int], args: tuple[str, ...], recorded: _RecordedCall) -> int:
        key = json.dumps(args)
        turn = positions.get(key, 0)
        positions[key] = min(turn + 1, len(recorded.answers) - 1)
        if recorded.starts:
            for other, call in self.calls.items():
                if len(call.answers) > 1 and other[-1:] == args[-1:]:
                    positions[json.dumps(other)] = 1
        return turn


class RecordingSmartctl:
    """Passes every call to another reader and adds its answer to a recording directory.

    How a station captures its own drives for training and for reproducing a problem:
    `workbench smart read /dev/sda --record DIR`. Calls already in DIR are kept; a call
    made again replaces its earlier answer. A call that timed out is not recorded.
    """

    def __init__(self, reader: SmartctlReader, directory: str | Path) -> None:
        self.reader = reader
        self.directory = Path(directory)
        self.description: str = Message(
            "{reader}, recorded into {directory}", reader=reader.description, directory=str(self.directory)
        )

    def run(self, args: Sequence[str], timeout: float, device: str | None = None) -> SmartctlCall:
        call = self.reader.run(args, timeout, device)
        self.save(call)
        return call

    def save(self, call: SmartctlCall) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        manifest = self.directory / "calls.toml"
        entries = []
        if manifest.is_file():
            entries = [
                e
                for e in tomllib.loads(manifest.read_text(encoding="utf-8")).get("call", [])
                if tuple(e.get("args", ())) != call.args
            ]
        name = re.sub(r"[^A-Za-z0-9]+", "_", " ".join(call.args)).strip("_") or "no_args"
        (self.directory / f"{name}.txt").write_bytes(call.stdout)
        entries.append(
            {
                "args": list(call.args),
                "stdout": f"{name}.txt",
                "exit_status": call.exit_status,
                "seconds": round(call.seconds, 3),
                "stderr": call.stderr.decode("utf-8", errors="replace"),
            }
        )
        manifest.write_text("".join(_toml_call(e) for e in entries), encoding="utf-8")


def _toml_call(entry: dict) -> str:
    # JSON strings and arrays of strings are valid TOML values.
    lines = ["[[call]]"] + [f"{key} = {json.dumps(value)}" for key, value in entry.items()]
    return "\n".join(lines) + "\n\n"


def resolve_recording(name: str | Path) -> Path:
    """A recording directory: a path, or the name of a bundled set such as `demo`."""
    path = Path(name)
    if path.is_dir():
        return path
    bundled = BUNDLED_RECORDINGS / str(name)
    if path.parts == (str(name),) and bundled.is_dir():
        return bundled
    names = ", ".join(sorted(p.name for p in BUNDLED_RECORDINGS.iterdir() if p.is_dir()))
    raise RecordingError(
        Message("replay: no recording directory {name} (bundled sets: {names})", name=str(name), names=names)
    )


def reader_from_config(config) -> tuple[LiveSmartctl, float]:
    """The live reader and per-read timeout from the station's `[smart]` table."""
    smart = config.section("smart")
    path = smart.get("smartctl", str, DEFAULT_SMARTCTL)
    use_sudo = smart.get("use_sudo", bool, False)
    timeout = smart.get("timeout", int, int(DEFAULT_TIMEOUT))
    if timeout <= 0:
        raise ConfigError(
            "smart.timeout", Message("must be a positive number of seconds, got {timeout}", timeout=timeout)
        )
    if use_sudo and not os.path.isabs(path):
        raise ConfigError(
            "smart.smartctl", Message("must be an absolute path with use_sudo, got {path}", path=repr(path))
        )
    return LiveSmartctl(path, use_sudo=use_sudo), float(timeout)
