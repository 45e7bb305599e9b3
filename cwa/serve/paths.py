"""From a URL to a file inside an archive, and back: nothing else is ever reached.

A path in a URL is a list of names below an archive's folder. Each name is checked on
its own (no empty name, ``.``, ``..``, NUL; on Windows no ``\\``, no ``:`` — alternate
data streams and drives — nor a reserved device name), and the walk down takes each
step with ``lstat``: a link, anywhere on the way, is refused (cwa never follows links, so
a link cannot lead out of the archive), as are cwa's and version control's own folders.
A file is opened without following a link and must still be the entry that was checked.

Names are carried in URLs as their bytes on disk, percent-encoded, so that a name that is
not UTF-8 (unzipped from a Chinese Windows zip) reaches the same file.
"""

from __future__ import annotations

import os
import stat
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cwa.naming import windows_problems
from cwa.scan import SKIPPED_DIRS

_NT = os.name == "nt"


class Refused(Exception):
    """Not served: ``reason`` is ``bad_name``, ``link``, ``missing``, ``not_file`` or
    ``not_dir``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def quote(rel: str) -> str:
    """An archive-relative path (``/``) as it goes into a URL: its bytes, percent-encoded."""
    return urllib.parse.quote(os.fsencode(rel), safe="/")


def split(raw: bytes) -> tuple[str, ...]:
    """The names of a URL's path (its bytes, already percent-decoded by the server), as
    the file system spells them; ``Refused`` for a name that could step outside."""
    if not raw:
        return ()
    names = raw.split(b"/")
    if names and names[-1] == b"":
        names.pop()  # a folder's trailing slash
    out = []
    for name in names:
        if name in (b"", b".", b"..") or b"\x00" in name or (_NT and b"\\" in name):
            raise Refused("bad_name")
        try:
            text = os.fsdecode(name)
        except UnicodeDecodeError:  # Windows: names are Unicode, these bytes are none
            raise Refused("bad_name") from None
        if _NT and (":" in text or windows_problems(text)):
            raise Refused("bad_name")
        out.append(text)
    if any(n in SKIPPED_DIRS for n in out):
        raise Refused("bad_name")
    return tuple(out)


def walk(archive: Path, names: tuple[str, ...]) -> tuple[Path, os.stat_result]:
    """The entry ``names`` lead to below ``archive``, each step taken without following a
    link; with its ``lstat``."""
    path = archive
    try:
        st = os.lstat(path)
    except OSError:
        raise Refused("missing") from None
    for i, name in enumerate(names):
        if not stat.S_ISDIR(st.st_mode):
            raise Refused("not_dir")
        path = path / name
        try:
            st = os.lstat(path)
        except (OSError, ValueError):
            raise Refused("missing") from None
        if stat.S_ISLNK(st.st_mode) or _reparse(st) or (
                i < len(names) - 1 and not stat.S_ISDIR(st.st_mode)):
            raise Refused("link" if stat.S_ISLNK(st.st_mode) or _reparse(st) else "not_dir")
    return path, st


def _reparse(st: os.stat_result) -> bool:
    """A Windows junction or other reparse point (``lstat`` does not call it a link)."""
    attributes = getattr(st, "st_file_attributes", 0)
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0))


def open_file(archive: Path, names: tuple[str, ...]) -> tuple[BinaryIO, os.stat_result]:
    """A regular file below ``archive`` opened for reading, never through a link; the
    file opened is the one checked (same device and inode)."""
    path, st = walk(archive, names)
    if not stat.S_ISREG(st.st_mode):
        raise Refused("not_file")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0) \
        | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in must not block a thread
    try:
        fd = os.open(path, flags)
    except OSError:
        raise Refused("missing") from None
    opened = os.fstat(fd)
    if not stat.S_ISREG(opened.st_mode) or ((opened.st_dev, opened.st_ino) != (
            st.st_dev, st.st_ino) and not _NT):
        os.close(fd)
        raise Refused("not_file")
    return os.fdopen(fd, "rb"), opened


@dataclass(frozen=True)
class Item:
    """One entry of a folder listing."""

    name: str
    rel: str  # archive-relative, "/"
    kind: str  # "dir" | "file" | "link" | "other"
    size: int
    mtime: float


def listing(archive: Path, names: tuple[str, ...]) -> list[Item]:
    """A folder's entries (links shown, never followed; tool folders left out)."""
    from cwa.naming import natural_key

    path, st = walk(archive, names)
    if not stat.S_ISDIR(st.st_mode):
        raise Refused("not_dir")
    base = "/".join(names)
    items = []
    try:
        with os.scandir(path) as it:
            for entry in it:
                if entry.name in SKIPPED_DIRS:
                    continue
                try:
                    est = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                kind = ("link" if stat.S_ISLNK(est.st_mode) or _reparse(est) else
                        "dir" if stat.S_ISDIR(est.st_mode) else
                        "file" if stat.S_ISREG(est.st_mode) else "other")
                rel = f"{base}/{entry.name}" if base else entry.name
                items.append(Item(entry.name, rel, kind, est.st_size, est.st_mtime))
    except OSError:
        raise Refused("missing") from None
    return sorted(items, key=lambda i: (i.kind != "dir", natural_key(i.name)))
