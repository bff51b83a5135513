"""The catalog is whole: every marked string is in it, every entry is translated with the same
fields, and the compiled file is the one the catalog makes (workbench/locale/update.py)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from workbench.locale import update

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def extracted():
    return update.extract()


@pytest.fixture(scope="module", params=update.LANGUAGES)
def catalog(request):
    with update.po_path(request.param).open("rb") as f:
        catalog = read_po(f, locale=request.param)
    catalog.code = request.param  # Babel names zh_CN zh_Hans_CN
    return catalog


def test_every_marked_string_is_in_the_catalog(extracted, catalog):
    missing = sorted(str(m.id) for m in extracted if m.id and m.id not in catalog)
    assert not missing, f"not in the {catalog.code} catalog (run workbench/locale/update.py): {missing[:20]}"


def test_the_catalog_holds_no_string_the_code_no_longer_says(extracted, catalog):
    gone = sorted(str(m.id) for m in catalog if m.id and m.id not in extracted)
    assert not gone, f"in the {catalog.code} catalog but not in the code: {gone[:20]}"


def test_every_entry_is_translated(catalog):
    untranslated = [
        str(m.id)
        for m in catalog
        if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]
    assert not untranslated, f"{len(untranslated)} untranslated in {catalog.code}: {untranslated[:20]}"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_a_translation_has_the_same_fields_as_its_english(catalog):
    """A field the translation lacks or adds would fail when the text is formatted."""
    wrong = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        try:
            wanted = set().union(*(_fields(i) for i in ids))
            if any(_fields(s) != wanted for s in strings if s):
                wrong.append(str(m.id))
        except ValueError:  # not a format string: its braces are literal in both
            continue
    assert not wrong, f"fields differ in {catalog.code}: {wrong[:20]}"


def test_the_compiled_catalog_is_the_one_the_catalog_makes(catalog):
    compiled = update.po_path(catalog.code).with_suffix(".mo").read_bytes()
    assert compiled == update.mo_bytes(catalog), "run workbench/locale/update.py"


# --- No word for a person outside the catalog ----------------------------------------------------------

# Where the workbench hands text to a person: widgets, toasts, dialogs, the command line's output.
SHOWN_BY = {"Static", "Label", "Button", "notify", "print", "Checkbox", "RadioButton", "Option", "Rule"}
SHOWN_AS = {"placeholder", "title", "tooltip", "help", "description", "border_title", "border_subtitle", "prompt"}
PROGRAM = re.compile(r"workbench( [a-z]+)?: ")
PERSON_FACING = ("workbench/screens", "workbench/words", "workbench/commands", "workbench/app.py", "workbench/cli.py")


def _names_a_word(node: ast.expr) -> bool:
    """A literal with words in it (not a key, a code, a style or a single symbol)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if PROGRAM.fullmatch(node.value):  # "workbench assess: ", the program's name before its line
            return False
        return bool(re.search(r"[A-Za-z]{2,}\W+[A-Za-z]", node.value)) and "[" not in node.value[:1]
    if isinstance(node, ast.JoinedStr):
        return any(_names_a_word(v) for v in node.values if isinstance(v, ast.Constant))
    return False


def _callee(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def test_no_literal_words_are_handed_to_a_person_without_the_catalog():
    """A string literal with words given straight to a widget, a toast or print() never passes
    through _(): it would stay English in every language."""
    found = []
    for base in PERSON_FACING:
        paths = [ROOT / base] if base.endswith(".py") else sorted((ROOT / base).rglob("*.py"))
        for path in paths:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                shown_by = _callee(node) in SHOWN_BY
                args = [a for a in node.args[:1] if shown_by] + [k.value for k in node.keywords if k.arg in SHOWN_AS]
                for arg in args:
                    if _names_a_word(arg):
                        found.append(f"{path.relative_to(ROOT)}:{arg.lineno}")
    assert not found, f"words shown without the catalog: {found}"
