"""argparse in the counter's language: its own words through our catalog, its help wrapped by cells.

argparse says "usage: ", "options", "the following arguments are required: %s" ... through the
module-level names `_` and `ngettext` it took from the standard library's gettext, whose domain
is not ours. `speak()` points those names at workbench.words.language, so the words below come
from the workbench's catalog (in English they are argparse's own, unchanged). argparse looks the
names up each time it speaks: tests/test_cli_language.py checks that it still does, and that
each text below is still argparse's, so that a Python upgrade that changes them is noticed.

The texts are argparse's in Python 3.11, 3.12 and 3.13 (only those all three say).

`HelpFormatter` and `RawDescriptionHelpFormatter` wrap help by terminal cells (a Han character
takes two) where argparse counts characters; text of ASCII width is argparse's exactly.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from workbench.words import language
from workbench.words.language import N_

WORDS = (
    N_("%(prog)s: error: %(message)s\n"),
    N_("%r is not callable"),
    N_("'required' is an invalid argument for positionals"),
    N_(".__call__() not defined"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_('argument "-" with mode %r'),
    N_("can't open '%(filename)s': %(error)s"),
    N_("cannot have multiple subparser arguments"),
    N_("cannot merge actions - two groups are named %r"),
    N_("conflicting subparser alias: %s"),
    N_("conflicting subparser: %s"),
    N_("dest= is required for options like %r"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("expected one argument"),
    N_("ignored explicit argument %r"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid conflict_resolution value: %r"),
    N_("invalid option string %(option)r: must start with a character %(prefix_chars)r"),
    N_("mutually exclusive arguments must be optional"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("unexpected option string: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("unrecognized arguments: %s"),
    N_("usage: "),
)
COUNTED = (
    ("conflicting option string: %s", "conflicting option strings: %s"),
    ("expected %s argument", "expected %s arguments"),
)


def _counted_for_the_catalog() -> None:  # pragma: no cover - never called: marks COUNTED for extraction
    language.ngettext("conflicting option string: %s", "conflicting option strings: %s", 1)
    language.ngettext("expected %s argument", "expected %s arguments", 1)


def speak() -> None:
    """argparse's words from now on through the workbench's catalog, in the session's language."""
    argparse._ = language._  # type: ignore[attr-defined]
    argparse.ngettext = language.ngettext  # type: ignore[attr-defined]


# --- Help wrapped by terminal cells -------------------------------------------------------------------

# A line may not start with closing punctuation, nor end with opening punctuation.
_NO_LINE_START = frozenset("，。、：；？！）》」』”’…")
_NO_LINE_END = frozenset("（《「『“‘")
_WHITESPACE = re.compile(r"\s+", re.ASCII)  # argparse's
_WORD = re.compile(r"( ?)([^ ]+)")


def wrap_cells(text: str, width: int) -> list[str]:
    """`text` (its whitespace runs as single spaces) in lines of at most `width` terminal cells:
    broken at spaces, and between Han characters (never before closing punctuation)."""
    from rich.cells import cell_len

    text = _WHITESPACE.sub(" ", text).strip()
    pieces: list[tuple[str, str]] = []  # (the space before, a piece that is not broken)
    for space, word in _WORD.findall(text):
        chunk, before = "", space
        for ch in word:
            wide = cell_len(ch) > 1 or (chunk != "" and cell_len(chunk[-1]) > 1)
            if chunk and wide and ch not in _NO_LINE_START and chunk[-1] not in _NO_LINE_END:
                pieces.append((before, chunk))
                chunk, before = "", ""
            chunk += ch
        pieces.append((before, chunk))
    lines: list[str] = []
    line = ""
    for space, chunk in pieces:
        if line and cell_len(line) + cell_len(space) + cell_len(chunk) > width:
            lines.append(line)
            line = chunk
        else:
            line = f"{line}{space}{chunk}" if line else chunk
    if line:
        lines.append(line)
    return lines


def _narrow(text: str) -> bool:
    """Whether every character of `text` takes one cell: argparse's own wrapping is right then."""
    from rich.cells import cell_len

    text = _WHITESPACE.sub(" ", text)
    return cell_len(text) == len(text)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, wrapped by terminal cells."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        if _narrow(text):
            return super()._split_lines(text, width)
        return wrap_cells(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if _narrow(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap_cells(text, max(1, width - len(indent))))

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None) -> str:
        # argparse indents a wrapped usage by len(prefix): give it a stand-in as wide as the words.
        from rich.cells import cell_len

        said = argparse._("usage: ") if prefix is None else prefix  # type: ignore[attr-defined]  # argparse's, as it would
        if cell_len(said) == len(said):
            return super()._format_usage(usage, actions, groups, said)
        stand_in = " " * cell_len(said)
        return said + super()._format_usage(usage, actions, groups, stand_in)[len(stand_in) :]


class RawDescriptionHelpFormatter(HelpFormatter):
    """A description as it is written (a command's, laid out by hand); the rest wrapped by cells."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "".join(indent + line for line in text.splitlines(keepends=True))


class ArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help is wrapped by cells; its subcommands' parsers are of its kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
