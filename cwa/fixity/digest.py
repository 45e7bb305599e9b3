"""Content digests — SHA-256, and SM3 (GB/T 32905) where hashlib has it — of many files,
in worker processes on every core.

Files come from a folder or from the members of a zip (``Source``). The work is cut into
chunks of similar size, so that one large video does not leave a core idle; a chunk
reports its files as done, for a progress bar. Processes are forked where the system can
(Linux): they start in milliseconds. Where only spawn exists, a pool is started only for
work large enough to pay for it, and files are hashed in turn otherwise.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import ssl
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, cast

from cwa.errors import CwaError

ALGORITHMS = ("sha256", "sm3")
LABELS = {"sha256": "SHA-256", "sm3": "SM3"}
BLOCK = 1 << 20
CHUNK_BYTES = 32 << 20  # a chunk of work: this many bytes…
CHUNK_FILES = 256  # …or this many files, whichever comes first (a folder; a zip: see below)
SPAWN_WORTH = 512 << 20  # bytes below which spawning workers costs more than it saves


class Choice(str, Enum):
    """``--algo``: one algorithm, or both."""

    sha256 = "sha256"
    sm3 = "sm3"
    both = "both"

    @property
    def algorithms(self) -> tuple[str, ...]:
        return ALGORITHMS if self is Choice.both else (self.value,)


def supported(algorithm: str) -> bool:
    """Whether this Python's hashlib (its OpenSSL) can compute ``algorithm``."""
    try:
        hashlib.new(algorithm)
    except ValueError:
        return False
    return True


def require(algorithms: Sequence[str]) -> None:
    for algorithm in algorithms:
        if not supported(algorithm):
            raise CwaError("fixity.unsupported", algo=LABELS.get(algorithm, algorithm),
                           openssl=ssl.OPENSSL_VERSION)


@dataclass(frozen=True)
class Source:
    """Where the bytes are: a folder (``zip`` empty) or a zip file's members."""

    root: str  # the folder, or the zip file
    zip: bool = False


@dataclass(frozen=True)
class Item:
    key: str  # relative path with "/" in a folder; member name in a zip
    size: int


class Progress(Protocol):
    def start(self, files: int, size: int) -> None: ...

    def advance(self, files: int, size: int) -> None: ...


@dataclass
class Digests:
    found: dict[str, tuple[str, ...]]  # key → hex digests, in the order of the algorithms
    failed: dict[str, str]  # key → reason: permission | missing | damaged | oserror


def digest_all(source: Source, items: Sequence[Item], algorithms: Sequence[str],
               jobs: int, progress: Progress | None = None) -> Digests:
    """Hash every item with every algorithm (each file read once)."""
    algos = tuple(algorithms)
    total = sum(i.size for i in items)
    if progress is not None:
        progress.start(len(items), total)
    result = Digests({}, {})
    chunks = [(source, [i.key for i in chunk], algos, sum(i.size for i in chunk))
              for chunk in (_zip_chunks(items, jobs) if source.zip else _chunks(items))]
    for index, values, failed in _map(chunks, jobs, total):
        _, keys, _, size = chunks[index]
        result.found.update((k, v) for k, v in zip(keys, values, strict=True) if v)
        result.failed.update(failed)
        if progress is not None:
            progress.advance(len(keys), size)
    return result


Chunk = tuple[Source, list[str], tuple[str, ...], int]
#: A chunk done: its index, each key's digests in order (empty where it failed), failures.
Done = tuple[int, list[tuple[str, ...]], dict[str, str]]
_FORKED: list[Chunk] = []  # the work, inherited by forked workers: only indexes are sent


