"""A serial number in its one canonical form, for every lookup, record and ticket.

A barcode scanner or a technician may type a label's serial in lower case, or with the
spaces and hyphens some labels print between groups; the drive reports it in its own way.
All of them are the same serial: upper case, letters and digits only.
"""

from __future__ import annotations

import re

_NOT_SERIAL = re.compile(r"[^0-9A-Z]")


def canonical_serial(text: str) -> str:
    """`rn2024-0618 2tb104233` -> `RN202406182TB104233`."""
    return _NOT_SERIAL.sub("", text.upper())
