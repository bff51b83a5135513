"""The live reader: smartctl as a real child process, with its timeout, sudo and errors.

The child is the recording-backed stand-in (workbench.inspection.fake_smartctl), so these
run without drives; smartctl itself is exercised in test_smart_live_smartctl below.
"""

import sys
from pathlib import Path

import pytest

from workbench.config import load_config
from workbench.errors import ConfigError
from workbench.inspection.errors import (
    DriveAbsent,
    SmartctlFailed,
    SmartctlMissing,
    SmartPermissionDenied,
    SmartTimeout,
)
from workbench.inspection.smart import list_drives, read_drive
from workbench.inspection.smartctl import DEFAULT_SMARTCTL, LiveSmartctl, ReplaySmartctl, reader_from_config


def write_program(path: Path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def fake_smartctl(tmp_path):
    return write_program(
        tmp_path / "smartctl",
        f'exec "{sys.executable}" -m workbench.inspection.fake_smartctl demo "$@"\n',
    )


def test_live_read_matches_the_replay(fake_smartctl):
    live = read_drive(LiveSmartctl(fake_smartctl), "/dev/nvme0")
    replayed = read_drive(ReplaySmartctl("demo"), "/dev/nvme0")
    assert live.host_bytes_written == replayed.host_bytes_written == 38_117_093 * 512_000
    assert live.calls[0].stdout == replayed.calls[0].stdout
    assert [d.device for d in list_drives(LiveSmartctl(fake_smartctl))][:2] == ["/dev/sda", "/dev/sdb"]


def test_live_exit_status_is_kept_and_used(fake_smartctl):
    with pytest.raises(DriveAbsent):
        read_drive(LiveSmartctl(fake_smartctl), "/dev/sdz")
    readout = read_drive(LiveSmartctl(fake_smartctl), "/dev/sde", device_type="sat")
    assert readout.calls[0].exit_status == 24
    assert readout.health == "FAILED"


def test_live_timeout_stops_a_hung_smartctl(fake_smartctl):
    # The recording of /dev/sdh takes 61 s; the reader gives up after its timeout.
    with pytest.raises(SmartTimeout, match="/dev/sdh within 0.5 s"):
        read_drive(LiveSmartctl(fake_smartctl), "/dev/sdh", timeout=0.5)


def test_rejected_command_line(tmp_path):
    program = write_program(tmp_path / "smartctl", 'echo "=======> UNRECOGNIZED OPTION: -d"; exit 1\n')
    with pytest.raises(SmartctlFailed, match="rejected the request for /dev/nvme0: =======> UNRECOGNIZED"):
        read_drive(LiveSmartctl(program), "/dev/nvme0")


def test_missing_smartctl(tmp_path):
    with pytest.raises(SmartctlMissing, match=f"smartctl not found at {tmp_path}/nowhere/smartctl"):
        read_drive(LiveSmartctl(str(tmp_path / "nowhere" / "smartctl")), "/dev/nvme0")


def test_sudo_without_the_rule_is_permission_denied(tmp_path, monkeypatch, fake_smartctl):
    # sudo -n without a NOPASSWD rule fails at once instead of prompting.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    write_program(bin_dir / "sudo", 'echo "sudo: a password is required" >&2; exit 1\n')
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    with pytest.raises(SmartPermissionDenied, match="sudo: a password is required.*sudoers"):
        read_drive(LiveSmartctl(fake_smartctl, use_sudo=True), "/dev/nvme0")


def test_sudo_command_line_is_the_one_the_sudoers_rule_allows():
    reader = LiveSmartctl("/usr/sbin/smartctl", use_sudo=True)
    assert reader.command(["-d", "nvme", "--all", "/dev/nvme0"]) == [
        "sudo",
        "-n",
        "--",
        "/usr/sbin/smartctl",
        "-d",
        "nvme",
        "--all",
        "/dev/nvme0",
    ]


def test_config_smart_table(tmp_path):
    config_file = tmp_path / "workbench.toml"
    config_file.write_text('[smart]\nsmartctl = "/opt/sm/smartctl"\nuse_sudo = true\ntimeout = 12\n')
    reader, timeout = reader_from_config(load_config(config_file))
    assert (reader.path, reader.use_sudo, timeout) == ("/opt/sm/smartctl", True, 12.0)
    config_file.write_text("[smart]\ntimeout = 0\n")
    with pytest.raises(ConfigError, match="smart.timeout"):
        reader_from_config(load_config(config_file))
    config_file.write_text('[smart]\nsmartctl = "smartctl"\nuse_sudo = true\n')
    with pytest.raises(ConfigError, match="smart.smartctl: must be an absolute path"):
        reader_from_config(load_config(config_file))


@pytest.mark.parametrize(
    "device, device_type",
    [("/dev/nvme97", None), ("/dev/sdzz", None), ("/dev/sdzz", "sat"), ("/dev/sdzz", "sntrealtek")],
)
def test_real_smartctl_accepts_our_command_lines(device, device_type):
    # The real smartctl (Debian smartmontools, installed by ./bench test) on nodes that do
    # not exist: it must parse each command line we build (else exit bit 0, SmartctlFailed)
    # and report the missing device.
    with pytest.raises(DriveAbsent, match=f"no drive at {device}"):
        read_drive(LiveSmartctl(DEFAULT_SMARTCTL), device, device_type=device_type)
