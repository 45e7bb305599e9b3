"""Points as 测评体系 write them: a 分值 column (``4``, ``4分``, ``０.５``) or inside the
text — ``（4分）``, ``(0.5分)``, ``共6分``, a trailing ``4分`` — never ``扣5分`` or ``加1分``,
which are deductions and bonuses, nor ``不得分``."""

from __future__ import annotations

import re

from cwa import naming

_NUM = r"(\d{1,4}(?:\.\d{1,2})?)"
_PAREN = re.compile(rf"[（(]\s*(?:共|计|满分|分值[:：]?)?\s*{_NUM}\s*分\s*[)）]")
_TOTAL = re.compile(rf"(?:共|合计|满分|计)\s*{_NUM}\s*分")
_TRAIL = re.compile(rf"(?<![扣减加得计每\d.])\s*{_NUM}\s*分\s*[。；;，,]?\s*$")
_DEDUCT = re.compile(rf"(?:扣|减)(?:除)?\s*{_NUM}\s*分")
_LEADING = re.compile(rf"^\s*{_NUM}\s*分?")


def value(text: str) -> float | None:
    """A 分值 cell: its number, or None (``—``, ``不计分``, empty)."""
    m = _LEADING.match(naming.ascii_digits(text).replace("．", "."))
    return float(m.group(1)) if m else None


def in_text(text: str) -> tuple[float | None, str]:
    """The points a text states and the text without that statement: ``组织管理（4分）``
    → (4, "组织管理"). Two statements that differ say nothing sure: (None, text)."""
    plain = naming.ascii_digits(text).replace("．", ".")
    found = list(_PAREN.finditer(plain))
    if len(found) == 1:
        m = found[0]
        return float(m.group(1)), (plain[: m.start()] + plain[m.end():]).strip()
    if len(found) > 1:
        return None, text
    totals = list(_TOTAL.finditer(plain))
    if len(totals) == 1:
        m = totals[0]
        return float(m.group(1)), (plain[: m.start()] + plain[m.end():]).strip(" ，,。")
    trail = _TRAIL.search(plain)
    if trail and len(plain) - len(trail.group(0)) >= 2:
        return float(trail.group(1)), plain[: trail.start()].strip()
    return None, text


def stated(text: str) -> float | None:
    """The points a clause's text states (``（0.5分）``), its text left as written."""
    return in_text(text)[0]


def deduction(text: str) -> float | None:
    """``未建立…的扣5分`` → 5: what an unmet clause costs, when it says one amount."""
    amounts = {float(m.group(1)) for m in _DEDUCT.finditer(naming.ascii_digits(text))}
    return amounts.pop() if len(amounts) == 1 else None


def number(value: float) -> str:
    return f"{value:g}"
