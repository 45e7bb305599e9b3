"""The units fanned out to worker processes, one unit at a time per worker; each returns
its row (or that its cached row still holds), never its report.

A unit whose archive or report cannot be read becomes a row with the reason: nothing a
unit holds stops the summary.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

from cwa import messages
from cwa.checks import periods
from cwa.config import FILENAME
from cwa.errors import CwaError
from cwa.messages import t
from cwa.readfile import read_bytes
from cwa.summary import pages
from cwa.summary.cache import Entry, RowCache, read_page, save_page, unit_key
from cwa.summary.discover import ARCHIVE, REPORT, UNREADABLE, Source
from cwa.summary.fingerprint import fingerprint, pack, unchanged
from cwa.summary.row import NotReadable, Row, is_check_report, row_of
from cwa.summary.unit import Rubrics, checked
from cwa.summary.unit import settings as unit_settings

#: A handed-in report larger than this is not read (a check of 100,000 files writes
#: about 60 MB).
REPORT_LIMIT = 512 * 2**20


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self) -> None: ...


class Hint(NamedTuple):
    """What a worker needs of a unit's cached entry to tell whether it still holds."""

    key: str
    rubric: str
    folders: bytes | None  # packed (``fingerprint.pack``)
    empty: list[str]
    unit: str


@dataclass(frozen=True)
class Task:
    source: Source
    hint: Hint | None
    pages: str | None  # the folder unit pages are written to (HTML output)


class Done(NamedTuple):
    row: Row | None  # None: the cached row holds (or, with ``skipped``, no unit)
    entry: Entry | None = None  # a new row to cache
    skipped: bool = False  # a JSON file that is no check report


@dataclass
class Counts:
    units: int = 0
    archives: int = 0
    reports: int = 0
    checked: int = 0  # archives checked in this run
    from_cache: int = 0
    unreadable: int = 0
    skipped: int = 0  # JSON files that are no check reports


@dataclass
class Outcome:
    rows: list[Row] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


def run(sources: list[Source], jobs: int, cache: RowCache | None = None,
        unit_pages: Path | None = None, progress: Progress | None = None) -> Outcome:
    """Every source's row, in the order of ``sources``."""
    cached = cache.load(s.absolute for s in sources) if cache is not None else {}
    tasks = [Task(s, _hint(cached.get(s.absolute)), str(unit_pages) if unit_pages else None)
             for s in sources]
    outcome = Outcome()
    new: dict[str, Entry] = {}
    replaced: dict[str, Entry] = {}
    if progress is not None:
        progress.start(len(tasks))
    state = (messages.current(), str(cache.folder) if cache is not None else None)
    for task, done in zip(tasks, _map(tasks, jobs, state), strict=True):
        if progress is not None:
            progress.advance()
        source = task.source
        if done.skipped:
            outcome.counts.skipped += 1
            continue
        row = done.row
        if row is None:  # the cached row holds
            row = dict(cached[source.absolute].row)
            row["from_cache"] = True
            outcome.counts.from_cache += 1
        else:
            row["from_cache"] = False
            if done.entry is not None:
                new[source.absolute] = done.entry
                if source.absolute in cached:
                    replaced[source.absolute] = cached[source.absolute]
            if source.kind == ARCHIVE and "error" not in row:
                outcome.counts.checked += 1
        row["source"] = {"kind": source.kind, "path": source.path}
        outcome.counts.units += 1
        outcome.counts.archives += source.kind == ARCHIVE
        outcome.counts.reports += source.kind == REPORT
        outcome.counts.unreadable += "error" in row
        outcome.rows.append(row)
    if cache is not None:
        cache.store(new, replaced)
    return outcome


def _hint(entry: Entry | None) -> Hint | None:
    if entry is None:
        return None
    return Hint(entry.key, entry.rubric, entry.folders,
                list(entry.row.get("empty_files") or []), str(entry.row.get("unit") or ""))


def _map(tasks: list[Task], jobs: int, state: tuple[str, str | None]) -> Iterator[Done]:
    """``work`` over the tasks, in worker processes when there are several of each; in
    order. fork where the system has it (workers start with everything imported)."""
    if jobs < 2 or len(tasks) < 2:
        _start(*state)
        yield from map(work, tasks)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(4, len(tasks) // (jobs * 8)))  # small: no worker idles at the end
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context,
                             initializer=_start, initargs=state) as pool:
        yield from pool.map(work, tasks, chunksize=chunk)


class _State:
    """A worker's own: its language, the cache folder (unit pages), rubrics it loaded."""

    lang = "zh"
    cache: RowCache | None = None
    rubrics = Rubrics()


def _start(lang: str, cache_folder: str | None) -> None:
    messages.set_lang(lang)
    _State.lang = lang
    _State.cache = RowCache(Path(cache_folder)) if cache_folder else None
    _State.rubrics = Rubrics()


