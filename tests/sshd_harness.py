"""A throwaway SSH station for end-to-end tests: a real sshd on 127.0.0.1, and a terminal.

`SshStation` starts /usr/sbin/sshd in the foreground (`-D -e -f <config>`) on a free port
with a host key, authorized key and station files made in a temporary folder. Its
configuration is the one deploy/setup-ssh-station.sh writes for a station (ForceCommand
workbench, no forwarding), matched on the test user's own group, so the tests log in as a
technician does. The test user logs in as itself: sshd run by an ordinary user can only
log that user in; run by root (CI may be root) it needs its privilege-separation folder
/run/sshd, which the openssh-server service normally creates at boot.

`Terminal` is tmux running the ssh client in an 80x24 pane: a real terminal emulator, so
`screen()` is what a technician would see, and `send()` types as a keyboard does.
"""

from __future__ import annotations

import getpass
import grp
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import demo_smartctl

ROOT = Path(__file__).resolve().parent.parent
SETUP_SCRIPT = ROOT / "deploy" / "setup-ssh-station.sh"
# The workbench of the environment running the tests (./bench's .venv).
WORKBENCH = Path(sys.prefix) / "bin" / "workbench"


def missing_tools() -> list[str]:
    """The OpenSSH/tmux programs this harness needs that cannot be found."""
    missing = [name for name in ("ssh", "ssh-keygen", "tmux") if shutil.which(name) is None]
    if sshd_path() is None:
        missing.append("sshd")
    return missing


def sshd_path() -> str | None:
    found = shutil.which("sshd") or "/usr/sbin/sshd"
    return found if os.access(found, os.X_OK) else None


