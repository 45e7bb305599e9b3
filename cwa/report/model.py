"""One report model, built once from a check, rendered by every format."""

from __future__ import annotations

import json
import json.encoder
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from cwa import __version__
from cwa.checks import Outcome
from cwa.checks.evidence import STATUSES, ClauseResult, EvidenceResult, IndicatorResult
from cwa.findings import CODES, KEYS, SEVERITIES, Finding
from cwa.messages import fill
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
    #: what a renderer made of each top-level result where it was checked (``check``'s
    #: ``part``; None for a missing folder), in the order of ``results``. Their findings
    #: are then not in ``findings`` (``summary`` counts them); ``parts_at`` is where they
    #: would be. Empty: every finding is in ``findings``.
    parts: list[Any] = field(default_factory=list)
    parts_at: int = 0

    def findings_of(self, code: str | None) -> list[Finding]:
        return self._by_indicator.get(code, [])

    @cached_property
    def _by_indicator(self) -> dict[str | None, list[Finding]]:
        grouped: dict[str | None, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.indicator, []).append(finding)
        return grouped

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
    severities = Counter(f.severity for f in findings) + outcome.severities
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
                  declarations=declarations, estimates=estimates, scorer=scorer,
                  parts=outcome.finished, parts_at=outcome.at)


def part_of(archive: str, rubric: Rubric, years: Years | None, result: IndicatorResult,
            findings: list[Finding]) -> Report:
    """The report of one top-level indicator and its findings, to render it where it was
    checked (``check``'s ``part``): what every renderer reads of a report but the summary
    and the archive's own level."""
    scorer = Scorer(rubric)
    return Report(archive, rubric, years, [result], findings, _NO_SUMMARY,
                  estimates={id(r): scorer.of(r) for r in result.walk()}, scorer=scorer)


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
    return _visible(text) + "\n"


def _visible(text: str) -> str:
    """JSON text with bidi overrides, zero-width characters and line separators written
    as ``\\u`` escapes (the same value when read)."""
    if text.isprintable():
        return text
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _utf8(value: Any, indent: int | None = None) -> bytes:
    """``dumps`` as UTF-8, without the line break."""
    try:
        return _visible(json.dumps(value, ensure_ascii=False, indent=indent)).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, indent=indent).encode("ascii")


_NO_SUMMARY = Summary({}, None, None, {}, 0, 0)


def to_dict(report: Report) -> dict[str, Any]:
    """The JSON shape (``schema_version`` 1). Keys are stable; new keys may be added.
    (Of a report made with ``part``, only the findings in ``findings``: see
    ``json_document``.)"""
    return _document(report, [_indicator(r, report) for r in report.results],
                     [_finding(f) for f in report.findings])


#: Stand for the two long lists in the JSON document while the rest is written.
_INDICATORS, _FINDINGS = "\x00indicators", "\x00findings"


def json_part(report: Report) -> tuple[bytes, bytes]:
    """A top-level indicator's part of the JSON document, written where it was checked:
    its entry of ``indicators`` and its ``findings``, each as UTF-8 text between a list's
    brackets."""
    return (_inner([_indicator(r, report) for r in report.results]),
            _findings(report.findings))


def json_document(report: Report) -> bytes:
    """The JSON document (``to_dict``), as UTF-8 (``json_chunks`` joined)."""
    return b"".join(json_chunks(report))


def json_chunks(report: Report) -> Iterator[bytes]:
    """The JSON document (``to_dict``), as UTF-8, piece by piece (a million findings
    are written without being held twice), with the parts written where they were
    checked when there are (``Report.parts``). Each piece is valid UTF-8 on its own: one
    that holds a name that is not is written with ``\\u`` escapes (see ``dumps``)."""
    if report.parts:
        indicators = [part[0] if part is not None else _inner([_indicator(r, report)])
                      for r, part in zip(report.results, report.parts, strict=True)]
        at, findings = report.parts_at, report.findings
        listed = [_findings(findings[:at]),
                  *(part[1] for part in report.parts if part is not None),
                  _findings(findings[at:])]
    else:
        indicators = [_inner([_indicator(r, report)]) for r in report.results]
        listed = [_findings(report.findings)]
    head, middle, tail = _split(dumps(_document(report, _INDICATORS, _FINDINGS)))
    yield head
    yield b"["
    yield b", ".join(i for i in indicators if i)
    yield b"]"
    yield middle
    yield b"["
    first = True
    for piece in listed:
        if piece:
            yield piece if first else b", " + piece
            first = False
    yield b"]"
    yield tail


