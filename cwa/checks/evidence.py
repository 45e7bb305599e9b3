"""Evidence required vs found, per indicator and per clause, and their status.

A file counts towards an evidence item of its indicator when its kind (text, image, av)
is one the item accepts and either the item is the only one accepting that kind, or the
file's name (with the sub-folders it sits in) names the item: it contains the item's
title or one of its ``match`` words, or is close to the title. A file that names no item
counts towards none and is reported (EV004), so that a missing document is never hidden
by an unrelated one. An indicator without an evidence list needs one document of any kind.

The items of a leaf are its own (shared by its clauses) and its clauses' (each clause is
judged on its own items and the shared ones); all live in the indicator's folder. An
item with ``activities`` is met by dated sub-folders, one per activity, each holding its
``bundle``. Items counted by year (``per_year``, ``cadence``) need files in every year
that is due; a ``window`` narrows the years to those before the inspection year.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, NamedTuple

from cwa import naming, wording
from cwa.checks import periods
from cwa.findings import Finding
from cwa.match import Placement
from cwa.rubric.model import ALL_KINDS, Clause, Evidence, Indicator, Years

if TYPE_CHECKING:
    from cwa import caption as captions

COMPLETE, PARTIAL, MISSING, NOT_ARCHIVE = "complete", "partial", "missing", "na"
NOT_APPLICABLE = "not_applicable"
STATUSES = (COMPLETE, PARTIAL, MISSING, NOT_ARCHIVE, NOT_APPLICABLE)
#: Statuses that leave an indicator out of the score on both sides.
UNSCORED = frozenset({NOT_ARCHIVE, NOT_APPLICABLE})
CLOSE = 0.6  # a file name this similar to an item's title names it
#: The words that make a document a written 不适用说明 (N/A note).
NA_WORDS = tuple(naming.fold(w) for w in ("不适用说明", "不适用", "无此项说明"))


class Facts(NamedTuple):
    """What the evidence count learns from a file's content (``cwa.deep``)."""

    year: int | None
    source: str  # "core" | "pdf" | "exif" | "mtime" | ""
    usable: bool
    caption: captions.Caption | None  # an image's caption (None for other files)
    chars: int | None
    number: str | None = None  # a .docx's 文号 ("" none on its first page; None unread)


class Document(NamedTuple):
    rel: str
    kind: str
    year: int | None  # from its year folder, its activity folder's date or its name
    topic: str  # folded: the sub-folders it sits in and the file's title
    fact: Facts | None = None  # when the check was --deep
    activity: str = ""  # the dated activity sub-folder it sits in (archive-relative)


class Context(NamedTuple):
    """What the evidence count needs beyond the rubric: the archive's years (the last is
    the inspection year), what kind of unit this is, and today's date (periods due)."""

    years: Years | None
    unit_types: tuple[str, ...] | None = None  # None: cwa.yaml does not say
    today: date | None = None  # None: the real today (``periods.today``)

    @property
    def now(self) -> date:
        return self.today or periods.today()

    def applies(self, indicator: Indicator) -> bool:
        if not indicator.applies_to or self.unit_types is None:
            return True
        return any(u in indicator.applies_to for u in self.unit_types)

    def years_of(self, evidence: Evidence) -> list[int]:
        """The years a yearly item is counted in: the window's, else the archive's."""
        if self.years is None:
            return []
        if evidence.window is not None:
            return list(evidence.window.span(self.years.end))
        return list(self.years.span())


class ActivityResult(NamedTuple):
    path: str  # archive-relative
    year: int | None
    parts: list[EvidenceResult]
    complete: bool = False


