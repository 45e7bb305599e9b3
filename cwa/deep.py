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

from cwa import caption as captions
from cwa import config, kinds, naming, wording
from cwa.cache import ProbeCache, change_time
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
OWN = config.OWN_FILES | {kinds.NOTE_FILE}


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
    # each file as it is before it is probed: a file changed while probed is probed again
    sizes: dict[str, tuple[int, int, int | None]] = {}
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
        sizes[entry.rel] = (entry.size, entry.mtime_ns,
                            change_time(path) if cache is not None else None)

    def done(task: Task, result: Result) -> None:
        results[task.key] = result
        if cache is not None and not any(i[0] == "CT005" for i in result["issues"]):
            cache.put(task.path, *sizes[task.key], result)  # a timeout may pass next time
        if progress is not None:
            progress.advance()

    run_workers(tasks, jobs, done)
    deep.probed = len(tasks)
    _findings(root, entries, results, deep)
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


def _findings(root: Path, entries: list[Entry], results: dict[str, Result], deep: Deep
              ) -> None:
    by_folder: dict[str, dict[str, str]] = defaultdict(dict)  # folder → casefolded → rel
    for entry in entries:
        by_folder[entry.rel.rpartition("/")[0]][entry.nfc_name.casefold()] = entry.rel
    for entry in entries:
        result = results[entry.rel]
        issues = result["issues"]
        for code, args in issues:
            deep.findings.append(Finding(code, entry.rel, None, _render(code, args)))
        usable = not any(code in UNUSABLE for code, _ in issues)
        stem = entry.stem
        caption = None
        if entry.ext in kinds.IMAGE:  # a same-name .txt first, as `cwa album` reads it
            beside = by_folder[entry.rel.rpartition("/")[0]].get(f"{stem.casefold()}.txt")
            text = captions.read_text(root.joinpath(*beside.split("/"))) if beside else None
            caption = captions.read(text or result.get("caption"), result.get("taken"),
                                    result.get("artist"))
        year, source = result.get("year"), result.get("year_source", "")
        if year is None:
            year, source = time.localtime(entry.mtime_ns / 1e9).tm_year, "mtime"
        deep.facts[entry.rel] = Facts(year, source, usable, caption, result.get("chars"),
                                      result.get("number"))
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


def describe(code: str, args: dict[str, Any]) -> str:
    """Why a file is unusable, in the user's words: the reason of a CT001/CT005 ("JPEG
    文件被截断"), else the finding's message."""
    rendered = _render(code, args)
    return str(rendered.get("reason") or Finding(code, "", None, rendered).message)


def _render(code: str, args: dict[str, Any]) -> dict[str, Any]:
    """Probe issues carry keys; findings carry the words too."""
    if code == "CT001":
        return {**args, "reason": t(f"damage.{args.get('why', 'library')}", **args)}
    if code == "CT005":
        return {**args, "reason": t(f"lost.{args.get('why', 'crash')}", **args)}
    if code == "CT002":
        return {**args, "family": str(args.get("family", "")).upper()}
    return args


#: Places listed in a duplicate finding; the count says how many there are in all.
LISTED = 10


def _duplicates(entries: list[Entry], results: dict[str, Result], deep: Deep) -> None:
    """Byte-identical files anywhere, and photos of one scene (dHash within NEAR bits).
    Each group is reported once, at its first file, with its count and a bounded list of
    the others: 5,000 copies of one file make one finding, not 5,000 lists of 4,999."""
    by_digest: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        digest = results[entry.rel].get("sha256")
        if digest:
            by_digest[digest].append(entry.rel)
    identical: dict[str, str] = {}  # a file → the first file with its bytes
    for group in by_digest.values():
        if len(group) > 1:
            group.sort(key=naming.natural_key)
            for rel in group:
                identical[rel] = group[0]
            deep.findings.append(_group("DU001", group))
    for group in _near(deep.hashes):
        distinct = list(dict.fromkeys(identical.get(rel, rel) for rel in group))
        if len(distinct) > 1:
            deep.findings.append(_group("DU002", distinct))


def _group(code: str, group: list[str]) -> Finding:
    first, others = group[0], group[1:]
    return Finding(code, first, None, {"count": len(others), "others": others[:LISTED],
                                       "where": _where(others)})


def _near(hashes: dict[str, int]) -> list[list[str]]:
    """Groups of photos whose hashes are within NEAR bits, each sorted, in order.

    Two hashes within NEAR bits share at least one of NEAR + 1 bands exactly, so only
    hashes in one band's bucket are compared; equal hashes are one value; within a
    bucket a value joins the first group whose representative is near it. Linear in the
    photos for real archives (a bucket holds a scene's shots)."""
    by_value: dict[int, list[str]] = defaultdict(list)
    for rel, value in hashes.items():
        by_value[value].append(rel)
    parent = {value: value for value in by_value}

    def find(value: int) -> int:
        while parent[value] != value:
            parent[value] = parent[parent[value]]
            value = parent[value]
        return value

    for low, high in BANDS:
        mask = (1 << (high - low)) - 1
        buckets: dict[int, list[int]] = defaultdict(list)
        for value in by_value:
            buckets[value >> low & mask].append(value)
        for members in buckets.values():
            representatives: list[int] = []
            for value in members:
                for other in representatives:
                    if (value ^ other).bit_count() <= NEAR:
                        parent[find(value)] = find(other)
                        break
                else:
                    representatives.append(value)
    groups: dict[int, list[str]] = defaultdict(list)
    for value, rels in by_value.items():
        groups[find(value)] += rels
    return sorted((sorted(g, key=naming.natural_key) for g in groups.values() if len(g) > 1),
                  key=lambda g: naming.natural_key(g[0]))


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
