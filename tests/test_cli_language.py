"""The command line speaks the login's language: its help, argparse's own words and its errors in
Simplified Chinese with LANGUAGE=zh_CN, and English exactly as before with LANGUAGE=en.

argparse takes "usage: ", "options" and its error texts from the module-level names `_` and
`ngettext`; workbench/words/argparse_words.py points them at our catalog. These tests say when a
Python upgrade changes that: a text argparse no longer says, or names it no longer looks up."""

from __future__ import annotations

import argparse
import ast
import gettext
import inspect
import os
import subprocess
import sys

import pytest
from rich.cells import cell_len

from policy.message import Message
from tests.db_helpers import CLAIM_FIELDS, new_store, sqlite_url
from workbench import cli
from workbench.config import read_config
from workbench.errors import WorkbenchError
from workbench.words import argparse_words
from workbench.words.language import CHINESE, ENGLISH, say, set_language


def run(*args: str, language: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "LANGUAGE": language, "COLUMNS": "80", **env}
    environment.pop("WORKBENCH_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args], capture_output=True, text=True, env=environment, timeout=60
    )


@pytest.fixture
def english_after():
    """A test that speaks Chinese in this process leaves it speaking English."""
    yield
    set_language(ENGLISH)


def fits(text: str, width: int = 80) -> list[str]:
    """The lines wider than `width` cells that are not a command's own words (ASCII)."""
    return [line for line in text.splitlines() if cell_len(line) > width and not line.isascii()]


# --- The help and the errors, as a person at the counter sees them -------------------------------------


def test_the_workbench_help_in_chinese_and_in_english():
    chinese = run("--help", language="zh_CN")
    assert chinese.returncode == 0, chinese.stderr
    for words in (
        "用法：workbench [-h]",
        "朗科服务站工作台。",
        "位置参数",
        "选项",
        "显示本帮助信息并退出",
        "列出、查看和导出服务站的工单",
    ):
        assert words in chinese.stdout, chinese.stdout
    assert fits(chinese.stdout) == []
    english = run("--help", language="en")
    assert english.returncode == 0 and english.stdout.isascii()
    for words in (
        "usage: workbench [-h]",
        "Netac service-station workbench. Without a command, starts the TUI.",
        "positional arguments:",
        "options:",
        "show this help message and exit",
        "list, show and export the station's cases",
    ):
        assert words in english.stdout


def test_a_commands_help_in_chinese_and_in_english():
    chinese = run("cases", "list", "--help", language="zh_CN")
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.startswith("用法：workbench cases list [-h]")
    assert "创建于 DAY 当天或之后（YYYY-MM-DD）" in chinese.stdout and "最新的 N 个工单（默认 50）" in chinese.stdout
    # A wrapped usage lines up under the words after the Chinese prefix, as it does under "usage: ".
    usage = chinese.stdout.split("\n\n")[0].splitlines()
    assert all(
        cell_len(line) - cell_len(line.lstrip()) == cell_len("用法：workbench cases list ") for line in usage[1:]
    )
    assert fits(chinese.stdout) == []
    english = run("cases", "list", "--help", language="en")
    assert english.stdout.startswith("usage: workbench cases list [-h]") and english.stdout.isascii()
    assert "created on or after DAY (YYYY-MM-DD)" in english.stdout


def test_a_commands_description_in_chinese_keeps_its_layout():
    chinese = run("policy", "--help", language="zh_CN")
    assert "服务站据以判定的保修政策" in chinese.stdout and "    workbench policy check FILE\n" in chinese.stdout
    assert fits(chinese.stdout) == []
    english = run("policy", "--help", language="en")
    from workbench.commands import policy

    assert policy.DESCRIPTION in english.stdout  # the description as written, unchanged


