"""The one translation layer: every word a person reads or a printer prints goes through here.

English is the source language (the catalog's message ids); Simplified Chinese (zh_CN) is a
gettext catalog in workbench/locale, extracted and compiled by workbench/locale/update.py with
Babel. The language is the process's: a TUI session or a command is one person at one counter.

    _("Serial")                          a word, in the session's language
    ngettext("{n} case", "{n} cases", n)  a count
    N_("Serial")                         marked for the catalog where it is defined (a module
                                         constant), translated with _() where it is shown
    say(message)                         a policy.message.Message (or its stored dict) from below
                                         the counter, in the session's language

Stored values, the claim JSON and the QR payload never go through here: they stay
language-free (ISO dates, plain numbers, English codes).
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from policy.message import Message

DOMAIN = "workbench"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
ENGLISH = "en"
CHINESE = "zh_CN"
# The languages the counter speaks, each named in its own words (what a palette or a setting shows).
LANGUAGES = {ENGLISH: "English", CHINESE: "简体中文"}
# The locale variables a login sets, in gettext's order: the first that names a language we speak wins.
LOGIN_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_language = ENGLISH
_catalog: _gettext.NullTranslations = _gettext.NullTranslations()


@cache
def _translations(code: str) -> _gettext.NullTranslations:
    if code == ENGLISH:
        return _gettext.NullTranslations()
    with (LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as mo:
        return _gettext.GNUTranslations(mo)


def set_language(code: str) -> None:
    """Speak `code` (a key of LANGUAGES) from now on, in this process."""
    global _language, _catalog
    if code not in LANGUAGES:
        raise ValueError(f"no such language: {code}")
    _catalog = _translations(code)
    _language = code


def language() -> str:
    return _language


def _(message: str) -> str:
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog.ngettext(singular, plural, n)


def N_(message: str) -> str:
    return message


def say(message: object) -> str:
    """A message from below the counter in the session's language: a `Message`, or the dict a
    record keeps of one ({"template", "values"}, beside its English "text" in a stored reason);
    a record kept before it had a template says its English "text"; anything else is shown as it is."""
    if isinstance(message, Message):
        return _said(message.template, message.values)
    if isinstance(message, Mapping):
        if isinstance(message.get("template"), str):
            values = message.get("values")
            return _said(message["template"], values if isinstance(values, Mapping) else {})
        return str(message.get("text", ""))
    return "" if message is None else str(message)


def spoken(error: BaseException) -> str:
    """An exception's message in the session's language: its first argument said when it is a
    Message (from below the counter, or the evidence layer), else the exception as it reads."""
    return say(error.args[0]) if error.args and isinstance(error.args[0], Message) else str(error)


def _said(template: str, values: Mapping[str, Any]) -> str:
    spoken = {k: say(v) if isinstance(v, (Message, Mapping)) else v for k, v in values.items()}
    try:
        return _(template).format(**spoken) if spoken else _(template)
    except (KeyError, IndexError, ValueError):  # a translation whose fields drifted: the English stands
        return template.format(**spoken) if spoken else template


# --- Which language: the login's own, else the station's --------------------------------------------


@dataclass(frozen=True)
class Choice:
    code: str
    source: str  # where the choice came from, for `config check` (a Message: said in its language)


def from_locale(value: str) -> str | None:
    """The language a locale name means, if we speak it: zh_CN.UTF-8, zh_CN, zh-Hans, zh -> zh_CN;
    en_US.UTF-8, en -> en; C, POSIX and others -> None."""
    name = value.split(".", 1)[0].split("@", 1)[0].replace("-", "_").strip()
    lang, _sep, region = name.partition("_")
    if lang.lower() == "zh" and region.upper() in ("", "CN", "SG", "HANS"):
        return CHINESE
    if lang.lower() == "en":
        return ENGLISH
    return None


def choose(station_setting: str, station_source: str, environ: Mapping[str, str]) -> Choice:
    """The login's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) when it names one we speak; else
    the station's ([station] language); else English."""
    for variable in LOGIN_VARIABLES:
        value = environ.get(variable, "")
        for part in value.split(":") if variable == "LANGUAGE" else (value,):
            code = from_locale(part) if part else None
            if code is not None:
                return Choice(code, Message("{variable}={value} (this login)", variable=variable, value=value))
    if station_setting:
        return Choice(station_setting, station_source)
    return Choice(ENGLISH, Message("the default (no [station] language, no language in the login's locale)"))


# --- Dates, numbers and sizes in the language's own form (Babel) -------------------------------------
# English keeps the forms the counter has always shown (ISO dates): tests and habits rely on them.


def shown_date(day: date | None) -> str:
    if day is None:
        return ""
    if _language == ENGLISH:
        return day.isoformat()
    from babel.dates import format_date

    return format_date(day, format="long", locale=_language)


def shown_time(moment: datetime) -> str:
    """A local date and time to the minute."""
    if _language == ENGLISH:
        return moment.strftime("%Y-%m-%d %H:%M")
    from babel.dates import format_datetime

    return format_datetime(moment, "yyyy年M月d日 HH:mm", locale=_language)


def shown_number(value: int | float, decimals: int | None = None) -> str:
    if _language == ENGLISH:
        return f"{value:,.{decimals}f}" if decimals is not None else f"{value:,}"
    from babel.numbers import format_decimal

    pattern = None if decimals is None else "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=_language)
