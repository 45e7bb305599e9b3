"""Each unit's row cached outside the archives, so that a summary over unchanged archives
checks none of them again.

One SQLite file beside ``--deep``'s probe cache in the user's cache folder
(``CWA_CACHE_DIR`` moves it): per source (an archive's or a report's absolute path) the
key it was made under, the rubric file the archive used, the archive's folders with
their times (``fingerprint``) and the row. An archive's row holds while its key — cwa's
version and the row's, the month (which periods are due depends on it), cwa.yaml's
bytes, the rubric's path and content — is the same and its folders are ``unchanged``; a
report's key is its path, size and modification time.

Unit pages (each unit's HTML report) are kept beside it, gzipped, one file per key and
language, so a warm summary writes its drill-down pages without checking again.

Rows are read in one query before the work starts and written in one transaction after
it: no connection is open while worker processes exist.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from cwa import __version__
from cwa.cachedir import connect, directory
from cwa.summary.row import ROW_VERSION, Row

SCHEMA = """CREATE TABLE IF NOT EXISTS units (
    source TEXT PRIMARY KEY, key TEXT, rubric TEXT, folders BLOB, row TEXT)"""


class Entry(NamedTuple):
    key: str
    rubric: str  # the rubric file an archive's row was made with ("" for a report)
    folders: bytes | None  # the archive's fingerprint, packed (None for a report)
    row: Row


def unit_key(*parts: object) -> str:
    """A key from cwa's version, the row's, and ``parts`` (bytes or anything printable)."""
    h = hashlib.blake2b(f"{__version__}\0{ROW_VERSION}".encode(), digest_size=20)
    for part in parts:
        h.update(b"\0")
        h.update(part if isinstance(part, bytes)
                 else str(part).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class RowCache:
    """Cached rows; a cache that cannot be read or written is simply not used."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or directory()
        self.file = self.folder / "summary.sqlite3"
        self.pages = self.folder / "summary-pages"

    def _connect(self) -> sqlite3.Connection:
        return connect(self.file, SCHEMA)

    def load(self, sources: Iterable[str]) -> dict[str, Entry]:
        wanted = set(sources)
        try:
            db = self._connect()
            try:
                rows = db.execute(
                    "SELECT source, key, rubric, folders, row FROM units").fetchall()
            finally:
                db.close()
        except (OSError, sqlite3.Error):
            return {}
        out = {}
        for stored, key, rubric, folders, row in rows:
            try:
                source = json.loads(stored)
                if source in wanted:
                    out[source] = Entry(key, json.loads(rubric), folders, json.loads(row))
            except ValueError:
                continue
        return out

    def store(self, entries: dict[str, Entry], replaced: dict[str, Entry]) -> None:
        """Write new rows in one transaction; remove the pages of the rows they replace."""
        if not entries:
            return
        try:
            db = self._connect()
            try:
                with db:
                    db.executemany("INSERT OR REPLACE INTO units VALUES (?, ?, ?, ?, ?)", [
                        # as JSON: ASCII, so a name that is not UTF-8 is stored too
                        (json.dumps(source), e.key, json.dumps(e.rubric), e.folders,
                         json.dumps(e.row))
                        for source, e in entries.items()])
            finally:
                db.close()
        except (OSError, sqlite3.Error):
            return  # a cache we cannot write only costs time next run
        for old in replaced.values():
            for page in self.pages.glob(f"{page_id(old.key, old.folders)}-*.html.gz"):
                page.unlink(missing_ok=True)

    def page(self, key: str, folders: bytes | None, lang: str) -> Path:
        """Where the unit page of an archive's row is kept: it shows the archive as its
        folders were (``folders``), in one language."""
        return self.pages / f"{page_id(key, folders)}-{lang}.html.gz"


def page_id(key: str, folders: bytes | None) -> str:
    return hashlib.blake2b(key.encode() + (folders or b""), digest_size=20).hexdigest()


def save_page(path: Path, text: str) -> None:
    """Keep a unit page (gzipped; written whole, then renamed into place)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(gzip.compress(text.encode("utf-8", "backslashreplace"), 6))
        temporary.replace(path)
    except OSError:
        pass


def read_page(path: Path) -> bytes | None:
    try:
        return gzip.decompress(path.read_bytes())
    except (OSError, EOFError, ValueError):
        return None
