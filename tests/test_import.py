"""cwa rubric import: real-shaped 测评体系 tables, made at run time as Word, Excel and CSV
files, read into rubric YAML that validates, builds with cwa init and checks."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from cwa.rubric.importer import clauses, materials, numbering, points
from cwa.rubric.importer.departments import extract
from cwa.rubric.load import load
from cwa.rubric.model import Rubric
from tests import tables
from tests.conftest import run
from tests.tables import Table


def imported(path: Path, *args: str) -> tuple[Rubric, str]:
    """Import ``path`` with the CLI; the rubric as the loader reads it and the YAML."""
    out = path.with_name(path.stem + "-imported.yaml")
    result = run("rubric", "import", path, "-o", out, *args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    rubric, warnings = load(out)
    assert not warnings, [w.render() for w in warnings]
    return rubric, text


def leaves(rubric: Rubric) -> list[str]:
    return [i.wording for i in rubric.walk() if i.is_leaf]


def table_points(table: Table, column: int, header_rows: int = 1) -> float:
    """The table's own total: the points its top-level cells state, added up."""
    seen = set()
    total = 0.0
    for row in table.rows[header_rows:]:
        cell = row[column]
        if cell and cell not in seen:
            seen.add(cell)
            value, _ = points.in_text(cell)
            total += value or 0
    return total


def table_leaves(table: Table, column: int, header_rows: int = 1) -> int:
    return len({row[column] for row in table.rows[header_rows:] if row[column]})


# -- end to end ---------------------------------------------------------------------------

def test_ezhou_docx_import_validate_init_check(tmp_path: Path) -> None:
    """鄂州's table in Word: merged 考评项目 / 考评指标 / 考评方法 cells, one 考评标准 per
    row with its points and its 材料报送说明, an ignored 自检得分 column, and an unrelated
    table after it."""
    table = tables.ezhou()
    source = tables.write_docx(tmp_path / "鄂州考评细则.docx", [table, tables.UNRELATED],
                               title="鄂州市2017—2018年度市级文明单位考评细则",
                               between="联系方式")
    rubric, text = imported(source)
    assert rubric.name == "鄂州市2017—2018年度市级文明单位考评细则"
    assert [(i.code, i.wording, i.points) for i in rubric.walk()] == [
        ("Ⅰ-1", "组织管理", 4), ("Ⅱ-1", "创建规划", 1), ("Ⅱ-2", "机制建设", 3)]
    assert len(leaves(rubric)) == table_leaves(table, 1) == 2
    assert rubric.total_points == table_points(table, 0) == 4
    plan, mechanism = rubric.indicators[0].children
    assert plan.methods == ("网上申报",) and mechanism.methods == ("网上申报",)
    assert [(c.code, c.points) for c in plan.clauses] == [("1", 0.5), ("2", 0.5)]
    assert plan.clauses[0].text == "创建工作有年度计划或方案。（0.5分）"
    yearly_plan = plan.clauses[0].evidence[0]
    assert yearly_plan.kinds == ("text",) and yearly_plan.per_year
    assert "正式文件" in (yearly_plan.note or "")
    summary = plan.clauses[1].evidence[0]
    assert (summary.title, summary.per_year, summary.deadline) == ("创建工作总结", True, 12)
    info = mechanism.clauses[2].evidence[0]
    assert (info.cadence, info.start) == ("monthly", 3)
    assert sum(c.points or 0 for c in mechanism.clauses) == 2.5  # as the source has it
    # readable: where each came from, what was inferred, what was left out
    assert "# 来源：表1 第 2 行第 1 列（考评项目）" in text
    assert "# 推断：" in text and "3月起每月（“3月起每月”）" in text
    assert "未导入 表2（2 行 × 2 列）：没有测评体系的表头" in text
    assert "自检得分" not in text.split("indicators:")[1].split("# ———")[0]
    result = run("rubric", "validate", tmp_path / "鄂州考评细则-imported.yaml")
    assert result.exit_code == 0 and "0 条警告" in result.stdout
    archive = tmp_path / "档案"
    result = run("init", archive, "--rubric", tmp_path / "鄂州考评细则-imported.yaml",
                 "--years", "2017-2018")
    assert result.exit_code == 0, result.output
    leaf = archive / "01：组织管理" / "01：创建规划"
    assert leaf.is_dir() and (archive / "01：组织管理" / "02：机制建设").is_dir()
    (leaf / "2018").mkdir()
    (leaf / "2018" / "01：2018年度文明单位创建工作计划或实施方案.docx").write_bytes(b"x")
    result = run("check", archive, "--format", "json")
    assert result.exit_code == 1  # evidence missing: that is what check is for
    report = json.loads(result.stdout)
    assert report["rubric"]["name"] == rubric.name
    assert [i["code"] for i in report["indicators"]] == ["Ⅰ-1"]


