"""Printing: ESC/POS bytes, the PDF for CUPS, `lp` as called, and failures that queue the ticket."""

from __future__ import annotations

import os
import stat
import sys

import pytest
from escpos.printer import Dummy

from policy import load_policy
from tests.ticket_helpers import decided_case, station_config
from workbench.ticket.content import ticket_content
from workbench.ticket.issue import issue_ticket, reprint
from workbench.ticket.printers import PrintError, print_ticket, ticket_pdf, write_receipt

FAKE_LP = """#!{python}
import os, sys
log = os.environ["FAKE_LP_LOG"]
with open(log, "a") as out:
    out.write(repr(sys.argv[1:]) + "\\n")
    out.write(repr(open(sys.argv[-1], "rb").read(5)) + "\\n")
if os.environ.get("FAKE_LP_FAIL"):
    print("lp: The printer or class does not exist.", file=sys.stderr)
    sys.exit(1)
print("request id is counter-42 (1 file(s))")
"""


@pytest.fixture
def case(tmp_path):
    store, number = decided_case(tmp_path, customer_name="Li \x1b[2J Wei", model="NV7000")
    return store, number


def content_for(store, number, config):
    return ticket_content(store.get_case(number), load_policy(), config.station_name)


def test_the_ticket_says_it_in_words(tmp_path, case):
    store, number = case
    lines = content_for(store, number, station_config(tmp_path)).lines
    text = "\n".join(lines)
    assert f"Case {number}" in text and "NOT COVERED" in text
    assert "[Warranty exclusions, 3)]" in text  # the reason with its clause
    assert "back up the product data" in text  # the policy's data note
    assert "proof of purchase" in text.lower()
    assert "\x1b" not in text


def test_escpos_receipt_bytes(tmp_path, case):
    store, number = case
    device = Dummy()
    write_receipt(device, content_for(store, number, station_config(tmp_path)), "NW1|payload", 58)
    out = device.output
    assert b"\x1d(k" in out  # the printer's own QR command
    assert b"NW1|payload" in out and b"Netac warranty service ticket" in out
    assert b"\x1dV" in out  # the cut


def test_pdf_for_cups(tmp_path, case):
    store, number = case
    pdf = ticket_pdf(content_for(store, number, station_config(tmp_path)), "NW1|payload")
    assert pdf.startswith(b"%PDF-")


@pytest.fixture
def fake_lp(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    lp = folder / "lp"
    lp.write_text(FAKE_LP.format(python=sys.executable))
    lp.chmod(lp.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_LP_LOG", str(tmp_path / "lp.log"))
    return tmp_path / "lp.log"


def test_cups_lp_is_called_with_the_queue_and_a_pdf(tmp_path, case, fake_lp):
    store, number = case
    config = station_config(tmp_path, '[printer]\nkind = "cups"\nqueue = "counter"\n')
    outcome = issue_ticket(store, number, config, load_policy())
    assert outcome.printed and "request id is counter-42" in outcome.message
    argv, head = fake_lp.read_text().splitlines()
    assert eval(argv)[:4] == ["-d", "counter", "-t", "Netac ticket"]
    assert head == repr(b"%PDF-")
    [ticket] = store.get_case(number).tickets
    assert (ticket.status, ticket.attempts, ticket.printer) == ("printed", 1, "cups:counter")


def test_a_refusing_printer_leaves_the_ticket_queued_then_reprints(tmp_path, case, fake_lp, monkeypatch):
    store, number = case
    config = station_config(tmp_path, '[printer]\nkind = "cups"\nqueue = "counter"\n')
    monkeypatch.setenv("FAKE_LP_FAIL", "1")
    outcome = issue_ticket(store, number, config, load_policy())
    assert not outcome.printed and "The printer or class does not exist" in outcome.message
    [ticket] = store.get_case(number).tickets
    assert (ticket.status, ticket.attempts) == ("failed", 1)
    monkeypatch.delenv("FAKE_LP_FAIL")
    again = reprint(store, number, config, load_policy())
    assert again.printed and again.qr_text == outcome.qr_text
    view = store.get_case(number)
    assert [(t.status, t.attempts) for t in view.tickets] == [("printed", 2)]
    assert [a.action for a in view.audit][-3:] == ["ticket_issued", "ticket_failed", "ticket_printed"]


def test_no_printer_or_no_lp(tmp_path, case, monkeypatch):
    store, number = case
    content = content_for(store, number, station_config(tmp_path))
    with pytest.raises(PrintError, match="no printer is configured"):
        print_ticket(station_config(tmp_path), content, "x")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PrintError, match="lp\\) is not installed"):
        print_ticket(station_config(tmp_path, '[printer]\nkind = "cups"\n'), content, "x")


def test_an_unreachable_receipt_printer(tmp_path, case):
    store, number = case
    # A file device in a folder that does not exist: python-escpos cannot open it.
    config = station_config(
        tmp_path, f'[printer]\nkind = "escpos"\nconnection = "file"\ndevice = "{tmp_path}/none/lp0"\n'
    )
    outcome = issue_ticket(store, number, config, load_policy())
    assert not outcome.printed and "receipt printer did not take the ticket" in outcome.message
    assert store.get_case(number).tickets[0].status == "failed"


def test_a_receipt_to_a_file_device(tmp_path, case):
    store, number = case
    device = tmp_path / "lp0"
    config = station_config(
        tmp_path, f'[printer]\nkind = "escpos"\nconnection = "file"\ndevice = "{device}"\nwidth = 80\n'
    )
    assert issue_ticket(store, number, config, load_policy()).printed
    assert b"\x1d(k" in device.read_bytes()
