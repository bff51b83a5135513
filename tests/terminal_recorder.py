"""Runs the workbench with its terminal driver recording each write before and after
compaction: `python -m tests.terminal_recorder LOG [WORKBENCH ARGS]`. Each line of LOG is a
JSON pair [as Textual wrote it, as the terminal received it]."""

from __future__ import annotations

import json
import sys

from textual.drivers.linux_driver import LinuxDriver

from workbench import cli
from workbench.terminal_output import CompactDriver


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


if __name__ == "__main__":
    main()
