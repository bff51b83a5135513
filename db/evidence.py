"""Evidence gathered before the decision."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from db import clock
from db.audit_rows import finding_digest, sha256_text
from db.errors import StoreError
from db.lifecycle import Seen
from db.models import (
    CounterfeitFinding,
    DiagnosisTest,
    InspectionItem,
    SmartSnapshot,
    row_id,
)
from db.records import Records, sha256_hex
from policy.message import Message

DIAGNOSIS_TESTS = ("self_test", "read_test")


class EvidenceRecords(Records):
    """What the station gathered on a case before its decision: inspection, SMART readouts, the
    diagnosis's tests, the counterfeit checks' findings."""

    def record_inspection(
        self, number: str, items: Iterable[tuple[str, bool, str]], *, seen: Seen | None = None
    ) -> None:
        items = [(key, bool(found), note or "") for key, found, note in items]

        def work(session: Session) -> None:
            case = self._case_taking(session, number, Message("the inspection"), seen)
            now = clock.utcnow()
            existing = {i.key: i for i in session.exec(select(InspectionItem).where(InspectionItem.case_id == case.id))}
            for key, found, note in items:
                item = existing.get(key) or InspectionItem(
                    case_id=row_id(case), key=key, finding=found, note=note, recorded_at=now
                )
                item.finding, item.note, item.recorded_at = found, note, now
                session.add(item)
            self._touch(case, session)
            self._audit(
                session,
                number,
                "inspection_recorded",
                {"items": [{"key": k, "finding": f, "note": n} for k, f, n in items]},
            )

        self._write(Message("record the inspection"), work)

    def record_smart(self, number: str, readout: dict[str, Any], raw_output: bytes, *, seen: Seen | None = None) -> int:
        def work(session: Session) -> int:
            case = self._case_taking(session, number, Message("the SMART readout"), seen)
            snapshot = SmartSnapshot(
                case_id=row_id(case),
                taken_at=clock.utcnow(),
                device=str(readout.get("device") or ""),
                readout=json.dumps(readout, sort_keys=True, default=str),
                raw_output=bytes(raw_output),
                host_bytes_written=readout.get("host_bytes_written"),
            )
            session.add(snapshot)
            session.flush()
            self._touch(case, session)
            self._audit(
                session,
                number,
                "smart_recorded",
                {
                    "snapshot": snapshot.id,
                    "device": snapshot.device,
                    "serial": readout.get("serial"),
                    "host_bytes_written": snapshot.host_bytes_written,
                    "raw_output_sha256": sha256_hex(raw_output),
                    "readout_sha256": sha256_text(snapshot.readout),
                },
            )
            return row_id(snapshot)

        return self._write(Message("record the SMART readout"), work)

    def set_aside_readouts(self, number: str, reason: str, *, seen: Seen | None = None) -> list[int]:
        """The technician found the drive unreadable: earlier readouts of the case stay as
        evidence, set aside (who, why) so that nothing decides on them."""

        def work(session: Session) -> list[int]:
            case = self._case_taking(session, number, Message("setting the readouts aside"), seen)
            ids = [row_id(s) for s in session.exec(select(SmartSnapshot).where(SmartSnapshot.case_id == case.id))]
            self._touch(case, session)
            self._audit(session, number, "smart_set_aside", {"snapshots": ids, "reason": reason})
            return ids

        return self._write(Message("set the readouts aside"), work)

    def record_diagnosis_test(
        self,
        number: str,
        kind: str,
        device: str,
        outcome: str,
        result: dict[str, Any],
        raw_output: bytes = b"",
        *,
        seen: Seen | None = None,
    ) -> int:
        """A test run on the claimed drive (`kind` "self_test" or "read_test"), with what it found
        and smartctl's own output as evidence. Returns the test's id."""
        if kind not in DIAGNOSIS_TESTS:
            raise StoreError(
                Message(
                    "diagnosis test: {kind} is not one of {kinds}", kind=repr(kind), kinds=", ".join(DIAGNOSIS_TESTS)
                )
            )

        def work(session: Session) -> int:
            case = self._case_taking(session, number, Message("the diagnosis"), seen)
            test = DiagnosisTest(
                case_id=row_id(case),
                recorded_at=clock.utcnow(),
                kind=kind,
                device=device,
                outcome=outcome,
                result=json.dumps(result, sort_keys=True, default=str),
                raw_output=bytes(raw_output),
            )
            session.add(test)
            session.flush()
            self._touch(case, session)
            self._audit(
                session,
                number,
                "diagnosis_test_recorded",
                {
                    "test": test.id,
                    "kind": kind,
                    "device": device,
                    "outcome": outcome,
                    "result_sha256": sha256_hex(test.result.encode()),
                    "raw_output_sha256": sha256_hex(raw_output),
                },
            )
            return row_id(test)

        return self._write(Message("record the diagnosis test"), work)

    def record_findings(self, number: str, findings: Sequence[dict[str, Any]], *, seen: Seen | None = None) -> None:
        """A run of the counterfeit checks (check, severity, message, evidence, confirmed)."""

        def work(session: Session) -> None:
            case = self._case_taking(session, number, Message("the counterfeit findings"), seen)
            batch = (
                session.exec(
                    select(func.max(CounterfeitFinding.batch)).where(CounterfeitFinding.case_id == case.id)
                ).one()
                or 0
            ) + 1
            now = clock.utcnow()
            rows = [
                CounterfeitFinding(
                    case_id=row_id(case),
                    batch=batch,
                    check=f["check"],
                    severity=f["severity"],
                    message=f["message"],
                    evidence=json.dumps(f.get("evidence") or {}, sort_keys=True, default=str),
                    confirmed=f.get("confirmed"),
                    recorded_at=now,
                    said=json.dumps(f.get("said") or {}, sort_keys=True, default=str),
                )
                for f in findings
            ]
            session.add_all(rows)
            self._touch(case, session)
            self._audit(
                session,
                number,
                "findings_recorded",
                {
                    "batch": batch,
                    "findings": [
                        {"check": r.check, "severity": r.severity, "confirmed": r.confirmed, "row": finding_digest(r)}
                        for r in rows
                    ],
                },
            )

        self._write(Message("record the counterfeit findings"), work)