@pytest.mark.parametrize(
    "args, chinese, english",
    [
        (
            ("cases", "list", "--verdict", "nope"),
            "workbench cases list: 错误：参数 --verdict：无效的选择：'nope'（可选：",
            "workbench cases list: error: argument --verdict: invalid choice: 'nope' (choose from ",
        ),
        (("report",), "缺少以下必需参数：--from, --to", "the following arguments are required: --from, --to"),
        (
            ("report", "--from", "2026-13-01", "--to", "2026-01-31"),
            "参数 --from：'2026-13-01' 不是 YYYY-MM-DD 格式的日期",
            "argument --from: '2026-13-01' is not a day in the form YYYY-MM-DD",
        ),
        (("cases", "list", "--bogus"), "无法识别的参数：--bogus", "unrecognized arguments: --bogus"),
    ],
)
def test_argparse_errors_in_chinese_and_in_english(args, chinese, english):
    said = run(*args, language="zh_CN")
    assert said.returncode == 2 and chinese in said.stderr and said.stderr.startswith("用法："), said.stderr
    said = run(*args, language="en")
    assert said.returncode == 2 and english in said.stderr and said.stderr.startswith("usage: "), said.stderr


def test_the_workbenchs_own_error_in_chinese_and_in_english():
    args = ("report", "--from", "2026-02-01", "--to", "2026-01-01")
    said = run(*args, language="zh_CN")
    assert said.returncode == 2 and said.stderr == "workbench: --from: 2026年2月1日 晚于 --to 2026年1月1日\n"
    said = run(*args, language="en")
    assert said.returncode == 2 and said.stderr == "workbench: --from: 2026-02-01 is after --to 2026-01-01\n"


def test_the_cases_list_columns_line_up_in_chinese(tmp_path):
    store = new_store(tmp_path)
    for serial in ("RN1", "RN22"):
        store.create_case({**CLAIM_FIELDS, "serial": serial, "customer_name": "李伟"})
    listed = run("cases", "list", language="zh_CN", WORKBENCH_DATABASE_URL=sqlite_url(tmp_path / "cases.db"))
    assert listed.returncode == 0 and listed.stderr == "2 个工单\n", listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 2 and "年" in lines[0]  # the time in Chinese words
    starts = {cell_len(line[: line.index(serial)]) for line, serial in zip(lines, ("RN22", "RN1"), strict=True)}
    assert len(starts) == 1  # the serials start in one column


# --- cli.main: words from below the counter ------------------------------------------------------------


def test_an_error_from_below_the_counter_is_said_in_the_sessions_language(monkeypatch, capsys, english_after):
    from workbench.commands import backup

    def refuse(args):
        raise WorkbenchError(Message("{path}: no such file", path="/srv/station-policy.toml"))

    monkeypatch.setattr(backup, "run", refuse)
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    assert cli.main(["backup"]) == 1
    assert capsys.readouterr().err == "workbench: /srv/station-policy.toml：文件不存在\n"
    monkeypatch.setenv("LANGUAGE", "en")
    assert cli.main(["backup"]) == 1
    assert capsys.readouterr().err == "workbench: /srv/station-policy.toml: no such file\n"


def test_ignored_authority_is_said_in_the_sessions_language(tmp_path, monkeypatch, english_after):
    mine = tmp_path / "mine.toml"
    mine.write_text('[station]\nsupervisors = ["bo"]\n')
    monkeypatch.setenv("WORKBENCH_CONFIG", str(mine))
    (line,) = read_config().ignored
    assert isinstance(line, Message) and line.startswith(f"{mine}: [station] supervisors ignored: authority comes")
    set_language(CHINESE)
    assert say(line).startswith(f"{mine}：已忽略 [station] supervisors：授权只来自服务站自己的文件")


# --- argparse's own words through our catalog ----------------------------------------------------------


def _argparse_texts() -> tuple[set[str], set[tuple[str, str]]]:
    """The texts the running Python's argparse passes to `_` and to `ngettext`."""
    said, counted = set(), set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if node.func.id == "_" and texts:
            said.add(texts[0])
        elif node.func.id == "ngettext" and len(texts) >= 2:
            counted.add((texts[0], texts[1]))
    return said, counted


def test_our_argparse_words_are_still_argparses():
    """Each text in the catalog is one argparse still says: a Python that changed one shows here."""
    said, counted = _argparse_texts()
    assert set(argparse_words.WORDS) - said == set()
    assert set(argparse_words.COUNTED) - counted == set()


