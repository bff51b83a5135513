"""Sending a ticket to the station's printer: a PDF through CUPS `lp`, or ESC/POS receipts.

The station configuration chooses:

    [printer]
    kind = "cups"            # or "escpos", or "none" (tickets are shown and queued only)
    queue = "counter"        # cups: the lp destination (default: the system default)
    # escpos: connection = "network" (host, port), "usb" (vendor_id, product_id),
    #         "serial" (device, baudrate) or "file" (device, e.g. /dev/usb/lp0); width = 58 | 80

Every failure is a PrintError with a line a technician can act on; the ticket stays queued.
Its words are a policy.message.Message: the record keeps them in English (the ticket's last
error, its audit entry), and the counter says them in its language (`say`).

A ticket in Chinese: the PDF is set in a CJK font from Debian (CJK_FONT, ./bench installs its
package); a receipt printer is sent its words in GB18030 in its Chinese character mode (FS &),
the double-byte code page of the printers sold in China. English tickets are as they always were.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from policy.message import Message
from workbench.config import StationConfig
from workbench.errors import ConfigError, WorkbenchError
from workbench.ticket.content import TicketContent, wrap
from workbench.ticket.qr import png_bytes
from workbench.words.language import ENGLISH, _, language

LP_TIMEOUT_S = 30
# The font of a PDF ticket in Chinese (the PDF's built-in fonts are Latin-1 only): WenQuanYi Zen
# Hei, TrueType outlines, from Debian's fonts-wqy-zenhei, which ./bench installs.
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
CJK_FONT_PACKAGE = "fonts-wqy-zenhei"
# ESC/POS: FS & selects the printer's Chinese (double-byte) character mode, FS . leaves it.
CHINESE_MODE_ON = b"\x1c\x26"
CHINESE_MODE_OFF = b"\x1c\x2e"


class PrintError(WorkbenchError):
    """The printer did not take the ticket; it stays queued in the case record."""


class NoPrinter(PrintError):
    """The station has no printer ([printer] kind = none): nothing failed, the ticket is kept."""


def printer_kind(config: StationConfig) -> str:
    kind = config.section("printer").get("kind", str, "none")
    if kind not in ("cups", "escpos", "none"):
        raise ConfigError("printer.kind", _("{kind} is not one of cups, escpos, none").format(kind=repr(kind)))
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
            Message(
                "no printer is configured ([printer] kind = none): the ticket is kept queued, to show on "
                "screen (v) or print once a printer is set up"
            )
        )
    if kind == "cups":
        return _print_cups(config, content, qr_text)
    return _print_escpos(config, content, qr_text)


def ticket_pdf(content: TicketContent, qr_text: str) -> bytes:
    """The ticket as an A5 PDF; in Chinese set in CJK_FONT (PrintError, one line, when it is missing)."""
    from fpdf import FPDF

    chinese = language() != ENGLISH
    pdf = FPDF(format=(148, 210))  # A5 portrait, in mm
    pdf.set_auto_page_break(True, margin=10)
    if chinese:
        _add_cjk_font(pdf)
    pdf.add_page()
    if chinese:
        pdf.set_font("cjk", size=14)
    else:
        pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, content.title, new_x="LMARGIN", new_y="NEXT")
    with tempfile.NamedTemporaryFile(suffix=".png") as image:
        image.write(png_bytes(qr_text, box_size=8))
        image.flush()
        pdf.image(image.name, w=45)
    if not chinese:
        pdf.set_font("Helvetica", size=9)
        for line in content.lines:
            pdf.multi_cell(0, 4.5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())
    pdf.set_font("cjk", size=9)
    # fpdf2 breaks lines at spaces only, and Chinese has few: the lines are broken here, between
    # Han characters or at spaces, never inside a word such as a serial.
    width = pdf.epw - 2 * pdf.c_margin
    for line in content.lines:
        for piece in wrap(line, width, pdf.get_string_width):
            pdf.multi_cell(0, 4.5, piece, align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _add_cjk_font(pdf) -> None:
    if not CJK_FONT.is_file():
        raise PrintError(
            Message(
                "cannot print the ticket in Chinese: the font {font} is missing (install the Debian package {package})",
                font=str(CJK_FONT),
                package=CJK_FONT_PACKAGE,
            )
        )
    # fontTools, subsetting the font into the PDF, warns of tables it leaves out: not the clerk's concern.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    try:
        pdf.add_font("cjk", fname=str(CJK_FONT))
    except Exception as exc:  # a damaged or foreign file at the path: fontTools raises many kinds
        error = f"{type(exc).__name__}: {exc}"
        raise PrintError(
            Message(
                "cannot print the ticket in Chinese: the font {font} cannot be read ({error}); "
                "reinstall the Debian package {package}",
                font=str(CJK_FONT),
                error=error,
                package=CJK_FONT_PACKAGE,
            )
        ) from None


def _latin1(text: str) -> str:
    # The built-in PDF fonts are Latin-1; anything else prints as '?' rather than failing.
    return text.encode("latin-1", "replace").decode("latin-1")


def _print_cups(config: StationConfig, content: TicketContent, qr_text: str) -> str:
    lp = shutil.which("lp")
    if lp is None:
        raise PrintError(Message("cannot print: the CUPS client (lp) is not installed on this bench PC"))
    queue = config.section("printer").get("queue", str, "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ticket.pdf"
        path.write_bytes(ticket_pdf(content, qr_text))
        command = [lp, *(["-d", queue] if queue else []), "-t", "Netac ticket", str(path)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=LP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise PrintError(
                Message("the printer queue did not answer within {seconds} s", seconds=LP_TIMEOUT_S)
            ) from None
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()
        if why:
            raise PrintError(Message("the printer refused the ticket: {answer}", answer=why[0]))
        raise PrintError(Message("the printer refused the ticket: lp exit {status}", status=done.returncode))
    if queue:
        return _("sent to {queue}: {answer}").format(queue=queue, answer=done.stdout.strip())
    return _("sent to the default printer: {answer}").format(answer=done.stdout.strip())


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
    raise ConfigError(
        "printer.connection",
        _("{connection} is not one of network, usb, serial, file").format(connection=repr(connection)),
    )


def write_receipt(device, content: TicketContent, qr_text: str, width_mm: int = 58) -> None:
    """The receipt: title, QR (native ESC/POS QR command), the words, a cut. In Chinese the
    words go in the printer's Chinese mode, in GB18030, wrapped to its columns (a Han character
    takes two); the QR is the same in every language."""
    chinese = language() != ENGLISH
    columns = 32 if width_mm <= 58 else 48
    device.set(align="center", bold=True)
    if chinese:
        _chinese_lines(device, [content.title], columns)
    else:
        device.textln(content.title)
    from escpos.constants import QR_ECLEVEL_M

    device.qr(qr_text, ec=QR_ECLEVEL_M, size=4 if width_mm <= 58 else 6, native=True)
    device.set(align="left", bold=False)
    if chinese:
        _chinese_lines(device, content.lines, columns)
    else:
        for line in content.lines:
            device.block_text(_latin1(line) + "\n", columns=columns)
    device.cut()


def gb18030(text: str) -> bytes:
    """`text` as a Chinese receipt printer takes it: GB18030's one- and two-byte codes (its fonts
    have no four-byte ones: such a character prints as '?')."""
    out = bytearray()
    for char in text:
        code = char.encode("gb18030")
        out += code if len(code) <= 2 else b"?"
    return bytes(out)


def _chinese_lines(device, lines, columns: int) -> None:
    # python-escpos's own encoder (MagicEncode) sends text with Han characters in GB18030 but
    # never selects the printer's Chinese mode, and sends the rest through single-byte code
    # pages: the bytes are written here, in Chinese mode, and the mode is left after them.
    # A two-byte character prints two columns wide: a line's width is its byte count.
    device._raw(CHINESE_MODE_ON)
    for line in lines:
        for piece in wrap(line, columns, lambda text: len(gb18030(text))):
            device._raw(gb18030(piece) + b"\n")
    device._raw(CHINESE_MODE_OFF)


def _print_escpos(config: StationConfig, content: TicketContent, qr_text: str) -> str:
    width = config.section("printer").get("width", int, 58)
    if width not in (58, 80):
        raise ConfigError("printer.width", _("{width} must be 58 or 80 (mm)").format(width=width))
    try:
        device = escpos_device(config)  # python-escpos connects on the first write
        write_receipt(device, content, qr_text, width)
        device.close()
    except ConfigError:
        raise
    except Exception as exc:  # python-escpos raises many kinds: USB, socket, serial, OS errors
        error = f"{type(exc).__name__}: {exc}"
        raise PrintError(Message("the receipt printer did not take the ticket ({error})", error=error)) from None
    return _("printed on the {width} mm receipt printer").format(width=width)
