"""cwa fix and cwa undo: the plan, its safety, the journal, crashes, and exact undo."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cwa import naming
from cwa.apply import apply, undo
from cwa.checks import path_prefix
from cwa.cli import build_app
from cwa.fix import Change, Refusal, _vet, plan_fix
from cwa.journal import found, last_to_undo
from cwa.kinds import NOTE_FILE
from cwa.match import match
from cwa.rubric.model import Naming
from cwa.scan import scan
from tests.conftest import ROOT, SMALL_RUBRIC, Immutable, run

LEAF = "02：理想信念教育/01：中心组学习"


def tree(root: Path) -> dict[str, str]:
    """Names and content hashes of everything but cwa's own folder."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == ".cwa" or rel.startswith(".cwa/"):
            continue
        if path.is_symlink():
            out[rel] = f"link:{path.readlink()}"
        elif path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def archive(tmp_path: Path, files: list[str] = ()) -> Path:  # type: ignore[assignment]
    root = tmp_path / "a"
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "rubric.yaml").write_text(SMALL_RUBRIC, encoding="utf-8")
    result = run("init", root, "--rubric", tmp_path / "rubric.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    shutil.rmtree(root / ".cwa")
    for i, rel in enumerate(files):
        path = root / LEAF / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"content {i} {rel}".encode())
    return root


def leaf_names(root: Path) -> list[str]:
    base = root / LEAF
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*"))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (["1.创建领导小组文件.docx"], ["01：创建领导小组文件.docx"]),
        (["01:文件.docx"], ["01：文件.docx"]),
        (["01_文件.docx", "02-会议.docx", "03 照片.jpg"], ["01：文件.docx", "02：会议.docx", "03：照片.jpg"]),
        (["一、组织领导.docx", "二、宣传教育.docx"], ["01：组织领导.docx", "02：宣传教育.docx"]),
        (["01：甲.docx", "03：乙.docx", "07：丙.docx"], ["01：甲.docx", "02：乙.docx", "03：丙.docx"]),
        # the same number twice: Unicode order (radical and stroke order for 汉字) settles it
        (["01：甲.docx", "01：乙.docx", "02：丙.docx"], ["01：乙.docx", "02：甲.docx", "03：丙.docx"]),
        (["02：甲.docx", "说明材料.docx"], ["01：甲.docx", "02：说明材料.docx"]),
        (["会议10.docx", "会议2.docx"], ["01：会议2.docx", "02：会议10.docx"]),
        (["０３：全角数字.docx"], ["01：全角数字.docx"]),
        (["01：问题?.docx"], ["01：问题？.docx"]),
        (["1_照片.JPG"], ["01：照片.JPG"]),
        (["2024/1_计划.docx", "2025/计划.docx"], ["2024", "2024/01：计划.docx", "2025", "2025/01：计划.docx"]),
        (["1、会议/照片1.jpg", "1、会议/照片2.jpg"], ["01：会议", "01：会议/01：照片1.jpg", "01：会议/02：照片2.jpg"]),
        (["~$甲.docx", "Thumbs.db", "甲.docx"], ["01：甲.docx", "Thumbs.db", "~$甲.docx"]),
        # a photo's caption .txt is renamed with the photo, not numbered on its own
        (["照片.jpg", "照片.txt", "总结.docx"], ["01：总结.docx", "02：照片.jpg", "02：照片.txt"]),
    ],
)
def test_naming_cases(tmp_path: Path, before: list[str], after: list[str]) -> None:
    root = archive(tmp_path, before)
    result = run("fix", root, "--apply")
    assert result.exit_code == 0, result.output
    assert leaf_names(root) == sorted(after)


def test_a_hundred_documents_get_three_digits(tmp_path: Path) -> None:
    root = archive(tmp_path, [f"材料{i}.docx" for i in range(1, 101)])
    assert run("fix", root, "--apply").exit_code == 0
    names = leaf_names(root)
    assert names[0] == "001：材料1.docx"
    assert names[-1] == "100：材料100.docx"


