"""How rubric things are said to people, in the current language (one place for both the
requirement notes, ``rubric show`` and the check report)."""

from __future__ import annotations

from collections.abc import Iterable

from cwa.messages import t
from cwa.rubric.model import Evidence


def listing(items: Iterable[str]) -> str:
    """``甲、乙、丙`` in Chinese, ``a, b, c`` in English."""
    return t("list.sep").join(items)


def paren(text: str) -> str:
    return t("text.paren", text=text)


def kinds(values: Iterable[str]) -> str:
    return listing(t(f"kind.{k}") for k in values)


def unit(values: tuple[str, ...]) -> str:
    """The measure word: photos are counted in 张, recordings in 段, the rest in 份."""
    if values == ("image",):
        return t("unit.image")
    if values == ("av",):
        return t("unit.av")
    return t("unit.text")


def rule(evidence: Evidence) -> str:
    """``每年至少 3 张，需配文字说明``."""
    key = "note.per_year" if evidence.per_year else "note.at_least"
    caption = t("note.caption") if evidence.caption else ""
    return t(key, min=evidence.min, unit=unit(evidence.kinds)) + caption


def evidence(evidence: Evidence) -> str:
    """``专题会议照片（图片，每年至少 3 张，需配文字说明）``."""
    return t("evidence.describe", title=evidence.title, kinds=kinds(evidence.kinds),
             rule=rule(evidence))


def size(count: int) -> str:
    """Bytes as people read them: 1.2 GB, 340.0 KB (powers of 1024, as Windows shows them)."""
    if count < 1024:
        return f"{count} B"
    value = count / 1024
    for name in ("KB", "MB", "GB"):
        if value < 1024 or name == "GB":
            break
        value /= 1024
    return f"{value:.1f} {name}"
