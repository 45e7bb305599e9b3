"""Probe results cached outside the archive, so a re-check opens only what changed.

One SQLite file in the user's cache folder (``CWA_CACHE_DIR`` overrides it): the key is a
file's absolute path with its size and modification time, and the probe version, so a
changed file, or a newer cwa, is probed again. Never written inside the archive.
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
    """Cached probe results; a cache that cannot be opened or written is simply not used."""

    def __init__(self, folder: Path | None = None) -> None:
        self.db: sqlite3.Connection | None = None
        try:
            folder = folder or directory()
            folder.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(folder / "probes.sqlite3", timeout=5)
            self.db.execute(SCHEMA)
        except (OSError, sqlite3.Error):
            self.db = None

    def get(self, path: str, size: int, mtime_ns: int) -> Result | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute(
                "SELECT result FROM probes WHERE path = ? AND size = ? AND mtime_ns = ? "
                "AND version = ?", (path, size, mtime_ns, VERSION)).fetchone()
        except sqlite3.Error:
            return None
        return json.loads(row[0]) if row else None

    def put(self, path: str, size: int, mtime_ns: int, result: Result) -> None:
        if self.db is None:
            return
        try:
            self.db.execute("INSERT OR REPLACE INTO probes VALUES (?, ?, ?, ?, ?)",
                            (path, size, mtime_ns, VERSION, json.dumps(result)))
        except sqlite3.Error:
            self.db = None

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.commit()
                self.db.close()
            except sqlite3.Error:
                pass
