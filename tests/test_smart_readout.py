"""The SMART readout on the bundled recordings: exact values and one message per failure."""

import os
import subprocess
import sys

import pytest

from workbench.inspection.errors import DriveAbsent, RecordingError
from workbench.inspection.smart import list_drives, read_drive
from workbench.inspection.smartctl import ReplaySmartctl


@pytest.fixture(scope="module")
def demo():
    return ReplaySmartctl("demo")


def test_netac_nvme_reads_exact_bytes_written(demo):
    readout = read_drive(demo, "/dev/nvme0")
    assert (readout.model, readout.serial, readout.firmware) == (
        "Netac NVMe SSD 2TB", "RN202406182TB104233", "3.S.J.11")
    assert readout.capacity_bytes == 2_000_398_934_016
    # 38,117,093 data units x 512,000 bytes; smartctl's own text rounds it to "19.5 TB".
    assert readout.host_bytes_written == 38_117_093 * 512_000
    assert "Data Units Written" in readout.bytes_written_basis
    assert (readout.health, readout.power_on_hours, readout.temperature_c) == ("PASSED", 2917, 41)
    assert (readout.percentage_used, readout.media_errors) == (3, 0)
    assert readout.interface == "NVMe"
    assert readout.controller.startswith("InnoGrit")


def test_raw_output_keeps_every_call_verbatim(demo):
    readout = read_drive(demo, "/dev/nvme0")
    recorded = (demo.directory / "nvme0-all.txt").read_bytes()
    assert recorded in readout.raw_output
    assert readout.raw_output.startswith(b"$ smartctl -d nvme --all /dev/nvme0\n")
    assert readout.to_dict()["calls"][0]["args"] == ["-d", "nvme", "--all", "/dev/nvme0"]


def test_absent_drive_is_named(demo):
    with pytest.raises(DriveAbsent, match="no drive at /dev/sdz"):
        read_drive(demo, "/dev/sdz")
    with pytest.raises(DriveAbsent, match="no drive at /dev/nvme9"):
        read_drive(demo, "/dev/nvme9")


def test_unrecorded_call_fails_clearly(demo):
    with pytest.raises(RecordingError, match="no answer for `smartctl -d test /dev/sdq`"):
        read_drive(demo, "/dev/sdq")


def test_list_drives_reports_the_drive_that_would_not_open(demo):
    drives = {d.device: d for d in list_drives(demo)}
    assert drives["/dev/nvme0"].device_type == "nvme"
    assert drives["/dev/sdf"].device_type == "sntrealtek"
    assert drives["/dev/sdg"].problem == "Read Device Identity failed: Input/output error"
    assert drives["/dev/sda"].problem is None


def test_pysmart_import_leaves_the_process_as_it_was():
    # pySMART sets LANG=C and its own logger class at import; in a fresh process, check
    # both are undone and that its warnings do not reach stderr (they would hit the TUI).
    code = (
        "import logging, os\n"
        "from workbench.inspection.smart import read_drive\n"
        "from workbench.inspection.smartctl import ReplaySmartctl\n"
        "read_drive(ReplaySmartctl('demo'), '/dev/nvme0')\n"
        "print(os.environ['LANG'], logging.getLoggerClass().__name__,\n"
        "      logging.getLogger('pySMART').propagate)\n"
    )
    env = dict(os.environ, LANG="en_GB.UTF-8")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["en_GB.UTF-8", "Logger", "False"]
    assert done.stderr == ""


@pytest.mark.parametrize("device", ["-x", "/dev/sda --all", "sda", "/dev/../etc", "/dev/sda/../../etc/shadow"])
def test_device_must_be_a_device_path(demo, device):
    from workbench.errors import InputError

    with pytest.raises(InputError, match="device"):
        read_drive(demo, device)
