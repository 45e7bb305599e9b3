"""``cwa init [DIR]``: the nested folder tree of a rubric, and the archive's cwa.yaml.

A rubric of one's own (``--rubric FILE``) is copied into the archive, so that the archive
carries it wherever it goes; ``--embed`` does the same for an archive made before.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from cwa import config, journal
from cwa.apply import apply, ready
from cwa.commands.resume import set_aside
from cwa.commands.shared import (
    consoles,
    dir_argument,
    guarded,
    lang_option,
    locate,
    parse_years,
    rubric_option,
    show_problems,
    years_option,
)
from cwa.errors import CwaError
from cwa.messages import t
from cwa.plan import Mkdir, Operation, Replace, WriteFile, plan_init
from cwa.rubric import bundled
from cwa.rubric.model import Years
from cwa.yamlfile import read_text


def register(app: typer.Typer) -> None:
    @app.command("init", help=t("help.init"))
    @guarded
    def init(
        directory: Annotated[Path | None, dir_argument()] = None,
        rubric: Annotated[str | None, rubric_option()] = None,
        years: Annotated[str | None, years_option()] = None,
        notes: Annotated[bool, typer.Option("--notes/--no-notes", help=t("help.notes"))]
        = True,
        embed: Annotated[bool, typer.Option("--embed", help=t("help.embed"))] = False,
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help=t("help.dry_run"))]
        = False,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        directory = _target(directory, err)
        if directory.exists() and not directory.is_dir():
            raise CwaError("error.archive_not_dir", path=str(directory))
        if not dry_run:
            ready(directory)
        extra: list[Operation] = []
        existing = os.path.lexists(directory / config.FILENAME)
        if existing:
            cfg, _ = config.read(directory)  # its warnings are the settings' (below)
            if rubric is not None and not _same_rubric(directory, rubric, cfg.rubric):
                raise CwaError("error.init_other_rubric", path=str(directory / config.FILENAME),
                               current=cfg.rubric, wanted=rubric)
            ref = cfg.rubric
            if embed:
                extra = _embed(directory, cfg, out)
        else:
            ref, copy = config.rubric_for_new(directory, rubric or bundled.DEFAULT)
            if copy is not None:
                extra.append(WriteFile(config.RUBRIC_FILENAME, copy))
        settings = config.settings(directory, None if existing else rubric or bundled.DEFAULT,
                                   parse_years(years))
        show_problems(settings.warnings, err)
        chosen_years = settings.years or _default_years()
        plan = plan_init(directory, settings.rubric, ref, chosen_years, settings.naming, notes)
        operations = extra + plan.operations
        for rel in plan.left_alone:
            out.print(Text(t("init.left_alone", path=rel), style="yellow"))
        if dry_run:
            for op in operations:
                key = ("init.plan_mkdir" if isinstance(op, Mkdir) else
                       "init.plan_replace" if isinstance(op, Replace) else "init.plan_write")
                out.print(t(key, path=op.rel))
            out.print(t("init.dry_run_summary", count=len(operations)))
            return
        applied = apply(directory, operations, "init")
        set_aside(applied.set_aside, err)
        for op, reason in applied.skipped:
            err.print(Text(t("init.skipped", path=op.rel, reason=t(f"skip.{reason}")),
                           style="yellow"))
        folders = sum(isinstance(op, Mkdir) for op in applied.done)
        files = len(applied.done) - folders
        if not applied.done:
            if not applied.skipped:  # complete only when nothing was left undone
                out.print(t("init.nothing", path=str(directory)))
            return
        out.print(t("init.done", path=str(directory), folders=folders, files=files,
                    reused=len(plan.reused), rubric=settings.rubric.name,
                    years=str(chosen_years)))
        if any(op.rel == config.RUBRIC_FILENAME for op in applied.done):
            out.print(t("init.embedded", name=config.RUBRIC_FILENAME))
        out.print(t("init.next", path=str(directory)))


def _target(directory: Path | None, err: Console) -> Path:
    """Where to build: DIR, else the current folder's archive (as every command finds
    it). An archive is never made inside another one."""
    if directory is None:
        return locate(None, err)
    if not (directory / config.FILENAME).is_file():
        above = config.archive_of(directory if directory.exists() else directory.parent)
        if above is not None:
            raise CwaError("error.init_inside", path=str(directory), archive=str(above))
    return directory


def _same_rubric(archive: Path, wanted: str, current: str) -> bool:
    """``--rubric`` names the rubric cwa.yaml names: the same name, or a file with the
    same text (the one copied into the archive, say)."""
    if wanted == current:
        return True
    if bundled.is_bundled(wanted) or bundled.is_bundled(current):
        return False
    try:
        mine, _ = bundled.resolve(wanted)
        theirs, _ = bundled.resolve(current, archive)
        return read_text(mine, wanted).text == read_text(theirs, current).text
    except CwaError:
        return False


def _embed(archive: Path, cfg: config.Config, out: Console) -> list[Operation]:
    """Copy an outside rubric into the archive and point cwa.yaml at the copy."""
    if config.rubric_outside(archive, cfg) is None:
        out.print(t("init.embed_nothing", rubric=cfg.rubric))
        return []
    ref, copy = config.rubric_for_new(archive, cfg.rubric if Path(cfg.rubric).is_absolute()
                                      else str(archive / cfg.rubric))
    before = (archive / config.FILENAME).read_bytes()
    new = config.embedded_config(archive)
    operations: list[Operation] = [] if copy is None else [WriteFile(ref, copy)]
    operations.append(Replace(config.FILENAME, new.encode("utf-8"), journal.digest(before)))
    return operations


def _default_years() -> Years:
    """Three years of material, ending this year."""
    this = time.localtime().tm_year
    return Years(this - 2, this)
