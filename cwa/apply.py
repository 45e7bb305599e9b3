"""Carry out a plan, resume one that stopped, or undo one — never overwriting anything.

Every step is checked on disk as it runs: a rename never replaces its target (Linux's
``renameat2(RENAME_NOREPLACE)``, a hard link for new files; elsewhere the name is checked
first), a new folder or file needs its name free, a replaced file must still hold the
bytes the plan was made from and must not be a link. A step that cannot run is skipped
and journaled, and the rest goes on; in a group of renames through temporary names, a
failure puts the group back. One writer at a time (``cwa.lock``).

After a crash, the steps the journal does not record are looked for on disk (``_Found``):
where the entry a rename moves is now (by its identity), whether a file holds the bytes
cwa wrote. ``resume`` then runs what did not run, with content from the journal's blobs;
``undo`` reverses what ran, newest first.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cwa import gcpause, lock
from cwa import journal as journals
from cwa.errors import CwaError
from cwa.journal import Journal, Step, Writer
from cwa.plan import Mkdir, Operation, Rename, Replace, WriteFile, unsafe

#: Testing aids for crash recovery: stop the process right after the filesystem change
#: of step N (counted from 0 in this run) before the journal records it; or, for a step
#: that writes a file, after its temporary file is written and before it takes its place.
CRASH_AFTER = "CWA_CRASH_AFTER_STEP"
CRASH_DURING = "CWA_CRASH_DURING_STEP"
TEMP_MARK = ".cwa-"  # temporary files: ".<name>.cwa-<pid>.tmp"


@dataclass
class Applied:
    done: list[Operation] = field(default_factory=list)
    skipped: list[tuple[Operation, str]] = field(default_factory=list)  # reason key
    #: entries left under a temporary name: (where each is, the name it had)
    stranded: list[tuple[str, str]] = field(default_factory=list)
    journal: Path | None = None
    set_aside: list[tuple[Path, Path]] = field(default_factory=list)  # damaged journals


class _Where:
    """Relative paths of a plan as paths in the archive, refusing any that would leave it.

    The folder a path lies in is resolved once (following links), however many entries it
    holds: a plan of 10,000 renames in 50 folders resolves 50 paths."""

    def __init__(self, archive: Path) -> None:
        self.root = archive
        self.real = archive.resolve()
        self.checked: set[str] = set()
        self.prefix = str(archive) + os.sep

    def fast(self, rel: str) -> str:
        """The path of ``rel`` that ``_vet`` has checked already, as a string: the run's
        steps build 20,000 paths for 10,000 renames."""
        return self.prefix + (rel if os.sep == "/" else rel.replace("/", os.sep))

    def __call__(self, rel: str) -> Path:
        self.check(rel)
        return Path(self.fast(rel))

    def check(self, rel: str) -> None:
        """Refuse a path that is absolute, climbs out, or lies in a folder that resolves
        (through links) outside the archive."""
        if unsafe(rel):
            raise CwaError("error.path_outside", path=rel)
        parent = rel.rpartition("/")[0]
        if parent not in self.checked:
            real = self.root.joinpath(*parent.split("/")).resolve() if parent else self.real
            if not real.is_relative_to(self.real):
                raise CwaError("error.path_outside", path=rel)
            self.checked.add(parent)


def inside(archive: Path, rel: str) -> Path:
    """The absolute path of ``rel``, refusing anything that would leave the archive."""
    return _Where(archive)(rel)


def _vet(where: _Where, operations: Iterable[Operation]) -> None:
    """Refuse the whole plan before the first step if any path is unsafe (each folder
    resolved once: 20,000 paths in 50 folders take about 12 ms)."""
    for op in operations:
        where.check(op.rel)
        if isinstance(op, Rename):
            where.check(op.to)


def apply(archive: Path, operations: list[Operation], command: str) -> Applied:
    where = _Where(archive)
    _vet(where, operations)
    if not operations:
        return Applied()
    try:
        archive.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise lock.unwritable(archive, exc) from None
    with lock.hold(archive, command):
        set_aside = journals.set_aside_damaged(archive)
        pending = journals.unfinished(archive)
        if pending is not None:
            raise unfinished_error(archive, pending)
        writer = Writer.create(archive, command, operations)
        steps = [Step(op) for op in operations]
        try:
            result = _Runner(archive, where, writer).run(steps, range(len(steps)))
        finally:
            writer.close()
    result.journal = writer.path
    result.set_aside = set_aside
    return result


def ready(archive: Path) -> None:
    """Refuse early, before any planning, when the archive is being changed by another cwa
    or holds an unfinished change (``apply`` checks again, under the lock)."""
    if not (archive / lock.CWA_DIR).is_dir():
        return
    lock.ensure_free(archive)
    pending = journals.unfinished(archive)
    if pending is not None:
        raise unfinished_error(archive, pending)


def unfinished_error(archive: Path, pending: Journal) -> CwaError:
    return CwaError("error.unfinished", journal=str(pending.path), path=str(archive),
                    command=pending.command)


@gcpause.paused()  # a plan of 10,000 steps: that many objects, none in cycles
def resume(archive: Path, journal: Journal) -> Applied:
    """Finish a plan that stopped half way: the steps that did not run, with the content
    the journal keeps. Nothing else: a resume never plans anything new."""
    where = _Where(archive)
    _vet(where, journal.operations)
    with lock.hold(archive, journal.command):
        journal = journals.reload(journal)  # as it is now, under the lock
        found = _Found(archive, where, journal)
        writer = Writer.append(journal)
        try:
            for index in found.ran_unrecorded:
                writer.write({"done": index})
            found.clean_temporaries()
            ran = sorted(set(journal.done) | set(found.ran_unrecorded))
            pending = [i for i in range(len(journal.steps))
                       if not journal.recorded(i) and i not in found.ran_unrecorded]
            runner = _Runner(archive, where, writer, journal)
            for index in ran:  # a group that fails now is put back whole, earlier steps too
                op = journal.steps[index].op
                if isinstance(op, Rename) and op.group:
                    runner.done_in_group.setdefault(op.group, []).append(index)
            runner.failed = {op.group for i, op in enumerate(journal.operations)
                             if isinstance(op, Rename) and journal.skipped.get(i) == "reverted"}
            result = runner.run(journal.steps, pending)
        finally:
            writer.close()
    result.journal = journal.path
    return result


class _Runner:
    def __init__(self, archive: Path, where: _Where, writer: Writer,
                 journal: Journal | None = None) -> None:
        self.archive = archive
        self.where = where
        self.writer = writer
        self.journal = journal  # when resuming: content comes from its blobs
        self.failed: set[int] = set()
        self.aside: set[int] = set()  # failed groups whose entries stay moved aside
        self.done_in_group: dict[int, list[int]] = {}
        self._originals: dict[str, str] | None = None  # temporary name → name it had
        self.crash_during = int(os.environ.get(CRASH_DURING, "-1"))

    def run(self, steps: list[Step], indices: Iterable[int]) -> Applied:
        result = Applied()
        crash_after = int(os.environ.get(CRASH_AFTER, "-1"))
        write, done, failed = self.writer.write, self.writer.done, self.failed
        fast, renameat2 = self.where.fast, _renameat2()
        # Linux: the archive's path as bytes once; each step adds its relative path's
        prefix = os.fsencode(self.where.prefix) if renameat2 is not None else b""
        enc, errors = _FS_ENCODING, _FS_ERRORS
        for count, index in enumerate(indices):
            step = steps[index]
            op = step.op
            group = op.group if isinstance(op, Rename) else 0
            if group in failed:
                write({"skipped": index, "reason": "group"}, durable=True)
                result.skipped.append((op, "group"))
                if group in self.aside and isinstance(op, Rename) and op.phase == 2:
                    result.stranded.append((op.rel, self.original(steps, op.rel)))
                continue  # (a group that failed in phase 1 was put back whole)
            if type(op) is Rename:  # the commonest step, inline
                if renameat2 is not None and renameat2(
                        AT_FDCWD, prefix + op.rel.encode(enc, errors), AT_FDCWD,
                        prefix + op.to.encode(enc, errors), RENAME_NOREPLACE) == 0:
                    reason = None
                else:  # again, the careful way: it says why, or renames where it can
                    reason = _rename(fast(op.rel), fast(op.to))
            else:
                reason = self.step(step, count)
            if count == crash_after:
                os._exit(99)
            if reason is None:
                done(index)
                result.done.append(op)
                if group:
                    self.done_in_group.setdefault(group, []).append(index)
                continue
            write({"skipped": index, "reason": reason}, durable=True)
            result.skipped.append((op, reason))
            if isinstance(op, Rename) and op.group:
                failed.add(op.group)
                if op.phase == 1:
                    self._put_back(steps, self.done_in_group.get(op.group, []), result)
                else:  # its entries stay under their temporary names: said, undo restores
                    self.aside.add(op.group)
                    result.stranded.append((op.rel, self.original(steps, op.rel)))
        write({"end": True}, durable=True)
        return result

    def original(self, steps: list[Step], temporary: str) -> str:
        """The name an entry had before phase 1 moved it to ``temporary``."""
        if self._originals is None:  # only when a group fails: looked up once, then kept
            self._originals = {s.op.to: s.op.rel for s in steps
                               if isinstance(s.op, Rename) and s.op.phase == 1}
        return self._originals.get(temporary, temporary)

    def _put_back(self, steps: list[Step], done: list[int], result: Applied) -> None:
        """A phase-1 rename failed: move the group's sources back from their temporary
        names."""
        for index in reversed(done):
            op = steps[index].op
            assert isinstance(op, Rename)
            if _rename(self.where.fast(op.to), self.where.fast(op.rel)) is None:
                self.writer.write({"reverted": index}, durable=True)
                if op in result.done:  # not when it ran before a crash and this is a resume
                    result.done.remove(op)
                result.skipped.append((op, "reverted"))
            else:
                result.stranded.append((op.to, op.rel))

    def step(self, step: Step, count: int) -> str | None:
        """Run one step; None when it ran, else the reason it did not."""
        op = step.op
        if isinstance(op, Rename):
            return _rename(self.where.fast(op.rel), self.where.fast(op.to))
        path = Path(self.where.fast(op.rel))
        if isinstance(op, Mkdir):
            try:
                path.mkdir()
            except OSError as exc:
                return _reason(exc)
            return None
        data = self._content(step)
        if data is None:
            return _missing_content(self.archive, step.sha256)
        crash = functools.partial(os._exit, 99) if count == self.crash_during else None
        if isinstance(op, Replace):
            return _replace(self.archive, path, op.before, data, crash)
        return _create(path, data, crash)

    def _content(self, step: Step) -> bytes | None:
        op = step.op
        assert isinstance(op, (WriteFile, Replace))
        if self.journal is None:
            return journals.content(op)
        if step.sha256 is None:
            return None
        return journals.blob(self.archive, step.sha256)


def _missing_content(archive: Path, sha256: str | None) -> str:
    """Why the journal cannot give a step's content: never kept (a version-1 journal), or
    kept and changed since (its bytes no longer have their digest)."""
    if sha256 is not None and (journals.blobs(archive) / sha256).exists():
        return "blob_changed"
    return "no_content"


# -- single steps -------------------------------------------------------------------------

def _create(path: Path, data: bytes, crash: Callable[[], object] | None = None) -> str | None:
    """A new file, whole or not at all, never over an existing name."""
    temporary = _temporary(path)
    try:
        _write_temporary(temporary, data, crash)
        try:
            os.link(temporary, path)  # atomic, and fails when the name is taken
        except FileExistsError:
            return "exists"
        except OSError:  # no hard links on this file system
            rename_noreplace(temporary, path)
    except OSError as exc:
        return _reason(exc)
    finally:
        temporary.unlink(missing_ok=True)
    return None


def _replace(archive: Path, path: Path, before: str, data: bytes,
             crash: Callable[[], object] | None = None) -> str | None:
    """Keep the original bytes in the journal's blobs, then swap the new content in."""
    try:
        if path.is_symlink():
            return "link"  # never write through a link, never turn one into a file
        original = path.read_bytes()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return _reason(exc)
    if journals.digest(original) != before:
        return "changed_since"  # edited since the plan was made: not ours to overwrite
    try:
        journals.keep(archive, original)
        _write_atomically(path, data, crash)
    except CwaError:
        return "permission"
    except OSError as exc:
        return _reason(exc)
    return None


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}.tmp")


