"""Layout → findings and per-indicator results: each top-level indicator's folder is
scanned and walked once, in a worker process where the system can fork."""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from cwa import config, dating, kinds, naming, wording
from cwa.checks import entries, evidence, numbering, periods
from cwa.checks.evidence import Context, Document, EvidenceResult, Facts, IndicatorResult
from cwa.checks.memo import Memo
from cwa.checks.memo import listing as listing_of
from cwa.findings import CODES, Finding
from cwa.match import Layout, Placement, level
from cwa.messages import t
from cwa.naming import path_prefix
from cwa.rubric.model import Indicator, Naming
from cwa.scan import Entry, ScanProblem, Snapshot, scan_into

#: Files cwa itself reads or writes at the archive's top level.
OWN_FILES = config.OWN_FILES
#: What a missing 加分项 is not: an error (it is optional).
OPTIONAL = frozenset({"EV001", "EV002", "EV003", "EV005", "EV007"})


@dataclass
class Outcome:
    results: list[IndicatorResult]
    findings: list[Finding] = field(default_factory=list)
    #: with ``finish``: what it made of each top-level indicator (None for a folder that
    #: is missing), in the order of ``results``; their findings are not in ``findings``
    #: but counted in ``severities`` (``at`` is where they would be among ``findings``),
    #: and their results count their files without listing them (``unlist``)
    finished: list[Any] = field(default_factory=list)
    severities: Counter[str] = field(default_factory=Counter)
    at: int = 0


#: What becomes of a top-level indicator's part where it was checked (``run``'s
#: ``finish``): a report renders it there, in parallel, and only its rendering returns.
Finish = Callable[["Part"], Any]


def run(snapshot: Snapshot, layout: Layout, ctx: Context, options: Naming,
        jobs: int | None = 1, facts: Mapping[str, Facts] | None = None,
        finish: Finish | None = None, scanned: bool = False,
        memo: Memo | None = None, meanwhile: Callable[[], object] | None = None
        ) -> Outcome:
    """Check an archive whose top level only has been scanned (``scan(deep=False)``),
    or all of it (``scanned``).

    Each top-level indicator's folder is scanned and checked by ``check_subtree``: in
    worker processes where the system can fork them cheaply and there is enough to do
    (``jobs``: at most that many; None: chosen by ``workers``), else in turn. Either way
    the same function does the work, and the findings come out in the same order: scan
    problems, then the top level, then indicator by indicator. ``facts`` (from
    ``cwa.deep``) tell the evidence count what each file's content says. ``finish`` is
    applied to each part where it was checked (see ``Outcome.finished``). With ``memo``
    a folder whose listing is as when its part was remembered is not checked again.
    """
    root = snapshot.root
    prefix = path_prefix(root)
    present = [p for p in layout.placements if p.folder is not None]
    matched = {id(p.folder) for p in present}
    if not scanned:
        for child in layout.root.children:  # unexpected top-level folders: scanned in full
            if child.is_dir and id(child) not in matched:
                scan_into(snapshot, root / child.rel, child)
    work = functools.partial(check_subtree, root, ctx, options, prefix, finish, scanned,
                             memo is not None)
    items = [(p, _facts_below(facts, p.rel), memo.expected(p.rel) if memo else None)
             for p in present]
    # a tree scanned whole is checked here: sending it to workers would cost more
    count = 1 if scanned else workers(jobs, root, present)
    parts: dict[int, Part] = {}
    for item, made in zip(items, _map(work, items, count, meanwhile), strict=True):
        placement = item[0]
        if made is None:  # unchanged since its part was remembered
            assert memo is not None
            made = memo.recall(placement.rel)
            if isinstance(made, Part):
                parts[id(placement)] = made
                continue
            made = work((placement, item[1], None))  # it cannot be read: check again
            assert made is not None
        if memo is not None and made.listing is not None:
            memo.keep(placement.rel, made.listing, made)  # new, or in place of a bad one
        parts[id(placement)] = made
    top = _Walker(ctx, options, prefix)
    top.entries(layout.root, layout.placements, None)
    problems = list(snapshot.problems)
    outcome = Outcome([])
    findings: list[Finding] = []
    for placement in layout.placements:
        part = parts.get(id(placement))
        if part is None:  # a missing folder: found without a scan
            outcome.results.append(top.placement(placement, None))
            if finish is not None:
                outcome.finished.append(None)
            continue
        outcome.results.append(part.result)
        if finish is not None:
            outcome.finished.append(part.output)
            outcome.severities.update(part.severities)
        findings += part.findings
        problems += part.problems
        if not scanned:
            snapshot.files += part.files
            snapshot.dirs += part.dirs
    scan_findings = [Finding("SC001", p.rel, None, {
        "reason": p.reason, "detail": p.detail,
        "why": t(f"scan.{p.reason}", detail=p.detail)}) for p in problems]
    outcome.findings = scan_findings + top.out + findings
    outcome.at = len(scan_findings) + len(top.out)
    return outcome


