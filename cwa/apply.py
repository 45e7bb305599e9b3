"""Carry out a plan: every step journaled first, nothing ever overwritten.

The journal is ``.cwa/journal/<time>-<command>.jsonl`` inside the archive: a header line
with the whole plan, then one line per finished step, flushed to disk as it happens.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cwa.errors import CwaError
from cwa.plan import Mkdir, Operation
from cwa.scan import CWA_DIR

JOURNAL_VERSION = 1


@dataclass
class Applied:
    done: list[Operation] = field(default_factory=list)
    skipped: list[tuple[Operation, str]] = field(default_factory=list)
    journal: Path | None = None


def inside(archive: Path, rel: str) -> Path:
    """The absolute path of ``rel``, refusing anything that would leave the archive."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise CwaError("error.path_outside", path=rel)
    path = archive.joinpath(*parts)
    if not path.resolve().is_relative_to(archive.resolve()):
        raise CwaError("error.path_outside", path=rel)
    return path


def apply(archive: Path, operations: list[Operation], command: str) -> Applied:
    for op in operations:  # refuse the whole plan before the first step if any is unsafe
        inside(archive, op.rel)
    archive.mkdir(parents=True, exist_ok=True)
    result = Applied()
    if not operations:
        return result
    journal_dir = archive / CWA_DIR / "journal"
    journal_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    journal = journal_dir / f"{stamp}-{os.getpid()}-{command}.jsonl"
    result.journal = journal
    with open(journal, "x", encoding="utf-8") as log:
        _write(log, {"version": JOURNAL_VERSION, "command": command,
                     "operations": [_op(op) for op in operations]})
        for index, op in enumerate(operations):
            reason = _step(archive, op)
            if reason is None:
                result.done.append(op)
                _write(log, {"done": index})
            else:
                result.skipped.append((op, reason))
                _write(log, {"skipped": index, "reason": reason})
    return result


def _step(archive: Path, op: Operation) -> str | None:
    path = inside(archive, op.rel)
    try:
        if isinstance(op, Mkdir):
            path.mkdir()
        else:
            with open(path, "x", encoding="utf-8", newline="") as fh:
                fh.write(op.text)
    except FileExistsError:
        return "exists"
    except PermissionError:
        return "permission"
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


def _op(op: Operation) -> dict[str, str]:
    if isinstance(op, Mkdir):
        return {"op": "mkdir", "rel": op.rel}
    return {"op": "write", "rel": op.rel}


def _write(log: TextIO, record: dict[str, object]) -> None:
    log.write(json.dumps(record, ensure_ascii=False) + "\n")
    log.flush()
    os.fsync(log.fileno())
