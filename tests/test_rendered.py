"""What a person sees: albums, catalogues and stamped documents laid out by LibreOffice
(as Word would print them), read back from the PDF with pdftotext — page counts, blank
pages, where the columns fall, the size of the stamped line. All documents are rendered
in one LibreOffice run. With ``CWA_ARTIFACTS=DIR`` the pages are also kept as PNGs (CI
keeps them; ``docs/`` is regenerated from them only on purpose)."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cwa.office.catalog import DOCX_WIDTHS
from tests.conftest import EXAMPLE, run

CORPUS = Path(__file__).parent / "corpus" / "docx"

COLUMNS = ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"]
CM = 72 / 2.54  # PDF points per cm
LONG = 45  # documents with long titles: the catalogue runs over several pages


def _tools() -> str | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    missing = soffice is None or shutil.which("pdftotext") is None
    if missing and os.environ.get("CI"):
        pytest.fail("CI installs LibreOffice and poppler (.ci/run) to render the outputs")
    return None if missing else soffice


class Pdf:
    def __init__(self, path: Path) -> None:
        self.path = path
        raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                             text=True, check=True).stdout
        self.pages = raw.split("\f")[:-1]  # pdftotext ends every page with a form feed
        bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        self.words: list[list[tuple[str, float, float, float, float]]] = []
        for page in re.findall(r"<page [^>]*>(.*?)</page>", bbox, re.S):
            self.words.append([
                (w[4], float(w[0]), float(w[1]), float(w[2]), float(w[3]))
                for w in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                    r'yMax="([\d.]+)">([^<]*)</word>', page)])
        size = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', bbox)
        assert size
        self.width, self.height = float(size.group(1)), float(size.group(2))

    def flat(self, page: int) -> str:
        return re.sub(r"\s+", "", self.pages[page])

    def word(self, page: int, text: str) -> tuple[str, float, float, float, float]:
        found = [w for w in self.words[page] if w[0] == text]
        assert found, (text, [w[0] for w in self.words[page]][:40])
        return found[0]


def _photo(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2),
                                  fill=(250, 250, 250))
    exif = Image.Exif()
    exif[0x0132] = "2025:03:12 10:00:00"
    image.save(path, "JPEG", exif=exif)


def _real_document(path: Path, footer_text: str | None) -> None:
    """Like a document from Word in a Chinese office: body 14 pt with a two-character
    first-line indent, a 9 pt Footer style, an empty footer paragraph or a page number."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(14)
    indent = OxmlElement("w:ind")
    indent.set(qn("w:firstLineChars"), "200")
    indent.set(qn("w:firstLine"), "560")
    normal.element.get_or_add_pPr().append(indent)
    document.styles["Footer"].font.size = Pt(9)
    for i in range(12):
        document.add_paragraph(f"正文第{i + 1}段：按照创建工作方案，认真组织开展各项活动。" * 2)
    footer = document.sections[0].footer.paragraphs[0]
    if footer_text:
        run_ = footer.add_run(footer_text)
        run_.font.size = Pt(10.5)  # direct formatting, as clerks do
    document.save(str(path))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    soffice = _tools()
    if soffice is None:
        pytest.skip("LibreOffice or pdftotext is not installed")
    work = tmp_path_factory.mktemp("rendered")
    example = work / "qinghe-tax"
    shutil.copytree(EXAMPLE, example)
    (example / "cwa.yaml").write_text(
        'rubric: "archive-scope"\nyears: {from: 2024, to: 2026}\n'
        'catalog: {unit: 清河区税务局, fonds: "Z012", retention: 永久}\n', encoding="utf-8")
    long = example / "05：教育培训类" / "02：教育培训实施"
    from tests.conftest import make_docx

    for i in range(1, LONG + 1):  # titles that wrap over three lines of the 题名 column
        make_docx(long / f"{i:02d}：关于组织全体干部职工参加业务知识和职业道德专题培训活动"
                         f"的情况报告及相关材料汇编尾{i:03d}.docx")
    out = work / "out"
    out.mkdir()
    photos = {}
    for name, count in (("four", 4), ("three", 3)):
        folder = work / f"01：{name}"
        folder.mkdir()
        for i in range(count):
            _photo(folder / f"0{i + 1}：活动照片.jpg", (1600, 1200) if i % 2 else (1200, 1600),
                   (40 + 50 * i, 120, 200 - 40 * i))
        photos[name] = folder
    jobs = [
        ("album", photos["four"], "-o", out / "album-four.docx"),
        ("album", example / "07：荣誉类", "-o", out / "album-example.docx"),
        ("album", photos["three"], "-o", out / "album-cover.docx", "--per-page", "1",
         "--cover", "--unit", "清河区税务局"),
        ("catalog", example, "-o", out / "catalog.docx"),
        ("catalog", example, "-o", out / "catalog-sheet.xlsx"),
    ]
    for job in jobs:
        result = run(*job)
        assert result.exit_code in (0, 1), result.output
    stamps = work / "stamps"
    stamps.mkdir()
    (stamps / "cwa.yaml").write_text('rubric: "archive-scope"\n', encoding="utf-8")
    _real_document(stamps / "01：创建领导小组文件.docx", None)
    _real_document(stamps / "02：责任分工.docx", "第 1 页")
    shutil.copyfile(CORPUS / "hdr-header-footer.docx", stamps / "03：hdr-header-footer.docx")
    assert run("stamp", stamps).exit_code == 0
    for document in stamps.glob("*.docx"):
        shutil.copyfile(document, out / f"stamp-{document.name[:2]}.docx")
    subprocess.run([soffice, f"-env:UserInstallation={(work / 'lo').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out),
                    *sorted(str(p) for p in out.iterdir())],
                   capture_output=True, timeout=300, check=True)
    pdfs = {p.stem: Pdf(p) for p in out.glob("*.pdf")}
    keep = os.environ.get("CWA_ARTIFACTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for pdf in pdfs.values():
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf.path),
                            str(Path(keep) / pdf.path.stem)], check=True)
    return pdfs


