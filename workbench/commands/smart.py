"""Read drives on the bench with smartctl: `smart list`, `smart read DEVICE [--json]`."""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal

from workbench.errors import InputError
from workbench.words.language import N_, _, say, shown_number, spoken
from workbench.words.text import pad, strip_control

DESCRIPTION = N_(
    """Read drives on the bench with smartctl: `smart list`, `smart read DEVICE [--json]`.

With `--replay DIR` the answers come from recorded smartctl output instead of the
drives (DIR may be `demo`, the bundled training bench). Otherwise smartctl runs as set
in the station configuration's [smart] table: smartctl (path), use_sudo, timeout.
"""
)
HELP = N_("list the drives on the bench, or read one drive's SMART data")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = verbs.add_parser("list", help=_("list the drives smartctl finds"))
    reading = verbs.add_parser("read", help=_("read one drive"))
    reading.add_argument("device", metavar="DEVICE", help=_("device path, e.g. /dev/sda or /dev/nvme0"))
    reading.add_argument("--json", action="store_true", help=_("print the readout as one JSON object"))
    reading.add_argument("--raw", action="store_true", help=_("also print smartctl's raw output"))
    reading.add_argument(
        "--type",
        metavar="TYPE",
        dest="device_type",
        help=_("smartctl -d type, e.g. sat for a USB adapter (default: as smartctl detects)"),
    )
    for verb in (listing, reading):
        source = verb.add_mutually_exclusive_group()
        source.add_argument(
            "--replay", metavar="DIR", help=_("answer from recorded smartctl output (`demo`: the training bench)")
        )
        source.add_argument(
            "--record", metavar="DIR", help=_("read the drives and also save smartctl's answers as a recording in DIR")
        )


def run(args: argparse.Namespace) -> int:
    from workbench.inspection.errors import SmartPermissionDenied
    from workbench.inspection.smart import list_drives, read_drive

    reader, timeout = _reader(args)
    if args.verb == "list":
        drives = list_drives(reader, timeout)
        if not drives:
            print(_("no drives found (smartctl --scan-open listed none)"))
        for drive in drives:
            status = "  " + _("cannot open: {problem}").format(problem=drive.problem) if drive.problem else ""
            print(f"{pad(drive.device, 12)} {pad(drive.device_type, 12)} {drive.description}{status}")
        denied = [d.device for d in drives if d.problem and "Permission denied" in d.problem]
        if denied:
            print(
                "workbench: "
                + spoken(
                    SmartPermissionDenied(
                        None, _("smartctl could not open {devices}").format(devices=", ".join(denied))
                    )
                ),
                file=sys.stderr,
            )
            return 3  # as a drive that cannot be read: the list is not the bench's whole truth
        return 0
    if args.device_type is not None and not re.fullmatch(r"[a-z0-9+,]{2,24}", args.device_type):
        raise InputError(
            "--type",
            _("{type} is not a smartctl device type such as sat or nvme").format(type=repr(args.device_type)),
        )
    readout = read_drive(reader, args.device, timeout, device_type=args.device_type)
    if args.json:
        # As it always was: the templates kept for the counter's languages ("said") are the records' business.
        json.dump({k: v for k, v in readout.to_dict().items() if k != "said"}, sys.stdout, indent=2)
        print()
    else:
        _print_readout(readout)
    if args.raw:
        sys.stdout.flush()
        if sys.stdout.isatty():  # the drive's own bytes: never terminal control on a screen
            print(strip_control(readout.raw_output.decode("utf-8", "replace"), keep_newlines=True))
        else:  # to a file or a pipe, exactly as smartctl wrote them
            sys.stdout.buffer.write(readout.raw_output)
    return 0


def _reader(args):
    from workbench.config import load_config
    from workbench.inspection.smartctl import (
        DEFAULT_TIMEOUT,
        RecordingSmartctl,
        ReplaySmartctl,
        reader_from_config,
    )

    if args.replay:
        return ReplaySmartctl(args.replay), DEFAULT_TIMEOUT
    reader, timeout = reader_from_config(load_config())
    if args.record:
        return RecordingSmartctl(reader, args.record), timeout
    return reader, timeout


def _print_readout(r) -> None:
    def show(value, unit=""):
        """A value; a count with its unit (a `{number}` field), in the session's form of numbers."""
        if value is None:
            return "-"
        if isinstance(value, int):
            return unit.format(number=shown_number(value)) if unit else shown_number(value)
        return str(value)

    written = show(r.host_bytes_written, _("{number} bytes"))
    if r.host_bytes_written is not None:  # Decimal: a counter past any float still prints
        written = _("{bytes} ({terabytes} TB)").format(
            bytes=written, terabytes=f"{Decimal(r.host_bytes_written) / 10**12:.3f}"
        )
    rows = [
        (_("Device"), f"{r.device} ({r.interface}, smartctl -d {r.device_type})"),
        (_("Model"), show(r.model)),
        (_("Serial"), show(r.serial)),
        (_("Firmware"), show(r.firmware)),
        (_("Capacity"), show(r.capacity_bytes, _("{number} bytes"))),
        (_("Controller"), show(r.controller or r.family)),
        (_("Health"), r.health),
        (_("Power-on hours"), show(r.power_on_hours)),
        (_("Temperature"), show(r.temperature_c, "{number} °C")),
        (_("Percentage used"), show(r.percentage_used, "{number} %")),
        (_("Media errors"), show(r.media_errors)),
        (_("Host bytes written"), written),
        ("  " + _("basis"), say(r.bytes_written_basis)),
    ]
    rows += [(_("Note"), say(message)) for message in r.messages]
    for label, value in rows:
        print(f"{pad(label, 19)} {strip_control(str(value))}")  # model, serial, firmware: the drive's words
