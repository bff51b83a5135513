"""What the workbench writes to the terminal, without what the terminal already knows.

Rich writes every run of text as `ESC[<style>m text ESC[0m`: the style again for each run,
and a reset after each, even when the next run has the same colours. Over SSH on a slow
link those codes are most of a repaint. `SgrCompactor` follows the terminal's style state
and writes a style change only where it changes, just before the text that needs it; long
runs of blanks become an erase (ECH) where the terminal fills erased cells with the current
background (terminfo `bce`). The screen the terminal shows is the same, cell for cell
(tests/test_terminal_output.py renders both on a terminal emulator).

It is also a wall: what reaches the terminal is only the vocabulary Textual itself writes
(`ContentWall`), so an escape sequence that slipped into a widget's text with a customer's
name or a scanned ticket is not obeyed, nor held back with the rest of the frame behind it.
"""

from __future__ import annotations

import curses
import functools
import os
import re
import threading
from dataclasses import dataclass, field, replace
from typing import Any

from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

# The terminal vocabulary of Textual 8.2.8's LinuxDriver and App (not inline), and nothing
# else: tests/test_terminal_output.py records a real session and checks that none of what
# Textual wrote is dropped, so a Textual that writes something new fails there first.
# In a frame (where widgets' text is): text, CR, LF, SGR (Rich's styles) and cursor positions.
_FRAME_ESCAPE = r"\[[0-9;:]*m|\[[0-9]*(?:;[0-9]*)?H"
# Written alone, each a whole write of its own: the driver's private modes (cursor, alternate
# screen, mouse, focus events, bracketed paste, synchronized output, in-band resize, line
# wrap), its mode queries, the kitty keyboard protocol on and off, and the App's pointer
# shape (OSC 22), clipboard copy (OSC 52, base64) and bell.
_OWN_WRITE = re.compile(
    r"\x1b\[\?(?:7|25|1000|1002|1003|1004|1006|1015|1016|1049|2004|2026|2048)[hl]"
    r"|\x1b\[\?(?:2026|2048)\$p"
    r"|\x1b\[>[0-9]+u|\x1b\[<u"
    r"|\x1b\]22;[a-z-]+\x07"
    r"|\x1b\]52;c;[A-Za-z0-9+/]*={0,2}\x07"
    r"|\x07"
)
# Any other control character (C0 but CR and LF, DEL, C1) or an ESC that starts no escape of
# the frame's: dropped, and what follows it is text (a string's text, a CSI's parameters).
_FOREIGN = re.compile(f"\\x1b(?!{_FRAME_ESCAPE})|[\\x00-\\x09\\x0b\\x0c\\x0e-\\x1a\\x1c-\\x1f\\x7f-\\x9f]")
# A frame's escape cut by the end of a write, held for the next: 64 characters at most (a
# style with every attribute and three true colours is shorter).
_CUT_FRAME_ESCAPE = re.compile(r"\x1b(?:\[[0-9;:]{0,62})?\Z")

# One unit of the walled output: a CSI sequence, a string sequence (OSC), a control
# character, or a run of text.
_UNIT = re.compile(
    r"(?P<csi>\x1b\[(?P<params>[0-?]*)(?P<inter>[ -/]*)(?P<final>[@-~]))"
    r"|(?P<string>\x1b\][^\x07]*\x07)"
    r"|(?P<control>[\x00-\x1f\x7f])"
    r"|(?P<text>[^\x00-\x1f\x7f]+)"
)
# Modes that leave the cursor where it is: cursor shown or hidden, synchronized output,
# mouse reporting, focus events, bracketed paste.
_QUIET_MODE = re.compile(r"\x1b\[\?(?:(?:25|2026|1000|1002|1003|1004|1006|1015|2004);?)+[hl]")
# Erasing a run of blanks is worth it from this length on (`ESC[nX` + `ESC[nC` is 8-10 bytes).
_SHORTEST_ERASE = 12
_LONG_BLANKS = re.compile(f" {{{_SHORTEST_ERASE},}}")

# Attributes: the code that sets each, and the code that clears a group of them.
_ON = {1: "bold", 2: "dim", 3: "italic", 4: "underline", 5: "blink", 6: "rapid_blink", 7: "reverse"}
_ON |= {8: "conceal", 9: "strike", 21: "double_underline", 51: "framed", 52: "encircled", 53: "overline"}
_OFF = {
    22: frozenset({"bold", "dim"}),
    23: frozenset({"italic"}),
    24: frozenset({"underline", "double_underline"}),
    25: frozenset({"blink", "rapid_blink"}),
    27: frozenset({"reverse"}),
    28: frozenset({"conceal"}),
    29: frozenset({"strike"}),
    54: frozenset({"framed", "encircled"}),
    55: frozenset({"overline"}),
}
_CODE_OF = {name: code for code, name in _ON.items()}
# Attributes that show on a blank cell; without them a blank shows only its background.
_SHOWN_ON_BLANK = frozenset({"reverse", "underline", "double_underline", "strike", "overline", "framed", "encircled"})


