"""Carry out a plan, resume one that stopped, or undo one — never overwriting anything.

Every step is checked on disk right before it runs: a rename needs its source there and
its target free (Linux and macOS would silently replace a file), a new folder or file
needs its name free. A step that cannot run is skipped and journaled, and the rest goes
on; in a group of renames through temporary names, a failure puts the group back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cwa import journal as journals
from cwa.errors import CwaError
from cwa.journal import Journal, Writer
from cwa.plan import Mkdir, Operation, Rename, Replace

#: Testing aid for crash recovery: stop the process right after the filesystem change of
#: step N (counted from 0 in this run), before the journal records it.
CRASH_AFTER = "CWA_CRASH_AFTER_STEP"


@dataclass
class Applied:
    done: list[Operation] = field(default_factory=list)
    skipped: list[tuple[Operation, str]] = field(default_factory=list)  # reason key
    stranded: list[Rename] = field(default_factory=list)  # left under a temporary name
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
        if isinstance(op, Rename):
            inside(archive, op.to)
    archive.mkdir(parents=True, exist_ok=True)
    if not operations:
        return Applied()
    writer = Writer.create(archive, command, operations)
    try:
        result = _run(archive, operations, range(len(operations)), writer)
    finally:
        writer.close()
    result.journal = writer.path
    return result


def resume(archive: Path, journal: Journal) -> Applied:
    """Finish a plan that stopped half way: the steps its journal does not record."""
    writer = Writer.append(journal)
    try:
        pending = [i for i in range(len(journal.operations)) if i not in journal.recorded]
        ran = list(journal.done)
        if pending and _performed(archive, journal, pending[0]):
            writer.write({"done": pending[0]})  # it ran; the crash came before its record
            ran.append(pending[0])
            pending = pending[1:]
        done_in_group: dict[int, list[int]] = {}
        for index in ran:  # a group that fails now is put back whole, earlier steps too
            op = journal.operations[index]
            if isinstance(op, Rename) and op.group:
                done_in_group.setdefault(op.group, []).append(index)
        result = _run(archive, journal.operations, pending, writer,
                      failed_groups=_groups_with(journal, "reverted"),
                      done_in_group=done_in_group)
    finally:
        writer.close()
    result.journal = journal.path
    return result


def _groups_with(journal: Journal, reason: str) -> set[int]:
    return {op.group for i, op in enumerate(journal.operations)
            if isinstance(op, Rename) and journal.skipped.get(i) == reason}


def _run(archive: Path, ops: list[Operation], steps: range | list[int], writer: Writer,
         failed_groups: set[int] | None = None,
         done_in_group: dict[int, list[int]] | None = None) -> Applied:
    result = Applied()
    failed = failed_groups if failed_groups is not None else set()
    crash_after = int(os.environ.get(CRASH_AFTER, "-1"))
    done_in_group = done_in_group if done_in_group is not None else {}
    for count, index in enumerate(steps):
        op = ops[index]
        group = op.group if isinstance(op, Rename) else 0
        if group in failed:
            writer.write({"skipped": index, "reason": "group"})
            result.skipped.append((op, "group"))
            continue
        reason = _step(archive, op)
        if count == crash_after:
            os._exit(99)
        if reason is None:
            writer.write({"done": index})
            result.done.append(op)
            if group:
                done_in_group.setdefault(group, []).append(index)
            continue
        writer.write({"skipped": index, "reason": reason})
        result.skipped.append((op, reason))
        if isinstance(op, Rename) and op.group:
            failed.add(op.group)
            if op.phase == 1:
                _put_back(archive, ops, done_in_group.get(op.group, []), writer, result)
            else:
                result.stranded.append(op)
    writer.write({"end": True})
    return result


def _put_back(archive: Path, ops: list[Operation], done: list[int], writer: Writer,
              result: Applied) -> None:
    """A phase-1 rename failed: move the group's sources back from their temporary names."""
    for index in reversed(done):
        op = ops[index]
        assert isinstance(op, Rename)
        if _rename(archive, op.to, op.rel) is None:
            writer.write({"reverted": index})
            if op in result.done:  # not when it ran before a crash and this is a resume
                result.done.remove(op)
            result.skipped.append((op, "reverted"))
        else:
            result.stranded.append(op)


