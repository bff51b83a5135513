"""Self-tests on the demo bench: each outcome from its recording, progress across polls
(in process and through the stand-in smartctl as a real child), abort, no self-test, a
drive that vanishes; the error evidence in plain words and whether it confirms a fault."""

from __future__ import annotations

import sys

import pytest

from workbench.errors import InputError
from workbench.inspection.diagnosis import confirms_fault, diagnose
from workbench.inspection.errors import RecordingError
from workbench.inspection.selftest import Outcome, SelfTestProgress, SelfTestResult, start_selftest
from workbench.inspection.smart import read_drive
from workbench.inspection.smartctl import LiveSmartctl, ReplaySmartctl


def sat(device: str) -> str | None:
    return "sat" if device.startswith("/dev/sd") else None


def run_to_end(reader, device: str, clock=None) -> tuple[list[SelfTestProgress], SelfTestResult]:
    kwargs = {"clock": clock} if clock else {}
    test = start_selftest(reader, device, "short", device_type=sat(device), **kwargs)
    assert not isinstance(test, SelfTestResult), test
    progress = []
    for _ in range(10):
        state = test.poll()
        if isinstance(state, SelfTestResult):
            return progress, state
        progress.append(state)
    raise AssertionError("the test never ended")


def test_ata_progress_advances_then_passes():
    progress, result = run_to_end(ReplaySmartctl("demo"), "/dev/sda")
    assert [p.percent_done for p in progress] == [10, 40, 70]
    # The drive's recommended polling time for a short test is 2 minutes.
    assert [p.seconds_left for p in progress] == [108.0, 72.0, 36.0]
    assert "recommended polling time" in progress[0].time_left_basis
    assert (result.outcome, result.confirms_fault) == (Outcome.PASSED, False)
    assert result.message == "The drive's short self-test completed without error."
    args = [c.args for c in result.calls]
    assert args[:2] == [("-d", "sat", "-c", "-l", "selftest", "/dev/sda"), ("-d", "sat", "-t", "short", "/dev/sda")]
    assert len(args) == 6 and b"Testing has begun." in result.raw_output


def test_ata_read_failure_at_its_lba():
    _, result = run_to_end(ReplaySmartctl("demo"), "/dev/sde")
    assert (result.outcome, result.failing_lba, result.status) == (Outcome.FAILED, 81920, "Completed: read failure")
    assert result.confirms_fault
    assert "failed at LBA 81,920" in result.message
    assert result.calls[-1].exit_status == 128


def test_ata_interrupted_is_not_the_older_passed_entry():
    _, result = run_to_end(ReplaySmartctl("demo"), "/dev/sdd")
    assert (result.outcome, result.status) == (Outcome.INTERRUPTED, "Interrupted (host reset)")
    assert not result.confirms_fault


def test_nvme_reads_the_status_line_before_the_old_entry():
    # While the new test runs, entry 0 is the passed test of 1870 hours: not the result.
    now = [1000.0]

    def clock():
        now[0] += 15
        return now[0]

    progress, result = run_to_end(ReplaySmartctl("demo"), "/dev/nvme3", clock)
    assert [p.percent_done for p in progress] == [10, 50, 90]
    assert "the drive's own progress" in progress[1].time_left_basis and progress[1].seconds_left > 0
    assert (result.outcome, result.power_on_hours) == (Outcome.PASSED, 2236)


def test_nvme_failed_segments():
    _, result = run_to_end(ReplaySmartctl("demo"), "/dev/nvme4")
    assert (result.outcome, result.failing_lba, result.status) == (Outcome.FAILED, 81920, "Completed: failed segments")
    assert "in segment 2 at LBA 81,920" in result.message


def test_abort():
    test = start_selftest(ReplaySmartctl("demo"), "/dev/sdb", device_type="sat")
    assert test.poll().percent_done == 20
    result = test.abort()
    assert (result.outcome, result.status) == (Outcome.ABORTED, "Aborted by host")
    assert ("-d", "sat", "-X", "/dev/sdb") in [c.args for c in result.calls]