@dataclass(frozen=True)
class Style:
    """The terminal's graphic rendition: attributes and colours (None: the default)."""

    attributes: frozenset[str] = field(default_factory=frozenset)
    foreground: str | None = None  # as written: "31", "38;5;208", "38;2;10;20;30"
    background: str | None = None
    underline_colour: str | None = None

    def codes(self) -> list[str]:
        codes = [str(_CODE_OF[name]) for name in sorted(self.attributes, key=_CODE_OF.__getitem__)]
        return codes + [c for c in (self.foreground, self.background, self.underline_colour) if c]


PLAIN = Style()


class ContentWall:
    """Passes on only what Textual writes to the terminal (above), whatever a widget's text
    holds: a control character or escape that Textual does not write is dropped, and the
    rest of its sequence passes as the text it is. Nothing is held back but a frame's escape
    cut by the end of a write (Textual writes whole ones; held at most 64 characters)."""

    def __init__(self) -> None:
        self._cut = ""

    def feed(self, data: str) -> str:
        if not self._cut and _OWN_WRITE.fullmatch(data):
            return data
        data, self._cut = self._cut + data, ""
        cut = _CUT_FRAME_ESCAPE.search(data)
        if cut:
            data, self._cut = data[: cut.start()], cut.group()
        return _FOREIGN.sub("", data)


# The same few styles and codes come again in every frame: each function of them is asked once.
@functools.lru_cache(maxsize=4096)
def blank_look(style: Style) -> Style:
    """What a blank cell in `style` shows: its background, unless an attribute shows more."""
    return style if style.attributes & _SHOWN_ON_BLANK else Style(background=style.background)


def _colour(params: list[str], at: int) -> tuple[str, int] | None:
    """The extended colour (38/48/58;5;n or ;2;r;g;b) at `at` and where the next code starts."""
    if at + 1 < len(params) and params[at + 1] == "5" and at + 2 < len(params):
        width = 3
    elif at + 1 < len(params) and params[at + 1] == "2" and at + 4 < len(params):
        width = 5
    else:
        return None
    return ";".join(params[at : at + width]), at + width


def _coloured(style: Style, slot: int, colour: str | None) -> Style:
    """`style` with the colour of slot 3 (foreground), 4 (background) or 5 (underline)."""
    if slot == 3:
        return replace(style, foreground=colour)
    if slot == 4:
        return replace(style, background=colour)
    return replace(style, underline_colour=colour)


@functools.lru_cache(maxsize=4096)
def _blank_style(wanted: Style, terminal: Style | None) -> Style:
    """The style to paint blanks of style `wanted` in: the terminal's own, but for the
    background, where a blank would show the same (fewer codes to write)."""
    if terminal is None:
        return wanted
    kept = replace(terminal, background=wanted.background)
    return kept if blank_look(kept) == blank_look(wanted) else wanted


