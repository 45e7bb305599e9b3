"""Each unit's own HTML report, written beside the summary's HTML page in a folder of its
own (``汇总.html`` → ``汇总-units/``), for the summary to link to: the drill-down."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cwa.naming import sanitize
from cwa.printable import repaired


def folder(output: Path) -> Path:
    """Where the unit pages of the summary page ``output`` go."""
    return output.with_name(f"{output.stem}-units")


def name(source: str, unit: str) -> str:
    """A unit page's file name: the unit's name (made safe on every system, short) and
    a digest of where the unit came from, so that two units of one name never clash."""
    tag = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return f"{sanitize(repaired(unit))[:40] or 'unit'}-{tag}.html"  # valid Unicode: a link


def write(path: Path, data: bytes) -> None:
    """Written whole to a temporary file, then renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
