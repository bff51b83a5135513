"""A read-only surface test of a block device: which LBAs can no longer be read.

The customer's drive is evidence: the device is opened `O_RDONLY` (with `O_DIRECT` and
page-aligned buffers where the device allows it, so each read reaches the drive and not the
page cache) and nothing in this module can write to it: no write flag, no write call.

A `ReadTest` reads chunks spread over the whole LBA range (a sample of evenly spread chunks
with the first and the last, or the whole device), one chunk per `step()`, so a worker can
drive it and a screen can stop it between chunks (`cancel()`). A chunk that fails is read
again in halves down to single logical blocks, to name the unreadable LBAs exactly (within a
budget of failed reads per chunk: a dying drive takes seconds per failed read). A drive that
goes away mid-test (ENODEV, ENXIO, ENOMEDIUM, its sysfs entry gone or its size 0) ends the
test as "vanished", keeping what was gathered.

    with ReadTest("/dev/sdb") as test:           # opens; ReadTestError if it cannot
        for progress in test:                    # blocks one chunk per item: run in a worker
            show(progress)                       # progress.outcome == "running" until the last
            if stop_requested:
                test.cancel()                    # the next item is the last: "cancelled"

Its words for a person (why a vanished test stopped, why it reads through the page cache, why
it cannot open) are English `Message`s, said in the session's language with
workbench.words.language.say; `summary()` keeps their templates under "said".
"""

from __future__ import annotations

import errno
import fcntl
import mmap
import os
import stat
import struct
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from policy.message import Message
from workbench.errors import InputError
from workbench.inspection.errors import ReadTestError
from workbench.inspection.said import said

CHUNK_BYTES = 1 << 20
SAMPLE_CHUNKS = 256
FAILED_READS_PER_CHUNK = 64  # how many failed reads may be spent naming the bad LBAs of one chunk

_BLKSSZGET = 0x1268  # _IO(0x12, 104): the logical block size, an int
_GONE = frozenset({errno.ENODEV, errno.ENXIO, errno.ENOMEDIUM})

OUTCOMES = ("running", "complete", "cancelled", "vanished")


@dataclass(frozen=True)
class LbaRange:
    """Unreadable logical blocks `first` .. `first + count - 1` (in the device's logical block size).

    `exact` is False when the failed-read budget ran out before the range was narrowed down:
    at least one LBA in it cannot be read, the others were not tried one by one.
    """

    first: int
    count: int
    exact: bool = True

    @property
    def last(self) -> int:
        return self.first + self.count - 1


@dataclass(frozen=True)
class ReadProgress:
    """Where a read test stands; the last one of a test has `outcome` other than "running"."""

    outcome: str
    chunks_done: int
    chunks_total: int
    bytes_done: int  # bytes of the chunks done, read or found unreadable
    bytes_total: int
    seconds: float  # time spent reading (not time paused between steps)
    unreadable: tuple[LbaRange, ...]
    problem: str | None = None  # why a vanished test stopped, one line (a Message: say() it)

    @property
    def finished(self) -> bool:
        return self.outcome != "running"

    @property
    def fraction(self) -> float:
        return self.bytes_done / self.bytes_total if self.bytes_total else 1.0

    @property
    def mb_per_s(self) -> float:
        """Average speed so far, in MB/s (10^6 bytes), as drive makers state it."""
        return self.bytes_done / self.seconds / 1e6 if self.seconds > 0 else 0.0

    @property
    def unreadable_lbas(self) -> int:
        return sum(r.count for r in self.unreadable)


class _Vanished(Exception):
    """The drive went away: ends the test, not an error."""


