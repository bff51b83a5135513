"""The read test on real block devices: loop devices, and loop devices on a FUSE file that
fails reads at chosen blocks (this kernel has no device-mapper for an `error` target)."""

from __future__ import annotations

import ast
import hashlib
import itertools
import os
from pathlib import Path

import pytest

from tests.blockdev_helpers import faulty_disk, loop_device, require_root_tools, run
from workbench.inspection.errors import ReadTestError
from workbench.inspection.read_test import LbaRange, ReadTest

# Loop devices and mounts are seen by every workbench watching the drives: these tests run
# alone (tests/conftest.py), on one xdist worker.
pytestmark = [pytest.mark.block_devices, pytest.mark.xdist_group("block_devices")]

MIB = 1 << 20
MODULES = [
    Path(__file__).resolve().parent.parent / "workbench" / "inspection" / name
    for name in ("read_test.py", "bench_drives.py")
]


def open_files() -> set[str]:
    held = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            held.add(os.readlink(f"/proc/self/fd/{fd}"))
        except FileNotFoundError:  # the listing's own descriptor, closed by now
            pass
    return held


def finish(test: ReadTest):
    steps = list(test)
    return steps[-1], steps


def test_it_names_the_exact_unreadable_lbas_and_reads_on(tmp_path):
    require_root_tools("umount")
    bad = [(5, 1), (3000, 3), (16383, 1)]  # LBAs of 4096 bytes; the last one is the drive's last
    with faulty_disk(tmp_path, 64 * MIB, 4096, bad) as device:
        with ReadTest(device, whole=True) as test:
            assert (test.logical_block_size, test.size_bytes, test.direct) == (4096, 64 * MIB, True)
            last, _ = finish(test)
        assert last.outcome == "complete" and last.chunks_done == last.chunks_total == 64
        assert last.unreadable == (LbaRange(5, 1), LbaRange(3000, 3), LbaRange(16383, 1))
        assert last.unreadable_lbas == 5

        # A sample reads the first and the last chunk whatever its size: both bad blocks are there.
        with ReadTest(device, samples=4) as test:
            last, _ = finish(test)
        assert last.chunks_total == 4 and last.bytes_total == 4 * MIB
        assert last.unreadable == (LbaRange(5, 1), LbaRange(16383, 1))
        assert test.summary()["unreadable"] == [
            {"first": 5, "count": 1, "exact": True},
            {"first": 16383, "count": 1, "exact": True},
        ]


def test_a_chunk_that_fails_everywhere_costs_a_bounded_number_of_reads(tmp_path):
    require_root_tools("umount")
    with faulty_disk(tmp_path, 8 * MIB, 4096, [(256, 256)]) as device:  # the whole second chunk
        with ReadTest(device, whole=True, failed_reads_per_chunk=8) as test:
            last, _ = finish(test)
    assert last.outcome == "complete"
    assert all(256 <= r.first and r.last <= 511 for r in last.unreadable)
    assert last.unreadable_lbas == 256  # every block of it accounted for ...
    assert not all(r.exact for r in last.unreadable)  # ... the untried ones as a range, not one by one


def test_progress_only_grows_on_a_sample_and_on_the_whole_device(tmp_path):
    require_root_tools()
    backing = tmp_path / "drive.img"
    backing.write_bytes(os.urandom(3 * MIB + 4096))  # not a whole number of chunks: the last is short
    with loop_device(backing, read_only=True) as device:
        for kwargs, chunks in (({"samples": 3, "chunk_bytes": 256 * 1024}, 3), ({"whole": True}, 4)):
            with ReadTest(device, **kwargs) as test:
                last, steps = finish(test)
            assert [p.chunks_done for p in steps] == list(range(1, chunks + 1))
            assert all(a.bytes_done < b.bytes_done and a.seconds <= b.seconds for a, b in itertools.pairwise(steps))
            assert [p.outcome for p in steps] == ["running"] * (chunks - 1) + ["complete"]
            assert last.fraction == 1.0 and last.unreadable == () and last.mb_per_s > 0
            assert test.step() == last  # a finished test stays finished
        assert last.bytes_total == 3 * MIB + 4096


