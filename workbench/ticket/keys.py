"""The station's Ed25519 signing key, and the public keys of the chain's other stations."""

from __future__ import annotations

import base64
import grp
import os
import pwd
import stat
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from db.connection import sqlite_path
from workbench.config import StationConfig, in_group, login_user, user_data_dir
from workbench.errors import ConfigError, WorkbenchError
from workbench.words.language import _

KEY_FILE = "station-ticket-key.pem"


def key_path(config: StationConfig) -> Path:
    """Where the station's signing key is: `[ticket] key_file`, else beside the station's
    SQLite database (one key for every login of the station: /var/lib/netac-workbench on a
    shared bench, the user's data folder on the embedded single-user default)."""
    configured = config.section("ticket").get("key_file", str, "")
    if configured:
        return Path(configured)
    database = sqlite_path(config.database_url)
    return (database.parent if database is not None else user_data_dir()) / KEY_FILE


def station_key(config: StationConfig) -> Ed25519PrivateKey:
    """The signing key, made at first use.

    In a shared (setgid) station folder it is made readable by the folder's group, the
    technicians: every login of the station signs with the same key. Anywhere else only
    its owner may read it (0600 in a 0700 folder).
    """
    path = key_path(config)
    if path.exists():
        return _load(path)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shared = bool(path.parent.stat().st_mode & stat.S_ISGID)
        # O_EXCL: two technicians starting at once must not each write a different key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640 if shared else 0o600)
    except FileExistsError:
        return _load(path)
    except OSError as exc:
        raise WorkbenchError(
            _("cannot create the station's ticket key {path}: {error}").format(path=path, error=exc.strerror)
        ) from None
    with os.fdopen(fd, "wb") as handle:
        if shared:
            os.fchmod(handle.fileno(), 0o640)  # whatever the umask
        handle.write(pem)
    return key


def station_public_key(config: StationConfig) -> Ed25519PublicKey | None:
    """This station's public key, or None while it has no key yet (never makes one)."""
    path = key_path(config)
    return _load(path).public_key() if path.exists() else None


def _load(path: Path) -> Ed25519PrivateKey:
    try:
        data = path.read_bytes()
    except PermissionError:
        raise WorkbenchError(
            _("the station's ticket key {path} cannot be read: {why}").format(path=path, why=_missing_permission(path))
        ) from None
    except OSError as exc:
        raise WorkbenchError(
            _("the station's ticket key {path} cannot be read: {why}").format(path=path, why=exc.strerror)
        ) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except ValueError:
        raise WorkbenchError(
            _("the station's ticket key {path} is damaged: not a PEM private key").format(path=path)
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise WorkbenchError(_("the station's ticket key {path} is not an Ed25519 key").format(path=path))
    return key


def _missing_permission(path: Path) -> str:
    """Which permission keeps this login from the key, in one phrase an administrator acts on."""
    user = login_user()
    for folder in reversed(path.parents):
        if not os.access(folder, os.X_OK):
            return _("{user} may not enter the folder {folder}").format(user=user, folder=folder)
    try:
        info = path.stat()
    except OSError as exc:
        return exc.strerror or _("unknown")
    owner, group = _name(pwd.getpwuid, info.st_uid), _name(grp.getgrgid, info.st_gid)
    mode = stat.S_IMODE(info.st_mode)
    if in_group(user, group):
        return _(
            "it is {owner}:{group} mode {mode}, and its group ({group}, which {user} is in) "
            "needs read permission: chmod g+r"
        ).format(owner=owner, group=group, mode=f"{mode:04o}", user=user)
    return _(
        "it is {owner}:{group} mode {mode}, and {user} is not in its group {group}: "
        "add {user} to {group} (setup-ssh-station.sh add-technician)"
    ).format(owner=owner, group=group, mode=f"{mode:04o}", user=user)


def _name(lookup, number: int) -> str:
    try:
        return lookup(number)[0]
    except KeyError:
        return str(number)


def public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def trusted_keys(config: StationConfig) -> dict[str, Ed25519PublicKey]:
    """Station id → public key: the chain's stations from `[ticket.trusted_keys]`, and this one."""
    table = config.section("ticket").get("trusted_keys", dict, {})
    keys = {}
    for station, text in table.items():
        try:
            raw = base64.urlsafe_b64decode(str(text) + "=" * (-len(str(text)) % 4))
            keys[station.upper()] = Ed25519PublicKey.from_public_bytes(raw)
        except (ValueError, TypeError):
            raise ConfigError(f"ticket.trusted_keys.{station}", _("is not a base64 Ed25519 public key")) from None
    own = station_public_key(config)
    if own is not None:
        keys[config.station_id] = own
    return keys


def verify_signature(key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        key.verify(signature, message)
        return True
    except InvalidSignature:
        return False
