"""The policy speaks in Messages (English as a str, a template and values for the counter's
language), and a policy file may carry Netac's own translation of each clause."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from policy import (
    EXCLUSION_KEYS,
    ClaimInputError,
    PolicyFileError,
    assess,
    bundled_bytes,
    load_policy,
    parse_claim,
    parse_policy,
)
from policy.document import OUR_WORDS
from policy.line_identity import FACT_NAMES, IdentityFact, teach
from policy.message import Message
from policy.signature import PolicySignatureError, sign_policy, verify_policy
from policy.station_copy import diff, parse_figures_csv, station_copy
from tests.policy_fixtures import POLICY, TB, claim

BUNDLED_TEXT = bundled_bytes().decode("utf-8")
ROOT = Path(__file__).resolve().parent.parent
# Stand-ins for a head office's translations: test data only, never a translation of Netac's words.
EXPIRED_ZH = "（测试用译文一）"
EXCLUSION_ZH = "（测试用译文二）"


def _with_translations(text: str = BUNDLED_TEXT, expired: str = EXPIRED_ZH) -> str:
    """The bundled file with a translation of the `expired` clause and of exclusion 3."""
    text = text.replace('ref = "Other terms, 1)"\n', f'ref = "Other terms, 1)"\ntext_zh_CN = "{expired}"\n', 1)
    return text.replace('key = "sticker_removed"\n', f'key = "sticker_removed"\ntext_zh_CN = "{EXCLUSION_ZH}"\n', 1)


def _reasons():
    """Every kind of reason the engine gives, in a handful of claims."""
    claims = [
        claim(counterfeit=True),
        claim(
            inspection=frozenset(EXCLUSION_KEYS),
            purchase_date=date(2019, 2, 28),
            host_bytes_written=1300 * TB,
            fault="not_found",
        ),
        claim(purchase_date=None, manufacture_date=date(2020, 2, 29), model="N535S", capacity_gb=240),
        claim(model="N535S", capacity_gb=999, serial="", failure_description="", host_bytes_written=None),
        claim(model="XX", capacity_gb=1, purchase_date=None, fault="untested", serial=""),
        claim(model="N535S", capacity_gb=480, failure_description=""),
        claim(purchase_date=date(2024, 1, 1), manufacture_date=date(2024, 6, 1)),
    ]
    return [reason for c in claims for reason in assess(c, POLICY).reasons]


# --- Reasons and errors are Messages whose English is today's ----------------------------------


def test_every_reason_is_a_message_whose_template_and_values_make_its_english_text():
    reasons = _reasons()
    assert {r.code for r in reasons} >= {
        "counterfeit",
        "expired",
        "tbw_exceeded",
        "no_fault_found",
        "unknown_product",
        "no_start_date",
        "date_conflict",
        "missing_information",
        "tbw_unverified",
        "fault_unconfirmed",
    } | {f"exclusion.{n}" for n in range(1, 11)}
    for reason in reasons:
        assert isinstance(reason.text, Message)
        assert reason.text.template.format(**reason.text.values) == str(reason.text)
        assert reason.to_dict() == {"code": reason.code, "text": str(reason.text)}


def test_reasons_read_as_before_in_english():
    texts = {
        r.code: str(r.text)
        for r in assess(
            claim(purchase_date=None, manufacture_date=date(2019, 2, 28), host_bytes_written=1300 * TB), POLICY
        ).reasons
    }
    assert texts == {
        "expired": "The warranty period (5 years from the manufacture date 2019-02-28) ended on 2024-02-27; "
        "the claim is dated 2026-11-24.",
        "tbw_exceeded": "The drive reports 1,300.000 TB (1,300,000,000,000,000 bytes) written by the host, over its "
        "TBW limit of 1,200.000 TB (1,200,000,000,000,000 bytes).",
    }
    exclusion = assess(claim(inspection=frozenset({"sticker_removed"})), POLICY).reasons[0]
    assert exclusion.text == "Exclusion 3: Warranty sticker torn or removed."
    assert exclusion.text.values["check"].template == "Warranty sticker torn or removed"  # our words: translatable
    missing = assess(claim(serial="", failure_description=""), POLICY).reasons[0]
    assert (missing.text, missing.text.template) == ("Missing: serial number and failure description.",) * 2


def test_every_template_the_policy_speaks_is_in_the_catalog_and_translated():
    with (ROOT / "workbench/locale/zh_CN/LC_MESSAGES/workbench.po").open("rb") as f:
        catalog = read_po(f)
    templates = set()

    def collect(message):
        templates.add(message.template)
        for value in message.values.values():
            if isinstance(value, Message):
                collect(value)

    for reason in _reasons():
        collect(reason.text)
    for word in list(OUR_WORDS) + list(FACT_NAMES.values()):
        collect(word)
    for template in templates:
        entry = catalog.get(template)
        assert entry is not None and entry.string and not entry.fuzzy, template


def test_a_decision_pickled_keeps_its_templates():
    decision = assess(claim(serial="", purchase_date=date(2019, 1, 1)), POLICY)
    again = pickle.loads(pickle.dumps(decision))
    assert again == decision
    assert [r.text.template for r in again.reasons] == [r.text.template for r in decision.reasons]


def test_a_claim_input_error_keeps_field_and_problem_and_says_the_whole_line():
    with pytest.raises(ClaimInputError) as caught:
        parse_claim({"claim_date": "2026-11-24", "model": "NV7000", "capacity_gb": 2000, "purchase_date": "2027-01-01"})
    error = caught.value
    assert error.field == "purchase_date"
    assert isinstance(error.problem, Message)
    assert error.problem == "2027-01-01 is after claim_date 2026-11-24"
    assert error.problem.template == "{date} is after claim_date {claim_date}"
    assert isinstance(error.args[0], Message) and error.args[0] == str(error)
    assert str(error) == "purchase_date: 2027-01-01 is after claim_date 2026-11-24"
    with pytest.raises(ClaimInputError) as kind:
        parse_claim({"claim_date": "2026-11-24", "model": 7, "capacity_gb": 2000})
    assert str(kind.value) == "model: expected text, got a number"
    assert kind.value.problem.values["kind"].template == "a number"  # said in the counter's language too


def test_policy_file_and_signature_errors_carry_a_message():
    with pytest.raises(PolicyFileError) as caught:
        parse_policy(BUNDLED_TEXT.replace('interface = "NVMe"', 'interface = "PCIe"', 1).encode(), "f.toml")
    assert isinstance(caught.value.args[0], Message)
    assert str(caught.value) == "f.toml: lines.NV7000.interface is 'PCIe'; expected SATA or NVMe"
    with pytest.raises(PolicySignatureError) as unsigned:
        verify_policy(bundled_bytes(), Ed25519PrivateKey.generate().public_key(), "chain.toml")
    assert isinstance(unsigned.value.args[0], Message)
    assert unsigned.value.args[0].values == {"origin": "chain.toml"}


def test_diff_lines_are_messages_in_todays_words():
    rows = parse_figures_csv(
        "line,capacity_gb,tbw_tb,warranty_years,source\nNV7000,2000,1400,5,s\nNEWX,1000,5,3,s3\n", "t.csv", POLICY
    )
    _, new = station_copy(BUNDLED_TEXT, rows, "note", "station.toml")
    changes = diff(load_policy(), new)
    assert changes == [
        "line NEWX: new line (1000 GB); identity not on record",
        "NEWX 1000 GB: TBW none -> 5; warranty none -> 3; source s3",
        "NV7000 2000 GB: TBW none -> 1400; warranty none -> 5; source s",
    ]
    assert all(isinstance(change, Message) for change in changes)


def test_our_exclusion_words_are_messages_listed_for_the_catalog():
    """`check` and `label` are ours (Netac's words are `text`): translatable, each a Message whose
    template is the text; OUR_WORDS holds the bundled file's, for extraction."""
    exclusions = load_policy().exclusions
    for exclusion in exclusions:
        for word in (exclusion.check, exclusion.label):
            assert isinstance(word, Message) and word.template == str(word)
    assert set(OUR_WORDS) == {e.check for e in exclusions} | {e.label for e in exclusions}


# --- Netac's own translation of a clause, carried by the policy file ----------------------------


def test_the_bundled_file_carries_no_translation():
    policy = load_policy()
    assert all(not clause.translations for clause in policy.clauses.values())
    assert all(not exclusion.translations for exclusion in policy.exclusions)
    assert "text_zh_CN" not in BUNDLED_TEXT
    text, netacs = policy.clauses["expired"].text_in("zh_CN")
    assert (text, netacs) == (policy.clauses["expired"].text, False)


def test_a_clause_translation_is_read_and_said_only_in_its_language():
    policy = parse_policy(_with_translations().encode(), "chain.toml")
    expired = policy.clauses["expired"]
    assert expired.translations == {"zh_CN": EXPIRED_ZH}
    assert expired.text_in("zh_CN") == (EXPIRED_ZH, True)
    assert expired.text_in("en") == (load_policy().clauses["expired"].text, False)
    assert expired.text == load_policy().clauses["expired"].text  # Netac's English stays as it was
    sticker = policy.exclusions[2]
    assert sticker.clause.text_in("zh_CN") == (EXCLUSION_ZH, True)
    assert policy.clause_for("exclusion.3").text_in("zh_CN") == (EXCLUSION_ZH, True)
    assert policy.clause_for("expired").text_in("zh_CN") == (EXPIRED_ZH, True)
    # The decision is the same: a translation changes no verdict, no reason.
    c = claim(inspection=frozenset({"sticker_removed"}), purchase_date=date(2019, 1, 1))
    assert assess(c, policy).to_dict() == assess(c, load_policy()).to_dict()
    hash(assess(c, policy))  # a reason citing a translated clause is still a value


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("text_zh_cn", '"x"', "clauses.expired.text_zh_cn is not a translation of the text"),
        ("text_chinese", '"x"', "clauses.expired.text_chinese is not a translation of the text"),
        ("text_zh_CN", '""', "clauses.expired.text_zh_CN is missing or not a text"),
        ("text_zh_CN", "3", "clauses.expired.text_zh_CN is missing or not a text"),
    ],
)
def test_a_misspelt_or_empty_translation_is_refused_naming_the_key(key, value, words):
    text = BUNDLED_TEXT.replace('ref = "Other terms, 1)"\n', f'ref = "Other terms, 1)"\n{key} = {value}\n', 1)
    with pytest.raises(PolicyFileError, match=re.escape(f"chain.toml: {words}")):
        parse_policy(text.encode(), "chain.toml")