def test_other_separator(tmp_path: Path) -> None:
    root = archive(tmp_path, ["01：甲.docx"])
    result = run("fix", root, "--apply", "--sep", "_")
    assert result.exit_code == 0
    assert [p.name for p in (root / "02_理想信念教育" / "01_中心组学习").iterdir()] == ["01_甲.docx"]
    assert result.stderr == "分隔符用“_”，但 cwa.yaml 规定为“：”：cwa check 仍按 cwa.yaml 检查，请同时修改 cwa.yaml\n"
    assert (root / "01_创建工作机制").is_dir()


def test_bad_separator_is_refused(tmp_path: Path) -> None:
    root = archive(tmp_path)
    result = run("fix", root, "--sep", ":")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：分隔符 ':' 不可用")


def test_dry_run_is_the_default_and_changes_nothing(tmp_path: Path) -> None:
    root = archive(tmp_path, ["1_甲.docx"])
    before = tree(root)
    result = run("fix", root)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"  {LEAF}/1_甲.docx → 01：甲.docx  （序号或分隔符不规范）",
        "计划：重命名 1 项，新建文件夹 0 个，拒绝 0 项。",
        "以上为预演，未做任何改动；加 --apply 执行（执行后可用 cwa undo 撤销）。",
    ]
    assert tree(root) == before
    assert not (root / ".cwa").exists()


def test_indicator_folders_renamed_swapped_and_created(tmp_path: Path) -> None:
    root = archive(tmp_path, ["01：中心组学习记录.docx"])
    (root / "01：创建工作机制").rename(root / "tmp")
    (root / "02：理想信念教育").rename(root / "01：理想信念教育")  # numbers swapped
    (root / "tmp").rename(root / "02：創建工作機制")  # and in traditional characters
    shutil.rmtree(root / "02：創建工作機制" / "02：年度实施方案")
    result = run("fix", root)
    assert result.stdout.splitlines() == [
        "  01：理想信念教育 → 02：理想信念教育  （序号与测评体系不符）",
        "  02：創建工作機制 → 01：创建工作机制  （序号与测评体系不符、按测评体系的名称）",
        "  新建文件夹 01：创建工作机制/02：年度实施方案  （缺少的指标文件夹）",
        "计划：重命名 2 项，新建文件夹 1 个，拒绝 0 项。",
        "以上为预演，未做任何改动；加 --apply 执行（执行后可用 cwa undo 撤销）。",
    ]
    assert run("fix", root, "--apply").exit_code == 0
    assert sorted(p.name for p in root.iterdir() if p.name != ".cwa") == [
        "01：创建工作机制", "02：理想信念教育", "cwa.yaml", "测评体系.yaml"]
    assert (root / LEAF / "01：中心组学习记录.docx").is_file()
    assert (root / "01：创建工作机制" / "02：年度实施方案").is_dir()


def test_old_wording_is_renamed_to_the_rubric(tmp_path: Path) -> None:
    root = archive(tmp_path)
    (root / "02：理想信念教育").rename(root / "二、思想道德建设")
    run("fix", root, "--apply")
    assert (root / "02：理想信念教育" / "01：中心组学习").is_dir()


def test_target_taken_by_an_entry_that_stays_is_refused(tmp_path: Path) -> None:
    root = archive(tmp_path, ["甲.docx"])
    (root / LEAF / "01：甲.docx").symlink_to(tmp_path / "elsewhere.docx")  # links never move
    before = tree(root)
    result = run("fix", root, "--apply")
    assert result.exit_code == 1
    assert f"  ✘ 不改 {LEAF}/甲.docx → 01：甲.docx：目标“{LEAF}/01：甲.docx”已存在" in result.stdout
    assert tree(root) == before


