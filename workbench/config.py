"""Station configuration: TOML, read once at start.

Two files may be read, the second over the first, setting by setting:
  1. the station's own file, /etc/netac-workbench/workbench.toml, which an administrator keeps;
  2. the user's file: the one named by $WORKBENCH_CONFIG, else workbench.toml in the login
     user's config directory (platformdirs).
The settings that grant authority (AUTHORITY: who is a supervisor, the policy claims are decided
under, whose signatures are genuine) come only from the station's own file, and only while root
alone can change it (`untrusted`); anywhere else they are ignored, with one line saying so. With
no station file, authority is the embedded defaults: no supervisors named, the supervisors' Unix
group, the bundled policy (or the user's data folder's copy), no other station's tickets trusted.
With no file at all, a SQLite database in the user's data directory, station id "LOCAL".
$WORKBENCH_DATABASE_URL overrides [database] url.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from policy.message import Message
from workbench.errors import ConfigError
from workbench.words.language import _, say, spoken
from workbench.words.text import strip_control

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from workbench.words.language import Choice

APP_NAME = "netac-workbench"
SYSTEM_CONFIG = Path("/etc/netac-workbench/workbench.toml")
STATION_ID = re.compile(r"[A-Z0-9]{2,8}")
STATION_POLICY = "station-policy.toml"
SUPERVISOR_GROUP = "netac-supervisors"  # deploy/setup-ssh-station.sh creates it
TRAINING_STATION = "TRAIN"  # the training bench's station id: its case numbers and tickets say so


def login_user() -> str:
    """Who is acting: the login of the process's real user id.

    Never $USER or $LOGNAME, which anyone can set: authority follows the account.
    """
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid with no account (a container): still one person, by number
        return str(os.getuid())


def in_group(user: str, group: str) -> bool:
    """Whether `user` is in the Unix group `group` (as a member or as its primary group)."""
    try:
        entry = grp.getgrnam(group)
    except KeyError:
        return False
    if user in entry.gr_mem:
        return True
    try:
        return pwd.getpwnam(user).pw_gid == entry.gr_gid
    except KeyError:
        return False  # a station's copy of the policy, found without configuration


def user_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "workbench.toml"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


class _Section:
    """Typed reads from one TOML table, with errors that name `section.key`."""

    def __init__(self, name: str, table: Any) -> None:
        if not isinstance(table, dict):
            raise ConfigError(name, _("must be a table"))
        self.name = name
        self.table = table

    def get(self, key: str, kind: type, default: Any) -> Any:
        if key not in self.table:
            return default
        value = self.table[key]
        # bool is an int subclass; `port = true` must not pass as a number.
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise ConfigError(
                f"{self.name}.{key}", _("must be {kind}, got {value}").format(kind=kind.__name__, value=repr(value))
            )
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{self.name}.{key}", _("must be a list of strings"))
        return tuple(value)


@dataclass(frozen=True)
class StationConfig:
    station_id: str = "LOCAL"
    station_name: str = "Netac service station"
    supervisors: tuple[str, ...] = ()
    supervisor_group: str = SUPERVISOR_GROUP
    database_url: str = ""
    zone_name: str = ""  # [station] time_zone, checked when loaded; "" for the system's
    language: str = ""  # [station] language (en, zh_CN), checked when loaded; "" for the login's or English
    station_file: Path | None = None  # the station's own file, when there is one
    authority_file: Path | None = None  # the same when it grants authority; None: the embedded defaults
    user_file: Path | None = None  # the user's file, read over the station's
    origins: dict[str, Path] = field(default_factory=dict)  # "table.key" -> the file that set it
    refused: tuple[tuple[str, Path], ...] = ()  # ("table.key", file): authority a file may not give
    ignored: tuple[str, ...] = ()  # one line for each file whose authority settings were ignored
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def technician(self) -> str:
        """The technician is the login user (over SSH, the account that logged in)."""
        return login_user()

    def is_supervisor(self, user: str) -> bool:
        """Supervisors are named in [station] supervisors, or are in the supervisors' Unix group."""
        return user in self.supervisors or bool(self.supervisor_group) and in_group(user, self.supervisor_group)

    @property
    def names_supervisors(self) -> bool:
        """Whether this station has supervisors at all (a single-user bench has none, and its one
        user is its manager)."""
        if self.supervisors:
            return True
        try:
            return bool(self.supervisor_group) and bool(grp.getgrnam(self.supervisor_group))
        except KeyError:
            return False

    @property
    def acting_supervisor(self) -> bool:
        """Whether this session's own login may override verdicts and resolve reviews."""
        return self.is_supervisor(self.technician)

    def language_choice(self, environ: Mapping[str, str]) -> Choice:
        """The language this login is spoken to in: its locale's when it names one the workbench
        speaks, else `[station] language`, else English."""
        from workbench.words.language import choose

        path = self.origins.get("station.language")
        if path == self.station_file:
            source = Message("[station] language in the station file {path}", path=str(path))
        else:
            source = Message("[station] language in the user file {path}", path=str(path))
        return choose(self.language, source, environ)

    @property
    def time_zone(self) -> tzinfo | None:
        """The station's clock, for case-number years, ticket dates and the days of listings and
        reports: `[station] time_zone` (an IANA name, e.g. Asia/Shanghai), else the system's (None)."""
        return _zone(self.zone_name) if self.zone_name else None

    @property
    def replicated(self) -> bool:
        """Whether Litestream replicates the station's database ([replica] url): the workbench
        then leaves the file's checkpoints to it (workbench/replica.py)."""
        return bool(self.section("replica").get("url", str, ""))

    def training(self) -> StationConfig:
        """The training bench's world: its own database (`[training] database`, else
        training-cases.db beside the station's), its own station id TRAIN (so every case number
        and ticket says so) and its own ticket key, which no station trusts."""
        url = self.section("training").get("database", str, "")
        if not url:
            from db.connection import sqlite_path

            station_file = sqlite_path(self.database_url)
            folder = station_file.parent if station_file is not None else user_data_dir()
            url = f"sqlite:///{folder / 'training-cases.db'}"
        training_file = sqlite_path(url)
        key_folder = training_file.parent if training_file is not None else user_data_dir()
        # Its own ticket key; and no replica: practice cases are not the station's records.
        sections = {name: table for name, table in self.sections.items() if name != "replica"}
        sections["ticket"] = {"key_file": str(key_folder / "training-ticket-key.pem")}
        return replace(
            self,
            station_id=TRAINING_STATION,
            station_name=f"TRAINING, not a real case ({self.station_name})",
            database_url=url,
            sections=sections,
        )

    def policy_target(self) -> Path:
        """Where the station's copy of the policy is: `[policy] file` (relative to the station's
        own file), else station-policy.toml beside that file (or in the user's data folder when
        no station file grants authority). `workbench policy import` writes it."""
        file = self.section("policy").get("file", str, "")
        folder = self.authority_file.parent if self.authority_file is not None else user_data_dir()
        return folder / file if file else folder / STATION_POLICY

    def policy_file(self) -> Path | None:
        """The station copy claims are decided under, or None for the bundled policy (never on
        a chain's station: it decides only under its head office's signed file)."""
        target = self.policy_target()
        policy = self.section("policy")
        if policy.get("file", str, "") or policy.get("public_key", str, "") or target.is_file():
            return target
        return None

    def public_key(self) -> Ed25519PublicKey | None:
        """The head office's key (`[policy] public_key`: a chain's station), else None."""
        key_text = self.section("policy").get("public_key", str, "")
        if not key_text:
            return None
        # The signature's library only for a chain's station: a quicker start.
        from policy import PolicyFileError
        from policy.signature import public_key_from_text

        try:
            return public_key_from_text(key_text, "not an Ed25519 public key")
        except PolicyFileError as exc:
            raise ConfigError("policy.public_key", spoken(exc)) from None

    def load_policy(self):
        """The policy claims are decided under: the station's own copy or the bundled one.

        With `[policy] public_key` (a chain's station), the station's copy must carry the
        head office's signature and an issue number no lower than its last good copy's; a
        good one is kept as `<file>.last-good`, and when a new file is refused (unsigned,
        altered, older) or missing that copy goes on deciding, with a notice. Such a station
        never decides under the bundled, unsigned file."""
        from policy import PolicyFileError, load_policy

        key = self.public_key()
        path = self.policy_file()
        try:
            return load_policy(path) if path is None or key is None else _signed_policy(path, key)
        except PolicyFileError as exc:
            raise ConfigError("policy.file", spoken(exc)) from None

    def signed_issue(self, path: Path) -> int | None:
        """The head office's issue number of the policy file at `path` when this station would
        take it: signed with its key and not older than its last good copy. None on a station
        without a head office key; PolicyFileError, in one line naming the file, otherwise."""
        key = self.public_key()
        if key is None:
            return None
        from policy import PolicyFileError

        last = last_good_copy(self.policy_target())
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise PolicyFileError(
                Message("{path}: cannot read the policy file ({problem})", path=str(path), problem=exc.strerror)
            ) from None
        return _taken(raw, str(path), key, _last_good(last, key), last)

    def section(self, name: str) -> _Section:
        """A further table ([smart], [printer], [ticket], ...) for its owner to read."""
        return _Section(name, self.sections.get(name, {}))


