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


def unit(values: tuple[str, ...], activities: bool = False) -> str:
    """The measure word: photos are counted in 张, recordings in 段, activities in 次,
    the rest in 份."""
    if activities:
        return t("unit.activity")
    if values == ("image",):
        return t("unit.image")
    if values == ("av",):
        return t("unit.av")
    if values == ("link",):
        return t("unit.link")
    return t("unit.text")


def rule(evidence: Evidence) -> str:
    """``每年至少 3 张，需配文字说明``; ``3月起每月至少 1 份``; ``至少 2 次活动，每次：…``."""
    if evidence.activities:
        parts = listing(t("evidence.part", title=e.title, min=e.min, unit=unit(e.kinds))
                        for e in evidence.bundle) or t("evidence.part", title=evidence.title,
                                                        min=evidence.min,
                                                        unit=unit(evidence.kinds))
        key = "note.activities_per_year" if evidence.per_year else "note.activities"
        text = t(key, count=evidence.activities, parts=parts)
    elif evidence.cadence:
        start = t("note.from_month", month=evidence.start) if evidence.start > 1 else ""
        text = start + t(f"note.cadence.{evidence.cadence}", min=evidence.min,
                         unit=unit(evidence.kinds))
    else:
        key = "note.per_year" if evidence.per_year else "note.at_least"
        text = t(key, min=evidence.min, unit=unit(evidence.kinds))
    if evidence.window is not None:
        text += t("note.window_current" if evidence.window.current else "note.window_before",
                  years=evidence.window.years)
    if evidence.deadline:
        text += t("note.deadline", month=evidence.deadline)
    if evidence.deduct:
        text += t("note.deduct", points=f"{evidence.deduct:g}")
    caption = t("note.caption") if evidence.caption else ""
    formal = t("note.formal") if evidence.formal else ""
    dated = t("note.dated") if evidence.dated else ""
    return text + caption + formal + dated


def period(cadence: str, number: int) -> str:
    """``3月``, ``第一季度``, ``上半年``."""
    if cadence == "yearly":
        return t("period.year")
    if cadence == "half-yearly":
        return t(f"period.half{number}")
    if cadence == "quarterly":
        return t("period.quarterly", cn=t(f"period.cn{number}"))
    return t("period.monthly", n=number)


def year_periods(year: int, cadence: str, numbers: list[int]) -> str:
    """``2024 年：3月、5月``."""
    return t("period.in_year", year=year,
             periods=listing(period(cadence, n) for n in numbers))


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
