"""deploy/setup-ssh-station.sh install and add-technician, run for real as root, but in a
private mount namespace over a copy of /etc (and empty /home, /opt, /run, /var/lib), so the
groups, users and sshd files it makes vanish with the namespace."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.sshd_harness import SETUP_SCRIPT, sshd_path

# The steps run in one namespace; each leaves <name>.out/.err/.rc (and state files) in $T.
SCENARIO = r"""
set -u
cp -a /etc "$T/etc" && mount --bind "$T/etc" /etc
for dir in /home /opt /run /var/lib; do mount -t tmpfs tmpfs "$dir"; done
rm -f /etc/ssh/sshd_config.d/*.conf
# A stand-in for the workbench: asked to open the station database, it makes the file.
printf '#!/bin/sh\n[ -z "${WORKBENCH_DATABASE_URL:-}" ] || echo "SQLite format 3" > "${WORKBENCH_DATABASE_URL#sqlite:///}"\nexit 0\n' \
    > /opt/workbench && chmod 0755 /opt/workbench
mkdir -m 0700 "$T/private" && cp /opt/workbench "$T/private/workbench"
step() { local name="$1"; shift; "$@" > "$T/$name.out" 2> "$T/$name.err"; echo $? > "$T/$name.rc"; }
step private "$SETUP" install --workbench "$T/private/workbench"
step first "$SETUP" install --workbench /opt/workbench
cp /etc/ssh/sshd_config.d/netac-workbench.conf "$T/snippet"
step again "$SETUP" install --workbench /opt/workbench
step add "$SETUP" add-technician mei "$T/mei.pub"
step add-again "$SETUP" add-technician mei "$T/mei.pub"
step effective "$SSHD" -T -C user=mei,host=bench,addr=192.0.2.7
step outsider "$SSHD" -T -C user=root,host=bench,addr=192.0.2.7
stat -c '%a %U %G' /var/lib/netac-workbench /var/lib/netac-workbench/cases.db \
    /var/lib/netac-workbench/station-ticket-key.pem > "$T/modes"
getent group netac-supervisors > "$T/supervisors.group"
cp /var/lib/netac-workbench/station-ticket-key.pem "$T/station-key.pem"
cat /etc/netac-workbench/workbench.toml > "$T/station.toml"
id -nG mei > "$T/mei.groups"; getent passwd mei | cut -d: -f7 > "$T/mei.shell"
stat -c '%a %U' /home/mei/.ssh/authorized_keys > "$T/keys.mode"; cp /home/mei/.ssh/authorized_keys "$T/keys"
echo 'NoSuchOption yes' > /etc/ssh/sshd_config.d/00-broken.conf
step broken "$SETUP" install --workbench /opt/workbench --group bench-staff
cp /etc/ssh/sshd_config.d/netac-workbench.conf "$T/snippet-after-broken"
"""


# One worker runs the whole module, so the installer's run (a module fixture) is made once, not once per worker.
pytestmark = pytest.mark.xdist_group("ssh_setup")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("the installer changes /etc: it is tested as root, in a private mount namespace")
    if sshd_path() is None or shutil.which("unshare") is None:
        pytest.skip("sshd or unshare not installed: ./bench test installs openssh-server")
    tmp = tmp_path_factory.mktemp("setup")
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "mei@counter", "-f", str(tmp / "mei")], check=True
    )
    env = {**os.environ, "T": str(tmp), "SETUP": str(SETUP_SCRIPT), "SSHD": sshd_path()}
    namespace = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "bash", "-c", SCENARIO],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if namespace.returncode != 0 and not (tmp / "first.rc").exists():
        pytest.skip(f"no private mount namespace here: {namespace.stderr.strip()}")
    return tmp


def step(tmp: Path, name: str) -> tuple[int, str, str]:
    return (int((tmp / f"{name}.rc").read_text()), (tmp / f"{name}.out").read_text(), (tmp / f"{name}.err").read_text())


def test_install_writes_the_station_files(installed):
    rc, _out, err = step(installed, "first")
    assert rc == 0, err
    assert "created group technicians" in err
    assert "wrote /etc/ssh/sshd_config.d/netac-workbench.conf" in err
    assert (installed / "modes").read_text().splitlines() == [
        "2770 root technicians",
        "660 root technicians",
        "640 root technicians",
    ]
    assert "made the station's ticket key /var/lib/netac-workbench/station-ticket-key.pem" in err
    assert isinstance(
        serialization.load_pem_private_key((installed / "station-key.pem").read_bytes(), None), Ed25519PrivateKey
    )  # the one key every technician signs with
    assert (installed / "supervisors.group").read_text().startswith("netac-supervisors:")
    assert 'url = "sqlite:////var/lib/netac-workbench/cases.db"' in (installed / "station.toml").read_text()
    snippet = (installed / "snippet").read_text()
    assert "Match Group technicians\n    ForceCommand /opt/workbench\n" in snippet


def test_install_again_changes_nothing(installed):
    rc, _out, err = step(installed, "again")
    assert rc == 0, err
    assert "is up to date" in err
    assert "created" not in err and "wrote" not in err


def test_a_technician_gets_only_the_workbench(installed):
    rc, _out, err = step(installed, "add")
    assert rc == 0, err
    assert "created user mei" in err
    assert "technicians" in (installed / "mei.groups").read_text().split()
    assert (installed / "mei.shell").read_text().strip() == "/bin/sh"
    assert (installed / "keys.mode").read_text().strip() == "600 mei"
    effective = step(installed, "effective")[1].splitlines()
    for setting in (
        "forcecommand /opt/workbench",
        "permittty yes",
        "allowtcpforwarding no",
        "x11forwarding no",
        "allowagentforwarding no",
        "permittunnel no",
        "clientaliveinterval 15",
    ):
        assert setting in effective
    outsider = step(installed, "outsider")[1].splitlines()
    assert "forcecommand none" in outsider  # the administrator's own login is untouched


def test_adding_a_technician_again_keeps_one_copy_of_the_key(installed):
    rc, _out, err = step(installed, "add-again")
    assert rc == 0, err
    assert "created user" not in err
    assert (installed / "keys").read_text() == (installed / "mei.pub").read_text()


def test_a_workbench_other_users_cannot_run_is_refused(installed):
    rc, _out, err = step(installed, "private")
    assert rc == 1
    assert "cannot be run by other users" in err


def test_a_configuration_sshd_rejects_is_rolled_back(installed):
    rc, _out, err = step(installed, "broken")
    assert rc == 1
    assert "sshd rejected the configuration, nothing changed" in err
    assert "NoSuchOption" in err
    assert "created group bench-staff" not in err
    assert (installed / "snippet-after-broken").read_text() == (installed / "snippet").read_text()
