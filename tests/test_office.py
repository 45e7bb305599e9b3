"""Word and Excel tooling, checked by reopening every output with python-docx and
openpyxl, and — where LibreOffice is installed — by rendering it to PDF and reading the
pages with pdftotext."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, RGBColor

from cwa.office.stamp import MARK, footers
from tests.conftest import ROOT, listing, make_docx, run

CORPUS = Path(__file__).parent / "corpus" / "docx"
NAMES = sorted(p.stem for p in CORPUS.glob("*.docx"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def footer_lines(path: Path) -> list[list[tuple[str, Any, bool]]]:
    """Every footer the document shows: (text, alignment, cwa's?) of each paragraph."""
    document = Document(str(path))
    return [[(p.text, p.alignment, bool(p._p.xpath(f'./w:bookmarkStart[starts-with(@w:name,"{MARK}")]')))
             for p in footer.paragraphs] for footer in footers(document)]


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "cwa.yaml").write_text('rubric: "archive-scope"\n', encoding="utf-8")
    for i, name in enumerate(NAMES, start=1):
        shutil.copyfile(CORPUS / f"{name}.docx", folder / f"{i:02d}：{name}.docx")
    return folder


def test_every_corpus_document_stamped_twice(documents: Path) -> None:
    originals = {p.name: (digest(p), footer_lines(p)) for p in documents.glob("*.docx")}
    first = run("stamp", documents)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-2] == "计划：8 个文档需要写入名称，0 个已有，0 个未处理。"
    after = {p.name: digest(p) for p in documents.glob("*.docx")}
    second = run("stamp", documents)
    assert second.stdout == "计划：0 个文档需要写入名称，8 个已有，0 个未处理。\n"
    assert {p.name: digest(p) for p in documents.glob("*.docx")} == after  # nothing saved
    for path in documents.glob("*.docx"):
        shown = footer_lines(path)
        before = originals[path.name][1]
        assert len(shown) >= 1
        for lines in shown:
            ours = [line for line in lines if line[2]]
            assert ours == [(path.stem, WD_ALIGN_PARAGRAPH.RIGHT, True)], path.name
        # what was there before is still there
        kept = [line[:2] for lines in shown for line in lines if not line[2] and line[0]]
        assert kept == [line[:2] for lines in before for line in lines if line[0]], path.name
    multi = Document(str(documents / "07：sct-first-page-hdrftr.docx"))
    second_section = multi.sections[1]
    assert second_section.different_first_page_header_footer
    assert [p.text for p in second_section.first_page_footer.paragraphs][-1] == \
        "07：sct-first-page-hdrftr"
    undone = run("undo", documents)
    assert undone.exit_code == 0, undone.output
    assert {p.name: digest(p) for p in documents.glob("*.docx")} == {
        name: value[0] for name, value in originals.items()}  # byte for byte


def test_a_renamed_document_gets_its_new_name_not_a_second_line(documents: Path) -> None:
    path = documents / "08：test.docx"
    run("stamp", path)
    renamed = path.rename(documents / "01：测试文档.docx")
    run("stamp", renamed)
    (lines,) = footer_lines(renamed)
    assert [line for line in lines if line[2]] == [("01：测试文档", WD_ALIGN_PARAGRAPH.RIGHT, True)]


