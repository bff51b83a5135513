"""The workbench over SSH, end to end: a real sshd configured as deploy/setup-ssh-station.sh
configures a station, a real ssh client in a real terminal (tmux, 80x24), keystrokes in."""

from __future__ import annotations

import subprocess

import pytest

from tests.sshd_harness import SETUP_SCRIPT, WORKBENCH, SshStation, Terminal, missing_tools, sshd_path, wait_until

# What the first screen shows whatever it is: the workbench's name and the station id.
FIRST_SCREEN = ("Netac", "E2E")


@pytest.fixture
def station(tmp_path):
    missing = missing_tools()
    if missing:
        pytest.skip(f"OpenSSH/tmux not installed ({', '.join(missing)}): ./bench test installs them")
    running = SshStation(tmp_path).start()
    yield running
    running.stop()


@pytest.fixture
def terminals(station):
    opened: list[Terminal] = []

    def login(*remote: str) -> Terminal:
        terminal = Terminal(station, f"t{len(opened)}", *remote)
        opened.append(terminal)
        return terminal

    yield login
    for terminal in opened:
        terminal.close()


def test_setup_script_config_restricts_technicians(station):
    """What sshd makes of the station snippet for a member of the group."""
    effective = subprocess.run(
        [sshd_path(), "-T", "-f", str(station.sshd_config),
         "-C", f"user={station.user},host=bench,addr=127.0.0.1"],
        check=True, capture_output=True, text=True,
    ).stdout.splitlines()
    for setting in (
        f"forcecommand {WORKBENCH}",
        "permittty yes",
        "allowtcpforwarding no",
        "allowstreamlocalforwarding no",
        "x11forwarding no",
        "allowagentforwarding no",
        "permittunnel no",
        "permituserrc no",
    ):
        assert setting in effective


def test_setup_script_refuses_a_relative_workbench_path():
    result = subprocess.run([str(SETUP_SCRIPT), "print-config", "--workbench", "workbench"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "absolute path" in result.stderr


def test_login_starts_the_workbench_and_quitting_ends_the_session(terminals, station):
    terminal = terminals()
    terminal.wait_for(*FIRST_SCREEN)
    terminal.send("C-q")
    assert wait_until(terminal.client_exited, timeout=15), terminal.screen()
    assert wait_until(lambda: not station.workbench_processes(), timeout=10)


def test_a_login_cannot_run_a_shell_command(terminals, station):
    """ForceCommand: whatever the client asks for, the workbench runs instead."""
    evidence = station.tmp / "the-shell-ran"
    terminal = terminals("sh", "-c", f"'touch {evidence}; exec sh'")
    terminal.wait_for(*FIRST_SCREEN)
    assert not evidence.exists()


def test_forwarding_is_refused(station):
    """`ssh -W` asks sshd for a TCP channel, as -L does; the station snippet refuses it."""
    result = subprocess.run(
        station.ssh_command(tty=False, options=("-W", f"127.0.0.1:{station.port}")),
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )
    assert result.returncode != 0, result.stderr
    assert "stdio forwarding failed" in result.stderr
    assert f"refused local port forward: originator 127.0.0.1 port 65535, target 127.0.0.1 port {station.port}" in station.log()


def test_a_login_without_a_terminal_is_told_to_use_ssh_t(station):
    """`ssh bench id` (no -t), scp, sftp: the workbench says why and ends the session."""
    result = subprocess.run(station.ssh_command("id", tty=False), capture_output=True, text=True,
                            timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert result.stderr.strip() == "workbench: the workbench needs a terminal: run it in one, or connect with `ssh -t`"
    assert "uid=" not in result.stdout
    assert wait_until(lambda: not station.workbench_processes(), timeout=10)


def test_a_dropped_link_hangs_up_the_workbench(terminals, station):
    """The ssh client dies without a goodbye: sshd hangs up on the workbench, which ends."""
    terminal = terminals()
    terminal.wait_for(*FIRST_SCREEN)
    assert station.workbench_processes()
    terminal.drop()
    assert wait_until(lambda: not station.workbench_processes(), timeout=15), "the workbench outlived its session"
