"""A ticket in Simplified Chinese: its words, the PDF in a CJK font, the receipt in GB18030 in
the printer's Chinese mode, the lines wrapped by cells; the QR the same in every language; and
the replica's state line said in the session's language from English kept in its status file."""

from __future__ import annotations

import json
import re
import string
import zlib
from datetime import UTC, datetime

import pytest
from escpos.printer import Dummy
from rich.cells import cell_len

import workbench.ticket.printers as printers
from policy import load_policy
from tests.db_helpers import sqlite_url
from tests.ticket_helpers import decided_case, station_config
from workbench.config import read_config
from workbench.errors import InputError
from workbench.replica import replica_state
from workbench.replica.litestream import _Tracker, in_words, replica_settings
from workbench.ticket.content import TicketContent, ticket_content, wrap
from workbench.ticket.issue import issue_ticket, verify_ticket
from workbench.ticket.payload import parse
from workbench.ticket.printers import CHINESE_MODE_OFF, CHINESE_MODE_ON, PrintError, ticket_pdf, write_receipt
from workbench.words.language import CHINESE, ENGLISH, say, set_language

QR = "NW2004021133"


@pytest.fixture
def chinese():
    set_language(CHINESE)
    try:
        yield
    finally:
        set_language(ENGLISH)


@pytest.fixture
def case(tmp_path):
    return decided_case(tmp_path, model="NV7000")


def content_for(store, number, tmp_path) -> TicketContent:
    return ticket_content(store.get_case(number), load_policy(), station_config(tmp_path).station_name)


def test_the_ticket_in_chinese_quotes_the_policy_as_netac_wrote_it(tmp_path, case, chinese):
    store, number = case
    content = content_for(store, number, tmp_path)
    text = "\n".join(content.lines)
    assert content.title == "朗科保修服务凭条"
    assert f"工单号 {number}" in text and "序列号 " in text and "产品 朗科 NV7000 " in text
    assert re.search(r"日期 \d{4}年\d{1,2}月\d{1,2}日", text)
    assert "[Warranty exclusions, 3)]" in text  # the clause's reference, as the policy names it
    assert "您的数据：" in text and "back up the product data" in text  # Netac's clause, untranslated


def test_a_chinese_pdf_is_set_in_the_cjk_font_and_its_text_reads_back(tmp_path, case, chinese):
    store, number = case
    pdf = ticket_pdf(content_for(store, number, tmp_path), QR)
    assert pdf.startswith(b"%PDF-") and b"WenQuanYiZenHei" in pdf and b"/Helvetica" not in pdf
    text = pdf_text(pdf)
    assert "朗科保修服务凭条" in text and f"工单号 {number}" in text and "您的数据：" in text
    assert "\ufffd" not in text


def test_an_english_pdf_is_as_it_was(tmp_path, case):
    store, number = case
    pdf = ticket_pdf(content_for(store, number, tmp_path), QR)
    assert b"/Helvetica" in pdf and b"WenQuanYi" not in pdf and b"/ToUnicode" not in pdf


def test_without_the_font_a_chinese_ticket_fails_in_one_line_naming_the_package(tmp_path, case, chinese, monkeypatch):
    store, number = case
    monkeypatch.setattr(printers, "CJK_FONT", tmp_path / "no-such-font.ttc")
    with pytest.raises(PrintError) as refused:
        ticket_pdf(content_for(store, number, tmp_path), QR)
    assert str(refused.value) == (  # what the record keeps: English
        f"cannot print the ticket in Chinese: the font {tmp_path}/no-such-font.ttc is missing "
        "(install the Debian package fonts-wqy-zenhei)"
    )
    said = say(refused.value.args[0])
    assert said.startswith("无法打印中文凭条：缺少字体") and "fonts-wqy-zenhei" in said and "\n" not in said
    # Through the printer: the ticket stays queued, the clerk reads one line, the record is English.
    lp = tmp_path / "bin" / "lp"
    lp.parent.mkdir()
    lp.write_text("#!/bin/sh\necho request id is counter-1\n")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{lp.parent}:/usr/bin:/bin")
    outcome = issue_ticket(store, number, station_config(tmp_path, '[printer]\nkind = "cups"\n'), load_policy())
    assert outcome.failed and not outcome.printed
    assert "fonts-wqy-zenhei" in outcome.message and "（已排队：可从工单重新打印）" in outcome.message
    assert "\n" not in outcome.message and "Traceback" not in outcome.message
    [ticket] = store.get_case(number).tickets
    assert ticket.status == "failed" and ticket.last_error.startswith("cannot print the ticket in Chinese")


