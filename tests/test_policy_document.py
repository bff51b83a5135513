"""The bundled policy data file: complete, quoted from the policy, and strictly checked."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from policy import EXCLUSION_KEYS, EXCLUSIONS, PolicyFileError, load_policy

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_5125672fccafe0aa.txt"
BUNDLED_TEXT = resources.files("policy").joinpath("netac_warranty.toml").read_text()


def test_the_ten_exclusions_in_order():
    assert tuple(e.key for e in EXCLUSIONS) == EXCLUSION_KEYS
    assert [e.number for e in EXCLUSIONS] == list(range(1, 11))


@pytest.mark.skipif(not SEED.exists(), reason="the seed policy text is kept beside the repository")
def test_clause_texts_are_quoted_from_the_policy():
    def squash(text):
        return re.sub(r"\s+", " ", text.replace("’", "'")).strip()

    seed = squash(SEED.read_text())
    policy = load_policy()
    for text in [e.text for e in policy.exclusions] + [policy.clauses[k].text for k in (
            "warranty_start", "expired", "counterfeit", "required_information", "warranty_service")]:
        assert squash(text).rstrip(".;") in seed


def test_every_catalog_row_says_where_its_figures_come_from():
    for product in load_policy().catalog.products:
        for figure in ("warranty_years", "tbw_tb"):
            assert getattr(product, figure) is not None or figure in product.unsourced, (product.line, figure)
        if product.identity is not None:
            assert product.sources, product.line


def test_lookup():
    catalog = load_policy().catalog
    assert catalog.lookup("netac NV7000", 2000).interface == "NVMe"
    assert catalog.lookup("NV7000", 3000) is None
    assert catalog.capacities("nv7000") == [512, 1000, 2000, 4000]
    assert catalog.lookup("N535S", 240).interface == "SATA"


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace('number = 3\nkey = "sticker_removed"', 'number = 3\nkey = "sticker"'), "exclusions must be the ten"),
    (lambda t: t.replace('[clauses.expired]', '[clauses.expiry]'), "clauses.expired is missing"),
    (lambda t: t.replace('interface = "SATA"', 'interface = "USB"', 1), "interface is 'USB'"),
    (lambda t: t + '\n[lines.X]\ninterface = "SATA"\ncapacities_gb = [128]\ntbw_tb = { 256 = 70 }\n', "lines.X.tbw_tb.256 is not one of"),
    (lambda t: t + '\n[lines.X]\ninterface = "SATA"\ncapacities_gb = [128]\nwarranty_years = 0\n', "lines.X.warranty_years"),
    (lambda t: t + '\n[lines.X]\ninterface = "SATA"\ncapacities_gb = []\n', "lines.X.capacities_gb"),
])
def test_a_broken_policy_file_is_refused_naming_the_key(tmp_path, edit, message):
    path = tmp_path / "policy.toml"
    path.write_text(edit(BUNDLED_TEXT))
    with pytest.raises(PolicyFileError, match=re.escape(message)):
        load_policy(path)
