"""Layout → findings and per-indicator results: each top-level indicator's folder is
scanned and walked once, in a worker process where the system can fork."""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cwa import config, kinds, naming, wording
from cwa.checks import entries, evidence, numbering, periods
from cwa.checks.evidence import Context, Document, EvidenceResult, Facts, IndicatorResult
from cwa.findings import Finding
from cwa.match import Layout, Placement, level
from cwa.messages import t
from cwa.rubric.model import Naming
from cwa.scan import Entry, ScanProblem, Snapshot, scan_into

#: Files cwa itself reads or writes at the archive's top level.
OWN_FILES = config.OWN_FILES
#: What a missing 加分项 is not: an error (it is optional).
OPTIONAL = frozenset({"EV001", "EV002", "EV003", "EV005", "EV007"})


@dataclass
class Outcome:
    results: list[IndicatorResult]
    findings: list[Finding] = field(default_factory=list)


def run(snapshot: Snapshot, layout: Layout, ctx: Context, options: Naming,
        jobs: int = 1, facts: Mapping[str, Facts] | None = None) -> Outcome:
    """Check an archive whose top level only has been scanned (``scan(deep=False)``).

    Each top-level indicator's folder is scanned and checked by ``check_subtree``: in up
    to ``jobs`` worker processes where the system can fork them cheaply, else in turn.
    Either way the same function does the work, and the findings come out in the same
    order: scan problems, then the top level, then indicator by indicator. ``facts``
    (from ``cwa.deep``) tell the evidence count what each file's content says.
    """
    root = snapshot.root
    prefix = path_prefix(root)
    present = [p for p in layout.placements if p.folder is not None]
    matched = {id(p.folder) for p in present}
    for child in layout.root.children:  # unexpected top-level folders: scanned in full
        if child.is_dir and id(child) not in matched:
            scan_into(snapshot, root / child.rel, child)
    work = functools.partial(check_subtree, root, ctx, options, prefix)
    items = [(p, _facts_below(facts, p.rel)) for p in present]
    parts = dict(zip(map(id, present), _map(work, items, jobs), strict=True))
    top = _Walker(ctx, options, prefix)
    top.entries(layout.root, layout.placements, None)
    problems = list(snapshot.problems)
    results, findings = [], []
    for placement in layout.placements:
        part = parts.get(id(placement))
        if part is None:  # a missing folder: found without a scan
            results.append(top.placement(placement, None))
            continue
        results.append(part.result)
        findings += part.findings
        problems += part.problems
        snapshot.files += part.files
        snapshot.dirs += part.dirs
    scan_findings = [Finding("SC001", p.rel, None, {
        "reason": p.reason, "detail": p.detail,
        "why": t(f"scan.{p.reason}", detail=p.detail)}) for p in problems]
    return Outcome(results, scan_findings + top.out + findings)


@dataclass
class Part:
    """What one top-level indicator's folder yields."""

    result: IndicatorResult
    findings: list[Finding]
    problems: list[ScanProblem]
    files: int
    dirs: int


def _facts_below(facts: Mapping[str, Facts] | None, rel: str) -> dict[str, Facts]:
    """The facts of the files below ``rel``: a worker is sent only its own."""
    if not facts:
        return {}
    start = rel + "/"
    return {k: v for k, v in facts.items() if k.startswith(start)}


def check_subtree(root: Path, ctx: Context, options: Naming, prefix: int,
                  item: tuple[Placement, dict[str, Facts]]) -> Part:
    """Scan, match and check one top-level indicator's folder (in a worker, or not)."""
    placement, facts = item
    folder = placement.folder
    assert folder is not None
    snapshot = Snapshot(root, folder, [])
    scan_into(snapshot, root / folder.rel, folder)
    placement.children = level(placement.indicator.children, folder, folder.rel, options)
    walker = _Walker(ctx, options, prefix, facts)
    result = walker.placement(placement, None)
    return Part(result, walker.out, snapshot.problems, snapshot.files, snapshot.dirs)


Item = tuple[Placement, dict[str, Facts]]


def _map(work: Callable[[Item], Part], items: list[Item], jobs: int) -> list[Part]:
    if jobs < 2 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [work(item) for item in items]
    # fork: the workers start in milliseconds with everything already imported. Where
    # only spawn exists (Windows, macOS), starting them would cost more than it saves.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(items)), mp_context=context) as pool:
        return list(pool.map(work, items))


def path_prefix(root: Path) -> int:
    """Characters before the relative path: the real path on Windows; elsewhere the path
    the archive would have if copied to the root of a drive (``D:\\档案名\\``)."""
    if os.name == "nt":
        return len(str(root.resolve())) + 1
    return len("D:\\") + len(root.resolve().name) + 1


