"""Tickets through a real CUPS scheduler (Debian's cups-daemon), in a private instance.

cupsd runs with its own configuration, spool and socket in the test's folder; `lp` reaches it
through CUPS_SERVER. The queue is raw with a file device: CUPS accepts and completes the job
(checked with lpstat); whether a physical printer then prints is beyond CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from policy import load_policy
from tests.ticket_helpers import decided_case, station_config
from workbench.ticket.issue import issue_ticket

CUPSD = "/usr/sbin/cupsd"


@pytest.fixture
def cups(tmp_path, monkeypatch):
    if not (os.path.exists(CUPSD) and shutil.which("lp") and shutil.which("lpadmin")):
        pytest.skip("CUPS (cups-daemon, cups-client) is not installed: ./bench test installs it")
    if os.geteuid() != 0:
        pytest.skip("a private cupsd needs root (it drops to the lp user); CI runs as root")
    folder = tmp_path / "cups"
    for name in ("spool", "cache", "state", "log", "root"):
        (folder / name).mkdir(parents=True)
    for name in ("spool", "cache", "state"):
        shutil.chown(folder / name, "lp", "lp")
    os.chmod(folder / "log", 0o777)
    os.chmod(tmp_path, 0o755)
    os.chmod(folder, 0o755)
    socket = folder / "cups.sock"
    (folder / "root" / "cupsd.conf").write_text(
        f"Listen {socket}\nLogLevel warn\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
    )
    (folder / "root" / "cups-files.conf").write_text(
        f"FileDevice Yes\nRequestRoot {folder}/spool\nCacheDir {folder}/cache\nStateDir {folder}/state\n"
        f"ServerRoot {folder}/root\nServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
        f"ErrorLog {folder}/log/error_log\nAccessLog {folder}/log/access_log\nPageLog {folder}/log/page_log\n"
        "User lp\nGroup lp\nSystemGroup root\n"
    )
    daemon = subprocess.Popen(
        [CUPSD, "-f", "-c", str(folder / "root" / "cupsd.conf"), "-s", str(folder / "root" / "cups-files.conf")]
    )
    monkeypatch.setenv("CUPS_SERVER", str(socket))
    try:
        for _ in range(100):
            if subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout.startswith(
                "scheduler is running"
            ):
                break
            time.sleep(0.05)
        subprocess.run(
            ["lpadmin", "-p", "counter", "-E", "-v", f"file://{folder}/out", "-m", "raw"],
            check=True,
            capture_output=True,
        )
        yield folder
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


def test_a_ticket_through_a_real_cups_queue(tmp_path, cups):
    store, number = decided_case(tmp_path)
    outcome = issue_ticket(
        store, number, station_config(tmp_path, '[printer]\nkind = "cups"\nqueue = "counter"\n'), load_policy()
    )
    assert outcome.printed and "request id is counter-" in outcome.message
    job = outcome.message.split("request id is ")[1].split()[0]
    for _ in range(100):
        done = subprocess.run(["lpstat", "-W", "completed", "-o", "counter"], capture_output=True, text=True).stdout
        if job in done:
            break
        time.sleep(0.05)
    assert job in done
    assert store.get_case(number).tickets[0].status == "printed"


def test_a_missing_queue_leaves_the_ticket_queued(tmp_path, cups):
    store, number = decided_case(tmp_path)
    outcome = issue_ticket(
        store, number, station_config(tmp_path, '[printer]\nkind = "cups"\nqueue = "gone"\n'), load_policy()
    )
    assert not outcome.printed and "does not exist" in outcome.message
    assert store.get_case(number).tickets[0].status == "failed"