def test_city_model_xlsx_import_validate_init_check(tmp_path: Path) -> None:
    """The 标兵 template in Excel: merged ranges, a title row, 考核内容 with points in the
    text (the standard, as clauses), and a 材料清单 per project with counts, activities and
    a formal document."""
    table = tables.city()
    source = tables.write_xlsx(tmp_path / "标兵测评体系.xlsx", [("细则", table)],
                               title="市级文明单位（标兵）测评体系参考模板")
    rubric, text = imported(source)
    assert rubric.name == "市级文明单位（标兵）测评体系参考模板"
    assert [(i.code, i.wording, i.points) for i in rubric.indicators] == [
        ("1", "创建工作机制", 6), ("2", "理想信念教育", 8)]
    assert len(leaves(rubric)) == table_leaves(table, 0) == 2
    assert rubric.total_points == table_points(table, 0) == 14
    mechanism, ideals = rubric.indicators
    assert [c.points for c in mechanism.clauses] == [2, 2, 1, 1]
    assert [c.points for c in ideals.clauses] == [3, 2, 1, 2]
    assert [c.code for c in ideals.clauses] == ["1", "2", "3", "4"]
    items = {e.title: e for e in mechanism.evidence}
    assert (items["专题会议照片"].kinds, items["专题会议照片"].min) == (("image",), 3)
    assert items["班子会议纪要"].min == 2 and "参加人员" in (items["班子会议纪要"].note or "")
    assert items["领导机构正式文件"].formal
    assert not items["领导讲话"].formal  # the formal document is another sentence's
    study = next(e for e in ideals.evidence if e.activities)
    assert (study.title, study.activities, study.match) == ("学习教育活动", 2, ("学习教育",))
    assert [(b.kinds, b.min) for b in study.bundle] == [(("text",), 1), (("image",), 3)]
    assert "# 来源：工作表“细则” A3 单元格（考核项目）" in text
    archive = tmp_path / "档案"
    result = run("init", archive, "--rubric", tmp_path / "标兵测评体系-imported.yaml",
                 "--years", "2024-2025")
    assert result.exit_code == 0, result.output
    assert (archive / "02：理想信念教育").is_dir()
    result = run("check", archive)
    assert result.exit_code == 1 and "理想信念教育" in result.stdout


def test_national_2012_clauses_in_one_cell_with_methods_per_clause(tmp_path: Path) -> None:
    source = tables.write_docx(tmp_path / "全国.docx", [tables.national()])
    rubric, text = imported(source)
    (lei_feng,) = rubric.indicators
    assert (lei_feng.wording, lei_feng.points) == ("学雷锋活动", 14)
    assert [(c.code, c.points) for c in lei_feng.clauses] == [("1", 4), ("2", 4)]
    assert lei_feng.clauses[0].text.startswith("单位有年度学雷锋活动总体方案")
    assert [c.methods for c in lei_feng.clauses] == [("材料审核",), ("材料审核",)]
    assert '1)、2)材料审核' in text


# -- what the table's cells say -------------------------------------------------------------

HEADER_VARIANTS = [
    ["考评项目", "考评指标", "考评标准", "考评方法", "材料报送说明"],
    ["测评项目", "测评指标", "测评标准", "测评方式", "报送说明"],
    ["一级指标", "二级指标", "指标描述", "测评方法", "开展活动和材料清单"],
    ["考核项目", "考核内容", "考核标准", "考核方法", "材料清单"],
    ["项目", "测评内容", "具体要求", "考评方式", "材料报送说明"],
]


@pytest.mark.parametrize("header", HEADER_VARIANTS, ids=lambda h: "/".join(h[:3]))
def test_header_variants_read_the_same(tmp_path: Path, header: list[str]) -> None:
    source = tables.write_docx(tmp_path / "t.docx", [tables.ezhou([*header, "考评得分"])])
    rubric, _ = imported(source)
    assert [(i.code, i.wording, i.points) for i in rubric.walk()] == [
        ("Ⅰ-1", "组织管理", 4), ("Ⅱ-1", "创建规划", 1), ("Ⅱ-2", "机制建设", 3)]
    assert sum(len(i.clauses) for i in rubric.walk()) == 5
    assert rubric.indicators[0].children[1].clauses[2].evidence[0].cadence == "monthly"