class _Walker:
    def __init__(self, ctx: Context, options: Naming, prefix: int,
                 facts: Mapping[str, Facts] | None = None) -> None:
        self.ctx = ctx
        self.options = options
        self.prefix = prefix
        self.facts = facts or {}
        self.out: list[Finding] = []

    def container(self, folder: Entry, placements: list[Placement], code: str | None,
                  applicable: bool = True, collect: list[Document] | None = None
                  ) -> list[IndicatorResult]:
        """A parent indicator's folder: it should hold sub-folders only."""
        self.entries(folder, placements, code)
        return [self.placement(placement, code, applicable, collect)
                for placement in placements]

    def entries(self, folder: Entry, placements: list[Placement], code: str | None) -> None:
        """The entries of the archive or a parent indicator's folder that are not the
        folders of its indicators: unexpected folders and files."""
        matched = {id(p.folder) for p in placements if p.folder is not None}
        for child in folder.children:
            if id(child) in matched or (code is None and child.name in OWN_FILES):
                continue
            what = entries.check(child, code, self.prefix, self.out)
            if what not in entries.USABLE or child.name == kinds.NOTE_FILE:
                continue
            if what == entries.DIR:
                self.out.append(Finding("UX001", child.rel, code, {"name": child.name}))
                self.loose(child, code)
            else:
                self.out.append(Finding("UX002", child.rel, code, {"name": child.name}))

    def placement(self, placement: Placement, parent_code: str | None,
                  applicable: bool = True, collect: list[Document] | None = None
                  ) -> IndicatorResult:
        if not placement.indicator.bonus:
            return self._placement(placement, parent_code, applicable, collect)
        # a 加分项 is optional: what it lacks shows in its status, never as an error
        start = len(self.out)
        result = self._placement(placement, parent_code, applicable, collect)
        self.out[start:] = [f for f in self.out[start:] if f.code not in OPTIONAL]
        return result

    def _placement(self, placement: Placement, parent_code: str | None,
                   applicable: bool = True, collect: list[Document] | None = None
                   ) -> IndicatorResult:
        indicator = placement.indicator
        ctx = self.ctx
        if indicator.applies_to:
            applicable = applicable and ctx.applies(indicator)
            if ctx.unit_types is None:
                self.out.append(Finding("AP001", placement.rel, indicator.code, {
                    "types": wording.listing(indicator.applies_to)}))
        folder = placement.folder
        if folder is None:
            if indicator.needs_archive and applicable:
                self.out.append(Finding("EV003", placement.rel, indicator.code, {
                    "expected": placement.expected}))
            return self._missing(placement, applicable)
        entries.check(folder, parent_code, self.prefix, self.out)
        numbering.indicator_folder(placement, self.options, self.out)
        if indicator.is_leaf:
            docs: list[Document] = []
            self.leaf(folder, indicator.code, None, "", docs)
            if collect is not None:
                collect += docs
            return evidence.evaluate(placement, docs, ctx, self.out, applicable)
        if not indicator.evidence:
            children = self.container(folder, placement.children, indicator.code, applicable,
                                      collect)
            return evidence.combine(indicator, placement.rel, True, children,
                                    applicable=applicable)
        # a parent's own items: the files in its folder, and those below that name them
        own: list[Document] = []
        below: list[Document] = []
        skip = {id(p.folder) for p in placement.children if p.folder is not None}
        self.leaf(folder, indicator.code, None, "", own, skip=skip)
        children = [self.placement(p, indicator.code, applicable, below)
                    for p in placement.children]
        items = [EvidenceResult(e) for e in indicator.evidence]
        if applicable:
            evidence.count(items, own, placement, ctx, self.out, named=below)
        if collect is not None:
            collect += own + below
        return evidence.combine(indicator, placement.rel, True, children, items, applicable)

    def _missing(self, placement: Placement, applicable: bool) -> IndicatorResult:
        indicator = placement.indicator
        applicable = applicable and self.ctx.applies(indicator)
        if indicator.is_leaf:
            return evidence.evaluate(placement, [], self.ctx, [], applicable)
        children = [self._missing(c, applicable) for c in placement.children]
        items = [EvidenceResult(e) for e in indicator.evidence]
        if items and applicable:
            evidence.count(items, [], placement, self.ctx, [])
        return evidence.combine(indicator, placement.rel, False, children, items, applicable)

    def leaf(self, folder: Entry, code: str, year: int | None, topic: str,
             docs: list[Document], activity: str = "", skip: set[int] | None = None) -> None:
        """A leaf indicator's folder and everything below it: the evidence.
        ``topic`` is the folded titles of the sub-folders walked into so far; ``activity``
        the dated sub-folder (one activity) walked into, if any."""
        numbered: list[numbering.Named] = []
        check, usable, prefix, out = entries.check, entries.USABLE, self.prefix, self.out
        parse, document = naming.parse, evidence.document  # locals: this loop sees every file
        facts = self.facts
        names = {c.nfc_name.casefold() for c in folder.children if c.ext in kinds.IMAGE}
        for child in folder.children:
            if skip and id(child) in skip:
                continue
            what = check(child, code, prefix, out)
            if what not in usable or child.name == kinds.NOTE_FILE:
                continue
            if names and kinds.is_sidecar(child, names):
                continue  # an image's caption, not a document
            name = child.nfc_name
            if what == entries.DIR:
                child_year = naming.year_folder(name)
                if child_year is None:
                    parsed = naming.parse(name)
                    numbered.append((child, parsed, ""))
                    inner, inner_year = activity, year
                    dated = None if activity else periods.activity_date(name)
                    if dated is not None:  # one activity: its files are its bundle
                        inner, inner_year = child.rel, year or dated[0]
                    self.leaf(child, code, inner_year, topic + naming.fold(parsed.title), docs,
                              inner)
                else:
                    self.leaf(child, code, child_year, topic, docs, activity)
                continue
            stem = child.stem
            parsed = parse(stem)
            numbered.append((child, parsed, child.ext))
            docs.append(document(child.rel, what, stem, parsed.title, year, topic,
                                 facts.get(child.rel), activity))
        numbering.documents(folder, numbered, code, self.options, self.out)

    def loose(self, folder: Entry, code: str | None) -> None:
        """Below an unexpected folder: only the per-entry checks."""
        for child in folder.children:
            entries.check(child, code, self.prefix, self.out)
            if child.is_dir:
                self.loose(child, code)
