"""cwa init: builds the tree, writes cwa.yaml, never touches what exists, is idempotent."""

from __future__ import annotations

import json
from pathlib import Path

from cwa.kinds import NOTE_FILE
from tests.conftest import listing, run

TREE = [
    "01：创建工作机制",
    "01：创建工作机制/01：创建领导机构",
    "01：创建工作机制/02：年度实施方案",
    "01：创建工作机制/03：实地查看",
    "02：理想信念教育",
    "02：理想信念教育/01：中心组学习",
]


def folders(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_dir() and ".cwa" not in p.parts)


def test_init_builds_the_nested_tree(tmp_path: Path, small_rubric: Path) -> None:
    archive = tmp_path / "档案"
    result = run("init", archive, "--rubric", small_rubric)
    assert result.exit_code == 0, result.output
    assert folders(archive) == TREE
    assert result.stdout.splitlines() == [
        f"已在 {archive} 创建 6 个文件夹、8 个文件（沿用已有文件夹 0 个）。测评体系：测试体系，年度：2018-2020。",
        "测评体系已复制进档案：测评体系.yaml（cwa.yaml 以相对路径引用，档案复制或压缩到别处也能照样检查）",
        f"下一步：把材料放入对应文件夹，然后运行 cwa check {archive}",
    ]
    assert (archive / "测评体系.yaml").read_text(encoding="utf-8") == small_rubric.read_text(
        encoding="utf-8")
    assert (archive / "cwa.yaml").read_text(encoding="utf-8").splitlines()[2:] == [
        'rubric: "测评体系.yaml"',
        "years: {from: 2018, to: 2020}",
        "naming:",
        '  separator: "："',
        "  width: 2",
    ]


def test_init_writes_a_journal_of_what_it_created(tmp_path: Path, small_rubric: Path) -> None:
    archive = tmp_path / "a"
    run("init", archive, "--rubric", small_rubric)
    (journal,) = (archive / ".cwa" / "journal").glob("*.jsonl")
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert records[0]["command"] == "init"
    assert len(records[0]["operations"]) == 14  # the rubric's copy, cwa.yaml, 6 folders, 6 notes
    assert records[0]["operations"][0]["rel"] == "测评体系.yaml"
    # what it wrote is kept by content, so that a resume after a crash can write it again
    for op in records[0]["operations"]:
        if op["op"] == "write":
            blob = archive / ".cwa" / "journal" / "blobs" / op["sha256"]
            assert (archive / op["rel"]).read_bytes() == blob.read_bytes()
    assert [r["done"] for r in records[1:-1]] == list(range(14))
    assert records[-1] == {"end": True}


def test_requirement_notes_describe_the_indicator(tmp_path: Path, small_rubric: Path) -> None:
    archive = tmp_path / "a"
    run("init", archive, "--rubric", small_rubric)
    raw = (archive / "01：创建工作机制" / "01：创建领导机构" / NOTE_FILE).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Notepad on old office PCs
    assert raw.decode("utf-8-sig").split("\r\n") == [
        "【归档要求】1.1 创建领导机构",
        "分值：2　测评方法：材料审核　责任单位：办公室",
        "",
        "应归档材料：",
        "  1. 领导小组成立文件（文字，至少 1 份）",
        "  2. 专题会议照片（图片，每年至少 3 张，需配文字说明）",
        "",
        "本文件由 cwa 生成，仅供参考，不计为证据材料，可以删除。文档请按“01：文档主题”命名。",
        "",
    ]


def test_no_notes(tmp_path: Path, small_rubric: Path) -> None:
    archive = tmp_path / "a"
    run("init", archive, "--rubric", small_rubric, "--no-notes")
    assert not list(archive.rglob(NOTE_FILE))


def test_init_twice_changes_nothing(tmp_path: Path, small_rubric: Path) -> None:
    archive = tmp_path / "a"
    run("init", archive, "--rubric", small_rubric)
    before = listing(archive)
    again = run("init", archive)
    assert again.exit_code == 0, again.output
    assert again.stdout == f"{archive} 已是完整的档案结构，无需改动。\n"
    assert listing(archive) == before