def test_a_footer_that_shows_the_name_is_left_alone(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("正文")
    document.sections[0].footer.paragraphs[0].text = "第 1 页　01：已有名称"
    path = tmp_path / "01：已有名称.docx"
    document.save(str(path))
    before = digest(path)
    assert run("stamp", path).stdout.endswith("计划：0 个文档需要写入名称，1 个已有，0 个未处理。\n")
    assert digest(path) == before


def test_dry_run_damaged_and_old_documents(tmp_path: Path) -> None:
    make_docx(tmp_path / "01：正常.docx")
    (tmp_path / "02：损坏.docx").write_bytes(b"PK\x03\x04 broken")
    (tmp_path / "03：旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    before = listing(tmp_path)
    result = run("stamp", tmp_path, "--dry-run")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["将在页脚写入文档名称：01：正常.docx",
                                          "计划：1 个文档需要写入名称，0 个已有，2 个未处理。",
                                          "以上为预演，未写入任何文件。"]
    assert result.stderr.splitlines() == [
        "未处理 02：损坏.docx：文档无法打开，不作改动",
        "未处理 03：旧版.doc：旧版格式无法编辑；加 --convert 可先转换为 .docx"]
    assert listing(tmp_path) == before


def test_a_document_edited_after_the_plan_is_not_overwritten(documents: Path) -> None:
    from cwa.apply import apply
    from cwa.commands.stamp import documents as find
    from cwa.commands.stamp import plan

    stamp_plan = plan(documents, find([documents]), False)
    target = documents / stamp_plan.operations[0].rel
    target.write_bytes(target.read_bytes() + b" ")  # someone saves it meanwhile
    edited = digest(target)
    result = apply(documents, stamp_plan.operations, "stamp")
    assert ("changed_since" in [reason for _, reason in result.skipped])
    assert digest(target) == edited


def test_a_crash_while_stamping_is_undone(documents: Path) -> None:
    originals = {p.name: digest(p) for p in documents.glob("*.docx")}
    env = {**os.environ, "CWA_CRASH_AFTER_STEP": "2", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "cwa", "stamp", str(documents)], env=env,
                          capture_output=True, check=False)
    assert done.returncode == 99
    assert sum(digest(p) != originals[p.name] for p in documents.glob("*.docx")) == 3
    assert run("undo", documents).exit_code == 0
    assert {p.name: digest(p) for p in documents.glob("*.docx")} == originals


def _photo(path: Path, size: tuple[int, int], orientation: int = 1,
           caption: str | None = None, artist: str | None = None) -> None:
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x0132] = "2024:03:05 10:00:00"
    if caption:
        exif[0x9C9C] = caption.encode("utf-16-le") + b"\x00\x00"
    if artist:  # UTF-8 bytes in an ASCII tag, as phones write it
        exif[0x013B] = artist.encode("utf-8")
    Image.new("RGB", size, (90, 140, 200)).save(path, "JPEG", exif=exif)


