"""The SMART readout on the bundled recordings: exact values and one message per failure."""

import os
import subprocess
import sys

import pytest

from workbench.inspection.errors import (
    DriveAbsent,
    DriveUnresponsive,
    RecordingError,
    SmartPermissionDenied,
    SmartTimeout,
    UnparseableOutput,
    UnsupportedBridge,
)
from workbench.inspection.smart import list_drives, read_drive
from workbench.inspection.smartctl import ReplaySmartctl


@pytest.fixture(scope="module")
def demo():
    return ReplaySmartctl("demo")


def test_netac_nvme_reads_exact_bytes_written(demo):
    readout = read_drive(demo, "/dev/nvme0")
    assert (readout.model, readout.serial, readout.firmware) == (
        "Netac NVMe SSD 2TB",
        "RN202406182TB104233",
        "3.S.J.11",
    )
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


def test_list_drives_gives_each_drive_its_type(demo):
    drives = {d.device: d for d in list_drives(demo)}
    assert drives["/dev/nvme0"].device_type == "nvme"
    assert drives["/dev/sdf"].device_type == "sntrealtek"
    assert drives["/dev/sdf"].description == "/dev/sdf [USB NVMe Realtek], NVMe device"
    assert all(d.problem is None for d in drives.values())


def test_list_drives_without_permission_says_why():
    drives = list_drives(ReplaySmartctl("no-permission"))
    assert [(d.device, d.problem) for d in drives] == [
        ("/dev/sda", "Permission denied"),
        ("/dev/nvme0", "Permission denied"),
    ]


@pytest.mark.parametrize("device", ["/dev/sda", "/dev/nvme0"])
def test_reading_without_permission_points_to_the_sudoers_rule(device):
    with pytest.raises(SmartPermissionDenied, match=f"no permission to read {device}.*sudoers"):
        read_drive(ReplaySmartctl("no-permission"), device)


@pytest.mark.parametrize(
    "device, written, basis",
    [
        # Silicon Motion, known to smartctl: attribute 241 counts 32 MiB.
        ("/dev/sda", 187_654 * 32 * 2**20, "241 Host_Writes_32MiB 187,654 x 33,554,432"),
        # Maxio firmware unknown to smartctl 7.3: 241 is misnamed Total_LBAs_Written, counts GiB.
        ("/dev/sdb", 9_211 * 2**30, "firmware SN15926 matches the firmware list of 'Maxio based SSDs (variant 3)'"),
        # Known drive whose 241 is LBAs of 512 bytes ("Sector Size: 512 bytes logical/physical").
        ("/dev/sdc", 29_012_734_021 * 512, "241 Total_LBAs_Written 29,012,734,021 x 512 bytes"),
        # Unknown 241 unit, but Device Statistics: they win.
        ("/dev/sdd", 26_826_342_400 * 512, "ATA Device Statistics Logical Sectors Written"),
    ],
)
def test_sata_bytes_written_are_exact(demo, device, written, basis):
    readout = read_drive(demo, device)
    assert readout.host_bytes_written == written
    assert basis in readout.bytes_written_basis
    assert readout.interface == "SATA"


def test_sata_identity_and_counters(demo):
    readout = read_drive(demo, "/dev/sda", device_type="sat")
    assert (readout.model, readout.serial, readout.firmware) == ("KINGSTON SKC600512G", "50026B7784A1C2F3", "S4500107")
    assert readout.capacity_bytes == 512_110_190_592
    assert readout.family == "Silicon Motion based SSDs"
    assert (readout.power_on_hours, readout.temperature_c, readout.media_errors) == (5120, 33, 0)
    # Device Statistics were asked for in the same smartctl run as --all: one call.
    assert [c.args for c in readout.calls] == [("-l", "devstat", "-d", "sat", "--all", "/dev/sda")]


def test_unknown_241_unit_without_device_statistics_is_unverified(tmp_path, demo):
    # /dev/sdd without its Device Statistics: a Netac name smartctl does not know.
    text = (demo.directory / "sdd-all.txt").read_text()
    (tmp_path / "sdd.txt").write_text(text[: text.index("Device Statistics (GP Log 0x04)")])
    (tmp_path / "calls.toml").write_text(
        '[[call]]\nargs = ["-l", "devstat", "-d", "sat", "--all", "/dev/sdd"]\nstdout = "sdd.txt"\n'
    )
    readout = read_drive(ReplaySmartctl(tmp_path), "/dev/sdd", device_type="sat")
    assert readout.host_bytes_written is None
    assert readout.bytes_written_basis.startswith("unverified:")
    assert "Total_LBAs_Written = 12791" in readout.bytes_written_basis


def test_failing_drive_reads_with_health_failed(demo):
    readout = read_drive(demo, "/dev/sde")
    assert readout.health == "FAILED"
    assert readout.percentage_used == 100
    assert any("Reallocated_Sector_Ct" in m for m in readout.messages)
    assert readout.host_bytes_written == 116_721_860_608 * 512


def test_usb_nvme_bridge_pysmart_rejects_is_read_as_nvme(demo):
    readout = read_drive(demo, "/dev/sdf")
    assert readout.interface == "USB-NVMe (Realtek bridge)"
    assert readout.host_bytes_written == 4_402_118 * 512_000
    assert readout.power_on_hours == 733
    assert [c.args for c in readout.calls] == [("-d", "test", "/dev/sdf"), ("-d", "sntrealtek", "--all", "/dev/sdf")]


