"""The bundled policy data file: complete, quoted from the policy, and strictly checked."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from policy import EXCLUSION_KEYS, EXCLUSIONS, PolicyFileError, load_policy, parse_policy

# Netac's published policy page (https://www.netac.com/warranty/) as text, kept with the tests
# so that CI checks every quoted clause against it.
SEED = Path(__file__).resolve().parent / "data" / "netac_warranty_policy.txt"
BUNDLED_TEXT = resources.files("policy").joinpath("netac_warranty.toml").read_text()


def test_the_ten_exclusions_in_order():
    assert tuple(e.key for e in EXCLUSIONS) == EXCLUSION_KEYS
    assert [e.number for e in EXCLUSIONS] == list(range(1, 11))


def test_clause_texts_are_quoted_from_the_policy():
    def squash(text):
        return re.sub(r"\s+", " ", text.replace("’", "'")).strip()

    seed = squash(SEED.read_text())
    policy = load_policy()
    for text in [e.text for e in policy.exclusions] + [
        policy.clauses[k].text
        for k in (
            "normal_use",
            "warranty_start",
            "expired",
            "tbw_exceeded",
            "counterfeit",
            "required_information",
            "data_backup",
            "warranty_service",
        )
    ]:
        assert squash(text).rstrip(".;") in seed


def test_the_opening_paragraph_is_quoted_whole_and_verbatim():
    paragraphs = [p.strip() for p in SEED.read_text().split("\n\n") if p.strip()]
    opening = paragraphs[paragraphs.index("Warranty Policy") + 1]
    assert opening.startswith("Netac Technology Co., Ltd.(hereafter called “Netac”) warrants")
    assert load_policy().clauses["normal_use"].text == opening


# A station's copy made from the bundled file before the opening paragraph was a clause of it.
OLD_COPY = re.sub(r"# The policy's opening paragraph.*?\n\n", "", BUNDLED_TEXT, flags=re.S)


def test_a_station_copy_without_the_opening_paragraph_decides_with_the_bundled_clause(tmp_path):
    from policy import assess
    from tests.policy_fixtures import claim

    assert "normal_use" not in OLD_COPY and "hereafter called" not in OLD_COPY
    path = tmp_path / "policy.toml"
    path.write_text(OLD_COPY)
    old = load_policy(path)
    assert old.clauses["normal_use"] == load_policy().clauses["normal_use"]
    assert (old.clauses_from_bundled, load_policy().clauses_from_bundled) == (("normal_use",), ())
    d = assess(claim(fault="not_found"), old)
    assert [(r.code, r.clause) for r in d.reasons] == [("no_fault_found", load_policy().clauses["normal_use"])]
    # A copy that carries the clause decides with its own words.
    path.write_text(BUNDLED_TEXT.replace("Warranty Policy, opening paragraph", "Preamble"))
    assert (load_policy(path).clauses["normal_use"].ref, load_policy(path).clauses_from_bundled) == ("Preamble", ())


def test_the_bundled_file_must_carry_the_clauses_the_others_borrow():
    with pytest.raises(PolicyFileError, match=re.escape("bundled: clauses.normal_use is missing")):
        parse_policy(OLD_COPY.encode(), "bundled")


def test_every_catalog_row_says_where_its_figures_come_from():
    for product in load_policy().catalog.products:
        for figure in ("warranty_years", "tbw_tb"):
            assert getattr(product, figure) is not None or figure in product.unsourced, (product.line, figure)
        if product.identity is not None:
            assert product.sources, product.line
        if not product.sources:  # nothing on record: the line's capacities are unsourced too
            assert {"identity", "capacities_gb"} <= set(product.unsourced), product.line


def test_lookup():
    catalog = load_policy().catalog
    assert catalog.lookup("netac NV7000", 2000).interface == "NVMe"
    assert catalog.lookup("NV7000", 3000) is None
    assert catalog.capacities("nv7000") == [512, 1000, 2000, 4000]
    assert catalog.lookup("N535S", 240).interface == "SATA"
    assert catalog.lookup("Netac nv7000-t", 2000).line == "NV7000-T"


LINE = '\n[lines.X]\ninterface = "SATA"\n'


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda t: t.replace('number = 3\nkey = "sticker_removed"', 'number = 3\nkey = "sticker"'),
            "exclusions must be the ten",
        ),
        (lambda t: t.replace("[clauses.expired]", "[clauses.expiry]"), "clauses.expired is missing"),
        (lambda t: t.replace('interface = "SATA"', 'interface = "USB"', 1), "interface is 'USB'"),
        (
            lambda t: t + '\n[lines.X]\ninterface = "SATA"\ncapacities_gb = [128]\ntbw_tb = { 256 = 70 }\n',
            "lines.X.tbw_tb.256 is not one of",
        ),
        (
            lambda t: t + '\n[lines.X]\ninterface = "SATA"\ncapacities_gb = [128]\nwarranty_years = 0\n',
            "lines.X.warranty_years",
        ),
        (lambda t: t + '\n[lines.X]\ninterface = "SATA"\ncapacities_gb = []\n', "lines.X.capacities_gb"),
        (lambda t: t + LINE + "capacities_gb = [128, 128]\n", "lines.X.capacities_gb must list"),
        (lambda t: t + LINE + "capacities_gb = [true]\n", "lines.X.capacities_gb must list"),
        (
            lambda t: t + LINE + "capacities_gb = [128]\nwarranty_year = 5\n",
            "lines.X.warranty_year is not a line setting",
        ),
        (
            lambda t: t + LINE + "capacities_gb = [128]\ntbw_tb = { 128 = nan }\n",
            "lines.X.tbw_tb.128 must be a positive",
        ),
        (lambda t: t + LINE + 'capacities_gb = [128]\nsources = "a page"\n', "lines.X.sources must be a list"),
        (lambda t: t + LINE + 'capacities_gb = [128]\nunsourced = ["tbw"]\n', "lines.X.unsourced lists 'tbw'"),
        (
            lambda t: t + LINE + 'capacities_gb = [128]\n[lines.X.identity]\nserial_pattern = "RN[0-9"\n',
            "lines.X.identity.serial_pattern 'RN[0-9' is not a regular expression",
        ),
        (
            lambda t: t + LINE + 'capacities_gb = [128]\n[lines.X.identity]\nmodel_patterns = "Netac.*"\n',
            "lines.X.identity.model_patterns must be a list",
        ),
        (
            lambda t: t + LINE + 'capacities_gb = [128]\n[lines.X.identity]\nvendor = "Netac"\n',
            "lines.X.identity.vendor is not an identity setting",
        ),
        (
            lambda t: t + '\n[lines."netac nv7000"]\ninterface = "NVMe"\ncapacities_gb = [1000]\n',
            "lines.netac nv7000 is the same model as lines.NV7000",
        ),
    ],
)
def test_a_broken_policy_file_is_refused_naming_the_key(tmp_path, edit, message):
    path = tmp_path / "policy.toml"
    path.write_text(edit(BUNDLED_TEXT))
    with pytest.raises(PolicyFileError, match=re.escape(message)):
        load_policy(path)


def test_figures_a_station_fills_in_stop_being_unsourced(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(
        BUNDLED_TEXT.replace("[lines.NV7000]\n", "[lines.NV7000]\nwarranty_years = 5\ntbw_tb = { 2000 = 1200 }\n")
    )
    catalog = load_policy(path).catalog
    assert catalog.lookup("NV7000", 2000).unsourced == ("capacities_gb",)
    assert catalog.lookup("NV7000", 1000).unsourced == ("tbw_tb", "capacities_gb")
    assert load_policy().catalog.lookup("NV7000", 2000).unsourced == ("warranty_years", "tbw_tb", "capacities_gb")


def test_lookup_ignores_hyphens_and_spaces_in_the_model():
    catalog = load_policy().catalog
    assert catalog.lookup("NV7000T", 2000) is catalog.lookup("netac nv7000-t", 2000) is catalog.lookup("NV7000 T", 2000)
    assert catalog.lookup("NV7000-T", 2000).line == "NV7000-T"


def test_every_exclusion_has_a_label_for_80_columns(tmp_path):
    for exclusion in load_policy().exclusions:
        assert 0 < len(f"{exclusion.label} ({exclusion.number})") <= 39  # the checkbox holds 44 with its box
    # A station's copy written before labels existed shows each check's full wording.
    path = tmp_path / "policy.toml"
    path.write_text(re.sub(r'\nlabel = "[^"]*"', "", BUNDLED_TEXT))
    assert [e.label for e in load_policy(path).exclusions] == [e.check for e in load_policy(path).exclusions]
    path.write_text(BUNDLED_TEXT.replace('label = "Virus or antivirus damage"', "label = 6"))
    with pytest.raises(PolicyFileError, match=re.escape("exclusions[5].label is missing or not a text")):
        load_policy(path)
