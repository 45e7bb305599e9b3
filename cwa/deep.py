"""``cwa check --deep``: open every file and report what a careful inspector would find.

Every regular file of the archive is probed (``cwa.probes``) in worker processes
(``cwa.workers``), largest first, each bounded in time and memory; results are cached
outside the archive (``cwa.cache``), so a re-check opens only what changed. From the
results come findings — files that do not open, are not what their extension says, are
encrypted, empty, duplicated, uncaptioned, too small, without their name in the footer —
and the facts the evidence count uses: whether a file is usable, its year (name and year
folder first, then the document's own date, EXIF, and last the modification time, marked
as weak), its caption and its length. Where the archive has a manifest (``cwa manifest``),
every file is hashed and one whose content differs from it is reported (FX001).
"""

from __future__ import annotations

import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cwa import config, kinds, naming, wording
from cwa.cache import ProbeCache
from cwa.checks.evidence import Facts, IndicatorResult
from cwa.findings import Finding
from cwa.fixity.digest import of_file
from cwa.fixity.verify import changed, recorded
from cwa.messages import t
from cwa.probes import Result
from cwa.scan import Entry
from cwa.workers import Task
from cwa.workers import run as run_workers

#: Issues that make a file unusable as evidence (it does not count; the finding says why).
UNUSABLE = frozenset({"CT001", "CT003", "CT004", "CT005", "CT007"})
SMALL_IMAGE = 640  # pixels on the long side
NEAR = 4  # dHash bits that may differ between two photos of one scene
BANDS = ((0, 13), (13, 26), (26, 39), (39, 52), (52, 64))  # NEAR + 1 bands: pigeonhole
OWN = frozenset({config.FILENAME, kinds.NOTE_FILE})


class Progress(Protocol):
    """Told how many files will be opened, then of each one done."""

    def start(self, total: int) -> None: ...

    def advance(self) -> None: ...


@dataclass
class Deep:
    facts: dict[str, Facts] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    hashes: dict[str, int] = field(default_factory=dict)  # images: rel → dHash
    probed: int = 0
    cached: int = 0


def files(tree: Entry) -> Iterator[Entry]:
    """Every regular file worth opening: not junk, not cwa's own, not empty."""
    stack = [tree]
    while stack:
        folder = stack.pop()
        for entry in folder.children:
            if entry.kind == "dir":
                stack.append(entry)
            elif (entry.kind == "file" and entry.size > 0 and entry.name not in OWN
                  and not kinds.is_junk(entry.name)):
                yield entry


def inspect(archive: Path, tree: Entry, jobs: int, cache: ProbeCache | None,
            progress: Progress | None = None) -> Deep:
    entries = list(files(tree))
    if progress is not None:
        progress.start(len(entries))
    root = archive.resolve()
    same_size = Counter(e.size for e in entries)
    results: dict[str, Result] = {}
    tasks: list[Task] = []
    deep = Deep()
    if cache is not None:
        cache.preload(str(root))
    listed = recorded(archive)  # with a manifest, every file it lists is hashed (FX001)
    for entry in entries:
        path = str(root.joinpath(*entry.rel.split("/")))
        want_hash = same_size[entry.size] > 1 or bool(listed)
        cached = cache.get(path, entry.size, entry.mtime_ns) if cache else None
        if cached is not None and (not want_hash or "sha256" in cached):
            results[entry.rel] = cached
            deep.cached += 1
            if progress is not None:
                progress.advance()
            continue
        tasks.append(Task(entry.rel, path, entry.ext, naming.parse(entry.stem).title,
                          want_hash, entry.size))
    sizes = {e.rel: (e.size, e.mtime_ns) for e in entries}

    def done(task: Task, result: Result) -> None:
        results[task.key] = result
        if cache is not None and not any(i[0] == "CT005" for i in result["issues"]):
            cache.put(task.path, *sizes[task.key], result)  # a timeout may pass next time
        if progress is not None:
            progress.advance()

    run_workers(tasks, jobs, done)
    deep.probed = len(tasks)
    _findings(entries, results, deep)
    _duplicates(entries, results, deep)
    for entry in entries if listed else ():
        expected = listed.get(unicodedata.normalize("NFC", entry.rel))
        if not expected:
            continue
        found = results[entry.rel].get("sha256") or of_file(  # a probe that failed: no digest
            str(root.joinpath(*entry.rel.split("/"))), "sha256")
        if found and found != expected:
            deep.findings.append(changed(entry.rel, "sha256", expected, found))
    return deep