def last_good_copy(path: Path) -> Path:
    return path.with_name(path.name + ".last-good")


def _signed_policy(path: Path, key: Ed25519PublicKey):
    from dataclasses import replace

    from policy import PolicyFileError, parse_policy
    from policy.signature import PolicySignatureError

    last = last_good_copy(path)
    kept = _last_good(last, key)
    refused: str
    try:
        raw = path.read_bytes()
        issue = _taken(raw, str(path), key, kept, last)
    except FileNotFoundError:
        refused = Message("{path}: no such file", path=str(path))
    except OSError as exc:
        refused = Message("{path}: cannot read the policy file ({problem})", path=str(path), problem=exc.strerror)
    except PolicySignatureError as exc:
        refused = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)
    else:
        _keep_last_good(last, raw, kept)
        return replace(parse_policy(raw, str(path)), issue=issue)
    if kept is None:
        raise PolicyFileError(
            Message(
                "{refused}; and no good signed copy to keep deciding with ({copy}): "
                "put the head office's signed policy file there",
                refused=refused,
                copy=last.name,
            )
        )
    policy = parse_policy(kept[0], str(last))
    return replace(
        policy,
        issue=kept[1],
        notice=Message(
            "{refused}; deciding under the last good copy {copy} (issue {issue}, sha256 {sha256})",
            refused=refused,
            copy=str(last),
            issue=kept[1],
            sha256=policy.sha256[:12],
        ),
    )


