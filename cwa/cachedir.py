"""The user's cache folder, where cwa keeps what it can make again (never inside an
archive): probe results, checked parts, settings as read, crash logs.

``CWA_CACHE_DIR`` overrides it (tests, CI, a read-only home).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3


def directory() -> Path:
    override = os.environ.get("CWA_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "cwa"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "cwa"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cwa"


def own(name: str) -> Path:
    """``directory() / name``, made when missing (only the user may enter it), and
    checked to be a real folder of the user's own — not a link another user planted."""
    base = directory()
    base.mkdir(mode=0o700, parents=True, exist_ok=True)  # the cache folder: the user's own
    folder = base / name
    folder.mkdir(mode=0o700, exist_ok=True)
    if not own_folder(folder):
        raise PermissionError(f"{folder} is not the user's own folder")
    return folder


def own_folder(folder: Path) -> bool:
    """Is ``folder`` a real folder (not a link) of the user's own?"""
    try:
        st = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and (not hasattr(os, "getuid") or st.st_uid == os.getuid())


def mine(fd: int) -> bool:
    """Is the open file ``fd`` a regular file of the user's own, that only the user may
    change? What cwa reads back from its cache (pickles) must be what cwa wrote."""
    return _private(os.fstat(fd))


def _private(st: os.stat_result) -> bool:
    if not stat.S_ISREG(st.st_mode):
        return False
    if hasattr(os, "getuid"):
        return st.st_uid == os.getuid() and not st.st_mode & 0o022
    return True


def connect(file: Path, *statements: str) -> sqlite3.Connection:
    """One of cwa's SQLite caches (``file``, in a folder of the user's own, made when
    missing), with ``statements`` run (its schema): the file made only the user's, and
    refused (PermissionError) when it is not the user's own — pickles are read back from
    these files, so they must be what cwa wrote."""
    import sqlite3

    folder = file.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not own_folder(folder):
        raise PermissionError(f"{folder} is not the user's own folder")
    try:
        st = file.lstat()
    except FileNotFoundError:  # made here, the user's only (SQLite would follow the umask)
        os.close(os.open(file, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600))
    else:
        if not stat.S_ISREG(st.st_mode) or (
                hasattr(os, "getuid") and st.st_uid != os.getuid()):
            raise PermissionError(f"{file} is not the user's own file")
        if not _private(st):  # an older cwa's file, made as the umask said: made private
            file.chmod(0o600)
    db = sqlite3.connect(file, timeout=10)
    for statement in statements:
        db.execute(statement)
    return db


def path_key(path: str) -> bytes:
    """A path as the cache keeps it: bytes, whatever the name (a name that is not UTF-8
    arrives as lone surrogates, which sqlite3 cannot take as text)."""
    return path.encode("utf-8", "surrogatepass")
