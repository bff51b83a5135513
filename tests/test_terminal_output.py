"""What reaches the technician's terminal: the same screen in fewer bytes.

The compactor's output is checked where it matters, on a terminal emulator (pyte): the
screen drawn from what Textual wrote and the screen drawn from what the workbench sent are
the same, cell for cell (a blank compared by what it shows), with the cursor in the same
place, after every write. Generated frames shaped as Textual writes them, and a real
session of the workbench in a pty.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.terminal_recorder import record_session
from tests.tui_helpers import Terminal
from workbench.terminal.output import PLAIN, ContentWall, SgrCompactor, Style, apply_sgr, transition

COLUMNS, ROWS = 80, 24


def compact(*writes: str, **options: object) -> str:
    """What the compactor sends for `writes`, starting with the terminal's style known."""
    compactor = SgrCompactor(**options)  # type: ignore[arg-type]
    assert compactor.feed("") == "\x1b[m"  # not known at first: the default is set
    return "".join(compactor.feed(write) for write in writes)


def test_a_style_repeated_for_each_run_of_text_is_written_once() -> None:
    # As Rich writes two runs of text in the same colours: style, text, reset, each time.
    style = "\x1b[38;5;253;48;5;234m"
    line = f"\x1b[3;2H{style}Li\x1b[0m{style} Wei\x1b[0m"
    compactor = SgrCompactor()
    # What the terminal had before is not known: the first style starts from a reset.
    assert compactor.feed(line) == "\x1b[3;2H\x1b[0;38;5;253;48;5;234mLi Wei\x1b[m"
    assert compactor.feed(line) == f"\x1b[3;2H{style}Li Wei\x1b[m"


def test_a_change_of_style_writes_what_changes() -> None:
    bold_on_blue = Style(frozenset({"bold"}), "38;5;253", "44")
    assert transition(bold_on_blue, Style(frozenset({"bold"}), "38;5;253", "41")) == "\x1b[41m"
    assert transition(bold_on_blue, Style(frozenset(), "38;5;253", "44")) == "\x1b[22m"
    # dim survives the code that ends bold (22 ends both): it is set again
    grey = "38;5;253"
    assert transition(Style(frozenset({"bold", "dim"}), grey), Style(frozenset({"dim"}), grey)) == "\x1b[22;2m"
    # where the whole style is shorter, the whole style
    assert transition(Style(frozenset({"bold", "dim"})), Style(frozenset({"dim"}))) == "\x1b[0;2m"
    # from a state not known, the whole style
    assert transition(None, Style(background="44")) == "\x1b[0;44m"
    assert transition(bold_on_blue, PLAIN) == "\x1b[m"


def test_the_style_model_reads_the_codes_rich_writes() -> None:
    style = apply_sgr(PLAIN, "1;3;38;2;10;20;30;48;5;17")
    assert style == Style(frozenset({"bold", "italic"}), "38;2;10;20;30", "48;5;17")
    assert apply_sgr(style, "22;39;49") == Style(frozenset({"italic"}))  # type: ignore[arg-type]
    assert apply_sgr(PLAIN, "") == PLAIN
    assert apply_sgr(PLAIN, "4:3") is None  # sub-parameters: not modelled
    assert apply_sgr(PLAIN, "38;5") is None  # a colour cut short


def test_codes_not_modelled_go_out_as_they_came() -> None:
    # A curly underline (sub-parameters): a style, but not one modelled here.
    out = compact("\x1b[4:3mwavy\x1b[0m\x1b[31mred\x1b[0m")
    assert out == "\x1b[4:3mwavy\x1b[0m\x1b[31mred\x1b[m"
    # after a code not modelled, nothing is taken for known until a reset
    assert compact("\x1b[4:3mwavy\x1b[31mred") == "\x1b[4:3mwavy\x1b[31mred"


def test_an_escape_cut_by_the_end_of_a_write_is_finished_by_the_next() -> None:
    whole = "\x1b[1;1H\x1b[38;5;1mab\x1b[0m\x1b]0;title\x07\x1b[2;1Hcd"
    for cut in range(1, len(whole)):
        assert compact(whole[:cut], whole[cut:]) == compact(whole), cut


