"""The units a server shows: which folders under its root are archives, and their checks.

Discovery is one small function, ``find_archives``: a folder holding ``cwa.yaml`` is an
archive; the walk never descends into an archive (its sub-folders are its indicators),
never follows a link, and skips tool and hidden folders. ``Registry`` keeps what was
found and each unit's last check for a few seconds, so a page that lists fifty units
does not check fifty archives on every load, while a unit's own page is checked live.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cwa import config
from cwa.errors import CwaError, InvalidFile
from cwa.naming import natural_key
from cwa.printable import printable, repaired, undecodable
from cwa.report.model import Report
from cwa.scan import SKIPPED_DIRS

log = logging.getLogger("cwa.serve")

#: How deep below the root an archive may sit (区 / 街道 / 单位 is three).
MAX_DEPTH = 6
#: Seconds a discovery and a unit's check are reused before the disk is read again.
RESCAN_SECONDS = 30.0
CHECK_SECONDS = 30.0
#: A unit's own page asks for a live check, but two loads within this are one check.
LIVE_SECONDS = 2.0


@dataclass(frozen=True)
class Unit:
    """One archive under the root. ``key`` names it everywhere (URLs, accounts, scores):
    its path below the root with ``/``, or the folder's own name when the root is the
    archive. A name that is not UTF-8 on disk has its bytes written ``%XX`` in the key."""

    key: str
    path: Path
    parts: tuple[str, ...]  # the key's components as on disk (for URLs)

    @property
    def shown(self) -> str:
        return printable(self.key)

    @property
    def title(self) -> str:
        """Its name as people read it: a folder name that is not UTF-8 by its GB18030
        reading (the key keeps the bytes)."""
        return "/".join(repaired(p) for p in self.parts)


def _is_config(folder: str) -> bool:
    try:
        st = os.lstat(Path(folder, config.FILENAME))
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode)


def find_archives(root: Path) -> list[Path]:
    """Every archive at or below ``root``: a folder with ``cwa.yaml`` (a regular file, not
    a link). Never descends into an archive, never follows a link, skips ``.cwa``, version
    control and hidden folders; in natural order of their paths. The one function the
    server asks; swap it for another discovery with the same contract."""
    top = os.fspath(root)
    if _is_config(top):
        return [root]
    found: list[Path] = []
    pending: list[tuple[str, int]] = [(top, 0)]
    while pending:
        folder, depth = pending.pop()
        try:
            with os.scandir(folder) as it:
                entries = [e for e in it if e.is_dir(follow_symlinks=False)]
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name in SKIPPED_DIRS:
                continue
            if _is_config(entry.path):
                found.append(Path(entry.path))
            elif depth + 1 < MAX_DEPTH:
                pending.append((entry.path, depth + 1))
    return sorted(found, key=lambda p: natural_key(p.relative_to(root).as_posix()))


def key_of(parts: tuple[str, ...]) -> str:
    rel = "/".join(parts)
    if undecodable(rel):
        return urllib.parse.quote(os.fsencode(rel), safe="/")
    return rel


def units_of(root: Path, finder: Callable[[Path], list[Path]] = find_archives) -> list[Unit]:
    out = []
    for path in finder(root):
        parts = (root.resolve().name or "archive",) if path == root \
            else path.relative_to(root).parts
        out.append(Unit(key_of(parts), path, parts))
    return out


@dataclass(frozen=True)
class Checked:
    """A unit's last check: its report, or the message that says why there is none."""

    report: Report | None
    error: str | None
    at: float
    name: str  # the unit's name: cwa.yaml's catalog.unit, else its folder's (``title``)


class Registry:
    """The root's units and their checks, kept for a few seconds; safe across threads.
    Checks run one at a time (each is quick, and the server's threads share the cores)."""

    def __init__(self, root: Path, finder: Callable[[Path], list[Path]] = find_archives
                 ) -> None:
        self.root = root
        self.finder = finder
        self._units: list[Unit] = []
        self._found_at = 0.0
        self._checks: dict[str, Checked] = {}
        self._lock = threading.Lock()
        self._checking = threading.Lock()

    def units(self) -> list[Unit]:
        with self._lock:
            if not self._units or time.monotonic() - self._found_at > RESCAN_SECONDS:
                self._units = units_of(self.root, self.finder)
                self._found_at = time.monotonic()
            return list(self._units)

    def unit(self, key: str) -> Unit | None:
        return next((u for u in self.units() if u.key == key), None)

    def checked(self, unit: Unit, live: bool = False) -> Checked:
        """The unit's check: a fresh one when ``live`` (or when the last is old)."""
        limit = LIVE_SECONDS if live else CHECK_SECONDS
        last = self._checks.get(unit.key)
        if last is not None and time.monotonic() - last.at <= limit:
            return last
        with self._checking:
            last = self._checks.get(unit.key)
            if last is not None and time.monotonic() - last.at <= limit:
                return last
            result = _check(unit)
            self._checks[unit.key] = result
            return result


def _check(unit: Unit) -> Checked:
    from cwa.check import check

    try:
        settings = config.settings(unit.path)
        report = check(unit.path, settings, shown=unit.key, jobs=1)
    except InvalidFile as exc:
        return Checked(None, "\n".join(p.render() for p in exc.problems), time.monotonic(),
                       unit.title)
    except CwaError as exc:
        return Checked(None, exc.render(), time.monotonic(), unit.title)
    except Exception:  # a bug in a check must not take the server down: logged, shown
        log.exception("checking %s failed", unit.shown)
        from cwa.messages import t

        return Checked(None, t("serve.check_failed"), time.monotonic(), unit.title)
    name = settings.config.catalog_unit if settings.config and settings.config.catalog_unit \
        else unit.title
    return Checked(report, None, time.monotonic(), name)
