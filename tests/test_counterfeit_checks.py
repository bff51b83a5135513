"""Counterfeit checks on the demo recordings: each constructed mismatch is flagged, the
genuine drive passes."""

from dataclasses import replace

import pytest

from policy import Identity, load_policy
from workbench.inspection.counterfeit import (
    Finding,
    Label,
    PriorClaim,
    check_claim,
    not_genuine,
    to_confirm,
)
from workbench.inspection.smart import read_drive
from workbench.inspection.smartctl import ReplaySmartctl

# The catalog's NV7000 2TB, with its sourced genuine identity (policy/netac_warranty.toml).
NV7000_2TB = load_policy().catalog.lookup("NV7000", 2000)
GENUINE_LABEL = Label("NV7000", 2000, "RN202406182TB104233")


@pytest.fixture(scope="module")
def demo():
    return ReplaySmartctl("demo")


@pytest.fixture(scope="module")
def genuine(demo):
    return read_drive(demo, "/dev/nvme0")


@pytest.fixture(scope="module")
def fake(demo):
    return read_drive(demo, "/dev/nvme1")


def by_check(findings):
    return {f.check: f for f in findings}


def test_genuine_drive_passes_every_check(genuine):
    findings = check_claim(GENUINE_LABEL, genuine, NV7000_2TB, [])
    assert [(f.check, f.severity) for f in findings] == [
        ("model", "pass"),
        ("serial", "pass"),
        ("capacity", "pass"),
        ("identity", "pass"),
        ("serial_format", "pass"),
        ("prior_claims", "pass"),
    ]
    assert not not_genuine(findings) and to_confirm(findings) == []


def test_counterfeit_drive_is_flagged_on_model_capacity_and_controller(fake):
    label = Label("NV7000", 2000, "RN202405022TB553120")
    found = by_check(check_claim(label, fake, NV7000_2TB, []))
    assert found["model"].severity == "high"
    assert "'SSD 512GB'" in found["model"].message
    assert found["capacity"].severity == "high"
    assert found["capacity"].evidence["reported_bytes"] == 512_110_190_592
    assert found["identity"].severity == "high"
    assert "Maxio" in found["identity"].message
    assert found["serial"].severity == "high"
    assert not_genuine(found.values())


def test_swapped_label_serial(genuine):
    label = replace(GENUINE_LABEL, serial="RN202406182TB104299")
    found = by_check(check_claim(label, genuine, NV7000_2TB, []))
    assert found["serial"].severity == "high"
    assert found["serial"].evidence == {"label": "RN202406182TB104299", "reported": "RN202406182TB104233"}


def test_serial_typed_with_spaces_still_matches(genuine):
    label = replace(GENUINE_LABEL, serial=" rn2024 0618-2TB104233 ")
    assert by_check(check_claim(label, genuine, NV7000_2TB, []))["serial"].severity == "pass"


@pytest.mark.parametrize(
    "capacity_gb, severity",
    [(2000, "pass"), (1920, "pass"), (2048, "pass"), (2200, "medium"), (1000, "high"), (4000, "high")],
)
def test_capacity_allows_rounding_and_flags_gaps(genuine, capacity_gb, severity):
    label = replace(GENUINE_LABEL, capacity_gb=capacity_gb)
    assert by_check(check_claim(label, genuine, NV7000_2TB, []))["capacity"].severity == severity


def test_unknown_firmware_asks_for_confirmation(genuine):
    product = replace(NV7000_2TB, identity=replace(NV7000_2TB.identity, firmware_patterns=(r"4\.\d+",)))
    finding = by_check(check_claim(GENUINE_LABEL, genuine, product, []))["identity"]
    assert finding.severity == "medium"
    assert finding in to_confirm([finding])


def test_serial_format_of_the_product_line(genuine):
    label = replace(GENUINE_LABEL, serial="NV7K-0001")
    finding = by_check(check_claim(label, genuine, NV7000_2TB, []))["serial_format"]
    assert finding.severity == "medium"


def test_serial_already_replaced_is_a_copy(genuine):
    prior = [PriorClaim("SZ01-2026-000017", "2026-03-02", "covered", replaced=True)]
    finding = by_check(check_claim(GENUINE_LABEL, genuine, NV7000_2TB, prior))["prior_claims"]
    assert finding.severity == "high"
    assert "SZ01-2026-000017" in finding.message


def test_earlier_claim_without_exchange_is_for_the_technician(genuine):
    prior = [PriorClaim("SZ01-2026-000017", "2026-03-02", "not_covered")]
    finding = by_check(check_claim(GENUINE_LABEL, genuine, NV7000_2TB, prior))["prior_claims"]
    assert finding.severity == "low"
    assert "not_covered" in finding.message


def test_without_catalog_identity_nothing_is_concluded(genuine):
    unsourced = replace(NV7000_2TB, identity=Identity(None, None, None, None))
    findings = check_claim(GENUINE_LABEL, genuine, unsourced, [])
    found = by_check(findings)
    assert found["model"].severity == "low"  # a Netac name, but no pattern on record
    assert found["identity"].severity == "low"
    assert found["serial_format"].severity == "low"
    assert not not_genuine(findings)


def test_product_not_in_catalog(genuine):
    found = by_check(check_claim(Label("NV9999", 2000, GENUINE_LABEL.serial), genuine, None, []))
    assert found["identity"].severity == "medium"
    assert found["model"].severity == "low"


def test_unreadable_drive_still_checks_the_label():
    prior = [PriorClaim("SZ01-2026-000017", "2026-03-02", "covered", replaced=True)]
    findings = check_claim(GENUINE_LABEL, None, NV7000_2TB, prior)
    assert [(f.check, f.severity) for f in findings] == [
        ("drive", "low"),
        ("serial_format", "pass"),
        ("prior_claims", "high"),
    ]


def test_severity_is_checked():
    with pytest.raises(ValueError, match="severity"):
        Finding("model", "critical", "x")


def test_line_without_sourced_identity_asks_instead_of_accusing(demo):
    # The catalog's N600S has no sourced identity yet: nothing can be high but the label.
    sata = read_drive(demo, "/dev/sdd")
    product = load_policy().catalog.lookup("N600S", 1000)
    findings = check_claim(Label("N600S", 1000, "AA20250311100000487"), sata, product, [])
    assert [(f.check, f.severity) for f in findings] == [
        ("model", "low"),
        ("serial", "pass"),
        ("capacity", "pass"),
        ("identity", "low"),
        ("serial_format", "low"),
        ("prior_claims", "pass"),
    ]
    assert not not_genuine(findings)


def test_a_claim_can_be_the_label():
    # The intake's Claim carries model, capacity_gb and serial as on the label.
    from policy import parse_claim

    claim = parse_claim(
        {
            "claim_date": "2026-11-24",
            "model": "NV7000",
            "capacity_gb": 2000,
            "serial": "RN202406182TB104233",
            "purchase_date": "2025-01-10",
            "manufacture_date": None,
            "failure_description": "not detected",
            "inspection": {},
            "counterfeit": False,
            "host_bytes_written": None,
        }
    )
    genuine = read_drive(ReplaySmartctl("demo"), "/dev/nvme0")
    assert not not_genuine(check_claim(claim, genuine, NV7000_2TB, []))
