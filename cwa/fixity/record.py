"""``cwa manifest`` as a Python API: select the files, hash them, render the manifests."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cwa import journal
from cwa.apply import apply
from cwa.apply import ready as apply_ready
from cwa.errors import CwaError
from cwa.fixity import digest, manifest, reuse
from cwa.fixity.select import Selection, select
from cwa.messages import t
from cwa.plan import Operation, Replace, WriteFile
from cwa.report.output import write
from cwa.scan import CWA_DIR, Entry


@dataclass
class Record:
    selection: Selection
    algorithms: tuple[str, ...]
    digests: dict[str, tuple[str, ...]] = field(default_factory=dict)  # rel → per algorithm
    reused: int = 0
    created: str = ""
    files: list[Entry] = field(default_factory=list)  # the files hashed, in manifest order
    size: int = 0  # their bytes
    _texts: dict[str, bytes] = field(default_factory=dict, repr=False)

    def text(self, algorithm: str) -> bytes:
        """The manifest for one algorithm, with its header."""
        if algorithm not in self._texts:
            column = self.algorithms.index(algorithm)
            lines = [(e.rel, self.digests[e.rel][column]) for e in self.files]
            self._texts[algorithm] = manifest.render(algorithm, lines, self.header(algorithm),
                                                     self.created)
        return self._texts[algorithm]

    def header(self, algorithm: str) -> list[str]:
        return manifest.header(algorithm, self.created, len(self.files), self.size,
                               {r: len(v) for r, v in self.selection.left_out.items()})

    def stats(self) -> reuse.Stats:
        return {e.rel: (e.size, e.mtime_ns) for e in self.files}


def record(root: Path, algorithms: Sequence[str], jobs: int,
           previous: Mapping[str, bytes] | None = None,
           progress: digest.Progress | None = None) -> Record:
    """Digests of every file a manifest covers. ``previous``: the manifests this one
    replaces (algorithm → bytes), whose digests are reused for files unchanged in size
    and modification time (``--reuse``)."""
    digest.require(algorithms)
    algos = tuple(algorithms)
    chosen = select(root)
    made = Record(chosen, algos, created=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    known = _reusable(previous, algos) if previous else {}
    todo: list[digest.Item] = []
    for entry in chosen.files:
        before = known.get(entry.rel)
        if before is not None and before[0] == (entry.size, entry.mtime_ns):
            made.digests[entry.rel] = before[1]
            made.reused += 1
        else:
            todo.append(digest.Item(entry.rel, entry.size))
    result = digest.digest_all(digest.Source(str(root)), todo, algos, jobs, progress)
    made.digests.update(result.found)
    for rel in result.failed:  # vanished or unreadable since the scan: not in the manifest
        chosen.left_out["unreadable"].append(rel)
    chosen.left_out["unreadable"].sort()
    made.files = [e for e in chosen.files if e.rel in made.digests]
    made.size = sum(e.size for e in made.files)
    return made


def _reusable(previous: Mapping[str, bytes], algos: tuple[str, ...]
              ) -> dict[str, tuple[tuple[int, int], tuple[str, ...]]]:
    """path → ((size, mtime_ns), digests) where every algorithm's old manifest has it."""
    per_algo = []
    for algo in algos:
        data = previous.get(algo)
        if data is None:
            return {}
        stats = reuse.recall(data)
        entries = manifest.parse(data, manifest.file_name(algo), algo).entries
        per_algo.append((stats, entries))
    stats, first = per_algo[0]
    out = {}
    for path, stat in stats.items():
        digests = tuple(entries.get(path) for _, entries in per_algo)
        if path in first and all(d is not None for d in digests) and all(
                s.get(path) == stat for s, _ in per_algo):
            out[path] = (stat, tuple(d for d in digests if d is not None))
    return out


@dataclass
class Saved:
    paths: list[Path]
    journal: Path | None = None


def targets(archive: Path, output: Path | None, algorithms: Sequence[str]) -> dict[str, Path]:
    """Where each algorithm's manifest goes: the archive's .cwa/, or ``output`` (a file,
    or a folder to hold manifest-<algorithm>.txt)."""
    if output is None:
        return {a: archive / CWA_DIR / manifest.file_name(a) for a in algorithms}
    if output.is_dir():
        return {a: output / manifest.file_name(a) for a in algorithms}
    if len(algorithms) > 1:
        raise CwaError("manifest.output_both", path=str(output))
    return {algorithms[0]: output}


def ready(archive: Path, output: Path | None) -> None:
    """Before any hashing: refuse at once where the manifest could not be saved into the
    archive (another cwa at work there, a change left unfinished)."""
    if output is None:
        apply_ready(archive)


def save(made: Record, archive: Path, output: Path | None) -> Saved:
    """Write the manifests: into the archive's .cwa/ as every change there is written —
    planned, journaled, undoable (a manifest replaced is restored by ``cwa undo``) — or,
    with ``output``, outside the archive, through a temporary file."""
    where = targets(archive, output, made.algorithms)
    texts = {a: made.text(a) for a in made.algorithms}
    if output is None:
        return _into_archive(archive, where, texts)
    for algo, path in where.items():
        if path.resolve().is_relative_to(archive.resolve()):
            raise CwaError("manifest.inside", archive=str(archive))
        write(path, texts[algo])
    return Saved(list(where.values()))


def _into_archive(archive: Path, where: dict[str, Path], texts: dict[str, bytes]) -> Saved:
    operations: list[Operation] = []
    for algo, path in where.items():
        rel = f"{CWA_DIR}/{manifest.file_name(algo)}"
        if path.is_file():
            before = path.read_bytes()
            operations.append(Replace(rel, texts[algo], journal.digest(before)))
        else:
            operations.append(WriteFile(rel, texts[algo]))
    shown = str(archive / CWA_DIR)
    try:
        applied = apply(archive, operations, "manifest")
    except CwaError as exc:
        if exc.key == "error.read_only":  # a read-only share: say where else it can go
            raise CwaError("manifest.read_only", path=str(archive)) from None
        raise
    except OSError as exc:
        raise CwaError("manifest.not_written", path=shown,
                       error=exc.strerror or type(exc).__name__) from None
    if applied.skipped:
        raise CwaError("manifest.not_written", path=shown,
                       error=t(f"skip.{applied.skipped[0][1]}"))
    return Saved(list(where.values()), applied.journal)