class ReadTest:
    """One read test of `device`; opening it (the constructor) blocks briefly, each step for one chunk.

    `whole=True` reads every chunk; otherwise `samples` chunks evenly spread, the first and
    the last included. `chunk_bytes` is rounded up to the logical block size.
    """

    def __init__(
        self,
        device: str,
        *,
        whole: bool = False,
        samples: int = SAMPLE_CHUNKS,
        chunk_bytes: int = CHUNK_BYTES,
        failed_reads_per_chunk: int = FAILED_READS_PER_CHUNK,
    ) -> None:
        if samples < 2:
            raise InputError("samples", Message("a sample needs at least 2 chunks (the first and the last)"))
        if chunk_bytes < 1:
            raise InputError("chunk_bytes", Message("must be positive"))
        self.device = device
        self.mode = "whole" if whole else "sample"
        self.direct = True
        self.note: Message | None = None  # why the test reads through the page cache, when it does
        self._budget = max(1, failed_reads_per_chunk)
        self._fd = self._open()
        try:
            rdev = os.fstat(self._fd).st_rdev
            self._sysfs_size = f"/sys/dev/block/{os.major(rdev)}:{os.minor(rdev)}/size"
            self.logical_block_size = struct.unpack("i", fcntl.ioctl(self._fd, _BLKSSZGET, b"\0" * 4))[0]
            self.size_bytes = os.lseek(self._fd, 0, os.SEEK_END)
        except OSError as exc:
            os.close(self._fd)
            raise ReadTestError.cannot_open(device, exc) from None
        lbs = self.logical_block_size
        self.chunk_bytes = -(-chunk_bytes // lbs) * lbs
        self._plan = _plan(self.size_bytes, self.chunk_bytes, None if whole else samples)
        self._buffer = mmap.mmap(-1, self.chunk_bytes)  # page-aligned, as O_DIRECT needs
        self._view = memoryview(self._buffer)
        self._outcome = "running"
        self._problem: Message | None = None
        self._cancel = False
        self._done = 0
        self._bytes_done = 0
        self._seconds = 0.0
        self._bad: list[LbaRange] = []

    def _open(self) -> int:
        try:
            if not stat.S_ISBLK(os.stat(self.device).st_mode):
                raise ReadTestError(
                    Message("{device} is not a block device: the read test reads drives", device=self.device),
                    self.device,
                )
            # Every block device takes O_DIRECT at open; a read it refuses falls back (_read_through_cache).
            return os.open(self.device, os.O_RDONLY | os.O_CLOEXEC | os.O_DIRECT)
        except OSError as exc:
            raise ReadTestError.cannot_open(self.device, exc) from None

    # The steps -------------------------------------------------------------------------

    def cancel(self) -> None:
        """Ask the test to stop: the next `step()` reads nothing and ends it as "cancelled".

        Safe to call from another thread than the one stepping.
        """
        self._cancel = True

    def step(self) -> ReadProgress:
        """Read the next chunk (blocks: run in a worker) and say where the test stands."""
        if self._outcome == "running":
            if self._cancel:
                self._finish("cancelled")
            elif self._done == len(self._plan):
                self._finish("complete")
            else:
                offset, length = self._plan[self._done]
                started = time.monotonic()
                try:
                    self._read_chunk(offset, length)
                except _Vanished as gone:
                    self._problem = gone.args[0]
                    self._finish("vanished")
                else:
                    self._done += 1
                    self._bytes_done += length
                    if self._done == len(self._plan):
                        self._finish("complete")
                finally:
                    self._seconds += time.monotonic() - started
        return self.progress()

    def __iter__(self) -> Iterator[ReadProgress]:
        """Each step's progress, the last one finished (blocks: run in a worker)."""
        while True:
            progress = self.step()
            yield progress
            if progress.finished:
                return

    def progress(self) -> ReadProgress:
        return ReadProgress(
            self._outcome,
            self._done,
            len(self._plan),
            self._bytes_done,
            sum(length for _, length in self._plan),
            self._seconds,
            _merged(self._bad),
            self._problem,
        )

    def summary(self) -> dict:
        """The test as JSON-able data for the case record."""
        progress = self.progress()
        return {
            "device": self.device,
            "mode": self.mode,
            "size_bytes": self.size_bytes,
            "logical_block_size": self.logical_block_size,
            "chunk_bytes": self.chunk_bytes,
            "direct": self.direct,
            "note": self.note,
            **{k: v for k, v in asdict(progress).items() if k != "unreadable"},
            "mb_per_s": round(progress.mb_per_s, 1),
            "unreadable": [asdict(r) for r in progress.unreadable],
            "said": said(note=self.note, problem=progress.problem),
        }

    def close(self) -> None:
        """Release the device; a test still running ends as "cancelled"."""
        if self._outcome == "running":
            self._finish("cancelled")

    def __enter__(self) -> ReadTest:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _finish(self, outcome: str) -> None:
        self._outcome = outcome
        self._view.release()
        self._buffer.close()
        os.close(self._fd)

    # Reading ---------------------------------------------------------------------------

    def _read_chunk(self, offset: int, length: int) -> None:
        end = offset + length
        failed_at = self._try_read(offset, end)
        if failed_at < end:
            self._locate(failed_at, end)
        if not self.direct:
            os.posix_fadvise(self._fd, offset, length, os.POSIX_FADV_DONTNEED)

    def _try_read(self, start: int, end: int) -> int:
        """Read [start, end) into the buffer; return where a read failed, or `end`.

        Raises _Vanished when the drive is gone. The buffer holds one chunk: spans never
        cross a chunk, so their offset from the chunk's start fits it.
        """
        base = start - start % self.chunk_bytes
        pos = start
        while pos < end:
            try:
                got = os.preadv(self._fd, [self._view[pos - base : end - base]], pos)
            except OSError as exc:
                if exc.errno == errno.EINVAL and self.direct:
                    self._read_through_cache(exc)
                    continue
                if exc.errno in _GONE or not self._present():
                    raise _Vanished(
                        Message(
                            "{device} went away at byte {byte:,} ({error})",
                            device=self.device,
                            byte=pos,
                            error=exc.strerror,
                        )
                    ) from None
                return pos - pos % self.logical_block_size
            if got == 0:  # the end came early: the device shrank to nothing or went away
                if not self._present():
                    raise _Vanished(
                        Message("{device} went away at byte {byte:,} (no medium)", device=self.device, byte=pos)
                    )
                raise _Vanished(
                    Message(
                        "{device} ended at byte {byte:,}, before its size of {size:,}",
                        device=self.device,
                        byte=pos,
                        size=self.size_bytes,
                    )
                )
            pos += got
        return end

    def _locate(self, start: int, end: int) -> None:
        """[start, end) failed from `start`: halve it down to single blocks, within the budget."""
        lbs = self.logical_block_size
        budget = self._budget - 1  # the read that failed
        failing = [(start, end)]
        while failing:
            low, high = failing.pop()
            if high - low <= lbs:
                self._bad.append(LbaRange(low // lbs, 1))
                continue
            if budget <= 0:
                self._bad.append(LbaRange(low // lbs, (high - low) // lbs, exact=False))
                continue
            middle = low + (high - low) // lbs // 2 * lbs
            for a, b in ((low, middle), (middle, high)):
                failed_at = self._try_read(a, b)
                if failed_at < b:
                    budget -= 1
                    failing.append((failed_at, b))

    def _read_through_cache(self, exc: OSError) -> None:
        """O_DIRECT opened but its reads are refused (alignment the device will not take)."""
        flags = fcntl.fcntl(self._fd, fcntl.F_GETFL)
        fcntl.fcntl(self._fd, fcntl.F_SETFL, flags & ~os.O_DIRECT)
        self.direct = False
        self.note = Message(
            "O_DIRECT reads refused ({error}): reading through the page cache, dropped after each chunk",
            error=exc.strerror,
        )

    def _present(self) -> bool:
        try:
            with open(self._sysfs_size) as size:
                return int(size.read()) > 0
        except (OSError, ValueError):
            return False


def _plan(size: int, chunk: int, samples: int | None) -> list[tuple[int, int]]:
    """(offset, length) of the chunks to read: all of them, or `samples` evenly spread."""
    count = -(-size // chunk)
    picked: list[int] | range = range(count)
    if samples is not None and samples < count:
        picked = sorted({round(i * (count - 1) / (samples - 1)) for i in range(samples)})
    return [(i * chunk, min(chunk, size - i * chunk)) for i in picked]


def _merged(ranges: list[LbaRange]) -> tuple[LbaRange, ...]:
    """Sorted, with touching exact ranges joined."""
    out: list[LbaRange] = []
    for r in sorted(ranges, key=lambda r: r.first):
        if out and out[-1].exact and r.exact and out[-1].first + out[-1].count == r.first:
            out[-1] = LbaRange(out[-1].first, out[-1].count + r.count)
        else:
            out.append(r)
    return tuple(out)
