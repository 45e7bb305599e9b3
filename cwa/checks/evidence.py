"""Evidence required vs found, per indicator, and the indicator's status.

A file counts towards an evidence item of its indicator when its kind (text, image, av)
is one the item accepts and either the item is the only one accepting that kind, or the
file's name (with the sub-folders it sits in) names the item: it contains the item's
title or one of its ``match`` words, or is close to the title. A file that names no item
counts towards none and is reported (EV004), so that a missing document is never hidden
by an unrelated one. An indicator without an evidence list needs one document of any kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import NamedTuple

from cwa import caption as captions
from cwa import dating, naming, wording
from cwa.findings import Finding
from cwa.match import Placement
from cwa.rubric.model import KINDS, Evidence, Indicator, Years

COMPLETE, PARTIAL, MISSING, NOT_ARCHIVE = "complete", "partial", "missing", "na"
STATUSES = (COMPLETE, PARTIAL, MISSING, NOT_ARCHIVE)
CLOSE = 0.6  # a file name this similar to an item's title names it


class Facts(NamedTuple):
    """What the evidence count learns from a file's content (``cwa.deep``)."""

    year: int | None
    source: str  # "core" | "pdf" | "exif" | "mtime" | ""
    usable: bool
    caption: captions.Caption | None  # an image's caption (None for other files)
    chars: int | None


class Document(NamedTuple):
    rel: str
    kind: str
    year: int | None  # from its year folder or its name
    topic: str  # folded: the sub-folders it sits in and the file's title
    fact: Facts | None = None  # when the check was --deep


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

    def walk(self) -> Iterator[IndicatorResult]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> list[IndicatorResult]:
        return [r for r in self.walk() if not r.children]


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
    namer = _Namer(items)
    window = frozenset(years.span()) if years is not None else None
    for doc in documents:
        fact = doc.fact
        if fact is not None and not fact.usable:
            continue  # it does not open: the content finding says why; it does not count
        index = namer.assign(doc)
        if index is None:
            out.append(Finding("EV004", doc.rel, indicator.code,
                               {"titles": wording.listing(e.title for e in items)}))
            continue
        item = result.evidence[index]
        item.files.append(doc.rel)
        year, weak = doc.year, False
        if year is None and fact is not None:
            year, weak = fact.year, fact.source == "mtime"
        if year is not None:
            item.by_year[year] = item.by_year.get(year, 0) + 1
        if weak and item.evidence.per_year:
            out.append(Finding("YR003", doc.rel, indicator.code, {"year": year}))
        elif window is not None and year is not None and year not in window and not weak:
            out.append(Finding("YR002", doc.rel, indicator.code,
                               {"year": year, "years": str(years)}))
        elif year is None and item.evidence.per_year and years is not None:
            out.append(Finding("YR001", doc.rel, indicator.code, {"title": item.evidence.title}))
        if fact is not None:
            _content_rules(doc, item.evidence, indicator.code, out)
    for item in result.evidence:
        _judge(item, years, placement, out)
    satisfied = [i.satisfied for i in result.evidence]
    usable = [d for d in documents if d.fact is None or d.fact.usable]
    if all(satisfied):
        result.status = COMPLETE
    elif any(i.found for i in result.evidence) or usable:
        result.status = PARTIAL
    else:
        result.status = MISSING
    result.points_covered = indicator.points if result.status == COMPLETE else None
    return result


def _content_rules(doc: Document, evidence: Evidence, code: str, out: list[Finding]) -> None:
    """What the rubric asks of an item's content: captions on photos, a length limit."""
    fact = doc.fact
    assert fact is not None
    judged = captions.judge(fact.caption, evidence.caption_elements) \
        if evidence.caption and doc.kind == "image" else None
    if judged is not None:
        out.append(Finding(judged[0], doc.rel, code, {"title": evidence.title, **judged[1]}))
    if evidence.max_chars and fact.chars is not None and fact.chars > evidence.max_chars:
        out.append(Finding("WD002", doc.rel, code, {
            "title": evidence.title, "chars": fact.chars, "max": evidence.max_chars}))


def _judge(item: EvidenceResult, years: Years | None, placement: Placement,
           out: list[Finding]) -> None:
    evidence, code = item.evidence, placement.indicator.code
    if evidence.per_year and years is not None:
        item.missing_years = [y for y in years.span() if item.by_year.get(y, 0) < evidence.min]
        item.satisfied = not item.missing_years
        if item.missing_years:
            out.append(Finding("EV002", placement.rel, code, {
                "title": evidence.title, "min": evidence.min,
                "years": wording.listing(str(y) for y in item.missing_years),
                "unit": wording.unit(evidence.kinds),
                "missing_years": item.missing_years,
                "kinds": list(evidence.kinds)}))
        return
    item.satisfied = item.found >= evidence.min
    if not item.satisfied:
        out.append(Finding("EV001", placement.rel, code, {
            "title": evidence.title, "min": evidence.min, "found": item.found,
            "unit": wording.unit(evidence.kinds),
            "kinds": list(evidence.kinds)}))


class _Namer:
    """Which evidence item a file's topic names; titles folded once per indicator."""

    def __init__(self, items: tuple[Evidence, ...]) -> None:
        self.titles = [naming.fold(e.title) for e in items]
        self.words = [[w for w in map(naming.fold, e.match) if w] for e in items]
        self.by_kind = {kind: [i for i, e in enumerate(items) if kind in e.kinds]
                        for kind in KINDS}

    def assign(self, doc: Document) -> int | None:
        """The item the file counts towards: its title beats a ``match`` word, a longer
        word beats a shorter one, a close title counts last; None when nothing fits."""
        candidates = self.by_kind[doc.kind]
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        topic = doc.topic
        if not topic:
            return None
        best, best_score = None, 0.0
        for i in candidates:
            title = self.titles[i]
            if title and title in topic:
                score = 3.0 + len(title) / 1000
            else:
                hits = [len(w) for w in self.words[i] if w in topic]
                if not hits:
                    continue
                score = 2.0 + max(hits) / 1000
            if score > best_score:
                best, best_score = i, score
        if best is not None:
            return best
        for i in candidates:
            matcher = SequenceMatcher(None, topic, self.titles[i])
            if matcher.real_quick_ratio() < CLOSE or matcher.quick_ratio() < CLOSE:
                continue  # cheap upper bounds first: most names are nowhere near
            score = matcher.ratio()
            if score >= CLOSE and score > best_score:
                best, best_score = i, score
        return best


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


def document(rel: str, kind: str, stem: str, title: str, year_from_folder: int | None,
             folders_topic: str, fact: Facts | None = None) -> Document:
    """An evidence file: its kind, its year (folder first, then name) and its topic.
    ``folders_topic`` is the folded titles of the sub-folders it sits in."""
    year = dating.named_year(stem, year_from_folder)  # the rule `cwa catalog` uses too
    return Document(rel, kind, year, folders_topic + naming.fold(title), fact)