def test_two_sources_one_target_are_both_refused(tmp_path: Path) -> None:
    folder = scan(_folder(tmp_path, ["x.docx", "y.docx"])).tree
    changes = [Change("x.docx", "01：甲.docx", ()), Change("y.docx", "01：甲.DOCX", ())]
    refused: list[Refusal] = []
    assert _vet(folder, changes, 0, refused)[0] == []
    assert [(r.change.rel, r.reason, r.other) for r in refused] == [
        ("x.docx", "fix.refused.same_target", "y.docx"),
        ("y.docx", "fix.refused.same_target", "x.docx")]


def test_names_equal_under_normalisation_collide(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "01：Café.docx")
    folder = scan(_folder(tmp_path, [nfd, "x.docx"])).tree
    refused: list[Refusal] = []
    ok, _ = _vet(folder, [Change("x.docx", "01：Café.docx", ())], 0, refused)
    assert ok == []
    assert refused[0].reason == "fix.refused.exists"


def test_names_illegal_on_windows_and_too_long_paths_are_refused(tmp_path: Path) -> None:
    folder = scan(_folder(tmp_path, ["x.docx", "y.docx"])).tree
    refused: list[Refusal] = []
    ok, _ = _vet(folder, [Change("x.docx", "CON", ()), Change("y.docx", "y" * 200, ())], 100,
                 refused)
    assert ok == []
    assert [r.reason for r in refused] == ["fix.refused.windows", "fix.refused.too_long"]


def test_path_growing_past_260_is_refused_by_fix(tmp_path: Path) -> None:
    root = archive(tmp_path)
    rel_dir = LEAF + "/" + "/".join(["01：" + "长" * 40] * 4)  # already to the convention
    room = naming.MAX_PATH - 1 - (path_prefix(root) + len(rel_dir) + 1)  # a 259-long path
    name = "甲" * (room - len(".docx")) + ".docx"  # "01：" would make it 262
    deep = root.joinpath(*rel_dir.split("/"))
    deep.mkdir(parents=True)
    (deep / name).write_bytes(b"x")
    result = run("fix", root, "--apply")
    assert result.exit_code == 1
    assert "新路径会超过 260 个字符" in result.stdout
    assert (deep / name).exists()


