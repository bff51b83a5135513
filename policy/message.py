"""Words for a person from below the counter: English, with the template and values they came from.

The policy and the records stand below the application and know nothing of its languages; what
they say to a person (a reason, a refusal) is a `Message`: as a string, the English text (what
the claim contract, stored decisions and logs carry), and with `template` and `values`, what the
counter needs to say it in the technician's language (workbench.words.language.say).
Extraction (workbench/locale/update.py) finds each `Message("...")` template for the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Message(str):
    """English text built from `template` (str.format fields) and `values`."""

    template: str
    values: Mapping[str, Any]

    def __new__(cls, template: str, **values: Any) -> Message:
        text = super().__new__(cls, template.format(**values) if values else template)
        text.template = template
        text.values = values
        return text

    def __reduce__(self) -> tuple[Any, ...]:  # pickles (pytest-xdist, multiprocessing) keep the template
        return (_rebuild, (self.template, dict(self.values)))

    def to_dict(self) -> dict[str, Any]:
        """The template and its values, for a record that will be shown again later in any language."""
        return {"template": self.template, "values": {k: _plain(v) for k, v in self.values.items()}}

    @classmethod
    def from_dict(cls, entry: object) -> Message | None:
        """The Message a record kept with `to_dict()`, nested ones too; None for anything else (or
        a template its values no longer fill)."""
        if not isinstance(entry, Mapping) or not isinstance(entry.get("template"), str):
            return None
        values = entry.get("values")
        values = values if isinstance(values, Mapping) else {}
        inner = {k: (cls.from_dict(v) or v) if isinstance(v, Mapping) else v for k, v in values.items()}
        try:
            return cls(entry["template"], **inner)
        except (KeyError, IndexError, ValueError):
            return None


def _rebuild(template: str, values: dict[str, Any]) -> Message:
    return Message(template, **values)


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return value.to_dict()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
