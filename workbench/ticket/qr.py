"""QR codes for tickets: modules for the terminal, PNG for paper."""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

# Medium error correction survives a crease or a smudge on a thermal receipt and keeps a
# signed ticket at QR version 9 (53 modules), about 0.8 mm a module in 48 mm of 58 mm paper.
ERROR_CORRECTION = ERROR_CORRECT_M


def make(text: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=2)
    code.add_data(text.encode("utf-8"))
    code.make(fit=True)
    return code


def terminal_lines(text: str) -> list[str]:
    """The QR drawn with half blocks, two module rows a line; dark modules as spaces on light."""
    matrix = make(text).get_matrix()
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    glyph = {(False, False): "█", (True, False): "▄", (False, True): "▀", (True, True): " "}
    return ["".join(glyph[(top, bottom)] for top, bottom in zip(matrix[i], matrix[i + 1]))
            for i in range(0, len(matrix), 2)]


def png_bytes(text: str, box_size: int = 6) -> bytes:
    code = make(text)
    code.box_size = box_size
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()