def _folder(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "f"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes(name.encode())
    return folder


def test_apply_never_overwrites_a_target_that_appeared(tmp_path: Path) -> None:
    root = archive(tmp_path, ["1_甲.docx"])
    layout = match(_rubric(tmp_path), scan(root).tree, Naming())
    plan = plan_fix(root, layout, Naming(), path_prefix(root))
    (root / LEAF / "01：甲.docx").write_bytes(b"someone else's file")  # after planning
    result = apply(root, plan.operations, "fix")
    assert [reason for _, reason in result.skipped] == ["exists"]
    assert (root / LEAF / "01：甲.docx").read_bytes() == b"someone else's file"
    assert (root / LEAF / "1_甲.docx").read_bytes() == "content 0 1_甲.docx".encode()


def _rubric(tmp_path: Path):  # type: ignore[no-untyped-def]
    from cwa.rubric import bundled

    return bundled.load_ref(str(tmp_path / "rubric.yaml"))[0]


def test_a_locked_file_is_skipped_and_the_rest_goes_on(tmp_path: Path,
                                                       immutable: Immutable) -> None:
    root = archive(tmp_path, ["1_甲.docx", "2_乙.docx"])
    immutable(root / LEAF / "1_甲.docx")  # like a file Word holds open on Windows
    result = run("fix", root, "--apply")
    assert result.exit_code == 1
    assert result.stderr == (f"已跳过 {LEAF}/1_甲.docx → {LEAF}/01：甲.docx："
                             "没有权限或文件被占用（请关闭 Word/WPS 后重试）\n")
    assert leaf_names(root) == ["02：乙.docx", "1_甲.docx"]
    immutable.release()
    assert run("undo", root).exit_code == 0
    assert leaf_names(root) == ["1_甲.docx", "2_乙.docx"]


def test_a_locked_file_puts_its_group_back(tmp_path: Path, immutable: Immutable) -> None:
    # 1_甲 becomes 01：甲, the name the other 甲 has now, which becomes 02：甲: the folder's
    # renames go through temporary names as one group. The second 甲 is locked, so the
    # group is put back as it was.
    root = archive(tmp_path, ["01：甲.docx", "1_甲.docx", "丙.docx"])
    before = tree(root)
    immutable(root / LEAF / "01：甲.docx")
    result = run("fix", root, "--apply")
    assert result.exit_code == 1
    assert tree(root) == before
    assert not [p for p in (root / LEAF).iterdir() if p.name.startswith(".cwa-tmp")]
    immutable.release()
    assert run("undo", root).stdout == f"{root} 中没有可撤销的改动。\n"
    assert run("fix", root, "--apply").exit_code == 0
    assert leaf_names(root) == ["01：甲.docx", "02：甲.docx", "03：丙.docx"]
    after = tree(root)
    assert after[f"{LEAF}/01：甲.docx"] == before[f"{LEAF}/1_甲.docx"]
    assert after[f"{LEAF}/02：甲.docx"] == before[f"{LEAF}/01：甲.docx"]


def test_undo_restores_the_example_exactly(example: Path) -> None:
    before = tree(example)
    assert run("fix", example, "--apply").exit_code == 0
    check = json.loads(run("check", example, "--format", "json").stdout)
    assert not [f for f in check["findings"] if f["code"].startswith("NM")]
    assert run("fix", example).stdout.endswith("命名已符合规范，无需改动。\n")
    result = run("undo", example)
    assert result.exit_code == 0
    assert result.stdout.startswith("已撤销 8 项改动")
    assert tree(example) == before
    assert run("undo", example).stdout == f"{example} 中没有可撤销的改动。\n"


def test_undo_of_init_removes_only_what_init_made(tmp_path: Path) -> None:
    root = tmp_path / "a"
    (tmp_path / "rubric.yaml").write_text(SMALL_RUBRIC, encoding="utf-8")
    run("init", root, "--rubric", tmp_path / "rubric.yaml")
    (root / "02：理想信念教育" / NOTE_FILE).write_text("我改过", encoding="utf-8")
    (root / LEAF / "01：记录.docx").write_bytes(b"evidence")
    result = run("undo", root)
    assert result.exit_code == 1
    assert sorted(tree(root)) == sorted(["02：理想信念教育", f"02：理想信念教育/{NOTE_FILE}",
                                         LEAF, f"{LEAF}/01：记录.docx"])
    assert "未撤销 02：理想信念教育/_归档要求.txt：文件在 cwa 写入后被修改过，保留" in result.stderr


def test_undo_dry_run(tmp_path: Path) -> None:
    root = archive(tmp_path, ["1_甲.docx"])
    run("fix", root, "--apply")
    before = tree(root)
    result = run("undo", root, "--dry-run")
    assert result.stdout.splitlines()[0] == f"将改回：{LEAF}/01：甲.docx → {LEAF}/1_甲.docx"
    assert tree(root) == before


# -- crashes ------------------------------------------------------------------------------

CRASH_FILES = ["01：甲.docx", "1_甲.docx", "02：丙.docx", "说明.docx", "2024/1_计划.docx"]


def _crash_fixture(tmp_path: Path) -> Path:
    """A chained group of renames (through temporary names), a single rename in a year
    folder, an indicator folder to rename and one to create."""
    root = archive(tmp_path, CRASH_FILES)
    (root / "02：理想信念教育").rename(root / "2、理想信念教育")
    (root / "01：创建工作机制" / "02：年度实施方案").rmdir()
    return root


def _fixed_state(tmp_path: Path) -> tuple[dict[str, str], int]:
    reference = _crash_fixture(tmp_path / "reference")
    run("fix", reference, "--apply")
    (journal,) = (reference / ".cwa" / "journal").iterdir()
    steps = len(json.loads(journal.read_text(encoding="utf-8").splitlines()[0])["operations"])
    return tree(reference), steps


def _crash(root: Path, step: int) -> None:
    env = {**os.environ, "CWA_CRASH_AFTER_STEP": str(step), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "cwa", "fix", str(root), "--apply"],
                          env=env, capture_output=True, check=False)
    assert done.returncode == 99, done.stderr.decode()


