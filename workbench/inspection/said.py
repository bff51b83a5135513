"""The evidence's words for a person: English `Message`s, with their templates kept beside them.

Every text workbench.inspection writes for a person (an error, a finding, a test's outcome, how
the bytes written were counted) is a policy.message.Message: its value is the English text (what
the case records, the JSON and the logs keep) and `workbench.words.language.say(text)` says it in
the session's language. Whatever the drive or smartctl said stays as it was, a value in a template.

A result that goes to the case records as JSON (`to_dict()`) keeps the template of each of its
texts under the key "said" (`said(...)`): `say(record["said"][name])` says a stored text again in
any language, and a record kept before it had them says its English (`say(record[name])`).
`as_message` turns a stored English text and its "said" entry back into the Message.
"""

from __future__ import annotations

from typing import Any

from policy.message import Message


def said(**texts: object) -> dict[str, Any]:
    """{name: {"template", "values"}} of each text that is a Message; for a list or tuple of
    texts, a list with one entry per text (None where a text is not ours, e.g. pySMART's)."""
    kept: dict[str, Any] = {}
    for name, text in texts.items():
        if isinstance(text, Message):
            kept[name] = text.to_dict()
        elif isinstance(text, (list, tuple)) and any(isinstance(t, Message) for t in text):
            kept[name] = [t.to_dict() if isinstance(t, Message) else None for t in text]
    return kept


def as_message(text: Any, entry: object) -> Any:
    """`text` as its Message again when `entry` (its "said" entry) rebuilds exactly that English
    text; otherwise `text` as it is (a record kept before it had templates, a drive's own words)."""
    if not isinstance(text, str) or isinstance(text, Message):
        return text
    message = Message.from_dict(entry)
    return message if message is not None and message == text else text
