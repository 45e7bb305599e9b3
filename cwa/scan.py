"""One fast walk of the archive into a tree of entries. Reads metadata only.

Symbolic links are recorded but never followed, so a link loop cannot trap the walk
and nothing outside the archive is read. Unreadable folders become scan problems.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

#: Folders cwa keeps for itself inside an archive; never evidence, never checked.
CWA_DIR = ".cwa"
#: Folders of tools (cwa's own, version control) skipped wherever they are.
SKIPPED_DIRS = frozenset({CWA_DIR, ".git", ".svn", ".hg"})
is_normalized = unicodedata.is_normalized
#: Extensions as written → in lower case: one string shared by every file that has it.
_EXTENSIONS: dict[str, str] = {}


class Entry:
    """One file or folder, as scanned. ``nfc_name`` and ``ext`` are computed once here so
    that no check has to normalise or split a name again."""

    __slots__ = ("children", "ext", "kind", "mtime_ns", "name", "nfc_name", "rel", "size")

    def __init__(self, name: str, rel: str, kind: str, size: int = 0, mtime_ns: int = 0
                 ) -> None:
        self.name = name  # as on disk
        self.rel = rel  # relative path with "/" separators, as on disk
        self.kind = kind  # "dir" | "file" | "link" | "other"
        self.size = size
        self.mtime_ns = mtime_ns
        nfc = self.nfc_name = (name if is_normalized("NFC", name)
                               else unicodedata.normalize("NFC", name))
        if kind == "dir":
            self.ext = ""
        else:  # extension(), inline: every file of the archive comes through here
            dot = nfc.rfind(".")
            if dot > 0 and (nfc[0] != "." or nfc[:dot].strip(".")):
                raw = nfc[dot:]
                ext = _EXTENSIONS.get(raw)
                self.ext = ext if ext is not None else _EXTENSIONS.setdefault(raw, raw.lower())
            else:
                self.ext = ""
        self.children: list[Entry] = []

    @property
    def is_dir(self) -> bool:
        return self.kind == "dir"

    @property
    def stem(self) -> str:
        """The NFC name without its extension."""
        return self.nfc_name[: len(self.nfc_name) - len(self.ext)] if self.ext else self.nfc_name

    def __repr__(self) -> str:
        return f"Entry({self.rel!r}, {self.kind})"


def extension(name: str) -> str:
    """The extension in lower case, as ``os.path.splitext`` finds it in a bare name:
    leading dots do not start one (``.DS_Store`` has none)."""
    dot = name.rfind(".")
    if dot <= 0 or not name[:dot].strip("."):
        return ""
    return name[dot:].lower()


@dataclass(frozen=True)
class ScanProblem:
    rel: str
    reason: str  # "permission" | "vanished" | "oserror"
    detail: str = ""


@dataclass
class Snapshot:
    root: Path
    tree: Entry
    problems: list[ScanProblem]
    files: int = 0
    dirs: int = 0


def scan(root: Path, deep: bool = True, metadata: bool = True) -> Snapshot:
    """The archive's tree; with ``deep=False`` its top level only (see ``scan_into``).
    With ``metadata=False`` names and kinds only (sizes and times 0): what the folder
    listing says, without a ``stat`` of each entry — all that ``cwa fix`` plans from."""
    top = Entry(name=root.name, rel="", kind="dir")
    snapshot = Snapshot(root=root, tree=top, problems=[])
    if metadata:
        scan_into(snapshot, root, top, deep)
    else:
        _names_into(snapshot, root, top, deep)
    return snapshot


def scan_into(snapshot: Snapshot, path: Path, folder: Entry, deep: bool = True) -> None:
    """Fill ``folder`` (at ``path``) with what is below it, counting into ``snapshot``.
    Each folder's entries come in name order."""
    problems = snapshot.problems
    files = dirs = 0
    new, is_reg, is_dir, is_link = Entry, stat.S_ISREG, stat.S_ISDIR, stat.S_ISLNK
    for items, prefix, children, stack in _listings(path, folder, problems):
        for item in items:
            name = item.name
            try:
                st = item.stat(follow_symlinks=False)
            except OSError as exc:
                problems.append(ScanProblem(prefix + name, "oserror", str(exc.strerror)))
                continue
            mode = st.st_mode
            if is_reg(mode):
                entry = new(name, prefix + name, "file", st.st_size, st.st_mtime_ns)
                files += 1
            elif is_dir(mode):
                if name in SKIPPED_DIRS:
                    continue
                entry = new(name, prefix + name, "dir", 0, st.st_mtime_ns)
                if deep:
                    stack.append((item.path, entry))
                dirs += 1
            elif is_link(mode):
                entry = new(name, prefix + name, "link", 0, st.st_mtime_ns)
            else:
                entry = new(name, prefix + name, "other", 0, st.st_mtime_ns)
            children.append(entry)
    snapshot.files += files
    snapshot.dirs += dirs


def _names_into(snapshot: Snapshot, path: Path, folder: Entry, deep: bool = True) -> None:
    """``scan_into`` from the listings alone: a folder listing gives each entry's kind
    (``d_type``; where a file system does not, Python asks ``lstat``), never its size."""
    problems = snapshot.problems
    files = dirs = 0
    new = Entry
    for items, prefix, children, stack in _listings(path, folder, problems):
        for item in items:
            name = item.name
            try:
                if item.is_file(follow_symlinks=False):
                    entry = new(name, prefix + name, "file")
                    files += 1
                elif item.is_dir(follow_symlinks=False):
                    if name in SKIPPED_DIRS:
                        continue
                    entry = new(name, prefix + name, "dir")
                    if deep:
                        stack.append((item.path, entry))
                    dirs += 1
                else:
                    entry = new(name, prefix + name, "link" if item.is_symlink() else "other")
            except OSError as exc:
                problems.append(ScanProblem(prefix + name, "oserror", str(exc.strerror)))
                continue
            children.append(entry)
    snapshot.files += files
    snapshot.dirs += dirs


def _listings(path: Path, folder: Entry, problems: list[ScanProblem]) -> Iterator[
        tuple[list[os.DirEntry[str]], str, list[Entry], list[tuple[str, Entry]]]]:
    """Each folder below ``folder`` (at ``path``) that can be listed: its entries in name
    order, the prefix of their relative paths, the list its children go into, and the
    stack a sub-folder to walk into is pushed onto."""
    stack: list[tuple[str, Entry]] = [(str(path), folder)]
    while stack:
        where, parent = stack.pop()
        items = _listing(where, parent.rel, problems)
        if items is not None:
            yield items, (f"{parent.rel}/" if parent.rel else ""), parent.children, stack


def _listing(where: str, rel: str, problems: list[ScanProblem]) -> list[os.DirEntry[str]] | None:
    """A folder's entries in name order; None (and a problem) when it cannot be listed."""
    try:
        with os.scandir(where) as it:
            return sorted(it, key=_NAME)
    except PermissionError as exc:
        problems.append(ScanProblem(rel, "permission", str(exc.strerror)))
    except FileNotFoundError:
        problems.append(ScanProblem(rel, "vanished"))
    except OSError as exc:
        problems.append(ScanProblem(rel, "oserror", str(exc.strerror)))
    return None


_NAME = attrgetter("name")
