"""Real block devices for the tests: loop devices, and loop devices that fail reads (FUSE).

They need root (losetup, mount): `require_root_tools` skips a test without them. Other
engineers' tests may attach loop devices at the same time: only ever detach your own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def require_root_tools(*tools: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root for loop devices")
    missing = [tool for tool in ("losetup", *tools) if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


@contextmanager
def loop_device(backing: Path, *, read_only: bool = False, block: int | None = None) -> Iterator[str]:
    """A loop device on `backing`, detached afterwards."""
    options = (["-r"] if read_only else []) + ([f"--sector-size={block}"] if block else [])
    device = run("losetup", "--find", "--show", *options, str(backing))
    try:
        yield device
    finally:
        run("losetup", "--detach", device)


@contextmanager
def faulty_disk(folder: Path, size: int, block: int, bad: list[tuple[int, int]]) -> Iterator[str]:
    """A read-only loop device of `size` bytes with `block`-byte LBAs; reads of the LBA ranges
    `bad` ((first, count), ...) fail with EIO. Yields the device path."""
    if not Path("/dev/fuse").exists():
        pytest.skip("needs /dev/fuse")
    mountpoint = folder / "faulty"
    mountpoint.mkdir()
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.faulty_disk", str(mountpoint), str(size), str(block)]
        + [f"{first}:{count}" for first, count in bad],
        cwd=ROOT,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while not os.path.ismount(mountpoint):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the FUSE server did not mount: {server.stderr.read().decode() if server.stderr else ''}"
                )
            time.sleep(0.05)
        with loop_device(mountpoint / "disk", read_only=True, block=block) as device:
            yield device
    finally:
        if os.path.ismount(mountpoint):
            run("umount", str(mountpoint))
        server.wait(timeout=10)
