"""``cwa check`` as a Python API: scan once, match, run the checks, build the report."""

from __future__ import annotations

import gc
import os
from pathlib import Path

from cwa import checks
from cwa.config import Settings
from cwa.errors import CwaError
from cwa.match import match
from cwa.report.model import Report, build
from cwa.scan import scan


def require_archive(archive: Path, shown: str | None = None) -> None:
    if not archive.exists():
        raise CwaError("error.archive_not_found", path=shown or str(archive))
    if not archive.is_dir():
        raise CwaError("error.archive_not_dir", path=shown or str(archive))


def check(archive: Path, settings: Settings, shown: str | None = None,
          jobs: int | None = None) -> Report:
    """Check ``archive`` against ``settings``; reads only, writes nothing anywhere.

    ``jobs``: worker processes for the indicators' folders (default: one per core)."""
    require_archive(archive, shown)
    gc.disable()  # ~100,000 long-lived small objects: cyclic GC passes would find nothing
    try:
        snapshot = scan(archive, deep=False)  # each indicator's folder is scanned by its check
        layout = match(settings.rubric, snapshot.tree, settings.naming)
        outcome = checks.run(snapshot, layout, settings.years, settings.naming,
                             jobs or os.cpu_count() or 1)
    finally:
        gc.enable()
    return build(shown or str(archive), settings.rubric, settings.years, outcome,
                 snapshot.files, snapshot.dirs)