@functools.lru_cache(maxsize=4096)
def apply_sgr(style: Style, text: str) -> Style | None:
    """The style after `ESC[<text>m`, or None when it holds a code not modelled here."""
    if not re.fullmatch(r"[0-9;]*", text):
        return None  # sub-parameters (4:3, 38:2::r:g:b): passed on untouched
    params = [p or "0" for p in text.split(";")] if text else ["0"]
    at = 0
    while at < len(params):
        code = int(params[at])
        if code == 0:
            style = PLAIN
        elif code in _ON:
            style = replace(style, attributes=style.attributes | {_ON[code]})
        elif code in _OFF:
            style = replace(style, attributes=style.attributes - _OFF[code])
        elif 30 <= code <= 37 or 90 <= code <= 97:
            style = replace(style, foreground=str(code))
        elif 40 <= code <= 47 or 100 <= code <= 107:
            style = replace(style, background=str(code))
        elif code in (39, 49, 59):
            style = _coloured(style, code // 10, None)
        elif code in (38, 48, 58):
            extended = _colour(params, at)
            if extended is None:
                return None
            style = _coloured(style, code // 10, extended[0])
            at = extended[1]
            continue
        else:
            return None
        at += 1
    return style


@functools.lru_cache(maxsize=4096)
def transition(old: Style | None, new: Style) -> str:
    """The shortest SGR sequence that takes the terminal from `old` (None: not known) to `new`."""
    whole = "\x1b[" + ";".join(["0", *new.codes()] if new != PLAIN else []) + "m"
    if old is None:
        return whole
    codes: list[str] = []
    cleared = frozenset[str]()
    for code, group in _OFF.items():
        if old.attributes & group - new.attributes:
            codes.append(str(code))
            cleared |= group
    kept = old.attributes - cleared
    codes += [str(_CODE_OF[name]) for name in sorted(new.attributes - kept, key=_CODE_OF.__getitem__)]
    for slot, default in (("foreground", "39"), ("background", "49"), ("underline_colour", "59")):
        if getattr(old, slot) != getattr(new, slot):
            codes.append(getattr(new, slot) or default)
    delta = "\x1b[" + ";".join(codes) + "m"
    return delta if len(delta) < len(whole) else whole


class SgrCompactor:
    """Rewrites a stream of terminal output so that the terminal shows the same screen.

    The style state of the terminal is followed; a style code is written only when text
    (or an operation that paints with the style) needs a style the terminal does not have.
    With `erase_blanks`, a long run of blanks with no attribute that shows on a blank (an
    underline, reverse video...) is erased (ECH, which paints the current background)
    instead of written, and the cursor moved past it unless a cursor position or carriage
    return comes next. The cursor is followed too: a cursor position where the cursor
    already is goes, and so does a line feed that a cursor position follows, when the
    terminal's `size` is known and the feed cannot scroll. At the end of each write the
    terminal has the style the stream asked for, so another writer may follow."""

    def __init__(self, *, erase_blanks: bool = False, size: tuple[int, int] | None = None) -> None:
        self.erase_blanks = erase_blanks
        self.size = size  # the terminal's columns and rows, when known
        self._size_seen = size
        self._terminal: Style | None = None  # what the terminal has (None: not known)
        self._wanted: Style | None = PLAIN  # what the stream asked for (None: not modelled)
        self._row: int | None = None  # where the cursor is (1-based; None: not known),
        self._column: int | None = None  # counting the blanks held back as written
        self._wall = ContentWall()  # only Textual's vocabulary is compacted, and sent
        self._blanks = 0  # blanks not written yet, all in the style `_blank_style`
        self._blank_style: Style = PLAIN
        self._out: list[str] = []

    def feed(self, data: str) -> str:
        if self.size != self._size_seen:  # a resized terminal may have moved its cursor (reflow)
            self._size_seen = self.size
            self._row = self._column = None
        data = self._wall.feed(data)
        out = self._out
        at = 0
        while at < len(data):
            unit = _UNIT.match(data, at)
            assert unit is not None  # every character is a control or text
            at = unit.end()
            final = unit["final"] if unit["csi"] is not None and not unit["inter"] else None
            if unit["text"] is not None:
                self._text(unit["text"])
            elif final == "m":  # past the wall, a style: no private or other `m`
                self._sgr(unit["params"], unit.group())
            elif final == "H":  # past the wall, a cursor position
                row, _, column = unit["params"].partition(";")
                self._place(int(row or 1), int(column or 1), unit.group())
            elif unit["control"] == "\r":
                self._end_blanks(cursor_placed=True)
                out.append("\r")
                self._column = 1
            elif unit["control"] == "\n" and self._feed_is_spare(data, at):
                continue  # the cursor position that follows moves the cursor anyway
            else:  # Textual's own writes (modes, queries, strings, the bell): as they came
                self._end_blanks(cursor_placed=False)
                self._paint_style()
                out.append(unit.group())
                if not (unit["string"] is not None or _QUIET_MODE.fullmatch(unit.group())):
                    self._row = self._column = None
        self._end_blanks(cursor_placed=False)
        self._paint_style()
        written, self._out = "".join(out), []
        return written

    def _place(self, row: int, column: int, sequence: str) -> None:
        if (row, column) == (self._row, self._column):
            return  # already there (blanks held back end there too)
        self._end_blanks(cursor_placed=True)
        self._out.append(sequence)
        self._row, self._column = row, column

    def _feed_is_spare(self, data: str, at: int) -> bool:
        """Whether the line feed before `at` can go: a cursor position follows at once, and
        the feed cannot scroll (a row to spare, should the line have wrapped)."""
        following = _UNIT.match(data, at)
        return (
            following is not None
            and following["final"] == "H"
            and not following["inter"]
            and self._row is not None
            and self.size is not None
            and self._row + 1 < self.size[1]
        )

    def _sgr(self, params: str, sequence: str) -> None:
        if self._wanted is not None:
            wanted = apply_sgr(self._wanted, params)
            if wanted is not None:
                self._wanted = wanted
                return
            self._end_blanks(cursor_placed=False)
            self._paint_style()
        # Not modelled: the code goes out as it came; the state is known again after a reset.
        self._out.append(sequence)
        codes = params.split(";")
        resets = [i for i, code in enumerate(codes) if code in ("", "0")]
        self._wanted = apply_sgr(PLAIN, ";".join(codes[resets[-1] :])) if resets else None
        self._terminal = self._wanted

    def _text(self, text: str) -> None:
        if self._wanted is None:
            self._ink(text)
            return
        # Blanks at either end may join the blanks of the runs beside them; inside the text,
        # only a run long enough to be erased is worth holding back.
        body = text.strip(" ")
        lead = len(text) - len(text.lstrip(" "))
        if lead:
            self._blank(lead)
        if not body:
            return
        at = 0
        for blanks in _LONG_BLANKS.finditer(body):
            self._ink(body[at : blanks.start()])
            self._blank(blanks.end() - blanks.start())
            at = blanks.end()
        self._ink(body[at:])
        trail = len(text) - lead - len(body)
        if trail:
            self._blank(trail)

    def _blank(self, count: int) -> None:
        wanted = self._wanted
        assert wanted is not None
        if self._blanks and blank_look(self._blank_style) != blank_look(wanted):
            self._end_blanks(cursor_placed=False)
        self._blank_style = wanted
        self._blanks += count
        if self._column is not None:
            self._column += count

    def _ink(self, text: str) -> None:
        self._end_blanks(cursor_placed=False)
        self._paint_style()
        self._out.append(text)
        # Only ASCII advances the cursor by a count known here: other characters may be
        # wide or ambiguous on the technician's terminal.
        if self._column is not None:
            self._column = self._column + len(text) if text.isascii() else None

    def _end_blanks(self, *, cursor_placed: bool) -> None:
        """Write the blanks held back; `cursor_placed`: what follows sets the column itself."""
        count, self._blanks = self._blanks, 0
        if not count:
            return
        style = _blank_style(self._blank_style, self._terminal)
        self._paint_style(style)
        # Blanks that end short of the last column may be erased and stepped over; up to the
        # last column only when a position follows (written, they leave a pending wrap).
        column, size = self._column, self.size
        stepped_over = column is not None and size is not None and column - 1 < size[0]
        if (
            self.erase_blanks
            and not style.attributes & _SHOWN_ON_BLANK
            and count >= _SHORTEST_ERASE
            and (cursor_placed or stepped_over)
        ):
            self._out.append(f"\x1b[{count}X" if cursor_placed else f"\x1b[{count}X\x1b[{count}C")
        else:
            self._out.append(" " * count)

    def _paint_style(self, style: Style | None = None) -> None:
        wanted = self._wanted if style is None else style
        if wanted is not None and wanted != self._terminal:
            self._out.append(transition(self._terminal, wanted))
            self._terminal = wanted


@functools.cache
def erases_in_colour(term: str) -> bool:
    """Whether terminal type `term` has ECH and fills erased cells with the background (bce).

    Asked of terminfo once per process: curses reads one terminal description per process."""
    if not term:
        return False
    try:
        descriptor = os.open(os.devnull, os.O_WRONLY)
        try:
            curses.setupterm(term, descriptor)
        finally:
            os.close(descriptor)
        return curses.tigetflag("bce") > 0 and bool(curses.tigetstr("ech"))
    except (curses.error, OSError):
        return False


class CompactDriver(LinuxDriver):
    """Textual's terminal driver, writing through an `SgrCompactor`."""

    def __init__(
        self, app: App[Any], *, debug: bool = False, mouse: bool = True, size: tuple[int, int] | None = None
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self._compactor = SgrCompactor(erase_blanks=erases_in_colour(os.environ.get("TERM", "")))
        self._compacting = threading.Lock()  # the compactor keeps state between writes

    def write(self, data: str) -> None:
        with self._compacting:
            self._compactor.size = self._size_now()
            written = self._compactor.feed(data)
        if written:
            super().write(written)

    def _size_now(self) -> tuple[int, int] | None:
        # The terminal's own size, not the app's idea of it: a line feed on the last row scrolls.
        try:
            size = os.get_terminal_size(self._file.fileno()) if self._file else None
        except (OSError, ValueError):
            return None
        return (size.columns, size.lines) if size else None
