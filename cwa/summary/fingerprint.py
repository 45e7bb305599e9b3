"""What an archive looks like from its folders, cheaply: whether a unit's cached summary
row still holds, and when the archive last changed.

A folder's modification time changes whenever an entry in it is created, removed or
renamed — which is how Word, WPS and LibreOffice save (a temporary file renamed over the
document), and how files are copied in, moved or renamed. So an archive's fingerprint is
the list of its folders with their modification times: no file needs a ``stat``.

- Taken in full (``fingerprint``, before a unit is checked): the archive is walked
  folder by folder. Where the file system keeps a folder's link count as 2 + its
  sub-folders (ext4, XFS, tmpfs…; checked on the archive's own top level), a folder with
  a count of 2 holds no folder and is not even listed; elsewhere (Windows, btrfs,
  network shares that report 1) every folder is listed.
- Checked again (``unchanged``, on the next summary): each folder of the list is
  ``stat``-ed, nothing is listed. A new folder changes its parent's time, so an
  unchanged list means an unchanged tree.

What it cannot see: a file overwritten in place under the same name (``cp`` over it),
which changes the file but not its folder. The only metadata a check reads from a file
is whether it is empty (FL001), so ``cwa summary`` also re-checks an archive when a file
that was empty no longer is; ``--no-cache`` re-checks everything.
"""

from __future__ import annotations

import os
import stat
import zlib
from pathlib import Path
from typing import NamedTuple

from cwa.scan import CWA_DIR, SKIPPED_DIRS

#: cwa's own files in ``.cwa/`` that a summary shows (issue 15's digest manifests).
MANIFEST_PREFIX = "manifest-"

Folders = list[tuple[str, int]]  # (path relative to the archive, "/"-separated; mtime_ns)


class Fingerprint(NamedTuple):
    folders: Folders  # every folder, ".cwa" and its manifests, in path order
    newest_ns: int  # the newest folder modification time (ns since the epoch)
    complete: bool  # False when something could not be read: never trusted later


#: Folders opened as file descriptors where the system can (POSIX): each ``stat`` is then
#: relative to its folder (``fstatat``), not a walk down the whole path again.
_BY_FD = os.scandir in os.supports_fd and os.open in os.supports_dir_fd
_OPEN_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)

Handle = int | str  # a folder: an open descriptor, or its path


def fingerprint(archive: Path) -> Fingerprint:
    """The archive's folders; raises OSError when its top cannot be read."""
    top = os.stat(archive)  # noqa: PTH116 - str paths and descriptors from here on
    root: Handle = os.open(archive, _OPEN_DIR) if _BY_FD else str(archive)
    newest = top.st_mtime_ns
    trusted: bool | None = None  # is a folder's link count 2 + its sub-folders?
    stack: list[tuple[str, Handle, os.stat_result]] = [("", root, top)]
    seen: Folders = [("", top.st_mtime_ns)]
    complete = True
    try:
        while stack:
            rel, handle, st = stack.pop()
            try:
                subfolders = 0
                with os.scandir(handle) as it:
                    for entry in it:
                        if not entry.is_dir(follow_symlinks=False):
                            continue
                        subfolders += 1
                        name = entry.name
                        here = f"{rel}/{name}" if rel else name
                        if name in SKIPPED_DIRS:
                            if name == CWA_DIR and not rel:
                                seen += _manifests(_child(handle, entry))
                            continue
                        below = entry.stat(follow_symlinks=False)
                        mtime = below.st_mtime_ns
                        if mtime > newest:
                            newest = mtime
                        seen.append((here, mtime))
                        if trusted and below.st_nlink == 2:
                            continue  # no folder below: its names are in its mtime
                        stack.append((here, _child(handle, entry), below))
            except OSError:  # an unreadable folder: the unit is checked every time
                complete = False
            finally:
                _close(handle)
            if trusted is None:
                trusted = st.st_nlink == 2 + subfolders
    finally:
        for _, handle, _ in stack:
            _close(handle)
    seen.sort()
    return Fingerprint(seen, newest, complete)


def unchanged(archive: Path, packed: bytes) -> bool:
    """Does every folder of an earlier fingerprint (``pack``-ed) still have its time?
    (Nothing is listed: a folder added anywhere changes its parent's time.)"""
    base = str(archive)
    sep = os.sep
    try:
        for line in zlib.decompress(packed).decode("utf-8", "surrogatepass").split("\n"):
            rel, _, mtime = line.partition("\0")
            path = f"{base}{sep}{rel.replace('/', sep)}" if rel else base
            if os.stat(path, follow_symlinks=False).st_mtime_ns != int(mtime):  # noqa: PTH116
                return False
    except (OSError, ValueError, zlib.error):
        return False
    return True


def pack(folders: Folders) -> bytes:
    """A fingerprint as stored in the cache and sent to a worker: small, and opened only
    by the worker that checks it (``unchanged``)."""
    text = "\n".join(f"{rel}\0{mtime}" for rel, mtime in folders)
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def _child(parent: Handle, entry: os.DirEntry[str]) -> Handle:
    if isinstance(parent, int):
        return os.open(entry.name, _OPEN_DIR, dir_fd=parent)
    return entry.path


def _close(handle: Handle) -> None:
    if isinstance(handle, int):
        os.close(handle)


def _manifests(folder: Handle) -> Folders:
    """``.cwa`` itself and the digest manifests in it (issue 15), with their times."""
    try:
        found: Folders = [(CWA_DIR, os.stat(folder).st_mtime_ns)]  # noqa: PTH116
        with os.scandir(folder) as it:
            found += [(f"{CWA_DIR}/{e.name}", e.stat(follow_symlinks=False).st_mtime_ns)
                      for e in it if e.name.startswith(MANIFEST_PREFIX)
                      and stat.S_ISREG(e.stat(follow_symlinks=False).st_mode)]
    except OSError:
        return []
    finally:
        _close(folder)
    return found
