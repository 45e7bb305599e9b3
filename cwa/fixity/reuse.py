"""``cwa manifest --reuse``: take a digest from the previous manifest for a file whose size
and modification time are what they were when that manifest was made.

Fixity must not trust metadata, so this is only done when asked. The sizes and times are
kept in the user's cache folder (never in the archive), in a file named after the SHA-256
of the manifest they belong to: they apply to that manifest only, byte for byte, and are
dropped when it is replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from cwa.cachedir import directory

Stats = dict[str, tuple[int, int]]  # path → (size, mtime_ns)


def _file(manifest: bytes) -> Path:
    return directory() / "manifests" / f"{hashlib.sha256(manifest).hexdigest()}.json"


def remember(manifest: bytes, stats: Stats) -> None:
    """Keep what ``manifest`` was made from; a cache that cannot be written costs only time."""
    path = _file(manifest)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # ASCII JSON: names that are not UTF-8 (lone surrogates) go through as \udcXX
        temporary.write_text(json.dumps(stats), encoding="ascii")
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)


def recall(manifest: bytes) -> Stats:
    try:
        data = json.loads(_file(manifest).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return {}
    return {p: (int(v[0]), int(v[1])) for p, v in data.items()}


def forget(manifest: bytes) -> None:
    _file(manifest).unlink(missing_ok=True)
