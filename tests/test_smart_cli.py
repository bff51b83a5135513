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
    assert code == 3  # drives that could not be opened: not a clean list (issue 13, 8)
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


def hostile_bench(tmp_path, edit) -> str:
    """The demo bench copied, with `edit(folder)` making one answer hostile."""
    import shutil

    from workbench.inspection.smartctl import resolve_recording

    folder = tmp_path / "bench"
    shutil.copytree(resolve_recording("demo"), folder)
    edit(folder)
    return str(folder)


ESC_TYPE = "sat,\x1b]52;c;cm0gLXJmIH4=\x07"


def test_a_device_type_from_the_bridge_is_never_used_raw(capsys, tmp_path):
    """Probe L13: `smartctl -d test` answered with escape sequences in its type."""

    def edit(folder):
        test = folder / "sda-test.txt"
        test.write_text(
            test.read_text().replace("Device of type 'sat' [ATA] opened", f"Device of type '{ESC_TYPE}' [ATA] opened")
        )

    code, out, err = run(capsys, "smart", "read", "/dev/sda", "--replay", hostile_bench(tmp_path, edit))
    assert code == 3 and out == "" and err.count("\n") == 1
    assert "did not say which type it opened" in err and "\x1b" not in err and "\x07" not in err


def test_a_counter_past_any_float_still_prints(capsys, tmp_path):
    """Probe L13: a 400-digit Data Units Written (a drive's firmware writes what it likes)."""

    def edit(folder):
        page = folder / "nvme0-all.txt"
        page.write_text(page.read_text().replace("38,117,093 [19.5 TB]", "9" * 400 + " [5.11 ZB]"))

    code, out, err = run(capsys, "smart", "read", "/dev/nvme0", "--replay", hostile_bench(tmp_path, edit))
    assert code == 0, err
    [line] = [line for line in out.splitlines() if line.startswith("Host bytes written")]
    assert line.startswith("Host bytes written  5,119,999,999,999") and line.endswith(" TB)")


def test_a_malformed_recording_is_one_line_naming_the_call(capsys, tmp_path):
    def edit(folder):
        calls = folder / "calls.toml"
        calls.write_text(calls.read_text().replace("exit_status = 2", 'exit_status = "two"', 1))

    code, out, err = run(capsys, "smart", "list", "--replay", hostile_bench(tmp_path, edit))
    assert code == 3 and out == "" and err.count("\n") == 1
    assert "call 3: exit_status must be smartctl's status, a whole number 0-255" in err


def test_raw_output_is_exact_to_a_pipe_and_clean_on_a_terminal(tmp_path):
    """Probe L13: --raw printed the drive's bytes verbatim to the technician's terminal."""
    import os
    import pty
    import subprocess

    def edit(folder):
        page = folder / "nvme0-all.txt"
        page.write_bytes(page.read_bytes().replace(b"Netac NVMe SSD 2TB", b"Netac\x1b[2J\x1b]0;pwned\x07 SSD 2TB"))

    bench = hostile_bench(tmp_path, edit)
    command = [sys.executable, "-m", "workbench", "smart", "read", "/dev/nvme0", "--replay", bench, "--raw"]
    piped = subprocess.run(command, capture_output=True, timeout=60)
    assert piped.returncode == 0 and b"Netac\x1b[2J\x1b]0;pwned\x07 SSD 2TB" in piped.stdout  # byte-exact evidence
    leader, follower = pty.openpty()
    shown = subprocess.run(command, stdout=follower, stderr=follower, timeout=60)
    os.close(follower)
    data = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    os.close(leader)
    assert shown.returncode == 0 and b"SSD 2TB" in data
    assert b"\x1b" not in data and b"\x07" not in data