@dataclass
class EvidenceResult:
    evidence: Evidence
    files: list[str] = field(default_factory=list)
    by_year: dict[int, int] = field(default_factory=dict)
    missing_years: list[int] = field(default_factory=list)
    satisfied: bool = False
    due_years: list[int] = field(default_factory=list)  # yearly items: the years asked
    #: cadence items: (year, period) asked and (year, period) missing
    due_periods: list[tuple[int, int]] = field(default_factory=list)
    missing_periods: list[tuple[int, int]] = field(default_factory=list)
    periods: dict[tuple[int, int], int] = field(default_factory=dict)
    activities: list[ActivityResult] = field(default_factory=list)
    #: files counted whose paths are no longer listed in ``files`` (see ``unlist``)
    unlisted: int = 0

    @property
    def found(self) -> int:
        """Files found; for an activity item, the activities that hold their bundle."""
        if self.evidence.activities:
            return sum(1 for a in self.activities if a.complete)
        return len(self.files) + self.unlisted

    def unlist(self) -> None:
        """Keep the number of files, not their paths: once a report has been rendered
        where its part was checked, what goes back is what the summary needs."""
        self.unlisted += len(self.files)
        self.files = []
        for activity in self.activities:
            for part in activity.parts:
                part.unlist()

    def missing_units(self, year: int | None = None) -> int:
        """What is missing, counted in the item's own unit (file, year, period, activity);
        only ``year``'s part when given. Deductions are per missing unit."""
        e = self.evidence
        if e.cadence:
            return sum(1 for y, _ in self.missing_periods if year is None or y == year)
        if e.per_year and self.due_years:
            years = [y for y in self.due_years if year is None or y == year]
            return sum(max(0, self._required() - self._count(y)) for y in years)
        if year is not None and e.per_year:
            return 0
        return max(0, self._required() - self.found)

    def _required(self) -> int:
        return self.evidence.activities or self.evidence.min

    def _count(self, year: int) -> int:
        if self.evidence.activities:
            return sum(1 for a in self.activities if a.complete and a.year == year)
        return self.by_year.get(year, 0)


@dataclass
class ClauseResult:
    clause: Clause
    status: str = MISSING
    evidence: list[EvidenceResult] = field(default_factory=list)  # its own items
    shared: list[EvidenceResult] = field(default_factory=list)  # the indicator's items

    @property
    def items(self) -> list[EvidenceResult]:
        return self.evidence + self.shared


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
    clauses: list[ClauseResult] = field(default_factory=list)
    na_note: str | None = None  # the written 不适用说明 that satisfies it

    def walk(self) -> Iterator[IndicatorResult]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> list[IndicatorResult]:
        return [r for r in self.walk() if not r.children]

    def trail(self, below: IndicatorResult) -> list[str]:
        """The names (as the rubric words them) from under this indicator down to
        ``below``, one of its descendants; [] when it is not one."""
        for child in self.children:
            if child is below:
                return [child.indicator.wording]
            found = child.trail(below)
            if found:
                return [child.indicator.wording, *found]
        return []

    def unlist(self) -> None:
        """``EvidenceResult.unlist`` for every item of this indicator and those below."""
        for result in self.walk():
            for item in result.evidence:
                item.unlist()
            for clause in result.clauses:
                for item in clause.items:
                    item.unlist()


def implicit(indicator: Indicator) -> tuple[Evidence, ...]:
    """The items of a leaf shared by its clauses: its own list; else, when something in
    it needs documents without naming them, one document of any kind (shared only by the
    clauses that name none)."""
    if indicator.evidence:
        return indicator.evidence
    if not indicator.clauses or any(c.needs_archive and not c.evidence
                                    for c in indicator.clauses):
        return (Evidence(title=indicator.name),)
    return ()


def evaluate(placement: Placement, documents: list[Document], ctx: Context,
             out: list[Finding], applicable: bool = True) -> IndicatorResult:
    """The result of a leaf indicator whose documents have been collected."""
    indicator = placement.indicator
    result = IndicatorResult(indicator, placement.rel, placement.folder is not None,
                             documents=len(documents))
    if not applicable:
        result.status = NOT_APPLICABLE
        return result
    if not indicator.needs_archive:
        result.status = NOT_ARCHIVE
        result.clauses = [ClauseResult(c, NOT_ARCHIVE) for c in indicator.clauses]
        return result
    usable = [d for d in documents if d.fact is None or d.fact.usable]
    if indicator.na_note:
        note = next((d for d in usable if any(w in d.topic for w in NA_WORDS)), None)
        if note is not None:
            result.status, result.na_note = COMPLETE, note.rel
            result.points_covered = indicator.points
            result.clauses = [ClauseResult(c, COMPLETE if c.needs_archive else NOT_ARCHIVE)
                              for c in indicator.clauses]
            return result
    shared = implicit(indicator)
    owned = [(c, e) for c in indicator.clauses if c.needs_archive for e in c.evidence]
    items = [EvidenceResult(e) for e in shared] + [EvidenceResult(e) for _, e in owned]
    count(items, documents, placement, ctx, out)
    result.evidence = items
    shared_results = items[:len(shared)]
    by_clause: dict[int, list[EvidenceResult]] = {}
    for (clause, _), item in zip(owned, items[len(shared):], strict=True):
        by_clause.setdefault(id(clause), []).append(item)
    explicit = bool(indicator.evidence)
    for clause in indicator.clauses:
        cr = ClauseResult(clause, NOT_ARCHIVE)
        if clause.needs_archive:
            cr.evidence = by_clause.get(id(clause), [])
            cr.shared = shared_results if explicit or not cr.evidence else []
            cr.status = _status(cr.items, bool(usable) and not cr.evidence)
        result.clauses.append(cr)
    result.status = _status(items, bool(usable))
    result.points_covered = indicator.points if result.status == COMPLETE else None
    return result