@dataclass
class Part:
    """What one top-level indicator's folder yields."""

    result: IndicatorResult
    findings: list[Finding]
    problems: list[ScanProblem]
    files: int
    dirs: int
    output: Any = None  # what ``finish`` made of it
    severities: Counter[str] = field(default_factory=Counter)
    listing: bytes | None = None  # what it was made from (``memo.listing``), to remember it


def _facts_below(facts: Mapping[str, Facts] | None, rel: str) -> dict[str, Facts]:
    """The facts of the files below ``rel``: a worker is sent only its own."""
    if not facts:
        return {}
    start = rel + "/"
    return {k: v for k, v in facts.items() if k.startswith(start)}


def check_subtree(root: Path, ctx: Context, options: Naming, prefix: int,
                  finish: Finish | None, scanned: bool, remember: bool, item: Item
                  ) -> Part | None:
    """Scan, match and check one top-level indicator's folder (in a worker, or not).
    Its entries are let go once checked: a large archive is never held whole.

    With ``remember``: None when the folder's listing digest is the one ``item`` expects
    (its remembered part holds), else the part with its listing digest (unless the
    folder could not be read whole)."""
    placement, facts, expected = item
    folder = placement.folder
    assert folder is not None
    snapshot = Snapshot(root, folder, [])
    if not scanned:
        scan_into(snapshot, root / folder.rel, folder)
    digest = None
    if remember:
        digest = listing_of(folder, (placement.indicator.code, placement.position,
                                       placement.expected, placement.rel, placement.how,
                                       placement.parsed))
        if digest == expected and not snapshot.problems:
            folder.children = []
            return None
    placement.children = level(placement.indicator.children, folder, folder.rel, options)
    walker = _Walker(ctx, options, prefix, facts)
    result = walker.placement(placement, None)
    part = Part(result, walker.out, snapshot.problems, snapshot.files, snapshot.dirs,
                listing=None if snapshot.problems else digest)
    if not scanned:
        folder.children = []
        placement.children = []
    if finish is not None:  # what goes back: the rendering and what the summary needs
        part.output = finish(part)
        part.severities = Counter(CODES[f.code] for f in part.findings)
        part.findings = []
        result.unlist()
    return part


#: A top-level indicator's placement, the facts of its files (``--deep``), the listing
#: digest its remembered part was made from (None: none is).
Item = tuple[Placement, dict[str, Facts], bytes | None]
#: Below this many entries an archive is checked in this process: starting workers
#: would cost more than they save (a few milliseconds each).
SMALL = 4000


def workers(jobs: int | None, root: Path, present: list[Placement]) -> int:
    """How many processes check the top-level indicators' folders: ``jobs`` when given.
    Else one, unless the archive is large enough to pay for starting others (``SMALL``)
    and the machine has processors to spare (``busy``): as many as are free, no more
    than there are folders. On a busy machine a second process would only take turns
    with the first, and cost what it takes to start it and send its results back."""
    if jobs is not None:
        return min(jobs, len(present))
    if len(present) < 2 or not hasattr(os, "fork"):
        return 1
    cpus = processors()
    count = min(cpus, len(present), max(1, round(cpus - busy())))
    if count < 2 or _entries_up_to(SMALL, [root / p.rel for p in present]) < SMALL:
        return 1
    return count


def busy() -> float:
    """Processors that other work keeps busy: the processes running besides this one at
    this moment, but no more than the load average of the last minute. Either alone
    misleads: a moment may catch a busy program waiting for its disk, and the average
    counts what ran before this check started (in a benchmark, cwa's own earlier runs)."""
    average = _load()
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:  # Linux: "… 3/412 …"
            running = int(fh.read().split()[3].partition("/")[0]) - 1
    except (OSError, ValueError, IndexError):
        return average
    return min(average, float(max(running, 0)))


def _load() -> float:
    """The machine's load average over the last minute (0 where the system has none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def processors() -> int:
    """The processors this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _entries_up_to(limit: int, folders: list[Path]) -> int:
    """The number of entries below ``folders``, counted up to ``limit`` (names only: no
    stat, a few hundred microseconds for the limit)."""
    count, stack = 0, [str(f) for f in folders]
    while stack and count < limit:
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    count += 1
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
        except OSError:
            continue
    return count


def _map(work: Callable[[Item], Part | None], items: list[Item], jobs: int,
         meanwhile: Callable[[], object] | None = None) -> list[Part | None]:
    """``work`` of each item, in order; ``meanwhile`` run in this process while workers
    do the work (after it, where there are none)."""
    if jobs < 2 or len(items) < 2 or not hasattr(os, "fork"):
        done = [work(item) for item in items]
        if meanwhile is not None:
            meanwhile()
        return done
    # fork: the workers start in milliseconds with everything already imported. Where
    # only spawn exists (Windows, macOS), starting them would cost more than it saves.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(items)), mp_context=context) as pool:
        results = pool.map(work, items)  # every item handed out now
        if meanwhile is not None:
            meanwhile()
        return list(results)


