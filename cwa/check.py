"""``cwa check`` as a Python API: scan once, match, run the checks, build the report."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cwa import checks, gcpause
from cwa.checks import periods
from cwa.checks.evidence import Context
from cwa.config import Settings, require_archive
from cwa.match import match
from cwa.report.model import Report, build, part_of
from cwa.rubric.model import Rubric, Years
from cwa.scan import scan

if TYPE_CHECKING:
    from cwa.checks.memo import Memo
    from cwa.deep import Progress

__all__ = ["check"]


def check(archive: Path, settings: Settings, shown: str | None = None,
          jobs: int | None = None, deep: bool = False, cache: bool = True,
          progress: Progress | None = None,
          part: Callable[[Report], Any] | None = None,
          meanwhile: Callable[[], object] | None = None) -> Report:
    """Check ``archive`` against ``settings``; writes nothing into the archive.

    ``jobs``: worker processes (default: chosen from the archive and the machine, see
    ``checks.workers``). ``deep``: open every file too (``cwa.deep``), with results
    cached in the user's cache folder unless ``cache`` is off. ``part``: a renderer of
    one top-level indicator's report (``report.model.part_of``), applied where that
    indicator was checked — in parallel, and without sending its findings back; the
    report then holds its renderings in ``Report.parts`` (ignored with ``deep``).
    ``meanwhile``: other work of the caller's, done in this process while the folders
    are checked in others (after them where there are none).
    """
    require_archive(archive, shown)
    with gcpause.paused():  # ~100,000 long-lived small objects: GC passes find nothing
        content = None
        if deep:  # the probes, their workers and their cache load only for --deep
            from cwa.cache import ProbeCache
            from cwa.deep import attach, inspect

            snapshot = scan(archive)  # the whole tree, once: the probes and checks read it
            probe_cache = ProbeCache() if cache else None
            try:
                content = inspect(archive, snapshot.tree, jobs or checks.processors(),
                                  probe_cache, progress)
            finally:
                if probe_cache is not None:
                    probe_cache.close()
        else:
            snapshot = scan(archive, deep=False)  # each indicator's folder: by its check
        layout = match(settings.rubric, snapshot.tree, settings.naming)
        ctx = Context(settings.years, settings.config.unit_types if settings.config else None,
                      periods.today())
        finish = None if deep or part is None else functools.partial(
            _finish, part, shown or str(archive), settings.rubric, settings.years)
        memo = _memo(archive, settings, ctx, shown, part) if cache and not deep else None
        outcome = checks.run(snapshot, layout, ctx, settings.naming, jobs,
                             content.facts if content else None, finish, scanned=deep,
                             memo=memo, meanwhile=meanwhile)
        if memo is not None:
            memo.close()
        if content is not None:
            outcome.findings += attach(content.findings, outcome.results)
    return build(shown or str(archive), settings.rubric, settings.years, outcome,
                 snapshot.files, snapshot.dirs,
                 (content.probed, content.cached) if content else None,
                 settings.config.vetoes if settings.config else {})


def _memo(archive: Path, settings: Settings, ctx: Context, shown: str | None,
          part: Callable[[Report], Any] | None) -> Memo:
    """The remembered parts of this archive's folders, for this report and settings:
    everything a part is made from but the folder's listing. Of today's date only the
    month counts: which periods are due depends on it (``periods.due``), not on the day."""
    from cwa import messages
    from cwa.checks.memo import Memo
    from cwa.checks.memo import settings as digest

    kind = "full" if part is None else f"{part.__module__}.{part.__qualname__}"
    made_with = digest(messages.current(), str(archive.resolve()), shown, kind,
                       ctx._replace(today=ctx.now.replace(day=1)), settings.naming,
                       settings.rubric,
                       settings.years)
    memo = Memo(archive, kind, made_with)
    memo.load()
    return memo


def _finish(part: Callable[[Report], Any], archive: str, rubric: Rubric, years: Years | None,
            checked: checks.Part) -> Any:
    return part(part_of(archive, rubric, years, checked.result, checked.findings))