def wait_until(check, timeout: float, interval: float = 0.05):
    """Poll `check` until it returns something truthy; that value, or None at the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class SshStation:
    def __init__(self, tmp: Path, station_toml: str = "") -> None:
        self.tmp = tmp
        self.user = getpass.getuser()
        self.group = grp.getgrgid(os.getgid()).gr_name
        self.host_key = tmp / "ssh_host_ed25519_key"
        self.client_key = tmp / "client_ed25519_key"
        self.config_file = tmp / "workbench.toml"
        self.database = tmp / "cases.db"
        self.sshd_config = tmp / "sshd_config"
        self.sshd_log = tmp / "sshd.log"
        self.port = 0
        self._sshd: subprocess.Popen | None = None
        for key in (self.host_key, self.client_key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "e2e", "-f", str(key)], check=True)
        (tmp / "authorized_keys").write_text(self.client_key.with_suffix(".pub").read_text())
        # A whole station in tmp: its ticket key, no printer, its own data folder (below).
        self.config_file.write_text(
            station_toml
            or (
                '[station]\nid = "E2E"\nname = "SSH test station"\n'
                f'[ticket]\nkey_file = "{tmp / "ticket-key.pem"}"\n[printer]\nkind = "none"\n'
                # The bench's smartctl answers as the demo drives would: no drive is attached here.
                f'[smart]\nsmartctl = "{demo_smartctl(tmp)}"\n'
            )
        )

    # -- sshd -----------------------------------------------------------------------------

    def deployed_config(self) -> str:
        """The sshd snippet the setup script writes for a station, for this test user."""
        return subprocess.run(
            [str(SETUP_SCRIPT), "print-config", "--group", self.group, "--workbench", str(WORKBENCH)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def write_sshd_config(self) -> None:
        env = {
            "WORKBENCH_CONFIG": self.config_file,
            "WORKBENCH_DATABASE_URL": f"sqlite:///{self.database}",
            "XDG_DATA_HOME": self.tmp / "data",
            "XDG_CONFIG_HOME": self.tmp / "config",
            # The stand-in smartctl's place in a self-test's story: this station's own.
            "WORKBENCH_FAKE_SMARTCTL_STATE": self.tmp / "smartctl-state",
            "LANG": "C.UTF-8",
        }
        self.sshd_config.write_text(
            f"ListenAddress 127.0.0.1:{self.port}\n"
            f"HostKey {self.host_key}\n"
            "PidFile none\n"
            f"AuthorizedKeysFile {self.tmp / 'authorized_keys'}\n"
            # tmp folders are the test user's, not root's: don't insist on root-owned paths.
            "StrictModes no\n"
            "UsePAM no\n"
            "PubkeyAuthentication yes\n"
            "PasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\n"
            "PermitRootLogin prohibit-password\n"
            f"AllowUsers {self.user}\n"
            "LogLevel VERBOSE\n"
            # sshd passes the client's environment on to nobody; the station's files are here.
            "SetEnv " + " ".join(f"{k}={v}" for k, v in env.items()) + "\n" + self.deployed_config()
        )

    def start(self) -> SshStation:
        sshd = sshd_path()
        assert sshd is not None
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        # Another test may take the free port between our probe and sshd's bind: try again.
        for _attempt in range(3):
            self.port = free_port()
            self.write_sshd_config()
            check = subprocess.run([sshd, "-t", "-f", str(self.sshd_config)], capture_output=True, text=True)
            assert check.returncode == 0, f"sshd -t rejected the configuration: {check.stderr}"
            log = self.sshd_log.open("w")
            self._sshd = subprocess.Popen(
                [sshd, "-D", "-e", "-f", str(self.sshd_config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
            log.close()
            listening = wait_until(
                lambda: "Server listening" in self.log() or self._sshd.poll() is not None, timeout=10
            )
            if listening and self._sshd.poll() is None:
                return self
            self.stop()
            if "Address already in use" not in self.log():
                break
        raise AssertionError(f"sshd did not start:\n{self.log()}")

    def stop(self) -> None:
        # A workbench that outlived its session is the bug a test reports, not one to leave
        # running: its sessions are not in sshd's process group.
        for pid in self.workbench_processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self._sshd is not None and self._sshd.poll() is None:
            # sshd's session children are in its process group (start_new_session above).
            os.killpg(self._sshd.pid, signal.SIGTERM)
            try:
                self._sshd.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self._sshd.pid, signal.SIGKILL)
                self._sshd.wait()
        self._sshd = None

    def log(self) -> str:
        return self.sshd_log.read_text(errors="replace") if self.sshd_log.exists() else ""

    # -- clients --------------------------------------------------------------------------

    def ssh_command(self, *remote: str, tty: bool = True, options: tuple[str, ...] = ()) -> list[str]:
        return [
            "ssh",
            "-F",
            "/dev/null",
            *(["-tt"] if tty else ["-T"]),
            *options,
            "-i",
            str(self.client_key),
            "-p",
            str(self.port),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=10",
            f"{self.user}@127.0.0.1",
            *remote,
        ]

    def workbench_processes(self) -> list[int]:
        """Server-side workbench processes of this station (found by their environment)."""
        marker = f"WORKBENCH_CONFIG={self.config_file}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                environ = (entry / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if marker in environ:
                found.append(int(entry.name))
        return found


class Terminal:
    """The ssh client in an 80x24 tmux pane, with its own tmux server."""

    def __init__(self, station: SshStation, name: str, *remote: str, width: int = 80, height: int = 24) -> None:
        self.station = station
        self.socket = station.tmp / f"tmux-{name}"
        command = " ".join(shlex.quote(part) for part in station.ssh_command(*remote))
        self._tmux(
            "-f", "/dev/null", "new-session", "-d", "-x", str(width), "-y", str(height), "-s", "e2e", f"exec {command}"
        )
        # Keep the pane after ssh exits so the last screen and the exit status can be read.
        self._tmux("set-option", "-t", "e2e", "remain-on-exit", "on")

    def _tmux(self, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        env["TERM"] = "xterm-256color"  # the terminal tmux itself pretends to be attached to
        result = subprocess.run(["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "e2e")

    def wait_for(self, *texts: str, timeout: float = 20, any_of: bool = False) -> str:
        """Wait until the screen shows every one of `texts` (or one, `any_of`); the screen then."""

        def showing() -> str | None:
            screen = self.screen()
            return screen if (any if any_of else all)(text in screen for text in texts) else None

        shown = wait_until(showing, timeout)
        if shown is None:
            raise AssertionError(
                f"screen never showed {'any' if any_of else 'all'} of {texts!r} within {timeout}s; it shows:\n"
                f"{self.screen()}\n--- sshd log ---\n{self.station.log()}"
            )
        return shown

    def highlights(self) -> frozenset[tuple[int, int]]:
        """Where the focus is: (row, column) where a run of a background colour no other row
        uses starts. Columns too, as a row may hold two fields (an inspection check and its note).

        Textual routes keys to the widget focused when they are read, so text typed right
        after Tab can land in the field being left; `move_focus` waits for the highlight to
        move before anything else is typed. A blinking cursor (one cell) does not move it.
        """
        runs = [_background_runs(line) for line in self.styled_screen().splitlines()]
        colours = [{colour for colour, _, _ in row} for row in runs]
        return frozenset(
            (i, start)
            for i, row in enumerate(runs)
            for colour, start, width in row
            if width > 1 and all(colour not in other for j, other in enumerate(colours) if j != i)
        )

    def move_focus(self, key: str = "Tab", timeout: float = 10) -> None:
        before = self.highlights()
        self.send(key)
        if not wait_until(lambda: self.highlights() != before, timeout):
            raise AssertionError(f"{key} did not visibly move the focus; the screen shows:\n{self.screen()}")

    def press(self, key: str, timeout: float = 10) -> None:
        """One key whose effect is drawn (a radio button or checkbox set), waited for: keys
        sent together reach the workbench together, before a widget has finished with one."""
        before = self.settled_screen()
        self.send(key)
        if not wait_until(lambda: self.styled_screen() != before, timeout):
            raise AssertionError(f"{key} changed nothing on the screen:\n{self.screen()}")

    def settled_screen(self, quiet: float = 0.3, timeout: float = 10) -> str:
        """The styled screen once it stops changing: a screen that has just opened may still
        be drawing its focus, which must not pass for the effect of the next key."""
        last, since = self.styled_screen(), time.monotonic()
        deadline = since + timeout
        while time.monotonic() - since < quiet:
            if time.monotonic() > deadline:
                raise AssertionError(f"the screen never settled:\n{self.screen()}")
            time.sleep(0.05)
            now = self.styled_screen()
            if now != last:
                last, since = now, time.monotonic()
        return last

    def styled_screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-e", "-t", "e2e")

    def send(self, *keys: str) -> None:
        """tmux key names: "Enter", "Tab", "Escape", "C-s", "Down", or "y"."""
        self._tmux("send-keys", "-t", "e2e", *keys)

    def type(self, text: str) -> None:
        """Literal text, as a barcode scanner or a person types it."""
        self._tmux("send-keys", "-t", "e2e", "-l", text)

    def resize(self, width: int, height: int) -> None:
        """The technician resizes the window: ssh tells sshd, which tells the workbench."""
        self._tmux("resize-window", "-t", "e2e", "-x", str(width), "-y", str(height))

    def client_pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}").strip())

    def client_exited(self) -> bool:
        return self._tmux("display-message", "-p", "-t", "e2e", "#{pane_dead}").strip() == "1"

    def drop(self) -> None:
        """The link dies: the ssh client is killed outright, with no goodbye to the server."""
        os.kill(self.client_pid(), signal.SIGKILL)
        assert wait_until(self.client_exited, timeout=10), "the ssh client did not die"

    def close(self) -> None:
        try:
            self._tmux("kill-server")
        except AssertionError:
            pass  # already gone


BACKGROUND = re.compile(r"\x1b\[(?:[0-9;]*;)?(48;(?:5;\d+|2;\d+;\d+;\d+))")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def _background_runs(line: str) -> list[tuple[str, int, int]]:
    """(background colour, first column, width) of each run of text drawn on an explicit background."""
    runs: list[tuple[str, int, int]] = []
    colour, column = None, 0
    for part in re.split(f"({SGR.pattern})", line):
        if SGR.fullmatch(part):
            found = BACKGROUND.search(part)
            if found:
                colour = found.group(1)
            elif part in ("\x1b[0m", "\x1b[m") or ";49" in part or part == "\x1b[49m":
                colour = None
            continue
        if part and colour is not None:
            if runs and runs[-1][0] == colour and runs[-1][1] + runs[-1][2] == column:
                runs[-1] = (colour, runs[-1][1], runs[-1][2] + len(part))
            else:
                runs.append((colour, column, len(part)))
        column += len(part)
    return runs


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
