"""Chinese names in the order Chinese readers expect: by pinyin (办公室, 工会, 人教科…),
not by code point (人教科 before 办公室). pypinyin is pure Python and loads only here."""

from __future__ import annotations

from collections.abc import Iterable


def pinyin_key(text: str) -> tuple[tuple[str, ...], str]:
    """Sort key: the pinyin of each character with its tone (``ban4``), then the text
    itself so that names with the same reading keep one order."""
    from pypinyin import Style, lazy_pinyin

    return tuple(s.casefold() for s in lazy_pinyin(text, style=Style.TONE3)), text


def by_pinyin(names: Iterable[str]) -> list[str]:
    return sorted(names, key=pinyin_key)
