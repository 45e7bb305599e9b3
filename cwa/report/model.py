"""One report model, built once from a check, rendered by every format."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cwa import __version__
from cwa.checks import Outcome
from cwa.checks.evidence import STATUSES, ClauseResult, EvidenceResult, IndicatorResult
from cwa.findings import SEVERITIES, Finding
from cwa.rubric.model import Rubric, Veto, Years
from cwa.score import Pair, Score, Scorer, grade

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


class Declaration(NamedTuple):
    """A 一票否决 / 负面清单 item and the unit's answer in cwa.yaml (None: not answered)."""

    veto: Veto
    happened: bool | None


@dataclass(frozen=True)
class Report:
    archive: str
    rubric: Rubric
    years: Years | None
    results: list[IndicatorResult]
    findings: list[Finding]
    summary: Summary
    checked: str = ""  # when: ISO 8601 with the UTC offset, to the second
    declarations: list[Declaration] = field(default_factory=list)
    #: every indicator's (estimate, possible), by id(result): the one figure shown
    estimates: dict[int, Pair | None] = field(default_factory=dict)
    scorer: Scorer | None = None
    #: what the unit says about itself (``cwa.summary.unit.describe``): JSON only
    unit: dict[str, Any] | None = None

    def findings_of(self, code: str | None) -> list[Finding]:
        return [f for f in self.findings if f.indicator == code]

    def estimate(self, result: IndicatorResult) -> Pair | None:
        return self.estimates.get(id(result))

    def clause_estimate(self, result: IndicatorResult, clause: ClauseResult) -> Pair | None:
        return self.scorer.clause(result, clause) if self.scorer else None


def build(archive: str, rubric: Rubric, years: Years | None, outcome: Outcome,
          files: int, folders: int, deep: tuple[int, int] | None = None,
          answers: Mapping[str, bool] | None = None) -> Report:
    answers = answers or {}
    scorer = Scorer(rubric)
    estimates = {id(r): scorer.of(r) for top in outcome.results for r in top.walk()}
    findings = outcome.findings + declared(rubric, answers)
    declarations = [Declaration(v, answers.get(v.code)) for v in rubric.vetoes]
    leaves = [leaf for top in outcome.results for leaf in top.leaves()]
    statuses = Counter(r.status for r in leaves)
    covered = [r.points_covered for r in outcome.results if r.points_covered is not None]
    severities = Counter(f.severity for f in findings)
    summary = Summary(
        statuses={s: statuses.get(s, 0) for s in STATUSES},
        points_covered=sum(covered) if covered else (0.0 if rubric.total_points else None),
        points_total=rubric.total_points,
        severities={s: severities.get(s, 0) for s in SEVERITIES},
        files=files,
        folders=folders,
        deep=deep,
        score=scorer.total(outcome.results, answers),
    )
    return Report(archive, rubric, years, outcome.results, findings, summary, checked=now(),
                  declarations=declarations, estimates=estimates, scorer=scorer)


def declared(rubric: Rubric, answers: Mapping[str, bool]) -> list[Finding]:
    """The 一票否决 / 负面清单 items as findings: not answered, or answered 是."""
    out = []
    for veto in rubric.vetoes:
        happened = answers.get(veto.code)
        if happened is None:
            out.append(Finding("VT001", "", None, {"code": veto.code, "text": veto.text}))
        elif happened and veto.deduct:
            out.append(Finding("VT003", "", None, {"code": veto.code, "text": veto.text,
                                                   "points": f"{veto.deduct:g}"}))
        elif happened:
            out.append(Finding("VT002", "", None, {"code": veto.code, "text": veto.text}))
    return out


def now() -> str:
    """The time of the check, local, with its offset; ``SOURCE_DATE_EPOCH`` (the
    reproducible-builds convention) fixes it, in UTC, for outputs that must not vary."""
    import os
    from datetime import datetime, timezone

    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if fixed.isdigit():
        return datetime.fromtimestamp(int(fixed), timezone.utc).isoformat(timespec="seconds")
    return datetime.now().astimezone().isoformat(timespec="seconds")


#: Characters JSON may carry raw that would reorder or break what a terminal or an editor
#: shows; json.dumps escapes the C0 controls already. Escaped, they read back the same.
_INVISIBLE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


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
    if not text.isprintable():  # bidi overrides and line separators as JSON escapes
        text = _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
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
            "score": _score(report.summary.score),
            "pass": rubric.pass_mark,
        },
        "indicators": [_indicator(r, report) for r in report.results],
        "findings": [_finding(f) for f in report.findings],
        "checked_at": report.checked,  # a later addition: schema_version stays 1
        "vetoes": [{"code": d.veto.code, "text": d.veto.text, "deduct": d.veto.deduct,
                    "happened": d.happened} for d in report.declarations],
        "unit": report.unit,  # name, types, last_change, verify (cwa summary reads it)
    }


def _score(score: Score | None) -> dict[str, Any] | None:
    if score is None:
        return None
    return {"estimate": score.estimate, "possible": score.possible, "bonus": score.bonus,
            "bonus_cap": score.bonus_cap, "deducted": score.deducted, "vetoed": score.vetoed,
            "by_year": [{"year": y, "estimate": e, "possible": p} for y, e, p in score.by_year]}


def _indicator(result: IndicatorResult, report: Report) -> dict[str, Any]:
    ind = result.indicator
    portion = report.scorer.share(result) if report.scorer else None
    scored = report.estimate(result)
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
        "possible": round(scored[1], 2) if scored else None,
        "bonus": ind.bonus,
        "applies_to": list(ind.applies_to),
        "grade": grade(result),
        "na_note": result.na_note,
        "methods": list(ind.methods),
        "owners": list(ind.owners),
        "documents": result.documents,
        "evidence": [_evidence(e) for e in result.evidence],
        "clauses": [_clause(result, c, report) for c in result.clauses],
        "children": [_indicator(c, report) for c in result.children],
    }


def _clause(result: IndicatorResult, clause: ClauseResult, report: Report) -> dict[str, Any]:
    scored = report.clause_estimate(result, clause)
    return {
        "code": clause.clause.code,
        "text": clause.clause.text,
        "points": clause.clause.points,
        "deduct": clause.clause.deduct,
        "methods": list(clause.clause.methods),
        "status": clause.status,
        "estimate": round(scored[0], 2) if scored else None,
        "evidence": [e.evidence.title for e in clause.evidence],
        "items": [_evidence(e) for e in clause.evidence],  # what "evidence" names, counted
    }


def _evidence(e: EvidenceResult) -> dict[str, Any]:
    return {
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
        "cadence": e.evidence.cadence,
        "missing_periods": [list(p) for p in e.missing_periods],
        "activities": [{"path": a.path, "year": a.year, "complete": a.complete,
                        "parts": [_evidence(p) for p in a.parts]} for a in e.activities],
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
