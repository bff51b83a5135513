"""What the diagnosis costs the technician's terminal and the bench PC (issue 20).

    .venv/bin/python benchmarks/bench_diagnosis.py [POLL_SECONDS]

A claim typed in on the training bench (80x24 pseudo-terminal, as bench_startup.py drives it)
up to the SMART step, then:
1. idle on the SMART step with the drive watch running: bytes written to the terminal per
   second and the workbench's CPU time per second (target: both about 0);
2. a short self-test on the demo drive /dev/nvme3 (its progress advances at each poll, every
   POLL_SECONDS, default 5 as at a station): bytes per second while the progress bar runs
   (target <= 200 B/s at 80x24), and the whole test's bytes.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import ENTER, NEXT, TAB, Terminal, environment  # noqa: E402

SERIAL = b"RN202409031TB207715"  # the demo bench's /dev/nvme3: Netac NVMe 1TB with a self-test


def cpu_seconds(pid: int) -> float:
    """User and system time of the workbench and its threads, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    poll = sys.argv[1] if len(sys.argv) > 1 else "5"
    with tempfile.TemporaryDirectory() as folder:
        env = environment(Path(folder))
        config = Path(folder) / "config" / "netac-workbench" / "workbench.toml"
        config.parent.mkdir(parents=True)
        config.write_text(f"[smart]\nself_test_poll_seconds = {float(poll)}\n")
        terminal = Terminal([sys.executable, "-m", "workbench", "--training"], env)
        try:
            terminal.read_until(b"New claim")
            os.write(terminal.fd, b"n")
            terminal.read_until(b"Step 1/7")
            for keys in (b"Li Wei", TAB, b"", TAB, b"NV7000", TAB, b"1000", TAB, SERIAL, ENTER, TAB, b"2025-01-10"):
                terminal.type(keys, 0.2)
            for keys in (TAB, TAB, b"Freezes after a few minutes", TAB, b" "):
                terminal.type(keys, 0.2)
            os.write(terminal.fd, NEXT)
            terminal.read_until(b"Physical inspection")
            terminal.quiet()
            os.write(terminal.fd, NEXT)
            terminal.read_until(b"has the claimed serial")
            terminal.quiet(gap=1.0)

            pid = terminal.pid
            cpu, start = cpu_seconds(pid), time.perf_counter()
            idle_bytes = terminal.idle(10.0)
            seconds = time.perf_counter() - start
            idle_cpu = (cpu_seconds(pid) - cpu) / seconds

            os.write(terminal.fd, ENTER)
            terminal.read_until(b"Health PASSED")
            terminal.quiet()
            os.write(terminal.fd, NEXT)
            terminal.read_until(b"Counterfeit")
            terminal.quiet(gap=1.0)
            terminal.type(ENTER, 0.3)
            os.write(terminal.fd, NEXT)
            terminal.read_until(b"SMART health")
            terminal.quiet(gap=1.0)
            before = len(terminal.output)
            started = time.perf_counter()
            os.write(terminal.fd, b"s")
            samples = []  # (seconds since s, bytes written since s) while the test runs
            while terminal.output.find(b"completed without error", before) < 0:
                terminal.pump(0.1)
                samples.append((time.perf_counter() - started, len(terminal.output) - before))
                if samples[-1][0] > 120:
                    raise TimeoutError("the self-test did not end in 2 minutes")
            terminal.quiet()
            took = time.perf_counter() - started
            test_bytes = len(terminal.output) - before
            # While the bar runs: from the first progress shown to the last, without the start
            # (the bar appearing) and the end (the result and the conclusion's list).
            first = next(b for t, b in samples if t >= 1.0)
            last_t, last_b = next((t, b) for t, b in reversed(samples) if t <= took - 1.0)
            running = (last_b - first) / max(last_t - 1.0, 0.001)
        finally:
            terminal.close()
    print(f"idle on the SMART step (drive watch running), over {seconds:.1f} s:")
    print(f"  terminal        {idle_bytes / seconds:8.1f} B/s   (target about 0)")
    print(f"  CPU             {idle_cpu * 1000:8.2f} ms/s  (target about 0)")
    print(f"short self-test on /dev/nvme3, polled every {poll} s: {took:.1f} s, {test_bytes:,} bytes in all")
    print(f"  terminal, while the bar runs   {running:8.1f} B/s   (target <= 200 B/s at 80x24)")
    print(f"  terminal, start to result      {test_bytes / took:8.1f} B/s")


if __name__ == "__main__":
    main()
