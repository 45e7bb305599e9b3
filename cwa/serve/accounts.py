"""Accounts: a name, a role, a password hash, and the units the account may see.

Roles: ``unit`` sees its own archive only; ``inspector`` sees the units assigned to it and
scores them; ``office`` (文明办) sees everything, assigns inspectors and closes rounds.

Passwords are hashed with Argon2id (argon2-cffi, the reference implementation's
binding): memory-hard, so guessing on graphics cards or ASICs costs memory and not only
time; a random salt per hash; the parameters in the stored string, so hashes made with
older parameters are recognised and renewed at the next login; verification in constant
time. It is RFC 9106's and OWASP's first choice, and the wheels cover Windows, macOS and
Linux. (``hashlib.scrypt`` is memory-hard too, but exists only where Python's OpenSSL
offers it and leaves the encoding of salt and parameters to the caller.)
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cwa import wording
from cwa.errors import CwaError
from cwa.serve.store import Store

if TYPE_CHECKING:
    from argon2 import PasswordHasher

ROLES = ("unit", "inspector", "office")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # hashing a megabyte costs nothing to send and much to hash
_NAME = re.compile(r"^[\w.@\-]{1,64}$")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    units: tuple[str, ...] = ()

    def sees(self, unit: str) -> bool:
        return self.role == "office" or unit in self.units

    @property
    def scores(self) -> bool:
        return self.role == "inspector"


#: The anonymous visitor of a server started with ``--no-auth``: sees all, scores nothing.
ANONYMOUS = User("", "office")


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()  # Argon2id, 64 MiB, t=3, p=4 (RFC 9106's second recommendation)


def hash_password(password: str) -> str:
    return str(_hasher().hash(password))


def check_password(stored: str, password: str) -> tuple[bool, str | None]:
    """Does ``password`` match ``stored``? With a new hash when the stored one was made
    with older parameters."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False, None
    return True, hash_password(password) if hasher.check_needs_rehash(stored) else None


#: Verified against when the name is unknown, so that the answer takes as long.
_DUMMY: list[str] = []


def dummy_check(password: str) -> None:
    if not _DUMMY:
        _DUMMY.append(hash_password("not a password of anyone"))
    check_password(_DUMMY[0], password)


def valid_name(name: str) -> None:
    if not _NAME.match(name):
        raise CwaError("serve.bad_user_name", name=name)


def valid_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise CwaError("serve.short_password", min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise CwaError("serve.long_password", max=MAX_PASSWORD)


def add(store: Store, name: str, role: str, password: str, units: tuple[str, ...]) -> None:
    valid_name(name)
    if role not in ROLES:
        raise CwaError("serve.bad_role", role=role, roles=wording.listing(ROLES))
    if role == "unit" and len(units) != 1:
        raise CwaError("serve.unit_needs_one")
    if role == "office" and units:
        raise CwaError("serve.office_no_units")
    valid_password(password)
    hashed = hash_password(password)
    with store.tx(write=True) as tx:
        tx.run("INSERT INTO users (name, role, password, created) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (name) DO NOTHING", name, role, hashed, time.time())
        if tx.rowcount == 0:
            raise CwaError("serve.user_exists", name=name)
        for unit in dict.fromkeys(units):
            tx.run("INSERT INTO user_units (name, unit) VALUES (?, ?)", name, unit)


def get(store: Store, name: str) -> User | None:
    with store.tx() as tx:
        row = tx.one("SELECT role FROM users WHERE name = ?", name)
        if row is None:
            return None
        units = tuple(r[0] for r in tx.run(
            "SELECT unit FROM user_units WHERE name = ? ORDER BY unit", name))
    return User(name, row[0], units)


def everyone(store: Store) -> list[User]:
    with store.tx() as tx:
        rows = tx.run("SELECT name, role FROM users ORDER BY name")
        links = tx.run("SELECT name, unit FROM user_units ORDER BY unit")
    units: dict[str, list[str]] = {}
    for name, unit in links:
        units.setdefault(name, []).append(unit)
    return [User(name, role, tuple(units.get(name, ()))) for name, role in rows]


def remove(store: Store, name: str) -> None:
    with store.tx(write=True) as tx:
        tx.run("DELETE FROM users WHERE name = ?", name)
        if tx.rowcount == 0:
            raise CwaError("serve.no_such_user", name=name)
        tx.run("DELETE FROM user_units WHERE name = ?", name)
        tx.run("DELETE FROM sessions WHERE name = ?", name)


def set_password(store: Store, name: str, password: str) -> None:
    valid_password(password)
    hashed = hash_password(password)
    with store.tx(write=True) as tx:
        tx.run("UPDATE users SET password = ? WHERE name = ?", hashed, name)
        if tx.rowcount == 0:
            raise CwaError("serve.no_such_user", name=name)
        tx.run("DELETE FROM sessions WHERE name = ?", name)  # signed out everywhere


def assign(store: Store, name: str, unit: str, on: bool) -> None:
    """Give an inspector a unit to score (``on``) or take it away."""
    with store.tx(write=True) as tx:
        row = tx.one("SELECT role FROM users WHERE name = ?", name)
        if row is None:
            raise CwaError("serve.no_such_user", name=name)
        if row[0] != "inspector":
            raise CwaError("serve.not_inspector", name=name)
        if on:
            tx.run("INSERT INTO user_units (name, unit) VALUES (?, ?) "
                   "ON CONFLICT (name, unit) DO NOTHING", name, unit)
        else:
            tx.run("DELETE FROM user_units WHERE name = ? AND unit = ?", name, unit)


def password_of(store: Store, name: str) -> str | None:
    with store.tx() as tx:
        row = tx.one("SELECT password FROM users WHERE name = ?", name)
    return row[0] if row else None


def rehash(store: Store, name: str, hashed: str) -> None:
    with store.tx(write=True) as tx:
        tx.run("UPDATE users SET password = ? WHERE name = ?", hashed, name)
