"""Evidence required vs found, per indicator, and the indicator's status.

A file counts towards an evidence item of its indicator when its kind (text, image, av)
is one the item accepts and either the item is the only one accepting that kind, or the
file's name (with the sub-folders it sits in) names the item: it contains the item's
title or one of its ``match`` words, or is close to the title. A file that names no item
counts towards none and is reported (EV004), so that a missing document is never hidden
by an unrelated one. An indicator without an evidence list needs one document of any kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from cwa import kinds, naming
from cwa.findings import Finding
from cwa.match import Placement
from cwa.rubric.model import Evidence, Indicator, Years

COMPLETE, PARTIAL, MISSING, NOT_ARCHIVE = "complete", "partial", "missing", "na"
STATUSES = (COMPLETE, PARTIAL, MISSING, NOT_ARCHIVE)


@dataclass(frozen=True)
class Document:
    rel: str
    kind: str
    year: int | None
    topic: str  # folded: the file's title and the sub-folders it sits in


@dataclass
class EvidenceResult:
    evidence: Evidence
    files: list[str] = field(default_factory=list)
    by_year: dict[int, int] = field(default_factory=dict)
    missing_years: list[int] = field(default_factory=list)
    satisfied: bool = False

    @property
    def found(self) -> int:
        return len(self.files)


@dataclass
class IndicatorResult:
    indicator: Indicator
    path: str
    present: bool
    status: str = MISSING
    evidence: list[EvidenceResult] = field(default_factory=list)
    documents: int = 0
    points_covered: float | None = None
    children: list[IndicatorResult] = field(default_factory=list)


def implicit(indicator: Indicator) -> tuple[Evidence, ...]:
    return indicator.evidence or (Evidence(title=indicator.name),)


def evaluate(placement: Placement, documents: list[Document], years: Years | None,
             out: list[Finding]) -> IndicatorResult:
    """The result of a leaf indicator whose documents have been collected."""
    indicator = placement.indicator
    result = IndicatorResult(indicator, placement.rel, placement.folder is not None,
                             documents=len(documents))
    if not indicator.needs_archive:
        result.status = NOT_ARCHIVE
        return result
    items = implicit(indicator)
    result.evidence = [EvidenceResult(e) for e in items]
    for doc in documents:
        index = _assign(doc, items)
        if index is None:
            out.append(Finding("EV004", doc.rel, indicator.code,
                               {"titles": "、".join(e.title for e in items)}))
            continue
        item = result.evidence[index]
        item.files.append(doc.rel)
        if doc.year is not None:
            item.by_year[doc.year] = item.by_year.get(doc.year, 0) + 1
        if years is not None and doc.year is not None and doc.year not in years:
            out.append(Finding("YR002", doc.rel, indicator.code,
                               {"year": doc.year, "years": str(years)}))
        elif doc.year is None and item.evidence.per_year and years is not None:
            out.append(Finding("YR001", doc.rel, indicator.code, {"title": item.evidence.title}))
    for item in result.evidence:
        _judge(item, years, placement, out)
    satisfied = [i.satisfied for i in result.evidence]
    if all(satisfied):
        result.status = COMPLETE
    elif any(i.found for i in result.evidence) or documents:
        result.status = PARTIAL
    else:
        result.status = MISSING
    result.points_covered = indicator.points if result.status == COMPLETE else None
    return result


def _judge(item: EvidenceResult, years: Years | None, placement: Placement,
           out: list[Finding]) -> None:
    evidence, code = item.evidence, placement.indicator.code
    if evidence.per_year and years is not None:
        item.missing_years = [y for y in years.span() if item.by_year.get(y, 0) < evidence.min]
        item.satisfied = not item.missing_years
        if item.missing_years:
            out.append(Finding("EV002", placement.rel, code, {
                "title": evidence.title, "min": evidence.min,
                "years": "、".join(str(y) for y in item.missing_years),
                "missing_years": item.missing_years,
                "kinds": list(evidence.kinds)}))
        return
    item.satisfied = item.found >= evidence.min
    if not item.satisfied:
        out.append(Finding("EV001", placement.rel, code, {
            "title": evidence.title, "min": evidence.min, "found": item.found,
            "kinds": list(evidence.kinds)}))


def _assign(doc: Document, items: tuple[Evidence, ...]) -> int | None:
    candidates = [i for i, e in enumerate(items) if doc.kind in e.kinds]
    if not candidates:
        return None
    best, best_score = None, 0.0
    for i in candidates:
        score = _score(doc.topic, items[i])
        if score > best_score:
            best, best_score = i, score
    if best is not None:
        return best
    return candidates[0] if len(candidates) == 1 else None


def _score(topic: str, evidence: Evidence) -> float:
    """How well a file's topic names an evidence item: its title beats a ``match`` word,
    a longer word beats a shorter one, a close title counts last."""
    if not topic:
        return 0.0
    title = naming.fold(evidence.title)
    if title and title in topic:
        return 3.0 + len(title) / 1000
    hits = [len(w) for w in map(naming.fold, evidence.match) if w and w in topic]
    if hits:
        return 2.0 + max(hits) / 1000
    ratio = SequenceMatcher(None, topic, title).ratio()
    return ratio if ratio >= 0.6 else 0.0


def combine(indicator: Indicator, path: str, present: bool,
            children: list[IndicatorResult]) -> IndicatorResult:
    """A parent's result from its children's."""
    result = IndicatorResult(indicator, path, present, children=children,
                             documents=sum(c.documents for c in children))
    counted = [c.status for c in children if c.status != NOT_ARCHIVE]
    if not counted:
        result.status = NOT_ARCHIVE
    elif all(s == COMPLETE for s in counted):
        result.status = COMPLETE
    elif all(s == MISSING for s in counted):
        result.status = MISSING
    else:
        result.status = PARTIAL
    if result.status == COMPLETE and indicator.points is not None:
        result.points_covered = indicator.points
    else:
        covered = [c.points_covered for c in children if c.points_covered is not None]
        result.points_covered = sum(covered) if covered else None
    return result


def document(rel: str, name: str, year_from_folder: int | None, folders: list[str]) -> \
        Document | None:
    """A Document for an evidence file, or None when its kind is not evidence."""
    kind = kinds.kind_of(name)
    if kind is None:
        return None
    stem = kinds.split(name)[0]
    title = naming.parse(stem).title
    year = year_from_folder or naming.year_in_name(stem)
    topic = naming.fold(" ".join([*folders, title]))
    return Document(rel, kind, year, topic)
