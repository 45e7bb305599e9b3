"""``cwa verify``: does a folder, a bag or a zip still hold what its manifest says?

Every file the manifest lists is read and hashed again — size and time are never trusted
— and compared: FX001 changed, FX002 missing, FX003 added (a file the manifest's rules
cover that it does not list), FX004 renamed or moved (an added file with the content of a
missing one), FX005 cannot be read. A name is matched as written, then in NFC (a Mac
stores names decomposed), then as a tool that does not escape ``%`` wrote it (bagit-python
up to 1.9 among them). Only reads: works on a read-only share.

Where the manifest is: ``--manifest FILE``; else ``.cwa/manifest-*.txt`` of an archive;
else ``manifest-*.txt`` at the top (an unpacked hand-over package); else a BagIt bag's
(``bagit.txt`` beside it: payload under ``data/``, tag files checked by their tag
manifests). A zip is read in place: a package made by ``cwa export`` (with or without
``--bag``), or any zip given a ``--manifest``.
"""

from __future__ import annotations

import unicodedata
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cwa.config import require_archive
from cwa.errors import CwaError
from cwa.findings import Finding
from cwa.fixity import digest
from cwa.fixity.manifest import Manifest, algorithm_of, parse, shown
from cwa.fixity.select import PACKAGE_FILES, rule_for, select
from cwa.messages import t
from cwa.scan import CWA_DIR, Entry, scan


@dataclass(frozen=True)
class Verification:
    """What ``cwa verify`` found; rendered by ``cwa.report.fixity``."""

    target: str  # as given
    kind: str  # folder | bag | zip | bag_zip
    manifests: list[str]  # where the digests came from, as shown
    algorithms: tuple[str, ...]
    listed: int  # files the manifests list
    intact: int  # of those, read and identical
    size: int  # bytes read
    findings: list[Finding]
    created: str | None = None  # when the manifest was made, if it says


@dataclass
class _Present:
    key: str  # how the source opens it
    size: int


@dataclass
class _Target:
    shown: str
    kind: str
    source: digest.Source
    manifests: list[Manifest]
    present: dict[str, _Present] = field(default_factory=dict)  # path as manifests name it
    covered: set[str] = field(default_factory=set)  # present paths the rules cover
    unreadable: list[str] = field(default_factory=list)  # folders that could not be read
    created: str | None = None  # a bag's Bagging-Date


def verify(target: Path, manifest_file: Path | None = None, jobs: int = 1,
           progress: digest.Progress | None = None, shown: str | None = None) -> Verification:
    shown = shown or str(target)
    if target.is_file():
        opened = _zip(target, manifest_file, shown)
    else:
        require_archive(target, shown)
        if manifest_file is None and (target / "bagit.txt").is_file():
            opened = _bag(target, shown)
        else:
            opened = _folder(target, manifest_file, shown)
    return _compare(opened, jobs, progress)


def _read(path: Path, shown: str) -> Manifest:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CwaError("error.file_not_found", path=shown) from None
    except OSError as exc:
        raise CwaError("fixity.unreadable_manifest", path=shown,
                       error=exc.strerror or type(exc).__name__) from None
    return parse(data, shown)


def _folder(root: Path, manifest_file: Path | None, shown: str) -> _Target:
    top_own: frozenset[str] = frozenset()
    if manifest_file is not None:
        files = [manifest_file]
        if manifest_file.resolve().parent == root.resolve():
            top_own = PACKAGE_FILES | {manifest_file.name}
    else:
        files = _manifests_in(root / CWA_DIR)
        if not files:  # an unpacked hand-over package keeps them at its top
            files = _manifests_in(root)
            top_own = PACKAGE_FILES | {f.name for f in files}
        if not files:
            raise CwaError("fixity.no_manifest", path=shown)
    manifests = [_read(f, _shown_in(f, root, shown)) for f in files]
    chosen = select(root, top_own)
    opened = _Target(shown, "folder", digest.Source(str(root)), manifests,
                     unreadable=[p.rel for p in chosen.problems])
    for entry in chosen.files:
        opened.present[entry.rel] = _Present(entry.rel, entry.size)
        opened.covered.add(entry.rel)
    for entry in chosen.others:  # left out by a rule, but a manifest may list them
        opened.present[entry.rel] = _Present(entry.rel, entry.size)
    return opened


def _manifests_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("manifest-*.txt")
                  if p.is_file() and algorithm_of(p.name))


