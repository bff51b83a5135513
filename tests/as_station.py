"""The workbench with a test's own file as the station's: the file $WORKBENCH_CONFIG names is
taken as if root had installed it as /etc/netac-workbench/workbench.toml (which a test may not
write), authority and all.

For the tests of what a station's settings do (its supervisors, its signed policy, the keys it
trusts). Where authority comes from (only the real station file, only while root alone can
change it) is tested on the real file with real users: tests/test_authority_users.py.

    python -m tests.as_station ARGS...     # `workbench ARGS...`, in a subprocess
    take_as_station_file(monkeypatch)      # the same in the test's own process
    read_as_station()                      # the configuration so read, once
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import workbench.config

_read_config = workbench.config.read_config


def read_as_station(station_file: Path | None = None) -> workbench.config.StationConfig:
    named = os.environ.get("WORKBENCH_CONFIG")
    return _read_config(station_file or (Path(named) if named else None))


def take_as_station_file(monkeypatch) -> None:
    monkeypatch.setattr(workbench.config, "read_config", read_as_station)


if __name__ == "__main__":
    from workbench.cli import main

    workbench.config.read_config = read_as_station
    sys.exit(main())
