"""A stand-in `smartctl` program that answers from a recording directory.

    python -m workbench.inspection.fake_smartctl DIR [SMARTCTL ARGS...]

It prints the recorded stdout and stderr, takes the recorded time, and exits with the
recorded status, so the live path (LiveSmartctl: a real child process, its timeout, its
exit status) can be exercised and benchmarked without drives. An unrecorded command line
exits 1, smartctl's "command line did not parse" bit.

A call with a list of answers (a self-test's progress) gives the next one each time the
program runs: its place is kept in the file $WORKBENCH_FAKE_SMARTCTL_STATE, or else in
one file per user and recording directory in the temporary directory (see `state_file`).
"""

from __future__ import annotations

import hashlib
import math
import os
import sys
import tempfile
import time
from pathlib import Path

from workbench.inspection.errors import RecordingError
from workbench.inspection.smartctl import ReplaySmartctl, resolve_recording

STATE_VARIABLE = "WORKBENCH_FAKE_SMARTCTL_STATE"


def state_file(directory: str) -> Path:
    """Where the program keeps its place in the recording's answer lists."""
    if os.environ.get(STATE_VARIABLE):
        return Path(os.environ[STATE_VARIABLE])
    key = hashlib.sha256(str(resolve_recording(directory).resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"netac-fake-smartctl-{os.getuid()}-{key}.json"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m workbench.inspection.fake_smartctl DIR [ARGS...]", file=sys.stderr)
        return 1
    directory, *args = argv
    try:
        call = ReplaySmartctl(directory, state_file=state_file(directory)).run(args, math.inf)
    except RecordingError as exc:
        print(f"fake smartctl: {exc}", file=sys.stderr)
        return 1
    time.sleep(call.seconds)
    sys.stdout.buffer.write(call.stdout)
    sys.stderr.buffer.write(call.stderr)
    return call.exit_status


if __name__ == "__main__":
    sys.exit(main())
