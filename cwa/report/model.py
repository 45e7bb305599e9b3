"""One report model, built once from a check, rendered by every format."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from cwa import __version__
from cwa.checks import Outcome
from cwa.checks.evidence import STATUSES, IndicatorResult
from cwa.findings import SEVERITIES, Finding
from cwa.report.score import Score, estimate, estimate_of, share
from cwa.rubric.model import Rubric, Years

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Summary:
    statuses: dict[str, int]  # leaf indicators by status
    points_covered: float | None
    points_total: float | None
    severities: dict[str, int]
    files: int
    folders: int
    deep: tuple[int, int] | None = None  # files opened, results taken from the cache
    score: Score | None = None  # estimate of the 材料审核 part


@dataclass(frozen=True)
class Report:
    archive: str
    rubric: Rubric
    years: Years | None
    results: list[IndicatorResult]
    findings: list[Finding]
    summary: Summary
    checked: str = ""  # when: ISO 8601 with the UTC offset, to the second

    def findings_of(self, code: str | None) -> list[Finding]:
        return [f for f in self.findings if f.indicator == code]


def build(archive: str, rubric: Rubric, years: Years | None, outcome: Outcome,
          files: int, folders: int, deep: tuple[int, int] | None = None) -> Report:
    leaves = [leaf for top in outcome.results for leaf in top.leaves()]
    statuses = Counter(r.status for r in leaves)
    covered = [r.points_covered for r in outcome.results if r.points_covered is not None]
    severities = Counter(f.severity for f in outcome.findings)
    summary = Summary(
        statuses={s: statuses.get(s, 0) for s in STATUSES},
        points_covered=sum(covered) if covered else (0.0 if rubric.total_points else None),
        points_total=rubric.total_points,
        severities={s: severities.get(s, 0) for s in SEVERITIES},
        files=files,
        folders=folders,
        deep=deep,
        score=estimate(outcome.results, len(years.span()) if years else 0),
    )
    return Report(archive, rubric, years, outcome.results, outcome.findings, summary, now())


def now() -> str:
    """The time of the check, local, with its offset; ``SOURCE_DATE_EPOCH`` (the
    reproducible-builds convention) fixes it, in UTC, for outputs that must not vary."""
    import os
    from datetime import datetime, timezone

    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if fixed.isdigit():
        return datetime.fromtimestamp(int(fixed), timezone.utc).isoformat(timespec="seconds")
    return datetime.now().astimezone().isoformat(timespec="seconds")


def dumps(value: Any, indent: int | None = None) -> str:
    """JSON text that is always valid UTF-8. Compact by default: ``indent`` forces json's
    pure-Python encoder (several times slower). A name that is not valid Unicode (bytes
    from a Chinese Windows zip) is written as ``\\udcXX`` escapes, which read back to
    the same name."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, indent=indent)
    return text + "\n"


def to_dict(report: Report) -> dict[str, Any]:
    """The JSON shape (``schema_version`` 1). Keys are stable; new keys may be added."""
    rubric = report.rubric
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "cwa", "version": __version__},
        "archive": report.archive,
        "rubric": {"name": rubric.name, "edition": rubric.edition, "origin": rubric.origin},
        "years": {"from": report.years.start, "to": report.years.end} if report.years else None,
        "summary": {
            "indicators": report.summary.statuses,
            "points": {"covered": report.summary.points_covered,
                       "total": report.summary.points_total},
            "findings": report.summary.severities,
            "files": report.summary.files,
            "folders": report.summary.folders,
            "deep": ({"opened": report.summary.deep[0], "from_cache": report.summary.deep[1]}
                     if report.summary.deep else None),
            "score": ({"estimate": report.summary.score.estimate,
                       "possible": report.summary.score.possible}
                      if report.summary.score else None),
        },
        "indicators": [_indicator(r, report.years) for r in report.results],
        "findings": [_finding(f) for f in report.findings],
        "checked_at": report.checked,  # a later addition: schema_version stays 1
    }


def _indicator(result: IndicatorResult, years: Years | None) -> dict[str, Any]:
    ind = result.indicator
    span = len(years.span()) if years else 0
    portion = share(result, span)
    scored = estimate_of(result, span)
    return {
        "code": ind.code,
        "name": ind.wording,
        "path": result.path,
        "present": result.present,
        "status": result.status,
        "points": ind.points,
        "points_covered": result.points_covered,
        "share": round(portion, 4) if portion is not None else None,
        "estimate": round(scored[0], 2) if scored else None,
        "possible": scored[1] if scored else None,
        "methods": list(ind.methods),
        "owners": list(ind.owners),
        "documents": result.documents,
        "evidence": [
            {
                "title": e.evidence.title,
                "kinds": list(e.evidence.kinds),
                "min": e.evidence.min,
                "per_year": e.evidence.per_year,
                "caption": e.evidence.caption,
                "found": e.found,
                "by_year": {str(y): n for y, n in sorted(e.by_year.items())},
                "missing_years": e.missing_years,
                "satisfied": e.satisfied,
                "files": e.files,
            }
            for e in result.evidence
        ],
        "children": [_indicator(c, years) for c in result.children],
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity,
        "path": finding.path,
        "indicator": finding.indicator,
        "message": finding.message,
        "hint": finding.hint,
        "data": finding.args,
    }