def test_blanks_are_erased_only_where_erased_cells_take_the_background() -> None:
    # Asked of terminfo in a process of its own for each terminal type (curses reads one
    # terminal description per process).
    def erases(term: str) -> bool:
        program = "import sys; from workbench.terminal.output import erases_in_colour as e; print(e(sys.argv[1]))"
        return (
            subprocess.run(
                [sys.executable, "-c", program, term], capture_output=True, text=True, check=True
            ).stdout.strip()
            == "True"
        )

    assert erases("xterm-256color")  # bce and ech
    assert not erases("screen")  # no bce: erased cells would lose the background
    assert not erases("")
    assert not erases("no-such-terminal")
    blanks = "\x1b[5;1H\x1b[48;5;234m" + " " * 40 + "\x1b[0m|"
    assert "\x1b[40X\x1b[40C" in compact(blanks, erase_blanks=True, size=(COLUMNS, ROWS))
    assert " " * 40 in compact(blanks, erase_blanks=False, size=(COLUMNS, ROWS))
    # underlined blanks show their underline: written, never erased
    assert " " * 40 in compact(blanks.replace("234m", "234;4m"), erase_blanks=True, size=(COLUMNS, ROWS))


def test_a_line_feed_that_a_position_follows_goes_unless_it_could_scroll() -> None:
    lines = "\x1b[{row};1Hline\n\x1b[{next};1Hnext"
    assert "\n" not in compact(lines.format(row=3, next=4), size=(COLUMNS, ROWS))
    assert "\n" in compact(lines.format(row=23, next=24), size=(COLUMNS, ROWS))  # a wrap could scroll
    assert "\n" in compact(lines.format(row=3, next=4))  # the height not known


def test_after_a_resize_the_cursor_is_placed_again() -> None:
    # Some terminals move the cursor as they reflow on a resize: a position is not taken
    # for where the cursor already is once the size has changed.
    compactor = SgrCompactor(size=(COLUMNS, ROWS))
    assert compactor.feed("\x1b[3;1Hab\x1b[3;3Hc") == "\x1b[3;1H\x1b[mabc"
    compactor.size = (100, 30)
    assert compactor.feed("\x1b[3;4Hd") == "\x1b[3;4Hd"


# Frames as Textual writes them: for each region, a cursor position and a line of styled
# segments no wider than the screen, a line feed between lines; sometimes a mode change
# (a write of its own).
ATTRIBUTES = ["1", "2", "3", "4", "7", "9", "22", "23", "24", "27"]
COLOURS = ["31", "39", "44", "49", "97", "38;5;253", "48;5;234", "48;5;233", "38;2;10;20;30", "48;2;1;2;3"]
WORDS = ["Li Wei", " ", "   ", " " * 14, " " * 30, "NV7000", "▐", "▂▂", "中文", "é", "x"]


