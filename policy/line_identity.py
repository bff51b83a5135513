"""A product line's identity, taught from a drive known genuine. Pure: text in, text out.

No warranty table says what a genuine drive of a line reports (its model string, firmware
family, controller, serial format), and the counterfeit checks need it. A supervisor reads a
drive known genuine (from Netac's stock, or a sealed retail box); `propose` turns what it
reports into the facts a genuine drive of its line shows, the supervisor confirms each with its
source, and `teach` writes them into the station copy's `[station_identity]` table:

    [station_identity."NV7000-Q"]
    model_patterns = { value = ['Netac NVMe SSD \\d+(GB|TB)'], source = "sealed retail unit, receipt 4711" }

in a block of its own, which `workbench policy import` keeps. A fact stands over the line's own.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass

from policy.catalog import IDENTITY_FACTS, normalise_model
from policy.document import Policy, PolicyFileError, not_toml, parse_policy
from policy.message import Message
from policy.serials import canonical_serial
from policy.station_copy import with_block

BLOCK_START = (
    "# --- line identities taught from drives known genuine (`workbench policy teach`); an import keeps them ---"
)
BLOCK_END = "# --- end of taught identities ---"

# The facts in the counter's words (Messages: English as a str, said in the counter's language).
FACT_NAMES = {
    "model_patterns": Message("model string"),
    "firmware_patterns": Message("firmware family"),
    "controller": Message("controller"),
    "serial_pattern": Message("serial format"),
}
_PATTERNS = ("model_patterns", "firmware_patterns", "serial_pattern")
_LISTS = ("model_patterns", "firmware_patterns")  # the policy file holds a list of each


@dataclass(frozen=True)
class IdentityFact:
    fact: str  # one of IDENTITY_FACTS
    value: str  # a full-match regular expression; for the controller, its maker first
    read: str  # what the genuine drive reported, which the value must fit
    source: str = ""  # where the drive comes from, as the supervisor confirms it

    @property
    def name(self) -> Message:
        """The fact in the counter's words (`firmware family`)."""
        return FACT_NAMES[self.fact]


def propose(
    model: str | None,
    firmware: str | None,
    controller: str | None,
    pci_vendor_id: str | None,
    pci_subsystem_vendor_id: str | None,
    serial: str | None,
) -> list[IdentityFact]:
    """What a drive reports, as the facts of its line, for a supervisor to confirm or correct:
    the model string with its capacity left open (`Netac NVMe SSD 2TB` -> `Netac NVMe SSD
    \\d+(GB|TB)`), the firmware's family (`3.S.J.11` -> `3\\.S\\.[A-Z0-9.]+`, `W0713A0` ->
    `W[A-Z0-9]+`), the controller's maker with the PCI ids the bench sees, and the serial's
    shape (`RN202406182TB104233` -> `[A-Z]{2}\\d{9}[A-Z]{2}\\d{6}`). A fact the drive does not
    show is not proposed."""
    out = []
    if model:
        out.append(IdentityFact("model_patterns", _model_pattern(model), model))
    if firmware:
        out.append(IdentityFact("firmware_patterns", _firmware_family(firmware), firmware))
    if controller:
        maker = controller.split(" (")[0].strip()
        ids = ", ".join(
            f"{name} {value}"
            for name, value in (("vendor", pci_vendor_id), ("subsystem", pci_subsystem_vendor_id))
            if value
        )
        out.append(IdentityFact("controller", f"{maker} (PCI {ids})" if ids else maker, controller))
    serial = canonical_serial(serial or "")
    if serial:
        shape = "".join(
            (r"\d" if run[0].isdigit() else "[A-Z]") + (f"{{{len(run)}}}" if len(run) > 1 else "")
            for run in re.findall(r"\d+|[A-Z]+", serial)
        )
        out.append(IdentityFact("serial_pattern", shape, serial))
    return out


