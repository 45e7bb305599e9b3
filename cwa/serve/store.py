"""The server's database: SQLite in the data folder by default, PostgreSQL by URL where
several inspectors score at once. Never inside an archive.

One small dialect serves both: statements are written with ``?`` placeholders (turned
into ``%s`` for PostgreSQL), upserts as ``INSERT … ON CONFLICT``, numbers as BIGINT and
DOUBLE PRECISION. Each thread has its own connection (the server's threads are few and
long-lived); every change runs in a transaction, and a change that must see a consistent
state (a score saved while the office closes the round) takes its locks first.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cwa.errors import CwaError
from cwa.messages import t

SCHEMA_VERSION = "1"
DB_FILE = "cwa-serve.sqlite3"

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL,"
    " password TEXT NOT NULL, created DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS user_units (name TEXT NOT NULL, unit TEXT NOT NULL,"
    " PRIMARY KEY (name, unit))",
    "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " csrf TEXT NOT NULL, created DOUBLE PRECISION NOT NULL, seen DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS failures (key TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
    "CREATE INDEX IF NOT EXISTS failures_key ON failures (key, at)",
    "CREATE TABLE IF NOT EXISTS rounds (id BIGINT PRIMARY KEY, opened DOUBLE PRECISION NOT NULL,"
    " closed DOUBLE PRECISION, closed_by TEXT)",
    "CREATE TABLE IF NOT EXISTS scores (round BIGINT NOT NULL, unit TEXT NOT NULL,"
    " item TEXT NOT NULL, score DOUBLE PRECISION, comment TEXT NOT NULL,"
    " inspector TEXT NOT NULL, at DOUBLE PRECISION NOT NULL, version BIGINT NOT NULL,"
    " PRIMARY KEY (round, unit, item))",
    "CREATE TABLE IF NOT EXISTS score_history (round BIGINT NOT NULL, unit TEXT NOT NULL,"
    " item TEXT NOT NULL, score DOUBLE PRECISION, comment TEXT NOT NULL,"
    " inspector TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS access (at DOUBLE PRECISION NOT NULL, name TEXT,"
    " ip TEXT, method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS access_at ON access (at)",
)


def default_data() -> Path:
    """Where accounts and scores live unless ``--data`` says otherwise: the user's own
    data folder (``%LOCALAPPDATA%\\cwa\\serve``, ``~/.local/share/cwa/serve``)."""
    chosen = os.environ.get("CWA_SERVE_DATA")
    if chosen:
        return Path(chosen).expanduser()
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "cwa" / "serve"


def prepare_data(folder: Path, archives: Sequence[Path] = ()) -> None:
    """The data folder, made if need be (only the user may enter it); refused inside an
    archive (the server never writes into one)."""
    for archive in archives:
        with contextlib.suppress(ValueError, OSError):
            folder.resolve().relative_to(archive.resolve())
            raise CwaError("serve.data_inside", path=str(folder), archive=str(archive))
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise CwaError("serve.data_unusable", path=str(folder), error=str(exc)) from None
    if not stat.S_ISDIR(os.lstat(folder).st_mode):
        raise CwaError("serve.data_unusable", path=str(folder), error=t("serve.not_a_folder"))


def _close_all(connections: list[Any]) -> None:
    for conn in connections:
        with contextlib.suppress(Exception):
            conn.close()
    connections.clear()


class Tx:
    """One transaction: ``run`` a statement, get its rows."""

    def __init__(self, cursor: Any, postgres: bool) -> None:
        self.cursor = cursor
        self.postgres = postgres
        self.rowcount = 0

    def run(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        if self.postgres:
            sql = sql.replace("?", "%s")
        self.cursor.execute(sql, params)
        self.rowcount = self.cursor.rowcount
        if self.cursor.description is None:
            return []
        return [tuple(row) for row in self.cursor.fetchall()]

    def one(self, sql: str, *params: object) -> tuple[Any, ...] | None:
        rows = self.run(sql, *params)
        return rows[0] if rows else None


class Store:
    """A database by URL: ``sqlite:///path`` (or a plain path) or ``postgresql://…``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.postgres = url.startswith(("postgresql://", "postgres://"))
        self._local = threading.local()
        self._all: list[Any] = []  # every thread's connection, closed with the store
        self._closer = weakref.finalize(self, _close_all, self._all)
        if not self.postgres:
            path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
            self.path = path
        self._migrate()

    @staticmethod
    def in_folder(folder: Path) -> Store:
        return Store(str(folder / DB_FILE))

    def _connect(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is not None and any(c is conn for c in self._all) and not (
                self.postgres and (conn.closed or conn.broken)):
            return conn
        if self.postgres:
            try:
                import psycopg
            except ImportError:
                raise CwaError("serve.no_psycopg") from None
            try:
                conn = psycopg.connect(self.url, autocommit=True)
            except psycopg.Error as exc:
                raise CwaError("serve.db_unreachable", error=str(exc).strip()) from None
        else:
            try:
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA busy_timeout=30000")
            except sqlite3.Error as exc:
                raise CwaError("serve.db_unreachable", error=str(exc)) from None
        self._local.conn = conn
        self._all.append(conn)
        return conn

    @contextlib.contextmanager
    def tx(self, write: bool = False) -> Iterator[Tx]:
        """A transaction; ``write`` takes SQLite's write lock at once (no upgrade later,
        which could deadlock two writers)."""
        conn = self._connect()
        if self.postgres:
            with conn.transaction(), conn.cursor() as cursor:
                yield Tx(cursor, True)
            return
        cursor = conn.cursor()
        cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield Tx(cursor, False)
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()
        finally:
            cursor.close()

    def close(self) -> None:
        """Close every thread's connection (also done when the store is collected)."""
        self._closer()

    def _migrate(self) -> None:
        with self.tx(write=True) as tx:
            if self.postgres:  # two servers starting at once create the tables once
                tx.run("SELECT pg_advisory_xact_lock(7117001)")
            for statement in SCHEMA:
                tx.run(statement)
            tx.run("INSERT INTO meta (key, value) VALUES ('schema', ?) "
                   "ON CONFLICT (key) DO NOTHING", SCHEMA_VERSION)
            if tx.one("SELECT id FROM rounds") is None:
                import time

                tx.run("INSERT INTO rounds (id, opened) VALUES (1, ?) "
                       "ON CONFLICT (id) DO NOTHING", time.time())
        if not self.postgres:
            with contextlib.suppress(OSError):
                Path(self.path).chmod(0o600)