def _status(items: list[EvidenceResult], has_documents: bool) -> str:
    if all(i.satisfied for i in items):
        return COMPLETE
    if any(i.found or i.files or i.unlisted for i in items) or has_documents:
        return PARTIAL
    return MISSING


def count(items: list[EvidenceResult], documents: list[Document], placement: Placement,
          ctx: Context, out: list[Finding], named: list[Document] | None = None) -> None:
    """Attribute ``documents`` to ``items`` and judge each. ``named``: files from
    sub-indicators' folders, counted for a parent's item only when they name it."""
    code = placement.indicator.code
    evidences = tuple(i.evidence for i in items)
    namer = _Namer(evidences)
    years = ctx.years
    # what each item's files are held to: the years they may come from, and whether the
    # item is counted by year, by period, with its own window (precomputed: the loop below
    # sees every file)
    window = frozenset(years.span()) if years is not None else None
    spans = [frozenset(e.window.span(years.end)) if e.window and years else None
             for e in evidences]
    special = any(e.cadence or e.window or e.dated for e in evidences)
    grouped = _activities(items, documents, namer) if any(e.activities for e in evidences) \
        else {}
    by_activity: dict[int, dict[str, list[Document]]] = {}
    assign = namer.assign
    unnamed: dict[str, str] | None = None  # EV004's arguments: the same for every file
    span = str(years)
    for doc in documents:
        fact = doc.fact
        if fact is not None and not fact.usable:
            continue  # it does not open: the content finding says why; it does not count
        if grouped and doc.activity in grouped:
            by_activity.setdefault(grouped[doc.activity], {}).setdefault(
                doc.activity, []).append(doc)
            continue  # counted for its activity
        index = assign(doc)
        if index is None:
            if unnamed is None:
                unnamed = {"titles": wording.listing(e.title for e in evidences)}
            out.append(Finding("EV004", doc.rel, code, unnamed))
            continue
        if special or fact is not None:
            _attribute(items[index], spans[index], doc, placement, window, years, special, out)
            continue
        # the common case, inline (this loop sees every file): what _attribute does
        item = items[index]
        year = doc.year
        item.files.append(doc.rel)
        if year is not None:
            item.by_year[year] = item.by_year.get(year, 0) + 1
            if window is not None and year not in window:
                out.append(Finding("YR002", doc.rel, code, {"year": year, "years": span}))
        elif item.evidence.yearly and years is not None:
            out.append(Finding("YR001", doc.rel, code, {"title": item.evidence.title}))
    for doc in named or ():
        if doc.fact is not None and not doc.fact.usable:
            continue
        index = namer.name(doc)
        if index is not None:
            _attribute(items[index], spans[index], doc, placement, window, years, special, out)
    for index, item in enumerate(items):
        if item.evidence.activities:
            _judge_activities(item, by_activity.get(index, {}), placement, ctx, out)
        _judge(item, ctx, placement, out)


def _attribute(item: EvidenceResult, span: frozenset[int] | None, doc: Document,
               placement: Placement, window: frozenset[int] | None, years: Years | None,
               special: bool, out: list[Finding]) -> None:
    """Count ``doc`` for ``item``, with the findings its year calls for."""
    evidence, code, fact = item.evidence, placement.indicator.code, doc.fact
    year, weak = doc.year, False
    if year is None and fact is not None:
        year, weak = fact.year, fact.source == "mtime"
    if special and span is not None and year is not None and not weak and year not in span:
        out.append(Finding("YR004", doc.rel, code, {
            "year": year, "title": evidence.title, "years": _span(sorted(span))}))
        return
    item.files.append(doc.rel)
    if evidence.dated and periods.activity_date(
            naming.ascii_digits(doc.rel.rpartition("/")[2])) is None:  # ２０２４年 too
        out.append(Finding("NM007", doc.rel, code, {"title": evidence.title}))
    if year is not None:
        item.by_year[year] = item.by_year.get(year, 0) + 1
        if special and evidence.cadence:
            period = periods.period_of(evidence.cadence, _tail(doc.rel, placement.rel))
            if period is not None:
                item.periods[(year, period)] = item.periods.get((year, period), 0) + 1
    if weak and evidence.yearly:
        out.append(Finding("YR003", doc.rel, code, {"year": year}))
    elif window is not None and year is not None and year not in window and not weak \
            and span is None:
        out.append(Finding("YR002", doc.rel, code, {"year": year, "years": str(years)}))
    elif year is None and evidence.yearly and years is not None:
        out.append(Finding("YR001", doc.rel, code, {"title": evidence.title}))
    if fact is not None:
        _content_rules(doc, evidence, code, out)


