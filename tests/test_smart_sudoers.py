"""The sudoers rule for technicians: valid for sudo, and exactly as wide as the workbench needs."""

import re
import subprocess
from pathlib import Path

import pytest

from workbench.inspection.errors import SmartError
from workbench.inspection.selftest import SelfTestResult, start_selftest
from workbench.inspection.smart import list_drives, read_drive
from workbench.inspection.smartctl import DEFAULT_SMARTCTL, ReplaySmartctl

RULE = Path(__file__).parent.parent / "deploy" / "sudoers.d" / "netac-workbench"


def allowed_argument_lists() -> list[str]:
    """The smartctl argument specs of the Cmnd_Alias (exact strings or ^regex$)."""
    text = RULE.read_text().replace("\\\n", " ")
    alias = re.search(r"Cmnd_Alias NETAC_SMART_READ =(.*)", text).group(1)
    specs = [spec.strip() for spec in alias.split(f"{DEFAULT_SMARTCTL} ") if spec.strip()]
    return [spec.rstrip(", ") for spec in specs]


def sudo_allows(args: list[str]) -> bool:
    line = " ".join(args)
    for spec in allowed_argument_lists():
        if spec.startswith("^") and re.fullmatch(spec[1:-1], line):
            return True
        if spec == line:
            return True
    return False


def test_visudo_accepts_the_rule():
    done = subprocess.run(["/usr/sbin/visudo", "-cf", str(RULE)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_call_the_workbench_makes_is_allowed():
    demo = ReplaySmartctl("demo")
    calls = [("--scan-open",)]
    for drive in list_drives(demo):
        try:
            made = read_drive(demo, drive.device).calls
        except SmartError as failure:  # the dead drive, the adapter: after their calls
            made = failure.calls
        calls += [c.args for c in made]
    assert len(calls) > 10
    for args in calls:
        assert sudo_allows(list(args)), args


def test_every_self_test_call_is_allowed():
    demo = ReplaySmartctl("demo")
    calls = []
    for device in ["/dev/sdb", "/dev/nvme4", "/dev/nvme5"]:  # started, polled, aborted; no self-test
        test = start_selftest(demo, device, device_type="sat" if device.startswith("/dev/sd") else None)
        if not isinstance(test, SelfTestResult):
            test.poll()
            test = test.abort()
        calls += [c.args for c in test.calls]
    assert {"-t", "-X", "selftest"} <= {arg for args in calls for arg in args}
    for args in calls:
        assert sudo_allows(list(args)), args


@pytest.mark.parametrize(
    "args",
    [
        ["-t", "long", "/dev/sda"],  # self-test without its -d type
        ["-d", "sat", "-t", "offline", "/dev/sda"],  # tests other than short and long
        ["-d", "sat", "-t", "select,0-99", "/dev/sda"],
        ["-d", "sat", "-C", "-t", "short", "/dev/sda"],  # captive: holds the bus
        ["-d", "sat", "-t", "short", "/dev/sda1"],  # a partition
        ["-d", "nvme", "-X", "/dev/nvme0", "-s", "off"],
        ["-s", "off", "/dev/sda"],  # settings
        ["-d", "nvme", "--all", "/dev/nvme0", "-t", "long"],  # smuggled option
        ["-d", "sat", "--all", "/etc/shadow"],  # not a disk
        ["-d", "sat", "--all", "/dev/sda1"],  # a partition
        ["-d", "test", "/dev/sda", "/dev/sdb"],
        ["--scan-open", "-s", "off"],
        ["-l", "devstat", "-d", "sat", "--all", "/dev/../dev/sda"],
    ],
)
def test_everything_else_is_refused(args):
    assert not sudo_allows(args)
