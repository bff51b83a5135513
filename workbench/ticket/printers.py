"""Sending a ticket to the station's printer: a PDF through CUPS `lp`, or ESC/POS receipts.

The station configuration chooses:

    [printer]
    kind = "cups"            # or "escpos", or "none" (tickets are shown and queued only)
    queue = "counter"        # cups: the lp destination (default: the system default)
    # escpos: connection = "network" (host, port), "usb" (vendor_id, product_id),
    #         "serial" (device, baudrate) or "file" (device, e.g. /dev/usb/lp0); width = 58 | 80

Every failure is a PrintError with a line a technician can act on; the ticket stays queued.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from workbench.config import StationConfig
from workbench.errors import ConfigError, WorkbenchError
from workbench.ticket.content import TicketContent
from workbench.ticket.qr import png_bytes

LP_TIMEOUT_S = 30


class PrintError(WorkbenchError):
    """The printer did not take the ticket; it stays queued in the case record."""


class NoPrinter(PrintError):
    """The station has no printer ([printer] kind = none): nothing failed, the ticket is kept."""


def printer_kind(config: StationConfig) -> str:
    kind = config.section("printer").get("kind", str, "none")
    if kind not in ("cups", "escpos", "none"):
        raise ConfigError("printer.kind", f"{kind!r} is not one of cups, escpos, none")
    return kind


def printer_name(config: StationConfig) -> str:
    """The printer as the case record names it, e.g. cups:counter or escpos:network."""
    section = config.section("printer")
    kind = printer_kind(config)
    if kind == "cups":
        return f"cups:{section.get('queue', str, '') or 'default'}"
    if kind == "escpos":
        return f"escpos:{section.get('connection', str, 'file')}"
    return kind


def print_ticket(config: StationConfig, content: TicketContent, qr_text: str) -> str:
    """Print; returns what was done. Raises PrintError when the printer did not take it."""
    kind = printer_kind(config)
    if kind == "none":
        raise NoPrinter(
            "no printer is configured ([printer] kind = none): the ticket is kept queued, to show on "
            "screen (v) or print once a printer is set up"
        )
    if kind == "cups":
        return _print_cups(config, content, qr_text)
    return _print_escpos(config, content, qr_text)


def ticket_pdf(content: TicketContent, qr_text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))  # A5 portrait, in mm
    pdf.set_auto_page_break(True, margin=10)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, content.title, new_x="LMARGIN", new_y="NEXT")
    with tempfile.NamedTemporaryFile(suffix=".png") as image:
        image.write(png_bytes(qr_text, box_size=8))
        image.flush()
        pdf.image(image.name, w=45)
    pdf.set_font("Helvetica", size=9)
    for line in content.lines:
        pdf.multi_cell(0, 4.5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    # The built-in PDF fonts are Latin-1; anything else prints as '?' rather than failing.
    return text.encode("latin-1", "replace").decode("latin-1")


def _print_cups(config: StationConfig, content: TicketContent, qr_text: str) -> str:
    lp = shutil.which("lp")
    if lp is None:
        raise PrintError("cannot print: the CUPS client (lp) is not installed on this bench PC")
    queue = config.section("printer").get("queue", str, "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ticket.pdf"
        path.write_bytes(ticket_pdf(content, qr_text))
        command = [lp, *(["-d", queue] if queue else []), "-t", "Netac ticket", str(path)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=LP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise PrintError(f"the printer queue did not answer within {LP_TIMEOUT_S} s") from None
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()
        raise PrintError(f"the printer refused the ticket: {why[0] if why else f'lp exit {done.returncode}'}")
    return f"sent to {queue or 'the default printer'}: {done.stdout.strip()}"


def escpos_device(config: StationConfig):
    """The python-escpos printer object the configuration describes."""
    from escpos import printer

    section = config.section("printer")
    connection = section.get("connection", str, "file")
    if connection == "network":
        return printer.Network(section.get("host", str, ""), port=section.get("port", int, 9100), timeout=10)
    if connection == "usb":
        return printer.Usb(section.get("vendor_id", int, 0), section.get("product_id", int, 0))
    if connection == "serial":
        return printer.Serial(section.get("device", str, "/dev/ttyUSB0"), baudrate=section.get("baudrate", int, 9600))
    if connection == "file":
        return printer.File(section.get("device", str, "/dev/usb/lp0"))
    raise ConfigError("printer.connection", f"{connection!r} is not one of network, usb, serial, file")


def write_receipt(device, content: TicketContent, qr_text: str, width_mm: int = 58) -> None:
    """The receipt: title, QR (native ESC/POS QR command), the words, a cut."""
    device.set(align="center", bold=True)
    device.textln(content.title)
    from escpos.constants import QR_ECLEVEL_M

    device.qr(qr_text, ec=QR_ECLEVEL_M, size=4 if width_mm <= 58 else 6, native=True)
    device.set(align="left", bold=False)
    columns = 32 if width_mm <= 58 else 48
    for line in content.lines:
        device.block_text(_latin1(line) + "\n", columns=columns)
    device.cut()


def _print_escpos(config: StationConfig, content: TicketContent, qr_text: str) -> str:
    width = config.section("printer").get("width", int, 58)
    if width not in (58, 80):
        raise ConfigError("printer.width", f"{width} must be 58 or 80 (mm)")
    try:
        device = escpos_device(config)  # python-escpos connects on the first write
        write_receipt(device, content, qr_text, width)
        device.close()
    except ConfigError:
        raise
    except Exception as exc:  # python-escpos raises many kinds: USB, socket, serial, OS errors
        raise PrintError(f"the receipt printer did not take the ticket ({type(exc).__name__}: {exc})") from None
    return f"printed on the {width} mm receipt printer"
