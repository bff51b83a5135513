"""Why a drive could not be read: one distinct, one-line message per cause.

Each message says what the technician can do about it; the CLI prints it as is and the
TUI shows it on the SMART step instead of a readout. A message is a policy.message.Message
(workbench.inspection.said): its value is the English text (kept as the reason a drive is
unreadable), `say(exc.args[0])` says it in the session's language. What smartctl or the
system said (`detail`, an OS error) is a value in it, never translated.
"""

from __future__ import annotations

from policy.message import Message
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
            Message(
                "smartctl not found at {path}: install the Debian package smartmontools "
                "(./bench start does) or set [smart] smartctl in the station configuration",
                path=path,
            )
        )


class SmartPermissionDenied(SmartError):
    def __init__(self, device: str | None, detail: str) -> None:
        if device:
            message = Message(
                "no permission to read {device} ({detail}): install the sudoers rule "
                "{rule} and set [smart] use_sudo = true (see docs/station-setup.md, SMART permissions)",
                device=device,
                detail=detail,
                rule=SUDOERS_RULE,
            )
        else:
            message = Message(
                "no permission to read the drives ({detail}): install the sudoers rule "
                "{rule} and set [smart] use_sudo = true (see docs/station-setup.md, SMART permissions)",
                detail=detail,
                rule=SUDOERS_RULE,
            )
        super().__init__(message, device)


class DriveAbsent(SmartError):
    def __init__(self, device: str) -> None:
        super().__init__(
            Message("no drive at {device}: check the cable or adapter, then `workbench smart list`", device=device),
            device,
        )


class DriveUnresponsive(SmartError):
    """The device node opens but the drive does not answer its identify command."""

    def __init__(self, device: str, detail: str) -> None:
        super().__init__(
            Message(
                "the drive at {device} does not answer ({detail}): it may be dead; "
                "record it as unreadable, the TBW cannot be verified",
                device=device,
                detail=detail,
            ),
            device,
        )


class SmartTimeout(SmartError):
    def __init__(self, device: str | None, seconds: float) -> None:
        if device:
            message = Message(
                "smartctl gave no answer for {device} within {seconds} s: "
                "the drive or its USB adapter hangs; reconnect it directly and try again",
                device=device,
                seconds=format(seconds, "g"),
            )
        else:
            message = Message(
                "smartctl gave no answer for the drive scan within {seconds} s: "
                "the drive or its USB adapter hangs; reconnect it directly and try again",
                seconds=format(seconds, "g"),
            )
        super().__init__(message, device)


class UnparseableOutput(SmartError):
    def __init__(self, device: str, detail: str) -> None:
        super().__init__(
            Message(
                "smartctl's output for {device} could not be read ({detail}); the raw output is kept with the case",
                device=device,
                detail=detail,
            ),
            device,
        )


class UnsupportedBridge(SmartError):
    def __init__(self, device: str, device_type: str, adapter: str | None = None) -> None:
        if adapter:
            message = Message(
                "{device} is behind an adapter ({adapter}) smartctl reaches as '{device_type}', which "
                "passes no SMART data the workbench can read: connect the drive directly, "
                "or try --type sat",
                device=device,
                adapter=adapter,
                device_type=device_type,
            )
        else:
            message = Message(
                "{device} is behind an adapter smartctl reaches as '{device_type}', which "
                "passes no SMART data the workbench can read: connect the drive directly, "
                "or try --type sat",
                device=device,
                device_type=device_type,
            )
        super().__init__(message, device)


class SmartctlFailed(SmartError):
    """smartctl refused the command line itself (exit status bit 0)."""

    def __init__(self, device: str | None, detail: str) -> None:
        if device:
            message = Message("smartctl rejected the request for {device}: {detail}", device=device, detail=detail)
        else:
            message = Message("smartctl rejected the request for the scan: {detail}", detail=detail)
        super().__init__(message, device)


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
            message = Message(
                "cannot open {device} for reading: no such device: check the cable or adapter, "
                "then list the drives again",
                device=device,
            )
        elif error.errno in (errno.EACCES, errno.EPERM):
            message = Message(
                "cannot open {device} for reading: permission denied: this account may not read the device "
                "node (never add technicians to group disk: it can write)",
                device=device,
            )
        elif error.errno in (errno.ENXIO, errno.ENODEV, errno.ENOMEDIUM):
            message = Message(
                "cannot open {device} for reading: the drive does not answer or is gone: reconnect it and try again",
                device=device,
            )
        else:  # the system's own words
            message = Message(
                "cannot open {device} for reading: {error}", device=device, error=error.strerror or str(error)
            )
        return cls(message, device)
