"""What reaches the technician's terminal: the same screen in fewer bytes.

The compactor's output is checked where it matters, on a terminal emulator (pyte): the
screen drawn from what Textual wrote and the screen drawn from what the workbench sent are
the same, cell for cell (a blank compared by what it shows), with the cursor in the same
place, after every write. Generated frames shaped as Textual writes them, and a real
session of the workbench in a pty.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.terminal_recorder import record_session
from workbench.terminal_output import PLAIN, SgrCompactor, Style, apply_sgr, transition

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
    # A curly underline (sub-parameters) and xterm's modifyOtherKeys (CSI > 4;1 m, no style).
    out = compact("\x1b[4:3mwavy\x1b[0m\x1b[>4;1m\x1b[31mred\x1b[0m")
    assert out == "\x1b[4:3mwavy\x1b[0m\x1b[>4;1m\x1b[31mred\x1b[m"
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
        program = "import sys; from workbench.terminal_output import erases_in_colour as e; print(e(sys.argv[1]))"
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
# segments no wider than the screen, a line feed between lines; sometimes a mode change.
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
            parts.append(draw(st.sampled_from(["\x1b[?25l", "\x1b[?2026h", "\x1b[?2026l", "\x1b[K", "\r"])))
        if draw(st.booleans()) and room:  # back to where the last line ended: is it still known?
            parts.append(f"\x1b[{y + 1};{COLUMNS - room + 1}Hx")
        text = "".join(parts)
        cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=3)))
        out += [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
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
    fields moved through, the next step opened."""
    writes = record_session(tmp_path)
    assert len(writes) > 10
    both = SideBySide()
    for raw, sent in writes:
        both.feed(raw, sent)
    raw_bytes = sum(len(raw.encode()) for raw, _ in writes)
    sent_bytes = sum(len(sent.encode()) for _, sent in writes)
    assert sent_bytes < 0.6 * raw_bytes, (sent_bytes, raw_bytes)
