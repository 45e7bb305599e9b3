"""The sheets of an .xlsx as grids: merged ranges give every covered cell its first cell's
text and position. Read with openpyxl after ``cwa.office.package.check``; values as the
sheet shows them (cached formula results), numbers without a trailing ``.0``."""

from __future__ import annotations

import datetime
import io

from cwa.messages import t
from cwa.rubric.importer.grid import Cell, Grid, clean

MAX_ROWS = 5_000
MAX_COLUMNS = 60


def read(data: bytes) -> list[Grid]:
    from openpyxl import load_workbook  # heavy: only when an .xlsx is imported

    book = load_workbook(io.BytesIO(data), data_only=True)
    grids = []
    try:
        for sheet in book.worksheets:
            grids.append(_grid(sheet))
    finally:
        book.close()
    return grids


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}" if value == value else ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else str(value)
    return clean(str(value))


def _grid(sheet: object) -> Grid:
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(sheet, Worksheet)
    grid = Grid(t("import.sheet_label", name=sheet.title), "xlsx")
    rows = min(sheet.max_row or 0, MAX_ROWS)
    columns = min(sheet.max_column or 0, MAX_COLUMNS)
    values = [list(r) for r in sheet.iter_rows(min_row=1, max_row=rows, max_col=columns,
                                               values_only=True)]
    grid.rows = [[Cell(text(v), (r, c)) for c, v in enumerate(row)]
                 for r, row in enumerate(values)]
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(grid.rows) or left >= columns:
            continue
        first = grid.rows[top][left]
        for r in range(top, min(merged.max_row, len(grid.rows))):
            for c in range(left, min(merged.max_col, columns)):
                if c < len(grid.rows[r]):
                    grid.rows[r][c] = first
    while grid.rows and not any(cell.text for cell in grid.rows[-1]):
        grid.rows.pop()  # openpyxl's max_row counts formatted empty rows
    grid.square()
    return grid
