"""The bench: the drives on it (this computer's own disks marked), the claimed one found by its
serial, drives plugged in or out, and reading them through the station's smartctl."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from policy import canonical_serial
from workbench.errors import ONE_LINE_ERRORS, InputError
from workbench.words.language import _

if TYPE_CHECKING:
    from workbench.inspection.smart import DriveInfo, SmartReadout
    from workbench.inspection.smartctl import SmartctlReader


from workbench.door.station import StationCore


class Bench(StationCore):
    """The station's bench: its smartctl, its drives, and watching for drives coming and going."""

    def smartctl(self) -> tuple[SmartctlReader, float]:
        """The bench's smartctl (the station's, or the training bench's recordings) and its timeout."""
        from workbench.inspection.smartctl import ReplaySmartctl, reader_from_config

        if self.training or self.replay:
            return ReplaySmartctl(self.replay or "demo"), 30.0
        return reader_from_config(self.config)

    def drives(self) -> list[DriveInfo]:
        """The drives smartctl finds on the bench; this computer's own disks (a mounted
        filesystem, swap, the root's disk) are marked, and never read into a claim. The
        training bench's drives are recordings: none of them is this computer's."""
        from dataclasses import replace

        from workbench.inspection.bench_drives import find_disk, list_disks
        from workbench.inspection.smart import list_drives

        reader, timeout = self.smartctl()
        drives = list_drives(reader, timeout)
        if self.training:
            return drives
        disks = list_disks()
        known = [(drive, find_disk(disks, drive.device)) for drive in drives]
        return [
            replace(drive, own_disk=disk.own_reason if disk.own_disk else None, serial=disk.serial) if disk else drive
            for drive, disk in known
        ]

    @property
    def self_test_poll_seconds(self) -> float:
        """How often a running self-test is asked how far it is ([smart] self_test_poll_seconds)."""
        seconds = self.config.section("smart").get("self_test_poll_seconds", object, 5)
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds <= 600:
            raise InputError(
                "smart.self_test_poll_seconds",
                _("{value} is not a number of seconds from 0 to 600").format(value=repr(seconds)),
            )
        return float(seconds)

    def drive_watch(self, stop: threading.Event) -> Iterator[None]:
        """Each time a drive is plugged in or taken out, until `stop` is set (blocks between
        looks: run in a worker). Looks at /sys/block about once a second, so idle it costs next
        to nothing; the training bench's drives never change."""
        if self.training:
            stop.wait()
            return
        from workbench.inspection.bench_drives import DriveWatcher

        for _change in DriveWatcher().changes(stop):
            yield None

    def read_drive(self, device: str, device_type: str | None = None) -> SmartReadout:
        from workbench.inspection.smart import read_drive

        reader, timeout = self.smartctl()
        return read_drive(reader, device, timeout, device_type=device_type)

    def claimed_drive(self, drives: list[DriveInfo], serial: str) -> str | None:
        """Which of `drives` carries `serial` (canonical spelling): from what the kernel knows,
        else by reading each drive's identity (blocks: a smartctl read per drive). None when
        none does; this computer's disks and drives that cannot be opened are not read."""
        serial = canonical_serial(serial)
        if not serial:
            return None
        candidates = [d for d in drives if d.own_disk is None and d.problem is None]
        for drive in candidates:
            if drive.serial and canonical_serial(drive.serial) == serial:
                return drive.device
        for drive in candidates:
            if drive.serial:
                continue  # the kernel's serial did not match: no need to ask the drive
            try:
                readout = self.read_drive(drive.device, drive.device_type)
            except ONE_LINE_ERRORS:
                continue  # a drive that does not answer is not the claimed one, as far as we can tell
            if readout.serial and canonical_serial(readout.serial) == serial:
                return drive.device
        return None
