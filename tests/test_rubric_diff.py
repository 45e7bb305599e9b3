"""cwa rubric diff: what changed between two editions, as text, Markdown and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from cwa.rubric import bundled
from tests.conftest import run
from tests.editions import NEW, OLD


def editions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "2019版.yaml", tmp_path / "2022版.yaml"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def test_every_kind_of_change_as_json(tmp_path: Path) -> None:
    old, new = editions(tmp_path)
    result = run("rubric", "diff", old, new, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["equal"] is False
    assert data["counts"] == {"added": 1, "removed": 1, "renamed": 3, "moved": 1,
                              "points": 2, "methods": 0, "standard": 0, "evidence": 1}
    by_kind: dict[str, list[dict[str, object]]] = {}
    for change in data["changes"]:
        by_kind.setdefault(change["kind"], []).append(change)
    assert by_kind["added"][0]["new"]["name"] == "文明风尚传播"
    assert by_kind["removed"][0]["old"]["name"] == "道德经典诵读"
    renames = {(c["old"]["code"], c["new"]["code"], c["how"]) for c in by_kind["renamed"]}
    assert renames == {("2", "1.3", "renumbered"), ("4", "2", "renumbered"),
                       ("1.1", "1.1", "renamed")}
    (moved,) = by_kind["moved"]
    assert (moved["new"]["code"], moved["from"], moved["to"]) == ("1.3", None, "1")
    assert {(c["new"]["code"], c["before"], c["after"]) for c in by_kind["points"]} == {
        ("1", "4", "6"), ("1.3", "14", "2")}
    (evidence,) = by_kind["evidence"]
    assert evidence["gained"] == ["年度工作目标责任书（文字，每年至少 1 份）"]
    assert data["vetoes"] == {"gained": [], "lost": ["员工发生刑事案件"]}
    assert (data["old"]["total"], data["new"]["total"]) == (18, 6)


def test_text_and_markdown(tmp_path: Path) -> None:
    old, new = editions(tmp_path)
    result = run("rubric", "diff", old, new)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"旧版：文明单位测评体系（2019），6 项指标，总分 18（{old}）"
    assert "  + 5 文明风尚传播" in lines
    assert "  - 3 道德经典诵读" in lines
    assert "  ~ 1.1 创建规划 → 1.1 创建工作规划（编号相同，名称相近）" in lines
    assert "  ~ 2 学雷锋活动 → 1.3 学雷锋活动（名称相同，编号不同）" in lines
    assert "  ↷ 1.3 学雷锋活动：从“顶层”下移到“1 组织管理”下" in lines
    assert "  1 组织管理：4 → 6 分" in lines
    assert "  1.2 机制建设：新增“年度工作目标责任书（文字，每年至少 1 份）”" in lines
    assert lines[-1] == "共 10 处不同。"
    md = run("rubric", "diff", old, new, "--format", "md")
    assert md.exit_code == 1
    assert md.stdout.startswith("# 测评体系对比\n")
    assert "## 移动 1 项" in md.stdout and "- 1.3 学雷锋活动：从“顶层”下移到“1 组织管理”下" in md.stdout
    english = run("rubric", "diff", old, new, "--lang", "en")
    assert "  ~ 1.1 创建规划 -> 1.1 创建工作规划 (same code, close name)" in english.stdout
    assert english.stdout.splitlines()[-1] == "10 differences."


def test_equal_editions_exit_0(tmp_path: Path) -> None:
    old, _ = editions(tmp_path)
    result = run("rubric", "diff", old, old)
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == "两个版本的指标相同。"
    assert run("rubric", "diff", "national-2012", "national-2012").exit_code == 0
    data = json.loads(run("rubric", "diff", old, old, "-f", "json").stdout)
    assert data["equal"] is True and data["changes"] == []


def test_national_2012_against_guizhou_2021(tmp_path: Path) -> None:
    """The 2021 Guizhou version replaces 道德经典诵读 with 组织领导 (6 points): the same
    code under another name is reported for a person to confirm."""
    text = (bundled.directory() / "national-2012.yaml").read_text(encoding="utf-8")
    guizhou = tmp_path / "guizhou-2021.yaml"
    guizhou.write_text(text.replace('{code: "7", name: 道德经典诵读}',
                                    '{code: "7", name: 组织领导, points: 6}'), encoding="utf-8")
    result = run("rubric", "diff", "national-2012", guizhou)
    assert result.exit_code == 1
    assert "  ~ 7 道德经典诵读 → 7 组织领导（编号相同，名称不同，请核对）" in result.stdout
    assert "  7 组织领导：— → 6 分" in result.stdout


def test_bad_format_and_missing_rubric(tmp_path: Path) -> None:
    old, new = editions(tmp_path)
    assert run("rubric", "diff", old, new, "--format", "html").exit_code == 2
    result = run("rubric", "diff", old, tmp_path / "nope.yaml")
    assert result.exit_code == 2
