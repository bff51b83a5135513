"""The replica brought back: one sync now (backup), and a restore into a new file, checked
before anyone uses it (integrity, the schema's revision, the audit chain)."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench.config import StationConfig
from workbench.errors import WorkbenchError
from workbench.replica.litestream import (
    ReplicaSettings,
    ask_service,
    required,
    run_litestream,
    running_control,
    station_time,
)
from workbench.words.language import _, say


@dataclass(frozen=True)
class Held:
    """What a database file holds: what `backup` confirms and `restore` reports."""

    cases: int
    last_case: str | None
    last_entry: int
    last_action: str
    anchor: str
    last_commit_at: datetime | None

    def lines(self, zone: Any) -> list[str]:
        when = self.last_commit_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z") if self.last_commit_at else "-"
        return [
            _("cases: {count}").format(count=self.cases),
            _("last case: {case}").format(case=self.last_case or "-"),
            _("last audit entry: {entry} ({action}), anchor {anchor}").format(
                entry=self.last_entry, action=self.last_action, anchor=self.anchor
            ),
            _("last commit: {when}").format(when=when),
        ]


def held(path: Path) -> Held:
    """Read from `path` (read-only: nothing written)."""
    from db.audit import anchor_of

    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cases = connection.execute("SELECT count(*) FROM case_record").fetchone()[0]
        last_case = connection.execute("SELECT number FROM case_record ORDER BY id DESC LIMIT 1").fetchone()
        entry = connection.execute("SELECT id, action, at, hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.Error as exc:
        raise WorkbenchError(
            _("{path} is not the workbench's case database ({error})").format(path=path, error=exc)
        ) from None
    finally:
        connection.close()
    if entry is None:
        return Held(cases, None, 0, "-", "-", None)
    return Held(
        cases,
        last_case[0] if last_case else None,
        entry[0],
        entry[1],
        anchor_of(entry[0], entry[3]),
        station_time(entry[2]),
    )


def _replica_txid(settings: ReplicaSettings) -> int:
    """The newest transaction the replica itself holds (its files listed, every level)."""
    files = json.loads(run_litestream(settings, "ltx", "-json", "-level", "all", str(settings.database)) or "[]")
    return max((int(f["max_txid"], 16) for f in files), default=0)


def backup(config: StationConfig) -> list[str]:
    """Sync the replica now; the lines saying what it holds. WorkbenchError unless the replica
    holds the station's last commit."""
    settings = required(config)
    before = held(settings.database)  # the last commit, before the sync starts
    control = running_control(settings)
    if control is not None:
        synced = ask_service(
            control, "POST", "/sync", {"path": str(settings.database), "wait": True, "timeout": 120}, 130
        )
        txid = int(synced.get("txid", 0))
    else:
        run_litestream(settings, "replicate", "-once")
        status = json.loads(run_litestream(settings, "status", "-json", str(settings.database)))
        txid = int(status[0]["local_txid"], 16)
    holds = _replica_txid(settings)
    if holds < txid:
        raise WorkbenchError(
            _(
                "the replica holds transaction {held} and the station is at {txid}: it does not hold the last commit"
            ).format(held=holds, txid=txid)
        )
    if control is not None:
        line = _("the replica {url} holds the last commit (through `workbench replicate`; transaction {txid}):")
    else:
        line = _("the replica {url} holds the last commit (by a sync of its own; transaction {txid}):")
    return [line.format(url=settings.url, txid=txid), *before.lines(config.time_zone)]


def restore(config: StationConfig, output: Path, at: datetime | None = None) -> list[str]:
    """The replica (as it was at `at`, else its latest) restored to `output`, a new file, and
    checked before it is put there; the lines saying what it holds."""
    settings = required(config)
    output = Path(os.path.abspath(output))
    live = settings.database
    if output == Path(os.path.abspath(live)) or (output.exists() and live.exists() and output.samefile(live)):
        raise WorkbenchError(
            _(
                "{path} is the station's live database: restore to another path, then stop the workbench and "
                "move the checked file into place (docs/replication.md)"
            ).format(path=output)
        )
    for taken in (output, output.with_name(output.name + "-wal")):
        if taken.exists() or taken.is_symlink():
            raise WorkbenchError(
                _("{path} exists: a restore never writes over a file; name a new one").format(path=taken)
            )
    if not output.parent.is_dir():
        raise WorkbenchError(_("{path} is not a folder").format(path=output.parent))
    scratch = output.with_name(f".{output.name}.restoring-{os.getpid()}")
    arguments = ["restore", "-o", str(scratch)]
    if at is not None:
        arguments += ["-timestamp", at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")]
    try:
        run_litestream(settings, *arguments, str(settings.database), timeout=3600)
        found = check_restored(scratch, config)
        os.link(scratch, output)  # fails, rather than replace, if the name was taken meanwhile
    except FileExistsError:
        raise WorkbenchError(
            _("{path} appeared during the restore: nothing was written over it").format(path=output)
        ) from None
    finally:
        for leftover in (scratch, *(scratch.with_name(scratch.name + s) for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
    if at is not None:
        line = _(
            "restored {url} as it was at {when} to {path}, checked: integrity ok, schema current, audit chain intact"
        ).format(url=settings.url, when=at.isoformat(timespec="seconds"), path=output)
    else:
        line = _("restored {url} to {path}, checked: integrity ok, schema current, audit chain intact").format(
            url=settings.url, path=output
        )
    return [line, *found.lines(config.time_zone)]


def check_restored(path: Path, config: StationConfig) -> Held:
    """Everything a restored file must pass before anyone uses it: SQLite's integrity check, the
    schema's revision (this workbench's), and the audit chain bound to the records."""
    from db.connection import make_engine
    from db.migrate import current_revision, head_revision
    from db.store import CaseStore

    connection = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise WorkbenchError(_("the restored file is not a database ({error})").format(error=exc)) from None
    finally:
        connection.close()
    if verdict != [("ok",)]:
        raise WorkbenchError(
            _("the restored file fails SQLite's integrity check: {problem}").format(problem=verdict[0][0])
        )
    engine = make_engine(f"sqlite:///{path}", read_only=True)
    try:
        revision = current_revision(engine)
        if revision != head_revision():
            raise WorkbenchError(
                _(
                    "the restored file's schema is at revision {revision}, this workbench's at {head}: "
                    "open it with the workbench that wrote it"
                ).format(revision=revision, head=head_revision())
            )
        report = CaseStore(engine, station_id=config.station_id, technician=config.technician).verify_audit()
    finally:
        engine.dispose()
    if not report.intact:
        raise WorkbenchError(
            _("the restored file's audit chain is BROKEN at entry {entry}: {problem}").format(
                entry=report.broken_at, problem=say(report.problem)
            )
        )
    return held(path)
