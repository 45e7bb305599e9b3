"""A table as read from a file: a rectangle of cells, each knowing the merge it belongs to.

Word and Excel merge cells; every format reads into this one shape, so that the rest of
the importer never asks where a table came from. A cell covered by a merge carries the
merge's text and the grid position of its first cell (``origin``): two cells with one
origin are one cell of the source table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Control and invisible characters a cell may hold (tabs, zero-width spaces, BOMs): a
#: rubric's strings may not, so they become spaces or go.
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2069\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def clean(text: str) -> str:
    """A cell's text as a rubric may hold it: lines kept, each trimmed; no controls."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub(" ", text.replace("\t", " "))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Cell:
    text: str
    origin: tuple[int, int]  # (row, column) of the merge's first cell; its own when alone


@dataclass
class Grid:
    """One table. ``label`` names it for a person (``表1``, ``工作表“细则”``); ``kind``
    says how to name its cells (``docx``: 第3行第2列; ``xlsx``: B3)."""

    label: str
    kind: str
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def square(self) -> None:
        """Every row as wide as the widest (short rows padded with empty cells)."""
        width = self.width
        for r, row in enumerate(self.rows):
            row.extend(Cell("", (r, c)) for c in range(len(row), width))


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel names columns)."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out