def test_the_signature_covers_the_translations():
    head_office = Ed25519PrivateKey.generate()
    signed = sign_policy(_with_translations().encode(), head_office, 5)
    assert verify_policy(signed, head_office.public_key(), "chain.toml") == 5
    assert parse_policy(signed, "chain.toml").clauses["expired"].text_in("zh_CN") == (EXPIRED_ZH, True)
    altered = signed.replace(EXPIRED_ZH.encode(), "（测试用译文三）".encode())
    added = sign_policy(bundled_bytes(), head_office, 5).replace(
        b'ref = "Other terms, 1)"\n', b'ref = "Other terms, 1)"\ntext_zh_CN = "x"\n', 1
    )
    for damaged in (altered, added, signed.replace(EXCLUSION_ZH.encode(), b"")):
        with pytest.raises(PolicySignatureError, match="the signature does not match"):
            verify_policy(damaged, head_office.public_key(), "chain.toml")


def test_an_import_and_a_taught_identity_keep_the_translations():
    base = _with_translations()
    rows = parse_figures_csv("line,capacity_gb,tbw_tb,warranty_years,source\nNV7000,2000,1400,5,s\n", "t.csv", POLICY)
    text, imported = station_copy(base, rows, "note", "station.toml")
    assert imported.clauses["expired"].text_in("zh_CN") == (EXPIRED_ZH, True)
    assert imported.exclusions[2].clause.text_in("zh_CN") == (EXCLUSION_ZH, True)
    fact = IdentityFact("controller", "Maxio", "Maxio MAP1202", "sealed retail unit")
    _, taught = teach(text, "NV5000", [fact], "note", "station.toml")
    assert taught.clauses["expired"].translations == {"zh_CN": EXPIRED_ZH}
    assert diff(parse_policy(base.encode(), "chain.toml"), imported) == [
        "NV7000 2000 GB: TBW none -> 1400; warranty none -> 5; source s"
    ]