def _findings(entries: list[Entry], results: dict[str, Result], deep: Deep) -> None:
    by_folder: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        by_folder[entry.rel.rpartition("/")[0]].add(entry.nfc_name.casefold())
    for entry in entries:
        result = results[entry.rel]
        issues = result["issues"]
        for code, args in issues:
            deep.findings.append(Finding(code, entry.rel, None, _render(code, args)))
        usable = not any(code in UNUSABLE for code, _ in issues)
        stem = entry.stem
        caption = bool(result.get("caption")) or (
            f"{stem.casefold()}.txt" in by_folder[entry.rel.rpartition("/")[0]])
        year, source = result.get("year"), result.get("year_source", "")
        if year is None:
            year, source = time.localtime(entry.mtime_ns / 1e9).tm_year, "mtime"
        deep.facts[entry.rel] = Facts(year, source, usable, caption, result.get("chars"))
        if not usable:
            continue
        width, height = result.get("width"), result.get("height")
        if width and height and max(width, height) < SMALL_IMAGE:
            deep.findings.append(Finding("PH002", entry.rel, None, {
                "width": width, "height": height, "min": SMALL_IMAGE}))
        if result.get("footer_name") is False:
            deep.findings.append(Finding("WD001", entry.rel, None,
                                         {"title": naming.parse(stem).title}))
        if result.get("dhash") is not None:
            deep.hashes[entry.rel] = result["dhash"]


def _render(code: str, args: dict[str, Any]) -> dict[str, Any]:
    """Probe issues carry keys; findings carry the words too."""
    if code == "CT001":
        return {**args, "reason": t(f"damage.{args.get('why', 'library')}", **args)}
    if code == "CT005":
        return {**args, "reason": t(f"lost.{args.get('why', 'crash')}", **args)}
    if code == "CT002":
        return {**args, "family": str(args.get("family", "")).upper()}
    return args


def _duplicates(entries: list[Entry], results: dict[str, Result], deep: Deep) -> None:
    """Byte-identical files anywhere, and photos of one scene (dHash within NEAR bits)."""
    by_digest: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        digest = results[entry.rel].get("sha256")
        if digest:
            by_digest[digest].append(entry.rel)
    identical: dict[str, str] = {}
    for group in by_digest.values():
        if len(group) > 1:
            for rel in group:
                identical[rel] = group[0]
                others = [r for r in group if r != rel]
                deep.findings.append(Finding("DU001", rel, None, {
                    "others": others, "where": _where(others)}))
    near = _near(deep.hashes)
    for rel, others in near.items():
        distinct = [o for o in others if identical.get(o, o) != identical.get(rel, rel)]
        if distinct:
            deep.findings.append(Finding("DU002", rel, None, {
                "others": distinct, "where": _where(distinct)}))


def _near(hashes: dict[str, int]) -> dict[str, list[str]]:
    """Pairs within NEAR bits share at least one of NEAR + 1 bands exactly."""
    buckets: dict[tuple[int, int], list[str]] = defaultdict(list)
    for rel, value in hashes.items():
        for band, (low, high) in enumerate(BANDS):
            buckets[(band, value >> low & ((1 << (high - low)) - 1))].append(rel)
    pairs: dict[str, set[str]] = defaultdict(set)
    for members in buckets.values():
        if len(members) > 1:
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    if (hashes[a] ^ hashes[b]).bit_count() <= NEAR:
                        pairs[a].add(b)
                        pairs[b].add(a)
    return {rel: sorted(others) for rel, others in sorted(pairs.items())}


def _where(paths: list[str]) -> str:
    shown = wording.listing(paths[:3])
    return shown if len(paths) <= 3 else t("deep.and_more", shown=shown, count=len(paths))


def attach(findings: list[Finding], results: list[IndicatorResult]) -> list[Finding]:
    """Give each finding the indicator whose folder holds its file (the deepest one)."""
    folders: dict[str, str] = {}

    def walk(result: IndicatorResult) -> None:
        if result.present:
            folders[result.path] = result.indicator.code
        for child in result.children:
            walk(child)

    for result in results:
        walk(result)
    out = []
    for finding in findings:
        path, code = finding.path, None
        while path:
            path = path.rpartition("/")[0]
            if path in folders:
                code = folders[path]
                break
        out.append(Finding(finding.code, finding.path, code, finding.args))
    return out
