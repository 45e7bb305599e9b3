"""What an archive looks like from its folders, cheaply: the key under which a unit's
summary row is cached, and when the archive last changed.

A folder's modification time changes whenever an entry in it is created, removed or
renamed — which is how Word, WPS and LibreOffice save (a temporary file renamed over the
document), and how files are copied in, moved or renamed. So the fingerprint is every
folder's relative path and modification time: no file needs a ``stat``. Where the file
system keeps a folder's link count as 2 + its sub-folders (ext4, XFS, tmpfs…; checked on
the archive's own top level), a folder with a count of 2 holds no folder and is not even
listed; elsewhere (Windows, btrfs, network shares that report 1) every folder is listed.

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


#: Folders opened as file descriptors where the system can (POSIX): each ``stat`` is then
#: relative to its folder (``fstatat``), not a walk down the whole path again.
_BY_FD = os.scandir in os.supports_fd and os.open in os.supports_dir_fd
_OPEN_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)

Handle = int | str  # a folder: an open descriptor, or its path


def fingerprint(archive: Path) -> Fingerprint:
    """The archive's folders as a digest; raises OSError when its top cannot be read."""
    top = os.stat(archive)  # noqa: PTH116 - str paths and descriptors from here on
    root: Handle = os.open(archive, _OPEN_DIR) if _BY_FD else str(archive)
    newest = top.st_mtime_ns
    trusted: bool | None = None  # is a folder's link count 2 + its sub-folders?
    stack: list[tuple[str, Handle, os.stat_result]] = [("", root, top)]
    seen: list[str] = []  # "path\0mtime" per folder, hashed in order at the end
    extra: list[str] = []  # what else the digest holds: errors, manifests
    try:
        while stack:
            rel, handle, st = stack.pop()
            try:
                subfolders = 0
                with os.scandir(handle) as it:
                    for entry in it:
                        try:
                            if not entry.is_dir(follow_symlinks=False):
                                continue
                            subfolders += 1
                            name = entry.name
                            here = f"{rel}/{name}" if rel else name
                            if name in SKIPPED_DIRS:
                                if name == CWA_DIR and not rel:
                                    extra += _manifests(_child(handle, entry))
                                continue
                            below = entry.stat(follow_symlinks=False)
                            mtime = below.st_mtime_ns
                            newest = max(newest, mtime)
                            seen.append(f"{here}\0{mtime}")
                            if trusted and below.st_nlink == 2:
                                continue  # no folder below: its names are in its mtime
                            stack.append((here, _child(handle, entry), below))
                        except OSError as exc:
                            extra.append(f"{rel}/{entry.name}\0!{type(exc).__name__}")
            except OSError as exc:  # an unreadable folder is part of what the archive is
                extra.append(f"{rel}\0!{type(exc).__name__}")
            finally:
                _close(handle)
            if trusted is None:
                trusted = st.st_nlink == 2 + subfolders
    finally:
        for _, handle, _ in stack:
            _close(handle)
    seen.append(f"\0{top.st_mtime_ns}")
    seen.sort()
    seen += sorted(extra)
    digest = hashlib.blake2b("\n".join(seen).encode("utf-8", "surrogatepass"),
                             digest_size=20).hexdigest()
    return Fingerprint(digest, newest, len(seen) - len(extra))


def _child(parent: Handle, entry: os.DirEntry[str]) -> Handle:
    if isinstance(parent, int):
        return os.open(entry.name, _OPEN_DIR, dir_fd=parent)
    return entry.path


def _close(handle: Handle) -> None:
    if isinstance(handle, int):
        os.close(handle)


def _manifests(folder: Handle) -> list[str]:
    """Digest manifests in ``.cwa/`` (issue 15): their names, sizes and times."""
    try:
        with os.scandir(folder) as it:
            found = [(e.name, e.stat(follow_symlinks=False)) for e in it
                     if e.name.startswith(MANIFEST_PREFIX)]
    except OSError:
        return []
    finally:
        _close(folder)
    return [f"{CWA_DIR}/{name}\0{st.st_size}\0{st.st_mtime_ns}" for name, st in found
            if stat.S_ISREG(st.st_mode)]
