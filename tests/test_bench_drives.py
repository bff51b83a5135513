"""This computer's own disks and hot-plug, on real loop devices (mounted, partitioned, swap)."""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path

import pytest

from tests.blockdev_helpers import loop_device, require_root_tools, run
from workbench.inspection.bench_drives import DriveWatcher, find_disk, list_disks, smartctl_name

# Loop devices and mounts are seen by every workbench watching the drives: these tests run
# alone (tests/conftest.py), on one xdist worker.
pytestmark = [pytest.mark.block_devices, pytest.mark.xdist_group("block_devices")]

MIB = 1 << 20


def disk(device: str):
    found = find_disk(list_disks(), device)
    assert found is not None, f"{device} not listed"
    return found


def test_the_root_filesystems_disk_is_this_computers_own():
    number = os.stat("/").st_dev
    if os.major(number) == 0:
        pytest.skip("the root filesystem is not on a block device here (overlay, tmpfs)")
    node = Path(os.path.realpath(f"/sys/dev/block/{os.major(number)}:{os.minor(number)}"))
    root = disk(f"/dev/{node.parent.name if (node / 'partition').exists() else node.name}")
    assert root.own_disk and root.own_reason is not None and not root.virtual
    assert "root filesystem" in root.own_reason


def test_a_mounted_loop_device_is_marked_and_unmounted_it_is_not(tmp_path):
    require_root_tools("mkfs.ext4", "mount", "umount")
    image = tmp_path / "disk.img"
    image.write_bytes(bytes(16 * MIB))
    with loop_device(image) as device:
        run("mkfs.ext4", "-q", device)
        plain = disk(device)
        assert (plain.own_disk, plain.own_reason, plain.virtual, plain.size_bytes) == (False, None, True, 16 * MIB)
        (tmp_path / "mnt").mkdir()
        run("mount", device, str(tmp_path / "mnt"))
        try:
            mounted = disk(device)
        finally:
            run("umount", str(tmp_path / "mnt"))
        assert mounted.own_disk and mounted.own_reason == f"mounted at {tmp_path}/mnt (ext4)"
        assert not disk(device).own_disk


def test_a_partition_mounted_marks_its_whole_disk(tmp_path):
    require_root_tools("mkfs.ext4", "mount", "umount", "addpart")
    image = tmp_path / "disk.img"
    image.write_bytes(bytes(32 * MIB))
    device = run("losetup", "--find", "--show", "--partscan", str(image))
    try:
        # The kernel here reads no partition tables: add the partition as partx would (BLKPG).
        run("addpart", device, "1", "2048", str(32 * MIB // 512 - 2048))
        partition = f"{device}p1"
        run("mkfs.ext4", "-q", partition)
        (tmp_path / "mnt").mkdir()
        run("mount", partition, str(tmp_path / "mnt"))
        try:
            listed = list_disks()
        finally:
            run("umount", str(tmp_path / "mnt"))
    finally:
        run("losetup", "--detach", device)
    whole = find_disk(listed, device)
    assert whole is not None and whole.own_disk
    assert whole.own_reason == f"{Path(partition).name} mounted at {tmp_path}/mnt (ext4)"
    assert find_disk(listed, partition) is None  # partitions are not drives of their own


def test_active_swap_on_a_loop_device_marks_it(tmp_path):
    require_root_tools("mkswap", "swapon", "swapoff")
    image = tmp_path / "swap.img"
    image.write_bytes(bytes(16 * MIB))
    with loop_device(image) as device:
        run("mkswap", device)
        run("swapon", device)
        try:
            swapping = disk(device)
        finally:
            run("swapoff", device)
        assert swapping.own_disk and swapping.own_reason == "active swap"
        assert not disk(device).own_disk


def test_the_watcher_reports_a_drive_coming_and_going_and_nothing_else(tmp_path):
    """Other tests may attach loop devices meanwhile: look for ours among the changes."""
    require_root_tools()
    image = tmp_path / "drive.img"
    image.write_bytes(bytes(8 * MIB))
    watcher = DriveWatcher(interval=0.05)
    assert watcher.poll() is None  # nothing changed: nothing to say
    stop, seen = threading.Event(), queue.Queue()

    def watch() -> None:
        for change in watcher.changes(stop):
            seen.put(change)

    worker = threading.Thread(target=watch)
    worker.start()
    try:
        with loop_device(image) as device:
            came = wait_for(seen, lambda change: any(d.device == device for d in change.added))
            assert not came.added[[d.device for d in came.added].index(device)].own_disk
            assert device in [d.device for d in came.disks]
        went = wait_for(seen, lambda change: device in change.removed)
        assert device not in [d.device for d in went.disks]
    finally:
        stop.set()
        worker.join(timeout=5)
    assert not worker.is_alive()


def wait_for(changes: queue.Queue, wanted):
    while True:
        change = changes.get(timeout=10)  # queue.Empty fails the test
        if wanted(change):
            return change


def test_smartctl_names_the_nvme_controller_and_keeps_other_nodes():
    controller = "/sys/devices/pci0000:00/0000:00:01.3/0000:02:00.0/nvme/nvme0"
    assert smartctl_name("nvme0n1", controller) == "/dev/nvme0"
    assert smartctl_name("nvme1n2", "/sys/devices/pci0000:00/0000:00:02.0/0000:03:00.0/nvme/nvme1") == "/dev/nvme1"
    # Native NVMe multipath: the link names the subsystem; smartctl reads the namespace node.
    assert smartctl_name("nvme0n1", "/sys/devices/virtual/nvme-subsystem/nvme-subsys0") == "/dev/nvme0n1"
    assert smartctl_name("sda", "/sys/devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0") == "/dev/sda"
    assert smartctl_name("loop0", None) == "/dev/loop0"
