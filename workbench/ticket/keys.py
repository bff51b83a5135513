"""The station's Ed25519 signing key, and the public keys of the chain's other stations."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from workbench.config import StationConfig, user_data_dir
from workbench.errors import ConfigError, WorkbenchError


def key_path(config: StationConfig) -> Path:
    configured = config.section("ticket").get("key_file", str, "")
    return Path(configured) if configured else user_data_dir() / "station-ticket-key.pem"


def station_key(config: StationConfig) -> Ed25519PrivateKey:
    """The signing key, made at first use; only its owner may read it (0600 in a 0700 folder)."""
    path = key_path(config)
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError) as exc:
            raise WorkbenchError(f"the station's ticket key {path} cannot be read: {exc}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise WorkbenchError(f"the station's ticket key {path} is not an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # O_EXCL: two technicians starting at once must not each write a different key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return station_key(config)
    except OSError as exc:
        raise WorkbenchError(f"cannot create the station's ticket key {path}: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


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
            raise ConfigError(f"ticket.trusted_keys.{station}", "is not a base64 Ed25519 public key") from None
    keys[config.station_id] = station_key(config).public_key()
    return keys


def verify_signature(key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        key.verify(signature, message)
        return True
    except InvalidSignature:
        return False