@pytest.mark.parametrize("bridge, name", [("sntjmicron", "JMicron"), ("sntasmedia", "ASMedia")])
def test_other_usb_nvme_bridges(tmp_path, demo, bridge, name):
    (tmp_path / "sdf.txt").write_bytes((demo.directory / "sdf-all.txt").read_bytes())
    (tmp_path / "calls.toml").write_text(
        f'[[call]]\nargs = ["-d", "{bridge}", "--all", "/dev/sdf"]\nstdout = "sdf.txt"\n'
    )
    readout = read_drive(ReplaySmartctl(tmp_path), "/dev/sdf", device_type=bridge)
    assert readout.interface == f"USB-NVMe ({name} bridge)"
    assert readout.host_bytes_written == 4_402_118 * 512_000


def test_bridge_type_nobody_can_read_is_named(demo):
    with pytest.raises(UnsupportedBridge, match="/dev/sdj is behind an adapter smartctl reaches as 'jmb39x,0'"):
        read_drive(demo, "/dev/sdj", device_type="jmb39x,0")


def test_adapter_passing_no_smart_is_not_taken_for_the_drive(demo):
    # As plain SCSI only the adapter answers ("JMicron Generic"); its name must not
    # become the drive's model (the counterfeit checks would accuse the customer).
    with pytest.raises(
        UnsupportedBridge,
        match=r"/dev/sdi is behind an adapter \(JMicron Generic\)"
        ".*try --type sat",
    ) as failure:
        read_drive(demo, "/dev/sdi")
    assert [c.args for c in failure.value.calls] == [("-d", "test", "/dev/sdi"), ("-d", "scsi", "--all", "/dev/sdi")]


def test_dead_drive_and_its_evidence(demo):
    with pytest.raises(
        DriveUnresponsive,
        match="/dev/sdg does not answer "
        r"\(Read Device Identity failed: Input/output error\)",
    ) as failure:
        read_drive(demo, "/dev/sdg")
    # What smartctl said is kept for the case record even though nothing could be read.
    assert [c.args for c in failure.value.calls] == [
        ("-d", "test", "/dev/sdg"),
        ("-l", "devstat", "-d", "sat", "--all", "/dev/sdg"),
    ]
    assert b"Read Device Identity failed: Input/output error" in failure.value.raw_output


def test_hung_adapter_times_out(demo):
    with pytest.raises(SmartTimeout, match="no answer for /dev/sdh within 0.2 s"):
        read_drive(demo, "/dev/sdh", timeout=0.2)


def test_truncated_output_is_unparseable_not_an_empty_drive(demo):
    with pytest.raises(UnparseableOutput, match="/dev/nvme2 could not be read"):
        read_drive(demo, "/dev/nvme2")


def test_counterfeit_recording_reports_what_the_drive_says(demo):
    readout = read_drive(demo, "/dev/nvme1")
    assert (readout.model, readout.capacity_bytes) == ("SSD 512GB", 512_110_190_592)
    assert readout.pci_vendor_id == "0x1e4b"
    assert readout.controller == "Maxio (PCI 0x1e4b)"


def test_drive_strings_are_stripped_of_terminal_controls(tmp_path, demo):
    raw = (
        (demo.directory / "nvme0-all.txt")
        .read_bytes()
        .replace(b"Netac NVMe SSD 2TB", b"Netac\x1b]0;pwned\x07 NVMe\x1b[2J SSD 2TB")
    )
    (tmp_path / "evil.txt").write_bytes(raw)
    (tmp_path / "calls.toml").write_text(
        '[[call]]\nargs = ["-d", "nvme", "--all", "/dev/nvme0"]\nstdout = "evil.txt"\n'
    )
    readout = read_drive(ReplaySmartctl(tmp_path), "/dev/nvme0")
    assert readout.model == "Netac NVMe SSD 2TB"
    assert b"\x1b]0;pwned\x07" in readout.raw_output  # the evidence keeps the raw bytes


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


def test_pysmart_is_imported_only_when_a_drive_is_read():
    # The TUI imports the inspection package at start; pySMART (and chardet) wait.
    code = (
        "import sys\n"
        "import workbench.inspection.smart, workbench.inspection.counterfeit\n"
        "print('pySMART' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_reads_from_worker_threads_at_once(demo):
    # The TUI reads in thread workers; the first reads race to import pySMART.
    from concurrent.futures import ThreadPoolExecutor

    devices = ["/dev/nvme0", "/dev/sda", "/dev/sdb", "/dev/sdc", "/dev/sdd", "/dev/sdf"] * 3
    with ThreadPoolExecutor(max_workers=6) as pool:
        written = list(pool.map(lambda d: read_drive(demo, d).host_bytes_written, devices))
    assert written == [read_drive(demo, d).host_bytes_written for d in devices]


def test_smartctl_7_5_nvme_log_heading(tmp_path, demo):
    # smartctl 7.5 names the namespace in the heading; pySMART < 1.4.2 then read nothing.
    text = (
        (demo.directory / "nvme0-all.txt")
        .read_text()
        .replace("smartctl 7.3 2022-02-28 r5338", "smartctl 7.5 2025-04-30 r5714")
        .replace(
            "SMART/Health Information (NVMe Log 0x02)", "SMART/Health Information (NVMe Log 0x02, NSID 0xffffffff)"
        )
    )
    (tmp_path / "nvme0.txt").write_text(text)
    (tmp_path / "calls.toml").write_text(
        '[[call]]\nargs = ["-d", "nvme", "--all", "/dev/nvme0"]\nstdout = "nvme0.txt"\n'
    )
    readout = read_drive(ReplaySmartctl(tmp_path), "/dev/nvme0")
    assert readout.smartctl_version == "7.5"
    assert readout.host_bytes_written == 38_117_093 * 512_000
    assert readout.power_on_hours == 2917
