"""A disk image whose reads fail with EIO at chosen blocks, served through FUSE.

    python -m tests.faulty_disk MOUNTPOINT SIZE BLOCK FIRST:COUNT [FIRST:COUNT ...]

Serves MOUNTPOINT/disk (read-only, SIZE bytes of a repeating pattern); reading any byte of
blocks FIRST .. FIRST+COUNT-1 (of BLOCK bytes) fails with EIO. A loop device on that file
with the same logical block size (`losetup -r -b BLOCK`) is a real block device that
returns EIO at exactly those LBAs: the kernel here has no device-mapper for an `error` target.
"""

from __future__ import annotations

import errno
import stat
import sys

import mfusepy as fuse

PATTERN = bytes(range(256)) * 16


class FaultyDisk(fuse.Operations):
    use_ns = True

    def __init__(self, size: int, bad: list[tuple[int, int]]) -> None:
        self.size = size
        self.bad = bad  # byte ranges [start, end)

    def getattr(self, path, fh=None):
        if path == "/":
            return {"st_mode": stat.S_IFDIR | 0o555, "st_nlink": 2}
        if path == "/disk":
            return {"st_mode": stat.S_IFREG | 0o444, "st_nlink": 1, "st_size": self.size}
        raise fuse.FuseOSError(errno.ENOENT)

    def readdir(self, path, fh):
        return [".", "..", "disk"]

    def open(self, path, flags):
        return 0

    def read(self, path, size, offset, fh):
        end = min(offset + size, self.size)
        if any(offset < stop and end > start for start, stop in self.bad):
            raise fuse.FuseOSError(errno.EIO)
        skip = offset % len(PATTERN)
        data = (PATTERN * (2 + (end - offset) // len(PATTERN)))[skip : skip + end - offset]
        return data


def main(argv: list[str]) -> None:
    mountpoint, size, block, *ranges = argv
    bad = []
    for spec in ranges:
        first, count = (int(part) for part in spec.split(":"))
        bad.append((first * int(block), (first + count) * int(block)))
    fuse.FUSE(FaultyDisk(int(size), bad), mountpoint, foreground=True, ro=True, allow_other=True)


if __name__ == "__main__":
    main(sys.argv[1:])
