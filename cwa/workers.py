"""Run probes in worker processes, each file bounded in time and memory.

A worker takes one file at a time over a pipe, so the main process always knows which
file each worker holds. A worker that takes longer than the time bound is killed, one
that dies (a crash in a C library, the memory bound) is noticed through its sentinel;
either way that file gets a finding (CT005), a new worker takes the next file, and the
run goes on. One hostile file can neither hang nor end a check.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from cwa.probes import Result

TIME_LIMIT = 60.0  # seconds for one file
MEMORY_LIMIT = 1 << 30  # bytes of address space one file may add, where the OS can bound it


@dataclass(frozen=True)
class Task:
    key: str  # the file's relative path
    path: str
    ext: str
    title: str
    want_hash: bool
    size: int


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process (BaseProcess in typeshed)
    conn: Connection
    task: Task | None = None
    started: float = 0.0


def run(tasks: Iterable[Task], jobs: int, done: Callable[[Task, Result], None],
        time_limit: float = TIME_LIMIT, memory_limit: int = MEMORY_LIMIT) -> None:
    """Probe every task in up to ``jobs`` workers, largest first; ``done`` gets each
    result in the main process as it arrives."""
    queue = deque(sorted(tasks, key=lambda t: -t.size))
    if not queue:
        return
    context = multiprocessing.get_context()
    workers: list[_Worker] = []
    try:
        while queue or any(w.task for w in workers):
            while len(workers) < min(jobs, len(workers) + len(queue)):
                workers.append(_start(context, memory_limit))
            for worker in workers:
                if worker.task is None and queue:
                    worker.task, worker.started = queue.popleft(), time.monotonic()
                    worker.conn.send(worker.task)
            busy = [w for w in workers if w.task is not None]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                         timeout=0.2)
            now = time.monotonic()
            for worker in busy:
                task = worker.task
                assert task is not None
                if worker.conn in ready:
                    try:
                        result = worker.conn.recv()
                    except (EOFError, OSError):  # died while sending
                        result = _lost(task, "crash")
                        _replace(workers, worker, context, memory_limit)
                    else:
                        worker.task = None
                    done(task, result)
                elif worker.process.sentinel in ready:
                    done(task, _lost(task, "crash"))
                    _replace(workers, worker, context, memory_limit)
                elif now - worker.started > time_limit:
                    worker.process.kill()
                    done(task, _lost(task, "timeout", seconds=int(time_limit)))
                    _replace(workers, worker, context, memory_limit)
    finally:
        for worker in workers:
            _stop(worker)


def _lost(task: Task, why: str, **args: Any) -> Result:
    return {"issues": [["CT005", {"why": why, **args}]]}


def _start(context: Any, memory_limit: int) -> _Worker:
    here, there = context.Pipe()
    process = context.Process(target=serve, args=(there, memory_limit), daemon=True)
    process.start()
    there.close()
    return _Worker(process, here)


def _replace(workers: list[_Worker], old: _Worker, context: Any, memory_limit: int) -> None:
    _stop(old)
    workers[workers.index(old)] = _start(context, memory_limit)


def _stop(worker: _Worker) -> None:
    with contextlib.suppress(OSError, ValueError):  # already gone
        worker.conn.send(None)
    worker.process.join(timeout=1)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()
    worker.conn.close()


def _bound_memory(budget: int) -> None:
    """Bound the worker's address space to what it has now plus ``budget``: a fork starts
    with its parent's whole address space, so a flat limit would starve it."""
    try:
        import resource

        with open("/proc/self/statm") as fh:
            size = int(fh.read().split()[0]) * resource.getpagesize()
        limit = size + budget
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, ValueError):  # no /proc (macOS), no resource (Windows)
        pass


def serve(conn: Connection, memory_limit: int) -> None:
    """A worker's loop: probe the files it is sent until it is sent None."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    with contextlib.suppress(OSError):  # C libraries (libtiff…) print to fd 2: not ours
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 2)
    gc.enable()  # a forked worker inherits the check's paused GC; probes make cycles
    _bound_memory(memory_limit)
    from cwa.probes import probe

    while True:
        task = conn.recv()
        if task is None:
            return
        try:
            result = probe(task.path, task.ext, task.title, task.want_hash)
        except MemoryError:
            result = {"issues": [["CT005", {"why": "memory"}]]}
        except OSError as exc:
            result = {"issues": [["CT001", {"why": "unreadable", "error": str(exc)[:160]}]]}
        except Exception as exc:  # a library's bug on a strange file: that file's finding
            from cwa.probes import failure

            result = {"issues": [failure(exc, task.path)]}
        conn.send(result)