def test_the_patch_is_still_needed():
    """argparse, left alone, asks the standard library's gettext (not our catalog) for its words,
    and says them in English whatever the login's language."""
    program = (
        "import argparse, gettext\n"
        "assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext\n"
        "print(argparse.ArgumentParser(prog='x').format_help())\n"
    )
    env = {**os.environ, "LANGUAGE": "zh_CN"}
    shown = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "usage: x" in shown.stdout and "show this help message and exit" in shown.stdout
    assert gettext.find("workbench") is None  # our catalog is not where the standard library looks


def test_argparse_looks_up_our_words_each_time_it_speaks(monkeypatch, capsys, english_after):
    argparse_words.speak()
    asked: list[str] = []

    def spy(text: str) -> str:
        asked.append(text)
        return argparse_words.language._(text)

    monkeypatch.setattr(argparse, "_", spy)  # after the parser module was imported: looked up at call time
    set_language(CHINESE)
    parser = argparse_words.ArgumentParser(prog="workbench")  # its titles and -h's help said as it is built
    parser.add_argument("--verdict", choices=("covered",))
    assert "用法：workbench" in parser.format_help() and "显示本帮助信息并退出" in parser.format_help()
    with pytest.raises(SystemExit):
        parser.parse_args(["--verdict", "x"])
    assert "workbench: 错误：参数 --verdict：无效的选择：'x'（可选：'covered'）" in capsys.readouterr().err
    assert {"usage: ", "show this help message and exit", "%(prog)s: error: %(message)s\n"} <= set(asked)
    monkeypatch.undo()
    argparse_words.speak()
    assert argparse._ is argparse_words.language._ and argparse.ngettext is argparse_words.language.ngettext


def test_in_english_argparse_says_its_own_words(english_after):
    argparse_words.speak()
    set_language(ENGLISH)
    for text in argparse_words.WORDS:
        assert argparse._(text) == text  # type: ignore[attr-defined]
    for singular, plural in argparse_words.COUNTED:
        assert argparse.ngettext(singular, plural, 1) == singular  # type: ignore[attr-defined]
        assert argparse.ngettext(singular, plural, 2) == plural  # type: ignore[attr-defined]


# --- Help wrapped by cells ------------------------------------------------------------------------------


def test_help_is_wrapped_by_cells_never_before_closing_punctuation():
    text = "一个工单的全部记录，包括 SMART 读取（主机写入量）和结论。" * 3
    lines = argparse_words.wrap_cells(text, 30)
    assert len(lines) > 3 and all(cell_len(line) <= 30 for line in lines)
    assert not any(line[0] in "，。）" for line in lines) and not any(line[-1] == "（" for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert argparse_words.wrap_cells("plain words wrap as textwrap does", 12) == [
        "plain words",
        "wrap as",
        "textwrap",
        "does",
    ]


# --- The catalog ----------------------------------------------------------------------------------------

CLI_FILES = ("workbench/cli.py", "workbench/commands/", "workbench/config.py", "workbench/words/argparse_words.py")


def test_every_word_of_the_command_line_has_its_chinese():
    from babel.messages.pofile import read_po

    from workbench.locale.update import po_path

    with po_path(CHINESE).open("rb") as po:
        catalog = read_po(po)
    ours = [m for m in catalog if m.id and any(where.startswith(CLI_FILES) for where, _line in m.locations)]
    assert len(ours) > 200
    untranslated = [m.id for m in ours if m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string))]
    assert untranslated == []


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_each_commands_description_is_said_in_chinese_within_the_screen(name, english_after):
    import importlib

    from workbench.words.language import _

    module = importlib.import_module(cli.COMMANDS[name])
    set_language(CHINESE)
    said = _(module.DESCRIPTION)
    assert said != module.DESCRIPTION and _(module.HELP) != module.HELP
    assert fits(said) == []  # laid out by hand (a description is shown as written): 80 cells a line