def _step(archive: Path, op: Operation) -> str | None:
    """Run one step; None when it ran, else the reason it did not."""
    if isinstance(op, Rename):
        return _rename(archive, op.rel, op.to)
    path = inside(archive, op.rel)
    if isinstance(op, Replace):
        return _replace(archive, path, op)
    try:
        if isinstance(op, Mkdir):
            path.mkdir()
        elif isinstance(op.text, bytes):
            with open(path, "xb") as fh:
                fh.write(op.text)
        else:
            with open(path, "x", encoding="utf-8", newline="") as fh:
                fh.write(op.text)
    except FileExistsError:
        return "exists"
    except OSError as exc:
        return _reason(exc)
    return None


def _replace(archive: Path, path: Path, op: Replace) -> str | None:
    """Keep the original bytes in the journal's blobs, then swap the new content in."""
    try:
        original = path.read_bytes()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return _reason(exc)
    if journals.digest(original) != op.before:
        return "changed_since"  # edited since the plan was made: not ours to overwrite
    kept = journals.blobs(archive) / op.before
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        if not kept.exists():
            _write_atomically(kept, original)
        _write_atomically(path, op.data)
    except OSError as exc:
        return _reason(exc)
    return None


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the file, flush it to disk, then rename over: never half a file."""
    temporary = path.with_name(f".{path.name}.cwa-{os.getpid()}.tmp")
    try:
        with open(temporary, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _rename(archive: Path, rel: str, to: str) -> str | None:
    source, target = inside(archive, rel), inside(archive, to)
    if not os.path.lexists(source):
        return "missing"
    if os.path.lexists(target) and not _same(source, target):
        return "exists"  # never replace: os.rename would, silently, on Linux and macOS
    try:
        source.rename(target)
    except OSError as exc:
        return _reason(exc)
    return None


def _same(a: Path, b: Path) -> bool:
    """The same entry under two spellings (a case-only rename on Windows or macOS)."""
    try:
        return a.samefile(b)
    except OSError:
        return False


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission"
    if isinstance(exc, FileExistsError):
        return "exists"
    if isinstance(exc, FileNotFoundError):
        return "missing"
    return "oserror"


def _performed(archive: Path, journal: Journal, index: int) -> bool:
    """Did step ``index`` happen although the journal does not say so (a crash)?"""
    op = journal.operations[index]
    if isinstance(op, Rename):
        return (not os.path.lexists(inside(archive, op.rel))
                and os.path.lexists(inside(archive, op.to)))
    path = inside(archive, op.rel)
    if isinstance(op, Mkdir):
        return path.is_dir()
    return path.is_file() and _file_digest(path) == journal.written.get(index)


def _file_digest(path: Path) -> str:
    return journals.digest(path.read_bytes())


@dataclass
class Undone:
    undone: list[Operation] = field(default_factory=list)
    kept: list[tuple[Operation, str]] = field(default_factory=list)  # could not be undone
    journal: Path | None = None


def undo(archive: Path, journal: Journal) -> Undone:
    """Reverse every step of ``journal`` that ran, newest first."""
    ran = list(journal.done)
    pending = [i for i in range(len(journal.operations)) if i not in journal.recorded]
    if not journal.ended and pending and _performed(archive, journal, pending[0]):
        ran.append(pending[0])  # ran just before a crash, unrecorded
    result = Undone(journal=journal.path)
    writer = Writer.append(journal)
    try:
        for index in reversed(ran):
            if index in journal.undone:
                continue
            op = journal.operations[index]
            reason = _reverse(archive, journal, index, op)
            if reason is None:
                result.undone.append(op)
                writer.write({"undone": index})
            else:
                result.kept.append((op, reason))
                writer.write({"undone": index, "kept": reason})
        writer.write({"undo_end": True})
    finally:
        writer.close()
    return result


def _reverse(archive: Path, journal: Journal, index: int, op: Operation) -> str | None:
    if isinstance(op, Rename):
        return _rename(archive, op.to, op.rel)
    path = inside(archive, op.rel)
    try:
        if isinstance(op, Mkdir):
            if any(path.iterdir()):
                return "not_empty"  # something was put in it since: keep it
            path.rmdir()
            return None
        if _file_digest(path) != journal.written.get(index):
            return "changed"  # edited since cwa wrote or changed it: keep it
        if isinstance(op, Replace):
            kept = journals.blobs(archive) / op.before
            if not kept.is_file():
                return "missing"
            _write_atomically(path, kept.read_bytes())
        else:
            path.unlink()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return _reason(exc)
    return None