@pytest.mark.parametrize(
    "device, why",
    [
        ("/dev/nvme5", "its controller does not offer Device Self-test"),
        ("/dev/nvme0", "smartctl 7.3 on this bench cannot run NVMe self-tests (7.4 or newer can)"),
    ],
)
def test_nvme_without_self_test(device, why):
    result = start_selftest(ReplaySmartctl("demo"), device)
    assert isinstance(result, SelfTestResult)
    assert result.outcome is Outcome.NOT_SUPPORTED and why in result.message
    assert result.message.startswith("This drive has no self-test")
    assert [c.args[2:4] for c in result.calls] == [("-c", "-l")]  # nothing was started


def test_ata_drive_without_self_test(tmp_path):
    demo = ReplaySmartctl("demo")
    text = (
        (demo.directory / "sda-short-idle.txt")
        .read_text()
        .replace("\t\t\t\t\tSelf-test supported.", "\t\t\t\t\tNo Self-test supported.")
    )
    (tmp_path / "idle.txt").write_text(text)
    (tmp_path / "calls.toml").write_text(
        '[[call]]\nargs = ["-d", "sat", "-c", "-l", "selftest", "/dev/sda"]\nstdout = "idle.txt"\n'
    )
    result = start_selftest(ReplaySmartctl(tmp_path), "/dev/sda", device_type="sat")
    assert result.outcome is Outcome.NOT_SUPPORTED and "No Self-test supported" in result.message


def test_drive_vanishing_mid_test_keeps_what_was_gathered():
    progress, result = run_to_end(ReplaySmartctl("demo"), "/dev/sdc")
    assert [p.percent_done for p in progress] == [30]
    assert result.outcome is Outcome.VANISHED
    assert result.message.startswith("The drive at /dev/sdc disappeared during the self-test")
    assert result.status == "Smartctl open device: /dev/sdc failed: No such device"
    assert b"30% of test remaining" not in result.raw_output and b"70% of test remaining" in result.raw_output


def test_a_second_test_starts_the_story_again():
    demo = ReplaySmartctl("demo")
    assert run_to_end(demo, "/dev/sda")[1].outcome is Outcome.PASSED
    progress, result = run_to_end(demo, "/dev/sda")
    assert [p.percent_done for p in progress] == [10, 40, 70] and result.outcome is Outcome.PASSED