#: Findings made into JSON this many at a time: a part with 100,000 of them is never
#: all dictionaries, or all text, at once.
BATCH = 4096


def _findings(findings: list[Finding]) -> bytes:
    """``findings`` as JSON without the list's brackets, a batch at a time."""
    out = []
    for start in range(0, len(findings), BATCH):
        batch = findings[start:start + BATCH]
        text = ", ".join(map(_finding_json, batch))
        try:
            out.append(text.encode("utf-8"))
        except UnicodeEncodeError:  # a name that is not UTF-8: as ``dumps`` writes it
            out.append(_inner([_finding(f) for f in batch]))
    return b", ".join(out)


#: What json.dumps(ensure_ascii=False) writes for a string; a finding's whole text is
#: then made ``_visible`` once (the escapes it writes are the same wherever applied).
_quote = json.encoder.encode_basestring


def _finding_json(finding: Finding) -> str:
    """``json.dumps(_finding(finding), ensure_ascii=False)``, the same text, put together
    from the pieces that every finding of a code shares: a check may have a hundred
    thousand findings, and a dictionary made for each to be taken apart again costs
    half of writing them."""
    code, args = finding.code, finding.args
    message, hint = KEYS[code]
    indicator = finding.indicator
    return _visible(
        f'{{"code": "{code}", "severity": "{CODES[code]}", "path": {_quote(finding.path)}, '
        f'"indicator": {"null" if indicator is None else _quote(indicator)}, '
        f'"message": {_quote(fill(message, args))}, "hint": {_quote(fill(hint, args))}, '
        f'"data": {_data(args)}}}')


def _data(args: dict[str, Any]) -> str:
    """``json.dumps(args, ensure_ascii=False)`` for the values findings carry (text,
    whole numbers, lists of them); anything else by json itself. (Not yet ``_visible``:
    the finding it is part of is.)"""
    pieces = []
    for key, value in args.items():
        kind = type(value)
        if kind is str:
            shown = _quote(value)
        elif kind is int:
            shown = int.__repr__(value)
        elif kind is list and all(type(v) is str or type(v) is int for v in value):
            shown = "[" + ", ".join(_quote(v) if type(v) is str else int.__repr__(v)
                                    for v in value) + "]"
        else:
            shown = json.dumps(value, ensure_ascii=False)
        if type(key) is not str:
            return json.dumps(args, ensure_ascii=False)
        pieces.append(f"{_quote(key)}: {shown}")
    return "{" + ", ".join(pieces) + "}"


def _split(text: str) -> tuple[bytes, bytes, bytes]:
    """The document around its two lists' stand-ins."""
    head, _, rest = text.partition(_json_string(_INDICATORS))
    middle, _, tail = rest.partition(_json_string(_FINDINGS))
    return head.encode(), middle.encode(), tail.encode()


def _json_string(text: str) -> str:
    return json.dumps(text)


def _inner(items: list[Any]) -> bytes:
    """``items`` as JSON, without the list's brackets."""
    return _utf8(items)[1:-1] if items else b""


def _document(report: Report, indicators: Any, findings: Any) -> dict[str, Any]:
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
        "indicators": indicators,
        "findings": findings,
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
    code, args = finding.code, finding.args
    message, hint = KEYS[code]
    return {
        "code": code,
        "severity": CODES[code],
        "path": finding.path,
        "indicator": finding.indicator,
        "message": fill(message, args),
        "hint": fill(hint, args),
        "data": args,
    }
