"""The QR decodes back to the signed text: from the PNG, and from the terminal drawing."""

from __future__ import annotations

import io
from dataclasses import replace

import zxingcpp
from PIL import Image, ImageDraw

from tests.ticket_helpers import station_config
from tests.tui_helpers import SIZE, wait_for
from workbench.ticket import qr
from workbench.ticket.issue import verify_ticket
from workbench.ticket.keys import station_key
from workbench.ticket.payload import TicketFacts, signed_text

FACTS = TicketFacts(
    "SZ01-2026-000123",
    "SZ01",
    "2026-11-24",
    "NV7000",
    "2000",
    "RN202303092TB677720",
    "not_covered",
    "",
    "netac-warranty 2024.1",
)


def decode(image: Image.Image) -> str:
    [result] = zxingcpp.read_barcodes(image)
    return result.text


def test_png_decodes_to_the_payload_at_a_receipt_size(tmp_path):
    text = signed_text(FACTS, station_key(station_config(tmp_path)))
    assert decode(Image.open(io.BytesIO(qr.png_bytes(text)))) == text
    version = qr.make(text).version
    print(f"\nticket QR: {len(text)} characters, version {version} ({17 + 4 * version} modules), error correction M")
    assert version <= 6  # 41 modules: about 1 mm a module in 48 mm of 58 mm paper


def test_a_usual_ticket_fits_23_lines_of_an_80x24_terminal(tmp_path):
    text = signed_text(FACTS, station_key(station_config(tmp_path)))
    code = qr.for_screen(text, 23)
    assert code is not None and len(qr.terminal_lines(code)) <= 23
    print(
        f"\nscreen QR: version {code.version}, error correction {qr.LEVEL_NAMES[code.error_correction]}, "
        f"{len(code.get_matrix())} modules with the quiet zone, {len(qr.terminal_lines(code))} lines"
    )
    # A long serial still fits, with less error correction; a terminal of 10 lines fits none.
    long_serial = signed_text(
        replace(FACTS, serial="RN202303092TB6777201234", model="NV7000-T"), station_key(station_config(tmp_path))
    )
    assert qr.for_screen(long_serial, 23).version <= 6 and qr.for_screen(text, 10) is None


def test_the_terminal_drawing_scans(tmp_path):
    text = signed_text(FACTS, station_key(station_config(tmp_path)))
    lines = qr.terminal_lines(text)
    scale = 6
    image = Image.new("L", (len(lines[0]) * scale, len(lines) * 2 * scale), 255)
    pixels = image.load()
    halves = {"█": (False, False), "▄": (True, False), "▀": (False, True), " ": (True, True)}
    for row, line in enumerate(lines):
        for col, glyph in enumerate(line):
            for half, dark in enumerate(halves[glyph]):
                if dark:
                    for y in range(scale):
                        for x in range(scale):
                            pixels[col * scale + x, (row * 2 + half) * scale + y] = 0
    # As the screen shows it: light blocks on the black background set in app.tcss (#qr).
    assert decode(image) == text


def cells_image(app, cell_width: int = 4, cell_height: int = 8) -> Image.Image:
    """The screen exactly as the terminal draws it, cell by cell with its colours: block glyphs
    fill their halves with the foreground, everything else shows the cell's background."""
    strips = app.screen._compositor.render_strips()
    width, height = app.size
    image = Image.new("L", (width * cell_width, height * cell_height), 128)
    draw = ImageDraw.Draw(image)
    halves = {"█": (True, True), "▀": (True, False), "▄": (False, True)}

    def grey(color, default):
        if color is None:
            return default
        r, g, b = color.get_truecolor()
        return int(0.299 * r + 0.587 * g + 0.114 * b)

    for y, strip in enumerate(strips):
        x = 0
        for segment in strip:
            style = segment.style
            fg, bg = grey(style.color if style else None, 255), grey(style.bgcolor if style else None, 0)
            for char in segment.text:
                top, bottom = halves.get(char, (False, False))
                for half, filled in enumerate((top, bottom)):
                    box = (
                        x * cell_width,
                        y * cell_height + half * cell_height // 2,
                        (x + 1) * cell_width - 1,
                        y * cell_height + (half + 1) * cell_height // 2 - 1,
                    )
                    draw.rectangle(box, fill=fg if filled else bg)
                x += 1
    return image


async def test_the_whole_screen_qr_scans_at_80x24(bench):
    from tests.test_tui_snapshots import to_ticket
    from workbench.screens.ticket_qr import TicketQrScreen

    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await to_ticket(pilot)
        number = app.flow.number
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketQrScreen))
        await pilot.pause(0.2)
        assert app.size == SIZE
        text = decode(cells_image(app))
        assert text == app.station.store.get_case(number).tickets[-1].payload
        assert verify_ticket(text, app.station.config, app.station.store).record_matches
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TicketQrScreen))
