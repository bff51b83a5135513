"""Load the policy data file (TOML) into the objects the engine decides with."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from policy.catalog import Catalog, Identity, Product

# The contract's inspection keys, numbered as the policy's exclusion list.
EXCLUSION_KEYS = (
    "unauthorised_modification",
    "interface_or_housing_damage",
    "sticker_removed",
    "misuse",
    "physical_or_liquid_damage",
    "virus_damage",
    "electrical_damage",
    "environmental_damage",
    "customer_transport_damage",
    "rnd_or_production_use",
)

REQUIRED_CLAUSES = (
    "warranty_start", "expired", "tbw_exceeded", "counterfeit", "required_information",
    "data_backup", "warranty_service",
)


class PolicyFileError(ValueError):
    """The policy data file is unreadable or breaks its schema; names file and key."""


@dataclass(frozen=True)
class Clause:
    ref: str
    text: str


@dataclass(frozen=True)
class Exclusion:
    number: int
    key: str
    check: str
    text: str

    @property
    def clause(self) -> Clause:
        return Clause(f"Warranty exclusions, {self.number})", self.text)


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    source: str
    clauses: dict[str, Clause]
    exclusions: tuple[Exclusion, ...]
    catalog: Catalog

    @property
    def id(self) -> str:
        return f"{self.name} {self.version}"


def load_policy(path: str | Path | None = None) -> Policy:
    """The bundled Netac policy, or the station's own copy at `path`."""
    if path is None:
        return _bundled()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyFileError(f"{path}: cannot read the policy file ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyFileError(f"{path}: not a valid TOML policy file ({exc})") from None
    return _build(data, str(path))


@cache
def _bundled() -> Policy:
    text = resources.files("policy").joinpath("netac_warranty.toml").read_text(encoding="utf-8")
    return _build(tomllib.loads(text), "netac_warranty.toml")


def _build(data: dict[str, Any], origin: str) -> Policy:
    reader = _Reader(origin)
    head = reader.table(data, "policy")
    clauses = {
        key: Clause(reader.string(body, f"clauses.{key}.ref"), reader.string(body, f"clauses.{key}.text"))
        for key, body in reader.table(data, "clauses").items()
    }
    for key in REQUIRED_CLAUSES:
        if key not in clauses:
            raise reader.error(f"clauses.{key}", "is missing")
    exclusions = tuple(
        Exclusion(
            number=reader.integer(item, f"exclusions[{i}].number"),
            key=reader.string(item, f"exclusions[{i}].key"),
            check=reader.string(item, f"exclusions[{i}].check"),
            text=reader.string(item, f"exclusions[{i}].text"),
        )
        for i, item in enumerate(data.get("exclusions", []))
    )
    if tuple(e.key for e in exclusions) != EXCLUSION_KEYS or [e.number for e in exclusions] != list(range(1, 11)):
        raise reader.error("exclusions", "must be the ten exclusions 1-10 in the policy's order, with the contract's keys")
    products = []
    for line, body in reader.table(data, "lines").items():
        products += _line_products(reader, line, body)
    return Policy(
        name=reader.string(head, "policy.id"),
        version=reader.string(head, "policy.version"),
        source=reader.string(head, "policy.source"),
        clauses=clauses,
        exclusions=exclusions,
        catalog=Catalog(products),
    )


def _line_products(reader: "_Reader", line: str, body: dict[str, Any]) -> list[Product]:
    where = f"lines.{line}"
    interface = reader.string(body, f"{where}.interface")
    if interface not in ("SATA", "NVMe"):
        raise reader.error(f"{where}.interface", f"is {interface!r}; expected SATA or NVMe")
    capacities = body.get("capacities_gb")
    if not capacities or not all(isinstance(c, int) and c > 0 for c in capacities):
        raise reader.error(f"{where}.capacities_gb", "must list the capacities in GB as positive whole numbers")
    years = body.get("warranty_years")
    if years is not None and (not isinstance(years, int) or isinstance(years, bool) or years < 1):
        raise reader.error(f"{where}.warranty_years", "must be a whole number of years, 1 or more")
    tbw = body.get("tbw_tb", {})
    if not isinstance(tbw, dict):
        raise reader.error(f"{where}.tbw_tb", "must be a table of capacity in GB = TBW in TB")
    tbw_by_capacity: dict[int, int | float] = {}
    for capacity, figure in tbw.items():
        if not capacity.isdigit() or int(capacity) not in capacities:
            raise reader.error(f"{where}.tbw_tb.{capacity}", "is not one of the line's capacities_gb")
        if isinstance(figure, bool) or not isinstance(figure, (int, float)) or figure <= 0:
            raise reader.error(f"{where}.tbw_tb.{capacity}", "must be a positive number of TB")
        tbw_by_capacity[int(capacity)] = figure
    identity = body.get("identity")
    if identity is not None:
        identity = Identity(
            model_patterns=_patterns(identity.get("model_patterns")),
            controller=identity.get("controller"),
            firmware_patterns=_patterns(identity.get("firmware_patterns")),
            serial_pattern=identity.get("serial_pattern"),
        )
    sources = tuple(body.get("sources", ()))
    unsourced = tuple(body.get("unsourced", ()))
    return [
        Product(
            line=line, model=line, capacity_gb=capacity, interface=interface,
            tbw_tb=tbw_by_capacity.get(capacity), warranty_years=years,
            identity=identity, sources=sources, unsourced=unsourced,
        )
        for capacity in capacities
    ]


def _patterns(value: Any) -> tuple[str, ...] | None:
    return tuple(value) if value else None


class _Reader:
    """Typed access to the TOML document; every complaint names the file and the key."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def error(self, key: str, problem: str) -> PolicyFileError:
        return PolicyFileError(f"{self.origin}: {key} {problem}")

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            raise self.error(key, "is missing or not a table")
        return value

    def string(self, data: dict[str, Any], dotted: str) -> str:
        value = data.get(dotted.rsplit(".", 1)[-1])
        if not isinstance(value, str) or not value.strip():
            raise self.error(dotted, "is missing or not a text")
        return value

    def integer(self, data: dict[str, Any], dotted: str) -> int:
        value = data.get(dotted.rsplit(".", 1)[-1])
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(dotted, "is missing or not a whole number")
        return value
