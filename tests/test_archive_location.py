"""Where the archive is: found from any of its sub-folders as git finds a repository, and
carrying its own rubric, so that a copy or a zip of it checks the same anywhere."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SMALL_RUBRIC, listing, make_docx, run

LEADER = "01：创建工作机制/01：创建领导机构"
FOUND = "档案：{path}（在上级文件夹中找到）"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """An archive made with a rubric of one's own, kept beside it (not inside)."""
    rubric = tmp_path / "我的测评体系.yaml"
    rubric.write_text(SMALL_RUBRIC, encoding="utf-8")
    root = tmp_path / "创建档案"
    result = run("init", root, "--rubric", rubric, "--no-notes")
    assert result.exit_code == 0, result.output
    make_docx(root / LEADER / "01：领导小组成立文件.docx")
    return root


def report(archive: Path, *args: object) -> dict[str, Any]:
    result = run("check", archive, "--format", "json", *args)
    assert result.exit_code == 1, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    del data["archive"]  # where it is; everything else must not depend on that
    data["unit"].pop("last_change")  # when its folders were last written: a copy is new
    return data


# -- found from a sub-folder ------------------------------------------------------------

def test_check_in_a_sub_folder_checks_the_archive_and_says_which(
        archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = run("check", archive)
    monkeypatch.chdir(archive / LEADER)
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == FOUND.format(path=archive) + "\n"
    assert result.stdout == expected.stdout


@pytest.mark.parametrize("command", [["todo"], ["fix"], ["undo", "--dry-run"],
                                     ["init", "--dry-run"], ["catalog"]])
def test_every_archive_command_finds_the_archive_from_a_sub_folder(
        archive: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    monkeypatch.chdir(archive / "02：理想信念教育")
    result = run(*command)
    assert result.exit_code in (0, 1), result.output
    assert result.stderr.startswith(FOUND.format(path=archive) + "\n")
    assert not (archive / "02：理想信念教育" / "cwa.yaml").exists()


def test_fix_from_a_sub_folder_renames_in_the_archive(
        archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (archive / LEADER / "01：领导小组成立文件.docx").rename(
        archive / LEADER / "1.领导小组成立文件.docx")
    monkeypatch.chdir(archive / LEADER)
    assert run("fix", "--apply").exit_code == 0
    assert (archive / LEADER / "01：领导小组成立文件.docx").is_file()
    assert run("undo").exit_code == 0
    assert (archive / LEADER / "1.领导小组成立文件.docx").is_file()


def test_a_folder_named_inside_an_archive_says_which_archive(archive: Path) -> None:
    inner = archive / "02：理想信念教育"
    result = run("check", inner)
    assert result.exit_code == 2
    assert result.stderr == (f"错误：{inner} 中没有 cwa.yaml，它位于档案 {archive} 之中：请写档案文件夹 "
                             f"{archive}，或在档案内任一文件夹中运行而不写文件夹\n")


def test_undo_of_a_folder_inside_an_archive_names_the_archive(archive: Path) -> None:
    inner = archive / "02：理想信念教育"
    result = run("undo", inner)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：{inner} 中没有 cwa.yaml，它位于档案 {archive} 之中")


def test_outside_any_archive_the_message_is_as_before(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：{tmp_path} 中没有 cwa.yaml：请先运行 cwa init")


def test_init_never_makes_an_archive_inside_another(archive: Path) -> None:
    inner = archive / "02：理想信念教育" / "新档案"
    before = listing(archive)
    result = run("init", inner)
    assert result.exit_code == 2
    assert result.stderr == (f"错误：{inner} 位于档案 {archive} 之中，不能在档案里再建档案；"
                             f"要补建该档案缺少的文件夹，请运行 cwa init {archive}\n")
    assert listing(archive) == before


def test_init_in_a_sub_folder_completes_the_archive(archive: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.rmtree(archive / "02：理想信念教育" / "01：中心组学习")
    monkeypatch.chdir(archive / "02：理想信念教育")
    result = run("init", "--no-notes")
    assert result.exit_code == 0, result.output
    assert (archive / "02：理想信念教育" / "01：中心组学习").is_dir()
    assert not (archive / "02：理想信念教育" / "cwa.yaml").exists()


# -- self-contained archives ------------------------------------------------------------

def test_init_copies_the_rubric_into_the_archive(archive: Path) -> None:
    copy = archive / "测评体系.yaml"
    assert copy.read_text(encoding="utf-8") == SMALL_RUBRIC
    assert 'rubric: "测评体系.yaml"' in (archive / "cwa.yaml").read_text(encoding="utf-8")
    codes = {f["code"] for f in report(archive)["findings"]}
    assert "UX002" not in codes  # the copy is cwa's own file, not a stray document


def test_init_again_with_the_original_rubric_is_the_same_rubric(archive: Path,
                                                                tmp_path: Path) -> None:
    result = run("init", archive, "--rubric", tmp_path / "我的测评体系.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{archive} 已是完整的档案结构，无需改动。\n"


def test_a_copied_archive_checks_the_same_elsewhere(archive: Path, tmp_path: Path) -> None:
    before = report(archive)
    elsewhere = tmp_path / "U盘" / "迎检材料" / "创建档案"
    shutil.copytree(archive, elsewhere)
    (tmp_path / "我的测评体系.yaml").unlink()  # the original is not on the inspector's PC
    assert report(elsewhere) == before


def test_a_zipped_and_unzipped_archive_checks_the_same(archive: Path, tmp_path: Path) -> None:
    before = report(archive)
    packed = tmp_path / "创建档案.zip"
    with zipfile.ZipFile(packed, "w") as zf:
        for path in sorted(archive.rglob("*")):
            zf.write(path, path.relative_to(archive.parent).as_posix())
    shutil.rmtree(archive)
    (tmp_path / "我的测评体系.yaml").unlink()
    unpacked = tmp_path / "解压"
    with zipfile.ZipFile(packed) as zf:
        zf.extractall(unpacked)
    assert report(unpacked / "创建档案") == before


def test_a_rubric_already_inside_the_archive_is_named_not_copied(tmp_path: Path) -> None:
    root = tmp_path / "a"
    (root / "体系").mkdir(parents=True)
    (root / "体系" / "本单位.yaml").write_text(SMALL_RUBRIC, encoding="utf-8")
    assert run("init", root, "--rubric", root / "体系" / "本单位.yaml").exit_code == 0
    assert 'rubric: "体系/本单位.yaml"' in (root / "cwa.yaml").read_text(encoding="utf-8")
    assert not (root / "测评体系.yaml").exists()


def test_a_different_file_under_the_embedded_name_is_never_overwritten(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(SMALL_RUBRIC, encoding="utf-8")
    root = tmp_path / "a"
    root.mkdir()
    (root / "测评体系.yaml").write_text("我自己的文件", encoding="utf-8")
    result = run("init", root, "--rubric", rubric)
    assert result.exit_code == 2
    assert result.stderr == (f"错误：{root / '测评体系.yaml'} 已存在，且与测评体系 {rubric} 内容不同："
                             "不覆盖；请先改名或删除\n")
    assert (root / "测评体系.yaml").read_text(encoding="utf-8") == "我自己的文件"


def old_archive(tmp_path: Path) -> Path:
    """An archive made before archives carried their rubric: cwa.yaml points outside."""
    (tmp_path / "体系.yaml").write_text(SMALL_RUBRIC, encoding="utf-8")
    root = tmp_path / "旧档案"
    root.mkdir()
    (root / "cwa.yaml").write_text('# 我的注释\nrubric: "../体系.yaml"  # 旁注\n'
                                   "years: {from: 2018, to: 2020}\n", encoding="utf-8")
    assert run("init", root, "--no-notes").exit_code == 0
    return root


def test_an_old_archive_keeps_working_and_check_says_how_to_embed(tmp_path: Path) -> None:
    root = old_archive(tmp_path)
    result = run("check", root)
    assert result.exit_code == 1
    assert result.stderr == (f"注意：测评体系文件 ../体系.yaml 在档案之外，档案复制到别处后会找不到它。运行 cwa "
                             f"init {root} --embed 可把它复制进档案（测评体系.yaml），并把 cwa.yaml 改为相对引用\n")


def test_embed_makes_an_old_archive_self_contained_and_undo_reverts_it(tmp_path: Path) -> None:
    root = old_archive(tmp_path)
    original = (root / "cwa.yaml").read_bytes()
    before = report(root)
    dry = run("init", root, "--embed", "--dry-run", "--no-notes")
    assert dry.stdout.splitlines() == ["将创建文件：测评体系.yaml", "将修改文件：cwa.yaml",
                                       "预演：共 2 项操作，未做任何改动。"]
    assert (root / "cwa.yaml").read_bytes() == original
    result = run("init", root, "--embed", "--no-notes")
    assert result.exit_code == 0, result.output
    assert (root / "cwa.yaml").read_text(encoding="utf-8") == (
        '# 我的注释\nrubric: "测评体系.yaml"  # 旁注\nyears: {from: 2018, to: 2020}\n')
    (tmp_path / "体系.yaml").unlink()
    checked = run("check", root)
    assert checked.stderr == ""  # nothing outside any more
    after = report(root)
    assert after["rubric"]["origin"] == "测评体系.yaml"
    assert (after["indicators"], after["findings"]) == (before["indicators"], before["findings"])
    assert run("undo", root).exit_code == 0
    assert (root / "cwa.yaml").read_bytes() == original
    assert not (root / "测评体系.yaml").exists()


def test_embed_when_there_is_nothing_to_embed(archive: Path) -> None:
    result = run("init", archive, "--embed")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "测评体系“测评体系.yaml”是内置的或已在档案之中，无需复制"
