"""Probe results cached outside the archive, so a re-check opens only what changed.

One SQLite file in the user's cache folder (``CWA_CACHE_DIR`` overrides it): the key is a
file's absolute path (as bytes: any name the system gives) with its size, modification
time and change time, and the probe version, so a changed file — even one whose size and
modification time were put back — or a newer cwa, is probed again. Never written inside
the archive. (Windows gives a creation time for the change time: there a file written
over with its size and time put back is not seen.)

No connection stays open while worker processes exist (SQLite connections must not cross
``fork``): the results below a folder are read in one query before probing, and the new
ones written in one transaction after.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from cwa.cachedir import connect, directory, path_key
from cwa.probes import VERSION, Result

SCHEMA = """CREATE TABLE IF NOT EXISTS files (
    path BLOB PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,
    version INTEGER, result TEXT)"""


class ProbeCache:
    """Cached probe results; a cache that cannot be read or written is simply not used."""

    def __init__(self, folder: Path | None = None) -> None:
        self.file = (folder or directory()) / "probes.sqlite3"
        self._rows: dict[bytes, tuple[int, int, int, str]] = {}
        self._new: list[tuple[bytes, int, int, int, int, str]] = []

    def _connect(self) -> sqlite3.Connection:
        # (the table of cwa before 0.1, without change times, dropped)
        return connect(self.file, "DROP TABLE IF EXISTS probes", SCHEMA)

    def preload(self, folder: str) -> None:
        """Read every result below ``folder`` in one query, and close the connection."""
        start = path_key(folder.rstrip("/\\") + os.sep)
        try:
            db = self._connect()
            try:
                rows = db.execute(
                    "SELECT path, size, mtime_ns, ctime_ns, result FROM files "
                    "WHERE path >= ? AND path < ? AND version = ?",
                    (start, start + b"\xff", VERSION)).fetchall()
            finally:
                db.close()
        except (OSError, sqlite3.Error):
            return
        self._rows = {bytes(path): (size, mtime, ctime, result)
                      for path, size, mtime, ctime, result in rows}

    def get(self, path: str, size: int, mtime_ns: int) -> Result | None:
        row = self._rows.get(path_key(path))
        if row is None or row[0] != size or row[1] != mtime_ns or row[2] != change_time(path):
            return None
        result: Result = json.loads(row[3])
        return result

    def put(self, path: str, size: int, mtime_ns: int, ctime_ns: int | None,
            result: Result) -> None:
        """Keep ``result`` for the file as it was when probed (``ctime_ns``: its change
        time then, None when it could not be read: then it is not kept)."""
        if ctime_ns is not None:
            self._new.append((path_key(path), size, mtime_ns, ctime_ns, VERSION,
                              json.dumps(result)))

    def close(self) -> None:
        """Write the new results, all in one transaction."""
        if not self._new:
            return
        try:
            db = self._connect()
            try:
                with db:
                    db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                                   self._new)
            finally:
                db.close()
        except (OSError, sqlite3.Error):
            pass  # a cache we cannot write only costs time next run
        self._new = []


def change_time(path: str) -> int | None:
    """The time of the last change to a file's content or metadata, as the system keeps
    it (None when it cannot be read)."""
    try:
        return os.lstat(path).st_ctime_ns
    except OSError:
        return None