def test_crash_at_every_step_then_undo_or_resume(tmp_path: Path) -> None:
    fixed, steps = _fixed_state(tmp_path)
    assert steps >= 8  # renames through temporary names, a folder, year folders
    for step in range(steps):
        for then in ("undo", "resume"):
            root = _crash_fixture(tmp_path / f"{step}-{then}")
            original = tree(root)
            _crash(root, step)
            refused = run("fix", root, "--apply")
            assert refused.exit_code == 2 and "上次的 cwa fix 没有完成" in refused.stderr
            if then == "undo":
                assert run("undo", root).exit_code == 0
                assert tree(root) == original, f"undo after a crash at step {step}"
            else:
                assert run("fix", root, "--resume").exit_code == 0
                assert tree(root) == fixed, f"resume after a crash at step {step}"


@pytest.mark.parametrize(("answer", "expected"), [("r", "fixed"), ("u", "original"),
                                                  ("c", "crashed")])
def test_an_unfinished_plan_is_offered_at_a_terminal(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     answer: str, expected: str) -> None:
    fixed, _ = _fixed_state(tmp_path)
    root = _crash_fixture(tmp_path / "crashed")
    original = tree(root)
    _crash(root, 3)
    crashed = tree(root)
    monkeypatch.setattr("cwa.commands.fix.interactive", lambda: True)
    result = CliRunner().invoke(build_app(), ["fix", str(root), "--apply"], input=answer + "\n")
    assert result.exit_code == 0, result.output
    assert "上次的修改没有完成" in result.stdout
    assert tree(root) == {"fixed": fixed, "original": original, "crashed": crashed}[expected]


# -- property -----------------------------------------------------------------------------

TITLES = st.sampled_from(["甲", "乙", "会议", "照片", "总结", "Plan", "plan", "计划10", "计划2"])
PREFIXES = st.sampled_from(["", "01：", "1.", "01_", "02-", "一、", "3 ", "01:", "０２："])
EXTS = st.sampled_from([".docx", ".jpg", ".pdf", ".DOCX", ""])
NAMES = st.builds(lambda p, t, e: p + t + e, PREFIXES, TITLES, EXTS)
FOLDER = st.sampled_from(["", "2024/", "2025年/", "01：活动/", "活动/"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(FOLDER, NAMES), min_size=1, max_size=12, unique=True),
       st.booleans())
def test_apply_then_undo_gives_back_the_original(files: list[tuple[str, str]],
                                                 rename_folder: bool) -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = archive(Path(temp), [folder + name for folder, name in files])
        if rename_folder:
            (root / "01：创建工作机制").rename(root / "1、創建工作機制")
        original = tree(root)
        rubric = _rubric(Path(temp))
        layout = match(rubric, scan(root).tree, Naming())
        plan = plan_fix(root, layout, Naming(), path_prefix(root))
        applied = apply(root, plan.operations, "fix")
        assert not applied.stranded
        journal = last_to_undo(found(root))
        if journal is not None:
            result = undo(root, journal)
            assert result.kept == []
        assert tree(root) == original


