"""The tables of a .docx as grids, merges and all.

Read from the document's XML (through python-docx, after ``cwa.office.package.check``):
``w:gridBefore`` and ``w:gridSpan`` place each cell on the table's grid, ``w:vMerge``
continues a cell downwards (``restart`` starts one), the old ``w:hMerge`` continues it
sideways. Tables inside table cells are read as the cell's text. The paragraphs before the
first table may hold the 测评体系's title.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cwa.messages import t
from cwa.rubric.importer.grid import Cell, Grid, clean

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_ROWS = 5_000  # rows read from one table: real 测评体系 have a few hundred


@dataclass
class WordFile:
    grids: list[Grid] = field(default_factory=list)
    title: str = ""  # the first paragraphs before the first table that read as a title
    paragraphs: list[str] = field(default_factory=list)  # body text outside tables


def read(data: bytes) -> WordFile:
    from docx import Document  # heavy: only when a .docx is imported

    document = Document(io.BytesIO(data))
    body = document.element.body
    out = WordFile()
    before_table: list[str] = []
    for child in body.iterchildren():
        if child.tag == f"{W}tbl":
            out.grids.append(_grid(child, len(out.grids) + 1))
        elif child.tag == f"{W}p":
            text = clean(_paragraph_text(child))
            if text:
                out.paragraphs.append(text)
                if not out.grids:
                    before_table.append(text)
        else:  # content controls (w:sdt) may wrap tables
            for tbl in _top_tables(child):
                out.grids.append(_grid(tbl, len(out.grids) + 1))
    out.title = title(before_table) or (document.core_properties.title or "").strip()
    return out


def title(paragraphs: list[str]) -> str:
    """The paragraph that names the 测评体系, if one before the table does."""
    for text in paragraphs[:6]:
        if len(text) <= 60 and any(w in text for w in ("测评", "考评", "考核", "细则",
                                                        "体系", "标准", "评分")):
            return text.replace("\n", "")
    return ""


def _top_tables(element: Any) -> Iterator[Any]:
    for tbl in element.iter(f"{W}tbl"):
        parent = tbl.getparent()
        nested = False
        while parent is not None and parent is not element:
            if parent.tag == f"{W}tbl":
                nested = True
                break
            parent = parent.getparent()
        if not nested:
            yield tbl


def _paragraph_text(p: Any) -> str:
    parts: list[str] = []
    for node in p.iter():
        tag = node.tag
        if tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif tag in (f"{W}tab", f"{W}ptab"):
            parts.append(" ")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc: Any) -> str:
    return clean("\n".join(_paragraph_text(p) for p in tc.iter(f"{W}p")))


def _val(element: Any, path: str) -> str | None:
    found = element.find(path)
    if found is None:
        return None
    value = found.get(f"{W}val")
    return "" if value is None else str(value)


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, min(int(value or ""), 64))
    except ValueError:
        return default


def _grid(tbl: Any, number: int) -> Grid:
    grid = Grid(t("import.table_label", number=number), "docx")
    above: dict[int, Cell] = {}  # column → the cell last placed there
    for r, tr in enumerate(tbl.findall(f"{W}tr")):
        if r >= MAX_ROWS:
            break
        row: list[Cell] = []
        before = _val(tr, f"{W}trPr/{W}gridBefore")
        for c in range(_int(before, 0) if before else 0):
            row.append(Cell("", (r, c)))
        for tc in tr.findall(f"{W}tc"):
            span = _int(_val(tc, f"{W}tcPr/{W}gridSpan"), 1)
            vmerge = _val(tc, f"{W}tcPr/{W}vMerge")
            hmerge = _val(tc, f"{W}tcPr/{W}hMerge")
            c = len(row)
            if vmerge is not None and vmerge != "restart" and c in above:
                cell = above[c]  # continues the cell above
            elif hmerge is not None and hmerge != "restart" and row:
                cell = row[-1]
            else:
                cell = Cell(_cell_text(tc), (r, c))
            for _ in range(span):
                above[len(row)] = cell
                row.append(cell)
        grid.rows.append(row)
    grid.square()
    return grid
