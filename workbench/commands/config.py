"""The station configuration as the workbench reads it: `workbench config check`."""

from __future__ import annotations

import argparse
import os
import time

from workbench.words.language import N_, _

DESCRIPTION = N_(
    """The station configuration as the workbench reads it: `workbench config check`.

Prints the files read (the station's own, and the user's over it), every setting in effect and
where it came from (which file, an environment variable, or the built-in default), and says
which authority settings were ignored: supervisors, the policy and the keys the station trusts
and the replica come only from the station's own file, while root alone can change it; with a
replica, it says when the replica last took a commit, or that it is behind or failing. A table or key the
workbench does not know (a typo such as [databse] or `supervisor =`) is refused with one line
naming it, exit 2.
"""
)
HELP = N_("check the station configuration and show where each setting comes from")

DEFAULTS = {
    "smart.smartctl": "/usr/sbin/smartctl",
    "smart.use_sudo": False,
    "smart.timeout": 30,
    "printer.kind": "none",
    "terminal.cursor_blink": False,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    verbs.add_parser("check", help=_("load the configuration strictly and print the settings in effect"))


def run(args: argparse.Namespace) -> int:
    from workbench.config import AUTHORITY, SYSTEM_CONFIG, read_config
    from workbench.replica import replica_settings, replica_state
    from workbench.ticket.keys import key_path
    from workbench.words.language import LANGUAGES, say
    from workbench.words.text import pad, strip_control

    config = read_config()  # strict: an unknown table or key is one line, exit 2
    if config.station_file is None:
        print(_("station file: none ({path}): authority is the embedded defaults").format(path=SYSTEM_CONFIG))
    elif config.authority_file:
        print(_("station file: {path} (grants authority)").format(path=config.station_file))
    else:
        print(_("station file: {path} (grants NO authority)").format(path=config.station_file))
    if config.user_file is not None:
        if os.environ.get("WORKBENCH_CONFIG"):
            print(_("user file: {path} ($WORKBENCH_CONFIG; anything but authority)").format(path=config.user_file))
        else:
            print(
                _("user file: {path} (the user's config directory; anything but authority)").format(
                    path=config.user_file
                )
            )
    for line in config.ignored:
        print(_("ignored: {line}").format(line=say(line)))

    def source(name: str, default: str = "") -> str:
        """Which file set `name`, or its default (an authority setting's: the embedded one), and
        each file whose setting of it was ignored."""
        path = config.origins.get(name)
        if path is not None and path == config.station_file:
            said = _("station file {path}").format(path=path)
        elif path is not None:
            said = _("user file {path}").format(path=path)
        else:
            said = default or (_("embedded default") if name in AUTHORITY else _("default"))
        for refused, file in config.refused:
            if refused == name:
                said = _("{source}; ignored in {file}").format(source=said, file=file)
        return said

    def show(name: str, value: object, said: str = "") -> None:
        print(f"  {pad(name, 25)} {pad(strip_control(str(value)), 50)} ({said or source(name)})")

    show("station.id", config.station_id)
    show("station.name", config.station_name)
    show("station.supervisors", ", ".join(config.supervisors) or "-")
    show("station.supervisor_group", config.supervisor_group)
    zone = config.time_zone
    show("station.language", config.language or "-")
    choice = config.language_choice(os.environ)
    show(_("language in effect"), f"{choice.code} ({LANGUAGES[choice.code]})", say(choice.source))
    show(
        "station.time_zone",
        getattr(zone, "key", None) or _("the system's ({zone})").format(zone=time.strftime("%Z")),
    )
    show(
        "database.url",
        config.database_url,
        "WORKBENCH_DATABASE_URL"
        if os.environ.get("WORKBENCH_DATABASE_URL")
        else source("database.url", _("default: the user's data folder")),
    )
    policy = config.policy_file()
    show(
        "policy.file",
        policy or _("bundled with the workbench"),
        source("policy.file", _("station copy found") if policy else ""),
    )
    show("policy.public_key", config.section("policy").get("public_key", str, "") or "-")
    for name, default in DEFAULTS.items():
        table, key = name.split(".")
        show(name, config.sections.get(table, {}).get(key, default))
    show("ticket.key_file", key_path(config), source("ticket.key_file", _("default: beside the database")))
    trusted = config.section("ticket").get("trusted_keys", dict, {})
    show("ticket.trusted_keys", ", ".join(sorted(trusted)) or "-")
    replica = replica_settings(config)
    show("replica.url", replica.url if replica else _("- (no replica: the records are on this machine only)"))
    if replica is not None:
        show("replica.key_file", replica.key_file or "-")
        show("replica.host_key", replica.host_key[:40] + ("…" if len(replica.host_key) > 40 else "") or "-")
        show("replica.credentials_file", replica.credentials_file or _("- (the environment's)"))
        show("replica.max_lag_minutes", int(replica.max_lag.total_seconds() // 60))
        state = replica_state(config)
        print(_("replica: {state}").format(state=say(state.line) if state else "-"))
    if config.acting_supervisor:
        print(_("acting login: {login} (a supervisor)").format(login=config.technician))
    else:
        print(_("acting login: {login}").format(login=config.technician))
    return 0
