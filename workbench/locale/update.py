"""The catalog, kept with the code: extract every marked string, merge it into each language's
catalog, compile it.

    .venv/bin/python workbench/locale/update.py          after adding or changing words
    .venv/bin/python workbench/locale/update.py --take zh_CN FILE.po ...
                                                         a translator's catalog back: its translations
                                                         of entries we have are taken (fuzzy ones not)

Marked strings (Babel's Python extractor): _("..."), N_("..."), ngettext("...", "...", n),
policy.message.Message("...") from below the counter, and Binding(key, action, "...") for the
keys the footer shows. A new entry comes in untranslated; a changed one comes in fuzzy with the
old translation as a starting point: both fail the check until a person translates them.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DOMAIN = "workbench"
SOURCES = ("workbench", "policy", "db")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "Message": None, "Binding": (3,)}
LANGUAGES = ("zh_CN",)
FIXED = datetime(2026, 12, 1, tzinfo=UTC)  # headers stay still: the files change only when the words do


def extract() -> Catalog:
    template = Catalog(
        project="netac-workbench",
        version="0.1",
        copyright_holder="Netac service stations",
        domain=DOMAIN,
        charset="utf-8",
        fuzzy=False,
        creation_date=FIXED,
        revision_date=FIXED,
    )
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / source,
            method_map=[("**/migrations/**.py", "ignore"), ("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            if message in ("", ("", "")):
                continue
            template.add(message, None, [(f"{source}/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def po_path(code: str) -> Path:
    return HERE / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(code: str) -> Catalog:
    path = po_path(code)
    if not path.exists():
        return Catalog(locale=code, domain=DOMAIN, fuzzy=False)
    with path.open("rb") as f:
        return read_po(f, locale=code, domain=DOMAIN)


def merged(code: str, template: Catalog) -> Catalog:
    catalog = read(code)
    catalog.update(template, no_fuzzy_matching=False)
    catalog.revision_date = FIXED
    catalog.project, catalog.version, catalog.copyright_holder = (
        template.project,
        template.version,
        "Netac service stations",
    )
    catalog.obsolete.clear()
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, omit_header=False, include_previous=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def take(catalog: Catalog, path: Path) -> int:
    """Translations from another catalog of the same language (a translator's, a branch's); only
    finished ones (not fuzzy, not empty) of entries this catalog has. Returns how many changed."""
    with path.open("rb") as f:
        theirs = read_po(f)
    taken = 0
    for message in theirs:
        ours = catalog.get(message.id) if message.id else None
        if ours is None or not message.string or message.fuzzy:
            continue
        if ours.string != message.string or ours.fuzzy:
            ours.string, ours.flags = message.string, set(ours.flags) - {"fuzzy"}
            taken += 1
    return taken


def main(argv: list[str]) -> int:
    taking = (argv[1], [Path(a) for a in argv[2:]]) if argv[:1] == ["--take"] and len(argv) > 2 else None
    if argv and (taking is None or taking[0] not in LANGUAGES):
        print("usage: update.py [--take LANGUAGE FILE.po ...]", file=sys.stderr)
        return 2
    template = extract()
    (HERE / f"{DOMAIN}.pot").write_bytes(po_bytes(template))
    for code in LANGUAGES:
        catalog = merged(code, template)
        if taking is not None and taking[0] == code:
            for path in taking[1]:
                print(f"{path}: {take(catalog, path)} translations taken")
        po_path(code).parent.mkdir(parents=True, exist_ok=True)
        po_path(code).write_bytes(po_bytes(catalog))
        # Compiled from the file as written, as the test compiles it: the two are the same bytes.
        po_path(code).with_suffix(".mo").write_bytes(mo_bytes(read(code)))
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        print(f"{code}: {len(template)} strings, {len(missing)} not yet translated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
