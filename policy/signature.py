"""A chain's policy file, signed by its head office (Ed25519).

The signature is the file's last line, a TOML comment, so a signed file is still the
same policy file to every reader:

    # signature: ed25519 <base64 of the 64-byte signature over every byte before this line>

A station configured with the head office's public key (`[policy] public_key`, the
base64 of the raw 32-byte key) decides only under a file whose signature verifies.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from policy.document import PolicyFileError

PREFIX = b"# signature: ed25519 "


class PolicySignatureError(PolicyFileError):
    """The file is not signed by the key the station trusts; names the file and why."""


def split_signature(raw: bytes) -> tuple[bytes, bytes | None]:
    """The signed body and the signature line's base64 text (None when the file has none)."""
    body = raw[:-1] if raw.endswith(b"\n") else raw
    cut = body.rfind(b"\n") + 1
    if not body[cut:].startswith(PREFIX):
        return raw, None
    return raw[:cut], body[cut + len(PREFIX) :].strip()


def sign_policy(raw: bytes, private_key: Ed25519PrivateKey) -> bytes:
    """`raw` with its signature line (an earlier one is replaced: signing again re-signs)."""
    body, _ = split_signature(raw)
    if not body.endswith(b"\n"):
        body += b"\n"
    return body + PREFIX + base64.b64encode(private_key.sign(body)) + b"\n"


def verify_policy(raw: bytes, public_key: Ed25519PublicKey, origin: str) -> None:
    """Raise PolicySignatureError, in one line naming `origin`, unless the key signed `raw`."""
    body, signature = split_signature(raw)
    if signature is None:
        raise PolicySignatureError(
            f"{origin}: not signed (no '# signature: ed25519' last line); "
            "the station takes only its head office's signed policy"
        )
    try:
        decoded = base64.b64decode(signature, validate=True)
        if len(decoded) != 64:  # Ed25519 signatures are 64 bytes; anything else is no signature
            raise ValueError
        public_key.verify(decoded, body)
    except (binascii.Error, ValueError):
        raise PolicySignatureError(f"{origin}: the signature line is not base64 of an Ed25519 signature") from None
    except InvalidSignature:
        raise PolicySignatureError(
            f"{origin}: the signature does not match: the file was changed after "
            "signing, or signed with another key than the head office's"
        ) from None


def public_key_from_text(text: str, problem: str) -> Ed25519PublicKey:
    """The station's configured key (base64 of the raw 32 bytes); an error says `problem`."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        if len(raw) != 32:
            raise ValueError
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise PolicyFileError(f"{problem} (base64 of 32 bytes, as `workbench policy keygen` prints it)") from None


def public_key_text(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def private_key_from_pem(pem: bytes, where: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise PolicyFileError(f"{where}: not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise PolicyFileError(f"{where}: not an Ed25519 private key")
    return key


def private_key_pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
