"""``cwa init [DIR]``: the nested folder tree of a rubric, and the archive's cwa.yaml."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from cwa import config
from cwa.apply import apply, ready
from cwa.cli import (
    consoles,
    dir_argument,
    guarded,
    lang_option,
    rubric_option,
    show_problems,
    years_option,
)
from cwa.commands.check import parse_years
from cwa.commands.resume import set_aside
from cwa.errors import CwaError
from cwa.messages import t
from cwa.plan import Mkdir, plan_init
from cwa.rubric import bundled
from cwa.rubric.model import Years


def rubric_ref_for(archive: Path, ref: str) -> str:
    """How cwa.yaml names the rubric: a bundled name, or a path relative to the archive."""
    if bundled.is_bundled(ref):
        return ref
    path, _ = bundled.resolve(ref)
    return Path(os.path.relpath(path.resolve(), archive.resolve())).as_posix()


def register(app: typer.Typer) -> None:
    @app.command("init", help=t("help.init"))
    @guarded
    def init(
        directory: Annotated[Path, dir_argument()] = Path(),
        rubric: Annotated[str | None, rubric_option()] = None,
        years: Annotated[str | None, years_option()] = None,
        notes: Annotated[bool, typer.Option("--notes/--no-notes", help=t("help.notes"))]
        = True,
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help=t("help.dry_run"))]
        = False,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        if directory.exists() and not directory.is_dir():
            raise CwaError("error.archive_not_dir", path=str(directory))
        if not dry_run:
            ready(directory)
        existing = os.path.lexists(directory / config.FILENAME)
        if existing:
            cfg, warnings = config.read(directory)
            show_problems(warnings, err)
            if rubric is not None and rubric != cfg.rubric:
                raise CwaError("error.init_other_rubric", path=str(directory / config.FILENAME),
                               current=cfg.rubric, wanted=rubric)
            ref = cfg.rubric
        else:
            ref = rubric_ref_for(directory, rubric or bundled.DEFAULT)
        settings = config.settings(directory, None if existing else rubric or bundled.DEFAULT,
                                   parse_years(years))
        show_problems(settings.warnings, err)
        chosen_years = settings.years or _default_years()
        plan = plan_init(directory, settings.rubric, ref, chosen_years, settings.naming, notes)
        for rel in plan.left_alone:
            out.print(Text(t("init.left_alone", path=rel), style="yellow"))
        if dry_run:
            for op in plan.operations:
                key = "init.plan_mkdir" if isinstance(op, Mkdir) else "init.plan_write"
                out.print(t(key, path=op.rel))
            out.print(t("init.dry_run_summary", count=len(plan.operations)))
            return
        applied = apply(directory, plan.operations, "init")
        set_aside(applied.set_aside, err)
        for op, reason in applied.skipped:
            err.print(Text(t("init.skipped", path=op.rel, reason=t(f"skip.{reason}")),
                           style="yellow"))
        folders = sum(isinstance(op, Mkdir) for op in applied.done)
        files = len(applied.done) - folders
        if not applied.done:
            if not applied.skipped:  # complete only when nothing was left undone
                out.print(t("init.nothing", path=str(directory)))
        else:
            out.print(t("init.done", path=str(directory), folders=folders, files=files,
                        reused=len(plan.reused), rubric=settings.rubric.name,
                        years=str(chosen_years)))
            out.print(t("init.next", path=str(directory)))


def _default_years() -> Years:
    """Three years of material, ending this year."""
    this = time.localtime().tm_year
    return Years(this - 2, this)