def test_albums_have_no_blank_pages(rendered: dict[str, Pdf]) -> None:
    four, example, cover = (rendered[n] for n in ("album-four", "album-example", "album-cover"))
    assert len(four.pages) == 2  # two full pages, nothing after either
    assert len(example.pages) == 2  # three photos (a fourth does not open)
    assert len(cover.pages) == 4  # a cover and one photo a page
    for pdf in (four, example, cover):
        assert all(pdf.flat(i) for i in range(len(pdf.pages))), pdf.path.name  # none blank
    assert [re.findall(r"图\d", four.flat(i)) for i in range(2)] == [["图1", "图2"],
                                                                    ["图3", "图4"]]
    assert "清河区税务局" in cover.flat(0) and "图1" not in cover.flat(0)
    assert "荣誉类图片资料" in example.flat(0)
    # each element once a photo, filled from the caption and the photo
    first = example.flat(0)
    assert [first.count(f"{e}：") for e in ("事由", "时间", "地点", "人物", "背景", "摄影者")] == [2] * 6
    assert "事由：事由" not in first
    assert "事由：植树节城东林地" in first and "地点：城东林地" in first


def test_album_caption_sits_under_its_photo(rendered: dict[str, Pdf]) -> None:
    pdf = rendered["album-four"]
    words = pdf.words[0]
    number = next(w for w, after in itertools.pairwise(words) if (w[0], after[0]) == ("图", "1"))
    footer = next(w for w in words if w[0] == "album-four")  # the album's name, stamped
    assert number[2] < footer[2]  # above the footer
    assert number[1] > 2.4 * CM  # indented under the photo, not at the margin


def test_catalogue_columns_fall_where_the_grid_puts_them(rendered: dict[str, Pdf]) -> None:
    pdf = rendered["catalog"]
    assert "全宗号：Z012" in pdf.flat(0) and "保管期限：永久" in pdf.flat(0)  # 目录封面
    assert pdf.width > pdf.height  # A4 landscape
    assert (round(pdf.width / CM, 1), round(pdf.height / CM, 1)) == (29.7, 21.0)
    tables = range(1, len(pdf.pages))
    assert len(tables) >= 3
    left = 1.8 * CM
    for page in tables:  # the header repeats on every page, each column where the grid says
        centres = [(w[1] + w[3]) / 2 for w in (pdf.word(page, c) for c in COLUMNS)]
        assert centres == sorted(centres)
        for i, centre in enumerate(centres):
            expected = left + (sum(DOCX_WIDTHS[:i]) + DOCX_WIDTHS[i] / 2) * CM
            assert abs(centre - expected) < 6, (COLUMNS[i], centre, expected)


