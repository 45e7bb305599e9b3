"""The report for people at a terminal: the indicator tree with what each still needs."""

from __future__ import annotations

import codecs
from collections.abc import Iterable

from rich.console import Console
from rich.text import Text

from cwa import wording
from cwa.checks.evidence import (
    COMPLETE,
    MISSING,
    NOT_APPLICABLE,
    NOT_ARCHIVE,
    PARTIAL,
    UNSCORED,
    ClauseResult,
    EvidenceResult,
    IndicatorResult,
)
from cwa.findings import Finding
from cwa.messages import t
from cwa.printable import printable
from cwa.report import text
from cwa.report.model import Report
from cwa.report.owners import by_owner
from cwa.report.text import SHOWN_AS_CHECKLIST, SHOWN_AS_EVIDENCE, shown_path
from cwa.score import grade
from cwa.wording import paren

STATUS_STYLE = {COMPLETE: "green", PARTIAL: "yellow", MISSING: "red", NOT_ARCHIVE: "dim",
                NOT_APPLICABLE: "dim"}
STATUS_MARK = {COMPLETE: "✔", PARTIAL: "◐", MISSING: "✘", NOT_ARCHIVE: "–", NOT_APPLICABLE: "–"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}

#: How what cwa prints degrades on a console whose code page cannot show it: the first
#: form the console's encoding has (a Chinese GBK console has √ × ◎, a Western one
#: [OK] [X] [~]); anything else becomes "?". Never an error.
FALLBACKS = {
    "✔": ("√", "[OK]"), "✘": ("×", "[X]"), "◐": ("◎", "[~]"), "–": ("-",), "—": ("-",),
    "•": ("·", "*"), "→": ("->",), "…": ("...",), "｜": ("|",), "·": (".",), "≥": (">=",),
    "：": (":",), "，": (",",), "、": (",",), "；": (";",), "。": (".",), "（": ("(",),
    "）": (")",), "“": ('"',), "”": ('"',), "‘": ("'",), "’": ("'",), "＿": ("_",),
    "　": (" ",),
}
ERRORS = "cwa-fallback"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    shown = []
    for char in error.object[error.start:error.end]:
        for candidate in FALLBACKS.get(char, ()):
            try:
                candidate.encode(error.encoding)
            except UnicodeError:
                continue
            shown.append(candidate)
            break
        else:
            shown.append("?")
    return "".join(shown), error.end


def register_fallbacks() -> str:
    """Register the fallbacks as a codec error handler; returns its name."""
    codecs.register_error(ERRORS, _fallback)
    return ERRORS


def render(report: Report, console: Console) -> None:
    header = Text()
    header.append(t("report.archive"), "bold")
    header.append(printable(report.archive))
    header.append("    " + t("report.rubric"), "bold")
    rubric = report.rubric
    header.append(rubric.name + (paren(rubric.edition) if rubric.edition else ""))
    if report.years:
        header.append("    " + t("report.years"), "bold")
        header.append(str(report.years))
    console.print(header)
    console.print()
    for result in report.results:
        _indicator(report, result, 0, console)
    loose = [f for f in report.findings_of(None) if f.code not in SHOWN_AS_CHECKLIST]
    if loose:
        console.print()
        console.print(Text(t("report.archive_level"), "bold"))
        for finding in loose:
            _finding(finding, 1, console)
        console.print()
    checklist(report, console)
    console.print(summary_line(report))


def checklist(report: Report, console: Console) -> None:
    """The 一票否决 / 负面清单 items with the unit's answers: declared, never guessed."""
    if not report.declarations:
        return
    console.print()
    console.print(Text(t("report.vetoes"), "bold"))
    for item in report.declarations:
        mark, answer = text.declaration(item.happened)
        style = "red" if item.happened else ("yellow" if item.happened is None else "green")
        line = Text("  ")
        line.append(mark + " ", style)
        line.append(f"{item.veto.code} {item.veto.text}")
        consequence = t("veto.deduct", points=text.number(item.veto.deduct)) \
            if item.veto.deduct else t("veto.bars")
        line.append(f"  {answer}", style)
        line.append(f"  {paren(consequence)}", "dim")
        console.print(line)
    console.print()


def _indicator(report: Report, result: IndicatorResult, depth: int, console: Console) -> None:
    ind = result.indicator
    line = Text("  " * depth)
    line.append(STATUS_MARK[result.status] + " ", STATUS_STYLE[result.status])
    line.append(f"{ind.code} {ind.wording}", "bold" if depth == 0 else "")
    line.append(f"  {t('status.' + result.status)}", STATUS_STYLE[result.status])
    if ind.bonus:
        line.append(f"  {t('report.bonus')}", "cyan")
    scored = text.estimate(report.estimate(result))
    if scored:
        line.append(f"  {scored}", "dim")
    elif ind.points is not None and result.status not in UNSCORED:
        line.append(f"  {t('report.points_only', points=_num(ind.points))}", "dim")
    graded = grade(result)
    if graded:
        line.append(f"  {t('report.grade', grade=graded)}", "dim")
    if result.status == NOT_APPLICABLE:
        line.append(f"  {t('report.applies_to', types=wording.listing(ind.applies_to))}", "dim")
    if ind.owners:
        line.append(f"  {t('report.owners', owners=wording.listing(ind.owners))}", "dim")
    console.print(line)
    if result.na_note:
        console.print(Text("  " * (depth + 1) + "  " + t(
            "report.na_note", path=printable(shown_path(result.na_note, result.path))), "dim"))
    if result.status in (PARTIAL, MISSING):
        for clause in result.clauses:
            _clause(report, result, clause, depth + 1, console)
        for item in result.evidence:
            _evidence(item, depth + 1, console, report)
    for finding in report.findings_of(ind.code):
        if finding.code not in SHOWN_AS_EVIDENCE:
            _finding(finding, depth + 1, console, result.path)
    for child in result.children:
        _indicator(report, child, depth + 1, console)


