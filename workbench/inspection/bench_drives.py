"""The block devices on this computer, which of them are its own disks, and a watcher for hot-plug.

This computer's own disks hold a mounted filesystem (directly, through a partition, or under
device-mapper, LVM, RAID: followed down `/sys/block/*/slaves`), active swap, or the root
filesystem: a claim is never read from them. Everything else with a medium (size above 0)
is a drive that may be on the bench.

Names against smartctl's: SATA, SAS and USB drives are the same node (`/dev/sda`). An NVMe
namespace's block device is `/dev/nvme0n1`; smartctl names the controller, `/dev/nvme0`
(it reads the same SMART log through either). `BenchDisk.smartctl_device` is the name
`smartctl --scan` uses: the controller behind the namespace's sysfs `device` link.

Everything here reads /proc and /sys only: no device is opened. Why a disk is this computer's
own (`own_reason`) is an English `Message`, said in the session's language with
workbench.words.language.say; device names, mount points and paths are values in it.
"""

from __future__ import annotations

import os
import re
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from policy.message import Message
from workbench.words.text import strip_control

SYS_BLOCK = "/sys/block"


@dataclass(frozen=True)
class BenchDisk:
    device: str  # /dev/sda, /dev/nvme0n1, /dev/loop3
    size_bytes: int
    model: str | None  # from sysfs, cleaned; None where the kernel does not say
    serial: str | None
    smartctl_device: str  # the name smartctl uses: /dev/nvme0 for /dev/nvme0n1, else `device`
    removable: bool  # the kernel's removable flag (card readers; most USB drives say False)
    virtual: bool  # no hardware behind it: loop, device-mapper, md RAID, zram
    own_disk: bool  # this computer's own disk: never read into a claim
    own_reason: str | None  # why, e.g. "vda2 mounted at /boot (ext4)" (a Message: say() it)


@dataclass(frozen=True)
class DriveChange:
    """What a poll found different: the disks that came and went, and all of them now."""

    added: tuple[BenchDisk, ...]  # new, or changed (a medium swapped, a disk mounted)
    removed: tuple[str, ...]  # device paths
    disks: tuple[BenchDisk, ...]


def list_disks() -> list[BenchDisk]:
    """Every whole block device with a medium, own disks marked (reads /proc and /sys: quick)."""
    own = own_disks()
    disks = []
    for name in sorted(os.listdir(SYS_BLOCK)):
        disk = _describe(name, own.get(name))
        if disk is not None:
            disks.append(disk)
    return disks


def find_disk(disks: list[BenchDisk], device: str) -> BenchDisk | None:
    """The disk a smartctl device name (or a block device path) refers to.

    `/dev/nvme0` is its controller: with several namespaces the first one is given.
    """
    for disk in disks:
        if device in (disk.device, disk.smartctl_device):
            return disk
    return None


def smartctl_name(block: str, device_link: str | None) -> str:
    """smartctl's name for block device `block`, given where its sysfs `device` link points.

    NVMe: the link of `nvme0n1` ends in the controller, `nvme0`; with native multipath it
    ends in the subsystem (`nvme-subsys0`), and smartctl takes the namespace node itself.
    """
    controller = os.path.basename(device_link or "")
    if block.startswith("nvme") and re.fullmatch(r"nvme\d+", controller):
        return f"/dev/{controller}"
    return f"/dev/{block}"


# This computer's own disks --------------------------------------------------------------


def own_disks() -> dict[str, Message]:
    """Disk name -> why it is this computer's own (first reason found; the root first)."""
    reasons: dict[str, Message] = {}
    for number, what in _in_use():
        name = _block_name(number)
        if name is not None:
            _mark(name, what, reasons, depth=0)
    return reasons


def _in_use() -> list[tuple[int, Message]]:
    """(device number, what it is used for) of the root filesystem, every mount and active swap."""
    used = [(os.stat("/").st_dev, Message("holds the root filesystem"))]
    used += [
        (number, Message("mounted at {point} ({fstype})", point=point, fstype=fstype))
        for number, point, fstype in _mounts()
    ]
    try:
        with open("/proc/swaps") as swaps:
            lines = swaps.read().splitlines()[1:]
    except OSError:
        lines = []
    for line in lines:
        fields = line.split()
        if len(fields) < 2:
            continue
        path = _unescape(fields[0])
        try:
            info = os.stat(path)
        except OSError:
            continue
        if stat.S_ISBLK(info.st_mode):
            used.append((info.st_rdev, Message("active swap")))
        else:
            used.append((info.st_dev, Message("holds the active swap file {path}", path=path)))
    return used


def _mounts() -> list[tuple[int, str, str]]:
    """(device number, mount point, filesystem type) of each mount backed by a block device."""
    try:
        with open("/proc/self/mountinfo") as mountinfo:
            lines = mountinfo.read().splitlines()
    except OSError:
        return []
    mounts = []
    for line in lines:
        # 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
        head, _, tail = line.partition(" - ")
        fields, after = head.split(), tail.split()
        if len(fields) < 5 or len(after) < 2:
            continue
        major, _, minor = fields[2].partition(":")
        number = os.makedev(int(major), int(minor))
        source = _unescape(after[1])
        if major == "0" and source.startswith("/dev/"):  # btrfs and others report an anonymous number
            try:
                info = os.stat(source)
            except OSError:
                continue
            if not stat.S_ISBLK(info.st_mode):
                continue
            number = info.st_rdev
        mounts.append((number, _unescape(fields[4]), after[0]))
    return mounts


