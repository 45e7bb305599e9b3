"""Numbering as 测评体系 write it: ``Ⅰ-1`` / ``Ⅱ—3``, ``一、`` ``（一）``, ``1.`` ``1、``
``1.2``, ``1)`` ``（1）``, ``①``. A level's cell starts with one; a standard's cell holds a
run of them (``1) … 2) … 3) …``), which is how its clauses are found."""

from __future__ import annotations

import re
from typing import NamedTuple

from cwa import naming

_CN = "一二三四五六七八九十"
_CN_VALUES = {c: i for i, c in enumerate(_CN, start=1)}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
_DASH = "-—–－―‐"


class Numbered(NamedTuple):
    style: str  # "roman" "cn" "cn-paren" "dotted" "arabic" "paren" "dparen" "circled" "space"
    code: str  # as written, normalised: "Ⅰ-1", "一", "1.2", "1"
    number: int | None  # its last number
    rest: str  # the text after it


_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (style, re.compile(pattern, re.S)) for style, pattern in (
        ("roman", rf"^\s*([{_ROMAN}]|[IVX]{{1,4}})\s*[{_DASH}]+\s*(\d{{1,3}})(?![\d.])"
                  r"\s*[、.．:：]?\s*(.*)$"),
        ("cn-paren", rf"^\s*[（(]\s*([{_CN}]{{1,3}})\s*[)）]\s*[、.．]?\s*(.*)$"),
        ("cn", rf"^\s*([{_CN}]{{1,3}})\s*[、.．]\s*(.*)$"),
        ("dparen", r"^\s*[（(]\s*(\d{1,3})\s*[)）]\s*[、.．]?\s*(.*)$"),
        ("dotted", r"^\s*(\d{1,3}(?:\.\d{1,3})+)(?![\d]|\s*分)\s*[、.．:：]?\s*(.*)$"),
        ("paren", r"^\s*(\d{1,3})\s*[)）]\s*[、.．]?\s*(.*)$"),
        ("arabic", r"^\s*(\d{1,3})\s*[、.．:：](?!\d)\s*(.*)$"),
        ("circled", rf"^\s*([{_CIRCLED}])\s*[、.．]?\s*(.*)$"),
        ("space", r"^\s*(\d{1,2})\s+(?=[^\d\s分])(.*)$"),
    ))


def parse(text: str) -> Numbered | None:
    """The number a cell's text starts with, or None."""
    text = naming.ascii_digits(text)
    for style, pattern in _PATTERNS:
        m = pattern.match(text)
        if m is None:
            continue
        groups = m.groups()
        rest = groups[-1].strip()
        if not rest:
            return None  # a bare number is no numbering of a text
        if style == "roman":
            return Numbered(style, f"{_roman(groups[0])}-{int(groups[1])}", int(groups[1]),
                            rest)
        first = groups[0]
        if style in ("cn", "cn-paren"):
            value = chinese(first)
            return Numbered(style, str(value), value, rest) if value else None
        if style == "circled":
            value = _CIRCLED.index(first) + 1
            return Numbered(style, str(value), value, rest)
        if style == "dotted":
            return Numbered(style, first, int(first.rsplit(".", 1)[1]), rest)
        return Numbered(style, str(int(first)), int(first), rest)
    return None


def _roman(text: str) -> str:
    ascii_roman = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8,
                   "IX": 9, "X": 10}
    if text in ascii_roman:
        return _ROMAN[ascii_roman[text] - 1]
    return text


def chinese(text: str) -> int | None:
    if text == "十":
        return 10
    if len(text) == 1:
        return _CN_VALUES.get(text)
    if len(text) == 2 and text[0] == "十":
        return 10 + _CN_VALUES.get(text[1], 0)
    if len(text) in (2, 3) and text[1] == "十":
        tens = _CN_VALUES.get(text[0], 0)
        ones = _CN_VALUES.get(text[2], 0) if len(text) == 3 else 0
        return tens * 10 + ones if tens > 1 else None
    return None


#: Markers of items inside a text: at its start, a line's start or after a sentence's end.
_BOUNDARY = r"(?:(?<=^)|(?<=[\n；;。！!]))\s*"
_ITEMS: dict[str, re.Pattern[str]] = {
    style: re.compile(_BOUNDARY + pattern) for style, pattern in (
        ("paren", r"(\d{1,2})\s*[)）]"),
        ("dparen", r"[（(]\s*(\d{1,2})\s*[)）]"),
        ("arabic", r"(\d{1,2})\s*[、.．](?!\d)"),
        ("circled", rf"([{_CIRCLED}])"),
        ("cn", rf"([{_CN}]{{1,3}})\s*[、.．]"),
        ("cn-paren", rf"[（(]\s*([{_CN}]{{1,3}})\s*[)）]"),
    )}


class Item(NamedTuple):
    number: int
    text: str  # without its marker


def items(text: str) -> list[Item] | None:
    """``1) 甲（4分）\\n2) 乙`` → [Item(1, "甲（4分）"), Item(2, "乙")]: the items of a text
    numbered 1, 2, 3… in one style (the style with the longest such run). None when the
    text has fewer than two numbered items. Text before the first item is an item 0."""
    text = naming.ascii_digits(text)
    best: list[tuple[int, int, int]] = []  # (number, marker start, marker end)
    for style, pattern in _ITEMS.items():
        run: list[tuple[int, int, int]] = []
        for m in pattern.finditer(text):
            raw = m.group(1)
            value = (_CIRCLED.index(raw) + 1 if style == "circled"
                     else chinese(raw) if style.startswith("cn") else int(raw))
            if value == len(run) + 1:
                run.append((value, m.start(), m.end()))
        if len(run) > len(best):
            best = run
    if len(best) < 2:
        return None
    out = []
    head = text[: best[0][1]].strip()
    if head:
        out.append(Item(0, head))
    for i, (value, _, end) in enumerate(best):
        stop = best[i + 1][1] if i + 1 < len(best) else len(text)
        out.append(Item(value, text[end:stop].strip()))
    return out
