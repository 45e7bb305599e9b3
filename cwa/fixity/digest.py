"""Content digests — SHA-256, and SM3 (GB/T 32905) where hashlib has it — of many files,
in worker processes on every core.

Files come from a folder or from the members of a zip (``Source``). The work is cut into
chunks of similar size, handed out largest first, so that one large video does not leave
a core idle at the end; each chunk reports its files as done, for a progress bar. Where
the system can fork (Linux), workers are forked and take chunk indexes over a pipe: they
inherit the work, start in milliseconds, and need no threads or queues in this process
(``multiprocessing.Pool`` took 0.13 s of CPU here for 20,000 files; this takes 0.04 s). Where
only spawn exists, a ``multiprocessing`` pool is started only for work large enough to
pay for it, and files are hashed in turn otherwise."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import selectors
import signal
import zipfile
import zlib
from collections import deque
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
            import ssl

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
    import multiprocessing  # only here: every cwa command imports this module

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
    yield from _forked(chunks, workers)


def _ignore_interrupt() -> None:
    """Ctrl-C is the main process's to handle (it ends the workers), not each worker's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@dataclass
class _Worker:
    pid: int
    tasks: int  # pipe: chunk indexes to the worker
    results: int  # pipe: pickled results back
    index: int = -1  # the chunk it holds


def _forked(chunks: list[Chunk], count: int) -> Iterator[Done]:
    """Workers forked from this process: they inherit ``chunks``, so only an index goes
    to a worker, one at a time, in order (largest first), and its result comes back over
    a pipe. No threads, no queues: a few milliseconds for the lot. A worker that dies has
    its chunk hashed here instead."""
    workers: list[_Worker] = []
    finished = False
    try:
        for _ in range(count):
            workers.append(_fork(chunks, workers))
        pending = deque(range(len(chunks)))
        selector = selectors.DefaultSelector()
        for worker in workers:
            selector.register(worker.results, selectors.EVENT_READ, worker)
            _give(worker, pending)
        while any(w.index >= 0 for w in workers):
            for key, _ in selector.select():
                worker = key.data
                done = _receive(worker.results)
                if done is None:  # the worker is gone: its chunk is done here
                    selector.unregister(worker.results)
                    index, worker.index = worker.index, -1
                    yield hash_chunk((index, chunks[index]))
                    continue
                yield done
                _give(worker, pending)
        while pending:  # every worker died
            index = pending.popleft()
            yield hash_chunk((index, chunks[index]))
        finished = True
    finally:
        for worker in workers:
            if finished:  # idle: told to stop
                with contextlib.suppress(OSError):
                    _write(worker.tasks, (-1).to_bytes(4, "little", signed=True))
            else:  # interrupted (Ctrl-C, an error): no waiting for a chunk to finish
                with contextlib.suppress(OSError):
                    os.kill(worker.pid, signal.SIGKILL)
            for fd in (worker.tasks, worker.results):
                with contextlib.suppress(OSError):
                    os.close(fd)
        for worker in workers:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(worker.pid, 0)


def _fork(chunks: list[Chunk], siblings: list[_Worker]) -> _Worker:
    tasks_out, tasks_in = os.pipe()
    results_out, results_in = os.pipe()
    pid = os.fork()
    if pid:
        os.close(tasks_out)
        os.close(results_in)
        return _Worker(pid, tasks_in, results_out)
    status = 1
    try:  # the worker: take an index, send its result, until told -1 or the pipe closes
        _ignore_interrupt()
        for sibling in siblings:
            os.close(sibling.tasks)
            os.close(sibling.results)
        os.close(tasks_in)
        os.close(results_out)
        while len(head := _read(tasks_out, 4)) == 4:
            index = int.from_bytes(head, "little", signed=True)
            if index < 0:
                break
            data = pickle.dumps(hash_chunk((index, chunks[index])))
            _write(results_in, len(data).to_bytes(8, "little") + data)
        status = 0
    finally:
        os._exit(status)


def _give(worker: _Worker, pending: deque[int]) -> None:
    if pending:
        worker.index = pending.popleft()
        _write(worker.tasks, worker.index.to_bytes(4, "little", signed=True))
    else:
        worker.index = -1


def _receive(fd: int) -> Done | None:
    head = _read(fd, 8)
    if len(head) < 8:
        return None
    size = int.from_bytes(head, "little")
    data = _read(fd, size)
    if len(data) < size:
        return None
    done: Done = pickle.loads(data)
    return done


def _read(fd: int, size: int) -> bytes:
    parts = []
    while size:
        part = os.read(fd, min(size, 1 << 20))
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


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
