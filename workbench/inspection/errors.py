"""Why a drive could not be read: one distinct, one-line message per cause.

Each message says what the technician can do about it; the CLI prints it as is and the
TUI shows it on the SMART step instead of a readout.
"""

from __future__ import annotations

from workbench.errors import WorkbenchError


def transcript(calls) -> bytes:
    """Several smartctl calls as one evidence document, in the order they ran."""
    return b"".join(call.transcript() for call in calls)


SUDOERS_RULE = "deploy/sudoers.d/netac-workbench"


class SmartError(WorkbenchError):
    """A SMART readout failed; `device` names the drive (or None for the bench as a whole)."""

    exit_code = 3

    def __init__(self, message: str, device: str | None = None) -> None:
        self.device = device
        self.calls: tuple = ()  # the SmartctlCalls made before the failure (read_drive sets them)
        super().__init__(message)

    @property
    def raw_output(self) -> bytes:
        """The smartctl output that led to this failure, for the case record."""
        return transcript(self.calls)


class SmartctlMissing(SmartError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"smartctl not found at {path}: install the Debian package smartmontools "
            "(./bench start does) or set [smart] smartctl in the station configuration"
        )


class SmartPermissionDenied(SmartError):
    def __init__(self, device: str | None, detail: str) -> None:
        where = device or "the drives"
        super().__init__(
            f"no permission to read {where} ({detail}): install the sudoers rule "
            f"{SUDOERS_RULE} and set [smart] use_sudo = true (see docs/station-setup.md, SMART permissions)",
            device,
        )


class DriveAbsent(SmartError):
    def __init__(self, device: str) -> None:
        super().__init__(
            f"no drive at {device}: check the cable or adapter, then `workbench smart list`",
            device,
        )


class DriveUnresponsive(SmartError):
    """The device node opens but the drive does not answer its identify command."""

    def __init__(self, device: str, detail: str) -> None:
        super().__init__(
            f"the drive at {device} does not answer ({detail}): it may be dead; "
            "record it as unreadable, the TBW cannot be verified",
            device,
        )


class SmartTimeout(SmartError):
    def __init__(self, device: str | None, seconds: float) -> None:
        super().__init__(
            f"smartctl gave no answer for {device or 'the drive scan'} within {seconds:g} s: "
            "the drive or its USB adapter hangs; reconnect it directly and try again",
            device,
        )


class UnparseableOutput(SmartError):
    def __init__(self, device: str, detail: str) -> None:
        super().__init__(
            f"smartctl's output for {device} could not be read ({detail}); the raw output is kept with the case",
            device,
        )


class UnsupportedBridge(SmartError):
    def __init__(self, device: str, device_type: str, adapter: str | None = None) -> None:
        seen = f" ({adapter})" if adapter else ""
        super().__init__(
            f"{device} is behind an adapter{seen} smartctl reaches as '{device_type}', which "
            "passes no SMART data the workbench can read: connect the drive directly, "
            "or try --type sat",
            device,
        )


class SmartctlFailed(SmartError):
    """smartctl refused the command line itself (exit status bit 0)."""

    def __init__(self, device: str | None, detail: str) -> None:
        super().__init__(f"smartctl rejected the request for {device or 'the scan'}: {detail}", device)


class RecordingError(SmartError):
    """A replay recording is missing, malformed or lacks the call that was made."""


class ReadTestError(WorkbenchError):
    """A read test could not start on `device` (it never writes, so nothing was changed)."""

    exit_code = 3

    def __init__(self, message: str, device: str) -> None:
        self.device = device
        super().__init__(message)

    @classmethod
    def cannot_open(cls, device: str, error: OSError) -> ReadTestError:
        import errno

        if error.errno == errno.ENOENT:
            why = "no such device: check the cable or adapter, then list the drives again"
        elif error.errno in (errno.EACCES, errno.EPERM):
            why = "permission denied: this account may not read the device node (never add technicians to group disk: it can write)"
        elif error.errno in (errno.ENXIO, errno.ENODEV, errno.ENOMEDIUM):
            why = "the drive does not answer or is gone: reconnect it and try again"
        else:
            why = error.strerror or str(error)
        return cls(f"cannot open {device} for reading: {why}", device)