def test_a_chinese_receipt_is_gb18030_in_the_printers_chinese_mode(tmp_path, case, chinese):
    store, number = case
    content = content_for(store, number, tmp_path)
    device = Dummy()
    write_receipt(device, content, QR, 58)
    out = device.output
    assert b"\x1d(k" in out and QR.encode() in out and b"\x1dV" in out  # the same QR command, the cut
    # Every word between FS & (Chinese mode on) and FS . (off); the QR outside, as in English.
    segments = re.findall(re.escape(CHINESE_MODE_ON) + b"(.*?)" + re.escape(CHINESE_MODE_OFF), out, re.S)
    assert len(segments) == 2 and QR.encode() not in b"".join(segments)
    title, words = (segment.decode("gb18030") for segment in segments)
    assert title == "朗科保修服务凭条\n"
    assert f"工单号 {number}" in words and "您的数据：" in words
    # Wrapped to the 58 mm printer's 32 columns, a two-byte character taking two.
    assert all(len(line) <= 32 for segment in segments for line in segment.split(b"\n"))
    assert squeezed(words) == squeezed("".join(content.lines))  # nothing lost but spaces at the breaks


def test_an_english_receipt_never_enters_chinese_mode(tmp_path, case):
    store, number = case
    device = Dummy()
    write_receipt(device, content_for(store, number, tmp_path), QR, 80)
    assert CHINESE_MODE_ON not in device.output and b"Netac warranty service ticket" in device.output


def test_ticket_lines_on_an_80_column_screen(tmp_path, case, chinese):
    store, number = case
    content = content_for(store, number, tmp_path)
    shown = content.shown_lines(80)
    assert all(cell_len(line) <= 80 for line in shown)
    assert squeezed("".join(shown)) == squeezed("".join(content.lines))
    assert any(cell_len(line) > 80 for line in content.lines)  # something was wrapped


def test_wrapping_breaks_between_han_characters_or_at_spaces_never_in_a_word():
    text = "备份副本 SZ01-2026-000123 的磁盘已满，请联系服务站的主管（chen）处理。"
    for width in range(16, 60):  # from the serial's length: a longer word is cut between characters
        lines = wrap(text, width)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert squeezed("".join(lines)) == squeezed(text)
        assert any("SZ01-2026-000123" in line for line in lines)  # a serial stays whole
        assert not any(line.startswith(("，", "。", "）")) for line in lines)  # punctuation keeps to its word
        assert not any(line.endswith("（") for line in lines)
    assert wrap("", 80) == [""] and wrap("short", 80) == ["short"]
    assert wrap("一" * 50, 80) == ["一" * 40, "一" * 10]  # a cut between characters only


def test_verifying_a_ticket_in_chinese(tmp_path, case, chinese):
    store, number = case
    config = station_config(tmp_path)
    payload = issue_ticket(store, number, config, load_policy()).qr_text
    good = verify_ticket(payload, config, store)
    assert good.good and good.verdict_word == "有效" and f"与工单 {number} 一致" in good.message
    forged = verify_ticket(payload[:-1] + str((int(payload[-1]) + 1) % 10), config, store)
    assert forged.verdict_word == "无效" and forged.message.startswith("签名不符")
    with pytest.raises(InputError, match="ticket: 不是工作台的凭条"):
        parse("hello")
    set_language(ENGLISH)
    assert verify_ticket(payload, config, store).verdict_word == "GOOD"


def test_the_qr_payload_is_the_same_in_every_language(tmp_path, case):
    store, number = case
    config = station_config(tmp_path)
    english = issue_ticket(store, number, config, load_policy())
    set_language(CHINESE)
    try:
        again = issue_ticket(store, number, config, load_policy())
    finally:
        set_language(ENGLISH)
    assert again.qr_text == english.qr_text and again.qr_text.isascii()