def _activities(items: list[EvidenceResult], documents: list[Document], namer: _Namer
                ) -> dict[str, int]:
    """Activity folder → the item it is an activity of. With one activity item every
    dated sub-folder is one of its activities; with several, the folder's name says."""
    which = [i for i, item in enumerate(items) if item.evidence.activities]
    out: dict[str, int] = {}
    for doc in documents:
        if not doc.activity or doc.activity in out:
            continue
        if len(which) == 1:
            out[doc.activity] = which[0]
            continue
        topic = naming.fold(doc.activity.rsplit("/", 1)[-1])
        for i in which:
            words = [namer.titles[i], *namer.words[i]]
            if any(w and w in topic for w in words):
                out[doc.activity] = i
                break
    return out


def _judge_activities(item: EvidenceResult, docs_by_folder: dict[str, list[Document]],
                      placement: Placement, ctx: Context, out: list[Finding]) -> None:
    """Each activity folder of ``item`` against its bundle: an activity counts when its
    folder holds every part of the bundle."""
    evidence = item.evidence
    bundle = evidence.bundle or (Evidence(title=evidence.title, kinds=evidence.kinds,
                                          min=evidence.min),)
    inner = Context(None, ctx.unit_types, ctx.now)
    for folder, docs in docs_by_folder.items():
        date = periods.activity_date(folder.rsplit("/", 1)[-1])
        parts = [EvidenceResult(e) for e in bundle]
        sub = Placement(placement.indicator, placement.position, placement.expected, folder)
        count(parts, docs, sub, inner, [])
        activity = ActivityResult(folder, date[0] if date else None, parts,
                                  all(p.satisfied for p in parts))
        item.activities.append(activity)
        item.files += [f for p in parts for f in p.files]
        if activity.complete and activity.year is not None:
            item.by_year[activity.year] = item.by_year.get(activity.year, 0) + 1
        if not activity.complete:
            lacking = [p for p in parts if not p.satisfied]
            out.append(Finding("EV007", folder, placement.indicator.code, {
                "title": evidence.title,
                "needs": wording.listing(_needs(p) for p in lacking)}))


def _needs(part: EvidenceResult) -> str:
    return f"{part.evidence.title} {part.found}/{part.evidence.min} {t_unit(part.evidence)}"


def _content_rules(doc: Document, evidence: Evidence, code: str, out: list[Finding]) -> None:
    """What the rubric asks of an item's content: captions on photos, a length limit, a
    文号 on a formal document."""
    from cwa import caption as captions  # --deep only: its patterns compile on import

    fact = doc.fact
    assert fact is not None
    judged = captions.judge(fact.caption, evidence.caption_elements) \
        if evidence.caption and doc.kind == "image" else None
    if judged is not None:
        out.append(Finding(judged[0], doc.rel, code, {"title": evidence.title, **judged[1]}))
    if evidence.max_chars and fact.chars is not None and fact.chars > evidence.max_chars:
        out.append(Finding("WD002", doc.rel, code, {
            "title": evidence.title, "chars": fact.chars, "max": evidence.max_chars}))
    if evidence.formal and fact.number == "":
        out.append(Finding("WD003", doc.rel, code, {"title": evidence.title}))


def _judge(item: EvidenceResult, ctx: Context, placement: Placement,
           out: list[Finding]) -> None:
    evidence, code = item.evidence, placement.indicator.code
    unit = t_unit(evidence)
    required = evidence.activities or evidence.min
    if evidence.cadence and ctx.years is not None:
        for year in ctx.years_of(evidence):
            for period in periods.due(evidence, year, ctx.now):
                item.due_periods.append((year, period))
                if item.periods.get((year, period), 0) < evidence.min:
                    item.missing_periods.append((year, period))
        item.due_years = sorted({y for y, _ in item.due_periods})
        item.missing_years = sorted({y for y, _ in item.missing_periods})
        item.satisfied = not item.missing_periods
        if item.missing_periods:
            out.append(Finding("EV005", placement.rel, code, {
                "title": evidence.title, "min": evidence.min, "unit": unit,
                "missing": wording.listing(
                    _year_periods(evidence.cadence, year, item.missing_periods)
                    for year in item.missing_years),
                "missing_periods": [list(p) for p in item.missing_periods],
                "kinds": list(evidence.kinds)}))
        return
    if evidence.per_year and ctx.years is not None:
        item.due_years = [y for y in ctx.years_of(evidence)
                          if periods.due(evidence, y, ctx.now)]
        have = item.by_year
        item.missing_years = [y for y in item.due_years if have.get(y, 0) < required]
        item.satisfied = not item.missing_years
        if item.missing_years:
            out.append(Finding("EV002", placement.rel, code, {
                "title": evidence.title, "min": required,
                "years": wording.listing(str(y) for y in item.missing_years),
                "unit": unit,
                "missing_years": item.missing_years,
                "kinds": list(evidence.kinds)}))
        return
    item.satisfied = item.found >= required
    if not item.satisfied:
        out.append(Finding("EV001", placement.rel, code, {
            "title": evidence.title, "min": required, "found": item.found,
            "unit": unit,
            "kinds": list(evidence.kinds)}))