def _last_good(last: Path, key: Ed25519PublicKey) -> tuple[bytes, int] | None:
    """The station's last good copy and its issue number; None when there is none to trust:
    missing, not the head office's, or a symbolic link (which could point at the very file
    it is to be compared with)."""
    from policy.signature import PolicySignatureError, verify_policy

    try:
        with os.fdopen(os.open(last, os.O_RDONLY | os.O_NOFOLLOW), "rb") as handle:
            raw = handle.read()
        return raw, verify_policy(raw, key, str(last))
    except (OSError, PolicySignatureError):
        return None


def _taken(raw: bytes, origin: str, key: Ed25519PublicKey, kept: tuple[bytes, int] | None, last: Path) -> int:
    """The issue number of a file the station takes: signed by the head office, and not older
    than its last good copy `kept` (at `last`); PolicySignatureError naming why not."""
    from policy.signature import refuse_rollback, verify_policy

    issue = verify_policy(raw, key, origin)
    if kept is not None:
        refuse_rollback(issue, origin, kept[1], str(last))
    return issue


def _keep_last_good(last: Path, raw: bytes, kept: tuple[bytes, int] | None) -> None:
    """Best effort: a technician's session may not write beside the station's file; the
    manager's next start keeps it then. A symbolic link in its place is replaced by a file."""
    if kept is not None and kept[0] == raw:
        return
    tmp = last.with_name(f".{last.name}.{os.getpid()}")
    try:
        tmp.write_bytes(raw)
        os.chmod(tmp, 0o644)  # the policy is no secret: every technician's session reads it
        os.replace(tmp, last)  # whole or not at all
    except OSError:
        tmp.unlink(missing_ok=True)


def user_config() -> Path | None:
    """The user's file: the one $WORKBENCH_CONFIG names, else workbench.toml in the user's config
    directory, else None. It may set anything but authority."""
    named = os.environ.get("WORKBENCH_CONFIG")
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigError("WORKBENCH_CONFIG", _("no such file: {path}").format(path=path))
        return path
    return user_config_file() if _is_file(user_config_file()) else None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError as exc:  # e.g. a home directory this login may not enter
        raise ConfigError(str(path), _("cannot be checked: {problem}").format(problem=exc.strerror)) from None