def test_departments_points_column_and_deadline_column(tmp_path: Path) -> None:
    """海南's 指标描述 with ``（3分）【提供材料部门：党办】``, a 负责部门 column, a 分值
    column, 测评方式 现场审核资料 and a 报送时间 column."""
    rows = tables.EZHOU_ROWS
    table = Table(
        [["一级指标", "二级指标", "指标描述", "分值", "测评方式", "材料清单", "负责部门", "报送时间"],
         [rows[0][0], rows[0][1], "创建工作有年度计划或方案（1分）【提供材料部门：党办】", "",
          "现场审核资料", "年度工作计划", "办公室", "每年12月底前"],
         ["", "Ⅱ-2 机制建设", rows[2][2], "3", "现场审核资料", "", "", ""]],
        [(1, 0, 2, 0)])
    source = tables.write_docx(tmp_path / "海南.docx", [table])
    rubric, _ = imported(source)
    plan, mechanism = rubric.indicators[0].children
    assert plan.points == 1  # from the standard's text
    assert plan.standard == "创建工作有年度计划或方案（1分）"
    assert mechanism.points == 3  # from the 分值 column
    assert plan.owners == ("党办", "办公室")
    assert plan.methods == ("现场审核资料",) and plan.classes == ("documents",)
    (item,) = plan.evidence
    assert (item.title, item.per_year, item.deadline) == ("年度工作计划", True, 12)
    assert "报送时间：每年12月底前" in (plan.note or "")
    assert rubric.indicators[0].points == 4


def test_table_split_across_pages_with_repeated_headers_and_an_empty_column(
        tmp_path: Path) -> None:
    """The same rows as one table, and as two tables with the header repeated (inside
    the first table as well, as a PDF converted to Word has it), an empty column, merged
    cells cut at the page breaks, and an unrelated table after: the same rubric."""
    whole = tables.write_docx(tmp_path / "whole.docx", [tables.ezhou()])
    head = [*tables.EZHOU_HEADER[:5], ""]
    rows = [[*r[:5], ""] for r in tables.EZHOU_ROWS]
    page2 = [list(r) for r in rows[2:]]
    for r in page2:
        r[0] = ""  # 考评项目 goes on from page 1
    page3 = [list(r) for r in page2[1:]]
    for r in page3:
        r[1] = r[3] = ""  # 考评指标 and 考评方法 go on from page 2
    first = Table([head, rows[0], rows[1], head, page2[0]],
                  [(1, 0, 2, 0), (1, 1, 2, 1), (1, 3, 2, 3)])
    second = Table([head, *page3], [(1, 1, 2, 1), (1, 3, 2, 3)])
    split = tables.write_docx(tmp_path / "split.docx", [first, second, tables.UNRELATED],
                              between="（续表）")
    one, _ = imported(whole)
    two, text = imported(split)
    assert one.indicators == tuple(_without_lines(two.indicators, one.indicators))
    assert "已读取 表1：第 2–5 行（跳过跨页重复的表头 1 行）" in text
    assert "已读取 表2：第 2–3 行" in text
    assert "未导入 表3" in text


def _without_lines(indicators: tuple[object, ...], like: tuple[object, ...]) -> list[object]:
    """Indicators compared without their YAML line numbers."""
    import dataclasses

    from cwa.rubric.model import Indicator

    def strip(i: Indicator, ref: Indicator) -> Indicator:
        return dataclasses.replace(
            i, line=ref.line, clauses=tuple(c._replace(line=r.line) for c, r in
                                            zip(i.clauses, ref.clauses, strict=True)),
            children=tuple(strip(c, r) for c, r in zip(i.children, ref.children, strict=True)))

    return [strip(i, r) for i, r in zip(indicators, like, strict=True)]  # type: ignore[arg-type]


def test_csv_in_gbk_with_blank_cells_continuing(tmp_path: Path) -> None:
    rows = [tables.EZHOU_HEADER[:5]] + [r[:5] for r in tables.EZHOU_ROWS]
    text = "\r\n".join(",".join(f'"{c}"' for c in row) for row in rows) + "\r\n"
    source = tmp_path / "细则.csv"
    source.write_bytes(text.encode("gbk"))
    rubric, _ = imported(source)
    assert [(i.code, i.wording) for i in rubric.walk()] == [
        ("Ⅰ-1", "组织管理"), ("Ⅱ-1", "创建规划"), ("Ⅱ-2", "机制建设")]
    # no merges in CSV: the method stated on each indicator's first row is that clause's
    assert rubric.indicators[0].children[1].clauses[0].methods == ("网上申报",)


