"""Signing in and staying signed in: sessions, CSRF tokens, login rate limiting.

- A session is a random 256-bit token in a cookie (HttpOnly, SameSite=Lax, Secure when
  the page came over HTTPS); the database keeps only its SHA-256, so a copy of the
  database opens no session. Every login makes a new token (no session fixation: a token
  planted before login is never the one that is signed in), logout deletes it, a session
  ends after ``IDLE`` seconds unused or ``LIFETIME`` seconds in all, and changing a
  password or removing an account ends all of its sessions.
- Every form carries a CSRF token: the session's own once signed in; before, on the
  login form, one that must equal a cookie set with the form (double submit).
- Login attempts: after ``PER_NAME`` failures for a name, or ``PER_ADDRESS`` from one
  address, within ``WINDOW`` seconds, further attempts are refused without checking the
  password until the window has passed. The failures are kept in the database, so every
  server process over one database counts the same.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from cwa.serve import accounts
from cwa.serve.accounts import User
from cwa.serve.store import Store

COOKIE = "cwa_session"
CSRF_COOKIE = "cwa_csrf"
IDLE = 2 * 3600
LIFETIME = 12 * 3600
WINDOW = 15 * 60
PER_NAME = 5
PER_ADDRESS = 30
_TOUCH = 60  # seconds between updates of a session's last use


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens; an absent one matches nothing."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8", "replace"), b.encode("utf-8", "replace"))


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


class Refused(Exception):
    """A login refused: ``wait`` seconds until another try is counted (0: wrong password)."""

    def __init__(self, wait: int = 0) -> None:
        super().__init__(wait)
        self.wait = wait


def login(store: Store, name: str, password: str, address: str) -> str:
    """Check the password, and open a new session: its token. ``Refused`` otherwise."""
    wait = _blocked(store, name, address)
    if wait:
        raise Refused(wait)
    stored = accounts.password_of(store, name) if len(password) <= accounts.MAX_PASSWORD \
        else None
    if stored is None:
        accounts.dummy_check(password[:accounts.MAX_PASSWORD])
        ok, renewed = False, None
    else:
        ok, renewed = accounts.check_password(stored, password)
    now = time.time()
    if not ok:
        with store.tx(write=True) as tx:
            tx.run("INSERT INTO failures (key, at) VALUES (?, ?)", "name:" + name, now)
            tx.run("INSERT INTO failures (key, at) VALUES (?, ?)", "addr:" + address, now)
        raise Refused(0)
    if renewed:
        accounts.rehash(store, name, renewed)
    token = new_token()
    with store.tx(write=True) as tx:
        tx.run("DELETE FROM failures WHERE key = ? OR at < ?", "name:" + name, now - WINDOW)
        tx.run("DELETE FROM sessions WHERE seen < ? OR created < ?", now - IDLE,
               now - LIFETIME)
        tx.run("INSERT INTO sessions (id, name, csrf, created, seen) VALUES (?, ?, ?, ?, ?)",
               _digest(token), name, new_token(), now, now)
    return token


def _blocked(store: Store, name: str, address: str) -> int:
    """Seconds until a login for ``name`` from ``address`` is tried again (0: now)."""
    since = time.time() - WINDOW
    with store.tx() as tx:
        waits = []
        for key, limit in (("name:" + name, PER_NAME), ("addr:" + address, PER_ADDRESS)):
            rows = tx.run("SELECT at FROM failures WHERE key = ? AND at >= ? ORDER BY at DESC",
                          key, since)
            if len(rows) >= limit:
                waits.append(int(rows[limit - 1][0] + WINDOW - time.time()) + 1)
    return max(waits, default=0)


def find(store: Store, token: str | None) -> Session | None:
    """The signed-in session of a cookie's token, if it is one and still valid."""
    if not token or len(token) > 100:
        return None
    key = _digest(token)
    now = time.time()
    with store.tx() as tx:
        row = tx.one("SELECT name, csrf, created, seen FROM sessions WHERE id = ?", key)
    if row is None:
        return None
    name, csrf, created, seen = row
    if now - seen > IDLE or now - created > LIFETIME:
        close(store, token)
        return None
    user = accounts.get(store, name)
    if user is None:
        return None
    if now - seen > _TOUCH:
        with store.tx(write=True) as tx:
            tx.run("UPDATE sessions SET seen = ? WHERE id = ?", now, key)
    return Session(user, csrf)


def close(store: Store, token: str | None) -> None:
    if token:
        with store.tx(write=True) as tx:
            tx.run("DELETE FROM sessions WHERE id = ?", _digest(token))