def _shown_in(path: Path, root: Path, shown: str) -> str:
    try:
        return f"{shown.rstrip('/')}/{path.resolve().relative_to(root.resolve()).as_posix()}"
    except ValueError:
        return str(path)


def _bag(root: Path, shown: str) -> _Target:
    files = _manifests_in(root)
    if not files:
        raise CwaError("fixity.no_manifest", path=shown)
    tags = sorted(p for p in root.glob("tagmanifest-*.txt") if p.is_file())
    manifests = [_read(f, f"{shown.rstrip('/')}/{f.name}") for f in [*files, *tags]]
    snapshot = scan(root)
    info = root / "bag-info.txt"
    opened = _Target(shown, "bag", digest.Source(str(root)), manifests,
                     unreadable=[p.rel for p in snapshot.problems],
                     created=_bagging_date(info.read_bytes() if info.is_file() else b""))
    stack = [snapshot.tree]
    while stack:
        folder = stack.pop()
        for entry in folder.children:
            if entry.kind == "dir":
                stack.append(entry)
            elif entry.kind == "file":
                opened.present[entry.rel] = _Present(entry.rel, entry.size)
                if entry.rel.startswith("data/"):
                    opened.covered.add(entry.rel)
    return opened


def _zip(path: Path, manifest_file: Path | None, shown: str) -> _Target:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        raise CwaError("fixity.not_a_zip", path=shown) from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        names = {i.filename: _member_name(i) for i in infos}
        tops = {n.split("/", 1)[0] for n in names.values()}
        prefix = f"{tops.pop()}/" if len(tops) == 1 and all(
            "/" in n for n in names.values()) else ""
        rels = {key: name[len(prefix):] for key, name in names.items()}
        at_top = {rel: key for key, rel in rels.items() if "/" not in rel}
        bag = manifest_file is None and "bagit.txt" in at_top
        if manifest_file is not None:
            manifests = [_read(manifest_file, str(manifest_file))]
            own = frozenset({manifest_file.name}) | PACKAGE_FILES
        else:
            wanted = sorted(r for r in at_top if algorithm_of(r)
                            and (bag or r.startswith("manifest-")))
            if not any(r.startswith("manifest-") for r in wanted):
                raise CwaError("fixity.no_manifest", path=shown)
            manifests = [parse(_member(archive, at_top[r], shown), f"{shown}:{prefix}{r}")
                         for r in wanted]
            own = frozenset(wanted) | PACKAGE_FILES
        created = (_bagging_date(_member(archive, at_top["bag-info.txt"], shown))
                   if bag and "bag-info.txt" in at_top else None)
    opened = _Target(shown, "bag_zip" if bag else "zip", digest.Source(str(path), zip=True),
                     manifests, created=created)
    sizes = {i.filename: i.file_size for i in infos}
    for key, rel in rels.items():
        opened.present[rel] = _Present(key, sizes[key])
        if bag:
            if rel.startswith("data/"):
                opened.covered.add(rel)
            continue
        if rule_for(Entry(rel.rsplit("/", 1)[-1], rel, "file"),
                    frozenset() if "/" in rel else own) is None:
            opened.covered.add(rel)
    return opened


def _bagging_date(info: bytes) -> str | None:
    for line in info.decode("utf-8", "replace").splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "Bagging-Date":
            return value.strip()
    return None


