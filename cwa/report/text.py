"""What several renderers say alike: what an indicator still needs, where a finding is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cwa import wording
from cwa.checks.evidence import EvidenceResult
from cwa.messages import t
from cwa.printable import printable
from cwa.report.owners import Task

if TYPE_CHECKING:
    from cwa.report.model import Report

#: Said by the evidence lines under each indicator, not repeated as findings.
SHOWN_AS_EVIDENCE = frozenset({"EV001", "EV002", "EV005"})
#: Said by the 一票否决 / 负面清单 checklist, not repeated as findings.
SHOWN_AS_CHECKLIST = frozenset({"VT001", "VT002", "VT003"})


def shown_path(path: str, base: str) -> str:
    """A finding's path as shown under the indicator whose folder is ``base``: relative to
    it, or, for the folder itself, its name as it is on disk."""
    if base and path.startswith(base + "/"):
        return printable(path[len(base) + 1:])
    if base and path == base:
        return printable(base.rsplit("/", 1)[-1])
    return printable(path)


def needs(item: EvidenceResult) -> str:
    if item.evidence.cadence and item.missing_periods:
        return t("report.needs_periods", title=item.evidence.title, periods=periods(item))
    if item.evidence.per_year and item.missing_years:
        return t("report.needs_years", title=item.evidence.title,
                 years=wording.listing(str(y) for y in item.missing_years))
    return t("report.needs", title=item.evidence.title, found=item.found,
             min=item.evidence.activities or item.evidence.min)


def task(task_: Task) -> str:
    ind = task_.result.indicator
    items = (wording.listing(needs(i) for i in task_.missing) if task_.result.present
             else t("report.task_missing_folder"))
    return t("report.task", code=ind.code, name=ind.wording, items=items)


def periods(item: EvidenceResult) -> str:
    """``2024 年：3月、5月；2025 年：1月``: the periods an item lacks."""
    cadence = item.evidence.cadence or "yearly"
    return t("report.period_sep").join(
        wording.year_periods(year, cadence, [n for y, n in item.missing_periods if y == year])
        for year in item.missing_years)


def number(value: float) -> str:
    """A score as people write it: 15.5, 0.33, 4."""
    return f"{round(value, 2):g}"


def estimate(pair: tuple[float, float] | None) -> str:
    """``估分 1.5/2``; "" when there is none."""
    if pair is None:
        return ""
    return t("report.estimate_short", estimate=number(pair[0]), possible=number(pair[1]))


def declaration(happened: bool | None) -> tuple[str, str]:
    """The checklist mark and the answer: ☐ 未声明, ☑ 未发生, ☒ 已发生."""
    if happened is None:
        return "☐", t("veto.unanswered")
    return ("☒", t("veto.happened")) if happened else ("☑", t("veto.not_happened"))


def score_notes(report: Report) -> str:
    """What the summary's estimate includes: bonus, declared deductions, a veto."""
    score = report.summary.score
    if score is None:
        return ""
    notes = []
    if score.bonus_cap:
        notes.append(t("report.bonus_in", bonus=number(score.bonus),
                       cap=number(score.bonus_cap)))
    if score.deducted:
        notes.append(t("report.deducted", points=number(score.deducted)))
    if report.rubric.pass_mark is not None:
        notes.append(t("report.pass_mark", points=number(report.rubric.pass_mark)))
    if score.by_year:
        notes.append(t("report.comma").join(
            t("report.year_score", year=y, estimate=number(e), possible=number(p))
            for y, e, p in score.by_year))
    text = wording.paren(t("report.period_sep").join(notes)) if notes else ""
    if score.vetoed:
        text += t("report.vetoed")
    return text


def clause_label(code: str) -> str:
    """A clause's number as the source writes it: ``1)``."""
    return f"{code})" if code.isdigit() else code