def check_fact(fact: IdentityFact) -> None:
    """A fact as confirmed: a known fact, with its source, and a value the genuine drive fits
    (a pattern it matches in full, a controller whose maker it shows). PolicyFileError
    `<fact>: problem` otherwise."""
    if fact.fact not in IDENTITY_FACTS:
        raise PolicyFileError(
            Message("fact: {fact} is not one of {facts}", fact=repr(fact.fact), facts=", ".join(IDENTITY_FACTS))
        )
    if not fact.value.strip():
        raise PolicyFileError(Message("{fact}: is empty", fact=fact.fact))
    if not fact.source.strip():
        raise PolicyFileError(
            Message(
                "{fact}: no source: say where the genuine drive comes from "
                '(e.g. "sealed retail unit, receipt 4711" or "Netac stock, delivery note ...")',
                fact=fact.fact,
            )
        )
    if fact.fact in _PATTERNS:
        try:
            fits = re.fullmatch(fact.value, fact.read, re.IGNORECASE)
        except re.error as exc:
            raise PolicyFileError(
                Message(
                    "{fact}: {value} is not a regular expression ({error})",
                    fact=fact.fact,
                    value=repr(fact.value),
                    error=str(exc),
                )
            ) from None
        if not fits:
            raise PolicyFileError(
                Message(
                    "{fact}: {value} does not fit the genuine drive's {read}",
                    fact=fact.fact,
                    value=repr(fact.value),
                    read=repr(fact.read),
                )
            )
    elif fact.value.split()[0].upper() not in fact.read.upper():
        raise PolicyFileError(
            Message(
                "{fact}: {value} is not the maker the genuine drive shows ({read})",
                fact=fact.fact,
                value=repr(fact.value),
                read=repr(fact.read),
            )
        )


def taught(text: str) -> dict[str, dict[str, tuple[object, str]]]:
    """The identities a station copy's [station_identity] holds: line -> fact -> (value, source)."""
    data = tomllib.loads(text).get("station_identity", {})
    return {
        line: {fact: (entry["value"], entry["source"]) for fact, entry in facts.items()} for line, facts in data.items()
    }


def teach(base_text: str, line: str, facts: list[IdentityFact], note: str, origin: str) -> tuple[str, Policy]:
    """The station copy `base_text` with `facts` taught to `line` (each checked, joining the
    facts taught before): its text, and the policy it is, checked as the workbench will load it."""
    if not facts:
        raise PolicyFileError(Message("facts: none confirmed: nothing to teach"))
    for each in facts:
        check_fact(each)
    try:
        known = taught(base_text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError(not_toml(origin, exc)) from None
    # The line keeps its first spelling; facts taught again replace the earlier ones.
    name = next((k for k in known if normalise_model(k) == normalise_model(line)), line)
    known[name] = known.get(name, {}) | {
        f.fact: ([f.value] if f.fact in _LISTS else f.value, f.source.strip()) for f in facts
    }
    out = [BLOCK_START, f"# {' '.join(note.split())}"]
    for taught_line, entries in known.items():
        out.append(f"[station_identity.{json.dumps(taught_line)}]")
        for fact in IDENTITY_FACTS:
            if fact in entries:
                value, source = entries[fact]
                out.append(
                    f"{fact} = {{ value = {json.dumps(value, ensure_ascii=False)}, "
                    f"source = {json.dumps(source, ensure_ascii=False)} }}"
                )
    out.append(BLOCK_END)
    text = with_block(base_text, BLOCK_START, BLOCK_END, "\n".join(out) + "\n")
    return text, parse_policy(text.encode("utf-8"), origin)


def _model_pattern(model: str) -> str:
    """The model string, exact but for its capacity (`2TB`, `512GB`), which the line's drives vary in."""
    parts = re.split(r"(?<![A-Za-z0-9])(\d+(?:GB|TB))(?![A-Za-z0-9])", model, flags=re.IGNORECASE)
    return "".join(r"\d+(GB|TB)" if i % 2 else _escape(part) for i, part in enumerate(parts))


def _firmware_family(firmware: str) -> str:
    """`3.S.J.11` -> `3\\.S\\.[A-Z0-9.]+` (the first two parts of a dotted version); `W0713A0` ->
    `W[A-Z0-9]+` (its leading letters); else the version itself."""
    parts = firmware.split(".")
    if len(parts) >= 3:
        return _escape(".".join(parts[:2]) + ".") + "[A-Z0-9.]+"
    letters = re.match(r"[A-Za-z]+", firmware)
    if letters and letters.end() < len(firmware):
        return _escape(letters.group()) + "[A-Z0-9]+"
    return _escape(firmware)


def _escape(text: str) -> str:
    return re.escape(text).replace("\\ ", " ")  # spaces need no escape; unescaped they read better
