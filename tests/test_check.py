"""cwa check end to end: real trees in tmp_path, the real CLI, exact outputs."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import listing, make_docx, make_jpeg, run

LEADER = "01：创建工作机制/01：创建领导机构"


def init(tmp_path: Path, rubric: Path, *extra: str) -> Path:
    archive = tmp_path / "a"
    result = run("init", archive, "--rubric", rubric, "--no-notes", *extra)
    assert result.exit_code == 0, result.output
    return archive


def check_json(archive: Path, *args: object) -> tuple[int, dict[str, Any]]:
    result = run("check", archive, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def codes(data: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((f["code"], f["path"]) for f in data["findings"])


def test_fresh_tree_reports_every_evidence_item_missing(tmp_path: Path,
                                                        small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    result = run("check", archive)
    assert result.exit_code == 1
    assert result.stdout == f"""\
档案：{archive}    测评体系：测试体系（2020）    年度：2018-2020

✘ 1 创建工作机制  缺失  估分 0/3
  ✘ 1.1 创建领导机构  缺失  估分 0/2  责任单位：办公室
      ✘ 领导小组成立文件（文字）  0/1 份
      ✘ 专题会议照片（图片）  按年：2018：0/3，2019：0/3，2020：0/3
  ✘ 1.2 年度实施方案  缺失  估分 0/1  责任单位：办公室
      ✘ 年度实施方案（文字、图片、音像）  0/1 份
  – 1.3 实地查看  无需档案材料
✘ 2 理想信念教育  缺失  估分 0/3
  ✘ 2.1 中心组学习  缺失  估分 0/3
      ✘ 中心组学习记录（文字）  0/2 份