def test_resume_puts_a_whole_group_back_when_it_fails_after_a_crash(
        tmp_path: Path, immutable: Immutable) -> None:
    root = _crash_fixture(tmp_path)
    original = tree(root)
    run("fix", root, "--apply")  # once through, to learn the plan's steps
    run("undo", root)
    (journal,) = [p for p in (root / ".cwa" / "journal").iterdir() if p.suffix == ".jsonl"]
    ops = json.loads(journal.read_text(encoding="utf-8").splitlines()[0])["operations"]
    first = next(i for i, op in enumerate(ops) if op["op"] == "rename" and op["phase"] == 1)
    group = [op for op in ops if op.get("group") == ops[first]["group"]]
    assert len(group) >= 6  # three or more renames through temporary names
    _crash(root, first + 1)  # two of the group's sources moved aside, then killed
    immutable(root.joinpath(*ops[first + 2]["rel"].split("/")))  # the third is locked
    result = run("fix", root, "--resume")
    assert result.exit_code == 1
    assert not list(root.rglob(".cwa-tmp-*"))  # nothing left under a temporary name
    # the locked group was put back whole: the leaf's files have their original names (the
    # rest of the plan went on: the indicator folder above was renamed to 02：…)
    def leaf_files(listing: dict[str, str]) -> dict[str, str]:
        return {k.split("/", 2)[2]: v for k, v in listing.items()
                if k.split("/")[1:2] == ["01：中心组学习"] and k.count("/") == 2 and v != "dir"}

    assert leaf_files(tree(root)) == leaf_files(original)
    assert len(leaf_files(original)) == 4


def test_fix_takes_a_right_to_left_override_out_of_a_name(tmp_path: Path) -> None:
    root = archive(tmp_path, ["2_领导\u202egnp.exe小组.docx"])
    assert run("fix", root, "--apply").exit_code == 0
    assert leaf_names(root) == ["01：领导gnp.exe小组.docx"]


@pytest.mark.parametrize("bad", ["", "/etc/passwd", "../outside", "a/../../x", "a/./b",
                                 "a//b", "a/", ".", "..", "01：x/..", "a\n../b/..",
                                 "links-out/x.docx"])
def test_a_plan_with_one_unsafe_path_is_refused_whole(tmp_path: Path, bad: str) -> None:
    """The plan's paths are vetted together before the first step (one search over all
    of them): one unsafe path among thousands refuses the plan, and the message names it."""
    from cwa.apply import apply
    from cwa.errors import CwaError
    from cwa.plan import Rename

    archive = tmp_path / "archive"
    (archive / "01：x").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (archive / "links-out").symlink_to(tmp_path / "elsewhere")
    names = [f"01：x/{i}.docx" for i in range(2000)]
    for name in names:
        (archive / name).write_bytes(b"")
    plan = [Rename(name, name.replace(".docx", "：新.docx")) for name in names]
    plan.insert(1234, Rename("01：x/7.docx", bad))
    with pytest.raises(CwaError) as refused:
        apply(archive, plan, "fix")
    assert refused.value.key == "error.path_outside"
    assert refused.value.args_["path"] == bad
    assert sorted(p.name for p in (archive / "01：x").iterdir()) == sorted(
        n.rpartition("/")[2] for n in names)
    good = [Rename(n, n.replace(".docx", "：新.docx")) for n in [*names[:3], "01：x/a\nb.docx"]]
    (archive / "01：x" / "a\nb.docx").write_bytes(b"")
    assert len(apply(archive, good, "fix").done) == 4


@pytest.mark.parametrize("older", ["会议01.docx", "会议1.docx"])
def test_names_that_sort_as_one_are_numbered_older_first(tmp_path: Path, older: str) -> None:
    """``会议01`` and ``会议1`` are one name in natural order: the older file is numbered
    first, whichever name it has (the plan's scan reads no times; these are looked up)."""
    root = archive(tmp_path, ["会议01.docx", "会议1.docx", "纪要.docx"])
    newer = "会议1.docx" if older == "会议01.docx" else "会议01.docx"
    os.utime(root / LEAF / older, ns=(1_600_000_000 * 10**9,) * 2)
    os.utime(root / LEAF / newer, ns=(1_700_000_000 * 10**9,) * 2)
    assert run("fix", root, "--apply").exit_code == 0
    first = (root / LEAF / "01：会议01.docx").is_file()
    assert first == (older == "会议01.docx")
    assert leaf_names(root)[2] == "03：纪要.docx"
    assert len(leaf_names(root)) == 3


