"""The summary as a workbook, one sheet per view — per rubric, the ranking and the heat
map of units × top-level indicators; the units behind on cadence items; the units that
could not be read — each with a filter on its header row (sort and filter in Excel or
Calc), printed A4 landscape, one page wide, the header repeated on every page."""

from __future__ import annotations

import io
from typing import Any

from cwa.messages import t
from cwa.office import sheet as sheets
from cwa.printable import printable
from cwa.summary import cells
from cwa.summary.model import Group, Summary
from cwa.summary.row import Row

FORMULA = ("=", "+", "-", "@")  # what spreadsheets read as the start of a formula
#: Column widths in characters (a 汉字 counts two).
WIDTHS = {"rank": 6, "unit": 22, "types": 10, "estimate": 9, "share": 8, "complete": 8,
          "errors": 7, "warnings": 7, "behind": 9, "vetoes": 10, "changed": 12, "verify": 10,
          "lagging": 34, "source": 24}
WRAPPED = frozenset({"unit", "lagging", "source"})  # long text: wrapped, the row grown
SHEET_NAME = 31  # Excel's limit


def render(summary: Summary) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    several = len(summary.groups) > 1
    for number, group in enumerate(summary.groups, start=1):
        suffix = f" {number}" if several else ""
        _ranking(book.create_sheet(_name(t("summary.sheet.ranking") + suffix)), group,
                 summary)
        _heat(book.create_sheet(_name(t("summary.sheet.heat") + suffix)), group)
    behind = [(g, r) for g in summary.groups for r in g.rows if r["cadence"]]
    if behind:
        _behind(book.create_sheet(_name(t("summary.sheet.behind"))), behind)
    if summary.unreadable:
        _unreadable(book.create_sheet(_name(t("summary.sheet.unreadable"))), summary)
    if not book.worksheets:
        _unreadable(book.create_sheet(_name(t("summary.sheet.unreadable"))), summary)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _name(text: str) -> str:
    for bad in "[]:*?/\\":
        text = text.replace(bad, " ")
    return text[:SHEET_NAME]


def _ranking(sheet: Any, group: Group, summary: Summary) -> None:
    head, tail = cells.columns(group)
    columns = [*head, *tail, "lagging", "source"]
    titles = [cells.header(c) for c in columns]
    _title(sheet, group.title, t("summary.ranked_by_estimate" if group.scored
                                 else "summary.ranked_by_complete", count=group.total),
           len(columns))
    sheet.append(titles)
    for row in group.rows:
        values: list[object] = []
        for column in columns:
            if column == "lagging":
                values.append(cells.lagging(row))
            elif column == "source":
                values.append(row["source"]["path"])
            elif column in ("rank", "errors", "warnings"):
                values.append(int(cells.cell(row, column)))
            elif column == "behind":
                values.append(row["behind"] or None)
            elif column in ("share", "complete"):
                share = (row.get("estimate") or {}).get("share") if column == "share" \
                    else row["indicators"]["share"]
                values.append(share)
            elif column == "estimate" and row.get("estimate"):
                values.append(row["estimate"]["estimate"])
            else:
                values.append(cells.cell(row, column))
        sheet.append(_safe(values))
    _table(sheet, [WIDTHS[c] for c in columns],
           {i + 1: "0%" for i, c in enumerate(columns) if c in ("share", "complete")}
           | {i + 1: "0.00" for i, c in enumerate(columns) if c == "estimate"},
           wrapped={i + 1 for i, c in enumerate(columns) if c in WRAPPED})


def _heat(sheet: Any, group: Group) -> None:
    from openpyxl.styles import PatternFill

    titles = [cells.header("rank"), cells.header("unit")] + \
        [f"{i['code']} {i['name']}" for i in group.indicators]
    _title(sheet, group.title, t("summary.heat_sheet"), len(titles))
    sheet.append(titles)
    for row in group.rows:
        values: list[object] = [row["rank"], row["unit"]]
        values += [top["share"] if top else None for top in cells.tops(row, group)]
        sheet.append(_safe(values))
        for column, top in enumerate(cells.tops(row, group), start=3):
            cell = sheet.cell(sheet.max_row, column)
            if top is None or top["share"] is None:
                cell.value = "–"
                continue
            cell.fill = PatternFill("solid", fgColor=_heat_colour(float(top["share"])))
    _table(sheet, [6, 22] + [14] * len(group.indicators),
           dict.fromkeys(range(3, len(titles) + 1), "0%"), centre_from=3, wrapped={2})


