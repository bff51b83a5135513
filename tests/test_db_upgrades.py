"""Upgrades that cannot leave a trap (issue 14, 3; probe M6): the backup is SQLite's online
backup, checked before the upgrade starts; no room means no start, saying how much is
needed; a failed or refused backup leaves no .bak file behind."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db.connection import make_engine
from db.migrate import current_revision, upgrade
from tests.db_helpers import sqlite_url


def old_database(path: Path, cases: int = 300) -> None:
    """A station's file at revision 0006, with cases in it."""
    url = sqlite_url(path)
    engine = make_engine(url)
    upgrade(engine, url, target="0006")
    engine.dispose()
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO case_record (number, station, year, seq, status, step, technician, created_at, updated_at, "
            "fields, serial, customer_name, customer_key, model, verdict) VALUES (?, 'SZ01', 2026, ?, 'draft', "
            "'intake', 'ana', '2026-03-01 10:00:00.000000', '2026-03-01 10:00:00.000000', ?, ?, 'Li', 'li', 'NV7000', "
            "NULL)",
            [(f"SZ01-2026-{i:06d}", i, '{"note": "' + "x" * 400 + '"}', f"RN{i}") for i in range(1, cases + 1)],
        )
    with sqlite3.connect(path) as db:  # all of it in the file itself, as after the station's last close
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def cli(path: Path, *args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WORKBENCH_DATABASE_URL": sqlite_url(path), "HOME": str(path.parent)}
    env.pop("WORKBENCH_CONFIG", None)
    return subprocess.run(
        [*prefix, sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=path.parent,
        stdin=subprocess.DEVNULL,
    )


def test_an_upgrade_keeps_a_checked_backup(tmp_path):
    old_database(tmp_path / "cases.db")
    result = cli(tmp_path / "cases.db", "cases", "list")
    assert result.returncode == 0, result.stderr
    [backup] = tmp_path.glob("cases.db.bak-0006-*")
    with sqlite3.connect(backup) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM case_record").fetchone() == (300,)


def test_a_damaged_file_is_not_upgraded_and_leaves_no_backup(tmp_path):
    path = tmp_path / "cases.db"
    old_database(path, cases=2_000)
    with sqlite3.connect(path) as db:  # an index page of the cases, overwritten
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_case_serial'").fetchone()[0]
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size + page_size // 2)
        handle.write(b"\x07" * (page_size // 2))
    result = cli(path, "cases", "list")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "fails SQLite's integrity check" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.glob("*.bak-*")) == []
    assert current_revision(make_engine(sqlite_url(path))) == "0006"  # not touched


SCENARIO = r"""
set -eu
mount -t tmpfs -o size=3m tmpfs "$T/disk"
cp "$T/cases.db" "$T/disk/cases.db"
# Fill the disk to leave about 150 KB beside a 1 MB database.
free=$(df --output=avail -B1 "$T/disk" | tail -1)
fallocate -l $((free - 150000)) "$T/disk/filler" || dd if=/dev/zero of="$T/disk/filler" bs=1 count=0 seek=$((free - 150000)) 2>/dev/null
set +e
WORKBENCH_DATABASE_URL="sqlite:///$T/disk/cases.db" "$PY" -m workbench cases list > "$T/out" 2> "$T/err" < /dev/null
echo $? > "$T/rc"
ls "$T/disk" > "$T/files"
"$PY" -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('select version_num from alembic_version').fetchone()[0])" "$T/disk/cases.db" > "$T/revision"
"""


def test_no_room_for_the_backup_means_no_upgrade_and_says_how_much(tmp_path):
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("a small disk is mounted as root, in a private mount namespace")
    old_database(tmp_path / "cases.db", cases=1_500)
    (tmp_path / "disk").mkdir()
    env = {**os.environ, "T": str(tmp_path), "PY": sys.executable, "HOME": str(tmp_path)}
    env.pop("WORKBENCH_CONFIG", None)
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "bash", "-c", textwrap.dedent(SCENARIO)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if not (tmp_path / "rc").exists():
        pytest.skip(f"no private mount namespace or tmpfs here: {done.stderr.strip()}")
    err = (tmp_path / "err").read_text()
    assert (tmp_path / "rc").read_text().strip() == "1", err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "the backup and the upgrade need about" in err and "MB free beside it and there are" in err
    assert sorted((tmp_path / "files").read_text().split()) == ["cases.db", "filler"]  # no empty .bak
    assert (tmp_path / "revision").read_text().strip() == "0006"
