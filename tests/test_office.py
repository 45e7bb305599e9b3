"""Word and Excel tooling, checked by reopening every output with python-docx and
openpyxl, and — where LibreOffice is installed — by rendering it to PDF and reading the
pages with pdftotext."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
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
    assert result.stderr == "跳过无法打开的照片 04：坏照片.jpg：无法打开：JPEG 文件被截断\n"
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


def test_catalog_in_every_format(example: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfWriter

    (example / "cwa.yaml").write_text(
        'rubric: "archive-scope"\nyears: {from: 2024, to: 2026}\n'
        'catalog: {code: "QH·{year}·{indicator}·{number:03d}", unit: 清河区税务局}\n',
        encoding="utf-8")
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    writer.write(str(example / "07：荣誉类" / "06：新闻报道汇编.pdf"))
    rows = list(csv.reader(io.StringIO(run("catalog", example).stdout.lstrip("\ufeff"))))
    assert rows[0] == ["指标", "序号", "档号", "文号", "责任者", "题名", "日期", "页数", "密级", "备注"]
    notice = rows[1]
    assert notice == ["1.1 上级精神文明建设文件及评比材料", "1", "QH·2025·1.1·001", "清文明委〔2024〕3号",
                      "清河区税务局", "关于开展2024年度文明单位创建活动的通知", "20250630", "1", "", ""]
    pdf_row = next(r for r in rows if r[5] == "新闻报道汇编")
    assert pdf_row[7] == "3"
    photo_row = next(r for r in rows if r[5] == "志愿服务活动照片")
    assert (photo_row[6], photo_row[7]) == ("20250630", "1")

    xlsx = tmp_path / "归档文件目录.xlsx"
    assert run("catalog", example, "-o", xlsx).exit_code == 0
    sheet = load_workbook(xlsx).active
    assert [c.value for c in sheet[2]] == ["序号", "档号", "文号", "责任者", "题名", "日期", "页数",
                                           "密级", "备注"]
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$2:$2"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.orientation == "landscape"
    assert sheet["A3"].value == "1.1 上级精神文明建设文件及评比材料"
    assert [c.value for c in sheet[4]][:2] == [1, "QH·2025·1.1·001"]
    assert sheet.column_dimensions["E"].width == 48

    docx_out = tmp_path / "归档文件目录.docx"
    assert run("catalog", example, "-o", docx_out).exit_code == 0
    table = Document(str(docx_out)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "档号", "文号", "责任者", "题名", "日期",
                                                      "页数", "密级", "备注"]
    documents_listed = len(rows) - 1
    groups = len({r[0] for r in rows[1:]})
    assert len(table.rows) == 1 + groups + documents_listed  # header, a row a group, a row a file
    assert sum(1 for row in table.rows if row.cells[0].text.isdigit()) == documents_listed


# -- rendered by LibreOffice ----------------------------------------------------------------

def _soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if (found is None or shutil.which("pdftotext") is None) and os.environ.get("CI"):
        pytest.fail("CI installs LibreOffice and poppler (.ci/run) to render the outputs")
    return found


def _pdf_text(document: Path, work: Path) -> str:
    soffice = _soffice()
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or pdftotext is not installed")
    subprocess.run([soffice, f"-env:UserInstallation={(work / 'lo').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work), str(document)],
                   capture_output=True, timeout=180, check=True)
    pdf = work / f"{document.stem}.pdf"
    return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_rendered_by_libreoffice(documents: Path, tmp_path: Path, example: Path) -> None:
    stamped = documents / "06：hdr-header-footer.docx"
    run("stamp", stamped)
    pages = _pdf_text(stamped, tmp_path).split("\f")
    shown = [page for page in pages if page.strip()]
    assert shown and all("06：hdr-header-footer" in page for page in shown)
    assert all("Footer for section 1" in page for page in shown)  # kept

    album = tmp_path / "荣誉类图片资料.docx"
    run("album", example / "07：荣誉类", "-o", album)
    text = re.sub(r"\s+", "", _pdf_text(album, tmp_path))  # pdftotext spaces 汉字 from digits
    assert "图1事由：2025年3月12日植树节城东林地" in text

    catalogue = tmp_path / "归档文件目录.docx"
    run("catalog", example, "-o", catalogue)
    text = re.sub(r"\s+", "", _pdf_text(catalogue, tmp_path))
    assert "关于开展2024年度文明单位创建活动的通知" in text
