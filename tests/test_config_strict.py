"""The station configuration is read strictly: a typo is refused naming it, never ignored
(issue 13, 6); `workbench config check` shows each setting and where it comes from (with a
station file too, and real users: tests/test_authority_users.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from workbench.config import SYSTEM_CONFIG, load_config
from workbench.errors import ConfigError


def check(path, **env):
    environment = {**os.environ, "WORKBENCH_CONFIG": str(path), **env}
    environment.pop("WORKBENCH_DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "workbench", "config", "check"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


@pytest.mark.parametrize(
    "text, message",
    [
        (
            '[databse]\nurl = "sqlite:////srv/cases.db"\n',
            "databse: is not a table of the station configuration: did you mean 'database'?",
        ),
        (
            '[station]\nid = "SZ01"\nsupervisor = ["mei"]\n',
            "station.supervisor: is not a setting of [station]: did you mean 'supervisors'?",
        ),
        ('[printer]\nknd = "cups"\n', "printer.knd: is not a setting of [printer]: did you mean 'kind'?"),
        ("[shop]\nopen = true\n", "shop: is not a table of the station configuration ("),
    ],
)
def test_a_typo_is_refused_naming_it(tmp_path, text, message):
    path = tmp_path / "workbench.toml"
    path.write_text(text)
    with pytest.raises(
        ConfigError, match="^" + message.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(").replace("?", r"\?")
    ):
        load_config(path)
    done = check(path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and message in done.stderr


def test_check_shows_each_setting_and_its_source(tmp_path):
    if SYSTEM_CONFIG.exists():
        pytest.skip(f"this machine has a station file {SYSTEM_CONFIG}")
    path = tmp_path / "workbench.toml"
    path.write_text(
        '[station]\nid = "SZ01"\nsupervisors = ["mei"]\n[printer]\nkind = "cups"\n[ticket.trusted_keys]\nBJ02 = "abc"\n'
    )
    done = check(path, WORKBENCH_DATABASE_URL=f"sqlite:///{tmp_path}/cases.db")
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()[1:] if line.startswith("  ")}
    assert lines["station.id"].split()[1] == "SZ01" and lines["station.id"].endswith(f"(user file {path})")
    assert lines["station.name"].endswith("(default)")
    assert lines["database.url"].endswith("(WORKBENCH_DATABASE_URL)")
    assert "cups" in lines["printer.kind"] and lines["printer.kind"].endswith(f"(user file {path})")
    assert lines["ticket.key_file"].split()[1] == f"{tmp_path}/station-ticket-key.pem"
    # Authority is not the user's file's to give: the embedded defaults, and the attempt named.
    assert lines["station.supervisors"].split()[1] == "-"
    assert lines["station.supervisors"].endswith(f"(embedded default; ignored in {path})")
    assert lines["ticket.trusted_keys"].endswith(f"(embedded default; ignored in {path})")
    assert lines["station.supervisor_group"].endswith("(embedded default)")
    assert done.stdout.startswith(
        f"station file: none ({SYSTEM_CONFIG}): authority is the embedded defaults\n"
        f"user file: {path} ($WORKBENCH_CONFIG; anything but authority)\n"
        f"ignored: {path}: [station] supervisors, [ticket] trusted_keys ignored: "
    )
    assert done.stderr == ""  # config check says it in its report, not twice
