"""The station's policy at the counter: its catalog and clauses, and what a supervisor changes in
the station copy (a missing figure from Netac's table, a line's identity learnt from a genuine
drive), each checked, written whole and audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from policy import Policy, canonical_serial
from workbench.errors import InputError, WorkbenchError
from workbench.words.language import N_, _, ngettext, say, shown_number

if TYPE_CHECKING:
    from policy import Clause, Exclusion
    from policy.line_identity import IdentityFact
    from workbench.inspection.smart import SmartReadout


from workbench.door import counter_date
from workbench.door.station import StationCore

# What the audit keeps of the genuine drive a line's identity was taught from.
_DRIVE_WORDS = (
    "device",
    "model",
    "serial",
    "firmware",
    "capacity_bytes",
    "controller",
    "family",
    "pci_vendor_id",
    "pci_subsystem_vendor_id",
)


class StationPolicy(StationCore):
    """What the counter reads of the policy, and what a supervisor changes in the station copy."""

    def catalog_lines(self) -> list[str]:
        return self.policy.catalog.lines()

    def exclusions(self) -> tuple[Exclusion, ...]:
        return tuple(self.policy.exclusions)

    def policy_lines(self) -> list[str]:
        """The policy in use, for the read-only policy screen (the same as `workbench policy show`)."""
        from workbench.words.policy_text import policy_lines

        return policy_lines(self.policy)

    def enter_figure(self, line: str, capacity_gb: str, tbw_tb: str, warranty_years: str, source: str) -> list[str]:
        """A supervisor enters a figure from Netac's current table at the counter: it joins the
        station copy's earlier entries, the copy is checked as it will be loaded, written whole
        and audited, and claims are decided under it from now on. Returns what it changed."""
        from policy.station_copy import figure_row, station_copy, station_rows, with_row

        self.require_supervisor(N_("enter a figure into the station's policy"))
        cell = {"line": line, "capacity_gb": capacity_gb, "tbw_tb": tbw_tb, "warranty_years": warranty_years}

        def change(base: str, origin: str) -> tuple[str, Policy]:
            rows = with_row(station_rows(base), figure_row(self.policy, {**cell, "source": source}))
            return station_copy(
                base, rows, f"entered at the counter by {self.technician} on {counter_date.today().isoformat()}", origin
            )

        return self._change_station_copy(change, N_("a missing figure"), figures=1)

    def identity_proposals(self, line: str, readout: SmartReadout) -> tuple[str, list[IdentityFact]]:
        """What a drive known genuine (from Netac's stock, a sealed retail box) proposes for the
        identity of `line`: the facts the line has not on record, from the drive's readout, for a
        supervisor to confirm each with its source (teach_identity). Returns the line's name in
        the catalog and the proposals; InputError when the line is not in the catalog, the drive
        is none of its capacities, or the line's identity is all on record."""
        from policy.line_identity import propose

        name = self._genuine_drive_line(line, readout)
        proposed = propose(
            readout.model,
            readout.firmware,
            readout.controller or readout.family,
            readout.pci_vendor_id,
            readout.pci_subsystem_vendor_id,
            readout.serial,
        )
        missing = self.identity_missing(name)
        if not missing:
            raise InputError(_("line"), _("{line}'s identity is all on record: nothing to teach").format(line=name))
        return name, [fact for fact in proposed if fact.fact in missing]

    def teach_identity(self, line: str, readout: SmartReadout, facts: list[IdentityFact]) -> list[str]:
        """A supervisor teaches `line` the identity facts confirmed from a drive known genuine
        (`readout`), each with its source: each must fit what the drive reports and be one the
        line has not on record. The station copy records them ([station_identity], which the next
        import keeps), checked as it will be loaded, written whole and audited with the drive's
        own words; the next claim on the line gets the full counterfeit checks. Returns what it
        changed."""
        from dataclasses import replace

        from policy.line_identity import FACT_NAMES, teach

        self.require_supervisor(N_("teach a product line its identity"))
        self._refuse_on_chain(N_("a line's identity"))
        name = self._genuine_drive_line(line, readout)
        reads = {
            "model_patterns": readout.model,
            "firmware_patterns": readout.firmware,
            "controller": readout.controller or readout.family,
            "serial_pattern": canonical_serial(readout.serial or ""),
        }
        missing = self.identity_missing(name)
        for fact in facts:
            if fact.fact in FACT_NAMES and fact.fact not in missing:
                raise InputError(
                    fact.fact,
                    _("{line} has its {fact} on record already").format(line=name, fact=say(FACT_NAMES[fact.fact])),
                )
            if fact.fact in reads and not reads[fact.fact]:
                raise InputError(
                    fact.fact, _("the drive does not show its {fact}").format(fact=say(FACT_NAMES[fact.fact]))
                )
        # What each fact rests on is what the drive reported, whatever the caller says.
        facts = [replace(fact, read=reads.get(fact.fact) or fact.read) for fact in facts]
        note = f"taught at the counter by {self.technician} on {counter_date.today().isoformat()}"
        drive = {key: getattr(readout, key) for key in _DRIVE_WORDS}
        return self._change_station_copy(
            lambda base, origin: teach(base, name, facts, note, origin),
            N_("a line's identity"),
            figures=0,
            identity={"line": name, "facts": {f.fact: {"value": f.value, "source": f.source} for f in facts}},
            drive=drive,
        )

    def _genuine_drive_line(self, line: str, readout: SmartReadout) -> str:
        """The catalog's name of `line`, when the drive is one of its capacities."""
        from policy import normalise_model
        from workbench.inspection.counterfeit import CAPACITY_MATCH
        from workbench.words.text import strip_control

        lines = {normalise_model(name): name for name in self.catalog_lines()}
        name = lines.get(normalise_model(line))
        if name is None:
            raise InputError(
                _("line"),
                _("{line} is not a line of the catalog ({lines})").format(
                    line=repr(strip_control(line)[:40]), lines=", ".join(lines.values())
                ),
            )
        capacities = self.policy.catalog.capacities(name)
        size = readout.capacity_bytes or 0
        if not any(CAPACITY_MATCH[0] <= size / (gb * 1e9) <= CAPACITY_MATCH[1] for gb in capacities):
            raise InputError(
                _("drive"),
                _(
                    "{device} reports {size} GB, none of {line}'s capacities "
                    "({capacities} GB): is it a drive of that line?"
                ).format(
                    device=readout.device,
                    size=shown_number(size / 1e9, 1),
                    line=name,
                    capacities=", ".join(str(gb) for gb in capacities),
                ),
            )
        return name

    def _refuse_on_chain(self, what: str) -> None:
        """`what`: the change refused, in English marked for the catalog (N_)."""
        if self.config.section("policy").get("public_key", str, ""):
            raise WorkbenchError(
                _(
                    "this station decides under its head office's signed policy: {what} "
                    "comes in the head office's next signed file, not from the counter"
                ).format(what=_(what))
            )

    def lines_to_teach(self) -> list[str]:
        """The lines whose identity is not all on record: their counterfeit checks ask for a look by hand."""
        return [line for line in self.catalog_lines() if self.identity_missing(line)]

    def identity_missing(self, line: str) -> tuple[str, ...]:
        """The identity facts `line` (the catalog's name) has not on record."""
        from policy import Identity

        product = next(p for p in self.policy.catalog.products if p.line == line)
        return (product.identity or Identity()).missing()

    def _change_station_copy(
        self, change: Callable[[str, str], tuple[str, Policy]], what: str, **audit: Any
    ) -> list[str]:
        """Write the station copy that `change(base text, its path)` makes of the present one (or of
        the bundled policy): `change` checks it as it will be loaded (a PolicyFileError naming the
        field), it is written whole and audited (policy_changed, with `audit`), and claims are
        decided under it from now on. Returns what it changed."""
        from policy import PolicyFileError, bundled_bytes
        from policy.station_copy import diff
        from workbench.door.policy_copy import audit_policy_change, write_atomically

        self._refuse_on_chain(what)
        current = self.policy
        target = self.config.policy_target()
        try:
            base = target.read_text(encoding="utf-8") if target.is_file() else bundled_bytes().decode("utf-8")
            content, new = change(base, str(target))
        except PolicyFileError as exc:  # names the field
            raise InputError(*_field_and_problem(exc)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                "policy.file", _("{path}: cannot be read ({reason})").format(path=target, reason=exc)
            ) from None
        changes = diff(current, new)
        write_atomically(target, content, "policy.file")
        audit_policy_change(self.store, target, current.sha256, new.sha256, **audit)
        self._policy = None  # the next decision reads the new copy
        return changes

    def policy_notice(self) -> str:
        """One line for the home screen when the policy sends some products to review for want of
        a sourced figure, or its station copy was refused or is missing; "" when neither."""
        from workbench.words.policy_text import unsourced_products_count

        if self.policy.notice:
            return _("Policy file REFUSED or missing, the last good copy decides: p shows why.")
        waiting = unsourced_products_count(self.policy)
        if not waiting:
            return ""
        return ngettext(
            "{count} products lack a sourced TBW or warranty: claims go to review (p)",
            "{count} products lack a sourced TBW or warranty: claims go to review (p)",
            waiting,
        ).format(count=waiting)

    def clause_ref(self, key: str) -> str:
        return self.clause(key).ref

    def clause(self, key: str) -> Clause:
        return self.policy.clauses[key]


def _field_and_problem(exc: Exception) -> tuple[str, str]:
    """A PolicyFileError's `field: problem` (the field a key of the file, as it is), the problem in
    the session's language."""
    english = str(exc)
    field, _sep, problem = english.partition(": ")
    said = say(exc.args[0]) if exc.args else english
    if said != english:
        problem = said[len(field) :].lstrip(":： ") if said.startswith(field) else said
    return field, problem
