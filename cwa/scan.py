"""One fast walk of the archive into a tree of entries. Reads metadata only.

Symbolic links are recorded but never followed, so a link loop cannot trap the walk
and nothing outside the archive is read. Unreadable folders become scan problems.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cwa.naming import nfc

#: Folders cwa keeps for itself inside an archive; never evidence, never checked.
CWA_DIR = ".cwa"
#: Folders of tools (cwa's own, version control) skipped wherever they are.
SKIPPED_DIRS = frozenset({CWA_DIR, ".git", ".svn", ".hg"})


@dataclass(slots=True)
class Entry:
    name: str  # as on disk
    rel: str  # relative path with "/" separators, as on disk
    kind: str  # "dir" | "file" | "link" | "other"
    size: int = 0
    mtime: float = 0.0
    children: list[Entry] = field(default_factory=list)

    @property
    def is_dir(self) -> bool:
        return self.kind == "dir"

    @property
    def nfc_name(self) -> str:
        return nfc(self.name)


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


def scan(root: Path) -> Snapshot:
    top = Entry(name=root.name, rel="", kind="dir")
    snapshot = Snapshot(root=root, tree=top, problems=[])
    stack: list[tuple[str, Entry]] = [(str(root), top)]
    while stack:
        path, parent = stack.pop()
        try:
            with os.scandir(path) as it:
                items = list(it)
        except PermissionError as exc:
            snapshot.problems.append(ScanProblem(parent.rel, "permission", str(exc.strerror)))
            continue
        except FileNotFoundError:
            snapshot.problems.append(ScanProblem(parent.rel, "vanished"))
            continue
        except OSError as exc:
            snapshot.problems.append(ScanProblem(parent.rel, "oserror", str(exc.strerror)))
            continue
        prefix = f"{parent.rel}/" if parent.rel else ""
        for item in items:
            name = item.name
            try:
                st = item.stat(follow_symlinks=False)
            except OSError as exc:
                snapshot.problems.append(ScanProblem(prefix + name, "oserror",
                                                     str(exc.strerror)))
                continue
            mode = st.st_mode
            if stat.S_ISDIR(mode):
                if name in SKIPPED_DIRS:
                    continue
                entry = Entry(name, prefix + name, "dir", 0, st.st_mtime)
                stack.append((item.path, entry))
                snapshot.dirs += 1
            elif stat.S_ISREG(mode):
                entry = Entry(name, prefix + name, "file", st.st_size, st.st_mtime)
                snapshot.files += 1
            elif stat.S_ISLNK(mode):
                entry = Entry(name, prefix + name, "link", 0, st.st_mtime)
            else:
                entry = Entry(name, prefix + name, "other", 0, st.st_mtime)
            parent.children.append(entry)
    _sort(top)
    return snapshot


def _sort(entry: Entry) -> None:
    stack = [entry]
    while stack:
        current = stack.pop()
        current.children.sort(key=lambda e: e.name)
        stack.extend(c for c in current.children if c.kind == "dir")
