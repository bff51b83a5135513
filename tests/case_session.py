"""One technician's session on a claim, as a process of its own: it reads one JSON command a line
on standard input and answers each with one JSON line, so a test can interleave two real
sessions on the same case (issue 21: two sessions, one case).

    {"do": "resume", "number": "SZ01-2026-000001"}
    {"do": "update", "fields": {"serial": "..."}}     then {"do": "save", "step": "decision"}
    {"do": "inspect", "found": ["sticker_removed"]}
    {"do": "read"} · {"do": "counterfeit"} · {"do": "unreadable"}
    {"do": "decide"} · {"do": "request", "verdict": "covered", "reason": "..."}
    {"do": "withdraw", "reason": "..."}

An answer is {"ok": ...} or {"error": "<the one line>", "stale": true|false}.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from tests.as_station import read_as_station
from workbench.door.case_flow import CaseFlow, Override, Station
from workbench.errors import ONE_LINE_ERRORS, StaleCase


def main() -> None:
    station = Station(read_as_station())  # the bench's file, as the station's own
    flow: CaseFlow | None = None
    for line in sys.stdin:
        command = json.loads(line)
        try:
            flow, answer = run(station, flow, command)
            reply: dict[str, Any] = {"ok": answer}
        except ONE_LINE_ERRORS as exc:
            reply = {"error": str(exc), "stale": isinstance(exc, StaleCase)}
        print(json.dumps(reply), flush=True)


def run(station: Station, flow: CaseFlow | None, command: dict[str, Any]) -> tuple[CaseFlow | None, Any]:
    do = command["do"]
    if do == "resume":
        return station.resume(command["number"]), None
    assert flow is not None, "resume a case first"
    if do == "update":
        flow.update(**command["fields"])
        flow.save(command.get("step"))
    elif do == "save":
        flow.save(command["step"])
    elif do == "inspect":
        found = set(command["found"])
        flow.record_inspection([(e.key, e.key in found, "") for e in station.exclusions()])
    elif do == "read":
        flow.record_smart(station.read_drive("/dev/nvme0"))
    elif do == "unreadable":
        flow.record_unreadable("the connector is burnt")
    elif do == "counterfeit":
        flow.record_counterfeit(flow.counterfeit_findings(), not_genuine=False, note="")
    elif do == "decide":
        decision = flow.decide()
        flow.record_decision(decision)
        return flow, decision.verdict
    elif do == "request":
        flow.record_decision(flow.decide(), request=Override(command["verdict"], command["reason"]))
    elif do == "withdraw":
        flow.withdraw(command["reason"])
    else:
        raise ValueError(f"unknown command {do!r}")
    return flow, None


if __name__ == "__main__":
    main()
