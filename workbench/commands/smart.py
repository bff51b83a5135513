"""Read drives on the bench with smartctl: `smart list`, `smart read DEVICE [--json]`.

With `--replay DIR` the answers come from recorded smartctl output instead of the
drives (DIR may be `demo`, the bundled training bench). Otherwise smartctl runs as set
in the station configuration's [smart] table: smartctl (path), use_sudo, timeout.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal

from workbench.errors import InputError
from workbench.words.text import strip_control

HELP = "list the drives on the bench, or read one drive's SMART data"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = verbs.add_parser("list", help="list the drives smartctl finds")
    reading = verbs.add_parser("read", help="read one drive")
    reading.add_argument("device", metavar="DEVICE", help="device path, e.g. /dev/sda or /dev/nvme0")
    reading.add_argument("--json", action="store_true", help="print the readout as one JSON object")
    reading.add_argument("--raw", action="store_true", help="also print smartctl's raw output")
    reading.add_argument(
        "--type",
        metavar="TYPE",
        dest="device_type",
        help="smartctl -d type, e.g. sat for a USB adapter (default: as smartctl detects)",
    )
    for verb in (listing, reading):
        source = verb.add_mutually_exclusive_group()
        source.add_argument(
            "--replay", metavar="DIR", help="answer from recorded smartctl output (`demo`: the training bench)"
        )
        source.add_argument(
            "--record", metavar="DIR", help="read the drives and also save smartctl's answers as a recording in DIR"
        )


def run(args: argparse.Namespace) -> int:
    from workbench.inspection.errors import SmartPermissionDenied
    from workbench.inspection.smart import list_drives, read_drive

    reader, timeout = _reader(args)
    if args.verb == "list":
        drives = list_drives(reader, timeout)
        if not drives:
            print("no drives found (smartctl --scan-open listed none)")
        for drive in drives:
            status = f"  cannot open: {drive.problem}" if drive.problem else ""
            print(f"{drive.device:<12} {drive.device_type:<12} {drive.description}{status}")
        denied = [d.device for d in drives if d.problem and "Permission denied" in d.problem]
        if denied:
            print(
                f"workbench: {SmartPermissionDenied(None, 'smartctl could not open ' + ', '.join(denied))}",
                file=sys.stderr,
            )
            return 3  # as a drive that cannot be read: the list is not the bench's whole truth
        return 0
    if args.device_type is not None and not re.fullmatch(r"[a-z0-9+,]{2,24}", args.device_type):
        raise InputError("--type", f"{args.device_type!r} is not a smartctl device type such as sat or nvme")
    readout = read_drive(reader, args.device, timeout, device_type=args.device_type)
    if args.json:
        json.dump(readout.to_dict(), sys.stdout, indent=2)
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
        return "-" if value is None else f"{value:,}{unit}" if isinstance(value, int) else str(value)

    written = show(r.host_bytes_written, " bytes")
    if r.host_bytes_written is not None:  # Decimal: a counter past any float still prints
        written += f" ({Decimal(r.host_bytes_written) / 10**12:.3f} TB)"
    rows = [
        ("Device", f"{r.device} ({r.interface}, smartctl -d {r.device_type})"),
        ("Model", show(r.model)),
        ("Serial", show(r.serial)),
        ("Firmware", show(r.firmware)),
        ("Capacity", show(r.capacity_bytes, " bytes")),
        ("Controller", show(r.controller or r.family)),
        ("Health", r.health),
        ("Power-on hours", show(r.power_on_hours)),
        ("Temperature", show(r.temperature_c, " °C")),
        ("Percentage used", show(r.percentage_used, " %")),
        ("Media errors", show(r.media_errors)),
        ("Host bytes written", written),
        ("  basis", r.bytes_written_basis),
    ]
    rows += [("Note", message) for message in r.messages]
    for label, value in rows:
        print(f"{label:<19} {strip_control(str(value))}")  # model, serial, firmware: the drive's words