@st.composite
def frames(draw: st.DrawFn) -> list[str]:
    out: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        x = draw(st.integers(0, COLUMNS - 1))
        top = draw(st.integers(0, ROWS - 1))
        rows = draw(st.integers(1, ROWS - top))
        parts: list[str] = []
        for y in range(top, top + rows):
            parts.append(f"\x1b[{y + 1};{x + 1}H")
            room = COLUMNS - x
            for _ in range(draw(st.integers(0, 8))):
                codes = draw(st.lists(st.sampled_from(ATTRIBUTES + COLOURS), max_size=3))
                word = draw(st.sampled_from(WORDS))
                width = sum(2 if ch == "中" or ch == "文" else 1 for ch in word)
                if width > room:
                    break
                room -= width
                parts.append(f"\x1b[{';'.join(codes)}m{word}\x1b[0m" if codes else word)
            if draw(st.booleans()) and room:  # a line filled to the last column, as Textual does
                parts.append("\x1b[48;5;233m" + " " * room + "\x1b[0m")
            if y < top + rows - 1:
                parts.append("\n")
        if draw(st.booleans()):
            parts.append("\r")
        text = "".join(parts)
        cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=3)))
        out += [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        if draw(st.booleans()):  # a mode changed, as Textual does it: a write of its own
            out.append(draw(st.sampled_from(["\x1b[?25l", "\x1b[?2026h", "\x1b[?2026l"])))
        if draw(st.booleans()) and room:  # back to where the last line ended: is it still known?
            out.append(f"\x1b[{y + 1};{COLUMNS - room + 1}Hx")
    return out


def looks(screen: pyte.Screen) -> list[list[tuple[object, ...]]]:
    """Each cell as it shows: a blank by its background, unless an attribute shows on it."""

    def look(cell: pyte.screens.Char) -> tuple[object, ...]:
        if cell.data == " " and not (cell.underscore or cell.strikethrough or cell.reverse):
            return (" ", cell.bg)
        return tuple(cell)

    return [[look(screen.buffer[y][x]) for x in range(screen.columns)] for y in range(screen.lines)]


class SideBySide:
    """Two emulated terminals: one fed what Textual wrote, one what the compactor sent."""

    def __init__(self) -> None:
        self.raw, self.sent = pyte.Screen(COLUMNS, ROWS), pyte.Screen(COLUMNS, ROWS)
        self._raw, self._sent = pyte.Stream(self.raw), pyte.Stream(self.sent)

    def feed(self, raw: str, sent: str) -> None:
        self._raw.feed(raw)
        self._sent.feed(sent)
        assert looks(self.sent) == looks(self.raw), (raw, sent)
        assert (self.sent.cursor.x, self.sent.cursor.y) == (self.raw.cursor.x, self.raw.cursor.y), (raw, sent)


@settings(max_examples=300, deadline=None)
@given(frames(), st.booleans())
def test_generated_frames_show_the_same_screen(writes: list[str], erase_blanks: bool) -> None:
    compactor = SgrCompactor(erase_blanks=erase_blanks, size=(COLUMNS, ROWS))
    both = SideBySide()
    for write in writes:
        both.feed(write, compactor.feed(write))


def test_a_session_of_the_workbench_shows_the_same_screen_in_fewer_bytes(tmp_path: Path) -> None:
    """The workbench in a real 80x24 pty, its driver recording each write as Textual made it
    and as it went to the terminal (tests/terminal_recorder.py): the intake typed into,
    fields moved through, the next step opened. Nothing Textual wrote was stopped by the
    wall: were a Textual upgrade to write something new, this fails (the wall's vocabulary,
    workbench/terminal/output.py, would then be measured again)."""
    writes = record_session(tmp_path)
    assert len(writes) > 10
    wall = ContentWall()
    stopped = [raw for raw, _ in writes if wall.feed(raw) != raw]
    assert stopped == []
    # the session has the driver's own writes, not frames only: its modes, queries and keyboard
    own = {raw for raw, _ in writes if raw.startswith(("\x1b[?", "\x1b[>", "\x1b[<", "\x1b]"))}
    assert {"\x1b[?1049h", "\x1b[?2026$p", "\x1b[?2004h", "\x1b[<u", "\x1b[?1049l"} <= own, own
    both = SideBySide()
    for raw, sent in writes:
        both.feed(raw, sent)
    raw_bytes = sum(len(raw.encode()) for raw, _ in writes)
    sent_bytes = sum(len(sent.encode()) for _, sent in writes)
    assert sent_bytes < 0.6 * raw_bytes, (sent_bytes, raw_bytes)


def test_the_apps_own_strings_and_bell_pass_whole() -> None:
    """What Textual's App writes by itself, outside frames, made by its own code: the pointer
    shape (OSC 22), a copy to the clipboard (OSC 52, base64) and the bell, each a write of
    its own, reach the terminal as they are."""
    from textual.app import App

    class Driver:
        is_headless = False

        def __init__(self) -> None:
            self.writes: list[str] = []

        def write(self, data: str) -> None:
            self.writes.append(data)

    app: App[None] = App()
    driver = app._driver = Driver()  # type: ignore[assignment]
    app._set_pointer_shape("pointer")
    app.copy_to_clipboard("Li Wei \x1b]0;x\x07 中文")  # the text travels as base64
    app.bell()
    assert [w[:5] for w in driver.writes] == ["\x1b]22;", "\x1b]52;", "\x07"]
    wall = ContentWall()
    assert [wall.feed(w) for w in driver.writes] == driver.writes
    compactor = SgrCompactor()
    for write in driver.writes:
        assert write in compactor.feed(write)


# Sequences a widget's text might carry (a customer's name, a drive's model, a forged
# ticket), none of them Textual's: strings (OSC ended by ST or BEL, or never, DCS, APC, PM,
# SOS), CSIs (erase the screen or scrollback, ask the cursor's position or the device's
# attributes, erase a line, move, modes, modifyOtherKeys), other escapes (reset, save and
# restore the cursor, a character set, fill the screen with E), C0 and C1 controls.
CONTENT_SEQUENCES = [
    "\x1b]0;PWNED\x1b\\",
    "\x1b]2;PWNED\x07",
    "\x1b]52;c;cHduZWQ=\x07",
    "\x1b]8;;https://evil.example/x\x1b\\",
    "\x1b]0;PWNED",
    "\x1bP$qm\x1b\\",
    "\x1b_apc\x1b\\",
    "\x1b^pm\x1b\\",
    "\x1bXsos\x1b\\",
    "\x1bP",
    "\x1b[2J",
    "\x1b[3J",
    "\x1b[6n",
    "\x1b[c",
    "\x1b[K",
    "\x1b[5A",
    "\x1b[2;5f",
    "\x1b[?1049l",
    "\x1b[?2004l",
    "\x1b[?25h",
    "\x1b[>4;1m",
    "\x1bc",
    "\x1b7",
    "\x1b8",
    "\x1b(0",
    "\x1b#8",
    "\x1b",
    "\x07",
    "\x08",
    "\t",
    "\x0b",
    "\x0c",
    "\x0e",
    "\x00",
    "\x7f",
    "\x9b2J",
    "\x9d0;PWNED\x9c",
    "\x90q\x9c",
    "\x85",
    "\x8d",
]
WORDS_BETWEEN = st.text(alphabet="Li Wei NV7000 ]0;", max_size=6)


@st.composite
def frames_with_content(draw: st.DrawFn) -> tuple[list[str], str]:
    """A frame whose lines' text holds content sequences, cut into writes at random points,
    and the frame as it should show: each sequence's printable rest as text."""
    writes: list[str] = []
    shown: list[str] = []
    for row in range(1, draw(st.integers(1, 4)) + 1):
        content = draw(st.lists(st.sampled_from(CONTENT_SEQUENCES) | WORDS_BETWEEN, min_size=1, max_size=6))
        line = f"\x1b[{row};3H\x1b[1;38;5;253m" + "".join(content) + "\x1b[0m"
        writes.append(line)
        shown.append(f"\x1b[{row};3H\x1b[1;38;5;253m" + "".join(c for c in "".join(content) if c.isprintable()))
        shown.append("\x1b[0m")
    frame = "".join(writes)
    cuts = sorted(draw(st.lists(st.integers(0, len(frame)), max_size=4)))
    return [frame[a:b] for a, b in zip([0, *cuts], [*cuts, len(frame)], strict=True)], "".join(shown)


@settings(max_examples=300, deadline=None)
@given(frames_with_content(), st.booleans())
def test_content_sequences_never_reach_the_terminal(frame: tuple[list[str], str], erase_blanks: bool) -> None:
    """Whatever a frame's text holds, only styles, cursor positions and text go out, and the
    terminal shows each sequence's printable rest where Textual laid it out: no title, no
    answer asked for, no screen erased or moved over, nothing held to the next frame."""
    writes, shown = frame
    compactor = SgrCompactor(erase_blanks=erase_blanks, size=(COLUMNS, ROWS))
    sent = "".join(compactor.feed(write) for write in writes)
    assert re.sub(r"\x1b\[[0-9;]*[mHXC]|[\r\n]", "", sent).isprintable(), sent
    terminal, expected = Terminal(), pyte.Screen(COLUMNS, ROWS)
    pyte.Stream(terminal).feed(sent)
    pyte.Stream(expected).feed(shown)
    assert looks(terminal) == looks(expected), (writes, sent)
    assert (terminal.titles, terminal.answers) == ([], [])


def test_a_string_left_open_is_not_held_back() -> None:
    """A content OSC whose BEL Rich took out (probe F1): its text shows at once, and the next
    frame is painted, not held as the rest of a title."""
    compactor = SgrCompactor(size=(COLUMNS, ROWS))
    first = compactor.feed("\x1b[7;1HTicket NOT GENUINE: station SZ01\x1b]0;PWNED")
    assert first.endswith("SZ01]0;PWNED")
    assert compactor.feed("\x1b[18;40H\x1b[1mNothing opened.\x1b[0m") == "\x1b[18;40H\x1b[1mNothing opened.\x1b[m"


def test_only_a_cut_style_or_position_is_held_and_not_for_long() -> None:
    compactor = SgrCompactor()
    compactor.feed("")
    assert compactor.feed("ab\x1b[3") == "ab"  # a style cut by the end of the write: held
    assert compactor.feed("1mred") == "\x1b[31mred"
    long = "\x1b[" + "1;" * 40  # no style or position is this long: dropped, its rest is text
    assert compactor.feed("x" + long) == "x[" + "1;" * 40


def test_a_textual_mode_inside_a_frame_is_content() -> None:
    # Textual writes each mode alone; one inside a frame's text came from the text.
    assert "\x1b[?2004l" not in compact("\x1b[1;1HLi\x1b[?2004lWei")
    assert compact("\x1b[?2004l") == "\x1b[?2004l"
