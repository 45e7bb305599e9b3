"""The 归档文件目录 (DA/T 22): one row per document, grouped under its indicator.

Columns 序号、档号、文号、责任者、题名、日期、页数、密级、备注. 题名 is the document's
topic (its name without the number); 日期 is eight digits from the document's own date
(docx core properties, PDF creation date, EXIF), else its year (``20240000``); 页数 from the
docx's app properties, the PDF's page count, 1 for a photo; 文号 is looked for in the
first lines of a .docx (``清税发〔2024〕12号``); 责任者 is the document's author, else the
unit named in cwa.yaml. 档号 follows the pattern in cwa.yaml (``catalog: {code: …}``).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from cwa import kinds, naming
from cwa.match import Layout, Placement
from cwa.office.package import check_open, read_part

COLUMNS = ("序号", "档号", "文号", "责任者", "题名", "日期", "页数", "密级", "备注")
DEFAULT_CODE = "{indicator}-{number:02d}"
DOCX_WIDTHS = (1.2, 2.8, 3.2, 2.6, 9.0, 2.2, 1.2, 1.2, 2.6)
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\d{4}[〕\]］】)）]\s*\d{1,5}\s*号")
NS = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
      "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}
MACHINE_AUTHORS = frozenset({"python-docx", "openpyxl", "Apache POI", ""})


@dataclass
class Group:
    indicator: str  # "1.3 组织机构建设"
    path: str
    rows: list[list[str]] = field(default_factory=list)


def build(archive: Path, layout: Layout, code_pattern: str | None, unit: str | None
          ) -> list[Group]:
    groups: list[Group] = []
    serial = 0
    for placement in layout.walk():
        if not placement.indicator.is_leaf or placement.folder is None:
            continue
        group = Group(f"{placement.indicator.code} {placement.indicator.wording}",
                      placement.rel)
        for number, path in enumerate(_documents(archive, placement), start=1):
            serial += 1
            group.rows.append(_row(path, serial, number, placement, code_pattern, unit))
        if group.rows:  # a catalogue lists documents: an empty indicator has no line
            groups.append(group)
    return groups


def _documents(archive: Path, placement: Placement) -> list[Path]:
    assert placement.folder is not None
    base = archive.joinpath(*placement.rel.split("/"))
    found = []
    for path in base.rglob("*"):
        if (not path.is_file() or path.is_symlink() or kinds.is_junk(path.name)
                or path.name == kinds.NOTE_FILE or path.name.startswith(".")):
            continue
        if kinds.KIND_BY_EXT.get(path.suffix.lower()) is None:
            continue
        if path.suffix.lower() == ".txt" and any(
                path.with_suffix(ext).exists() for ext in kinds.IMAGE):
            continue  # a photo's caption
        found.append(path)
    return sorted(found, key=lambda p: naming.natural_key(p.relative_to(base).as_posix()))


def _row(path: Path, serial: int, number: int, placement: Placement, pattern: str | None,
         unit: str | None) -> list[str]:
    stem = path.stem
    parsed = naming.parse(stem)
    facts = _facts(path)
    year = facts.get("date", "")[:4] or str(naming.year_in_name(stem) or
                                           _year_folder(path) or "")
    date = facts.get("date") or (f"{year}0000" if year else "")
    values = {"indicator": placement.indicator.code, "number": parsed.number or number,
              "year": year, "seq": serial}
    try:
        code = (pattern or DEFAULT_CODE).format(**values)
    except (KeyError, ValueError, IndexError):
        code = DEFAULT_CODE.format(**values)
    author = facts.get("author") or unit or ""
    return [str(serial), code, facts.get("number", ""), author, parsed.title, date,
            facts.get("pages", ""), "", ""]


def _year_folder(path: Path) -> int | None:
    for parent in path.parents:
        year = naming.year_folder(parent.name)
        if year:
            return year
    return None


def _facts(path: Path) -> dict[str, str]:
    ext = path.suffix.lower()
    try:
        if ext in (".docx", ".xlsx", ".pptx"):
            return _ooxml(path)
        if ext == ".pdf":
            return _pdf(path)
        if ext in kinds.IMAGE:
            return _image(path)
    except Exception:  # a damaged document still gets its row, without these facts
        return {}
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
            if author not in MACHINE_AUTHORS:
                out["author"] = author
        if "docProps/app.xml" in names:
            app = ElementTree.fromstring(package.read("docProps/app.xml"))
            pages = app.findtext("ep:Pages", "", NS)
            if pages.isdigit() and int(pages) > 0:
                out["pages"] = pages
        if "word/document.xml" in names:
            xml = read_part(package, "word/document.xml", 200_000).decode("utf-8", "replace")
            text = re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n"))  # a line a paragraph
            found = DOC_NUMBER.search(text[:3000])
            if found:
                out["number"] = re.sub(r"\s+", "", found.group(0))
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
        when = taken(im)
    out = {"pages": "1"}
    if when and len(when) >= 10 and when[5:7].isdigit() and when[8:10].isdigit():
        out["date"] = when[:4] + when[5:7] + when[8:10]
    return out


# -- output -------------------------------------------------------------------------------

def to_csv(groups: list[Group]) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["指标", *COLUMNS])
    for group in groups:
        for row in group.rows:
            writer.writerow([group.indicator, *row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def to_xlsx(groups: list[Group], title: str) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = Workbook()
    sheet = book.active
    sheet.title = "归档文件目录"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(COLUMNS))
    thin = Side(style="thin", color="999999")
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF4")
        cell.alignment = Alignment(horizontal="center")
    for group in groups:
        sheet.append([group.indicator])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row,
                          end_column=len(COLUMNS))
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for row in group.rows:
            sheet.append([int(v) if i in (0, 6) and v.isdigit() else v
                          for i, v in enumerate(row)])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center",
                                       horizontal=cell.alignment.horizontal)
    # widths in characters; a 汉字 is about two
    for letter, width in zip("ABCDEFGHI", (6, 16, 18, 16, 48, 11, 6, 6, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_docx(groups: list[Group], title: str, name: str) -> bytes:
    import io

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    from cwa.office.stamp import stamp_footer

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(1.8)
    heading = document.add_heading(title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = text
    _repeat_header(table.rows[0])
    for group in groups:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        merged.text = group.indicator
        for item in group.rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, item, strict=True):
                cell.text = text
    for row in table.rows:  # widths in cm: 题名 gets the room (A4 landscape: 26 cm)
        cells = row.cells
        if cells[0]._tc is cells[-1]._tc:
            continue  # a group's heading spans the row
        for cell, width in zip(cells, DOCX_WIDTHS, strict=True):
            cell.width = Cm(width)
    stamp_footer(section.footer, name, 1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