def test_diff_says_which_translation_comes_goes_or_changes():
    bundled = load_policy()
    translated = parse_policy(_with_translations().encode(), "new.toml")
    assert diff(bundled, translated) == [
        "clause expired: zh_CN translation added",
        "exclusion 3 (sticker_removed): zh_CN translation added",
    ]
    changed = parse_policy(_with_translations(expired="（测试用译文三）").encode(), "newer.toml")
    assert diff(translated, changed) == ["clause expired: zh_CN translation changed"]
    assert diff(translated, bundled) == [
        "clause expired: zh_CN translation removed",
        "exclusion 3 (sticker_removed): zh_CN translation removed",
    ]
    reworded = _with_translations().replace('check = "Warranty sticker torn or removed"', 'check = "Sticker torn"', 1)
    assert diff(translated, parse_policy(reworded.encode(), "r.toml")) == ["exclusion 3 (sticker_removed): changed"]


# --- The contract stays English whatever the login's language ----------------------------------


def test_assess_prints_the_same_english_json_under_a_chinese_login(tmp_path):
    path = tmp_path / "claim.json"
    path.write_text(
        json.dumps(
            {
                "claim_date": "2026-11-24",
                "model": "NV7000",
                "capacity_gb": 2000,
                "serial": "",
                "purchase_date": "2020-01-01",
                "manufacture_date": "2021-01-01",
                "failure_description": "Not detected",
                "inspection": {"sticker_removed": True},
                "host_bytes_written": None,
            }
        )
    )

    def run(language: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "LANGUAGE": language, "LANG": f"{language}.UTF-8"}
        return subprocess.run(
            [sys.executable, "-m", "workbench", "assess", "--policy", str(tmp_path / "p.toml"), str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd=ROOT,
        )

    (tmp_path / "p.toml").write_text(_with_translations())
    english, chinese = run("en_US"), run("zh_CN")
    assert (english.returncode, chinese.returncode) == (0, 0)
    assert chinese.stdout == english.stdout
    assert json.loads(english.stdout)["reasons"] == [
        {"code": "exclusion.3", "text": "Exclusion 3: Warranty sticker torn or removed."}
    ]
    assert re.fullmatch(r"[\x00-\x7f]*", chinese.stdout)