def test_nothing_dropped_silently(tmp_path: Path) -> None:
    """A note row spanning the table, a method word of the table's own and a 合计 row:
    all accounted for, at the end of the YAML and on screen."""
    table = tables.ezhou(tables.EZHOU_HEADER[:5])
    for row in table.rows:
        del row[5:]
    table.rows[2][3] = "现场核查台账"  # a word of the table's own: guessed, and said so
    table.merges = [(1, 0, 5, 0), (1, 1, 2, 1), (3, 1, 5, 1), (3, 3, 5, 3)]
    table.rows.append(["合计", "", "", "", ""])
    table.rows.append(["说明：本细则由市文明办负责解释。", "", "", "", ""])
    table.merges.append((7, 0, 7, 4))
    table.rows[6][3] = "4"
    source = tables.write_docx(tmp_path / "t.docx", [table])
    out = tmp_path / "t.yaml"
    result = run("rubric", "import", source, "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    rubric, _ = load(out)
    assert rubric.points == 4  # the 合计 row
    assert "说明：本细则由市文明办负责解释。" in (rubric.note or "")
    assert "整行说明文字" in text and "整行说明文字" in result.stdout
    assert ("现场核查台账", "documents") in rubric.methods
    assert "“现场核查台账”按材料审核（documents）处理" in text


def test_points_and_methods_per_row_and_a_deduction(tmp_path: Path) -> None:
    """黄冈's shape: 考评项目 / 考评指标 / 考评标准 / 分值 / 考评方法, a 分值 and a method
    on each 考评标准 row, a clause without points, 常州's ``…的扣5分``."""
    table = Table([["考评项目", "考评指标", "考评标准", "分值", "考评方法"],
                   ["组织领导（1.5分）", "创建机制", "每两年召开文明单位创建动员会1次（0.5分）", "0.5",
                    "查阅资料"],
                   ["", "", "职工知晓率、参与率>90%", "1", "问卷调查"],
                   ["", "", "未建立专门组织领导机构的扣5分", "", "查阅资料"]],
                  [(1, 0, 3, 0), (1, 1, 3, 1)])
    rubric, _ = imported(tables.write_docx(tmp_path / "黄冈.docx", [table]))
    (leaf,) = rubric.indicators[0].children
    assert [(c.points, c.deduct, c.methods) for c in leaf.clauses] == [
        (0.5, None, ("查阅资料",)), (1, None, ("问卷调查",)), (None, 5, ("查阅资料",))]
    assert leaf.points == 1.5 and leaf.clauses[1].classes == ("survey",)


def test_title_row_section_rows_and_vetoes(tmp_path: Path) -> None:
    """A title row inside the table, a 序号 column, whole-width section rows
    (``一、组织管理（4分）``), several clauses to a cell, and a 一票否决 section."""
    rows = tables.EZHOU_ROWS
    table = Table([["鄂州市市级文明单位考评细则", "", "", ""],
                   ["序号", "考评指标", "考评标准", "考评方法"],
                   ["一、组织管理（4分）", "", "", ""],
                   ["1", "创建规划（1分）", f"{rows[0][2]}\n{rows[1][2]}", "网上申报"],
                   ["2", "机制建设（3分）", f"{rows[2][2]}\n{rows[3][2]}\n{rows[4][2]}", "网上申报"],
                   ["二、一票否决", "", "", ""],
                   ["", "党风廉政（一票否决）", "", ""],
                   ["", "综合治理（一票否决）", "", ""]],
                  [(0, 0, 0, 3), (2, 0, 2, 3), (5, 0, 5, 3)])
    rubric, text = imported(tables.write_docx(tmp_path / "t.docx", [table]))
    assert rubric.name == "鄂州市市级文明单位考评细则"
    assert [(i.code, i.wording, i.points) for i in rubric.walk()] == [
        ("1", "组织管理", 4), ("1.1", "创建规划", 1), ("1.2", "机制建设", 3)]
    assert [len(i.clauses) for i in rubric.walk()] == [0, 2, 3]
    assert [v.text for v in rubric.vetoes] == ["党风廉政（一票否决）", "综合治理（一票否决）"]
    assert "整行标题作为上一级指标" in text


def test_points_in_text() -> None:
    assert points.in_text("组织管理（4分）") == (4, "组织管理")
    assert points.in_text("创建规划(0.5分)")[0] == 0.5
    assert points.in_text("理想信念教育 共6分")[0] == 6
    assert points.in_text("创建规划 1分")[0] == 1
    assert points.in_text("每两年召开文明单位创建动员会1次（0.5分）")[0] == 0.5
    assert points.in_text("未建立专门组织领导机构的扣5分")[0] is None
    assert points.in_text("每发现一次，扣3分，扣完为止")[0] is None
    assert points.in_text("职工知晓率、参与率>90%")[0] is None
    assert points.value("０．５") == 0.5 and points.value("—") is None


def test_numbering_styles() -> None:
    found = [numbering.parse(text) for text in (
        "Ⅰ-1 组织管理", "Ⅱ—3 机制建设", "一、组织领导", "（二）创建规划", "1.创建规划", "1.2 机制",
        "3) 报送信息", "（1）方案", "① 总结", "I-2 组织")]
    assert [(n.style, n.code) for n in found if n] == [
        ("roman", "Ⅰ-1"), ("roman", "Ⅱ-3"), ("cn", "1"), ("cn-paren", "2"), ("arabic", "1"),
        ("dotted", "1.2"), ("paren", "3"), ("dparen", "1"), ("circled", "1"), ("roman", "Ⅰ-2")]
    assert numbering.parse("0.5分") is None and numbering.parse("2018年度总结") is None


def test_clause_splitting_grading_and_deductions() -> None:
    split = clauses.split("符合以下要求：\n（1）有方案（2分）\n（2）有总结（1分）")
    assert split.intro == "符合以下要求：" and split.clauses == [
        ("1", "有方案（2分）"), ("2", "有总结（1分）")]
    split = clauses.split("①有计划；②有记录；③有总结。符合上述3项为A；符合2项为B；符合1项为C；其余情形为C#")
    assert [c for _, c in split.clauses] == ["有计划", "有记录", "有总结。"]
    assert split.grading == {"A": 3, "B": 2, "C": 1}
    assert clauses.measure("未建立专门组织领导机构的扣5分") == (None, 5)
    assert clauses.measure("每两年召开文明单位创建动员会1次（0.5分）") == (0.5, None)


def test_materials_where_the_wording_is_clear() -> None:
    handan = materials.read("需上传会议现场图片（图片需能体现单位名称）不少于2张以及文字说明材料（2分）")
    assert [(e.title, e.kinds, e.min) for e in handan] == [
        ("会议现场图片", ("image",), 2), ("文字说明材料", ("text",), None)]
    assert handan[0].note == "图片需能体现单位名称"
    formal = materials.read("领导小组通知；电子版，要有文号")
    assert formal[0].formal and formal[0].note is None
    quarterly = materials.read("每季度报送工作信息")
    assert quarterly[0].cadence == "quarterly"
    photos = materials.read("活动照片，每张配文字说明")
    assert photos[0].caption
    assert materials.read("有精神文明建设内容") == []


def test_a_clause_about_dated_names_keeps_the_items_of_its_sentence() -> None:
    """``文件名须注明拍摄日期`` marks the cell's photos dated; the items named in the same
    sentence are still items, and a sentence that only says how photos are named adds
    none."""
    photos = materials.read("提供活动照片3张，文件名须注明拍摄日期")
    assert [(e.title, e.min, e.dated) for e in photos] == [("活动照片", 3, True)]
    assert materials.read("视频、图片后缀必须标明拍摄时间") == []


def test_departments_in_text() -> None:
    assert extract("（3分）【提供材料部门：党办】") == (["党办"], "（3分）")
    assert extract("检查记录（责任单位：办公室、监察室）") == (["办公室", "监察室"], "检查记录")


# -- files that are not tables --------------------------------------------------------------

def test_pdf_is_refused_with_the_way_to_a_docx(tmp_path: Path) -> None:
    pdf = tmp_path / "细则.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    result = run("rubric", "import", pdf)
    assert result.exit_code == 2
    assert "不支持 PDF" in result.stderr and "另存为" in result.stderr and ".docx" in result.stderr
    assert not (tmp_path / "细则.yaml").exists()


def test_old_excel_and_unknown_types(tmp_path: Path) -> None:
    (tmp_path / "a.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("rubric", "import", tmp_path / "a.xls")
    assert result.exit_code == 2 and "另存为”.xlsx" in result.stderr
    (tmp_path / "a.png").write_bytes(b"x")
    assert run("rubric", "import", tmp_path / "a.png").exit_code == 2


def test_a_document_without_a_rubric_table(tmp_path: Path) -> None:
    source = tables.write_docx(tmp_path / "通知.docx", [tables.UNRELATED])
    result = run("rubric", "import", source)
    assert result.exit_code == 2 and "没有找到测评体系表格" in result.stderr


def test_a_hostile_package_is_not_opened(tmp_path: Path) -> None:
    good = tables.write_docx(tmp_path / "good.docx", [tables.national()])
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "x">]>', 1)
            dst.writestr(item, data)
    result = run("rubric", "import", bad)
    assert result.exit_code == 2 and "DOCTYPE" in result.stderr


def test_output_never_overwritten_dry_run_writes_nothing(tmp_path: Path) -> None:
    source = tables.write_docx(tmp_path / "全国.docx", [tables.national()])
    result = run("rubric", "import", source, "--dry-run")
    assert result.exit_code == 0
    assert "学雷锋活动  14分" in result.stdout and "1) 单位有年度学雷锋活动总体方案" in result.stdout
    assert "以上为预演" in result.stdout and not (tmp_path / "全国.yaml").exists()
    assert run("rubric", "import", source).exit_code == 0
    written = (tmp_path / "全国.yaml").read_bytes()
    result = run("rubric", "import", source)
    assert result.exit_code == 2 and "已存在" in result.stderr
    assert (tmp_path / "全国.yaml").read_bytes() == written
    result = run("rubric", "import", source, "-o", "-")
    assert result.stdout.startswith("# yaml-language-server")
    assert "已读取 表1" in result.stderr


def test_english(tmp_path: Path) -> None:
    source = tables.write_docx(tmp_path / "t.docx", [tables.ezhou(), tables.UNRELATED])
    result = run("rubric", "import", source, "--lang", "en", "-o", tmp_path / "t.yaml")
    assert result.exit_code == 0, result.output
    assert "Read table 1: rows 2-6" in result.stdout
    assert "Not imported: table 2 (2 x 2): no rubric header" in result.stdout
    text = (tmp_path / "t.yaml").read_text(encoding="utf-8")
    assert "# inferred: " in text and "# source: table 1, row 2, column 1 (考评项目)" in text


def test_links_named_in_the_materials_become_the_link_kind(tmp_path: Path) -> None:
    """全国 2020 说明: links or screenshots may replace documents. A materials cell that
    names them gives an item of kinds image and link."""
    table = Table([["考评项目", "考评指标", "考评标准", "考评方法", "材料报送说明"],
                   ["网上展示（2分）", "网站专栏（2分）", "开设文明创建网站专栏（2分）", "网上申报",
                    "提供网站专栏的网页链接或截图"]])
    rubric, text = imported(tables.write_docx(tmp_path / "链接.docx", [table]))
    (leaf,) = rubric.indicators[0].children
    assert [e.kinds for e in leaf.evidence] == [("image", "link")]
    assert "kinds: [image, link]" in text


def test_a_rule_for_the_photos_of_a_cell_is_no_item_of_its_own() -> None:
    """陕西: 视频、图片后缀必须标明拍摄时间 applies to the cell's photos and recordings;
    it names no material itself."""
    read = materials.read("活动照片不少于3张；活动视频1段；视频、图片后缀必须标明拍摄时间")
    assert [(e.title, e.kinds, e.dated) for e in read] == [
        ("活动照片", ("image",), True), ("活动视频", ("av",), True)]
    assert not materials.read("工作方案；视频、图片后缀必须标明拍摄时间")[0].dated


def test_the_imported_rubric_names_its_schema_beside_it(tmp_path: Path) -> None:
    """The editor's schema line points beside the file (put there), never into this
    installation: a rubric mailed on with its schema keeps its completion."""
    source = tables.write_docx(tmp_path / "鄂州考评细则.docx", [tables.ezhou()])
    _, text = imported(source)
    assert text.splitlines()[0] == "# yaml-language-server: $schema=rubric.schema.json"
    beside = tmp_path / "rubric.schema.json"
    assert json.loads(beside.read_text(encoding="utf-8"))["title"]