def test_it_never_writes_to_the_drive(tmp_path):
    """A read-only loop device on an immutable file: a write would fail, and the file and the
    device's own counters show none happened."""
    require_root_tools("chattr")
    backing = tmp_path / "evidence.img"
    backing.write_bytes(os.urandom(4 * MIB))
    before = (hashlib.sha256(backing.read_bytes()).hexdigest(), backing.stat().st_mtime_ns)
    run("chattr", "+i", str(backing))
    try:
        with loop_device(backing, read_only=True) as device:
            writer = os.open(device, os.O_RDWR)  # the kernel lets it open; any write is refused
            try:
                with pytest.raises(PermissionError):
                    os.pwrite(writer, bytes(4096), 0)
            finally:
                os.close(writer)
            counters = Path(f"/sys/block/{Path(device).name}/stat")
            reads, writes = int(counters.read_text().split()[0]), counters.read_text().split()[4:7]
            for kwargs in ({"whole": True}, {"samples": 2}):
                with ReadTest(device, chunk_bytes=MIB, **kwargs) as test:
                    assert finish(test)[0].outcome == "complete"
            fields = counters.read_text().split()
            assert int(fields[0]) > reads and fields[4:7] == writes  # reads done; writes, merges, sectors: none
    finally:
        run("chattr", "-i", str(backing))
    assert (hashlib.sha256(backing.read_bytes()).hexdigest(), backing.stat().st_mtime_ns) == before


def test_no_code_in_the_drive_modules_can_write():
    """Static: no write flag, no write mode, no write call in read_test.py or bench_drives.py."""
    writing_flags = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"}
    writing_calls = {"write", "pwrite", "pwritev", "writev", "truncate", "ftruncate", "fallocate", "sendfile"}
    for module in MODULES:
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr not in writing_flags | writing_calls, f"{module.name}:{node.lineno} {node.attr}"
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "open":
                if isinstance(node.func, ast.Attribute) and getattr(node.func.value, "id", "") == "os":
                    flags = {n.attr for n in ast.walk(node.args[1]) if isinstance(n, ast.Attribute)}
                    assert "O_RDONLY" in flags, f"{module.name}:{node.lineno} os.open without O_RDONLY"
                else:
                    modes = [a for a in node.args[1:2]] + [k.value for k in node.keywords if k.arg == "mode"]
                    for mode in modes:
                        assert isinstance(mode, ast.Constant) and set(mode.value) <= {"r", "b"}, (
                            f"{module.name}:{node.lineno} open mode"
                        )


def test_a_drive_that_goes_away_ends_the_test_with_what_it_gathered(tmp_path):
    """The loop device's capacity drops to 0 mid-test, as when a card reader loses its medium."""
    require_root_tools("truncate")
    backing = tmp_path / "drive.img"
    backing.write_bytes(bytes(8 * MIB))
    with loop_device(backing) as device:
        with ReadTest(device, whole=True) as test:
            for _ in range(3):
                assert test.step().outcome == "running"
            run("truncate", "-s", "0", str(backing))
            run("losetup", "--set-capacity", device)
            last = test.step()
    assert last.outcome == "vanished" and last.chunks_done == 3 and last.bytes_done == 3 * MIB
    assert f"{device} went away at byte {3 * MIB:,}" in last.problem


def test_cancel_stops_between_chunks_and_lets_the_device_go(tmp_path):
    require_root_tools()
    backing = tmp_path / "drive.img"
    backing.write_bytes(bytes(8 * MIB))
    with loop_device(backing, read_only=True) as device:
        test = ReadTest(device, whole=True)
        test.step()
        test.cancel()
        last = test.step()
        assert last.outcome == "cancelled" and last.chunks_done == 1
        assert device not in open_files()


def test_what_cannot_be_read_is_one_line(tmp_path):
    (tmp_path / "file.img").write_bytes(bytes(4096))
    cases = {
        str(tmp_path / "nothing"): "cannot open .* for reading: no such device",
        str(tmp_path / "file.img"): "is not a block device",
    }
    for device, message in cases.items():
        with pytest.raises(ReadTestError, match=message) as failure:
            ReadTest(device)
        assert "\n" not in str(failure.value) and failure.value.device == device
