"""A .csv as one grid (any encoding Windows saves: ``cwa.decoding``). CSV has no merges:
an empty cell under a filled one continues it, as a merged cell would."""

from __future__ import annotations

import csv
import io

from cwa import decoding
from cwa.errors import CwaError
from cwa.messages import t
from cwa.rubric.importer.grid import Cell, Grid, clean

MAX_ROWS = 5_000


def read(data: bytes, shown: str) -> Grid:
    text = decoding.decode(data, shown).text
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",\t;，")
    except csv.Error:
        dialect = csv.excel
    grid = Grid(t("import.csv_label"), "csv")
    try:
        for r, row in enumerate(csv.reader(io.StringIO(text), dialect)):
            if r >= MAX_ROWS:
                break
            grid.rows.append([Cell(clean(value), (r, c)) for c, value in enumerate(row)])
    except csv.Error as exc:  # a field over the csv module's limit, a stray NUL…
        raise CwaError("import.damaged", path=shown, error=str(exc)[:200]) from None
    while grid.rows and not any(cell.text for cell in grid.rows[-1]):
        grid.rows.pop()
    grid.square()
    return grid
