"""The 归档文件目录 (DA/T 22-2015): one row per document, grouped under its indicator.

Columns, in the standard's order: 序号、档号、文号、责任者、题名、日期、密级、页数、备注.

- 序号 runs through the catalogue.
- 档号 follows the pattern ``catalog: {code: …}`` of cwa.yaml, default ``DEFAULT_CODE``
  (``2025-1.2-001``): ``{year}`` the document's year, ``{indicator}`` its indicator's code,
  ``{item}`` its 件号 — counted within its indicator and year, as DA/T 22 numbers 件号 by
  year, so documents in year sub-folders never share one —, ``{number}`` the serial in its
  own name (``01：…``; restarts in every folder), ``{seq}`` the 序号. A pattern that gives
  two documents one 档号 is reported and the rows say so.
- 责任者 is the unit of cwa.yaml (``catalog: {unit: …}``), else the document's author.
- 题名 is the document's topic (its name without the number).
- 日期 and the year follow ``cwa.dating``, the rule ``cwa check`` uses: year folder or name
  first, then the document's own date, last its modification time.
- 页数 is counted by LibreOffice with ``--pages`` (one batch for all documents); without
  it a .docx's page count is what Word last saved (often stale) and the row says it is an
  estimate; PDFs are counted, a photo is one page.
- 备注 says why a row is doubtful: does not open, not evidence, names no evidence item,
  old format, empty, year outside the archive's years or only from the modification time.

The document's words are the standard's Chinese, whatever the interface language.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from cwa import caption, dating, docnumber, kinds, naming
from cwa.match import Layout, Placement
from cwa.office import sheet as sheets
from cwa.office.package import check_open, read_part
from cwa.printable import printable, repaired

if TYPE_CHECKING:
    from cwa.config import Settings
    from cwa.findings import Finding

COLUMNS = ("序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注")
DEFAULT_CODE = "{year}-{indicator}-{item:03d}"
#: Column widths in cm on A4 landscape with 1.8 cm margins (26.1 cm): 题名 gets the room.
DOCX_WIDTHS = (1.3, 2.9, 3.6, 2.8, 7.6, 1.9, 1.3, 1.3, 3.4)
XLSX_WIDTHS = (6, 15, 19, 15, 42, 11, 6, 6, 20)  # characters; a 汉字 is about two
LINE_PT = 15  # an .xlsx line of 10.5 pt text: rows are made tall enough for their lines
CENTRED = frozenset({"序号", "日期", "密级", "页数"})
NS = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
      "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}
MACHINE_AUTHORS = frozenset({"python-docx", "openpyxl", "apache poi", "", "administrator",
                             "admin", "user", "微软用户", "微软中国", "windows 用户",
                             "windows user", "microsoft", "unknown"})
#: 备注: why a row is doubtful. Findings of ``cwa check`` by code, then the catalogue's own.
NOTES = {
    "FL001": "空文件", "FM001": "旧版格式", "FM002": "HEIC格式", "FM003": "不能作为证据",
    "FL004": "不能作为证据", "EV004": "未对应应归档材料", "YR002": "年度不在档案年度内",
    "CT001": "无法打开", "damaged": "无法打开", "mtime": "年度取自修改时间",
    "estimate": "页数为估计", "no_pages": "页数未知", "duplicate": "档号重复",
}
#: 目录封面 (DA/T 22-2015), in order: cwa.yaml key → label.
COVER = (("fonds", "全宗号"), ("fonds_name", "全宗名称"), ("year", "年度"),
         ("retention", "保管期限"), ("organ", "机构（问题）"))


@dataclass
class Row:
    serial: int
    code: str
    number: str  # 文号
    author: str
    title: str
    date: str
    pages: str
    notes: list[str] = field(default_factory=list)
    path: Path = Path()
    classified: str = ""  # 密级: blank when none (cwa never guesses one)

    def cells(self) -> list[str]:
        """The row's texts as every output shows them: what came from a file (its name,
        its author) with control characters shown escaped — a catalogue holds data."""
        return [printable(repaired(c)) for c in (
            str(self.serial), self.code, self.number, self.author, self.title, self.date,
            self.classified, self.pages, "；".join(dict.fromkeys(self.notes)))]


@dataclass
class Group:
    indicator: str  # "1.3 组织机构建设"
    path: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Catalogue:
    groups: list[Group]
    cover: list[tuple[str, str]]  # (label, value) for the 目录封面
    duplicates: list[str] = field(default_factory=list)  # 档号 given to several rows

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]


def of_archive(archive: Path, settings: Settings, layout: Layout, findings: Iterable[Finding],
               pages: dict[Path, int] | None = None) -> Catalogue:
    """The catalogue as ``cwa catalog`` makes it (and ``cwa export`` packs it): 备注 from
    a check's ``findings``, the 目录封面 from cwa.yaml (``catalog:``) and the archive's years."""
    notes: dict[str, list[str]] = defaultdict(list)
    for finding in findings:
        notes[finding.path].append(finding.code)
    cfg = settings.config
    cover = dict(cfg.catalog_cover) if cfg else {}
    if settings.years is not None:
        cover["year"] = (str(settings.years.start) if settings.years.start ==
                         settings.years.end else
                         f"{settings.years.start}—{settings.years.end}")
    if cfg is not None and cfg.catalog_unit and "fonds_name" not in cover:
        cover["fonds_name"] = cfg.catalog_unit
    return build(archive, layout, cfg.catalog_code if cfg else None,
                 cfg.catalog_unit if cfg else None, notes, pages, cover)


def build(archive: Path, layout: Layout, code_pattern: str | None, unit: str | None,
          notes: dict[str, list[str]] | None = None, pages: dict[Path, int] | None = None,
          cover: dict[str, str] | None = None) -> Catalogue:
    """The catalogue of ``archive``. ``notes``: finding codes of ``cwa check`` by archive-
    relative path; ``pages``: page counts laid out by LibreOffice (``--pages``)."""
    groups: list[Group] = []
    serial = 0
    items: Counter[tuple[str, str]] = Counter()
    for placement in layout.walk():
        if not placement.indicator.is_leaf or placement.folder is None:
            continue
        group = Group(f"{placement.indicator.code} {placement.indicator.wording}",
                      placement.rel)
        for path in documents(archive, placement):
            serial += 1
            rel = path.relative_to(archive).as_posix()
            group.rows.append(_row(path, serial, placement, code_pattern, unit, items,
                                   (notes or {}).get(rel, []), pages))
        if group.rows:  # a catalogue lists documents: an empty indicator has no line
            groups.append(group)
    result = Catalogue(groups, _cover(cover or {}))
    counted = Counter(row.code for row in result.rows)
    result.duplicates = sorted(code for code, n in counted.items() if n > 1)
    for row in result.rows:
        if counted[row.code] > 1:
            row.notes.append(NOTES["duplicate"])
    return result


def documents(archive: Path, placement: Placement) -> list[Path]:
    """A leaf indicator's documents, in the order of their folders and names. Walked as
    ``cwa check`` walks (``cwa.scan``): links never followed, a folder that cannot be read
    (no permission, a path past the system's limit) left out — the check reports it."""
    from cwa.scan import scan

    base = archive.joinpath(*placement.rel.split("/"))
    found = []
    stack = [scan(base).tree]
    while stack:
        folder = stack.pop()
        images = {c.nfc_name.casefold() for c in folder.children if c.ext in kinds.IMAGE}
        for entry in folder.children:
            if entry.kind == "dir":
                stack.append(entry)
                continue
            if (entry.kind != "file" or kinds.is_junk(entry.name)
                    or entry.name == kinds.NOTE_FILE or entry.name.startswith(".")
                    or kinds.KIND_BY_EXT.get(entry.ext) is None):
                continue
            if images and kinds.is_sidecar(entry, images):
                continue  # a photo's caption
            found.append((entry.rel, base.joinpath(*entry.rel.split("/"))))
    return [path for _, path in sorted(found, key=lambda f: naming.natural_key(f[0]))]


def _row(path: Path, serial: int, placement: Placement, pattern: str | None,
         unit: str | None, items: Counter[tuple[str, str]], codes: list[str],
         pages: dict[Path, int] | None) -> Row:
    stem = repaired(path.stem)  # a GBK name: its reading (the catalogue is read by people)
    parsed = naming.parse(stem)
    facts = _facts(path)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    date, source = dating.date8(stem, _year_folder(path), facts.get("date"), mtime)
    year = date[:4]
    indicator = placement.indicator.code
    items[(indicator, year)] += 1
    values = {"indicator": indicator, "number": parsed.number or items[(indicator, year)],
              "year": year, "item": items[(indicator, year)], "seq": serial}
    try:
        code = (pattern or DEFAULT_CODE).format(**values)
    except (KeyError, ValueError, IndexError):  # cwa.yaml is checked; this is a last guard
        code = DEFAULT_CODE.format(**values)
    notes = [NOTES[c] for c in codes if c in NOTES]
    if facts.get("damaged"):
        notes.append(NOTES["damaged"])
    if source == "mtime":
        notes.append(NOTES["mtime"])
    counted = (pages or {}).get(path)
    if counted is not None:
        shown = str(counted)
    elif "pages" in facts:
        shown = facts["pages"]
        if facts.get("pages_estimate"):
            notes.append(NOTES["estimate"])
    else:
        shown = ""
        if path.suffix.lower() in (".docx", ".doc", ".wps", ".xlsx", ".pptx", ".odt"):
            notes.append(NOTES["no_pages"])
    author = unit or facts.get("author", "")
    return Row(serial, code, facts.get("number", ""), author, parsed.title, date, shown,
               notes, path)


def _year_folder(path: Path) -> int | None:
    for parent in path.parents:
        year = naming.year_folder(parent.name)
        if year:
            return year
    return None


def _cover(values: dict[str, str]) -> list[tuple[str, str]]:
    """Every field of the 目录封面; what cwa.yaml does not say is left to fill in by hand."""
    return [(label, values.get(key, "")) for key, label in COVER]


def _facts(path: Path) -> dict[str, str]:
    ext = path.suffix.lower()
    try:
        if path.stat().st_size == 0:
            return {}
        if ext in (".docx", ".xlsx", ".pptx"):
            return _ooxml(path)
        if ext == ".pdf":
            return _pdf(path)
        if ext in kinds.IMAGE:
            return _image(path)
    except Exception:  # a damaged document still gets its row, and 备注 says so
        return {"damaged": "1"}
    return {}


def _ooxml(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    with zipfile.ZipFile(path) as package:
        check_open(package)  # declared sizes and DOCTYPE first: a zip bomb is not read
        names = set(package.namelist())
        if "docProps/core.xml" in names:
            core = ElementTree.fromstring(package.read("docProps/core.xml"))
            created = core.findtext("dcterms:created", "", NS)
            if re.match(r"\d{4}-\d{2}-\d{2}", created):
                out["date"] = created[:10].replace("-", "")
            author = (core.findtext("dc:creator", "", NS) or "").strip()
            if author.casefold() not in MACHINE_AUTHORS:
                out["author"] = author
        if "docProps/app.xml" in names and path.suffix.lower() == ".docx":
            app = ElementTree.fromstring(package.read("docProps/app.xml"))
            pages = app.findtext("ep:Pages", "", NS)
            if pages.isdigit() and int(pages) > 0:
                out["pages"], out["pages_estimate"] = pages, "1"
        if "word/document.xml" in names:
            xml = read_part(package, "word/document.xml", 200_000).decode("utf-8", "replace")
            text = re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n"))  # a line a paragraph
            number = docnumber.find(text)
            if number:
                out["number"] = number
        elif not names & {"xl/workbook.xml", "ppt/presentation.xml"}:
            out["damaged"] = "1"
    return out


def _pdf(path: Path) -> dict[str, str]:
    import logging
    import warnings

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(str(path), strict=False)
        out = {"pages": str(len(reader.pages))}
        created = reader.metadata.creation_date if reader.metadata else None
    if created is not None:
        out["date"] = created.strftime("%Y%m%d")
    return out


def _image(path: Path) -> dict[str, str]:
    from PIL import Image

    from cwa.probes.image import taken

    with Image.open(path) as im:
        im.load()  # a truncated photo does not open: 备注 says so
        when = taken(im)
    out = {"pages": "1"}
    day = caption.date_text(when) if when else None
    if when and day:
        out["date"] = when[:4] + when[5:7] + when[8:10]
    return out


# -- output -------------------------------------------------------------------------------

def to_csv(catalogue: Catalogue) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["指标", *COLUMNS])
    for group in catalogue.groups:
        for row in group.rows:
            writer.writerow([_not_formula(c) for c in (group.indicator, *row.cells())])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


#: How spreadsheets recognise a formula in a cell of a CSV file.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _not_formula(text: str) -> str:
    """A cell Excel and WPS show as text: a document's author ``=1+1`` or a name
    ``=HYPERLINK(…)`` gets a leading apostrophe (OWASP's advice for CSV injection)."""
    return "'" + text if text.startswith(_FORMULA) else text


def to_xlsx(catalogue: Catalogue, title: str) -> bytes:
    """The catalogue as a workbook: its 目录封面 when there is one, then the table.

    openpyxl writes the workbook (named styles, the cover, widths, frozen and repeated
    header, print settings, the merged group lines) in its write-only mode; the table's
    rows, one or more for each file of the archive, are then written straight into the
    sheet's XML, each cell carrying one of those styles. openpyxl would spend some
    twenty microseconds on each cell: a catalogue of tens of thousands of files would
    take several times as long as its .csv."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    _xlsx_styles(book)
    if catalogue.cover:
        _xlsx_cover(book.create_sheet("目录封面"), catalogue.cover, title)
    sheet = book.create_sheet("归档文件目录")
    if catalogue.cover:
        book.active = 1
    for i, width in enumerate(XLSX_WIDTHS):  # what goes above the rows: before the first
        sheet.column_dimensions[_COLUMN_LETTERS[i]].width = width
    sheet.freeze_panes = "A3"
    sheets.a4_landscape(sheet, 0.7, 0.8)  # inches: about 1.8 cm and 2 cm

    def cell(value: object, style: str) -> WriteOnlyCell:
        made = WriteOnlyCell(sheet, value)
        made.style = style
        return made

    last = _COLUMN_LETTERS[len(COLUMNS) - 1]
    sheet.row_dimensions[1].height = 36
    sheet.append([cell(title, "cwa-title")])
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.append([cell(name, "cwa-head") for name in COLUMNS])
    ids = {name: cell(None, name).style_id for name in ("cwa-group", "cwa-left", "cwa-centre")}
    rows, merges = _xlsx_rows(catalogue, ids, 3)
    for merged in merges:
        sheet.merged_cells.add(merged)
    sheet.print_title_rows = "2:2"
    out = io.BytesIO()
    book.save(out)
    return _with_rows(out.getvalue(), f"xl/worksheets/sheet{len(book.worksheets)}.xml", rows)


_COLUMN_LETTERS = "ABCDEFGHIJ"


def _xlsx_rows(catalogue: Catalogue, ids: dict[str, int], first: int
               ) -> tuple[str, list[str]]:
    """The table's rows from row ``first`` on, as the sheet's XML (inline strings, as
    openpyxl writes them), and the ranges of its merged group lines."""
    letters = _COLUMN_LETTERS[:len(COLUMNS)]
    last = letters[-1]
    numeric = {COLUMNS.index("序号"), COLUMNS.index("页数")}
    styles = [ids["cwa-centre" if name in CENTRED else "cwa-left"] for name in COLUMNS]
    group_style = ids["cwa-group"]
    out: list[str] = []
    merges: list[str] = []
    at = first - 1
    for group in catalogue.groups:
        at += 1
        out.append(f'<row r="{at}"><c r="A{at}" s="{group_style}" t="inlineStr">'
                   f"{_inline(printable(group.indicator))}</c>"
                   + "".join(f'<c r="{c}{at}" s="{group_style}"/>' for c in letters[1:])
                   + "</row>")
        merges.append(f"A{at}:{last}{at}")
        for row in group.rows:
            at += 1
            cells = row.cells()
            lines = max(sheets.lines(text, width) for text, width in zip(cells, XLSX_WIDTHS,
                                                                   strict=True))
            xml = [f'<row r="{at}" ht="{LINE_PT * lines + 3:g}" customHeight="1">']
            for i, value in enumerate(cells):
                ref = f'<c r="{letters[i]}{at}" s="{styles[i]}"'
                if not value:
                    xml.append(ref + "/>")
                elif i in numeric and value.isdecimal():
                    xml.append(f"{ref}><v>{int(value)}</v></c>")
                else:
                    xml.append(f'{ref} t="inlineStr">{_inline(value)}</c>')
            xml.append("</row>")
            out.append("".join(xml))
    return "".join(out), merges


def _inline(text: str) -> str:
    """A cell's text (``Row.cells``: what XML cannot hold already shown as an escape) as
    an inline string, escaped for XML."""
    text = escape(text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<is><t{space}>{text}</t></is>"


def _with_rows(workbook: bytes, part: str, rows: str) -> bytes:
    """``workbook`` with ``rows`` added at the end of its sheet ``part``."""
    import io

    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                text = data.decode("utf-8")
                if "</sheetData>" not in text:
                    raise ValueError(f"{part}: no rows")  # openpyxl wrote it: cannot happen
                data = text.replace("</sheetData>", rows + "</sheetData>", 1).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def _xlsx_styles(book: Any) -> None:
    """The workbook's named styles (a cell's style is then one number)."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    thin = Side(style="thin", color="000000")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)
    centre = Alignment(horizontal="center", vertical="center")
    song = "宋体"
    styles = [
        NamedStyle("cwa-title", font=Font(name=song, size=18, bold=True), alignment=centre),
        NamedStyle("cwa-head", font=Font(name="黑体", size=11), alignment=centre, border=box),
        NamedStyle("cwa-group", font=Font(name="黑体", size=11), border=box),
        NamedStyle("cwa-left", font=Font(name=song, size=10.5), border=box, alignment=Alignment(
            wrap_text=True, vertical="center", horizontal="left")),
        NamedStyle("cwa-centre", font=Font(name=song, size=10.5), border=box,
                   alignment=Alignment(wrap_text=True, vertical="center",
                                       horizontal="center")),
        NamedStyle("cwa-cover-title", font=Font(name=song, size=26, bold=True),
                   alignment=centre),
        NamedStyle("cwa-cover-label", font=Font(name="黑体", size=16),
                   alignment=Alignment(horizontal="right", vertical="bottom")),
        NamedStyle("cwa-cover-value", font=Font(name="仿宋", size=16),
                   alignment=Alignment(horizontal="center", vertical="bottom"),
                   border=Border(bottom=thin)),
    ]
    for style in styles:
        book.add_named_style(style)


