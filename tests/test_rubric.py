"""Rubric loading: one fixture per failure mode, with the exact message and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cwa.rubric import bundled
from tests.conftest import FIXTURES, run

BAD = FIXTURES / "rubrics"


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("unquoted-code", 'unquoted-code.yaml:6: 错误：indicators[0].children[0].code：编号必须加引号：'
                          '未加引号的 1.10 会被 YAML 读成 1.1，请写成 "1.10"'),
        ("duplicate-key", "duplicate-key.yaml:6: 错误：indicators[0].points：重复的键“points”（第 5 行已出现）"),
        ("duplicate-code", "duplicate-code.yaml:5: 错误：indicators[1].code：指标编号重复：“1”（第 3 行已有）"),
        ("duplicate-name", "duplicate-name.yaml:5: 错误：indicators[1].name：同级指标名称重复：“组织 管理”（第 3 行已有）"),
        ("syntax-error", "syntax-error.yaml:4: 错误：YAML 语法错误：方括号“[”没有配对的“]”，"
                         "或其中的项之间缺少逗号（该行：name: [组织管理）"),
        ("name-dotdot", "name-dotdot.yaml:4: 错误：indicators[0].name：指标名称“..”不能用作文件夹名"),
        ("missing-name", "missing-name.yaml:3: 错误：indicators[0]：缺少必填的键“name”"),
        ("bad-kind", "bad-kind.yaml:7: 错误：indicators[0].evidence[0].kinds：未知的材料类型“photograph”（可用：text、image、av、link）"),
        ("empty", "empty.yaml:1: 错误：文件为空，没有测评体系"),
        ("unknown-key", "unknown-key.yaml:5: 错误：indicators[0].onwers：未知的键“onwers”，是否想写“owners”？"),
    ],
)
def test_broken_rubric_names_file_line_and_key(fixture: str, message: str) -> None:
    path = BAD / f"{fixture}.yaml"
    result = run("rubric", "validate", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"{BAD}/{message}\n"


def test_a_gbk_rubric_is_read_and_its_encoding_named() -> None:
    path = BAD / "not-utf8.yaml"  # saved as "ANSI" by Notepad on Chinese Windows
    result = run("rubric", "validate", path)
    assert result.exit_code == 0
    assert result.stderr == (f"{path}:1: 警告：不是 UTF-8，已按 GB18030（GBK）编码读取；"
                             "cwa 写出的文件都是 UTF-8，建议把它另存为 UTF-8\n")
    assert "1 项末级指标" in result.stdout


def test_neither_utf8_nor_gbk_says_so(tmp_path: Path) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_bytes(b"rubric: \xff\xfe\xfd\n")
    result = run("rubric", "validate", path)
    assert result.exit_code == 2
    assert result.stderr == (f"错误：{path} 无法解码：既不是 UTF-8（第 8 字节处不符），也不是 "
                             "GB18030/GBK；请另存为 UTF-8 编码（记事本：“另存为”，编码选 UTF-8）\n")


@pytest.mark.parametrize(
    ("fixture", "warning"),
    [
        ("points-exceed", "points-exceed.yaml:5: 警告：indicators[0].points：下级指标分值合计 6 超过本级分值 4"),
        ("name-sanitised", "name-sanitised.yaml:4: 警告：indicators[0].name：指标名称“党风廉政/综合治理”"
                           "含 Windows 文件名不允许的字符，文件夹名改用“党风廉政／综合治理”"),
    ],
)
def test_warnings_do_not_stop_a_rubric(fixture: str, warning: str) -> None:
    path = BAD / f"{fixture}.yaml"
    result = run("rubric", "validate", path)
    assert result.exit_code == 0
    assert result.stderr == f"{BAD}/{warning}\n"
    assert "1 条警告" in result.stdout


def test_unquoted_plain_name_keeps_its_text() -> None:
    rubric, warnings = bundled.load_ref(str(BAD / "unquoted-name.yaml"))
    assert warnings == []
    assert rubric.indicators[0].name == "no"


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text('rubric: 测试\nindicators:\n  - code: 1\n    name: 甲\n  - code: "2"\n'
                    "    name: 乙\n    points: 很多\n", encoding="utf-8")
    result = run("rubric", "validate", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f'{path}:3: 错误：indicators[0].code：编号必须加引号：未加引号的 1 会被 YAML 读成 1，请写成 "1"',
        f"{path}:7: 错误：indicators[1].points：应为不小于 0 的数字",
    ]


def test_english_messages(tmp_path: Path) -> None:
    result = run("--lang", "en", "rubric", "validate", BAD / "duplicate-code.yaml")
    assert result.stderr == (f"{BAD}/duplicate-code.yaml:5: error: indicators[1].code: "
                             "indicator code '1' used twice (first on line 3)\n")


def test_missing_rubric_file() -> None:
    result = run("rubric", "validate", "no-such-rubric.yaml")
    assert result.exit_code == 2
    assert result.stderr == ("错误：找不到测评体系“no-such-rubric.yaml”：既不是内置名称（archive-scope、"
                             "city-model、ezhou-2017、national-2012），也不是存在的文件\n")


@pytest.mark.parametrize("name", bundled.names())
def test_bundled_rubrics_load_cleanly(name: str) -> None:
    rubric, warnings = bundled.load_ref(name)
    assert warnings == []
    assert rubric.note, "every bundled rubric says where it comes from and what is missing"
    assert all(ind.name == ind.wording for ind in rubric.walk())


def test_default_rubric_has_the_seven_categories_and_owners() -> None:
    rubric, _ = bundled.load_ref(bundled.DEFAULT)
    assert [i.name for i in rubric.indicators] == [
        "思想建设类", "工作成绩类", "环境卫生类", "道德风尚类", "教育培训类", "其它创建类", "荣誉类"]
    by_code = {i.code: i for i in rubric.walk()}
    assert by_code["1.5"].owners == ("监察室",)
    assert by_code["4.4"].owners == ("人教科", "办公室", "监察室")
    assert by_code["4.6"].owners == ("妇委会",)
    assert by_code["1.3"].note == "精神文明建设领导机构和办事机构文件，责任分工及工作人员名单。"


def test_national_rubric_keeps_unknown_points_unknown() -> None:
    rubric, _ = bundled.load_ref("national-2012")
    assert len(rubric.indicators) == 13
    assert rubric.total_points == 100
    assert rubric.indicators[0].points == 14
    assert [i.points for i in rubric.indicators[1:]] == [None] * 12


def test_rubric_list_and_show() -> None:
    listed = run("rubric", "list")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[0] == "archive-scope *  文明单位创建档案资料归档范围（国税局示例）  26 项末级指标"
    shown = run("rubric", "show", "ezhou-2017")
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert lines[0] == "鄂州市市级文明单位考评细则（2017-2018）  年度：2017-2018  总分 100  合格线 80"
    assert lines[1] == "分年度计分：2017 年 40 分、2018 年 60 分"
    assert "      3) 及时总结经验，积极报送创建工作信息，稿件采用率高。（2分）  2分  [网上申报]" in lines
    assert "          • 创建工作信息（文字，3月起每月至少 1 份）" in lines
    assert "  6 在创建全国文明城市工作中履职不到位、造成较坏影响的，取消文明单位申报资格  （一票否决）" in lines