def _behind(sheet: Any, behind: list[tuple[Group, Row]]) -> None:
    titles = [t("summary.col.rubric"), t("summary.col.unit"), t("summary.col.indicator"),
              t("summary.col.item"), t("summary.col.cadence"), t("summary.col.missing"),
              t("summary.col.behind")]
    _title(sheet, t("summary.behind_heading"), "", len(titles))
    sheet.append(titles)
    for group, row in behind:
        for item in row["cadence"]:
            sheet.append(_safe([group.title, row["unit"], item["indicator"], item["title"],
                                t(f"summary.cadence.{item['cadence']}"),
                                cells.periods(item), item["months"]]))
    _table(sheet, [24, 22, 8, 24, 8, 36, 9], {}, wrapped={1, 2, 4, 6})


def _unreadable(sheet: Any, summary: Summary) -> None:
    titles = [t("summary.col.unit"), t("summary.col.source"), t("summary.col.reason")]
    _title(sheet, t("summary.unreadable", count=len(summary.unreadable)), "", len(titles))
    sheet.append(titles)
    for row in summary.unreadable:
        sheet.append(_safe([row["unit"], row["source"]["path"], row["error"]]))
    _table(sheet, [22, 36, 70], {}, wrapped={1, 2, 3})


def _title(sheet: Any, title: str, meta: str, width: int) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append([printable(title)])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.merge_cells(f"A1:{get_column_letter(width)}1")
    sheet.append([printable(meta)])
    sheet.merge_cells(f"A2:{get_column_letter(width)}2")


def _safe(values: list[object]) -> list[object]:
    """Text from outside as text: no control characters (not valid in the file)."""
    return [printable(v) if isinstance(v, str) else v for v in values]


def _table(sheet: Any, widths: list[int], formats: dict[int, str],
           centre_from: int | None = None, wrapped: set[int] | None = None) -> None:
    """Borders, header style, widths, number formats, filter, freeze and A4 landscape."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    header = 3
    thin = Side(style="thin", color="A0AEC0")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)
    fill = PatternFill("solid", fgColor="E2E8F0")
    bold = Font(bold=True)
    last = sheet.max_row
    wrapped = wrapped or set()
    for row in sheet.iter_rows(min_row=header, max_row=last):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA):
                cell.data_type = "s"  # a unit's name is never a formula
            cell.border = box
            wrap = cell.row == header or cell.column in wrapped
            if cell.row > header and cell.column in wrapped:
                lines = max(lines, sheets.lines(cell.value, widths[cell.column - 1]))
            centre = cell.row == header or (centre_from is not None
                                            and cell.column >= centre_from)
            cell.alignment = Alignment(wrap_text=wrap, vertical="center",
                                       horizontal="center" if centre else None)
            if cell.row == header:
                cell.font = bold
                cell.fill = fill
            elif cell.column in formats and not isinstance(cell.value, str):
                cell.number_format = formats[cell.column]
        if row[0].row > header:  # Excel and Calc do not grow rows a program wrote
            sheet.row_dimensions[row[0].row].height = 15 * lines + 2
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.row_dimensions[header].height = 32
    if last > header:
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(widths))}{last}"
    sheet.freeze_panes = f"C{header + 1}"
    sheet.print_title_rows = f"{header}:{header}"
    sheets.a4_landscape(sheet)


def _heat_colour(share: float) -> str:
    """The heat map's colours as RGB: red (none) → yellow → green (complete), light."""
    import colorsys

    r, g, b = colorsys.hls_to_rgb(max(0.0, min(1.0, share)) / 3, 0.82, 0.7)
    return f"{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"