def test_init_reuses_matching_folders_and_leaves_the_rest(tmp_path: Path,
                                                          small_rubric: Path) -> None:
    archive = tmp_path / "a"
    old = archive / "1、创建工作机制" / "创建领导机构"
    old.mkdir(parents=True)
    (old / "01：领导小组成立文件.docx").write_bytes(b"kept")
    (archive / "其他资料").mkdir()
    (archive / "cwa.yaml").write_text(f'rubric: "{small_rubric}"\n', encoding="utf-8")
    result = run("init", archive)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "保留不动：其他资料（不对应任何指标）"
    assert (old / "01：领导小组成立文件.docx").read_bytes() == b"kept"
    assert (archive / "cwa.yaml").read_text(encoding="utf-8") == f'rubric: "{small_rubric}"\n'
    assert folders(archive) == sorted([
        "1、创建工作机制", "1、创建工作机制/创建领导机构", "1、创建工作机制/02：年度实施方案",
        "1、创建工作机制/03：实地查看", "02：理想信念教育", "02：理想信念教育/01：中心组学习", "其他资料"])


def test_init_never_overwrites_an_existing_note(tmp_path: Path, small_rubric: Path) -> None:
    archive = tmp_path / "a"
    run("init", archive, "--rubric", small_rubric)
    note = archive / "02：理想信念教育" / NOTE_FILE
    note.write_text("我自己的说明", encoding="utf-8")
    run("init", archive)
    assert note.read_text(encoding="utf-8") == "我自己的说明"


def test_dry_run_prints_the_plan_and_changes_nothing(tmp_path: Path, small_rubric: Path) -> None:
    archive = tmp_path / "a"
    archive.mkdir()
    before = listing(archive)
    result = run("init", archive, "--rubric", small_rubric, "--dry-run", "--no-notes")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "将创建文件：测评体系.yaml",
        "将创建文件：cwa.yaml",
        *[f"将创建文件夹：{rel}" for rel in TREE],
        "预演：共 8 项操作，未做任何改动。",
    ]
    assert listing(archive) == before


def test_init_refuses_a_different_rubric_than_cwa_yaml(tmp_path: Path, small_rubric: Path) -> None:
    archive = tmp_path / "a"
    run("init", archive, "--rubric", small_rubric)
    result = run("init", archive, "--rubric", "city-model")
    assert result.exit_code == 2
    assert result.stderr == (f"错误：{archive}/cwa.yaml 已指定测评体系“测评体系.yaml”，与 --rubric "
                             "city-model 不同；如需更换，请先修改 cwa.yaml\n")


def test_init_with_a_bundled_rubric_and_years(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    result = run("init", archive, "--rubric", "ezhou-2017", "--years", "2019-2021")
    assert result.exit_code == 0
    text = (archive / "cwa.yaml").read_text(encoding="utf-8")
    assert 'rubric: "ezhou-2017"' in text
    assert "years: {from: 2019, to: 2021}" in text
    assert (archive / "01：组织管理" / "02：机制建设").is_dir()  # its clauses share the folder
    assert '#   "1": 否    # 党风廉政（一票否决）' in text  # the vetoes, to be answered


def test_sanitised_rubric_names_stay_inside_the_archive(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text('rubric: 测试\nindicators:\n  - code: "1"\n    name: ../../逃逸\n'
                      '  - code: "2"\n    name: "CON"\n', encoding="utf-8")
    archive = tmp_path / "a"
    result = run("init", archive, "--rubric", rubric, "--no-notes")
    assert result.exit_code == 0, result.output
    assert folders(archive) == ["01：..／..／逃逸", "02：CON_"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "r.yaml"]


def test_bad_years_option(tmp_path: Path) -> None:
    result = run("init", tmp_path / "a", "--years", "去年")
    assert result.exit_code == 2
    assert result.stderr == "错误：年度范围“去年”无效，应写成 2018-2020\n"
    assert not (tmp_path / "a").exists()


def test_init_on_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    result = run("init", target)
    assert result.exit_code == 2
    assert result.stderr == f"错误：{target} 不是文件夹\n"


def test_init_over_an_archive_says_each_warning_of_its_cwa_yaml_once(tmp_path: Path) -> None:
    root = tmp_path / "a"
    assert run("init", root).exit_code == 0
    config = root / "cwa.yaml"
    config.write_bytes(config.read_text(encoding="utf-8").encode("gb18030"))  # a warning
    result = run("init", root)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("GB18030") == 1, result.stderr
