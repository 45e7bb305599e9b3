"""A document's year and date: one rule for ``cwa check`` and ``cwa catalog``.

What the clerk wrote wins over what a program recorded: the year folder a document sits
in (``2024``, ``2024年``), else a year in its name (``2021年度…表彰决定``). Only where
neither says does the document's own date count (docx core properties, PDF creation date,
EXIF date taken — Word stamps "created" when a file is copied or re-saved, so it is often
years off), and last its modification time, which is weak and said to be.
"""

from __future__ import annotations

import re
import time

from cwa import naming

_FULL_DATE = re.compile(r"((?:19|20)\d{2})\s*[年.\-/]?\s*(\d{1,2})\s*[月.\-/]?\s*(\d{1,2})\s*日?")


def named_year(stem: str, folder_year: int | None) -> int | None:
    """The year the clerk gave a document: its year folder, else a year in its name."""
    return folder_year or naming.year_in_name(stem)


def date8(stem: str, folder_year: int | None, content: str | None, mtime: float
          ) -> tuple[str, str]:
    """The document's date as DA/T 22 writes it (``20240305``; ``20240000`` when only the
    year is known) and where its year came from: ``"name"``, ``"content"`` or ``"mtime"``.
    ``content`` is the document's own date (``YYYYMMDD``) when it has one."""
    year = named_year(stem, folder_year)
    if year is not None:
        written = _FULL_DATE.search(naming.ascii_digits(stem))
        if written and int(written.group(1)) == year and _valid(written):
            return f"{year}{int(written.group(2)):02d}{int(written.group(3)):02d}", "name"
        if content and content[:4] == str(year):
            return content, "name"  # the document's own date agrees with its year
        return f"{year}0000", "name"
    if content:
        return content, "content"
    return time.strftime("%Y%m%d", time.localtime(mtime)), "mtime"


def _valid(found: re.Match[str]) -> bool:
    return 1 <= int(found.group(2)) <= 12 and 1 <= int(found.group(3)) <= 31
