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
        [sshd_path(), "-T", "-f", str(station.sshd_config), "-C", f"user={station.user},host=bench,addr=127.0.0.1"],
        check=True,
        capture_output=True,
        text=True,
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
    result = subprocess.run(
        [str(SETUP_SCRIPT), "print-config", "--workbench", "workbench"], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "absolute path" in result.stderr


def test_login_starts_the_workbench_and_quitting_ends_the_session(terminals, station):
    terminal = terminals()
    terminal.wait_for(*FIRST_SCREEN)
    terminal.send("C-q")
    assert wait_until(terminal.client_exited, timeout=15), terminal.screen()
    assert wait_until(lambda: not station.workbench_processes(), timeout=10)


def test_the_workbench_follows_a_resized_window(terminals):
    terminal = terminals()
    terminal.wait_for("n New claim")
    terminal.resize(100, 30)

    def redrawn() -> bool:
        lines = terminal.screen().splitlines()
        return len(lines) == 30 and lines[-1].rstrip().endswith("palette") and len(lines[-1].rstrip()) > 80

    assert wait_until(redrawn, timeout=15), terminal.screen()


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
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode != 0, result.stderr
    assert "stdio forwarding failed" in result.stderr
    assert (
        f"refused local port forward: originator 127.0.0.1 port 65535, target 127.0.0.1 port {station.port}"
        in station.log()
    )


def test_a_login_without_a_terminal_is_told_to_use_ssh_t(station):
    """`ssh bench id` (no -t), scp, sftp: the workbench says why and ends the session."""
    result = subprocess.run(
        station.ssh_command("id", tty=False), capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
    )
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


SERIAL = "RN202406182TB104233"  # the training bench's Netac NV7000 2TB at /dev/nvme0


def type_intake(terminal: Terminal) -> None:
    """Intake as a technician types it: each field, then Tab; the scanner's Enter after the serial."""
    for value in ("Li Wei", "138 0000 0000", "NV7000", "2000"):
        terminal.type(value)
        terminal.wait_for(value)
        terminal.move_focus()
    terminal.type(SERIAL)
    terminal.wait_for(SERIAL)
    terminal.move_focus("Enter")  # from the serial to the proof-of-purchase switch (on)
    terminal.move_focus()
    for value in ("2025-01-10", "2024-12-01", "Not detected by the BIOS"):
        terminal.type(value)
        terminal.wait_for(value)
        terminal.move_focus()
    terminal.press("Space")  # the customer's data acknowledgement


def test_a_claim_over_ssh_survives_a_dropped_link(terminals, station):
    from db import open_store

    first = terminals()
    first.wait_for("n New claim")
    first.send("n")
    first.wait_for("Step 1/7 · Intake")
    type_intake(first)
    first.send("C-n")
    screen = first.wait_for("Step 2/7 · Physical inspection")
    number = screen.split("Physical inspection · ")[1].split()[0]
    first.press("Space")  # the warranty sticker, first on the list, is torn
    first.move_focus()
    first.type("corner lifted")
    first.wait_for("corner lifted")

    # The link dies mid-case: sshd hangs up on the workbench, which keeps the draft and ends.
    first.drop()
    assert wait_until(lambda: not station.workbench_processes(), timeout=15), "the workbench outlived its session"
    store = open_store(f"sqlite:///{station.database}", station_id="E2E", technician=station.user)
    [draft] = store.list_drafts()
    assert (draft.number, draft.step, draft.technician) == (number, "inspection", station.user)
    fields = store.get_case(number).fields
    assert (fields["serial"], fields["purchase_date"], fields["data_acknowledged"]) == (SERIAL, "2025-01-10", True)
    assert fields["inspection"]["sticker_removed"] is True
    assert fields["inspection_notes"] == {"sticker_removed": "corner lifted"}

    # Logging in again offers the case at the step it was on, with what was typed.
    second = terminals()
    second.wait_for(f"You left {number} at", "r resumes it")
    second.send("r")
    second.wait_for(f"Step 2/7 · Physical inspection · {number}", "corner lifted")
    second.send("C-n")
    second.wait_for("Step 3/7 · SMART readout")
    second.wait_for("/dev/nvme0 has the claimed serial")  # among the demo drives, found by its serial
    second.send("Enter")
    second.wait_for("Read /dev/nvme0", "Health PASSED")
    second.send("C-n")
    second.wait_for("Step 4/7 · Counterfeit checks", "No earlier claim on serial")
    second.press("Enter")  # genuine
    second.send("C-n")
    second.wait_for("Step 5/7 · Diagnosis", "SMART health")
    second.press("Enter")  # fault confirmed
    second.move_focus()
    second.type("reproduced at the bench")
    second.wait_for("reproduced at the bench")
    second.send("C-n")
    second.wait_for("Step 6/7 · Decision", "NOT COVERED", "exclusion.3")
    second.send("C-n")
    second.wait_for("Step 7/7 · Ticket", "no printer is configured")
    second.send("C-n")
    second.wait_for(f"Case {number}: ready for pickup.")
    second.send("C-q")
    assert wait_until(second.client_exited, timeout=15), second.screen()

    view = store.get_case(number)
    assert (view.summary.status, view.summary.verdict, view.summary.technician) == (
        "ready",
        "not_covered",
        station.user,
    )
    assert [r["code"] for r in view.decision.decision["reasons"]] == ["exclusion.3"]
    assert {(i.key, i.finding, i.note) for i in view.inspection if i.finding} == {
        ("sticker_removed", True, "corner lifted")
    }
    assert view.snapshots[-1].host_bytes_written == 19_515_951_616_000
    assert [t.status for t in view.tickets] == ["queued"]  # no printer at the test station: kept, not failed
    assert store.list_drafts() == []
    assert store.verify_audit().intact
