"""The station configuration as the workbench reads it: `workbench config check`.

Prints every setting in effect and where it came from (the configuration file, an
environment variable, or the built-in default). A table or key the workbench does not know
(a typo such as [databse] or `supervisor =`) is refused with one line naming it, exit 2.
"""

from __future__ import annotations

import argparse
import os
import time
import tomllib
from typing import Any

HELP = "check the station configuration and show where each setting comes from"

DEFAULTS = {
    "smart.smartctl": "/usr/sbin/smartctl",
    "smart.use_sudo": False,
    "smart.timeout": 30,
    "printer.kind": "none",
    "terminal.cursor_blink": False,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    verbs.add_parser("check", help="load the configuration strictly and print the settings in effect")


def run(args: argparse.Namespace) -> int:
    from workbench.config import load_config
    from workbench.text import strip_control
    from workbench.ticket.keys import key_path

    config = load_config()  # strict: an unknown table or key is one line, exit 2
    data: dict[str, Any] = {}
    if config.source is not None:
        data = tomllib.loads(config.source.read_text(encoding="utf-8"))
    where = str(config.source) if config.source else "none: the embedded defaults"
    print(f"configuration file: {where}")

    def given(table: str, key: str) -> bool:
        return key in (data.get(table) or {})

    def show(name: str, value: object, source: str) -> None:
        print(f"  {name:<25} {strip_control(str(value)):<50} ({source})")

    show("station.id", config.station_id, "file" if given("station", "id") else "default")
    show("station.name", config.station_name, "file" if given("station", "name") else "default")
    show(
        "station.supervisors",
        ", ".join(config.supervisors) or "-",
        "file" if given("station", "supervisors") else "default",
    )
    show(
        "station.supervisor_group",
        config.supervisor_group,
        "file" if given("station", "supervisor_group") else "default",
    )
    zone = config.time_zone
    show(
        "station.time_zone",
        getattr(zone, "key", None) or f"the system's ({time.strftime('%Z')})",
        "file" if given("station", "time_zone") else "default",
    )
    url_source = (
        "WORKBENCH_DATABASE_URL"
        if os.environ.get("WORKBENCH_DATABASE_URL")
        else "file"
        if given("database", "url")
        else "default: the user's data folder"
    )
    show("database.url", config.database_url, url_source)
    policy = config.policy_file()
    show(
        "policy.file",
        policy or "bundled with the workbench",
        "file" if given("policy", "file") else "station copy found" if policy else "default",
    )
    for name, default in DEFAULTS.items():
        table, key = name.split(".")
        show(name, (data.get(table) or {}).get(key, default), "file" if given(table, key) else "default")
    show("ticket.key_file", key_path(config), "file" if given("ticket", "key_file") else "default: beside the database")
    trusted = (data.get("ticket") or {}).get("trusted_keys") or {}
    show("ticket.trusted_keys", ", ".join(sorted(trusted)) or "-", "file" if trusted else "default")
    print(f"acting login: {config.technician}" + (" (a supervisor)" if config.acting_supervisor else ""))
    return 0
