"""cwa migrate: an archive built on one edition put onto the next — planned, applied with
the journal, undone byte for byte, resumed or undone after a kill at any step."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from cwa.apply import CRASH_AFTER, CRASH_DURING
from tests.conftest import run
from tests.editions import NEW, OLD
from tests.test_crash import finished_like, journal_header, killed

#: The archive's files, as a clerk filed them under the old edition.
FILES = {
    "01：组织管理/01：创建规划/01：2019年度创建工作计划.docx": b"plan 2019",
    "01：组织管理/01：创建规划/02：2020年度创建工作计划.docx": b"plan 2020",
    "01：组织管理/02：机制建设/01：创建工作领导小组的通知.docx": b"notice",
    "02：学雷锋活动/01：学雷锋活动总体方案.docx": b"lei feng",
    "02：学雷锋活动/2020/01：学雷锋志愿服务照片.jpg": b"photo",
    "03：道德经典诵读/01：经典诵读活动照片.jpg": b"reading",
    "04：志愿服务活动/01：志愿服务记录.docx": b"volunteers",
    "临时资料/草稿.docx": b"draft",
}
#: Where each file is after the migration.
MOVED = {
    "01：组织管理/01：创建规划/01：2019年度创建工作计划.docx":
        "01：组织管理/01：创建工作规划/01：2019年度创建工作计划.docx",
    "01：组织管理/01：创建规划/02：2020年度创建工作计划.docx":
        "01：组织管理/01：创建工作规划/02：2020年度创建工作计划.docx",
    "01：组织管理/02：机制建设/01：创建工作领导小组的通知.docx":
        "01：组织管理/02：机制建设/01：创建工作领导小组的通知.docx",
    "02：学雷锋活动/01：学雷锋活动总体方案.docx": "01：组织管理/03：学雷锋活动/01：学雷锋活动总体方案.docx",
    "02：学雷锋活动/2020/01：学雷锋志愿服务照片.jpg":
        "01：组织管理/03：学雷锋活动/2020/01：学雷锋志愿服务照片.jpg",
    "03：道德经典诵读/01：经典诵读活动照片.jpg":
        "00：待归类（旧版指标）/03：道德经典诵读/01：经典诵读活动照片.jpg",
    "04：志愿服务活动/01：志愿服务记录.docx": "02：志愿服务活动/01：志愿服务记录.docx",
    "临时资料/草稿.docx": "临时资料/草稿.docx",
}


def state(root: Path) -> dict[str, str]:
    """Every entry below root except cwa's own folder: "dir" or the content's SHA-256."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == ".cwa" or rel.startswith(".cwa/"):
            continue
        out[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def archive(base: Path, notes: bool = True, new: str = NEW) -> tuple[Path, Path]:
    """An archive made by cwa init on the old edition, with files; the new edition."""
    base.mkdir(parents=True, exist_ok=True)
    (base / "2019版.yaml").write_text(OLD, encoding="utf-8")
    (base / "2022版.yaml").write_text(new, encoding="utf-8")
    root = base / "档案"
    args = ["init", root, "--rubric", base / "2019版.yaml"] + ([] if notes else ["--no-notes"])
    assert run(*args).exit_code == 0
    shutil.rmtree(root / ".cwa")  # init's journal: the migration's is the only one
    for rel, data in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    config = root / "cwa.yaml"
    config.write_text(config.read_text(encoding="utf-8") + 'vetoes:\n  "1": 否\n  "2": 否\n',
                      encoding="utf-8")
    return root, base / "2022版.yaml"


def test_plan_apply_check_undo(tmp_path: Path) -> None:
    root, new = archive(tmp_path)
    original = state(root)
    plan = run("migrate", root, "--to", new)
    assert plan.exit_code == 0, plan.output
    assert state(root) == original  # a plan changes nothing
    lines = plan.stdout.splitlines()
    assert lines[0] == "迁移：文明单位测评体系（2019） → 文明单位测评体系（2022）"
    assert "  重命名  01：组织管理/01：创建规划 → 01：组织管理/01：创建工作规划  （编号相同，名称相近）" in lines
    assert "  移动  02：学雷锋活动 → 01：组织管理/03：学雷锋活动  （名称相同，编号不同）" in lines
    assert "  重命名  04：志愿服务活动 → 02：志愿服务活动  （名称相同，编号不同）" in lines
    assert "  新建  03：文明风尚传播  （新版新增的指标）" in lines
    assert ("  待归类  03：道德经典诵读 → 00：待归类（旧版指标）/03：道德经典诵读  "
            "（新版没有此指标，材料保留待归类）") in lines
    assert "  cwa.yaml：一票否决第 2 项在新版中没有，原答复（已注释掉）" in lines
    assert "  不动：临时资料（不对应旧版的任何指标）" in lines
    assert lines[-1] == "以上为预演，未做任何改动；加 --apply 执行（执行后可用 cwa undo 撤销）。"

    applied = run("migrate", root, "--to", new, "--apply")
    assert applied.exit_code == 0, applied.output
    after = state(root)
    for before, now in MOVED.items():
        assert after[now] == original[before], now  # every file, its bytes, at its place
    assert not (root / "03：道德经典诵读").exists() and (root / "03：文明风尚传播").is_dir()
    assert (root / "测评体系.yaml").read_text(encoding="utf-8") == NEW
    config = (root / "cwa.yaml").read_text(encoding="utf-8")
    assert 'rubric: "测评体系.yaml"' in config and '  "1": 否\n#   "2": 否\n' in config
    note = (root / "01：组织管理/01：创建工作规划/_归档要求.txt").read_text(encoding="utf-8-sig")
    assert note.startswith("【归档要求】1.1 创建工作规划")
    assert (root / "03：文明风尚传播/_归档要求.txt").is_file()
    check = run("check", root, "--format", "json")
    assert check.exit_code == 1, check.output  # missing evidence, no configuration error
    findings = [f for i in json.loads(check.stdout)["findings"] for f in [i]]
    assert not [f for f in findings if f["code"] == "EV003"]  # no indicator folder missing
    assert sorted(f["path"] for f in findings if f["code"] == "UX001") == [
        "00：待归类（旧版指标）", "临时资料"]
    again = run("migrate", root, "--to", new)
    assert again.exit_code == 0 and "无需改动" in again.stdout

    undone = run("undo", root)
    assert undone.exit_code == 0, undone.output
    assert state(root) == original  # byte for byte


def test_ambiguous_cases_wait_for_the_mapping_file(tmp_path: Path) -> None:
    """The new edition gives 道德经典诵读's code to 文明风尚传播: the same indicator, or
    another? The clerk decides, in a YAML or CSV mapping file."""
    root, new = archive(tmp_path, new=NEW.replace('code: "5"', 'code: "3"'))
    original = state(root)
    plan = run("migrate", root, "--to", new)
    assert plan.exit_code == 1
    assert "需要您决定的 1 项" in plan.stdout
    assert ("  旧 3 道德经典诵读（03：道德经典诵读）：编号相同、名称不同的新指标 3 文明风尚传播，"
            "是不是同一项？") in plan.stdout
    assert '  "3": "3"    # 旧 3 道德经典诵读；候选：3 文明风尚传播' in plan.stdout
    refused = run("migrate", root, "--to", new, "--apply")
    assert refused.exit_code == 1 and "还有 1 项需要您决定" in refused.stderr
    assert state(root) == original

    mapping = tmp_path / "映射.csv"
    mapping.write_text("旧,新\n道德经典诵读,文明风尚传播\n", encoding="utf-8")
    applied = run("migrate", root, "--to", new, "--map", mapping, "--apply")
    assert applied.exit_code == 0, applied.output
    assert "  重命名  03：道德经典诵读 → 03：文明风尚传播  （按映射文件）" in applied.stdout
    assert (root / "03：文明风尚传播/01：经典诵读活动照片.jpg").read_bytes() == b"reading"
    assert run("undo", root).exit_code == 0 and state(root) == original

    mapping = tmp_path / "映射.yaml"
    mapping.write_text('"3": 待归类\n', encoding="utf-8")
    applied = run("migrate", root, "--to", new, "--map", mapping, "--apply")
    assert applied.exit_code == 0, applied.output
    assert (root / "00：待归类（旧版指标）/03：道德经典诵读/01：经典诵读活动照片.jpg").is_file()
    assert (root / "03：文明风尚传播").is_dir()


def test_two_old_indicators_mapped_onto_one(tmp_path: Path) -> None:
    root, new = archive(tmp_path)
    mapping = tmp_path / "map.yaml"
    mapping.write_text('"3": "2"\n', encoding="utf-8")
    applied = run("migrate", root, "--to", new, "--map", mapping, "--apply")
    assert applied.exit_code == 0, applied.output
    merged = root / "02：志愿服务活动" / "03：道德经典诵读" / "01：经典诵读活动照片.jpg"
    assert merged.read_bytes() == b"reading"
    assert (root / "02：志愿服务活动/01：志愿服务记录.docx").read_bytes() == b"volunteers"


def test_mapping_file_names_what_it_does_not_know(tmp_path: Path) -> None:
    root, new = archive(tmp_path)
    mapping = tmp_path / "map.yaml"
    mapping.write_text('"9": "2"\n', encoding="utf-8")
    result = run("migrate", root, "--to", new, "--map", mapping)
    assert result.exit_code == 2 and "旧版测评体系中没有“9”" in result.stderr
    mapping.write_text('"3": 不存在的指标\n', encoding="utf-8")
    result = run("migrate", root, "--to", new, "--map", mapping)
    assert result.exit_code == 2 and "新版测评体系中没有“不存在的指标”" in result.stderr


def test_never_overwrites_and_reuses_a_folder_already_there(tmp_path: Path) -> None:
    root, new = archive(tmp_path)
    (root / "02：志愿服务活动").write_bytes(b"a file where a folder should go")
    (root / "05：文明风尚传播").mkdir()  # made by hand before the migration
    (root / "05：文明风尚传播" / "01：文明风尚宣传.docx").write_bytes(b"own")
    plan = run("migrate", root, "--to", new, "--apply")
    assert plan.exit_code == 1, plan.output
    assert "  ✘ 04：志愿服务活动 → 02：志愿服务活动：目标位置已有“02：志愿服务活动”，不覆盖；原文件夹保持不动" in plan.stdout
    assert (root / "02：志愿服务活动").read_bytes() == b"a file where a folder should go"
    assert (root / "04：志愿服务活动/01：志愿服务记录.docx").read_bytes() == b"volunteers"
    assert (root / "03：文明风尚传播/01：文明风尚宣传.docx").read_bytes() == b"own"
    assert "  沿用  05：文明风尚传播 → 03：文明风尚传播  （新版新增的指标）" in plan.stdout


def test_a_locked_or_unfinished_archive_is_refused_first(tmp_path: Path) -> None:
    from cwa import lock

    root, new = archive(tmp_path)
    with lock.hold(root, "stamp"):
        result = run("migrate", root, "--to", new, "--apply")
        assert result.exit_code == 2 and "另一个 cwa 正在修改这个档案" in result.stderr


def in_the_way(root: Path) -> None:
    """The old 道德经典诵读 folder renamed by hand to the name the new 文明风尚传播 needs
    (cwa still finds it by its number): it must step aside under a temporary name first."""
    (root / "03：道德经典诵读").rename(root / "03：文明风尚传播")


def test_a_folder_in_the_way_steps_aside(tmp_path: Path) -> None:
    root, new = archive(tmp_path)
    in_the_way(root)
    original = state(root)
    assert run("migrate", root, "--to", new, "--apply").exit_code == 0
    operations = journal_header(root)["operations"]
    assert isinstance(operations, list)
    phases = [(op["rel"], op["phase"]) for op in operations if op["op"] == "rename"
              and op["group"]]
    assert [p for _, p in phases] == [1, 2] and phases[0][0] == "03：文明风尚传播"
    held = root / "00：待归类（旧版指标）/03：文明风尚传播/01：经典诵读活动照片.jpg"
    assert held.read_bytes() == b"reading"
    assert (root / "03：文明风尚传播").is_dir()
    assert run("undo", root).exit_code == 0 and state(root) == original


@pytest.mark.skipif(not hasattr(os, "fork"), reason="kills a forked process")
@pytest.mark.parametrize("prepare", [None, in_the_way], ids=["plain", "step-aside"])
def test_a_kill_at_any_step_then_resume_or_undo(tmp_path: Path, prepare: object) -> None:
    def make(base: Path) -> tuple[Path, list[str]]:
        root, new = archive(base, notes=False)
        if callable(prepare):
            prepare(root)
        return root, ["migrate", str(root), "--to", str(new), "--apply"]

    reference, args = make(tmp_path / "reference")
    assert run(*args).exit_code == 0
    operations = journal_header(reference)["operations"]
    assert isinstance(operations, list) and len(operations) >= 8
    kills = [(CRASH_AFTER, step) for step in range(len(operations))]
    kills += [(CRASH_DURING, step) for step, op in enumerate(operations)
              if op["op"] in ("write", "replace")]
    if prepare is not None:  # the plain case has the rest: here the group and around it
        grouped = [i for i, op in enumerate(operations) if op.get("group")]
        kills = [(CRASH_AFTER, step) for step in range(grouped[0] - 1, grouped[-1] + 1)]
    for number, (where, step) in enumerate(kills):
        for then in ("resume", "undo"):
            root, args = make(tmp_path / f"{number}-{then}")
            original = state(root)
            assert killed(args, {where: str(step)}) == 99, (where, step)
            refused = run(*args)
            assert refused.exit_code == 2, refused.output
            assert "上次的 cwa migrate 没有完成" in refused.stderr
            if then == "resume":
                result = run("resume", root)
                assert result.exit_code == 0, (where, step, result.output)
                finished_like(root, reference)
                assert run("undo", root).exit_code == 0
            else:
                assert run("undo", root).exit_code == 0, (where, step)
            assert state(root) == original, (where, step, then)