def _clause(report: Report, result: IndicatorResult, clause: ClauseResult, depth: int,
            console: Console) -> None:
    """``1) 有年度方案（4分）  缺失  估分 0/4``."""
    c = clause.clause
    line = Text("  " * depth + "  ")
    line.append(STATUS_MARK[clause.status] + " ", STATUS_STYLE[clause.status])
    line.append(f"{text.clause_label(c.code)} {c.text}")
    line.append(f"  {t('status.' + clause.status)}", STATUS_STYLE[clause.status])
    scored = text.estimate(report.clause_estimate(result, clause))
    if scored:
        line.append(f"  {scored}", "dim")
    elif c.deduct:
        line.append(f"  {t('report.clause_deduct', points=_num(c.deduct))}", "dim")
    if c.methods:
        line.append(f"  [{'、'.join(c.methods)}]", "dim")
    console.print(line)


def _evidence(item: EvidenceResult, depth: int, console: Console, report: Report) -> None:
    evidence = item.evidence
    line = Text("  " * depth + "  ")
    line.append("✔ " if item.satisfied else "✘ ", "green" if item.satisfied else "red")
    line.append(evidence.title)
    line.append(paren(wording.kinds(evidence.kinds)), "dim")
    if evidence.activities:
        line.append("  " + t("report.activities", found=item.found, min=evidence.activities))
        if evidence.per_year and report.years and item.due_years:
            line.append("  " + t("report.per_year", counts=_per_year(
                item, item.due_years, evidence.activities)))
    elif evidence.cadence and item.due_periods:
        due = len(item.due_periods)
        line.append("  " + t("report.periods", have=due - len(item.missing_periods), due=due))
        if item.missing_periods:
            line.append("  " + t("report.lacks", periods=text.periods(item)), "red")
    elif evidence.per_year and item.due_years:
        line.append("  " + t("report.per_year",
                             counts=_per_year(item, item.due_years, evidence.min)))
    elif evidence.per_year and report.years:
        line.append("  " + t("report.per_year",
                             counts=_per_year(item, report.years.span(), evidence.min)))
    else:
        line.append("  " + t("report.found", found=item.found, min=evidence.min,
                              unit=wording.unit(evidence.kinds)))
    console.print(line)


def _per_year(item: EvidenceResult, years: Iterable[int], required: int) -> str:
    """``2024：1/1，2025：0/1``."""
    colon = t("report.colon")
    return t("report.comma").join(f"{y}{colon}{item.by_year.get(y, 0)}/{required}"
                                  for y in years)


def _finding(finding: Finding, depth: int, console: Console, base: str = "") -> None:
    """One finding; its path is shown relative to the indicator's folder ``base``."""
    line = Text("  " * depth + "  ")
    style = SEVERITY_STYLE[finding.severity]
    line.append(f"{t('severity.' + finding.severity)} {finding.code} ", style)
    path = shown_path(finding.path, base)
    if path:
        line.append(path, "dim")
        line.append(t("report.colon"))
    line.append(finding.message)
    console.print(line)


def render_owners(report: Report, console: Console, owner: str | None) -> None:
    """What is missing, department by department (or one department's list)."""
    groups = by_owner(report.results, t("report.owner_unknown"))
    for name, tasks in groups.items():
        if owner is not None and name != owner:
            continue
        console.print(Text(t("report.owner_heading", owner=name, count=len(tasks)), "bold"))
        for task in tasks:
            console.print(Text("  • " + text.task(task)))
        console.print()
    console.print(summary_line(report))


def summary_line(report: Report) -> Text:
    s = report.summary
    leaves = sum(s.statuses.values())
    line = Text()
    line.append(t("report.summary_indicators", total=leaves), "bold")
    shown = [COMPLETE, PARTIAL, MISSING] + [k for k in (NOT_ARCHIVE, NOT_APPLICABLE)
                                            if s.statuses[k]]
    line.append(" · ".join(f"{t('status.' + k)} {s.statuses[k]}" for k in shown))
    if s.score is not None:
        line.append(t("report.summary_sep") + t("report.summary_score",
                                                estimate=_num(s.score.estimate),
                                                possible=_num(s.score.possible))
                    + text.score_notes(report))
    elif s.points_total is not None:
        line.append(t("report.summary_sep") + t("report.summary_points",
                                                covered=_num(s.points_covered or 0),
                                                total=_num(s.points_total)))
    line.append(t("report.summary_sep") + t("report.summary_findings", error=s.severities["error"],
                            warning=s.severities["warning"], info=s.severities["info"]))
    return line


def _num(value: float) -> str:
    return text.number(value)
