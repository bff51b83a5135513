"""QR codes for tickets: modules for the terminal, PNG for paper."""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

# Paper: medium error correction survives a crease or a smudge on a thermal receipt; a
# ticket (payload.py) is then QR version 6 (41 modules), about 1 mm a module in 48 mm of 58 mm paper.
ERROR_CORRECTION = ERROR_CORRECT_M
# Two light modules around the code: half the standard four, which phone and counter
# scanners read; the whole-screen view adds light background around it as well.
QUIET_ZONE = 2
LEVEL_NAMES = {ERROR_CORRECT_L: "L", ERROR_CORRECT_M: "M", ERROR_CORRECT_Q: "Q", ERROR_CORRECT_H: "H"}


def make(text: str, error_correction: int = ERROR_CORRECTION) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=error_correction, border=QUIET_ZONE)
    code.add_data(text.encode("utf-8"))
    code.make(fit=True)
    return code


def for_screen(text: str, lines: int) -> qrcode.QRCode | None:
    """The code with the strongest error correction that fits `lines` terminal lines, or None.

    A screen does not smudge, so on a small terminal a lower level than paper's is fine: at
    80x24 a usual ticket is version 6 at M (or L for a long serial) in 23 lines.
    """
    for level in (ERROR_CORRECT_H, ERROR_CORRECT_Q, ERROR_CORRECT_M, ERROR_CORRECT_L):
        code = make(text, level)
        if len(code.get_matrix()) <= 2 * lines:  # two module rows a line
            return code
    return None


def terminal_lines(code: qrcode.QRCode | str) -> list[str]:
    """The QR drawn with half blocks, two module rows a line; dark modules as spaces on light."""
    matrix = (make(code) if isinstance(code, str) else code).get_matrix()
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    glyph = {(False, False): "█", (True, False): "▄", (False, True): "▀", (True, True): " "}
    return [
        "".join(glyph[(top, bottom)] for top, bottom in zip(matrix[i], matrix[i + 1], strict=True))
        for i in range(0, len(matrix), 2)
    ]


def png_bytes(text: str, box_size: int = 6) -> bytes:
    code = make(text)
    code.box_size = box_size
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()