def test_album(tmp_path: Path) -> None:
    folder = tmp_path / "07：荣誉类"
    folder.mkdir()
    _photo(folder / "01：植树活动.jpg", (3000, 1500), orientation=6, caption="城东林地植树",
           artist="张三")
    _photo(folder / "02：志愿服务.jpg", (400, 300))
    (folder / "02：志愿服务.txt").write_text(
        "事由：社区志愿服务；时间：2024年3月5日；地点：城东社区；人物：青年志愿者；背景：＿＿＿＿",
        encoding="utf-8")
    _photo(folder / "03：会议.jpg", (1200, 900), caption="IMG_2025")
    (folder / "04：坏照片.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    out = tmp_path / "荣誉类图片资料.docx"
    result = run("album", folder, "-o", out, "--per-page", "1", "--max-side", "800")
    assert result.exit_code == 1  # one photo could not be used
    assert result.stdout.splitlines()[:2] == [
        f"已生成 {out}：3 张照片，0.0 MB。",
        "3 张照片的说明不全，已留出空栏供手写补填：图1、图2、图3"]
    assert result.stderr == "跳过无法打开的照片 04：坏照片.jpg：JPEG 文件被截断\n"
    document = Document(str(out))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts == [
        "荣誉类图片资料",
        "图1\u3000事由：城东林地植树", "时间：2024年3月5日\t地点：城东林地",
        "人物：＿＿＿＿\t摄影者：张三", "背景：＿＿＿＿",
        # a structured caption: each field once, in its place
        "图2\u3000事由：社区志愿服务", "时间：2024年3月5日\t地点：城东社区",
        "人物：青年志愿者\t摄影者：＿＿＿＿", "背景：＿＿＿＿",
        # a camera's name is no 事由; the file name is none either
        "图3\u3000事由：＿＿＿＿", "时间：2024年3月5日\t地点：＿＿＿＿",
        "人物：＿＿＿＿\t摄影者：＿＿＿＿", "背景：＿＿＿＿",
    ]
    assert [p.style.name for p in document.paragraphs if p.text][:2] == ["Title", "Caption"]
    first, second, third = document.inline_shapes
    assert first.height > first.width  # orientation 6: the landscape sensor image stands up
    assert second.width == Cm(400 / 96 * 2.54)  # 400 px: shown at its own size, not blown up
    assert third.width == Cm(16)  # as wide as the page allows
    (footer,) = footer_lines(out)
    assert [line for line in footer if line[2]] == [("荣誉类图片资料", WD_ALIGN_PARAGRAPH.RIGHT,
                                                     True)]
    assert out.stat().st_size < 200_000  # downscaled
    again = run("album", folder, "-o", out)
    assert again.exit_code == 2
    assert again.stderr == f"错误：{out} 已存在，不覆盖\n"


def test_album_is_typeset_in_chinese(tmp_path: Path) -> None:
    from docx.oxml.ns import qn

    folder = tmp_path / "01：活动"
    folder.mkdir()
    _photo(folder / "01：活动.jpg", (800, 600))
    out = tmp_path / "图片资料.docx"
    assert run("album", folder, "-o", out, "--lang", "en").exit_code == 0
    document = Document(str(out))
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert (fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii"))) == ("宋体", "Times New Roman")
    assert fonts.get(qn("w:eastAsiaTheme")) is None  # not the template's Japanese theme font
    title = document.styles["Title"]
    assert title.font.color.rgb == RGBColor(0, 0, 0)
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert document.styles["Caption"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    number = next(r for p in document.paragraphs for r in p.runs if r.text == "图1")
    assert number._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[1].startswith("图1\u3000事由：")  # the document is Chinese whatever --lang


def test_album_inside_an_archive_is_journaled(example: Path) -> None:
    target = example / "07：荣誉类" / "06：荣誉类图片资料.docx"
    result = run("album", example / "07：荣誉类", "-o", target)
    assert target.is_file()
    assert "cwa undo" in result.stdout
    assert run("undo", example).exit_code == 0
    assert not target.exists()


COLUMNS = ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"]


def _catalog_csv(archive: Path, *args: object) -> tuple[list[list[str]], str]:
    result = run("catalog", archive, *args)
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff")))), result.stderr


def test_catalog_rows(example: Path) -> None:
    from pypdf import PdfWriter

    (example / "cwa.yaml").write_text(
        'rubric: "archive-scope"\nyears: {from: 2024, to: 2026}\n'
        'catalog: {unit: 清河区税务局}\n', encoding="utf-8")
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    writer.write(str(example / "07：荣誉类" / "06：新闻报道汇编.pdf"))
    rows, stderr = _catalog_csv(example)
    assert rows[0] == ["指标", *COLUMNS]
    by_title = {r[5]: dict(zip(COLUMNS, r[1:], strict=True)) for r in rows[1:]}
    codes = [r[2] for r in rows[1:]]
    assert len(codes) == len(set(codes))  # unique, year sub-folders included
    assert [by_title[t]["档号"] for t in ("创建文明单位规划和实施方案", "2024年文明建设计划",
                                         "2024年文明建设工作总结", "2025年文明建设计划")] == [
        "2025-1.2-001", "2024-1.2-001", "2024-1.2-002", "2025-1.2-005"]
    notice = by_title["关于开展2024年度文明单位创建活动的通知"]
    assert notice == {"序号": "1", "档号": "2024-1.1-001", "文号": "清文明委〔2024〕3号",
                      "责任者": "清河区税务局", "题名": "关于开展2024年度文明单位创建活动的通知",
                      "日期": "20240000", "密级": "", "页数": "1", "备注": "页数为估计"}
    # the year in the name wins over the document's "created" date, as in `cwa check`
    old = by_title["2021年度文明单位表彰决定"]
    assert (old["日期"], old["备注"]) == ("20210000", "年度不在档案年度内；页数为估计")
    assert by_title["新闻报道汇编"]["页数"] == "3"  # a PDF is counted
    assert by_title["新闻报道汇编"]["备注"] == "年度取自修改时间"  # no date inside, none in its name
    photo = by_title["志愿服务活动照片"]
    assert (photo["日期"], photo["页数"]) == ("20250630", "1")
    damaged = by_title["党风廉政建设责任制度"]
    assert damaged["备注"] == "无法打开；年度取自修改时间；页数未知"
    assert by_title["参观学习照片"]["备注"] == "未对应应归档材料"
    assert stderr.startswith("30 个文档的页数取自文档属性")


def test_catalog_year_agrees_with_check(example: Path) -> None:
    rows, _ = _catalog_csv(example)
    data = json.loads(run("check", example, "--format", "json").stdout)
    (outside,) = [f for f in data["findings"] if f["code"] == "YR002"]
    row = next(r for r in rows[1:] if outside["path"].endswith(r[5] + ".docx"))
    assert row[6][:4] == str(outside["data"]["year"]) == "2021"


def test_a_catalog_pattern_that_repeats_a_code_is_reported(example: Path) -> None:
    (example / "cwa.yaml").write_text(
        'rubric: "archive-scope"\ncatalog: {code: "QH·{year}·{indicator}·{number:03d}"}\n',
        encoding="utf-8")
    rows, stderr = _catalog_csv(example)
    repeated = [r for r in rows[1:] if "档号重复" in r[9]]
    # numbers restart in year folders; 02 twice in 2.2 is one of the example's planted faults
    assert {r[2] for r in repeated} == {"QH·2025·1.2·001", "QH·2025·1.2·002", "QH·2025·2.2·002"}
    assert "档号规则使 3 个档号重复（QH·2025·1.2·001、QH·2025·1.2·002、QH·2025·2.2·002）" in stderr
    assert "{item}（件号）" in stderr


def test_catalog_xlsx_and_docx(example: Path, tmp_path: Path) -> None:
    from docx.oxml.ns import qn
    from openpyxl import load_workbook

    from cwa.office.catalog import DOCX_WIDTHS

    (example / "cwa.yaml").write_text(
        'rubric: "archive-scope"\nyears: {from: 2024, to: 2026}\n'
        'catalog: {unit: 清河区税务局, fonds: "Z012", retention: 永久, organ: 文明创建}\n',
        encoding="utf-8")
    xlsx = tmp_path / "归档文件目录.xlsx"
    assert run("catalog", example, "-o", xlsx).exit_code == 0
    book = load_workbook(xlsx)
    assert book.sheetnames == ["目录封面", "归档文件目录"]
    cover = book["目录封面"]
    assert [(cover.cell(r, 2).value, cover.cell(r, 3).value) for r in range(6, 11)] == [
        ("全宗号：", "Z012"), ("全宗名称：", "清河区税务局"), ("年度：", "2024—2026"),
        ("保管期限：", "永久"), ("机构（问题）：", "文明创建")]
    sheet = book["归档文件目录"]
    assert [c.value for c in sheet[2]] == COLUMNS
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$2:$2"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.orientation == "landscape"
    assert sheet["A3"].value == "1.1 上级精神文明建设文件及评比材料"
    assert [c.value for c in sheet[4]][:2] == [1, "2024-1.1-001"]
    assert max(sheet.column_dimensions[c].width for c in "ABCDEFGHI") == \
        sheet.column_dimensions["E"].width  # 题名

    docx_out = tmp_path / "归档文件目录.docx"
    assert run("catalog", example, "-o", docx_out).exit_code == 0
    document = Document(str(docx_out))
    cover_table, table = document.tables
    assert [c.text for c in cover_table.columns[1].cells] == [
        "Z012", "清河区税务局", "2024—2026", "永久", "文明创建"]
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    assert [round(int(col.get(qn("w:w"))) / 1440 * 2.54, 1) for col in grid] == list(DOCX_WIDTHS)
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert [c.text for c in table.rows[0].cells] == COLUMNS
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    rows, _ = _catalog_csv(example)
    groups = len({r[0] for r in rows[1:]})
    assert len(table.rows) == 1 + groups + len(rows) - 1  # header, a row a group, a row a file


def test_catalog_xlsx_keeps_names_that_are_not_plain_text(example: Path,
                                                          tmp_path: Path) -> None:
    """The table's rows are written as XML by cwa itself: what XML gives a meaning to is
    escaped, what it cannot hold is shown as an escape, spaces at the ends are kept."""
    from openpyxl import load_workbook

    folder = example / "01：思想建设类" / "03：组织机构建设"
    (folder / "08：甲&乙<丙>.docx").write_bytes(b"x")
    (folder / "09：响\x07铃 .docx").write_bytes(b"x")
    out = tmp_path / "目录.xlsx"
    assert run("catalog", example, "-o", out).exit_code == 0
    sheet = load_workbook(out)["归档文件目录"]
    titles = {row[4] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert {"甲&乙<丙>", "响\\x07铃"} <= titles
    rows, _ = _catalog_csv(example)
    assert sheet.max_row == 2 + len({r[0] for r in rows[1:]}) + len(rows) - 1
    serials = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)
               if isinstance(row[0], int)]
    assert serials == list(range(1, len(rows)))  # numbers, not text


def test_the_stamp_takes_the_footers_empty_line_and_its_style(tmp_path: Path) -> None:
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(14)
    document.styles["Footer"].font.size = Pt(9)
    document.add_paragraph("正文")
    assert [p.text for p in document.sections[0].footer.paragraphs] == [""]  # as Word leaves it
    path = tmp_path / "01：文件.docx"
    document.save(str(path))
    assert run("stamp", path).exit_code == 0
    footer = Document(str(path)).sections[0].footer
    (line,) = footer.paragraphs  # no empty line left above the name
    assert (line.text, line.style.name, line.alignment) == ("01：文件", "Footer",
                                                            WD_ALIGN_PARAGRAPH.RIGHT)
    assert line.paragraph_format.first_line_indent == 0
