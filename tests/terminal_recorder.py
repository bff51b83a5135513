"""Runs the workbench with its terminal driver recording each write before and after
compaction: `python -m tests.terminal_recorder LOG [WORKBENCH ARGS]`. Each line of LOG is a
JSON pair [as Textual wrote it, as the terminal received it]. `record_session` runs a short
session that way in an 80x24 pty (tests/test_terminal_output.py and
benchmarks/bench_terminal_output.py)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
from textual.drivers.linux_driver import LinuxDriver

from tests.tui_helpers import until_quiet
from workbench import cli
from workbench.terminal.output import CompactDriver


def main() -> None:
    log = open(sys.argv[1], "w", encoding="utf-8", buffering=1)  # noqa: SIM115 (open for the whole run)
    compacting, sending = CompactDriver.write, LinuxDriver.write
    sent: list[str] = []

    def send(driver: LinuxDriver, data: str) -> None:
        sent.append(data)
        sending(driver, data)

    def compact(driver: CompactDriver, data: str) -> None:
        sent.clear()
        compacting(driver, data)
        log.write(json.dumps([data, "".join(sent)]) + "\n")

    LinuxDriver.write = send  # type: ignore[method-assign]
    CompactDriver.write = compact  # type: ignore[method-assign]
    sys.argv = ["workbench", *sys.argv[2:]]
    sys.exit(cli.main())


def record_session(folder: Path) -> list[tuple[str, str]]:
    """A short session on the training bench, each write as Textual made it and as it went
    to the terminal: the home screen, a new claim's intake typed into, fields moved
    through, the next step opened, Ctrl+Q."""
    log = folder / "writes.jsonl"
    env = dict(
        os.environ,
        TERM="xterm-256color",
        WORKBENCH_DATABASE_URL=f"sqlite:///{folder}/cases.db",
        XDG_DATA_HOME=str(folder / "d"),
        XDG_CONFIG_HOME=str(folder / "c"),
    )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "tests.terminal_recorder", str(log), "--training"],
        env=env,
        cwd=str(Path(__file__).resolve().parent.parent),
        dimensions=(24, 80),
        timeout=30,
    )

    def settle() -> None:
        until_quiet(child, quiet_s=0.4, limit_s=5)

    try:
        child.expect("New claim")
        settle()
        child.send("n")
        child.expect("Step 1/7")
        settle()
        for keys in ("Li Wei", "\t", "138 0000 0000", "\t", "\t", "\x1b[Z", "\x0e"):
            child.send(keys)
            settle()
        child.send("\x11")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    return [(raw, sent) for raw, sent in map(json.loads, log.read_text(encoding="utf-8").splitlines())]


if __name__ == "__main__":
    main()
