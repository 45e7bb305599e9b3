"""Probe results cached outside the archive, so a re-check opens only what changed.

One SQLite file in the user's cache folder (``CWA_CACHE_DIR`` overrides it): the key is a
file's absolute path with its size and modification time, and the probe version, so a
changed file, or a newer cwa, is probed again. Never written inside the archive.

No connection stays open while worker processes exist (SQLite connections must not cross
``fork``): the results below a folder are read in one query before probing, and the new
ones written in one transaction after.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

from cwa.probes import VERSION, Result

SCHEMA = """CREATE TABLE IF NOT EXISTS probes (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, version INTEGER, result TEXT)"""


def directory() -> Path:
    override = os.environ.get("CWA_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "cwa"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "cwa"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cwa"


class ProbeCache:
    """Cached probe results; a cache that cannot be read or written is simply not used."""

    def __init__(self, folder: Path | None = None) -> None:
        self.file = (folder or directory()) / "probes.sqlite3"
        self._rows: dict[str, tuple[int, int, str]] = {}
        self._new: list[tuple[str, int, int, int, str]] = []

    def _connect(self) -> sqlite3.Connection:
        self.file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the user's own
        db = sqlite3.connect(self.file, timeout=10)
        db.execute(SCHEMA)
        return db

    def preload(self, folder: str) -> None:
        """Read every result below ``folder`` in one query, and close the connection."""
        start = folder.rstrip("/\\") + os.sep
        try:
            db = self._connect()
            try:
                rows = db.execute(
                    "SELECT path, size, mtime_ns, result FROM probes "
                    "WHERE path >= ? AND path < ? AND version = ?",
                    (start, start + "\U0010ffff", VERSION)).fetchall()
            finally:
                db.close()
        except (OSError, sqlite3.Error):
            return
        self._rows = {path: (size, mtime, result) for path, size, mtime, result in rows}

    def get(self, path: str, size: int, mtime_ns: int) -> Result | None:
        row = self._rows.get(path)
        if row is None or row[0] != size or row[1] != mtime_ns:
            return None
        result: Result = json.loads(row[2])
        return result

    def put(self, path: str, size: int, mtime_ns: int, result: Result) -> None:
        self._new.append((path, size, mtime_ns, VERSION, json.dumps(result)))

    def close(self) -> None:
        """Write the new results, all in one transaction."""
        if not self._new:
            return
        try:
            db = self._connect()
            try:
                with db:
                    db.executemany("INSERT OR REPLACE INTO probes VALUES (?, ?, ?, ?, ?)",
                                   self._new)
            finally:
                db.close()
        except (OSError, sqlite3.Error):
            pass  # a cache we cannot write only costs time next run
        self._new = []