def t_unit(evidence: Evidence) -> str:
    return wording.unit(evidence.kinds, activities=bool(evidence.activities))


def _year_periods(cadence: str, year: int, missing: list[tuple[int, int]]) -> str:
    return wording.year_periods(year, cadence, [p for y, p in missing if y == year])


def _span(years: list[int]) -> str:
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])


def _tail(rel: str, base: str) -> str:
    """A file's path below its indicator's folder (the names that may carry a month)."""
    return rel[len(base) + 1:] if base and rel.startswith(base + "/") else rel


class _Namer:
    """Which evidence item a file's topic names; titles folded once per indicator."""

    def __init__(self, items: tuple[Evidence, ...]) -> None:
        self.titles = [naming.fold(e.title) for e in items]
        #: each item's match words, longest first: the first found is the longest
        self.words = [sorted({w for w in map(naming.fold, e.match) if w}, key=len,
                             reverse=True) for e in items]
        self.by_kind = {kind: [i for i, e in enumerate(items) if kind in e.kinds
                               and not e.activities] for kind in ALL_KINDS}
        self.matchers: dict[int, SequenceMatcher[str]] = {}

    def assign(self, doc: Document) -> int | None:
        """The item the file counts towards: the only one of its kind, else the one its
        name names (``name``); None when nothing fits."""
        candidates = self.by_kind[doc.kind]
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        return self.name(doc, candidates)

    def name(self, doc: Document, candidates: list[int] | None = None) -> int | None:
        """The item the file's name names: its title beats a ``match`` word, a longer
        word beats a shorter one, a close title counts last."""
        if candidates is None:
            candidates = self.by_kind[doc.kind]
        topic = doc.topic
        if not topic or not candidates:
            return None
        best, best_score = None, 0.0
        titles, words = self.titles, self.words
        for i in candidates:
            title = titles[i]
            if title and title in topic:
                score = 3.0 + len(title) / 1000
            else:
                for word in words[i]:
                    if word in topic:
                        score = 2.0 + len(word) / 1000
                        break
                else:
                    continue
            if score > best_score:
                best, best_score = i, score
        if best is not None:
            return best
        size = len(topic)
        for i in candidates:  # a close title: cheap upper bounds first, most are not
            length = size + len(titles[i])  # real_quick_ratio(), without a call
            if 2.0 * min(size, length - size) / length < CLOSE:
                continue
            matcher = self._matcher(i)
            matcher.set_seq1(topic)
            if matcher.quick_ratio() < CLOSE:
                continue
            score = matcher.ratio()
            if score >= CLOSE and score > best_score:
                best, best_score = i, score
        return best

    def _matcher(self, i: int) -> SequenceMatcher[str]:
        """A matcher against item ``i``'s title, made once: difflib indexes its second
        sequence when it is set, so the title is set once and each file's topic is the
        first sequence."""
        matcher = self.matchers.get(i)
        if matcher is None:
            matcher = self.matchers[i] = SequenceMatcher(None, "", self.titles[i])
        return matcher


def combine(indicator: Indicator, path: str, present: bool, children: list[IndicatorResult],
            own: list[EvidenceResult] | None = None,
            applicable: bool = True) -> IndicatorResult:
    """A parent's result from its children's (and its own items', when it has some)."""
    result = IndicatorResult(indicator, path, present, children=children,
                             documents=sum(c.documents for c in children),
                             evidence=own or [])
    counted = [c.status for c in children if c.status not in UNSCORED]
    if own:
        counted.append(_status(own, False))
    if not applicable:
        result.status = NOT_APPLICABLE
    elif not counted:
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
