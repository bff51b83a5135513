"""Strings from people and drives are data: never markup, never terminal control.

A serial typed by a barcode scanner, a model string from drive firmware (which a
counterfeiter controls) or a customer's note may carry Rich markup like `[bold]` or
escape sequences that would repaint or hijack the technician's terminal.
"""

import re

from rich.markup import escape

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte ESC sequences,
# then any remaining C0/C1 control character except tab and newline, and the bidi
# overrides and isolates that make a name or serial read other than it is (U+202A-U+202E,
# U+2066-U+2069).
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def strip_control(text: str, *, keep_newlines: bool = False) -> str:
    """Remove terminal escape sequences and control characters from `text`."""
    if text.isprintable():  # no control or bidi character: nothing to remove (most text; 3x faster)
        return text
    cleaned = _ESCAPE_SEQUENCE.sub("", text)
    if not keep_newlines:
        cleaned = cleaned.replace("\n", " ").replace("\t", " ")
    return cleaned


def safe_markup(text: object) -> str:
    """`text` ready to embed in Rich/Textual markup: shown literally, controls removed."""
    return escape(strip_control(str(text)))


def plain(text: object):
    """`text` as a Rich Text for a table cell or label: never parsed as markup, controls removed."""
    from rich.text import Text

    return Text(strip_control("" if text is None else str(text)))


def shown(text: object, limit: int = 80) -> str:
    """A value quoted in a message: cleaned, on one line, and cut to `limit` terminal cells."""
    from rich.cells import cell_len, set_cell_size

    cleaned = strip_control(str(text))
    if len(cleaned) <= limit // 2 or cell_len(cleaned) <= limit:  # most messages: no measuring needed
        return cleaned
    # Cut by terminal cells (a Han character takes two), never through a character.
    return set_cell_size(cleaned, limit - 1).rstrip() + "…"


def clean_data(value: object) -> object:
    """JSON-ready data with every string cleaned (for exports: they reach terminals and spreadsheets)."""
    if isinstance(value, str):
        return strip_control(value, keep_newlines=True)
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_data(v) for v in value]
    return value


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal cells (a Han character takes two), for columns."""
    from rich.cells import cell_len

    return text + " " * max(0, width - cell_len(text))