def _xlsx_cover(sheet: Any, cover: list[tuple[str, str]], title: str) -> None:
    """The 目录封面: the title, then a line to fill in for each entry (write-only: the
    sheet's widths and print settings first, then its rows in order)."""
    from openpyxl.cell import WriteOnlyCell

    def cell(value: object, style: str) -> WriteOnlyCell:
        made = WriteOnlyCell(sheet, value)
        made.style = style
        return made

    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 60
    sheets.a4_landscape(sheet, 0.7, 0.8)  # inches: about 1.8 cm and 2 cm
    sheet.row_dimensions[3].height = 60
    sheet.append([])
    sheet.append([])
    sheet.append([None, cell(title, "cwa-cover-title")])
    sheet.merged_cells.add("B3:C3")
    sheet.append([])
    sheet.append([])
    for i, (label, value) in enumerate(cover, start=6):  # blank values: lines to fill in
        sheet.row_dimensions[i].height = 36
        sheet.append([None, cell(f"{label}：", "cwa-cover-label"),
                      cell(value, "cwa-cover-value")])


def to_docx(catalogue: Catalogue, title: str, name: str) -> bytes:
    import io

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm

    from cwa.office import typeset
    from cwa.office.stamp import stamp_footer

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(2)
    section.footer_distance = Cm(1.2)
    typeset.prepare(document)
    typeset.style(document, "Title", typeset.SONG, 18, bold=True, center=True, after=12)
    cell_style = typeset.style(document, "cwa 表格", typeset.SONG, 10.5, before=2, after=2)
    cell_style.paragraph_format.line_spacing = 1.0
    typeset.style(document, "cwa 封面", typeset.SONG, 16, center=True, after=14)
    body = document.paragraphs[0] if document.paragraphs else None
    if catalogue.cover:
        _docx_cover(document, catalogue.cover, title)
    heading = document.add_paragraph(title, style="Title")
    heading.paragraph_format.page_break_before = bool(catalogue.cover)
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_grid(table, DOCX_WIDTHS)
    _fill(table.rows[0], list(COLUMNS), cell_style, header=True)
    _row_rules(table.rows[0], header=True)
    for group in catalogue.groups:
        row = table.add_row()
        cells = _cells(row, table)
        merged = cells[0].merge(cells[-1])
        _fill_cell(merged, group.indicator, cell_style, bold=True)
        merged.paragraphs[0].paragraph_format.keep_with_next = True  # not alone at a page end
        _row_rules(row)
        for item in group.rows:
            added = table.add_row()
            _fill(added, item.cells(), cell_style)
            _row_rules(added)
    if body is not None and not body.text:
        body._p.getparent().remove(body._p)
    stamp_footer(section.footer, name, 1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_cover(document: Any, cover: list[tuple[str, str]], title: str) -> None:
    """The 目录封面: the title, then each field on a line to write on (a borderless table,
    labels right-aligned, values on a rule)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from cwa.office import typeset

    top = document.add_paragraph(style="cwa 封面")
    top.paragraph_format.space_before = Pt(100)
    top.paragraph_format.space_after = Pt(50)
    typeset.font(top.add_run(title), typeset.SONG, 26, bold=True)
    table = document.add_table(rows=len(cover), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_grid(table, (5.0, 9.0))
    for row, (label, value) in zip(table.rows, cover, strict=True):
        name, field_ = row.cells
        for cell in row.cells:  # the text sits on the rule
            cell.paragraphs[0].style = "cwa 封面"
            cell.paragraphs[0].paragraph_format.space_before = Pt(16)
            cell.paragraphs[0].paragraph_format.space_after = Pt(1)
        name.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        typeset.font(name.paragraphs[0].add_run(f"{label}："), typeset.HEI)
        if value:
            typeset.font(field_.paragraphs[0].add_run(value), typeset.FANGSONG)
        borders = OxmlElement("w:tcBorders")
        bottom = OxmlElement("w:bottom")
        for key, val in (("w:val", "single"), ("w:sz", "6"), ("w:color", "000000")):
            bottom.set(qn(key), val)
        borders.append(bottom)
        field_._tc.get_or_add_tcPr().append(borders)


def _fixed_grid(table: Any, widths: tuple[float, ...]) -> None:
    """Widths Word and LibreOffice honour: the table grid (``w:tblGrid``), a fixed layout
    and the table's width — cell widths alone are ignored by the grid."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    tblpr = table._tbl.tblPr
    total = tblpr.find(qn("w:tblW"))
    if total is None:
        total = OxmlElement("w:tblW")
        tblpr.append(total)
    total.set(qn("w:type"), "dxa")
    total.set(qn("w:w"), str(round(sum(widths) / 2.54 * 1440)))
    layout = tblpr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tblpr.append(layout)
    layout.set(qn("w:type"), "fixed")


def _cells(row: Any, table: Any) -> list[Any]:
    """A row's cells, from its own XML: python-docx's ``row.cells`` lays out the whole
    table's grid each time (a catalogue of 5,000 rows took minutes)."""
    from docx.table import _Cell

    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def _fill(row: Any, values: list[str], style: Any, header: bool = False) -> None:
    from docx.shared import Cm

    widths = DOCX_WIDTHS
    for i, (cell, text) in enumerate(zip(_cells(row, row.table), values, strict=True)):
        cell.width = Cm(widths[i])
        _fill_cell(cell, text, style, bold=header, centre=header or COLUMNS[i] in CENTRED)


def _fill_cell(cell: Any, text: str, style: Any, bold: bool = False,
               centre: bool = False) -> None:
    """``style``: the style object (set by name, python-docx searches every style, for
    each of a catalogue's tens of thousands of cells)."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from cwa.office import typeset

    paragraph = cell.paragraphs[0]
    paragraph._p.get_or_add_pPr().style = style.style_id  # by id: no search of the styles
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        typeset.font(paragraph.add_run(text), typeset.HEI if bold else typeset.SONG)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _row_rules(row: Any, header: bool = False) -> None:
    """A row never breaks across pages; the header row repeats on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    for tag in (("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)
