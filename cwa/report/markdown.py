"""The report as Markdown: for e-mail, a wiki, or $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import re

from cwa.checks.evidence import IndicatorResult
from cwa.messages import t
from cwa.printable import printable
from cwa.report import text
from cwa.report.model import Report
from cwa.report.score import by_owner

MARK = {"complete": "✅", "partial": "🟡", "missing": "❌", "na": "➖"}


def render(report: Report, owners_only: str | None = None) -> str:
    """The whole report, or one department's list (``owners_only``)."""
    if owners_only is not None:
        return owner_lists(report, owners_only)
    s = report.summary
    lines = [f"# {t('report.title')}", "",
             f"- {t('report.archive')}{report.archive}",
             f"- {t('report.rubric')}{report.rubric.name}"]
    if report.years:
        lines.append(f"- {t('report.years')}{report.years}")
    statuses = " · ".join(f"{t('status.' + k)} {v}" for k, v in s.statuses.items() if v or
                          k != "na")
    lines.append(f"- {t('report.summary_indicators', total=sum(s.statuses.values()))}"
                 f"{statuses}")
    if s.score:
        lines.append(f"- {t('report.score')}：" + t("report.estimate",
                                                    estimate=f"{s.score.estimate:g}",
                                                    possible=f"{s.score.possible:g}"))
    lines.append("- " + t("report.summary_findings", **s.severities))
    lines += ["", t("report.md_header"), "|---|---|---|---|---|"]
    for result in report.results:
        lines += _rows(result, 0)
    lines += ["", f"## {t('report.findings')}", ""]
    if not report.findings:
        lines.append(t("report.no_findings"))
    for finding in report.findings:
        where = code(printable(finding.path)) if finding.path else ""
        lines.append(f"- **{t('severity.' + finding.severity)} {finding.code}** {where} "
                     f"{_escape(finding.message)}")
    lines += ["", owner_lists(report, None)]
    return "\n".join(lines) + "\n"


def _rows(result: IndicatorResult, depth: int) -> list[str]:
    ind = result.indicator
    points = f"{ind.points:g}" if ind.points is not None else ""
    row = (f"| {MARK[result.status]} | {ind.code} | {'　' * depth}{_escape(ind.wording)} | "
           f"{t('status.' + result.status)} | {points} |")
    return [row] + [r for child in result.children for r in _rows(child, depth + 1)]


def owner_lists(report: Report, only: str | None) -> str:
    groups = by_owner(report.results, t("report.owner_unknown"))
    lines = [f"## {t('report.by_owner')}", ""]
    for owner, tasks in groups.items():
        if only is not None and owner != only:
            continue
        lines += [f"### {t('report.owner_heading', owner=owner, count=len(tasks))}", ""]
        lines += [f"- {_escape(text.task(task))}" for task in tasks]
        lines.append("")
    return "\n".join(lines)


_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|#!~"} | {
    "<": "&lt;", ">": "&gt;", "&": "&amp;"})


def _escape(value: str) -> str:
    """Text as text: no HTML, no code spans, no emphasis or links, no table breaks."""
    return printable(value).translate(_SPECIAL)


def code(value: str) -> str:
    """A code span that holds any text: fenced by more backticks than it contains."""
    longest = max((len(run) for run in re.findall("`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"