def work(task: Task) -> Done:
    """One unit: its row, or that its cached row still holds. Never raises."""
    source = task.source
    try:
        if source.kind == UNREADABLE:
            return Done(unreadable(source, source.reason))
        if source.kind == REPORT:
            return _report(task)
        return _archive(task)
    except Exception as exc:  # a bug shown on its unit's row, not the end of the summary
        return Done(unreadable(source, t("summary.internal",
                                         error=f"{type(exc).__name__}: {exc}"[:300])))


def unreadable(source: Source, reason: str) -> Row:
    return {"unit": _guess(source), "error": reason}


def _guess(source: Source) -> str:
    path = Path(source.path)
    return (path.stem if source.kind == REPORT else path.resolve().name) or source.path


def _archive(task: Task) -> Done:
    archive = Path(task.source.path)
    month = periods.today().strftime("%Y-%m")  # which periods are due depends on it
    try:
        own: bytes | None = read_bytes(archive / FILENAME, FILENAME)
    except CwaError:
        own = None  # the check says why
    hint = task.hint
    if hint is not None and own is not None and hint.folders is not None:
        try:
            key = unit_key(month, own, hint.rubric, _State.rubrics.digest(Path(hint.rubric)))
            if key == hint.key and unchanged(archive, hint.folders) \
                    and _still_empty(archive, hint.empty) and _page_from_cache(task, key):
                return Done(None)
        except (OSError, CwaError):
            pass
    try:
        settings, rubric = unit_settings(archive, _State.rubrics)
        prints = fingerprint(archive)  # before the check: a change during it shows next time
        key = unit_key(month, own, str(rubric), _State.rubrics.digest(rubric))
        report, data = checked(archive, settings, task.source.path, prints)
    except CwaError as exc:
        return Done(unreadable(task.source, _reason(exc)))
    except OSError as exc:
        return Done(unreadable(task.source, exc.strerror or type(exc).__name__))
    row = row_of(data)
    folders = pack(prints.folders) if prints.complete else None
    if task.pages is not None:
        from cwa.report import html

        text = html.render(report)
        if _State.cache is not None and folders is not None:
            save_page(_State.cache.page(key, folders, _State.lang), text)
        pages.write(Path(task.pages) / pages.name(task.source.absolute, row["unit"]),
                    text.encode("utf-8", "backslashreplace"))
    return Done(row, Entry(key, str(rubric), folders, row) if own is not None else None)


def _still_empty(archive: Path, empty: list[str]) -> bool:
    """Are the files the check found empty (FL001) empty still? Filling one in place
    changes no folder (see ``fingerprint``)."""
    for rel in empty:
        try:
            if (archive / rel).lstat().st_size != 0:
                return False
        except OSError:
            return False
    return True


def _page_from_cache(task: Task, key: str) -> bool:
    """Write the unit page kept in the cache, if one is asked for; False when none is
    kept (the unit is checked again to make it)."""
    if task.pages is None:
        return True
    if _State.cache is None or task.hint is None:
        return False
    data = read_page(_State.cache.page(key, task.hint.folders, _State.lang))
    if data is None:
        return False
    pages.write(Path(task.pages) / pages.name(task.source.absolute, task.hint.unit), data)
    return True


def _report(task: Task) -> Done:
    path = Path(task.source.path)
    st = path.stat()
    key = unit_key(REPORT, task.source.absolute, st.st_size, st.st_mtime_ns)
    hint = task.hint
    if hint is not None and hint.key == key:
        if task.pages is not None:
            _copy_beside(path, task, hint.unit)
        return Done(None)
    try:
        data = json.loads(read_bytes(path, task.source.path, REPORT_LIMIT))
    except CwaError as exc:
        return Done(unreadable(task.source, _reason(exc)))
    except ValueError as exc:  # not JSON (or not UTF-8/16/32): damaged on the way
        return Done(unreadable(task.source, t("summary.not_json", error=str(exc)[:200])))
    if not is_check_report(data):  # another tool's JSON, or a summary's: not a unit
        return Done(None, skipped=True)
    try:
        row = row_of(data, path.stem)
    except NotReadable as exc:
        return Done(unreadable(task.source, t(exc.key, **exc.args_)))
    if task.pages is not None:
        _copy_beside(path, task, row["unit"])
    return Done(row, Entry(key, "", None, row))


def _copy_beside(report: Path, task: Task, unit: str) -> None:
    """A unit that hands in its HTML report beside its JSON (same name, ``.html``) gets
    it as its page."""
    beside = report.with_suffix(".html")
    if task.pages is not None and beside.is_file():
        pages.write(Path(task.pages) / pages.name(task.source.absolute, unit),
                    beside.read_bytes())


def _reason(exc: CwaError) -> str:
    """A user error as one line: a cwa.yaml or rubric with errors names the first few."""
    lines = exc.render().splitlines()
    return t("summary.reason_sep").join(lines[:3]) + (" …" if len(lines) > 3 else "")
