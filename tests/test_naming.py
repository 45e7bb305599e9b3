"""The naming convention: parse, format, conform, sanitise, Windows rules, years."""

from __future__ import annotations

import unicodedata

import pytest

from cwa import naming
from cwa.naming import ParsedName


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("01：创建领导小组文件", ParsedName(1, "01", "：", "创建领导小组文件")),
        ("01:创建领导小组文件", ParsedName(1, "01", ":", "创建领导小组文件")),
        ("01_创建领导小组文件", ParsedName(1, "01", "_", "创建领导小组文件")),
        ("01-创建领导小组文件", ParsedName(1, "01", "-", "创建领导小组文件")),
        ("1.创建领导小组文件", ParsedName(1, "1", ".", "创建领导小组文件")),
        ("6、思想政治工作", ParsedName(6, "6", "、", "思想政治工作")),
        ("01 创建领导小组文件", ParsedName(1, "01", " ", "创建领导小组文件")),
        ("01  ：  创建领导小组文件 ", ParsedName(1, "01", "：", "创建领导小组文件")),
        ("01创建领导小组文件", ParsedName(1, "01", "", "创建领导小组文件")),
        ("０３：全角数字", ParsedName(3, "03", "：", "全角数字")),
        ("100：第一百份", ParsedName(100, "100", "：", "第一百份")),
        ("1.2 创建规划", ParsedName(None, "1.2", " ", "创建规划")),
        ("01.2019年总结", ParsedName(1, "01", ".", "2019年总结")),
        ("一、组织领导", ParsedName(1, None, None, "组织领导", chinese=True)),
        ("（三）宣传教育", ParsedName(3, None, None, "宣传教育", chinese=True)),
        ("十二、其他", ParsedName(12, None, None, "其他", chinese=True)),
        ("2019年工作总结", ParsedName(None, None, None, "2019年工作总结")),
        ("20190909会议纪要", ParsedName(None, None, None, "20190909会议纪要")),
        ("服务承诺制度", ParsedName(None, None, None, "服务承诺制度")),
        ("01", ParsedName(None, None, None, "01")),
    ],
)
def test_parse(name: str, expected: ParsedName) -> None:
    assert naming.parse(name) == expected


@pytest.mark.parametrize(
    ("name", "sep", "width", "ok"),
    [
        ("01：文件", "：", 2, True),
        ("1：文件", "：", 2, False),
        ("01:文件", "：", 2, False),
        ("01_文件", "_", 2, True),
        ("001：文件", "：", 3, True),
        ("01：文件", "：", 3, False),
        ("一、文件", "：", 2, False),
        ("文件", "：", 2, False),
    ],
)
def test_conforms(name: str, sep: str, width: int, ok: bool) -> None:
    assert naming.conforms(naming.parse(name), sep, width) is ok


def test_format_and_width() -> None:
    assert naming.format_name(1, "创建领导小组文件") == "01：创建领导小组文件"
    assert naming.format_name(7, "文件", "_", 3) == "007_文件"
    assert naming.width_for(9) == 2
    assert naming.width_for(99) == 2
    assert naming.width_for(100) == 3


def test_fold_ignores_width_separators_and_spaces_but_never_makes_names() -> None:
    assert naming.fold("创建 工作（机制）") == naming.fold("创建工作(机制)")
    assert naming.fold("ＡＢＣ") == "abc"
    # NFC keeps the full-width colon; NFKC would have turned it into ':'.
    assert naming.nfc("01：文件") == "01：文件"
    assert unicodedata.normalize("NFKC", "：") == ":"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("创建工作机制", "创建工作机制"),
        ("A/B类", "A／B类"),
        ("问题?", "问题？"),
        ('引号"名"', "引号＂名＂"),
        ("a\\b", "a＼b"),
        ("比较<和>", "比较＜和＞"),
        ("甲|乙", "甲｜乙"),
        ("星*号", "星＊号"),
        ("冒号:名", "冒号：名"),
        ("末尾句点。.", "末尾句点。"),
        ("  两边空格  ", "两边空格"),
        ("控\x07制", "控制"),
        ("CON", "CON_"),
        ("nul.txt", "nul_.txt"),  # "nul.txt_" would still be the device NUL
        ("COM0", "COM0_"),
        ("lpt¹.txt", "lpt¹_.txt"),
        ("..", ""),
        ("   ", ""),
    ],
)
def test_sanitize(name: str, safe: str) -> None:
    assert naming.sanitize(name) == safe
    assert not naming.windows_problems(safe) or not safe


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        ("01：文件.docx", []),
        ("01:文件.docx", ["forbidden_chars"]),
        ("a?b", ["forbidden_chars"]),
        ("CON", ["reserved"]),
        ("com1.txt", ["reserved"]),
        ("LPT9.docx", ["reserved"]),
        ("console.txt", []),
        ("文件.", ["trailing"]),
        ("文件 ", ["trailing"]),
        ("a\tb", ["control_chars"]),
        ("长" * 256, ["too_long"]),
    ],
)
def test_windows_problems(name: str, problems: list[str]) -> None:
    assert naming.windows_problems(name) == problems


@pytest.mark.parametrize(
    ("name", "year"),
    [("2019", 2019), ("2019年", 2019), ("２０２０年度", 2020), (" 2021 ", 2021), ("2019-2020", None),
     ("01：2019年总结", None), ("1979", None)],
)
def test_year_folder(name: str, year: int | None) -> None:
    assert naming.year_folder(name) == year


@pytest.mark.parametrize(
    ("name", "year"),
    [("01：2019年工作总结", 2019), ("20190909会议", None), ("第3次会议", None),
     ("2024年度计划与2025年要点", 2024), ("01：计划", None)],
)
def test_year_in_name(name: str, year: int | None) -> None:
    assert naming.year_in_name(name) == year


@pytest.mark.parametrize("digits", [3, 4, 5, 6, 7])
def test_serial_numbers_are_read_in_folders_of_any_size(digits: int) -> None:
    """A folder of 100,000 documents reads names with 6 digits (it crashed: '{6,5}')."""
    assert naming.parse("000123：会议记录", digits).number == 123
    assert naming.parse("1" + "0" * (digits - 1) + "：会议记录", digits).number == 10 ** (digits - 1)