def _block_name(number: int) -> str | None:
    """The kernel's name of block device `number` (a disk or a partition), if it is one."""
    try:
        return os.path.basename(os.readlink(f"/sys/dev/block/{os.major(number)}:{os.minor(number)}"))
    except OSError:
        return None


def _mark(name: str, what: Message, reasons: dict[str, Message], depth: int) -> None:
    """Mark the disk holding `name` and, through device-mapper or RAID, the disks beneath it."""
    path = os.path.realpath(f"/sys/class/block/{name}")
    is_partition = os.path.exists(f"{path}/partition")
    disk = os.path.basename(os.path.dirname(path)) if is_partition else name
    # Translators: a partition's name (vda2), then what it is used for ("mounted at /boot (ext4)").
    reasons.setdefault(disk, what if name == disk else Message("{partition} {use}", partition=name, use=what))
    if depth > 8:  # stacks are a few levels deep; sysfs has no cycles, but a bound costs nothing
        return
    for below in _entries(f"{path}/slaves"):
        # Translators: what a disk is used for ("mounted at /boot (ext4)"), then the device-mapper or RAID device.
        _mark(below, Message("{use} through {device}", use=what, device=name), reasons, depth + 1)


# Describing a disk ----------------------------------------------------------------------


def _describe(name: str, own_reason: Message | None) -> BenchDisk | None:
    base = f"{SYS_BLOCK}/{name}"
    size = _read(f"{base}/size")
    if not size or not size.isdigit() or int(size) == 0 or _read(f"{base}/hidden") == "1":
        return None
    device_link = os.path.realpath(f"{base}/device") if os.path.exists(f"{base}/device") else None
    model = _clean(_read(f"{base}/device/model"))
    vendor = _clean(_read(f"{base}/device/vendor"))
    if model and vendor and vendor not in ("ATA", model.split()[0]):  # SATA behind libata says "ATA"
        model = f"{vendor} {model}"
    serial = _clean(_read(f"{base}/device/serial") or _read(f"{base}/serial")) or _vpd_serial(base)
    return BenchDisk(
        device=f"/dev/{name}",
        size_bytes=int(size) * 512,  # sysfs counts 512-byte sectors whatever the drive's block size
        model=model,
        serial=serial,
        smartctl_device=smartctl_name(name, device_link),
        removable=_read(f"{base}/removable") == "1",
        virtual=device_link is None,
        own_disk=own_reason is not None,
        own_reason=own_reason,
    )


def _vpd_serial(base: str) -> str | None:
    """SCSI/SATA: the Unit Serial Number page (0x80): 4 header bytes, then the serial."""
    try:
        with open(f"{base}/device/vpd_pg80", "rb") as page:
            data = page.read()
    except OSError:
        return None
    return _clean(data[4 : 4 + int.from_bytes(data[2:4], "big")].decode("ascii", "replace")) if len(data) > 4 else None


def _read(path: str) -> str | None:
    """A sysfs attribute's text (the watcher reads two per device each look: kept to 3 syscalls)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        return os.read(fd, 4096).decode(errors="replace").strip()
    except OSError:
        return None
    finally:
        os.close(fd)


def _clean(text: str | None) -> str | None:
    cleaned = strip_control(text).strip() if text else ""
    return cleaned or None


def _entries(path: str) -> list[str]:
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []


def _unescape(field: str) -> str:
    """/proc/self/mountinfo and /proc/swaps write space, tab, newline and backslash as \\ooo."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


# Hot-plug ---------------------------------------------------------------------------------


class DriveWatcher:
    """Notices drives coming and going by polling /sys/block: one listdir and two tiny sysfs
    reads per device each time, so idle it costs next to nothing (benchmarks/bench_drive_watch.py).

    udev is not used: it does not run on every bench PC (nor in containers), and a poll every
    second finds a drive as soon as a technician looks at the screen. `poll()` looks once;
    `changes(stop)` blocks, looking every `interval` seconds, and yields only when the set of
    disks changed (run it in a worker; set `stop` to end it).
    """

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._seen = _signature()
        self.disks: tuple[BenchDisk, ...] = tuple(list_disks())

    def poll(self) -> DriveChange | None:
        """Look once; a DriveChange when the disks differ from the last look, else None."""
        signature = _signature()
        if signature == self._seen:
            return None
        self._seen = signature
        before = {disk.device: disk for disk in self.disks}
        self.disks = tuple(list_disks())
        now = {disk.device: disk for disk in self.disks}
        added = tuple(disk for disk in self.disks if before.get(disk.device) != disk)
        removed = tuple(device for device in before if device not in now)
        return DriveChange(added, removed, self.disks) if added or removed else None

    def changes(self, stop: threading.Event) -> Iterator[DriveChange]:
        """Each change until `stop` is set (blocks between looks: run in a worker)."""
        while not stop.wait(self.interval):
            change = self.poll()
            if change is not None:
                yield change


def _signature() -> frozenset[tuple[str, str | None, str | None]]:
    """What identifies the disks now: name, size (0 when empty), and the kernel's sequence
    number, new each time a medium or loop file is attached (so a swap under one name shows)."""
    return frozenset(
        (name, _read(f"{SYS_BLOCK}/{name}/size"), _read(f"{SYS_BLOCK}/{name}/diskseq"))
        for name in os.listdir(SYS_BLOCK)
    )
