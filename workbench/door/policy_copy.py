"""Writing the station's copy of the policy: whole or not at all, and into the audit trail.
`workbench policy import/sign` and a supervisor's figure entered at the counter share it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import InputError
from workbench.words.language import _

if TYPE_CHECKING:
    from db.store import CaseStore


def write_atomically(target: Path, content: str, field: str = "--output") -> None:
    """Whole or not at all: a station never decides under half a file."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)  # the policy is no secret: every technician's session reads it
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        raise InputError(
            field, _("{path}: cannot be written ({reason})").format(path=target, reason=exc.strerror)
        ) from None


def audit_policy_change(
    store: CaseStore, target: Path, old_sha: str, new_sha: str, figures: int, **detail: object
) -> None:
    """`detail`: what else changed, e.g. the identity a supervisor taught a line, and the drive's words."""
    store.record_station_event(
        "policy_changed",
        {"file": str(target), "old_sha256": old_sha, "new_sha256": new_sha, "figures": figures, **detail},
    )