指标 4 项：完整 0 · 部分 0 · 缺失 3 · 无需档案材料 1 ｜ 估分约 0/6 ｜ 错误 4 · 警告 0 · 提示 0
"""


def test_complete_evidence_scores_its_points(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    leader = archive / LEADER
    make_docx(leader / "01：领导小组成立文件.docx")
    for year in (2018, 2019, 2020):
        for i in range(1, 4):
            make_jpeg(leader / f"{year}年" / f"0{i}：专题会议照片.jpg")
    make_docx(archive / "01：创建工作机制" / "02：年度实施方案" / "01：2019年实施方案.docx")
    code, data = check_json(archive)
    assert code == 1  # 2.1 still missing
    first = data["indicators"][0]
    assert first["status"] == "complete"
    assert first["points_covered"] == 6
    photos = first["children"][0]["evidence"][1]
    assert photos["by_year"] == {"2018": 3, "2019": 3, "2020": 3}
    assert photos["satisfied"] is True
    assert data["summary"]["points"] == {"covered": 6, "total": 14}
    assert data["summary"]["indicators"] == {"complete": 2, "partial": 0, "missing": 1, "na": 1,
                                              "not_applicable": 0}


def test_per_year_gap_and_partial_status(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    leader = archive / LEADER
    for i in range(1, 4):
        make_jpeg(leader / "2019" / f"0{i}：专题会议照片.jpg")
    make_jpeg(leader / "04：专题会议照片.jpg")  # no year anywhere
    _, data = check_json(archive)
    leaf = data["indicators"][0]["children"][0]
    assert leaf["status"] == "partial"
    assert leaf["evidence"][1]["missing_years"] == [2018, 2020]
    ev002 = [f for f in data["findings"] if f["code"] == "EV002"]
    assert [f["message"] for f in ev002] == ["“专题会议照片”每年需要 3 张，缺少年度：2018、2020"]
    assert ("YR001", f"{LEADER}/04：专题会议照片.jpg") in codes(data)


def test_check_writes_nothing(example: Path) -> None:
    before = listing(example)
    for args in ([], ["--format", "json"], ["--lang", "en"]):
        result = run("check", example, *args)
        assert result.exit_code == 1
    assert listing(example) == before


def test_check_on_a_read_only_archive(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    for path in [archive, *archive.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        result = run("check", archive)
        assert result.exit_code == 1
    finally:
        for path in [archive, *archive.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)


EXAMPLE_FINDINGS = {
    ("YR002", "01：思想建设类/01：上级精神文明建设文件及评比材料/04：2021年度文明单位表彰决定.docx"),
    ("EV002", "01：思想建设类/02：本单位文明建设规划计划与总结"),
    ("YR001", "01：思想建设类/02：本单位文明建设规划计划与总结/04：半年工作总结.docx"),
    ("FL002", "01：思想建设类/03：组织机构建设/~$创建领导小组文件.docx"),
    ("NM002", "01：思想建设类/04：班子建设/01_党建工作计划.docx"),
    ("NM002", "01：思想建设类/04：班子建设/02-党委中心组学习记录.docx"),
    ("EV004", "01：思想建设类/04：班子建设/03：参观学习照片.jpg"),
    ("EV001", "01：思想建设类/05：党风廉政建设"),
    ("NM002", "01：思想建设类/6、思想政治工作"),
    ("NM003", "01：思想建设类/6、思想政治工作"),
    ("NM004", "02：工作成绩类/02：制度建设"),
    ("FL002", "02：工作成绩类/02：制度建设/Thumbs.db"),
    ("NM005", "03：环境卫生"),
    ("FL001", "03：环境卫生/01：环境建设/03：创三优工作计划.docx"),
    ("EV003", "03：环境卫生/02：创建卫生先进单位活动"),
    ("NM001", "04：道德风尚类/02：职业道德建设/服务承诺制度和岗位规范.docx"),
    ("UX001", "临时资料"),
    ("UX002", "创建工作说明.docx"),
}


def test_example_shows_every_planted_problem(example: Path) -> None:
    code, data = check_json(example)
    assert code == 1
    assert set(codes(data)) >= EXAMPLE_FINDINGS
    assert {c for c, _ in codes(data)} == {c for c, _ in EXAMPLE_FINDINGS}
    assert data["summary"]["indicators"] == {"complete": 6, "partial": 6, "missing": 14, "na": 0,
                                              "not_applicable": 0}


def test_json_shape(example: Path) -> None:
    _, data = check_json(example)
    assert list(data) == ["schema_version", "tool", "archive", "rubric", "years", "summary",
                          "indicators", "findings", "checked_at", "vetoes", "unit"]
    assert data["unit"]["name"] == "qinghe-tax" and data["unit"]["types"] is None  # summary
    assert data["checked_at"] == "2026-01-01T00:00:00+00:00"  # SOURCE_DATE_EPOCH (conftest)
    assert data["schema_version"] == 1
    assert data["years"] == {"from": 2024, "to": 2026}
    assert data["rubric"]["origin"] == "archive-scope"
    assert set(data["summary"]) == {"indicators", "points", "findings", "files", "folders", "deep",
                                    "score", "pass"}
    assert data["summary"]["score"] is None  # the default rubric gives no points
    assert data["summary"]["deep"] is None
    indicator = data["indicators"][0]["children"][2]
    assert indicator == {
        "code": "1.3", "name": "组织机构建设", "path": "01：思想建设类/03：组织机构建设",
        "present": True, "status": "complete", "points": None, "points_covered": None,
        "share": 1.0, "estimate": None, "possible": None, "bonus": False, "applies_to": [],
        "grade": None, "na_note": None,
        "methods": [], "owners": [], "documents": 2,
        "evidence": [
            {"title": "领导机构和办事机构文件", "kinds": ["text"], "min": 1, "per_year": False,
             "caption": False, "found": 1, "by_year": {}, "missing_years": [], "satisfied": True,
             "files": ["01：思想建设类/03：组织机构建设/01：创建领导小组文件.docx"],
             "cadence": None, "missing_periods": [], "activities": []},
            {"title": "责任分工及工作人员名单", "kinds": ["text"], "min": 1, "per_year": False,
             "caption": False, "found": 1, "by_year": {}, "missing_years": [],
             "satisfied": True,
             "files": ["01：思想建设类/03：组织机构建设/02：责任分工及工作人员名单.docx"],
             "cadence": None, "missing_periods": [], "activities": []},
        ],
        "clauses": [],
        "children": [],
    }
    finding = next(f for f in data["findings"] if f["code"] == "FL001")
    assert finding == {
        "code": "FL001", "severity": "error",
        "path": "03：环境卫生/01：环境建设/03：创三优工作计划.docx", "indicator": "3.1",
        "message": "空文件（0 字节）", "hint": "重新保存或替换该文件",
        "data": {"name": "03：创三优工作计划.docx"},
    }


@pytest.mark.parametrize(
    ("fail_on", "exit_code"), [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on(example: Path, fail_on: str, exit_code: int) -> None:
    assert run("check", example, "--fail-on", fail_on).exit_code == exit_code


def test_fail_on_warning_catches_what_error_lets_pass(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric, "--years", "2018-2018")
    leader = archive / LEADER
    make_docx(leader / "01_领导小组成立文件.docx")  # a naming warning only
    for i in range(1, 4):
        make_jpeg(leader / f"0{i + 1}：2018年专题会议照片.jpg")
    make_docx(archive / "01：创建工作机制" / "02：年度实施方案" / "01：实施方案.docx")
    make_docx(archive / "02：理想信念教育" / "01：中心组学习" / "01：中心组学习记录一.docx")
    make_docx(archive / "02：理想信念教育" / "01：中心组学习" / "02：中心组学习记录二.docx")
    assert run("check", archive).exit_code == 0
    assert run("check", archive, "--fail-on", "warning").exit_code == 1


def test_english_by_option_and_by_environment(example: Path) -> None:
    by_option = run("--lang", "en", "check", example)
    by_env = run("check", example, env={"CWA_LANG": "en"})
    assert by_option.stdout == by_env.stdout
    assert "indicators: complete 6 · partial 6 · missing 14" in by_option.stdout
    assert "\x1b[" not in by_option.stdout  # not a terminal: no escape codes


def test_no_color_is_honoured_on_a_terminal(example: Path) -> None:
    from cwa.commands.shared import consoles

    os.environ["NO_COLOR"] = "1"
    try:
        out, _ = consoles()
        assert out.no_color is True
    finally:
        del os.environ["NO_COLOR"]


def test_missing_archive(tmp_path: Path) -> None:
    result = run("check", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert result.stderr == f"错误：找不到档案文件夹：{tmp_path / 'nowhere'}\n"


def test_no_config_and_no_rubric(tmp_path: Path) -> None:
    result = run("check", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (f"错误：{tmp_path} 中没有 cwa.yaml：请先运行 cwa init，或用 --rubric 指定测评体系"
                             "（内置：archive-scope、city-model、ezhou-2017、national-2012）\n")


def test_broken_rubric_referenced_by_cwa_yaml(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text('rubric: 测试\nindicators:\n  - code: 1.10\n    name: 甲\n',
                                       encoding="utf-8")
    (tmp_path / "cwa.yaml").write_text('rubric: "bad.yaml"\n', encoding="utf-8")
    result = run("check", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == ('bad.yaml:3: 错误：indicators[0].code：编号必须加引号：未加引号的 1.10 '
                             '会被 YAML 读成 1.1，请写成 "1.10"\n')


def test_broken_cwa_yaml(tmp_path: Path) -> None:
    (tmp_path / "cwa.yaml").write_text('rubric: archive-scope\nyears: 2020-2018\nnamng: {}\n',
                                       encoding="utf-8")
    result = run("check", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{tmp_path}/cwa.yaml:3: 错误：namng：未知的键“namng”，是否想写“naming”？",
        f"{tmp_path}/cwa.yaml:2: 错误：years：年度范围“2020-2018”无效，应写成 {{from: 2018, to: 2020}} "
        '或 "2018-2020"',
    ]


def test_rubric_option_overrides_and_years_option(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    _, data = check_json(archive, "--rubric", "city-model", "--years", "2024-2025")
    assert data["rubric"]["name"] == "市级文明单位（标兵）测评体系参考模板"
    assert data["years"] == {"from": 2024, "to": 2025}


@pytest.mark.parametrize(
    "folder",
    ["01:创建工作机制", "01_创建工作机制", "01-创建工作机制", "1.创建工作机制", "1、创建工作机制",
     "01 创建工作机制", "01创建工作机制", "  01 ：  创建工作机制", "０１：创建工作机制",
     "一、创建工作机制", "1.1 创建工作机制", "创建工作机制", "01：创建工作机制（2018-2020）"],
)
def test_folders_are_matched_whatever_the_separator(tmp_path: Path, small_rubric: Path,
                                                    folder: str) -> None:
    archive = init(tmp_path, small_rubric)
    (archive / "01：创建工作机制").rename(archive / folder)
    _, data = check_json(archive)
    assert data["indicators"][0]["present"] is True
    assert data["indicators"][0]["path"] == folder
    assert not [f for f in data["findings"] if f["code"] in ("EV003", "UX001")]


def test_folder_of_an_older_wording_matches_by_number(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    (archive / "02：理想信念教育").rename(archive / "02：思想道德建设")
    _, data = check_json(archive)
    nm005 = [f for f in data["findings"] if f["code"] == "NM005"]
    assert [f["message"] for f in nm005] == ["文件夹名与测评体系的指标名称“理想信念教育”不一致"]


def test_swapped_numbers_are_reported(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    (archive / "01：创建工作机制").rename(archive / "03：创建工作机制")
    _, data = check_json(archive)
    (nm006,) = [f for f in data["findings"] if f["code"] == "NM006"]
    assert nm006["message"] == "文件夹序号 3 与指标在测评体系中的位置 1 不一致，应为“01：创建工作机制”"


def test_unexpected_entries(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    (archive / "旧资料" / "子文件夹").mkdir(parents=True)
    make_docx(archive / "01：创建工作机制" / "01：放错层级的文件.docx")
    _, data = check_json(archive)
    assert ("UX001", "旧资料") in codes(data)
    assert ("UX002", "01：创建工作机制/01：放错层级的文件.docx") in codes(data)


def test_numbering_gaps_and_duplicates(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    folder = archive / "02：理想信念教育" / "01：中心组学习"
    for name in ("01：中心组学习记录.docx", "03：中心组学习记录.docx", "03：学习心得.docx",
                 "06：中心组学习记录.docx"):
        make_docx(folder / name)
    _, data = check_json(archive)
    messages = {f["code"]: f["message"] for f in data["findings"] if f["code"] in ("NM003",
                                                                                   "NM004")}
    assert messages == {"NM003": "编号不连续，缺少：02、04、05", "NM004": "序号 03 重复使用"}


def test_junk_links_empty_and_unknown_files(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    leader = archive / LEADER
    for name in ("~$领导小组.docx", "Thumbs.db", "desktop.ini", ".DS_Store", "._01：照片.jpg",
                 ".~lock.01：文件.docx#"):
        (leader / name).write_bytes(b"junk")
    (leader / "01：领导小组成立文件.docx").write_bytes(b"")
    (leader / "02：领导小组成立文件.lnk").write_bytes(b"L\x00\x00\x00")
    (leader / "03：领导小组成立文件.zip").write_bytes(b"PK\x03\x04")
    (leader / "04：领导小组文件.docx").symlink_to(tmp_path / "elsewhere.docx")
    _, data = check_json(archive)
    found = [(c, p.rsplit("/", 1)[-1]) for c, p in codes(data) if p.startswith(LEADER + "/")]
    assert sorted(found) == sorted([
        ("FL002", "~$领导小组.docx"), ("FL002", "Thumbs.db"), ("FL002", "desktop.ini"),
        ("FL002", ".DS_Store"), ("FL002", "._01：照片.jpg"), ("FL002", ".~lock.01：文件.docx#"),
        ("FL001", "01：领导小组成立文件.docx"), ("FL003", "02：领导小组成立文件.lnk"),
        ("FL004", "03：领导小组成立文件.zip"), ("FL003", "04：领导小组文件.docx"),
    ])
    leaf = data["indicators"][0]["children"][0]
    assert leaf["evidence"][0]["found"] == 0  # none of them counts as evidence


def test_symlink_loop_is_not_followed(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    (archive / LEADER / "循环").symlink_to(archive, target_is_directory=True)
    (archive / LEADER / "外部").symlink_to("/", target_is_directory=True)
    _, data = check_json(archive)
    assert ("FL003", f"{LEADER}/循环") in codes(data)
    assert ("FL003", f"{LEADER}/外部") in codes(data)


def test_unreadable_folder_becomes_a_finding(tmp_path: Path, small_rubric: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    archive = init(tmp_path, small_rubric)
    locked = archive / LEADER
    real = os.scandir

    def scandir(path: str) -> Any:  # the OS refusing one folder, as on a shared drive
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr("cwa.scan.os.scandir", scandir)
    _, data = check_json(archive)
    (sc,) = [f for f in data["findings"] if f["code"] == "SC001"]
    assert sc["path"] == LEADER
    assert sc["message"] == "无法读取：没有读取权限"


def test_names_illegal_on_windows(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    leader = archive / LEADER
    for name in ("01:领导小组成立文件.docx", "CON.docx", "02：会议照片.jpg.", "03：会议*照片.jpg"):
        (leader / name).write_bytes(b"x")
    _, data = check_json(archive)
    wn = {f["path"].rsplit("/", 1)[-1]: f["message"] for f in data["findings"]
          if f["code"] == "WN001"}
    assert wn == {
        "01:领导小组成立文件.docx": "名称在 Windows 上不可用：含有不允许的字符 :",
        "CON.docx": "名称在 Windows 上不可用：是 Windows 保留名称",
        "02：会议照片.jpg.": "名称在 Windows 上不可用：以空格或句点结尾",
        "03：会议*照片.jpg": "名称在 Windows 上不可用：含有不允许的字符 *",
    }


def test_long_paths_are_flagged(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    deep = archive / LEADER
    for i in range(4):  # 45 characters a level: fine on Linux, too long for Explorer
        deep = deep / f"{i}{'很长的子文件夹名称' * 5}"[:45]
    make_docx(deep / ("01：" + "领导小组成立文件" * 10 + ".docx"))
    _, data = check_json(archive)
    long = [f for f in data["findings"] if f["code"] == "WN002"]
    assert [f["path"].count("/") for f in long] == [6]
    assert long[0]["data"]["length"] == len("D:\\a\\") + len(long[0]["path"])
    assert long[0]["message"] == f"路径长 {long[0]['data']['length']} 个字符，超过 Windows 的 260 字符限制"


def test_decomposed_names_are_flagged(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    name = unicodedata.normalize("NFD", "01：Café会议.docx")
    make_docx(archive / LEADER / name)
    _, data = check_json(archive)
    assert ("WN003", f"{LEADER}/{name}") in codes(data)


def test_files_from_outside_the_years(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    make_docx(archive / LEADER / "2015" / "01：领导小组成立文件.docx")
    _, data = check_json(archive)
    (yr,) = [f for f in data["findings"] if f["code"] == "YR002"]
    assert yr["message"] == "年度 2015 不在档案年度范围 2018-2020 内"


def test_cwa_folders_and_notes_are_ignored(tmp_path: Path, small_rubric: Path) -> None:
    archive = tmp_path / "a"
    run("init", archive, "--rubric", small_rubric)  # with notes and a journal
    (archive / ".git").mkdir()
    _, data = check_json(archive)
    assert {c for c, _ in codes(data)} == {"EV001", "EV002"}
    assert data["summary"]["indicators"]["missing"] == 3


def test_missing_indicator_folder(tmp_path: Path, small_rubric: Path) -> None:
    archive = init(tmp_path, small_rubric)
    (archive / "02：理想信念教育" / "01：中心组学习").rmdir()
    _, data = check_json(archive)
    (ev,) = [f for f in data["findings"] if f["code"] == "EV003"]
    assert ev["path"] == "02：理想信念教育/01：中心组学习"
    assert ev["message"] == "缺少指标文件夹“01：中心组学习”"
    assert data["indicators"][1]["children"][0]["present"] is False


def test_internal_error_exits_3_with_a_log(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("cwa.commands.check.run_check", boom)
    result = run("check", example)
    assert result.exit_code == 3
    match = re.fullmatch(r"cwa 内部错误。详细信息已写入 (\S+)，请把该文件附在问题报告中。\n", result.stderr)
    assert match, result.stderr
    log = Path(match.group(1))
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")
    log.unlink()


def test_interrupt_exits_130(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("cwa.commands.check.run_check", interrupted)
    result = run("check", example)
    assert result.exit_code == 130
    assert result.stderr == "已中断。\n"


def _pid(_: object) -> int:
    return os.getpid()


def test_indicator_folders_are_checked_in_worker_processes() -> None:
    from cwa.checks import _map

    pids = _map(_pid, [1, 2, 3, 4], 2)  # type: ignore[arg-type]
    assert len(pids) == 4
    assert os.getpid() not in pids


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_parallel_and_serial_checks_say_the_same(example: Path, jobs: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (example / "临时资料" / "CON.docx").write_bytes(b"x")  # below an unexpected folder
    (example / "01：思想建设类" / "多余的文件夹").mkdir()
    real = os.scandir

    def scandir(path: str) -> Any:
        if Path(path).name == "02：工作成绩类":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr("cwa.scan.os.scandir", scandir)
    serial = run("check", example, "--format", "json", "--jobs", "1")
    parallel = run("check", example, "--format", "json", "--jobs", jobs)
    assert serial.exit_code == parallel.exit_code == 1
    assert serial.stdout == parallel.stdout
    data = json.loads(serial.stdout)
    assert ("SC001", "02：工作成绩类") in codes(data)
    assert ("WN001", "临时资料/CON.docx") in codes(data)
    assert ("UX001", "01：思想建设类/多余的文件夹") in codes(data)
