"""The write-ahead journal of every change cwa makes to an archive.

``.cwa/journal/<time>-<command>.jsonl`` inside the archive. Before the first step:

- the content of every file the plan writes (new files, stamped documents) is stored in
  ``.cwa/journal/blobs/<sha256>`` and flushed to disk, so that a resume can replay any
  step after a crash;
- the header line holds the whole plan — for each rename the identity (device, inode) of
  the entry it moves — and is flushed to disk.

Then one line per step as it finishes (``done``, ``skipped``, ``reverted``), ``end`` when
the plan has run, and the same for an undo (``undone``, ``undo_end``). Step lines are
handed to the system at once but only the rare ones (skips, the end) wait for the disk:
after a crash, a step the journal does not record is looked for on disk — where the
entry it moved is, whether a file holds the bytes cwa wrote — so recovery never relies on
the last lines having reached the disk. The original bytes of a replaced file go to the
blobs before it is replaced, so undo restores it exactly.

A journal that cannot be read (a kill between creating it and writing its header, a
hand edit) never locks the user out: it is set aside as ``*.damaged`` with a message.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, BinaryIO

from cwa import gcpause
from cwa.errors import CwaError
from cwa.lock import own_dir, unwritable
from cwa.plan import Mkdir, Operation, Rename, Replace, WriteFile, unsafe
from cwa.scan import CWA_DIR

VERSION = 2
READABLE = (1, 2)  # version 1 journals keep no content: their writes can be undone only
#: Why undo may leave a step that a later undo can still reverse: a file open in Word on
#: Windows, a share that was away. Other reasons (edited since, not empty) are final.
RETRY = frozenset({"permission", "oserror"})
TAIL = 4096  # bytes read from a journal's end to learn whether it ended


def folder(archive: Path) -> Path:
    return archive / CWA_DIR / "journal"


def digest(content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read in chunks (a stamped document may be large)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def blobs(archive: Path) -> Path:
    """Where content is kept by SHA-256: what cwa writes, and what it replaced."""
    return folder(archive) / "blobs"


def blob(archive: Path, sha256: str) -> bytes | None:
    try:
        data = (blobs(archive) / sha256).read_bytes()
    except OSError:
        return None
    return data if digest(data) == sha256 else None


def keep(archive: Path, data: bytes) -> str:
    """Store ``data`` in the blobs (flushed to disk); returns its SHA-256."""
    sha = digest(data)
    where = own_dir(archive, "journal", "blobs")
    path = where / sha
    if blob(archive, sha) is not None:
        return sha
    temporary = where / f".{sha}.cwa-{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        temporary.replace(path)  # a blob of the same name holds the same bytes
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise unwritable(archive, exc) from None
    return sha


def content(op: WriteFile | Replace) -> bytes:
    if isinstance(op, Replace):
        return op.data
    return op.text.encode("utf-8") if isinstance(op.text, str) else op.text


def _identity(path: str) -> tuple[list[int] | None, bool]:
    """(device, inode) of an entry where the system gives a real one, and is it a folder."""
    try:
        st = os.lstat(path)
    except OSError:
        return None, False
    is_dir = (st.st_mode & 0o170000) == 0o040000
    return ([st.st_dev, st.st_ino] if st.st_ino else None), is_dir


def encode(op: Operation, archive: Path | None = None,
           moved: dict[str, tuple[list[int] | None, bool]] | None = None) -> dict[str, Any]:
    """An operation as the header records it. With ``archive``, a rename records the
    identity of what it moves (``moved`` carries it along a chain of temporary names)."""
    if isinstance(op, Rename):
        record: dict[str, Any] = {"op": "rename", "rel": op.rel, "to": op.to,
                                  "group": op.group, "phase": op.phase}
        if archive is not None and moved is not None:
            ident = moved.pop(op.rel, None)
            if ident is None:
                ident = _identity(str(archive) + os.sep + op.rel.replace("/", os.sep))
            moved[op.to] = ident
            record["id"], record["dir"] = ident
        return record
    if isinstance(op, Mkdir):
        return {"op": "mkdir", "rel": op.rel}
    if isinstance(op, Replace):
        return {"op": "replace", "rel": op.rel, "before": op.before,
                "sha256": digest(op.data)}
    return {"op": "write", "rel": op.rel, "sha256": digest(content(op))}


@dataclass(frozen=True)
class Step:
    """An operation as read back from a journal, with what it needs for recovery."""

    op: Operation
    sha256: str | None = None  # write/replace: the content cwa writes
    ident: tuple[int, int] | None = None  # rename: what it moves
    is_dir: bool = False


def decode(record: dict[str, Any]) -> Step:
    kind = record["op"]
    if kind == "rename":
        ident = record.get("id")
        return Step(Rename(_rel(record["rel"]), _rel(record["to"]),
                           int(record.get("group", 0)), int(record.get("phase", 0))),
                    ident=(int(ident[0]), int(ident[1])) if ident else None,
                    is_dir=bool(record.get("dir")))
    if kind == "mkdir":
        return Step(Mkdir(_rel(record["rel"])))
    sha = _text(record["sha256"])
    if kind == "replace":  # the new content is in the blobs (version 2), by its digest
        return Step(Replace(_rel(record["rel"]), b"", _text(record["before"])), sha)
    if kind == "write":
        return Step(WriteFile(_rel(record["rel"]), b""), sha)
    raise ValueError(kind)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _rel(value: Any) -> str:
    """A path a step names: relative, inside the archive. A journal naming anything else
    was not written by cwa (a hand edit): it is damaged, read by nothing."""
    rel = _text(value)
    if unsafe(rel):
        raise ValueError(f"path {rel!r}")
    return rel


@dataclass
class Journal:
    path: Path
    command: str
    steps: list[Step]
    version: int = VERSION
    created: str = ""
    done: list[int] = field(default_factory=list)  # in the order they ran
    done_set: set[int] = field(default_factory=set)
    skipped: dict[int, str] = field(default_factory=dict)
    ended: bool = False
    undone: set[int] = field(default_factory=set)
    retry: set[int] = field(default_factory=set)  # undo could not reverse them yet
    undo_ended: bool = False
    stamp: tuple[int, int] = (0, 0)  # size and modification time when it was read

    @property
    def operations(self) -> list[Operation]:
        return [s.op for s in self.steps]

    def recorded(self, index: int) -> bool:
        return index in self.done_set or index in self.skipped


class Damaged(Exception):
    """A journal that cannot be read."""


def _header(path: Path) -> None:
    """Read only the header line: is this a journal at all (a kill between creating it and
    writing its header leaves it empty or cut)? The header is written whole, in one
    write ending with its line break, so a line that starts as cwa starts it and ends
    with the break was written whole: it is not parsed (10,000 steps take 0.1 s to
    parse). Damage inside it is found, and said, where the journal is read (``load``)."""
    try:
        with open(path, "rb") as fh:
            line = fh.readline()
    except OSError as exc:
        raise Damaged(str(exc)) from None
    if line.startswith(_HEADER_START) and line.endswith(b"}\n"):
        return
    try:
        header = json.loads(line)
    except ValueError as exc:
        raise Damaged(str(exc)) from None
    if not isinstance(header, dict) or header.get("version") not in READABLE \
            or not isinstance(header.get("operations"), list):
        raise Damaged("header")


#: How ``Writer.create`` starts every header it writes.
_HEADER_START = b'{"version": %d, "command": ' % VERSION


def reload(journal: Journal) -> Journal:
    """The journal as it is now (under the lock): read again only if it changed since.
    A damaged journal is a message, not a traceback."""
    try:
        st = journal.path.stat()
        if (st.st_size, st.st_mtime_ns) == journal.stamp:
            return journal
        return load(journal.path)
    except (Damaged, OSError) as exc:
        raise CwaError("error.journal_unreadable", path=str(journal.path),
                       detail=str(exc)) from None


@gcpause.paused()  # a plan of 10,000 steps read back: that many objects, no cycles
def load(path: Path) -> Journal:
    """Read a journal; ``Damaged`` when its header is unreadable or a record is nonsense.
    A last line cut short by a crash is not damage: what it said did not happen."""
    try:
        with open(path, "rb") as fh:
            stamp = os.fstat(fh.fileno())
            lines = fh.read().split(b"\n")
    except OSError as exc:
        raise Damaged(str(exc)) from None
    try:
        header = json.loads(lines[0])
        if not isinstance(header, dict) or header.get("version") not in READABLE:
            raise ValueError("version")
        steps = [decode(r) for r in header["operations"]]
        journal = Journal(path, _text(header["command"]), steps, header["version"],
                          str(header.get("created", "")),
                          stamp=(stamp.st_size, stamp.st_mtime_ns))
    except (IndexError, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise Damaged(str(exc)) from None
    count = len(steps)
    last = len(lines) - 1
    for number, line in enumerate(lines[1:], start=1):
        if not line.strip():
            continue
        if line.startswith(b'{"done": ') and line.endswith(b"}") and line[9:-1].isdigit():
            index = int(line[9:-1])  # the commonest records, read without JSON
            if index < count:
                if index not in journal.done_set:
                    journal.done.append(index)
                    journal.done_set.add(index)
                continue
        if line.startswith(b'{"undone": ') and line.endswith(b"}") and line[11:-1].isdigit():
            index = int(line[11:-1])
            if index < count:
                journal.undone.add(index)
                journal.retry.discard(index)
                continue
        try:
            record = json.loads(line)
            _apply_record(journal, record, count)
        except (ValueError, TypeError, KeyError) as exc:
            if number == last or (number == last - 1 and not lines[last].strip()):
                break  # the last line was cut short by a crash
            raise Damaged(f"line {number + 1}: {exc}") from None
    return journal


def _index(value: Any, count: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < count:
        raise ValueError(f"step {value!r}")
    return value


def _apply_record(journal: Journal, record: Any, count: int) -> None:
    if not isinstance(record, dict):
        raise TypeError("record")
    if "done" in record:
        index = _index(record["done"], count)
        if index not in journal.done_set:
            journal.done.append(index)
            journal.done_set.add(index)
    elif "skipped" in record:
        journal.skipped[_index(record["skipped"], count)] = str(record.get("reason", ""))
    elif "reverted" in record:
        index = _index(record["reverted"], count)
        if index in journal.done_set:
            journal.done.remove(index)
            journal.done_set.discard(index)
        journal.skipped[index] = "reverted"
    elif "undone" in record:
        index = _index(record["undone"], count)
        if record.get("kept") in RETRY:  # a file in use, a system error: undo tries again
            journal.retry.add(index)
        else:  # reversed, or kept for good (edited since, a folder no longer empty)
            journal.undone.add(index)
            journal.retry.discard(index)
    elif record.get("end"):
        journal.ended = True
    elif record.get("undo_end"):
        journal.undo_ended = True


def _tail_says(path: Path, *words: bytes) -> bool:
    """Does the end of the journal hold one of these records (without reading it all)?"""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - TAIL))
            tail = fh.read()
    except OSError:
        return False
    return any(word in tail for word in words)


@dataclass
class Found:
    """The journals of an archive, newest first, read lazily."""

    archive: Path
    paths: list[Path]
    damaged: list[Path] = field(default_factory=list)

    def __iter__(self) -> Iterator[Journal]:
        for path in self.paths:
            try:
                yield load(path)
            except Damaged:
                self.damaged.append(path)


def found(archive: Path) -> Found:
    where = folder(archive)
    if where.is_symlink() or (where.parent.is_symlink()) or not where.is_dir():
        return Found(archive, [])
    return Found(archive, sorted(where.glob("*.jsonl"), reverse=True))


def unfinished(archive: Path) -> Journal | None:
    """The plan that stopped half way (a crash, a kill) and was neither resumed nor undone.

    Only the newest readable journal can be one: no command starts on top of an
    unfinished plan. Its end is read first, so a long history costs nothing."""
    for path in found(archive).paths:
        if _tail_says(path, b'"end": true', b'"undo_end": true'):
            return None
        try:
            journal = load(path)
        except Damaged:
            continue
        return None if journal.ended or journal.undo_ended else journal
    return None


def set_aside_damaged(archive: Path) -> list[tuple[Path, Path]]:
    """Rename the newest journals whose header cannot be read (a kill between creating
    one and writing its header leaves an empty file) so that they no longer stand in the
    way; returns (old, new) names. Older damaged journals, and journals damaged below
    their header, are skipped (with a message) where they are read."""
    moved = []
    for path in found(archive).paths:
        try:
            _header(path)
        except Damaged:
            target = path.with_name(path.name + ".damaged")
            number = 1
            while target.exists():
                number += 1
                target = path.with_name(f"{path.name}.{number}.damaged")
            path.rename(target)
            moved.append((path, target))
            continue
        break
    return moved


def last_to_undo(journals: Found) -> Journal | None:
    """The newest plan with something to undo (unreadable journals are skipped and kept
    in ``journals.damaged``)."""
    for journal in journals:
        if journal.undo_ended and not journal.retry:
            continue
        if journal.done or not journal.ended:
            return journal
    return None


def _dumps(record: dict[str, Any]) -> bytes:
    """One JSON line, UTF-8. Names that are not valid Unicode (bytes from a Chinese
    Windows zip, kept by Python as surrogate escapes) are written as ``\\udcXX`` escapes,
    which read back to the very same name."""
    line = json.dumps(record, ensure_ascii=False)
    try:
        return line.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return json.dumps(record).encode("ascii") + b"\n"


def _header_line(archive: Path, command: str, operations: list[Operation]) -> bytes:
    """The header line: the plan, each rename with the identity of what it moves.

    The JSON of ``encode``, byte for byte, but a rename's record is written from a
    template with its two paths escaped by the JSON encoder's own routine: 10,000 renames
    are 10,000 small dicts otherwise, built and then walked key by key."""
    head = {"version": VERSION, "command": command, "pid": os.getpid(),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    moved: dict[str, tuple[list[int] | None, bool]] = {}
    quote = encode_basestring
    records = []
    prefix = str(archive) + os.sep
    for op in operations:
        if type(op) is not Rename:
            records.append(json.dumps(encode(op, archive, moved), ensure_ascii=False))
            continue
        ident = moved.pop(op.rel, None)
        if ident is None:
            ident = _identity(prefix + op.rel.replace("/", os.sep))
        moved[op.to] = ident
        ino, is_dir = ident
        records.append(f'{{"op": "rename", "rel": {quote(op.rel)}, "to": {quote(op.to)}, '
                       f'"group": {op.group:d}, "phase": {op.phase:d}, "id": '
                       f'{"null" if ino is None else f"[{ino[0]:d}, {ino[1]:d}]"}, '
                       f'"dir": {"true" if is_dir else "false"}}}')
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "operations": [' \
        + ", ".join(records) + "]}"
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a name that is not UTF-8: as _dumps writes it
        return json.dumps(json.loads(text)).encode("ascii") + b"\n"


#: How far back from its end a journal is read for its last whole line (records are short).
_TAIL = 65536


class Writer:
    """Appends records to a journal."""

    def __init__(self, path: Path, handle: BinaryIO) -> None:
        self.path = path
        self._handle = handle
        self._fd = handle.fileno()

    @classmethod
    def create(cls, archive: Path, command: str, operations: list[Operation]) -> Writer:
        for op in operations:  # the content first: a resume can replay every step
            if isinstance(op, (WriteFile, Replace)):
                keep(archive, content(op))
        where = own_dir(archive, "journal")
        data = _header_line(archive, command, operations)
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{time.time_ns() % 10**9:09d}"
        path = where / f"{stamp}-{command}.jsonl"
        try:
            handle = open(path, "xb")  # noqa: SIM115 (closed by close)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        except OSError as exc:
            raise unwritable(archive, exc) from None
        _sync_dir(where)
        return cls(path, handle)

    @classmethod
    def append(cls, journal: Journal) -> Writer:
        """Go on writing ``journal``: after its last whole line. A record cut short (a
        kill, a disk that was full) said nothing and is cut off, or what follows would
        join it into one unreadable line."""
        handle = open(journal.path, "r+b")  # noqa: SIM115 (closed by close)
        try:
            end = handle.seek(0, os.SEEK_END)
            if end:
                handle.seek(max(0, end - _TAIL))
                tail = handle.read()
                cut = tail.rfind(b"\n")
                if not tail.endswith(b"\n") and cut >= 0:  # (no whole line at all: a
                    handle.truncate(end - len(tail) + cut + 1)  # damaged header, set
                    handle.seek(0, os.SEEK_END)  # aside before a journal is appended to)
        except OSError:
            handle.close()
            raise
        return cls(journal.path, handle)

    def done(self, index: int) -> None:
        """The commonest record, written without building JSON for it, straight to the
        system (every other record is flushed as it is written: nothing is buffered)."""
        self._put(b'{"done": %d}\n' % index)

    def undone(self, index: int) -> None:
        self._put(b'{"undone": %d}\n' % index)

    def _put(self, data: bytes) -> None:
        """All of ``data``, or an OSError: a write the system takes only in part (the
        disk filling up) is finished, or fails, never left as half a record."""
        written = os.write(self._fd, data)
        while written < len(data):
            written += os.write(self._fd, data[written:])

    def write(self, record: dict[str, Any], durable: bool = False) -> None:
        """Hand the record to the system at once (a killed process loses nothing); wait
        for the disk only when ``durable`` (a power cut is recovered from the disk)."""
        self._handle.write(_dumps(record))
        self._handle.flush()
        if durable:
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
        finally:
            self._handle.close()


def _sync_dir(path: Path) -> None:
    """Make a new entry of ``path`` durable (POSIX; Windows has no such call)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