def _chunks(items: Sequence[Item]) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    size = 0
    for item in sorted(items, key=lambda i: -i.size):  # largest first: no straggler at the end
        chunk.append(item)
        size += item.size
        if size >= CHUNK_BYTES or len(chunk) >= CHUNK_FILES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _zip_chunks(items: Sequence[Item], jobs: int) -> Iterator[list[Item]]:
    """A zip is opened once per chunk (reading its directory each time): a few large
    chunks, in the zip's order."""
    per = max(1, -(-len(items) // (max(jobs, 1) * 4)))
    for start in range(0, len(items), per):
        yield list(items[start:start + per])


def _map(chunks: list[Chunk], jobs: int, total: int) -> Iterator[Done]:
    fork = "fork" in multiprocessing.get_all_start_methods()
    numbered = list(enumerate(chunks))
    if jobs < 2 or len(chunks) < 2 or (not fork and total < SPAWN_WORTH):
        yield from map(hash_chunk, numbered)
        return
    workers = min(jobs, len(chunks))
    if not fork:  # spawn: each worker gets its chunks sent whole
        with multiprocessing.get_context("spawn").Pool(
                workers, initializer=_ignore_interrupt) as pool:
            yield from pool.imap_unordered(hash_chunk, numbered)
        return
    _FORKED[:] = chunks  # forked workers see the list as it is now: send only indexes
    try:
        with multiprocessing.get_context("fork").Pool(
                workers, initializer=_ignore_interrupt) as pool:
            yield from pool.imap_unordered(_hash_forked, range(len(chunks)))
    finally:
        _FORKED.clear()


def _ignore_interrupt() -> None:
    """Ctrl-C is the main process's to handle (it ends the pool), not each worker's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _hash_forked(index: int) -> Done:
    return hash_chunk((index, _FORKED[index]))


def hash_chunk(numbered: tuple[int, Chunk]) -> Done:
    """Hash one chunk (in a worker, or not). Never raises for one file's sake."""
    index, (source, keys, algorithms, _) = numbered
    found: list[tuple[str, ...]] = []
    failed: dict[str, str] = {}
    buffer = bytearray(BLOCK)
    if source.zip:
        try:
            archive = zipfile.ZipFile(source.root)
        except (OSError, zipfile.BadZipFile) as exc:
            return index, [()] * len(keys), dict.fromkeys(keys, _reason(exc))
        with archive:
            for key in keys:
                try:
                    with archive.open(key) as fh:  # a ZipExtFile: an io.BufferedIOBase
                        found.append(_hash(cast(_Readable, fh), algorithms, buffer))
                except (OSError, KeyError, zipfile.BadZipFile, zlib.error,
                        NotImplementedError, EOFError) as exc:
                    found.append(())
                    failed[key] = _reason(exc)
        return index, found, failed
    prefix = source.root.rstrip("/" + os.sep) + os.sep
    for key in keys:
        try:
            with open(prefix + key.replace("/", os.sep), "rb", buffering=0) as fh:
                found.append(_hash(fh, algorithms, buffer))
        except OSError as exc:
            found.append(())
            failed[key] = _reason(exc)
    return index, found, failed


class _Readable(Protocol):
    def readinto(self, buffer: bytearray, /) -> int | None: ...


def _hash(fh: _Readable, algorithms: tuple[str, ...], buffer: bytearray) -> tuple[str, ...]:
    hashers = [hashlib.new(a) for a in algorithms]
    view = memoryview(buffer)
    while True:
        n = fh.readinto(buffer)
        if not n:
            break
        block = view[:n]
        for hasher in hashers:
            hasher.update(block)  # releases the GIL for blocks of any real size
    return tuple(h.hexdigest() for h in hashers)


def of_file(path: str, algorithm: str) -> str | None:
    """One file's digest; None when it cannot be read."""
    try:
        with open(path, "rb", buffering=0) as fh:
            return _hash(fh, (algorithm,), bytearray(BLOCK))[0]
    except OSError:
        return None


def digest_bytes(data: bytes, algorithm: str) -> str:
    return hashlib.new(algorithm, data).hexdigest()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return "permission"
    if isinstance(exc, (FileNotFoundError, KeyError)):
        return "missing"
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)):
        return "damaged"
    return "oserror"
