"""``cwa check`` as a Python API: scan once, match, run the checks, build the report."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import TYPE_CHECKING

from cwa import checks
from cwa.checks import periods
from cwa.checks.evidence import Context
from cwa.config import Settings
from cwa.errors import CwaError
from cwa.match import match
from cwa.report.model import Report, build
from cwa.scan import scan

if TYPE_CHECKING:
    from cwa.deep import Progress


def require_archive(archive: Path, shown: str | None = None) -> None:
    if not archive.exists():
        raise CwaError("error.archive_not_found", path=shown or str(archive))
    if not archive.is_dir():
        raise CwaError("error.archive_not_dir", path=shown or str(archive))


def check(archive: Path, settings: Settings, shown: str | None = None,
          jobs: int | None = None, deep: bool = False, cache: bool = True,
          progress: Progress | None = None) -> Report:
    """Check ``archive`` against ``settings``; writes nothing into the archive.

    ``jobs``: worker processes (default: one per core). ``deep``: open every file too
    (``cwa.deep``), with results cached in the user's cache folder unless ``cache`` is off.
    """
    require_archive(archive, shown)
    workers = jobs or os.cpu_count() or 1
    gc.disable()  # ~100,000 long-lived small objects: cyclic GC passes would find nothing
    try:
        content = None
        if deep:  # the probes, their workers and their cache load only for --deep
            from cwa.cache import ProbeCache
            from cwa.deep import attach, inspect

            probe_cache = ProbeCache() if cache else None
            try:
                content = inspect(archive, scan(archive).tree, workers, probe_cache, progress)
            finally:
                if probe_cache is not None:
                    probe_cache.close()
        snapshot = scan(archive, deep=False)  # each indicator's folder is scanned by its check
        layout = match(settings.rubric, snapshot.tree, settings.naming)
        ctx = Context(settings.years, settings.config.unit_types if settings.config else None,
                      periods.today())
        outcome = checks.run(snapshot, layout, ctx, settings.naming, workers,
                             content.facts if content else None)
        if content is not None:
            outcome.findings += attach(content.findings, outcome.results)
    finally:
        gc.enable()
    return build(shown or str(archive), settings.rubric, settings.years, outcome,
                 snapshot.files, snapshot.dirs,
                 (content.probed, content.cached) if content else None,
                 settings.config.vetoes if settings.config else {})
