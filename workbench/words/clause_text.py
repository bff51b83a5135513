"""Netac's clauses as the counter shows them: quoted as Netac wrote them, never translated by us.

A policy file may carry the head office's own translation of a clause (`text_zh_CN`, signed with
the rest of a chain's policy); a counter speaking that language shows it. Without one, the
counter shows Netac's English text and says that it is Netac's English: the technician knows
the words are Netac's, not a translation of ours.
"""

from __future__ import annotations

from typing import Protocol

from workbench.words.language import ENGLISH, _, language


class Clause(Protocol):
    """A clause of Netac's policy (policy.document.Clause), as far as the counter reads it."""

    def text_in(self, code: str) -> tuple[str, bool]: ...


def clause_text(clause: Clause) -> str:
    """The clause's text for this session: Netac's translation, else its English text, marked so
    in a language other than English."""
    text, translated = clause.text_in(language())
    if translated or language() == ENGLISH:
        return text
    return _("{clause} (Netac's English text)").format(clause=text)


def english_mark() -> str:
    """The words that mark a clause shown in Netac's English, for a heading over several."""
    return "" if language() == ENGLISH else _("Netac's English text")
