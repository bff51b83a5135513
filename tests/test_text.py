import pytest
from rich.text import Text

from workbench.words.text import safe_markup, strip_control


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("SN123\x1b[2J\x1b[H", "SN123"),  # clear screen + cursor home
        ("\x1b]0;owned\x07NV7000", "NV7000"),  # OSC window title
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink
        ("A\x00B\x7fC\x9bD", "ABC"),  # NUL, DEL, C1 CSI with its final byte eaten
        ("line\nnext\tcol", "line next col"),
    ],
)
def test_strip_control_removes_sequences(raw, shown):
    assert strip_control(raw) == shown


def test_strip_control_can_keep_newlines_for_notes():
    assert strip_control("a\nb\x1b[31m", keep_newlines=True) == "a\nb"


@pytest.mark.parametrize(
    "raw", ["[bold]x[/bold]", "[/]", "[link=http://evil]click[/link]", "\\[x]", "[@click=quit]q[/]"]
)
def test_safe_markup_renders_literally(raw):
    assert Text.from_markup(safe_markup(raw)).plain == raw


def test_text_that_is_all_printable_has_nothing_to_strip():
    """strip_control returns printable text as it is: every character that begins something it
    removes (ESC, C1 CSI, a control or bidi character) is itself removed, and none is printable."""
    # after a NUL, so that the text is not all printable and is searched
    removed = [c for c in map(chr, range(0x110000)) if strip_control("\0" + c, keep_newlines=True) != c]
    assert removed and [c for c in removed if c.isprintable()] == []
    assert not any(c.isprintable() for c in "\n\t")
