"""What an archive looks like from its folders, cheaply: the key under which a unit's
summary row is cached, and when the archive last changed.

A folder's modification time changes whenever an entry in it is created, removed or
renamed — which is how Word, WPS and LibreOffice save (a temporary file renamed over the
document), and how files are copied in, moved or renamed. So the fingerprint is every
folder's relative path and modification time, plus the names in the folders that hold
folders: no file needs a ``stat``. Where the file system keeps a folder's link count as
2 + its sub-folders (ext4, XFS, tmpfs…; checked on the archive's own top level), a folder
with a count of 2 holds no folder and is not even listed; elsewhere (Windows, btrfs,
network shares that report 1) every folder is listed.

What it cannot see: a file overwritten in place under the same name (``cp`` over it),
which changes the file but not its folder. The only metadata a check reads from a file
is whether it is empty (FL001), so ``cwa summary`` also re-checks an archive when a file
that was empty no longer is; ``--no-cache`` re-checks everything.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import NamedTuple

from cwa.scan import CWA_DIR, SKIPPED_DIRS

#: cwa's own files in ``.cwa/`` that a summary shows (issue 15's digest manifests).
MANIFEST_PREFIX = "manifest-"


class Fingerprint(NamedTuple):
    digest: str  # hex
    newest_ns: int  # the newest folder modification time (ns since the epoch)
    folders: int


def fingerprint(archive: Path) -> Fingerprint:
    """The archive's folders as a digest; raises OSError when its top cannot be read."""
    h = hashlib.blake2b(digest_size=20)
    root = str(archive)
    top = os.stat(root)  # noqa: PTH116 - str paths all along: this runs for every unit
    newest = top.st_mtime_ns
    trusted: bool | None = None  # is a folder's link count 2 + its sub-folders?
    stack: list[tuple[str, str, os.stat_result]] = [("", root, top)]
    folders = 0
    while stack:
        rel, path, st = stack.pop()
        folders += 1
        newest = max(newest, st.st_mtime_ns)
        h.update(_bytes(f"{rel}\0{st.st_mtime_ns}\n"))
        if trusted and st.st_nlink == 2:
            continue  # no folder below: its names are covered by its mtime
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:  # an unreadable folder is part of what the archive is
            h.update(_bytes(f"!{type(exc).__name__}\n"))
            continue
        below: list[tuple[str, str, os.stat_result]] = []
        subfolders = 0
        for entry in entries:
            h.update(_bytes(entry.name + "\0"))
            try:
                if not entry.is_dir(follow_symlinks=False):
                    continue
                subfolders += 1
                if entry.name in SKIPPED_DIRS:
                    if entry.name == CWA_DIR and not rel:
                        _manifests(h, entry.path)
                    continue
                below.append((f"{rel}/{entry.name}" if rel else entry.name, entry.path,
                              entry.stat(follow_symlinks=False)))
            except OSError as exc:
                h.update(_bytes(f"!{type(exc).__name__}\n"))
        if trusted is None:
            trusted = st.st_nlink == 2 + subfolders
        stack.extend(reversed(below))
    return Fingerprint(h.hexdigest(), newest, folders)


def _manifests(h: hashlib.blake2b, folder: str) -> None:
    """Digest manifests in ``.cwa/`` (issue 15): their names, sizes and times."""
    try:
        with os.scandir(folder) as it:
            found = sorted(((e.name, e.stat(follow_symlinks=False)) for e in it
                            if e.name.startswith(MANIFEST_PREFIX)), key=lambda x: x[0])
    except OSError:
        return
    for name, st in found:
        if stat.S_ISREG(st.st_mode):
            h.update(_bytes(f"{CWA_DIR}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n"))


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")