def test_catalogue_rows_do_not_break_across_pages(rendered: dict[str, Pdf]) -> None:
    pdf = rendered["catalog"]
    for i in range(1, LONG + 1):
        code = re.compile(rf"\d{{4}}-5\.2-{i:03d}")
        pages = [p for p in range(len(pdf.pages)) if code.search(pdf.flat(p))]
        assert len(pages) == 1, code
        assert f"尾{i:03d}" in pdf.flat(pages[0]), code  # the row's last line on its page


def test_catalogue_xlsx_prints_on_a4_landscape(rendered: dict[str, Pdf]) -> None:
    pdf = rendered["catalog-sheet"]
    assert pdf.width > pdf.height
    assert "全宗号：" in pdf.flat(0) and "Z012" in pdf.flat(0)  # the 目录封面 sheet first
    tables = range(1, len(pdf.pages))
    assert len(tables) >= 2
    for page in tables:  # the header row printed on every page, columns in order
        centres = [(w[1] + w[3]) / 2 for w in (pdf.word(page, c) for c in COLUMNS)]
        assert centres == sorted(centres)
        assert centres[-1] - centres[0] > 0.6 * pdf.width  # fitted to the page's width
    for i in range(1, LONG + 1):
        pages = [p for p in tables if re.search(rf"\d{{4}}-5\.2-{i:03d}", pdf.flat(p))]
        assert len(pages) == 1 and f"尾{i:03d}" in pdf.flat(pages[0])  # rows tall enough


def test_stamped_line_takes_the_footer_size_not_the_body(rendered: dict[str, Pdf]) -> None:
    plain, numbered = rendered["stamp-01"], rendered["stamp-02"]
    for pdf, name in ((plain, "01：创建领导小组文件"), (numbered, "02：责任分工")):
        stamp = pdf.word(0, name)
        text = [w for w in pdf.words[0] if w[0].startswith("正文")]
        body_height = text[0][4] - text[0][2]
        ratio = (stamp[4] - stamp[2]) / body_height
        assert 0.5 < ratio < 0.8, (name, ratio)  # 9–10.5 pt against the body's 14 pt
        right_margin = pdf.width - 1.25 * 72  # python-docx's template: 1.25 in margins
        assert abs(stamp[3] - right_margin) < 3  # right-aligned, no indent
    # the footer's existing text and the stamp on one size: the footer's own
    page_number = [w for w in numbered.words[0] if w[0] == "页"][-1]  # 第 1 页, in the footer
    stamp = numbered.word(0, "02：责任分工")
    assert abs((page_number[4] - page_number[2]) - (stamp[4] - stamp[2])) < 1.5


def test_a_stamped_footer_keeps_what_was_there(rendered: dict[str, Pdf]) -> None:
    pdf = rendered["stamp-03"]
    pages = [i for i in range(len(pdf.pages)) if pdf.flat(i)]
    assert pages
    for page in pages:
        assert "03：hdr-header-footer" in pdf.flat(page)
        assert "Footerforsection1" in pdf.flat(page)


def _pages_archive(root: Path) -> Path:
    """An archive with a .docx of three pages whose properties say one (as Word leaves a
    file that grew after it last counted)."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    folder = root / "01：思想建设类" / "03：组织机构建设"
    folder.mkdir(parents=True)
    (root / "cwa.yaml").write_text('rubric: "archive-scope"\n', encoding="utf-8")
    document = Document()
    for page in range(3):
        paragraph = document.add_paragraph(f"第{page + 1}页")
        if page < 2:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    document.save(str(folder / "01：创建领导小组文件.docx"))
    return root


def test_catalog_counts_pages_with_libreoffice(tmp_path: Path) -> None:
    if _tools() is None:
        pytest.skip("LibreOffice or pdftotext is not installed")
    archive = _pages_archive(tmp_path / "a")
    result = run("catalog", archive, "--pages")
    assert result.exit_code == 0, result.output
    assert result.stderr == "正在用 LibreOffice 排版 1 个文档以计数页数……\n"
    row = result.stdout.splitlines()[1].split(",")
    assert (row[5], row[8], row[9]) == ("创建领导小组文件", "3", "")  # counted, no estimate


def test_catalog_says_page_counts_are_estimates_without_libreoffice(tmp_path: Path) -> None:
    archive = _pages_archive(tmp_path / "a")
    result = run("catalog", archive, "--pages", env={"PATH": str(tmp_path / "nothing")})
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("没有安装 LibreOffice，无法实际计数页数")
    row = result.stdout.splitlines()[1].split(",")
    assert (row[8], row[9]) == ("1", "页数为估计")  # what the properties say, marked
