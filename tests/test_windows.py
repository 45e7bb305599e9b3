"""What a Chinese Windows office PC does to cwa: consoles and redirected output in legacy
code pages, files saved by Notepad in every encoding it offers, and the names Windows
reserves. The console tests run the real program in a subprocess."""

from __future__ import annotations

import codecs
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cwa import naming
from tests.conftest import EXAMPLE, SMALL_RUBRIC, run

# -- output: never a traceback on a console's encoding --------------------------------


def cwa(*args: object, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """The installed program, stdout and stderr redirected (as `cwa … > 报告.txt`)."""
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("CWA_LANG", "NO_COLOR", "CWA_ENCODING")}
    return subprocess.run([sys.executable, "-m", "cwa", *map(str, args)],
                          capture_output=True, env={**environment, **(env or {})}, cwd=cwd,
                          timeout=120, check=False)


def on_a_terminal(*args: object, env: dict[str, str]) -> tuple[int, bytes]:
    """The program on a pseudo-terminal (a console, not redirected): its exit status and
    every byte it showed."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("CWA_LANG", "NO_COLOR")}
    process = subprocess.Popen([sys.executable, "-m", "cwa", *map(str, args)],
                               stdin=slave, stdout=slave, stderr=slave,
                               env={**environment, "COLUMNS": "200", **env})
    os.close(slave)
    shown = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the program ended and closed its side
            break
        if not chunk:
            break
        shown.append(chunk)
    os.close(master)
    plain = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", b"".join(shown))  # styles, cursor
    return process.wait(timeout=120), plain.replace(b"\r\n", b"\n")


@pytest.mark.parametrize("encoding", ["gbk", "cp1252"])
def test_redirected_output_is_utf8_whatever_the_code_page(encoding: str) -> None:
    text = cwa("check", EXAMPLE, env={"PYTHONIOENCODING": encoding})
    assert text.returncode == 1, text.stderr.decode("utf-8", "replace")
    shown = text.stdout.decode("utf-8")  # strict: the file is UTF-8
    assert "◐ 1 思想建设类  部分" in shown
    assert "按年：2024：1/1，2025：1/1，2026：0/1" in shown
    data = cwa("check", EXAMPLE, "--format", "json", env={"PYTHONIOENCODING": encoding})
    assert data.returncode == 1
    assert json.loads(data.stdout.decode("utf-8"))["schema_version"] == 1
    english = cwa("--lang", "en", "check", EXAMPLE, env={"PYTHONIOENCODING": encoding})
    assert "1 思想建设类  partial" in english.stdout.decode("utf-8")
    assert b"Traceback" not in text.stderr + data.stderr + english.stderr


@pytest.mark.parametrize(("encoding", "marks"), [
    ("gbk", ["◎ 1 思想建设类  部分", "√ 1.1 上级精神文明建设文件及评比材料  完整", "× 年度文明建设计划"]),
    ("cp1252", ["[~] 1 ?????  partial", "[OK] 1.1 ", "× ????????"]),
])
def test_a_legacy_console_shows_what_it_can(encoding: str, marks: list[str]) -> None:
    lang = ["--lang", "en"] if encoding == "cp1252" else []
    status, shown = on_a_terminal(*lang, "check", EXAMPLE, "--fail-on", "never",
                                  env={"PYTHONIOENCODING": encoding, "NO_COLOR": "1"})
    text = shown.decode(encoding)  # strict: everything shown is in the console's code page
    assert status == 0, text
    assert "Traceback" not in text
    for mark in marks:
        assert mark in text


def test_errors_on_a_legacy_console_degrade_too(tmp_path: Path) -> None:
    status, shown = on_a_terminal("--lang", "en", "check", tmp_path / "没有",
                                  env={"PYTHONIOENCODING": "cp1252", "NO_COLOR": "1"})
    assert status == 2
    assert shown.decode("cp1252").strip().endswith("archive folder not found: "
                                                   f"{tmp_path}/??")


def test_cwa_encoding_chooses_the_code_page_of_redirected_output() -> None:
    result = cwa("check", EXAMPLE, env={"CWA_ENCODING": "gbk"})
    shown = result.stdout.decode("gbk")  # strict
    assert "◎ 1 思想建设类  部分" in shown


def test_files_cwa_writes_are_utf8_and_csv_has_a_bom(tmp_path: Path) -> None:
    report = tmp_path / "报告.md"
    result = cwa("check", EXAMPLE, "--format", "md", "-o", report,
                 env={"PYTHONIOENCODING": "gbk"})
    assert result.returncode == 1
    assert "思想建设类" in report.read_bytes().decode("utf-8")
    catalogue = tmp_path / "目录.csv"
    assert cwa("catalog", EXAMPLE, "-o", catalogue,
               env={"PYTHONIOENCODING": "gbk"}).returncode == 0
    assert catalogue.read_bytes().startswith(codecs.BOM_UTF8)
    assert "题名" in catalogue.read_bytes().decode("utf-8-sig")


# -- input: what Notepad saves ----------------------------------------------------------

CONFIG = 'rubric: "rubric.yaml"\nyears: {from: 2018, to: 2020}\n# 说明：测试\n'


@pytest.mark.parametrize(("encoding", "prefix"), [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE), ("gb18030", b""), ("gbk", b""),
])
def test_cwa_yaml_and_rubric_in_any_notepad_encoding(tmp_path: Path, encoding: str,
                                                     prefix: bytes) -> None:
    archive = tmp_path / "a"
    archive.mkdir()
    (archive / "rubric.yaml").write_bytes(prefix + SMALL_RUBRIC.encode(encoding))
    (archive / "cwa.yaml").write_bytes(prefix + CONFIG.encode(encoding))
    result = run("check", archive, "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["rubric"]["name"] == "测试体系"
    assert [i["name"] for i in data["indicators"]] == ["创建工作机制", "理想信念教育"]
    if encoding.startswith("gb"):  # a guess: said, with the encoding named
        assert result.stderr == "".join(  # the rubric is shown as cwa.yaml names it
            f"{name}:1: 警告：不是 UTF-8，已按 GB18030（GBK）编码读取；cwa 写出的文件"
            "都是 UTF-8，建议把它另存为 UTF-8\n" for name in (archive / "cwa.yaml", "rubric.yaml"))
    else:
        assert result.stderr == ""


def test_a_broken_gbk_file_names_its_encoding_with_the_error(tmp_path: Path) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_bytes(SMALL_RUBRIC.replace("points: 6", "points: [6").encode("gbk"))
    result = run("rubric", "validate", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:1: 警告：不是 UTF-8，已按 GB18030（GBK）编码读取；cwa 写出的文件都是 UTF-8，建议把它另存为 UTF-8",
        f"{path}:8: 错误：YAML 语法错误：方括号“[”没有配对的“]”，或其中的项之间缺少逗号（该行：children:）",
    ]


def test_a_damaged_utf16_file_says_which_encoding_failed(tmp_path: Path) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_bytes(codecs.BOM_UTF16_LE + "rubric: 测试".encode("utf-16-le") + b"\x00\xd8")
    result = run("rubric", "validate", path)
    assert result.exit_code == 2
    assert result.stderr == f"错误：{path} 以 UTF-16 标记开头，但第 22 字节处无法按 UTF-16 解码\n"


def test_cwa_writes_cwa_yaml_in_utf8_and_says_so(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    assert run("init", archive, "--no-notes").exit_code == 0
    text = (archive / "cwa.yaml").read_bytes().decode("utf-8")  # strict
    assert text.startswith("# cwa 档案配置：本档案遵循的测评体系、年度范围和命名规则（UTF-8 编码）\n")


# -- YAML syntax errors, explained ------------------------------------------------------

@pytest.mark.parametrize(("text", "line", "message"), [
    ("rubric： 测试\nindicators:\n  - {code: \"1\", name: 甲}\n", 1,
     "YAML 语法错误：键后面用了全角冒号“：”，YAML 要求半角冒号“:”再加一个空格，如 rubric: 测评体系（该行：rubric： 测试）"),
    ("rubric: 测试\nindicators:\n\t- {code: \"1\", name: 甲}\n", 3,
     "YAML 语法错误：用了 Tab 键缩进，YAML 只允许用空格缩进（该行：- {code: \"1\", name: 甲}）"),
    ("rubric: 测试 edition: 2020\nindicators: []\n", 1,
     "YAML 语法错误：这里不能出现“键: 值”。常见原因：冒号后少了空格、上一行的引号没有配对，或缩进不一致（该行：rubric: 测试 edition: 2020）"),
    ("rubric: 测试\nindicators:\n  - code: \"1\"\n    name: 甲\n note: x\n", 5,
     "YAML 语法错误：缩进不一致：同一级的键和以“- ”开头的列表项要用同样多的空格对齐（该行：note: x）"),
    ("rubric: \"测试\nindicators: []\n", 2,
     "YAML 语法错误：引号没有配对：一个值以引号开头，到文件末尾都没有结束的引号（该行：indicators: []）"),
    ("rubric: 测试\nnote: \"C:\\材料\\q\"\nindicators: []\n", 2,
     "YAML 语法错误：双引号中的反斜杠“\\”被当作转义符：路径请改用单引号，或把“\\”写成“/”（该行：note: \"C:\\材料\\q\"）"),
    ("rubric: 测试\nnote: @办公室\nindicators: []\n", 2,
     "YAML 语法错误：值不能以 @、` 或 % 等 YAML 保留符号开头：请给这个值加上引号（该行：note: @办公室）"),
])
def test_yaml_syntax_errors_are_explained_in_chinese_with_the_line(
        tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("rubric", "validate", path)
    assert result.exit_code == 2
    assert result.stderr == f"{path}:{line}: 错误：{message}\n"


def test_yaml_syntax_errors_in_english(tmp_path: Path) -> None:
    path = tmp_path / "cwa.yaml"
    path.write_text("rubric: [archive-scope\n", encoding="utf-8")
    result = run("--lang", "en", "check", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (f"{path}:1: error: YAML syntax error: a '[' without its ']', or a "
                             "missing comma between the items (the line: rubric: [archive-scope)\n")


# -- names Windows reserves -------------------------------------------------------------

DEVICES = ["CON", "PRN", "AUX", "NUL", "CLOCK$",
           *(f"{p}{n}" for p in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³"))]
NEAR_MISSES = ["COM", "LPT", "COM10", "LPT⁴", "COM⁰", "CONX", "XCON", "CON1", "AUXILIARY",
               "NULL", "CLOCK", "COM０", "LPT١", "01：CON", "CON_", ".CON", "合同CON"]


def names() -> list[str]:
    out = []
    for stem in DEVICES + NEAR_MISSES:
        for variant in {stem, stem.lower(), stem.title()}:
            out += [variant + suffix for suffix in ("", ".txt", ".docx", ".tar.gz")]
    return out


def test_reserved_names_agree_with_pathvalidate() -> None:
    pathvalidate = pytest.importorskip("pathvalidate")

    def oracle(name: str) -> bool:
        try:
            pathvalidate.validate_filename(name, platform="windows")
        except pathvalidate.ValidationError as error:
            return bool(error.reason == pathvalidate.ErrorReason.RESERVED_NAME)
        return False

    verdicts = {name: oracle(name) for name in names()}
    assert sum(verdicts.values()) >= len(DEVICES) * 4  # the oracle does find them
    disagree = [name for name, reserved in verdicts.items()
                if ("reserved" in naming.windows_problems(name)) is not reserved]
    assert disagree == []


def test_every_sanitised_name_is_allowed_on_windows() -> None:
    pathvalidate = pytest.importorskip("pathvalidate")
    for stem, suffix in itertools.product(DEVICES, ("", ".txt")):
        safe = naming.sanitize(stem + suffix)
        pathvalidate.validate_filename(safe, platform="windows")


def test_check_reports_the_newer_reserved_names(tmp_path: Path, small_rubric: Path) -> None:
    archive = tmp_path / "a"
    assert run("init", archive, "--rubric", small_rubric, "--no-notes").exit_code == 0
    leaf = archive / "01：创建工作机制" / "01：创建领导机构"
    for name in ("COM0.docx", "lpt¹.txt", "Com³"):
        (leaf / name).write_bytes(b"x")
    data = json.loads(run("check", archive, "--format", "json").stdout)
    reserved = sorted(f["path"].rsplit("/", 1)[1] for f in data["findings"]
                      if f["code"] == "WN001")
    assert reserved == ["COM0.docx", "Com³", "lpt¹.txt"]
