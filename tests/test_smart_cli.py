"""`workbench smart list|read`: output, exit codes, one-line errors, recording a bench."""

import json
import sys

import pytest

from workbench.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_the_demo_bench(capsys):
    code, out, err = run(capsys, "smart", "list", "--replay", "demo")
    assert code == 0 and err == ""
    assert "/dev/sdf     sntrealtek   /dev/sdf [USB NVMe Realtek], NVMe device" in out.splitlines()


def test_list_without_permission_explains(capsys):
    code, out, err = run(capsys, "smart", "list", "--replay", "no-permission")
    assert code == 0
    assert "cannot open: Permission denied" in out
    assert "deploy/sudoers.d/netac-workbench" in err


def test_read_json_is_the_readout(capsys):
    code, out, _ = run(capsys, "smart", "read", "/dev/nvme0", "--replay", "demo", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["host_bytes_written"] == 38_117_093 * 512_000
    assert data["serial"] == "RN202406182TB104233"


def test_read_shows_the_basis_of_the_tbw_figure(capsys):
    code, out, _ = run(capsys, "smart", "read", "/dev/sdb", "--replay", "demo")
    assert code == 0
    assert "Host bytes written  9,890,235,940,864 bytes (9.890 TB)" in out
    assert "Maxio based SSDs (variant 3)" in out


@pytest.mark.parametrize(
    "device, message",
    [
        ("/dev/sdz", "workbench: no drive at /dev/sdz"),
        ("/dev/sdg", "workbench: the drive at /dev/sdg does not answer"),
        ("/dev/nvme2", "workbench: smartctl's output for /dev/nvme2 could not be read"),
    ],
)
def test_read_failures_are_one_line(capsys, device, message):
    code, out, err = run(capsys, "smart", "read", device, "--replay", "demo")
    assert code == 3 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_bad_type_names_the_option(capsys):
    code, _, err = run(capsys, "smart", "read", "/dev/sda", "--type", "sat; reboot", "--replay", "demo")
    assert code == 2
    assert err.startswith("workbench: --type: 'sat; reboot' is not a smartctl device type")


def test_unknown_replay_set_lists_the_bundled_ones(capsys):
    code, _, err = run(capsys, "smart", "list", "--replay", "nowhere")
    assert code == 3
    assert "bundled sets: demo, no-permission" in err


def test_record_a_bench_then_replay_it(capsys, tmp_path, monkeypatch):
    fake = tmp_path / "smartctl"
    fake.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m workbench.inspection.fake_smartctl demo "$@"\n')
    fake.chmod(0o755)
    config = tmp_path / "workbench.toml"
    config.write_text(f'[smart]\nsmartctl = "{fake}"\n')
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    recorded = tmp_path / "station-bench"
    assert run(capsys, "smart", "list", "--record", str(recorded))[0] == 0
    code, live, _ = run(capsys, "smart", "read", "/dev/sda", "--record", str(recorded), "--json")
    assert code == 0
    code, replayed, _ = run(capsys, "smart", "read", "/dev/sda", "--replay", str(recorded), "--json")
    assert code == 0
    strip = lambda out: {k: v for k, v in json.loads(out).items() if k != "calls"}  # noqa: E731
    assert strip(replayed) == strip(live)
    assert (recorded / "scan_open.txt").read_bytes().startswith(b"/dev/sda -d sat")