def _write_temporary(temporary: Path, data: bytes, crash: Callable[[], object] | None) -> None:
    """The content in a new temporary file beside its target, on disk before it moves."""
    with open(temporary, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    if crash is not None:
        crash()  # the testing aid: killed between the content and its rename


def _write_atomically(path: Path, data: bytes,
                      crash: Callable[[], object] | None = None) -> None:
    """Write beside the file, flush it to disk, then rename over: never half a file."""
    temporary = _temporary(path)
    try:
        _write_temporary(temporary, data, crash)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """Linux's renameat2, which can refuse to replace an existing name."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    # int renameat2(int, const char *, int, const char *, unsigned int): called with
    # Python ints and bytes only, which ctypes passes as exactly these without argtypes
    # (whose per-call conversion costs more than the call: 10,000 renames in a plan)
    function.restype = ctypes.c_int
    return function


AT_FDCWD, RENAME_NOREPLACE = -100, 1
_FS_ENCODING, _FS_ERRORS = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()


def rename_noreplace(source: str | Path, target: str | Path) -> None:
    """Rename, refusing (FileExistsError) when the target exists: ``os.rename`` would
    silently replace it on Linux and macOS."""
    if os.name == "nt":
        os.rename(source, target)  # noqa: PTH104 - str paths; never replaces on Windows
        return
    function = _renameat2()
    if function is not None:
        if function(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(target),
                    RENAME_NOREPLACE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(source), None, str(target))
    if os.path.lexists(target):  # a file system without renameat2's flag
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    os.rename(source, target)  # noqa: PTH104 - str paths


def _rename(source: str | Path, target: str | Path) -> str | None:
    try:
        rename_noreplace(source, target)
    except FileExistsError:
        if _same(source, target):  # a case-only rename on Windows or macOS
            try:
                os.rename(source, target)  # noqa: PTH104 - str paths
            except OSError as exc:
                return _reason(exc)
            return None
        return "exists"
    except OSError as exc:
        return _reason(exc)
    return None


def _same(a: str | Path, b: str | Path) -> bool:
    """The same entry under two spellings (a case-only rename on Windows or macOS)."""
    try:
        return os.path.samestat(os.lstat(a), os.lstat(b))
    except OSError:
        return False


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileExistsError):
        return "exists"
    if isinstance(exc, FileNotFoundError):
        return "missing"
    if isinstance(exc, PermissionError) or exc.errno in lock.READ_ONLY:
        return "permission"
    if exc.errno == errno.ENAMETOOLONG:
        return "name_too_long"
    return "oserror"


# -- what happened before a crash ---------------------------------------------------------

class _Moves:
    """Renames still in effect after some step: where a path of that time is now."""

    def __init__(self) -> None:
        self.by_old: dict[str, list[tuple[int, str]]] = {}

    def add(self, index: int, old: str, new: str) -> None:
        entries = self.by_old.setdefault(old, [])
        entries.append((index, new))
        entries.sort()

    def now(self, path: str, after: int) -> str:
        """Where ``path`` (as it was right after step ``after``) is after the moves."""
        if not self.by_old:
            return path
        while True:
            best: tuple[int, str, str] | None = None
            prefix = path
            while prefix:
                for index, new in self.by_old.get(prefix, ()):
                    if index > after:
                        if best is None or index < best[0]:
                            best = (index, prefix, new)
                        break
                prefix = prefix.rpartition("/")[0]
            if best is None:
                return path
            after, old, new = best
            path = new + path[len(old):]


class _Found:
    """Which unrecorded steps of a journal ran before the crash, judged on disk.

    Where the journal holds the identities (device, inode) of what its renames move and
    they are found in the archive, every unrecorded step is judged by them: that holds
    even when a power cut lost the last records. Without identities (an old journal, a
    file system without inodes) or in a copy of the archive (other inodes), only the step
    right after the last record can have run unrecorded, and it is judged by the names."""

    def __init__(self, archive: Path, where: _Where, journal: Journal) -> None:
        self.archive = archive
        self.where = where
        self.journal = journal
        self.moves = _Moves()
        self.ran_unrecorded: list[int] = []
        if journal.ended:
            return
        unrecorded = [i for i in range(len(journal.steps)) if not journal.recorded(i)]
        if not unrecorded:
            return
        trusted = self._identities_hold()
        ran: list[int] = []
        for index in range(len(journal.steps) - 1, -1, -1):  # newest first: see _Moves
            step = journal.steps[index]
            if index in journal.done_set:
                did = True
            elif index in journal.skipped:
                did = False
            elif trusted or index == unrecorded[0]:
                did = self._ran(index, step, trusted)
                if did:
                    ran.append(index)
            else:
                did = False
            if did and isinstance(step.op, Rename):
                self.moves.add(index, step.op.rel, step.op.to)
        self.ran_unrecorded = sorted(ran)

    def _identities_hold(self) -> bool:
        """Is any rename's entry found under one of its names with its identity? Then
        this is the archive the journal was written in, not a copy."""
        for step in self.journal.steps:
            op = step.op
            if isinstance(op, Rename) and step.ident is not None:
                for rel in (op.rel, op.to):
                    try:
                        if _identity(self.where(rel)) == step.ident:
                            return True
                    except CwaError:
                        continue
        return False

    def _path(self, rel: str, index: int) -> Path:
        return self.where(self.moves.now(rel, index))

    def _ran(self, index: int, step: Step, trusted: bool) -> bool:
        op = step.op
        if isinstance(op, Rename):
            source, target = self._path(op.rel, index), self._path(op.to, index)
            if trusted and step.ident is not None:
                return _identity(target) == step.ident
            return not os.path.lexists(source) and os.path.lexists(target)
        path = self._path(op.rel, index)
        if isinstance(op, Mkdir):
            # a folder the plan renames away from this name before the Mkdir (``cwa
            # migrate`` steps one aside for a new indicator) is not the Mkdir's
            return path.is_dir() and not path.is_symlink() and \
                _identity(path) not in self._moved_identities
        return _holds(path, step.sha256)

    @functools.cached_property
    def _moved_identities(self) -> frozenset[tuple[int, int]]:
        """The identities of the entries the plan's renames move."""
        return frozenset(s.ident for s in self.journal.steps
                         if isinstance(s.op, Rename) and s.ident is not None)

    def clean_temporaries(self) -> None:
        """Temporary files a kill left beside the files the plan writes."""
        folders = {self._path(s.op.rel, i).parent for i, s in enumerate(self.journal.steps)
                   if isinstance(s.op, (WriteFile, Replace))}
        folders.add(journals.blobs(self.archive))
        for folder in folders:
            remove_temporaries(folder)


def remove_temporaries(folder: Path) -> None:
    """``.<name>.cwa-<pid>.tmp`` files of processes that are gone."""
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return
    for name in names:
        if not (name.startswith(".") and name.endswith(".tmp") and TEMP_MARK in name):
            continue
        pid = name[:-4].rpartition(TEMP_MARK)[2].rpartition(".")[2]
        if pid.isdigit() and int(pid) != os.getpid() and not lock._alive(int(pid)):
            with contextlib.suppress(OSError):
                (folder / name).unlink()


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _holds(path: Path, sha256: str | None) -> bool:
    """Is ``path`` a regular file holding exactly these bytes?"""
    if sha256 is None:
        return False
    try:
        if path.is_symlink() or not path.is_file():
            return False
        return journals.file_digest(path) == sha256
    except OSError:
        return False


# -- undo ---------------------------------------------------------------------------------

def ran(archive: Path, journal: Journal) -> list[int]:
    """The steps of ``journal`` that ran (recorded, or found on disk), oldest first, less
    those already undone. Reads only."""
    found = _Found(archive, _Where(archive), journal)
    return sorted((journal.done_set | set(found.ran_unrecorded)) - journal.undone)


@dataclass
class Undone:
    undone: list[Operation] = field(default_factory=list)
    kept: list[tuple[Operation, str]] = field(default_factory=list)  # could not be undone
    journal: Path | None = None


@gcpause.paused()  # a plan of 10,000 steps: that many objects, none in cycles
def undo(archive: Path, journal: Journal) -> Undone:
    """Reverse every step of ``journal`` that ran, newest first. A file cwa wrote that was
    edited since is kept; a step already reversed (an undo cut short) counts as undone."""
    where = _Where(archive)
    _vet(where, journal.operations)
    with lock.hold(archive, "undo"):
        journal = journals.reload(journal)
        found = _Found(archive, where, journal)
        ran = sorted(journal.done_set | set(found.ran_unrecorded), reverse=True)
        result = Undone(journal=journal.path)
        writer = Writer.append(journal)
        kept = _Moves()  # renames that stay in effect because they could not be undone
        try:
            found.clean_temporaries()
            for index in ran:
                if index in journal.undone:
                    continue
                step = journal.steps[index]
                reason = _reverse(archive, where, kept, index, step)
                if reason is None:
                    result.undone.append(step.op)
                    writer.undone(index)
                else:
                    result.kept.append((step.op, reason))
                    writer.write({"undone": index, "kept": reason}, durable=True)
                    if isinstance(step.op, Rename):
                        kept.add(index, step.op.rel, step.op.to)
            writer.write({"undo_end": True}, durable=True)
        finally:
            writer.close()
    return result


def _reverse(archive: Path, where: _Where, kept: _Moves, index: int, step: Step
             ) -> str | None:
    op = step.op
    if isinstance(op, Rename):
        now, before = where.fast(kept.now(op.to, index)), where.fast(kept.now(op.rel, index))
        if (step.ident is not None and _identity(now) != step.ident
                and _identity(before) == step.ident):
            return None  # already back where it was (an undo cut short)
        return _rename(now, before)  # the names decide when identities do not (a copy)
    path = Path(where.fast(kept.now(op.rel, index)))
    try:
        if isinstance(op, Mkdir):
            if not os.path.lexists(path):
                return None  # already gone
            if path.is_symlink() or not path.is_dir():
                return "changed"
            if any(path.iterdir()):
                return "not_empty"  # something was put in it since: keep it
            path.rmdir()
            return None
        if isinstance(op, Replace):
            if _holds(path, op.before):
                return None  # already the original
            if not _holds(path, step.sha256):
                return "changed"  # edited since cwa changed it: keep it
            original = journals.blob(archive, op.before)
            if original is None:
                return _missing_content(archive, op.before)
            _write_atomically(path, original)
            return None
        if not os.path.lexists(path):
            return None  # already gone
        if not _holds(path, step.sha256):
            return "changed"  # edited since cwa wrote it: keep it
        path.unlink()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return _reason(exc)
    return None
