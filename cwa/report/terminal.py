"""The report for people at a terminal: the indicator tree with what each still needs."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from cwa import wording
from cwa.checks.evidence import (
    COMPLETE,
    MISSING,
    NOT_ARCHIVE,
    PARTIAL,
    EvidenceResult,
    IndicatorResult,
)
from cwa.findings import Finding
from cwa.messages import t
from cwa.printable import printable
from cwa.report import text
from cwa.report.model import Report
from cwa.report.score import by_owner
from cwa.report.text import SHOWN_AS_EVIDENCE, shown_path
from cwa.wording import paren

STATUS_STYLE = {COMPLETE: "green", PARTIAL: "yellow", MISSING: "red", NOT_ARCHIVE: "dim"}
STATUS_MARK = {COMPLETE: "✔", PARTIAL: "◐", MISSING: "✘", NOT_ARCHIVE: "–"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


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
    loose = report.findings_of(None)
    if loose:
        console.print()
        console.print(Text(t("report.archive_level"), "bold"))
        for finding in loose:
            _finding(finding, 1, console)
        console.print()
    console.print(summary_line(report))


def _indicator(report: Report, result: IndicatorResult, depth: int, console: Console) -> None:
    ind = result.indicator
    line = Text("  " * depth)
    line.append(STATUS_MARK[result.status] + " ", STATUS_STYLE[result.status])
    line.append(f"{ind.code} {ind.wording}", "bold" if depth == 0 else "")
    line.append(f"  {t('status.' + result.status)}", STATUS_STYLE[result.status])
    if ind.points is not None and result.status != NOT_ARCHIVE:
        covered = result.points_covered or 0
        line.append(f"  {t('report.points', covered=_num(covered), points=_num(ind.points))}",
                    "dim")
    if ind.owners:
        line.append(f"  {t('report.owners', owners=wording.listing(ind.owners))}", "dim")
    console.print(line)
    if not result.children and result.status in (PARTIAL, MISSING):
        for item in result.evidence:
            _evidence(item, depth + 1, console, report)
    for finding in report.findings_of(ind.code):
        if finding.code not in SHOWN_AS_EVIDENCE:
            _finding(finding, depth + 1, console, result.path)
    for child in result.children:
        _indicator(report, child, depth + 1, console)


def _evidence(item: EvidenceResult, depth: int, console: Console, report: Report) -> None:
    evidence = item.evidence
    line = Text("  " * depth + "  ")
    line.append("✔ " if item.satisfied else "✘ ", "green" if item.satisfied else "red")
    line.append(evidence.title)
    line.append(paren(wording.kinds(evidence.kinds)), "dim")
    if evidence.per_year and report.years:
        counts = "，".join(f"{y}：{item.by_year.get(y, 0)}/{evidence.min}"
                          for y in report.years.span())
        line.append("  " + t("report.per_year", counts=counts))
    else:
        line.append("  " + t("report.found", found=item.found, min=evidence.min,
                              unit=wording.unit(evidence.kinds)))
    console.print(line)


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
    shown = [COMPLETE, PARTIAL, MISSING] + ([NOT_ARCHIVE] if s.statuses[NOT_ARCHIVE] else [])
    line.append(" · ".join(f"{t('status.' + k)} {s.statuses[k]}" for k in shown))
    if s.score is not None:
        line.append(" ｜ " + t("report.summary_score", estimate=_num(s.score.estimate),
                                possible=_num(s.score.possible)))
    elif s.points_total is not None:
        line.append(" ｜ " + t("report.summary_points", covered=_num(s.points_covered or 0),
                                total=_num(s.points_total)))
    line.append(" ｜ " + t("report.summary_findings", error=s.severities["error"],
                            warning=s.severities["warning"], info=s.severities["info"]))
    return line


def _num(value: float) -> str:
    return f"{value:g}"
