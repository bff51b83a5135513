"""Station configuration: one TOML file, read once at start.

Where it is looked for, first found wins (no merging, so a technician's own file cannot
widen what the station file grants):
  1. the file named by $WORKBENCH_CONFIG;
  2. /etc/netac-workbench/workbench.toml (the station-wide file an administrator keeps);
  3. workbench.toml in the login user's config directory (platformdirs).
With none of them, the embedded defaults apply: a SQLite database in the user's data
directory, station id "LOCAL". $WORKBENCH_DATABASE_URL overrides [database] url.
"""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from workbench.errors import ConfigError

APP_NAME = "netac-workbench"
SYSTEM_CONFIG = Path("/etc/netac-workbench/workbench.toml")
STATION_ID = re.compile(r"[A-Z0-9]{2,8}")
STATION_POLICY = "station-policy.toml"  # a station's copy of the policy, found without configuration


def user_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "workbench.toml"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


class _Section:
    """Typed reads from one TOML table, with errors that name `section.key`."""

    def __init__(self, name: str, table: Any) -> None:
        if not isinstance(table, dict):
            raise ConfigError(name, "must be a table")
        self.name = name
        self.table = table

    def get(self, key: str, kind: type, default: Any) -> Any:
        if key not in self.table:
            return default
        value = self.table[key]
        # bool is an int subclass; `port = true` must not pass as a number.
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise ConfigError(f"{self.name}.{key}", f"must be {kind.__name__}, got {value!r}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{self.name}.{key}", "must be a list of strings")
        return tuple(value)


@dataclass(frozen=True)
class StationConfig:
    station_id: str = "LOCAL"
    station_name: str = "Netac service station"
    supervisors: tuple[str, ...] = ()
    database_url: str = ""
    source: Path | None = None  # the file this came from, None for the defaults
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def technician(self) -> str:
        """The technician is the login user (over SSH, the account that logged in)."""
        return getpass.getuser()

    def is_supervisor(self, user: str) -> bool:
        return user in self.supervisors

    def policy_target(self) -> Path:
        """Where the station's copy of the policy is: `[policy] file` (relative to this
        configuration file), else station-policy.toml beside it (or in the user's data
        folder when there is no configuration file). `workbench policy import` writes it."""
        file = self.section("policy").get("file", str, "")
        folder = self.source.parent if self.source is not None else user_data_dir()
        return folder / file if file else folder / STATION_POLICY

    def policy_file(self) -> Path | None:
        """The station copy claims are decided under, or None for the bundled policy."""
        target = self.policy_target()
        if self.section("policy").get("file", str, "") or target.is_file():
            return target
        return None

    def load_policy(self):
        """The policy claims are decided under: the station's own copy or the bundled one."""
        from policy import PolicyFileError, load_policy

        try:
            return load_policy(self.policy_file())
        except PolicyFileError as exc:
            raise ConfigError("policy.file", str(exc)) from None

    def section(self, name: str) -> _Section:
        """A further table ([smart], [printer], [ticket], ...) for its owner to read."""
        return _Section(name, self.sections.get(name, {}))


def config_path() -> Path | None:
    named = os.environ.get("WORKBENCH_CONFIG")
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigError("WORKBENCH_CONFIG", f"no such file: {path}")
        return path
    for candidate in (SYSTEM_CONFIG, user_config_file()):
        try:
            if candidate.is_file():
                return candidate
        except OSError as exc:  # e.g. a home directory this login may not enter
            raise ConfigError(str(candidate), f"cannot be checked: {exc.strerror}") from None
    return None


def load_config(path: Path | None = None) -> StationConfig:
    path = path or config_path()
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(str(path), f"cannot read: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(str(path), f"not valid TOML: {exc}") from None
    station = _Section("station", data.get("station", {}))
    database = _Section("database", data.get("database", {}))
    station_id = station.get("id", str, "LOCAL").upper()
    if not STATION_ID.fullmatch(station_id):
        raise ConfigError("station.id", f"{station_id!r} must be 2 to 8 letters or digits")
    url = os.environ.get("WORKBENCH_DATABASE_URL") or database.get("url", str, "")
    if not url:
        url = f"sqlite:///{user_data_dir() / 'cases.db'}"
    return StationConfig(
        station_id=station_id,
        station_name=station.get("name", str, StationConfig.station_name),
        supervisors=station.strings("supervisors"),
        database_url=url,
        source=path,
        sections={k: v for k, v in data.items() if k not in ("station", "database")},
    )