def test_the_replica_error_is_kept_in_english_and_said_in_each_language(tmp_path):
    config_file = tmp_path / "workbench.toml"
    config_file.write_text(
        f'[station]\nid = "SZ01"\n[database]\nurl = "{sqlite_url(tmp_path / "cases.db")}"\n'
        f'[replica]\nurl = "file://{tmp_path}/replica"\n'
    )
    config = read_config(config_file)
    settings = replica_settings(config)
    tracker = _Tracker(settings, tmp_path / "litestream.sock")
    tracker.logged(json.dumps({"level": "ERROR", "msg": "sync", "error": "write: no space left on device"}))
    tracker.write(datetime.now(UTC))
    status = json.loads(settings.status_file.read_text())
    assert status["error"] == "the replica's disk is full"  # the file, and the service's log: English
    assert status["error_words"] == {"template": "the replica's disk is full", "values": {}}
    assert replica_state(config).line.startswith("Replica FAILING since ")
    assert replica_state(config).line.endswith(": the replica's disk is full; it has taken no commit since it started")
    set_language(CHINESE)
    try:
        line = replica_state(config).line
        assert line.startswith("备份副本自 ") and line.endswith("：备份副本的磁盘已满；启动以来尚未接收任何提交")
        assert say(in_words("no such host")) == "无法识别备份服务器的名称（请检查 replica.url）"
    finally:
        set_language(ENGLISH)


def test_every_translation_keeps_its_fields():
    from babel.messages.pofile import read_po

    from workbench.words.language import LOCALE_DIR

    with (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "workbench.po").open("rb") as po:
        catalog = read_po(po)
    ours = ("workbench/ticket/", "workbench/replica/")
    mine = [m for m in catalog if m.id and any(path.startswith(ours) for path, _ in m.locations)]
    assert mine
    for message in mine:
        assert message.string and not message.fuzzy, message.id
        assert fields(message.string) == fields(message.id), message.id


def fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- the text of a PDF, read back through its fonts' ToUnicode maps (fpdf2 writes no other way) ---


def pdf_text(pdf: bytes) -> str:
    objects = {
        int(m[1]): (m[2], _stream(m[2], m[3]))
        for m in re.finditer(rb"(\d+) 0 obj\s*<<(.*?)>>\s*(?:stream\r?\n(.*?)\r?\nendstream)?", pdf, re.S)
    }
    cmaps = {}  # font resource name -> {code: text}
    for number, (head, _) in objects.items():
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if to_unicode:
            names = re.findall(rb"/(F\d+) %d 0 R" % number, pdf)
            for name in names:
                cmaps[name] = _cmap(objects[int(to_unicode[1])][1])
    text = []
    for _head, body in objects.values():
        if body is None or b"BT" not in body:
            continue
        font = None
        for token in re.finditer(rb"/(F\d+) [\d.]+ Tf|\[(.*?)\] TJ|(\((?:\\.|[^\\)])*\)) Tj|ET", body, re.S):
            if token[1]:
                font = token[1]
            elif token.group() == b"ET":
                text.append("\n")
            elif font in cmaps:
                strings = re.findall(rb"\((?:\\.|[^\\)])*\)", token[2] or token[3])
                for raw in strings:
                    data = _literal(raw[1:-1])
                    text += [cmaps[font].get(data[i : i + 2], "\ufffd") for i in range(0, len(data), 2)]
    return "".join(text)


def _stream(head: bytes, body: bytes | None) -> bytes | None:
    if body is None:
        return None
    return zlib.decompress(body) if b"/FlateDecode" in head else body


def _cmap(data: bytes) -> dict[bytes, str]:
    table = {}
    for code, value in re.findall(rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]+)>", data):
        table[bytes.fromhex(code.decode())] = bytes.fromhex(value.decode()).decode("utf-16-be")
    return table


def _literal(raw: bytes) -> bytes:
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    out, at = bytearray(), 0
    while at < len(raw):
        if raw[at : at + 1] == b"\\":
            octal = re.match(rb"[0-7]{1,3}", raw[at + 1 : at + 4])
            if octal:
                out.append(int(octal.group(), 8))
                at += 1 + len(octal.group())
                continue
            following = raw[at + 1 : at + 2]
            out += escapes.get(following, following)
            at += 2
        else:
            out.append(raw[at])
            at += 1
    return bytes(out)
