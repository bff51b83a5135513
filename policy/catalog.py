"""The product catalog: which Netac SSDs exist, and the limits the policy sets for each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Identity:
    """What a genuine drive of a product line reports; None where unsourced."""

    model_patterns: tuple[str, ...] | None = None
    controller: str | None = None
    firmware_patterns: tuple[str, ...] | None = None
    serial_pattern: str | None = None
    # (fact, source) for each fact a station taught from a genuine drive ([station_identity]).
    taught: tuple[tuple[str, str], ...] = ()

    def missing(self) -> tuple[str, ...]:
        """The facts not on record, by their keys in the policy file."""
        return tuple(name for name in IDENTITY_FACTS if getattr(self, name) is None)


# A line's identity facts, as the policy file names them, in the order the checks use them.
IDENTITY_FACTS = ("model_patterns", "firmware_patterns", "controller", "serial_pattern")


@dataclass(frozen=True)
class Product:
    """One sellable product: a line in one capacity, with its warranty limits."""

    line: str
    model: str
    capacity_gb: int
    interface: str | None  # SATA or NVMe; None for a line a station added from Netac's table
    tbw_tb: int | float | None
    warranty_years: int | None
    identity: Identity | None
    sources: tuple[str, ...]
    unsourced: tuple[str, ...] = ()
    # Where this capacity's warranty period and TBW come from: an entry of the file's
    # [figures] table (Netac's table as a station received it), else the line's sources.
    figure_source: str | None = None
    figure_note: str | None = None  # e.g. where sources disagree, which figure the station uses and why

    @property
    def tbw_bytes(self) -> int | None:
        if self.tbw_tb is None:
            return None
        # TB in the policy are decimal; the float path keeps e.g. 0.5 TB exact.
        return round(self.tbw_tb * 1_000_000_000_000)


_PREFIX = re.compile(r"^\s*netac\s+", re.IGNORECASE)


@lru_cache(maxsize=4096)  # a station sees few distinct spellings; matching is on the hot path
def normalise_model(model: str) -> str:
    """`Netac nv7000-t ` → `NV7000T`: how a label's model is matched against the catalog.

    Labels, receipts and technicians write the same model with or without a hyphen or a
    space before a suffix (NV7000-T, NV7000 T, NV7000T): those never tell models apart.
    """
    return re.sub(r"[\s_-]+", "", without_brand(model)).upper()


def without_brand(model: str) -> str:
    """`Netac NV7000-Q ` → `NV7000-Q`: the model as the catalog names a line."""
    return _PREFIX.sub("", model).strip()


class Catalog:
    def __init__(self, products: list[Product]) -> None:
        self.products = tuple(products)
        self._by_key = {(normalise_model(p.model), p.capacity_gb): p for p in products}
        self._capacities: dict[str, list[int]] = {}
        for p in products:
            self._capacities.setdefault(normalise_model(p.model), []).append(p.capacity_gb)

    def lookup(self, model: str, capacity_gb: int) -> Product | None:
        return self._by_key.get((normalise_model(model), capacity_gb))

    def lines(self) -> list[str]:
        return sorted({p.line for p in self.products})

    def capacities(self, model: str) -> list[int]:
        return sorted(self._capacities.get(normalise_model(model), []))