def test_a_journal_header_says_what_encode_says(tmp_path: Path) -> None:
    """The header line is written from a template for renames (fast), and must read back
    exactly as the records ``journal.encode`` makes — names with quotes, backslashes,
    control characters and bytes that are not UTF-8 included."""
    from cwa import journal
    from cwa.plan import Mkdir, Rename, WriteFile

    odd = ['引号"与\\反斜杠.docx', "换\n行\t.docx", os.fsdecode("工作".encode("gbk")) + ".docx",
           "plain.docx"]
    (tmp_path / "d").mkdir()
    for name in odd:
        (tmp_path / name).write_bytes(b"x")
    ops = [Rename(odd[0], "01：" + odd[0]), Rename(odd[1], ".cwa-tmp-1", 7, 1),
           Rename(".cwa-tmp-1", "02：x.docx", 7, 2), Rename("d", "01：d"),
           Rename("gone.docx", "03：gone.docx"), Mkdir("新"), WriteFile("新/a.txt", "文字"),
           Rename(odd[2], "04：工作.docx"), Rename(odd[3], "05：plain.docx")]
    line = journal._header_line(tmp_path, "fix", ops)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    header = json.loads(line)
    moved: dict[str, tuple[list[int] | None, bool]] = {}
    assert header["operations"] == [journal.encode(op, tmp_path, moved) for op in ops]
    assert header["version"] == journal.VERSION and header["command"] == "fix"
    assert header["operations"][3]["dir"] is True
    assert header["operations"][4]["id"] is None  # nothing there to identify
    assert header["operations"][2]["id"] == header["operations"][1]["id"]  # followed


def test_a_scan_of_names_sees_what_a_full_scan_sees(tmp_path: Path) -> None:
    """``cwa fix`` plans from ``scan(metadata=False)``: every entry with the kind a full
    scan gives it — files, folders, links (never followed), FIFOs — and cwa's own and
    version-control folders left out alike."""
    root = tmp_path / "a"
    (root / "01：甲" / "2024").mkdir(parents=True)
    (root / "01：甲" / "2024" / "记录.docx").write_bytes(b"x")
    (root / "01：甲" / "说明.txt").write_text("y", encoding="utf-8")
    (root / ".cwa" / "journal").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "01：甲" / "外链").symlink_to(tmp_path)
    (root / "01：甲" / "断链.docx").symlink_to(tmp_path / "nowhere")
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "管道")
    (root / os.fsdecode("工作".encode("gbk"))).write_bytes(b"z")

    def entries(snapshot: object) -> list[tuple[str, str]]:
        out, stack = [], [snapshot.tree]  # type: ignore[attr-defined]
        while stack:
            entry = stack.pop()
            for child in entry.children:
                out.append((child.rel, child.kind))
                stack.append(child)
        return sorted(out)

    full, names = scan(root), scan(root, metadata=False)
    assert entries(names) == entries(full)
    assert ("01：甲/外链", "link") in entries(names)
    assert (names.files, names.dirs) == (full.files, full.dirs)


def test_two_spellings_of_one_name_are_renumbered_through_temporary_names(
        tmp_path: Path) -> None:
    """``01：café`` in NFD and in NFC are two files on Linux but one name compared: the
    one moving onto the other's name goes through temporary names, as any chain does."""
    nfd = unicodedata.normalize("NFD", "01：café.docx")
    root = archive(tmp_path, [nfd, "01：café.docx"])
    before = tree(root)
    result = run("fix", root, "--apply")
    assert result.exit_code == 0, result.output
    assert sorted(leaf_names(root)) == ["01：café.docx", "02：café.docx"]
    assert run("undo", root).exit_code == 0
    assert tree(root) == before