def test_progress_through_the_stand_in_program_as_a_child(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_FAKE_SMARTCTL_STATE", str(tmp_path / "state.json"))
    program = tmp_path / "smartctl"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m workbench.inspection.fake_smartctl demo "$@"\n')
    program.chmod(0o755)
    progress, result = run_to_end(LiveSmartctl(str(program)), "/dev/sde")
    assert [p.percent_done for p in progress] == [10]
    assert (result.outcome, result.failing_lba) == (Outcome.FAILED, 81920)


def test_answer_lists_must_match(tmp_path):
    (tmp_path / "a.txt").write_text("x\n")
    (tmp_path / "calls.toml").write_text(
        '[[call]]\nargs = ["-c"]\nstdout = ["a.txt", "a.txt"]\nexit_status = [0, 0, 2]\n'
    )
    with pytest.raises(RecordingError, match="exit_status must be one value or one per stdout file"):
        ReplaySmartctl(tmp_path)


def test_kind_and_device_are_checked():
    with pytest.raises(InputError, match="kind"):
        start_selftest(ReplaySmartctl("demo"), "/dev/sda", "offline")
    with pytest.raises(InputError, match="device"):
        start_selftest(ReplaySmartctl("demo"), "/dev/sda1/../x")


# --- error evidence ------------------------------------------------------------------


def findings_of(device: str, **kwargs):
    return diagnose(read_drive(ReplaySmartctl("demo"), device, device_type=sat(device)), **kwargs)


@pytest.mark.parametrize("device", ["/dev/nvme0", "/dev/sda", "/dev/nvme3"])
def test_healthy_drives_confirm_no_fault(device):
    assert not confirms_fault(findings_of(device))


def test_failing_sata_media_attributes():
    findings = {f.code: f for f in findings_of("/dev/sde")}
    assert findings["ata_reallocated"].figure == 3941 and findings["ata_reallocated"].points_at_drive
    assert findings["ata_reported_uncorrectable"].figure == 118
    assert confirms_fault(list(findings.values()))


def test_crc_errors_are_the_cable_not_the_drive():
    findings = {f.code: f for f in findings_of("/dev/sdk")}
    crc = findings["ata_crc_errors"]
    assert (crc.figure, crc.points_at_drive) == (37, False)
    assert "the cable or the port, not in the drive" in crc.sentence
    assert findings["ata_error_log"].figure == 37 and not findings["ata_error_log"].points_at_drive
    assert not confirms_fault(list(findings.values()))


def test_degraded_nvme():
    findings = {f.code: f for f in findings_of("/dev/nvme4")}
    assert findings["nvme_reliability_degraded"].points_at_drive
    assert findings["nvme_media_errors"].figure == 12
    assert "Unrecovered Read Error" in findings["nvme_error_log"].sentence
    assert findings["nvme_error_log"].points_at_drive
    assert confirms_fault(list(findings.values()))


def test_refused_commands_in_the_nvme_error_log_are_not_a_fault():
    finding = {f.code: f for f in findings_of("/dev/nvme3")}["nvme_error_log"]
    assert (finding.figure, finding.points_at_drive) == (2, False)


@pytest.mark.parametrize(
    "bit, code, fault, words",
    [
        (0, "nvme_spare_below_threshold", True, "available spare has fallen below its threshold"),
        (1, "nvme_temperature", False, "may be the airflow"),
        (2, "nvme_reliability_degraded", True, "reliability is degraded"),
        (3, "nvme_read_only", True, "read-only mode"),
        (4, "nvme_volatile_backup_failed", True, "volatile memory backup device has failed"),
    ],
)
def test_each_critical_warning_bit(tmp_path, bit, code, fault, words):
    text = (ReplaySmartctl("demo").directory / "nvme0-all.txt").read_text()
    (tmp_path / "all.txt").write_text(
        text.replace(
            "Critical Warning:                   0x00", f"Critical Warning:                   0x{1 << bit:02x}"
        )
    )
    (tmp_path / "calls.toml").write_text('[[call]]\nargs = ["-d", "nvme", "--all", "/dev/nvme0"]\nstdout = "all.txt"\n')
    findings = diagnose(read_drive(ReplaySmartctl(tmp_path), "/dev/nvme0"))
    warned = [f for f in findings if f.source.startswith("NVMe Critical Warning")]
    assert [(f.code, f.points_at_drive) for f in warned] == [(code, fault)]
    assert words in warned[0].sentence
    assert confirms_fault(findings) is fault


def test_spare_below_threshold_and_a_failed_self_test_are_faults(tmp_path):
    text = (ReplaySmartctl("demo").directory / "nvme0-all.txt").read_text()
    (tmp_path / "all.txt").write_text(
        text.replace("Available Spare:                    100%", "Available Spare:                    20%")
    )
    (tmp_path / "calls.toml").write_text('[[call]]\nargs = ["-d", "nvme", "--all", "/dev/nvme0"]\nstdout = "all.txt"\n')
    spare = {f.code: f for f in diagnose(read_drive(ReplaySmartctl(tmp_path), "/dev/nvme0"))}["nvme_available_spare"]
    assert (spare.figure, spare.points_at_drive) == (20, True)
    _, failed = run_to_end(ReplaySmartctl("demo"), "/dev/sde")
    healthy = read_drive(ReplaySmartctl("demo"), "/dev/sda", device_type="sat")
    assert confirms_fault(diagnose(healthy, selftest=failed))
    _, passed = run_to_end(ReplaySmartctl("demo"), "/dev/sda")
    assert not confirms_fault(diagnose(healthy, selftest=passed))
