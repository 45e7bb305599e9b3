"""``cwa check [DIR]``: what evidence is missing, misnamed, misplaced — writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cwa import config
from cwa.check import check as run_check
from cwa.check import require_archive
from cwa.cli import (
    FailOn,
    Format,
    consoles,
    dir_argument,
    guarded,
    lang_option,
    rubric_option,
    show_problems,
    years_option,
)
from cwa.errors import EXIT_FINDINGS, EXIT_OK, CwaError
from cwa.findings import at_least
from cwa.messages import t
from cwa.report import model, terminal
from cwa.rubric.load import years_from_text
from cwa.rubric.model import Years


def parse_years(value: str | None) -> Years | None:
    if value is None:
        return None
    years = years_from_text(value)
    if years is None:
        raise CwaError("error.bad_years_option", value=value)
    return years


def register(app: typer.Typer) -> None:
    @app.command("check", help=t("help.check"))
    @guarded
    def check(
        directory: Annotated[Path, dir_argument()] = Path(),
        rubric: Annotated[str | None, rubric_option()] = None,
        years: Annotated[str | None, years_option()] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f", help=t("help.format"))]
        = Format.text,
        fail_on: Annotated[FailOn, typer.Option("--fail-on", help=t("help.fail_on"))]
        = FailOn.error,
        jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=t("help.jobs"))]
        = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        require_archive(directory)
        settings = config.settings(directory, rubric, parse_years(years))
        show_problems(settings.warnings, err)
        report = run_check(directory, settings, str(directory), jobs)
        if fmt is Format.json:
            # compact: indent= would force json's pure-Python encoder (several times slower)
            out.file.write(json.dumps(model.to_dict(report), ensure_ascii=False))
            out.file.write("\n")
        else:
            terminal.render(report, out)
        failing = [] if fail_on is FailOn.never else at_least(report.findings, fail_on.value)
        raise typer.Exit(EXIT_FINDINGS if failing else EXIT_OK)
