"""A top-level indicator's checked part, remembered by what it was made from.

A metadata check reads nothing but the listing below each top-level indicator's folder
(names, kinds, sizes, modification times) and the settings (rubric, cwa.yaml, years,
the month — which periods are due —, language, the report being made). Given the same
of both it makes the same part, so the part is kept, pickled, in one SQLite file in the
user's cache folder (beside ``--deep``'s probe cache; never inside the archive) and used
again when both are the same — the listing is still read (scanned and digested), but nothing is
matched, checked or rendered again. The settings' digest also covers cwa's own code
(its version and its modules' times), so a changed cwa never uses a part it did not
make. ``--no-cache`` neither uses nor updates it.

One row per archive, folder and report kind, replaced when either digest changes, so
the cache holds what the last check of each archive made; rows unused for
``KEEP_DAYS`` are deleted. A part whose folder could not be read whole (a scan
problem) is not kept. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import pickle
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cwa import codestamp

if TYPE_CHECKING:
    import sqlite3

    from cwa.scan import Entry

#: Paths are kept as bytes (``cachedir.path_key``): names that are not UTF-8 are paths too.
SCHEMA = """CREATE TABLE IF NOT EXISTS parts (
    archive BLOB, folder BLOB, kind TEXT, settings BLOB, listing BLOB, part BLOB,
    used INTEGER, PRIMARY KEY (archive, folder, kind))"""
KEEP_DAYS = 30
_PROTOCOL = 5


def listing(folder: Entry, placed: object) -> bytes:
    """The digest of everything a metadata check reads below ``folder``: each entry's
    name, kind, size and modification time, folder by folder in name order; and
    ``placed``, how the folder was matched to its indicator (which depends on its
    neighbours too)."""
    import hashlib  # here: a check without the cache never needs it

    digest = hashlib.blake2b(repr(placed).encode("utf-8", "surrogatepass"), digest_size=20)
    update = digest.update
    stack = [folder]
    while stack:
        here = stack.pop()
        children = here.children
        text = repr([(e.name, e.kind, e.size, e.mtime_ns) for e in children])
        update(text.encode("utf-8", "surrogatepass"))
        stack.extend(e for e in children if e.kind == "dir")
    return digest.digest()


def settings(*parts: Any) -> bytes:
    """The digest of what a part is made with besides the listing, and of cwa's code.

    Made from the parts' ``repr`` (records and tuples: every field, in order), not their
    pickle: a pickle also records which equal values are one object, which differs
    between a rubric just parsed and the same rubric read back (``cwa.config_memo``)."""
    import hashlib

    text = repr((codestamp.stamp(), parts)).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=20).digest()


class Memo:
    """The remembered parts of one archive, for one report kind and one settings digest.

    Their listing digests are read before the folders are checked, in a connection
    closed before any worker is forked (SQLite connections must not cross ``fork``);
    after, each remembered part is read when it is used and each new one written as it
    comes (one part in memory at a time, besides the report), in one transaction."""

    def __init__(self, archive: Path, kind: str, digest: bytes,
                 folder: Path | None = None) -> None:
        from cwa.cachedir import directory, path_key

        self.file = (folder or directory()) / "checks.sqlite3"
        self.key = path_key  # paths as bytes, as the probe cache keeps them
        self.archive = path_key(str(archive.resolve()))
        self.kind = kind
        self.digest = digest
        self.known: dict[bytes, tuple[bytes, int]] = {}  # folder → (listing, last used)
        self._db: sqlite3.Connection | None = None
        self._broken = False

    def _connect(self) -> sqlite3.Connection:
        from cwa.cachedir import connect

        return connect(self.file, SCHEMA)

    def load(self) -> None:
        """Read which folders have a part remembered, and from what listing."""
        try:
            db = self._connect()
            try:
                rows = db.execute(
                    "SELECT folder, listing, used FROM parts "
                    "WHERE archive = ? AND kind = ? AND settings = ?",
                    (self.archive, self.kind, self.digest)).fetchall()
            finally:
                db.close()
        except (OSError, _sqlite_error()):
            self._broken = True
            return
        self.known = {bytes(f): (bytes(listing_), used) for f, listing_, used in rows}

    def expected(self, folder: str) -> bytes | None:
        """The listing digest the remembered part of ``folder`` was made from."""
        known = self.known.get(self.key(folder))
        return known[0] if known is not None else None

    def _open(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                self._db = self._connect()
                self._db.execute("BEGIN")
            except (OSError, _sqlite_error()):
                self._broken = True
        return self._db

    def recall(self, folder: str) -> Any:
        """The remembered part of ``folder`` (its listing has been found unchanged);
        None when it cannot be read."""
        db = self._open()
        if db is None:
            return None
        key = self.key(folder)
        listing_, used = self.known[key]
        try:  # the row as it was read before the check: another check may have replaced it
            row = db.execute("SELECT part FROM parts WHERE archive = ? AND folder = ? "
                             "AND kind = ? AND settings = ? AND listing = ?",
                             (self.archive, key, self.kind, self.digest, listing_)).fetchone()
            if row is None:
                return None
            part = pickle.loads(row[0])  # cwa's own file (cachedir.connect checks it)
            now = int(time.time())
            if used < now - 86400:  # marked used once a day at most
                db.execute("UPDATE parts SET used = ? WHERE archive = ? AND folder = ? "
                           "AND kind = ?", (now, self.archive, key, self.kind))
        except Exception:  # whatever is wrong with it, it is not used
            return None
        return part

    def keep(self, folder: str, listing_: bytes, part: Any) -> None:
        db = self._open()
        if db is None:
            return
        try:
            db.execute("INSERT OR REPLACE INTO parts VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (self.archive, self.key(folder), self.kind, self.digest, listing_,
                        pickle.dumps(part, _PROTOCOL), int(time.time())))
        except (OSError, _sqlite_error(), pickle.PicklingError):
            self._broken = True  # a cache we cannot write only costs time next run

    def close(self) -> None:
        """Forget parts unused for ``KEEP_DAYS`` and commit."""
        db, self._db = self._db, None
        if db is None:
            return
        try:
            if not self._broken:
                db.execute("DELETE FROM parts WHERE used < ?",
                           (int(time.time()) - KEEP_DAYS * 86400,))
                db.commit()
        except (OSError, _sqlite_error()):
            pass
        finally:
            db.close()


def _sqlite_error() -> type[Exception]:
    import sqlite3

    return sqlite3.Error