def _member_name(info: zipfile.ZipInfo) -> str:
    """The name a member was given. Without the UTF-8 flag, zipfile reads the bytes as
    cp437; Chinese Windows wrote them in GBK (GB18030), so read them back as that."""
    name = info.filename.replace("\\", "/")
    if info.flag_bits & 0x800 or name.isascii():
        return name
    try:
        return name.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def _compare(opened: _Target, jobs: int, progress: digest.Progress | None) -> Verification:
    algos = tuple(dict.fromkeys(m.algorithm for m in opened.manifests))
    digest.require(algos)
    expected: dict[str, dict[str, str]] = defaultdict(dict)  # path → algorithm → digest
    written: dict[str, str] = {}
    payload = {p for m in opened.manifests if not m.tags for p in m.entries}
    for m in opened.manifests:
        for path, value in m.entries.items():
            expected[path][m.algorithm] = value
            written.setdefault(path, m.written[path])
    present = opened.present
    matched = {path: path for path in expected if path in present}  # listed → present path
    missing: list[str] = []
    if len(matched) < len(expected):  # names written another way: NFC, or % unescaped
        by_nfc = {unicodedata.normalize("NFC", p): p for p in present}
        for path in expected:
            if path not in matched:
                found = (by_nfc.get(unicodedata.normalize("NFC", path))
                         or (written[path] if written[path] in present else None))
                if found is None:
                    missing.append(path)
                else:
                    matched[path] = found
    used = set(matched.values())
    added = sorted(p for p in opened.covered if p not in used)
    wanted = sorted(used) + added
    result = digest.digest_all(opened.source,
                               [digest.Item(present[p].key, present[p].size) for p in wanted],
                               algos, jobs, progress)
    findings: list[Finding] = []
    intact = 0
    column = {a: i for i, a in enumerate(algos)}
    for path, where in matched.items():
        key = present[where].key
        if key in result.failed:
            findings.append(_unreadable(where, result.failed[key]))
            continue
        values = result.found[key]
        wrong = next((a for a, value in expected[path].items()
                      if values[column[a]] != value), None)
        if wrong is not None:
            findings.append(changed(where, wrong, expected[path][wrong], values[column[wrong]]))
        elif path in payload:  # a bag's tag files are checked, not counted
            intact += 1
    findings += _moves_and_gaps(opened, expected, missing, added, result, algos)
    findings.sort(key=lambda f: (f.path, f.code))
    return Verification(opened.shown, opened.kind, [m.source for m in opened.manifests], algos,
                        len(payload), intact, sum(present[p].size for p in wanted), findings,
                        opened.created or next((m.created for m in opened.manifests
                                                if m.created), None))


def changed(path: str, algorithm: str, expected: str, found: str) -> Finding:
    """FX001: the content of ``path`` is not what the manifest recorded."""
    return Finding("FX001", path, None, {
        "algo": digest.LABELS.get(algorithm, algorithm.upper()), "expected": expected,
        "found": found, "short_expected": expected[:12], "short_found": found[:12]})


def recorded(archive: Path) -> dict[str, str]:
    """The SHA-256 digests the archive's own manifest (``.cwa/manifest-sha256.txt``)
    records, by path in NFC; empty when there is none or it cannot be read."""
    path = archive / CWA_DIR / "manifest-sha256.txt"
    try:
        listed = parse(path.read_bytes(), str(path), "sha256")
    except (OSError, CwaError):
        return {}
    return {unicodedata.normalize("NFC", p): d for p, d in listed.entries.items()}


def _moves_and_gaps(opened: _Target, expected: dict[str, dict[str, str]], missing: list[str],
                    added: list[str], result: digest.Digests, algos: tuple[str, ...]
                    ) -> list[Finding]:
    """Missing and added files; an added file with a missing one's content was moved."""
    gone: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in missing:
        for algo, value in expected[path].items():
            gone[(algo, value)].append(path)
    out: list[Finding] = []
    moved: set[str] = set()
    for path in added:
        key = opened.present[path].key
        if key in result.failed:
            out.append(_unreadable(path, result.failed[key]))
            continue
        source = None
        for algo, value in zip(algos, result.found[key], strict=True):
            candidates = [p for p in gone.get((algo, value), []) if p not in moved]
            if candidates:  # the same name elsewhere first, then any
                same = [p for p in candidates if p.rsplit("/", 1)[-1] == path.rsplit("/", 1)[-1]]
                source = (same or candidates)[0]
                break
        if source is None:
            out.append(Finding("FX003", path, None, {}))
        else:
            moved.add(source)
            folder = path.rpartition("/")[0]
            was = (source.rpartition("/")[2] if source.rpartition("/")[0] == folder
                   else source)
            out.append(Finding("FX004", path, None, {"source": shown(source), "was": shown(was)}))
    for path in missing:
        if path in moved:
            continue
        blocked = next((u for u in opened.unreadable
                        if not u or path.startswith(f"{u}/")), None)
        out.append(_unreadable(path, "permission") if blocked is not None
                   else Finding("FX002", path, None, {}))
    return out


def _unreadable(path: str, reason: str) -> Finding:
    return Finding("FX005", path, None, {"reason": reason, "why": t(f"fixity.why_{reason}")})


def _member(archive: zipfile.ZipFile, name: str, shown: str) -> bytes:
    """A member of the package that verify itself reads (a manifest, bag-info.txt): one
    that is damaged is a message, not a crash."""
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise CwaError("fixity.unreadable_manifest", path=f"{shown}:{name}",
                       error=str(exc)[:200]) from None