@pytest.mark.parametrize("odd", ["\x9b31m", "\u2028", "\x85", "\u2029"])
def test_fix_never_makes_a_name_with_c1_controls_or_line_separators(tmp_path: Path,
                                                                    odd: str) -> None:
    root = archive(tmp_path, [f"领导{odd}小组.docx"])
    assert run("fix", root, "--apply").exit_code == 0
    (name,) = leaf_names(root)
    assert name.startswith("01：领导") and name.endswith("小组.docx")
    assert name.isprintable()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="a folder the user cannot read (root reads every folder)")
def test_a_folder_fix_cannot_read_is_said(tmp_path: Path) -> None:
    root = archive(tmp_path, ["甲.docx"])
    locked = root / LEAF / "2024"
    locked.mkdir()
    locked.chmod(0)
    try:
        result = run("fix", root)
    finally:
        locked.chmod(0o755)
    assert "跳过无法读取的" in result.stderr and "2024" in result.stderr


def test_a_chain_that_fails_in_phase_two_names_every_entry_left_aside(tmp_path: Path) -> None:
    """A group of renames through temporary names whose second phase cannot finish (a
    target taken since the plan was made): every entry left under a temporary name is
    said, with the name it had, and undo puts all back."""
    from rich.console import Console

    from cwa.apply import apply
    from cwa.commands.resume import report
    from cwa.plan import Rename

    root = tmp_path / "a"
    root.mkdir()
    for name in ("甲.docx", "乙.docx", "占.docx"):
        (root / name).write_bytes(name.encode())
    before = tree(root)
    plan = [Rename("甲.docx", ".cwa-tmp-t-0", 1, 1), Rename("乙.docx", ".cwa-tmp-t-1", 1, 1),
            Rename(".cwa-tmp-t-0", "占.docx", 1, 2),  # taken: this phase-2 step fails
            Rename(".cwa-tmp-t-1", "01：乙.docx", 1, 2)]
    applied = apply(root, plan, "fix")
    assert applied.stranded == [(".cwa-tmp-t-0", "甲.docx"), (".cwa-tmp-t-1", "乙.docx")]
    out, err = io.StringIO(), io.StringIO()
    consoles = [Console(file=f, no_color=True, width=200) for f in (out, err)]
    assert report(applied, consoles[0], consoles[1], "fix.applied") == 1
    said = err.getvalue()
    assert ".cwa-tmp-t-0 暂时留在临时名称下（原名 甲.docx）" in said
    assert ".cwa-tmp-t-1 暂时留在临时名称下（原名 乙.docx）" in said
    assert run("undo", root).exit_code == 0
    assert tree(root) == before


def test_a_chain_put_back_in_phase_one_leaves_nothing_aside(tmp_path: Path) -> None:
    """A group whose first phase fails is put back whole: its second phase is skipped, and
    nothing is said to be left under a temporary name (a file that happens to hold one of
    the temporary names is not the user's)."""
    from cwa.apply import apply
    from cwa.plan import Rename

    root = tmp_path / "a"
    root.mkdir()
    for name in ("甲.docx", "乙.docx", ".cwa-tmp-t-1"):
        (root / name).write_bytes(name.encode())
    before = tree(root)
    plan = [Rename("甲.docx", ".cwa-tmp-t-0", 1, 1),
            Rename("乙.docx", ".cwa-tmp-t-1", 1, 1),  # taken: phase 1 fails, 甲 goes back
            Rename(".cwa-tmp-t-0", "01：甲.docx", 1, 2), Rename(".cwa-tmp-t-1", "02：乙.docx", 1, 2)]
    applied = apply(root, plan, "fix")
    assert applied.stranded == []
    assert tree(root) == before
