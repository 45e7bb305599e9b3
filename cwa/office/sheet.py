"""What every worksheet cwa writes needs to print and read well: rows tall enough for
their wrapped text (Excel and LibreOffice do not grow rows a program wrote) and A4
landscape, fitted to the page's width."""

from __future__ import annotations

import re
from typing import Any

#: Characters one column wide; the rest (汉字, full-width forms) take two.
_NARROW = re.compile(r"[\x00-\u2e7f]+")


def lines(value: object, width: int) -> int:
    """How many lines ``value`` needs, wrapped in a cell ``width`` characters wide (a
    cell loses one to its padding); each line break starts a line."""
    if not isinstance(value, str):
        return 1
    total = 0
    for line in value.split("\n"):
        shown = len(line) if line.isascii() else len(line) + len(_NARROW.sub("", line))
        total += max(1, -(-shown // max(1, width - 1)))
    return total


def a4_landscape(sheet: Any, sides: float = 0.4, ends: float | None = None) -> None:
    """Print on A4 landscape, as wide as the page, centred; ``sides`` (and ``ends``, top
    and bottom) margins in inches."""
    sheet.page_setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = sides
    if ends is not None:
        margins.top = margins.bottom = ends
