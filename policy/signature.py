"""A chain's policy file, signed by its head office (Ed25519).

The signature is the file's last line, a TOML comment, so a signed file is still the
same policy file to every reader:

    # issue: 7
    # signature: ed25519 <base64 of the 64-byte signature over every byte before this line>

The line before it is the file's issue number, which `workbench policy sign` raises with
each file; being signed, it cannot be changed without breaking the signature. A station
configured with the head office's public key (`[policy] public_key`, the base64 of the raw
32-byte key) decides only under a file whose signature verifies, and never under one of a
lower issue than its last good copy: an older signed file copied back is refused. A file
signed before issue numbers (no `# issue:` line) is issue 0, older than any numbered one.
"""

from __future__ import annotations

import base64
import binascii
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from policy.document import PolicyFileError
from policy.message import Message

PREFIX = b"# signature: ed25519 "
STAMP = re.compile(rb"# issue: ([0-9]{1,18})")  # the line before the signature
_TRAILER_LINE = re.compile(rb"^(?:# issue: [0-9]{1,18}|# signature: ed25519 .*)\n", re.MULTILINE)


class PolicySignatureError(PolicyFileError):
    """The file is not signed by the key the station trusts; names the file and why."""


class PolicyRollbackError(PolicySignatureError):
    """A signed file of a lower issue than the station's last good copy; names both."""


def split_signature(raw: bytes) -> tuple[bytes, bytes | None]:
    """The signed body and the signature line's base64 text (None when the file has none)."""
    body = raw[:-1] if raw.endswith(b"\n") else raw
    cut = body.rfind(b"\n") + 1
    if not body[cut:].startswith(PREFIX):
        return raw, None
    return raw[:cut], body[cut + len(PREFIX) :].strip()


def stamped_issues(raw: bytes) -> list[int]:
    """The issue numbers of every `# issue:` line in `raw`, signed or not (for the head office's
    next number: a file edited since signing may hold its old stamp anywhere)."""
    return [int(m.group(1)) for m in (STAMP.fullmatch(line) for line in raw.splitlines()) if m]


def sign_policy(raw: bytes, private_key: Ed25519PrivateKey, issue: int) -> bytes:
    """`raw` stamped with `issue` and signed. Earlier issue and signature lines, wherever an
    edit left them, are dropped: signing again re-signs."""
    body = _TRAILER_LINE.sub(b"", raw if raw.endswith(b"\n") else raw + b"\n") + b"# issue: %d\n" % issue
    return body + PREFIX + base64.b64encode(private_key.sign(body)) + b"\n"


def verify_policy(raw: bytes, public_key: Ed25519PublicKey, origin: str) -> int:
    """The file's issue number (0 when signed before issue numbers); raise
    PolicySignatureError, in one line naming `origin`, unless the key signed `raw`."""
    body, signature = split_signature(raw)
    if signature is None:
        raise PolicySignatureError(
            Message(
                "{origin}: not signed (no '# signature: ed25519' last line); "
                "the station takes only its head office's signed policy",
                origin=origin,
            )
        )
    try:
        decoded = base64.b64decode(signature, validate=True)
        if len(decoded) != 64:  # Ed25519 signatures are 64 bytes; anything else is no signature
            raise ValueError
        public_key.verify(decoded, body)
    except (binascii.Error, ValueError):
        raise PolicySignatureError(
            Message("{origin}: the signature line is not base64 of an Ed25519 signature", origin=origin)
        ) from None
    except InvalidSignature:
        raise PolicySignatureError(
            Message(
                "{origin}: the signature does not match: the file was changed after "
                "signing, or signed with another key than the head office's",
                origin=origin,
            )
        ) from None
    stamp = STAMP.fullmatch(body[:-1].rsplit(b"\n", 1)[-1])
    return int(stamp.group(1)) if stamp else 0


def refuse_rollback(issue: int, origin: str, last_issue: int, last_origin: str) -> None:
    """Raise PolicyRollbackError, naming both files and issues, when `origin` is older than the
    station's last good copy. The same issue is taken: a file signed again, or, before the
    head office numbered its files, one unnumbered file after another."""
    if issue < last_issue:
        raise PolicyRollbackError(
            Message(
                "{origin}: issue {issue} is older than the last good copy's issue {last_issue} ({last_origin}); "
                "a signed policy is never rolled back: put the head office's newest signed file in its place",
                origin=origin,
                issue=issue,
                last_issue=last_issue,
                last_origin=last_origin,
            )
        )


def public_key_from_text(text: str, problem: str) -> Ed25519PublicKey:
    """The station's configured key (base64 of the raw 32 bytes); an error says `problem` (a
    Message, to be said in the counter's language, or a str)."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        if len(raw) != 32:
            raise ValueError
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise PolicyFileError(
            Message("{problem} (base64 of 32 bytes, as `workbench policy keygen` prints it)", problem=problem)
        ) from None


def public_key_text(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def private_key_from_pem(pem: bytes, where: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise PolicyFileError(Message("{where}: not an unencrypted PEM private key", where=where)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise PolicyFileError(Message("{where}: not an Ed25519 private key", where=where))
    return key


def private_key_pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
