"""Time in names: the month, quarter or half a file covers, an activity folder's date,
and which periods of a year are due by today.

Read from the names of the file and the sub-folders it sits in, as clerks write them:
``2024年3月``, ``2024-03``, ``202403``, ``3月``, ``第一季度``/``Q1``, ``上半年``;
an activity folder is dated ``2024-03-05 …``, ``20240305…``, ``2024年3月5日…`` or at
least ``2024年3月…``.
"""

from __future__ import annotations

import os
import re
from datetime import date

from cwa.rubric.model import PERIODS, Evidence

_YEAR_MONTH = r"((?:19|20)\d{2})\s*[年\-._]\s*(\d{1,2})(?!\d)"
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})?(?!\d)")
_MONTH = r"(?<!\d)(\d{1,2})\s*月"
_CN_MONTH = r"([一二三四五六七八九十]{1,3})月"
_QUARTER = r"(?:第\s*)?([一二三四1-4])\s*季度|[Qq]([1-4])(?!\d)"
_HALF = r"([上下])半年"
#: an activity folder's date: looked for in every check, so compiled now
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-._]\s*(\d{1,2})\s*[月\-._]?\s*(?:(\d{1,2})\s*日?)?")
#: (the other patterns are compiled on first use, through ``re``'s cache: only rubrics
#: with a cadence need them)
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
       "十": 10, "十一": 11, "十二": 12}


def today() -> date:
    """Today; ``CWA_TODAY=2025-06-30`` fixes it (a testing aid: the periods due depend
    on the date)."""
    fixed = os.environ.get("CWA_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def month_of(text: str) -> int | None:
    for pattern in (_YEAR_MONTH, _COMPACT):
        for m in re.finditer(pattern, text):
            if 1 <= int(m.group(2)) <= 12:
                return int(m.group(2))
    alone = re.search(_MONTH, text)
    if alone and 1 <= int(alone.group(1)) <= 12:
        return int(alone.group(1))
    cn = re.search(_CN_MONTH, text)
    if cn and cn.group(1) in _CN:
        return _CN[cn.group(1)]
    return None


def period_of(cadence: str, text: str) -> int | None:
    """The period (1-based: month, quarter, half) of a year that ``text`` names."""
    if cadence == "yearly":
        return 1
    if cadence == "quarterly":
        m = re.search(_QUARTER, text)
        if m:
            value = m.group(1) or m.group(2)
            return int(value) if value.isdigit() else _CN[value]
    if cadence == "half-yearly":
        m = re.search(_HALF, text)
        if m:
            return 1 if m.group(1) == "上" else 2
    month = month_of(text)
    if month is None:
        return None
    return {"monthly": month, "quarterly": (month - 1) // 3 + 1,
            "half-yearly": 1 if month <= 6 else 2}[cadence]


def last_month(cadence: str, period: int) -> int:
    """The month a period ends with."""
    return period * 12 // PERIODS[cadence]


def due(evidence: Evidence, year: int, now: date) -> list[int]:
    """The periods of ``year`` the item asks for and that have ended by ``now`` (or, with
    a ``deadline``, whose deadline month has ended). Only ``now``'s year and month count:
    a check's remembered parts hold for the month (``cwa.check``)."""
    cadence = evidence.cadence or "yearly"
    if year > now.year:
        return []
    out = []
    for period in range(1, PERIODS[cadence] + 1):
        end = last_month(cadence, period)
        if end < evidence.start:
            continue
        if cadence == "yearly":
            end = evidence.deadline or 0  # a yearly item is due all year unless a deadline
        if year == now.year and end >= now.month:
            continue
        out.append(period)
    return out


def activity_date(name: str) -> tuple[int, int, int | None] | None:
    """(year, month, day) of a dated folder name; None when it has no year and month."""
    m = _DATE.search(name)
    if m and 1 <= int(m.group(2)) <= 12:
        day = int(m.group(3)) if m.group(3) else None
        return int(m.group(1)), int(m.group(2)), day if day and 1 <= day <= 31 else None
    m = _COMPACT.search(name)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
    return None
