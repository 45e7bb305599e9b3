"""The write-ahead journal of every change cwa makes to an archive.

``.cwa/journal/<time>-<command>.jsonl`` inside the archive: a header line with the whole
plan, written and flushed before the first step; then one line per step as it finishes
(``done``, ``skipped`` or ``reverted``), ``end`` when the plan has run, and the same for an
undo (``undone``, ``undo_end``). Each line is flushed and fsynced, so after a crash the
journal tells exactly which steps ran (and the one after the last line is checked on disk).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cwa.errors import CwaError
from cwa.plan import Mkdir, Operation, Rename, Replace, WriteFile
from cwa.scan import CWA_DIR

VERSION = 1


def folder(archive: Path) -> Path:
    return archive / CWA_DIR / "journal"


def digest(content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def blobs(archive: Path) -> Path:
    """Where the original bytes of replaced files are kept, by SHA-256."""
    return folder(archive) / "blobs"


def encode(op: Operation) -> dict[str, Any]:
    if isinstance(op, Rename):
        return {"op": "rename", "rel": op.rel, "to": op.to, "group": op.group,
                "phase": op.phase}
    if isinstance(op, Mkdir):
        return {"op": "mkdir", "rel": op.rel}
    if isinstance(op, Replace):
        return {"op": "replace", "rel": op.rel, "before": op.before, "sha256": digest(op.data)}
    return {"op": "write", "rel": op.rel, "sha256": digest(op.text)}


def decode(record: dict[str, Any]) -> Operation:
    if record["op"] == "rename":
        return Rename(record["rel"], record["to"], record.get("group", 0),
                      record.get("phase", 0))
    if record["op"] == "mkdir":
        return Mkdir(record["rel"])
    if record["op"] == "replace":  # the new content is not kept: its digest is
        return Replace(record["rel"], b"", record["before"])
    # The text is not kept; undo compares the file's digest with the one recorded.
    return WriteFile(record["rel"], "")


@dataclass
class Journal:
    path: Path
    command: str
    operations: list[Operation]
    written: dict[int, str] = field(default_factory=dict)  # write step → sha256
    done: list[int] = field(default_factory=list)  # in the order they ran
    skipped: dict[int, str] = field(default_factory=dict)
    ended: bool = False
    undone: list[int] = field(default_factory=list)
    undo_ended: bool = False

    @property
    def recorded(self) -> set[int]:
        return {*self.done, *self.skipped}


def load(path: Path) -> Journal:
    lines = path.read_text(encoding="utf-8").splitlines()
    try:
        header = json.loads(lines[0])
        if header.get("version") != VERSION:
            raise ValueError(header.get("version"))
    except (IndexError, ValueError, KeyError):
        raise CwaError("error.journal_unreadable", path=str(path)) from None
    ops = [decode(r) for r in header["operations"]]
    journal = Journal(path, header["command"], ops,
                      {i: r["sha256"] for i, r in enumerate(header["operations"])
                       if r["op"] in ("write", "replace")})
    for line in lines[1:]:
        try:
            record = json.loads(line)
        except ValueError:
            break  # the last line was cut short by a crash: what it said did not happen
        if "done" in record:
            journal.done.append(record["done"])
        elif "skipped" in record:
            journal.skipped[record["skipped"]] = record.get("reason", "")
        elif "reverted" in record:
            journal.done.remove(record["reverted"])
            journal.skipped[record["reverted"]] = "reverted"
        elif "undone" in record:
            journal.undone.append(record["undone"])
        elif record.get("end"):
            journal.ended = True
        elif record.get("undo_end"):
            journal.undo_ended = True
    return journal


def journals(archive: Path) -> list[Journal]:
    """Every journal of the archive, oldest first."""
    where = folder(archive)
    if not where.is_dir():
        return []
    return [load(p) for p in sorted(where.glob("*.jsonl"))]


def unfinished(archive: Path) -> Journal | None:
    """A plan that stopped half way (a crash, a kill) and was neither resumed nor undone."""
    for journal in reversed(journals(archive)):
        if not journal.ended and not journal.undo_ended:
            return journal
    return None


def last_to_undo(archive: Path) -> Journal | None:
    for journal in reversed(journals(archive)):
        if not journal.undo_ended and (journal.done or not journal.ended):
            return journal
    return None


class Writer:
    """Appends records to a journal, each flushed and fsynced before the next step."""

    def __init__(self, path: Path, handle: TextIO) -> None:
        self.path = path
        self._handle = handle

    @classmethod
    def create(cls, archive: Path, command: str, operations: list[Operation]) -> Writer:
        where = folder(archive)
        where.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{time.time_ns() % 10**9:09d}"
        path = where / f"{stamp}-{command}.jsonl"
        writer = cls(path, open(path, "x", encoding="utf-8"))  # noqa: SIM115 (closed by close)
        writer.write({"version": VERSION, "command": command,
                      "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                      "operations": [encode(op) for op in operations]})
        return writer

    @classmethod
    def append(cls, journal: Journal) -> Writer:
        return cls(journal.path, open(journal.path, "a", encoding="utf-8"))

    def write(self, record: dict[str, Any]) -> None:
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()
