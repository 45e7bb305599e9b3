"""Layout → findings and per-indicator results, in one pass over the scanned tree."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cwa import config, kinds, naming
from cwa.checks import entries, evidence, numbering
from cwa.checks.evidence import Document, IndicatorResult
from cwa.findings import Finding
from cwa.match import Layout, Placement
from cwa.messages import t
from cwa.rubric.model import Naming, Years
from cwa.scan import Entry, Snapshot

#: Files cwa itself reads or writes at the archive's top level.
OWN_FILES = frozenset({config.FILENAME})


@dataclass
class Outcome:
    results: list[IndicatorResult]
    findings: list[Finding] = field(default_factory=list)


def run(snapshot: Snapshot, layout: Layout, years: Years | None, options: Naming) -> Outcome:
    walker = _Walker(years, options, path_prefix(snapshot.root))
    for problem in snapshot.problems:
        walker.out.append(Finding("SC001", problem.rel, None, {
            "reason": problem.reason, "detail": problem.detail,
            "why": t(f"scan.{problem.reason}", detail=problem.detail)}))
    results = walker.container(layout.root, layout.placements, None)
    return Outcome(results, walker.out)


def path_prefix(root: Path) -> int:
    """Characters before the relative path: the real path on Windows; elsewhere the path
    the archive would have if copied to the root of a drive (``D:\\档案名\\``)."""
    if os.name == "nt":
        return len(str(root.resolve())) + 1
    return len("D:\\") + len(root.resolve().name) + 1


class _Walker:
    def __init__(self, years: Years | None, options: Naming, prefix: int) -> None:
        self.years = years
        self.options = options
        self.prefix = prefix
        self.out: list[Finding] = []

    def container(self, folder: Entry, placements: list[Placement],
                  code: str | None) -> list[IndicatorResult]:
        """The archive or a parent indicator's folder: it should hold sub-folders only."""
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
        results = []
        for placement in placements:
            results.append(self.placement(placement, code))
        return results

    def placement(self, placement: Placement, parent_code: str | None) -> IndicatorResult:
        indicator = placement.indicator
        folder = placement.folder
        if folder is None:
            if placement.indicator.needs_archive:
                self.out.append(Finding("EV003", placement.rel, indicator.code, {
                    "expected": placement.expected}))
            return self._missing(placement)
        entries.check(folder, parent_code, self.prefix, self.out)
        numbering.indicator_folder(placement, self.options, self.out)
        if indicator.is_leaf:
            docs: list[Document] = []
            self.leaf(folder, indicator.code, None, "", docs)
            return evidence.evaluate(placement, docs, self.years, self.out)
        children = self.container(folder, placement.children, indicator.code)
        return evidence.combine(indicator, placement.rel, True, children)

    def _missing(self, placement: Placement) -> IndicatorResult:
        if placement.indicator.is_leaf:
            return evidence.evaluate(placement, [], self.years, [])
        children = [self._missing(c) for c in placement.children]
        return evidence.combine(placement.indicator, placement.rel, False, children)

    def leaf(self, folder: Entry, code: str, year: int | None, topic: str,
             docs: list[Document]) -> None:
        """A leaf indicator's folder and everything below it: the evidence.
        ``topic`` is the folded titles of the sub-folders walked into so far."""
        numbered: list[numbering.Named] = []
        check, usable, prefix, out = entries.check, entries.USABLE, self.prefix, self.out
        parse, document = naming.parse, evidence.document  # locals: this loop sees every file
        for child in folder.children:
            what = check(child, code, prefix, out)
            if what not in usable or child.name == kinds.NOTE_FILE:
                continue
            name = child.nfc_name
            if what == entries.DIR:
                child_year = naming.year_folder(name)
                if child_year is None:
                    parsed = naming.parse(name)
                    numbered.append((child, parsed, ""))
                    self.leaf(child, code, year, topic + naming.fold(parsed.title), docs)
                else:
                    self.leaf(child, code, child_year, topic, docs)
                continue
            ext = child.ext
            stem = name[: len(name) - len(ext)] if ext else name
            parsed = parse(stem)
            numbered.append((child, parsed, ext))
            docs.append(document(child.rel, what, stem, parsed.title, year, topic))
        numbering.documents(folder, numbered, code, self.options, self.out)

    def loose(self, folder: Entry, code: str | None) -> None:
        """Below an unexpected folder: only the per-entry checks."""
        for child in folder.children:
            entries.check(child, code, self.prefix, self.out)
            if child.is_dir:
                self.loose(child, code)
