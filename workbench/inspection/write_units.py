"""Units of host-write counters, from the sourced table in data/write_units.toml.

SATA attribute 241 means different things on different controllers; see the table's
header. `ata_write_unit` answers with a unit and the reason for it, or with no unit and
the reason there is none (the TBW is then unverified): a Message (workbench.inspection.said),
whose sources, quoted from the table, stay as they are written there.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from policy.message import Message

TABLE = Path(__file__).with_name("data") / "write_units.toml"

# PCI vendor ids as named in pci.ids (Debian, version 2023.04.10): makers of NVMe
# controllers (their id in PCI Vendor ID or Subsystem ID names the controller), and brands
# that put their own id there (it names the seller, not the controller).
CONTROLLER_MAKERS = {
    "0x1dbe": "InnoGrit",
    "0x1e4b": "Maxio",
    "0x126f": "Silicon Motion",
    "0x1987": "Phison",
    "0x10ec": "Realtek",
    "0x144d": "Samsung",
    "0x15b7": "Sandisk/WD",
    "0x1e0f": "KIOXIA",
    "0x1179": "Toshiba",
}
BRANDS = {"0x1f40": "Netac Technology", "0x1cc1": "ADATA", "0x2646": "Kingston"}


@dataclass(frozen=True)
class WriteUnit:
    bytes_per_unit: int | None
    basis: Message


@dataclass(frozen=True)
class _Family:
    family: str
    controller: str
    attribute: str
    bytes_per_unit: int | str
    firmware: re.Pattern | None
    source: str


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[_Family, ...], dict[str, int | str]]:
    data = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    families = tuple(
        _Family(
            entry["family"],
            entry["controller"],
            entry["attribute"],
            entry["bytes_per_unit"],
            re.compile(entry["firmware"]) if "firmware" in entry else None,
            entry["source"],
        )
        for entry in data["family"]
    )
    return families, dict(data["names"])


def _bytes(unit: int | str, logical_sector_size: int | None) -> int | None:
    if unit == "unknown":
        return None
    return logical_sector_size if unit == "logical_sector" else int(unit)


def ata_write_unit(
    *,
    model: str,
    firmware: str,
    family: str | None,
    attribute_name: str,
    logical_sector_size: int | None,
) -> WriteUnit:
    """The byte size of one unit of attribute 241 on this drive, or why it is unknown."""
    families, names = _table()
    known = next((f for f in families if family and f.family == family), None)
    if known is not None:
        size = _bytes(known.bytes_per_unit, logical_sector_size)
        if size is None:
            return WriteUnit(
                None,
                Message(
                    "smartctl's drive database places it in '{family}', for which the unit is not established: "
                    "{source}",
                    family=family,
                    source=known.source,
                ),
            )
        return WriteUnit(
            size,
            Message("smartctl's drive database places it in '{family}': {source}", family=family, source=known.source),
        )
    known = next((f for f in families if f.firmware is not None and f.firmware.fullmatch(firmware)), None)
    if known is not None:
        size = _bytes(known.bytes_per_unit, logical_sector_size)
        if size is None:
            return WriteUnit(
                None,
                Message(
                    "firmware {firmware} matches the firmware list of '{family}', for which the unit is not "
                    "established: {source}",
                    firmware=firmware,
                    family=known.family,
                    source=known.source,
                ),
            )
        return WriteUnit(
            size,
            Message(
                "firmware {firmware} matches the firmware list of '{family}': {source}",
                firmware=firmware,
                family=known.family,
                source=known.source,
            ),
        )
    if family and attribute_name in names:
        size = _bytes(names[attribute_name], logical_sector_size)
        if size is not None:
            return WriteUnit(
                size,
                Message(
                    "smartctl knows the drive ('{family}') and names 241 {attribute}",
                    family=family,
                    attribute=attribute_name,
                ),
            )
    if family:
        return WriteUnit(
            None,
            Message(
                "the unit of {attribute} for '{family}' is not in the workbench's table",
                attribute=attribute_name,
                family=family,
            ),
        )
    return WriteUnit(
        None,
        Message(
            "{model} is not in smartctl's drive database and its firmware {firmware} matches no "
            "known controller, so the unit of attribute 241 is unknown",
            model=model,
            firmware=firmware,
        ),
    )


def controller_from_pci(vendor_id: str | None, subsystem_id: str | None) -> str | None:
    """An NVMe drive's controller maker from its PCI ids, or None when they name only a brand.
    The makers' and brands' names are pci.ids' own; "sold by" is said (a Message)."""
    for pci_id in (subsystem_id, vendor_id):
        maker = CONTROLLER_MAKERS.get((pci_id or "").lower())
        if maker:
            brand = BRANDS.get((vendor_id or "").lower())
            if brand:
                return Message("{maker} (PCI {pci_id}, sold by {brand})", maker=maker, pci_id=pci_id, brand=brand)
            return f"{maker} (PCI {pci_id})"
    return None
