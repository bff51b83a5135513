"""A stand-in `smartctl` program that answers from a recording directory.

    python -m workbench.inspection.fake_smartctl DIR [SMARTCTL ARGS...]

It prints the recorded stdout and stderr, takes the recorded time, and exits with the
recorded status, so the live path (LiveSmartctl: a real child process, its timeout, its
exit status) can be exercised and benchmarked without drives. An unrecorded command line
exits 1, smartctl's "command line did not parse" bit.
"""

from __future__ import annotations

import math
import sys
import time

from workbench.inspection.errors import RecordingError
from workbench.inspection.smartctl import ReplaySmartctl


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m workbench.inspection.fake_smartctl DIR [ARGS...]", file=sys.stderr)
        return 1
    directory, *args = argv
    try:
        call = ReplaySmartctl(directory).run(args, math.inf)
    except RecordingError as exc:
        print(f"fake smartctl: {exc}", file=sys.stderr)
        return 1
    time.sleep(call.seconds)
    sys.stdout.buffer.write(call.stdout)
    sys.stderr.buffer.write(call.stderr)
    return call.exit_status


if __name__ == "__main__":
    sys.exit(main())