def accepts_links(indicator: Indicator) -> bool:
    """Does an evidence item of ``indicator`` (its own, its clauses', their activities'
    bundles) accept Internet shortcuts (kind ``link``)?"""
    items = [*indicator.evidence, *(e for c in indicator.clauses for e in c.evidence)]
    while items:
        item = items.pop()
        if "link" in item.kinds:
            return True
        items += item.bundle
    return False


class _Walker:
    def __init__(self, ctx: Context, options: Naming, prefix: int,
                 facts: Mapping[str, Facts] | None = None) -> None:
        self.ctx = ctx
        self.options = options
        self.prefix = prefix
        self.facts = facts or {}
        self.out: list[Finding] = []
        self.links = False  # does an item of this indicator or above accept links?

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
        entries.same_names(folder, code, self.out)
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
        above = self.links
        self.links = above or accepts_links(placement.indicator)
        try:
            if not placement.indicator.bonus:
                return self._placement(placement, parent_code, applicable, collect)
            # a 加分项 is optional: what it lacks shows in its status, never as an error
            start = len(self.out)
            result = self._placement(placement, parent_code, applicable, collect)
            self.out[start:] = [f for f in self.out[start:] if f.code not in OPTIONAL]
            return result
        finally:
            self.links = above

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
        entries.same_names(folder, code, self.out)
        # locals: this loop sees every file of the archive
        check, usable, prefix, out, note = (entries.check, entries.USABLE, self.prefix,
                                            self.out, kinds.NOTE_FILE)
        links = self.links
        parse, fold, named_year = naming.parse, naming.fold, dating.named_year
        facts = self.facts or None
        if not skip and not facts:
            plain = entries.plain_files(folder.children, prefix)
            if plain is not None:  # the common case: a folder of files named as files are
                self._files(folder, plain, code, year, topic, docs, activity)
                return
        images: set[str] | None = None  # the folder's image names, once a .txt needs them
        for child in folder.children:
            if skip and id(child) in skip:
                continue
            what = check(child, code, prefix, out, links)
            if what not in usable or child.name == note:
                if what == entries.EMPTY and child.name != note:  # FL001 says it is empty;
                    stem = child.nfc_name[:len(child.nfc_name) - len(child.ext)]  # its
                    numbered.append((child, parse(stem), child.ext))  # number is taken
                continue
            ext = child.ext
            if ext == ".txt":
                if images is None:
                    images = {c.nfc_name.casefold() for c in folder.children
                              if c.ext in kinds.IMAGE}
                if images and kinds.is_sidecar(child, images):
                    continue  # an image's caption, not a document
            name = child.nfc_name
            if what == entries.DIR:
                child_year = naming.year_folder(name)
                if child_year is None:
                    parsed = parse(name)
                    numbered.append((child, parsed, ""))
                    inner, inner_year = activity, year
                    dated = None if activity else periods.activity_date(name)
                    if dated is not None:  # one activity: its files are its bundle
                        inner, inner_year = child.rel, year or dated[0]
                    self.leaf(child, code, inner_year, topic + fold(parsed.title), docs,
                              inner)
                else:
                    self.leaf(child, code, child_year, topic, docs, activity)
                continue
            stem = name[:len(name) - len(ext)] if ext else name
            parsed = parse(stem)
            numbered.append((child, parsed, ext))
            docs.append(Document(child.rel, what, named_year(stem, year),
                                 topic + fold(parsed.title),
                                 facts.get(child.rel) if facts else None, activity))
        numbering.documents(folder, numbered, code, self.options, out)

    def _files(self, folder: Entry, kinds_: list[str], code: str, year: int | None,
               topic: str, docs: list[Document], activity: str) -> None:
        """``leaf`` for a folder of files about which no per-entry rule has anything to
        say (``entries.plain_files``): each step done for all its files at once."""
        children = folder.children
        exts = [c.ext for c in children]
        stems = [c.nfc_name[:-len(c.ext)] for c in children]  # each has an extension
        parsed = list(map(naming.parse, stems))
        topics = naming.fold_lines([p.title for p in parsed])
        if topic:
            topics = [topic + t for t in topics]
        # dating.named_year for the folder at once: its year folder, else each name's year
        years = repeat(year) if year is not None else map(naming.year_in_name, stems)
        docs += map(Document._make, zip([c.rel for c in children], kinds_, years, topics,
                                        repeat(None), repeat(activity), strict=False))
        numbering.documents(folder, list(zip(children, parsed, exts, strict=True)), code,
                            self.options, self.out)

    def loose(self, folder: Entry, code: str | None) -> None:
        """Below an unexpected folder: only the per-entry checks."""
        entries.same_names(folder, code, self.out)
        for child in folder.children:
            entries.check(child, code, self.prefix, self.out)
            if child.is_dir:
                self.loose(child, code)