def untrusted(path: Path) -> Message | None:
    """Why the station's file grants no authority, or None when root alone can change it: the
    file (its links followed) and every folder above it are root's, and no group or other user
    may write them (a folder others may write lets them put another file in its place)."""
    real = path.resolve()
    for part in (real, *real.parents):
        try:
            info = part.stat()
        except OSError as exc:
            return Message("{path} cannot be checked ({problem})", path=_text(part), problem=exc.strerror)
        mode = f"{info.st_mode & 0o7777:04o}"
        if info.st_uid != 0:
            return Message("{path} belongs to {owner}, not root", path=_text(part), owner=_owner(info.st_uid))
        if info.st_mode & 0o002:
            return Message("{path} is writable by every user (mode {mode})", path=_text(part), mode=mode)
        if info.st_mode & 0o020:
            return Message(
                "{path} is writable by the group {group} (mode {mode})",
                path=_text(part),
                group=_group(info.st_gid),
                mode=mode,
            )
    return None


def _owner(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _group(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return f"gid {gid}"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            "station.time_zone", _("{name} is not a time zone name (e.g. Asia/Shanghai)").format(name=repr(name[:60]))
        ) from None


def _language(name: str) -> str:
    from workbench.words.language import LANGUAGES, from_locale

    if not name.strip():
        return ""
    code = from_locale(name)
    if code is None:
        raise ConfigError(
            "station.language",
            _("{name} is not a language the workbench speaks ({languages})").format(
                name=repr(name[:60]), languages=", ".join(LANGUAGES)
            ),
        )
    return code


# Every table and key the station configuration may hold: anything else is a typo that would
# otherwise be ignored in silence ([databse] would send a technician to a private database).
KNOWN: dict[str, frozenset[str] | None] = {
    "station": frozenset({"id", "name", "supervisors", "supervisor_group", "time_zone", "language"}),
    "database": frozenset({"url"}),
    "policy": frozenset({"file", "public_key"}),
    "smart": frozenset({"smartctl", "use_sudo", "timeout", "self_test_poll_seconds"}),
    "printer": frozenset(
        {"kind", "queue", "connection", "host", "port", "vendor_id", "product_id", "device", "baudrate", "width"}
    ),
    "ticket": frozenset({"key_file", "trusted_keys"}),
    "ticket.trusted_keys": None,  # station id = public key: any station id
    "terminal": frozenset({"cursor_blink"}),
    "training": frozenset({"database"}),
    "replica": frozenset({"url", "key_file", "host_key", "credentials_file", "max_lag_minutes"}),
}

# The settings that grant authority: who may change verdicts and resolve reviews, the policy
# claims are decided under (its copy, and the head office's key it must be signed with), and the
# other stations whose tickets are genuine, and where the station's records are copied to (the
# replica: its place, the server it trusts, the key and credentials it is reached with, and how far
# behind it may fall before the station is warned). Only the station's own file sets them.
AUTHORITY: tuple[str, ...] = (
    "station.supervisors",
    "station.supervisor_group",
    "policy.file",
    "policy.public_key",
    "ticket.trusted_keys",
    "replica.url",
    "replica.key_file",
    "replica.host_key",
    "replica.credentials_file",
    "replica.max_lag_minutes",
)


def check_known(data: dict[str, Any], source: str) -> None:
    """Refuse an unknown table or key, naming it, with the nearest known one when it is a near miss."""
    for table, body in data.items():
        if table not in KNOWN:
            near = _near(table, KNOWN)
            if near is None:
                problem = _("is not a table of the station configuration ({source})").format(source=source)
            else:
                problem = _("is not a table of the station configuration: did you mean {near}? ({source})").format(
                    near=repr(near), source=source
                )
            raise ConfigError(table, problem)
        keys = KNOWN[table]
        if not isinstance(body, dict):
            raise ConfigError(table, _("must be a table ({source})").format(source=source))
        if keys is None:
            continue
        for key, value in body.items():
            if isinstance(value, dict) and f"{table}.{key}" in KNOWN:
                continue
            if key not in keys:
                near = _near(key, keys)
                if near is None:
                    problem = _("is not a setting of [{table}] ({source})").format(table=table, source=source)
                else:
                    problem = _("is not a setting of [{table}]: did you mean {near}? ({source})").format(
                        table=table, near=repr(near), source=source
                    )
                raise ConfigError(f"{table}.{key}", problem)


def _near(word: str, known: Any) -> str | None:
    """The known name `word` is a near miss of, if any."""
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def load_config(station_file: Path | None = None) -> StationConfig:
    """The configuration in effect (`read_config`), after saying on standard error, one line
    each, which authority settings were ignored and why."""
    config = read_config(station_file)
    for line in config.ignored:
        print(f"workbench: {say(line)}", file=sys.stderr)
    return config


def read_config(station_file: Path | None = None) -> StationConfig:
    """The station's own file, then the user's over it, setting by setting; authority only from
    the station's file, and only while root alone can change it.

    `station_file` names the station's own file in place of /etc/netac-workbench/workbench.toml,
    for a caller that chose it itself (the tests): its owner and mode are then not checked."""
    data: dict[str, Any] = {}
    origins: dict[str, Path] = {}
    refused: list[tuple[str, Path]] = []
    ignored: list[Message] = []
    own = station_file or SYSTEM_CONFIG
    present = station_file is not None or _is_file(SYSTEM_CONFIG)
    problem = untrusted(own) if present and station_file is None else None
    if present:
        left_out = _layer(data, origins, own, grants_authority=problem is None)
        refused += [(name, own) for name in left_out]
        if problem is not None and left_out:
            ignored.append(
                Message(
                    "{file} grants no authority ({settings} ignored): {problem}; only root may be able to change it "
                    "(chown root:root, chmod go-w)",
                    file=_text(own),
                    settings=_listed(left_out),
                    problem=problem,
                )
            )
        elif problem is not None:
            ignored.append(
                Message(
                    "{file} grants no authority: {problem}; only root may be able to change it "
                    "(chown root:root, chmod go-w)",
                    file=_text(own),
                    problem=problem,
                )
            )
    user = user_config()
    if user is not None and present and _same_file(user, own):
        user = None  # $WORKBENCH_CONFIG naming the station's own file
    if user is not None:
        left_out = _layer(data, origins, user, grants_authority=False)
        refused += [(name, user) for name in left_out]
        if left_out:
            ignored.append(
                Message(
                    "{file}: {settings} ignored: authority comes only from the station's own file {station_file}",
                    file=_text(user),
                    settings=_listed(left_out),
                    station_file=_text(own),
                )
            )
    station = _Section("station", data.get("station", {}))
    database = _Section("database", data.get("database", {}))
    station_id = station.get("id", str, "LOCAL").upper()
    if not STATION_ID.fullmatch(station_id):
        raise ConfigError("station.id", _("{id} must be 2 to 8 letters or digits").format(id=repr(station_id)))
    if station_id == TRAINING_STATION:  # its tickets never verify: a real station would issue worthless ones
        raise ConfigError(
            "station.id", _("{id} is the training bench's own id: choose another").format(id=repr(station_id))
        )
    url = os.environ.get("WORKBENCH_DATABASE_URL") or database.get("url", str, "")
    if not url:
        url = f"sqlite:///{user_data_dir() / 'cases.db'}"
    return StationConfig(
        station_id=station_id,
        station_name=station.get("name", str, StationConfig.station_name),
        supervisors=station.strings("supervisors"),
        supervisor_group=station.get("supervisor_group", str, SUPERVISOR_GROUP),
        zone_name=_zone(zone).key if (zone := station.get("time_zone", str, "").strip()) else "",
        language=_language(station.get("language", str, "")),
        database_url=url,
        station_file=own if present else None,
        authority_file=own if present and problem is None else None,
        user_file=user,
        origins=origins,
        refused=tuple(refused),
        ignored=tuple(ignored),  # its paths cleaned already: shown as text
        sections={k: v for k, v in data.items() if k not in ("station", "database")},
    )


def _layer(data: dict[str, Any], origins: dict[str, Path], path: Path, *, grants_authority: bool) -> list[str]:
    """Read `path` strictly and lay its settings over `data`; returns the authority settings it
    set that were left out (all of them unless it grants authority)."""
    try:
        read = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), _("cannot read: {problem}").format(problem=exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), _("not valid TOML: {problem}").format(problem=exc)) from None
    check_known(read, str(path))
    refused = []
    for table, body in read.items():
        for key, value in body.items():
            name = f"{table}.{key}"
            if name in AUTHORITY and not grants_authority:
                refused.append(name)
                continue
            data.setdefault(table, {})[key] = value
            origins[name] = path
    return refused


def _listed(names: list[str]) -> str:
    return ", ".join(f"[{name.split('.')[0]}] {name.split('.')[1]}" for name in names)


def _text(path: Path) -> str:
    """A path in a line for a person: shown as text, never terminal control."""
    return strip_control(str(path))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False
