"""Where the units are: every archive (a folder with cwa.yaml) under the roots, and every
check report (``*.json``) lying outside archives, as units hand them in.

An archive is not descended into once found (an archive inside another is not a unit of
its own); links are never followed, so a loop cannot trap the walk and nothing outside
the roots is read; cwa's and version control's own folders are skipped. A folder that
cannot be read becomes a source of its own, shown as a row with the reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cwa.config import FILENAME
from cwa.errors import CwaError
from cwa.scan import SKIPPED_DIRS

ARCHIVE, REPORT, UNREADABLE = "archive", "report", "unreadable"


@dataclass(frozen=True)
class Source:
    kind: str  # ARCHIVE | REPORT | UNREADABLE
    path: str  # as found below the root given (for people)
    absolute: str  # the cache's key
    reason: str = ""  # UNREADABLE: the system's words

    @staticmethod
    def at(kind: str, path: str, reason: str = "") -> Source:
        return Source(kind, path, absolute(path), reason)


def absolute(path: str) -> str:
    """The path from the root of the file system, links left as they are (the key under
    which a unit's row is cached, and its page named)."""
    return os.path.abspath(path)  # noqa: PTH100 - resolve() would follow links


def discover(roots: list[Path]) -> list[Source]:
    """The sources under ``roots``, each once, in path order. A root that is missing, or
    neither a folder nor a ``.json`` file, is a usage error."""
    found: dict[str, Source] = {}
    for root in roots:
        shown = str(root)
        if not root.exists() and not root.is_symlink():
            raise CwaError("error.summary_root_missing", path=shown)
        if root.is_file():
            if not shown.lower().endswith(".json"):
                raise CwaError("error.summary_root_kind", path=shown)
            source = Source.at(REPORT, shown)
            found.setdefault(source.absolute, source)
            continue
        if not root.is_dir():  # a root given is followed even if it is a link
            raise CwaError("error.summary_root_kind", path=shown)
        for source in _walk(shown):
            found.setdefault(source.absolute, source)
    return sorted(found.values(), key=lambda s: s.path)


def _walk(root: str) -> list[Source]:
    out: list[Source] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            out.append(Source.at(UNREADABLE, folder, exc.strerror or type(exc).__name__))
            continue
        if any(e.name == FILENAME for e in entries):
            out.append(Source.at(ARCHIVE, folder))
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIPPED_DIRS:
                        stack.append(entry.path)
                elif entry.name.lower().endswith(".json") and \
                        entry.is_file(follow_symlinks=False):
                    out.append(Source.at(REPORT, entry.path))
            except OSError as exc:
                out.append(Source.at(UNREADABLE, entry.path,
                                     exc.strerror or type(exc).__name__))
    return out
