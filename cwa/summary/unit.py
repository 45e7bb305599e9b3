"""One unit's archive: its settings (each rubric loaded once per process), what it says
about itself (name, type, last change, fixity), and its check as JSON.

``describe`` is also what ``cwa check --format json`` puts in its ``unit`` block, so a
report a unit hands in carries what the summary would have read from its folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

from cwa import config
from cwa.check import check
from cwa.config import Settings
from cwa.errors import Problem
from cwa.readfile import read_bytes
from cwa.report.model import Report, to_dict
from cwa.rubric import bundled
from cwa.rubric.model import Rubric
from cwa.summary import fixity
from cwa.summary.fingerprint import Fingerprint, fingerprint


class Rubrics:
    """Rubrics loaded once per process (500 units on one rubric load it once), told
    apart by their content and by how the archive names them (``origin``)."""

    def __init__(self) -> None:
        self._loaded: dict[tuple[str, str], tuple[Rubric, list[Problem]]] = {}
        self._digests: dict[tuple[str, int, int], str] = {}
        self._bundled: dict[str, tuple[Path, str]] = {}

    def digest(self, path: Path) -> str:
        st = path.stat()
        key = (str(path), st.st_size, st.st_mtime_ns)
        found = self._digests.get(key)
        if found is None:
            found = hashlib.blake2b(read_bytes(path, str(path)), digest_size=20).hexdigest()
            self._digests[key] = found
        return found

    def resolve(self, ref: str, archive: Path) -> tuple[Path, str]:
        """``bundled.resolve``; a bundled name's answer kept (it is the same for all)."""
        found = self._bundled.get(ref)
        if found is None:
            found = bundled.resolve(ref, archive)
            if bundled.is_bundled(ref):
                self._bundled[ref] = found
        return found

    def load(self, path: Path, shown: str) -> tuple[Rubric, list[Problem]]:
        key = (shown, self.digest(path))
        found = self._loaded.get(key)
        if found is None:
            from cwa.rubric import load  # PyYAML only when a rubric is parsed

            found = load.load(path, shown)
            self._loaded[key] = found
        return found


def settings(archive: Path, rubrics: Rubrics) -> tuple[Settings, Path]:
    """``config.settings(archive)`` for an archive with cwa.yaml (no ``--rubric`` or
    ``--years``), its rubric from ``rubrics``; and the rubric's file."""
    found, warnings = config.read(archive)
    path, shown = rubrics.resolve(found.rubric, archive)
    rubric, more = rubrics.load(path, shown)
    config.verify(found, rubric, str(archive / config.FILENAME))
    return Settings(rubric, found.years or rubric.years, found.naming or rubric.naming,
                    (*warnings, *more), found), path


def name(archive: Path, found: config.Config | None) -> str:
    """The unit's name: cwa.yaml's ``catalog.unit`` (the 责任者 of the catalogue), else
    its ``catalog.fonds_name`` (全宗名称), else the archive folder's name."""
    if found is not None:
        if found.catalog_unit:
            return found.catalog_unit
        cover = dict(found.catalog_cover)
        if cover.get("fonds_name"):
            return cover["fonds_name"]
    return archive.resolve().name


def describe(archive: Path, settings_: Settings, prints: Fingerprint | None = None
             ) -> dict[str, Any]:
    """What a unit's JSON says about the unit itself: name, type, when its archive
    last changed (its newest folder: see ``fingerprint``) and its fixity."""
    if prints is None:
        try:
            prints = fingerprint(archive)
        except Exception:  # the unit's last change unknown: never the check's failure
            prints = None
    found = settings_.config
    return {
        "name": name(archive, found),
        "types": list(found.unit_types) if found and found.unit_types else None,
        "last_change": moment(prints.newest_ns) if prints else None,
        "verify": fixity.status(archive),
    }


def moment(ns: int) -> str:
    """A modification time as ISO 8601, local, with its offset, to the second."""
    return datetime.fromtimestamp(ns / 1e9).astimezone().isoformat(timespec="seconds")


def checked(archive: Path, settings_: Settings, shown: str, prints: Fingerprint | None
            ) -> tuple[Report, dict[str, Any]]:
    """Check the archive in this process (one unit per worker) and describe it: the
    report, and its JSON as ``cwa check --format json`` writes it. The summary keeps
    its own cache of rows (``summary.cache``): the check's parts are not remembered."""
    report = check(archive, settings_, shown, jobs=1, cache=False)
    report = dataclasses.replace(report, unit=describe(archive, settings_, prints))
    return report, to_dict(report)
