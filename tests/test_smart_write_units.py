"""The sourced table of host-write units, and controllers from NVMe PCI ids."""

import pytest

from workbench.inspection.write_units import ata_write_unit, controller_from_pci


def unit(model="X", firmware="X", family=None, attribute="Total_LBAs_Written", sector=512):
    return ata_write_unit(
        model=model, firmware=firmware, family=family, attribute_name=attribute, logical_sector_size=sector
    )


@pytest.mark.parametrize(
    "family, attribute, expected",
    [
        ("Silicon Motion based SSDs", "Host_Writes_32MiB", 32 * 2**20),
        ("Maxio based SSDs (variant 2)", "Host_Writes_GiB", 2**30),
        ("Maxio based SSDs (variant 4)", "Host_Writes_32MiB", 32 * 2**20),
        ("Maxio based SSDs (variant 1)", "Total_LBAs_Written", 512),
        ("Phison Driven SSDs", "Lifetime_Writes_GiB", 2**30),
        # Known to smartctl, not in our table: the unit in smartctl's name for 241.
        ("Intel 545s Series SSDs", "Host_Writes_32MiB", 32 * 2**20),
        ("Samsung based SSDs", "Total_LBAs_Written", 512),
    ],
)
def test_units_by_smartctl_family(family, attribute, expected):
    assert unit(family=family, attribute=attribute).bytes_per_unit == expected


def test_sector_size_is_the_drives_own():
    assert unit(family="Samsung based SSDs", sector=4096).bytes_per_unit == 4096


@pytest.mark.parametrize(
    "firmware, expected",
    [
        ("SN15926", 2**30),  # Maxio variant 3
        ("SN17742", 32 * 2**20),  # Maxio variant 4
        ("SN08921", 2**30),  # Maxio variant 2
        ("HDFEB3.2", 32 * 2**20),  # Hosin Global HG2259
    ],
)
def test_controller_recognised_by_firmware_when_smartctl_does_not_know_the_drive(firmware, expected):
    assert unit(model="Netac SSD 512GB", firmware=firmware).bytes_per_unit == expected


def test_silicon_motion_oem_firmware_is_not_trusted():
    found = unit(family="Silicon Motion based OEM SSDs", attribute="Host_Writes_32MiB")
    assert found.bytes_per_unit is None
    assert "not 32MiB" in found.basis


def test_unknown_drive_gets_no_unit():
    found = unit(model="Netac SSD 1TB", firmware="W0713A0")
    assert found.bytes_per_unit is None
    assert "not in smartctl's drive database" in found.basis


def test_known_family_with_an_unknown_name_gets_no_unit():
    assert unit(family="Apacer AS340 SSDs", attribute="Unknown_Attribute").bytes_per_unit is None


@pytest.mark.parametrize(
    "vendor, subsystem, expected",
    [
        ("0x1f40", "0x1dbe", "InnoGrit (PCI 0x1dbe, sold by Netac Technology)"),
        ("0x1e4b", "0x1e4b", "Maxio (PCI 0x1e4b)"),
        ("0x126F", "0x1f40", "Silicon Motion (PCI 0x126F)"),
        ("0x1f40", "0x1f40", None),  # only the brand: the controller is not shown
        (None, None, None),
    ],
)
def test_controller_from_pci_ids(vendor, subsystem, expected):
    assert controller_from_pci(vendor, subsystem) == expected
