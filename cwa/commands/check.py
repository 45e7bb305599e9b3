"""``cwa check [DIR]``: what evidence is missing, misnamed, misplaced — writes nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from cwa import config
from cwa.check import check as run_check
from cwa.commands.progress import FilesBar
from cwa.commands.shared import (
    By,
    FailOn,
    Format,
    archive_settings,
    consoles,
    dir_argument,
    guarded,
    lang_option,
    locate,
    parse_years,
    rubric_option,
    years_option,
)
from cwa.errors import EXIT_FINDINGS, EXIT_OK, CwaError
from cwa.findings import RANK, SEVERITIES
from cwa.messages import t
from cwa.report.model import Report, json_chunks, json_part
from cwa.report.output import emit, render, write


def register(app: typer.Typer) -> None:
    @app.command("check", help=t("help.check"))
    @guarded
    def check(
        directory: Annotated[Path | None, dir_argument()] = None,
        rubric: Annotated[str | None, rubric_option()] = None,
        years: Annotated[str | None, years_option()] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f", help=t("help.format"))]
        = Format.text,
        fail_on: Annotated[FailOn, typer.Option("--fail-on", help=t("help.fail_on"))]
        = FailOn.error,
        jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=t("help.jobs"))]
        = None,
        deep: Annotated[bool, typer.Option("--deep", help=t("help.deep"))] = False,
        no_cache: Annotated[bool, typer.Option("--no-cache", help=t("help.no_cache"))] = False,
        output: Annotated[Path | None, typer.Option("--output", "-o", help=t("help.output"))]
        = None,
        allow_inside: Annotated[bool, typer.Option("--allow-inside",
                                                   help=t("help.allow_inside"))] = False,
        by: Annotated[By | None, typer.Option("--by", help=t("help.by"))] = None,
        max_warnings: Annotated[int | None, typer.Option("--max-warnings", min=0,
                                                         help=t("help.max_warnings"))] = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        directory = locate(directory, err)
        settings = archive_settings(directory, rubric, err, parse_years(years),
                                    show=fmt is not Format.github, cache=not no_cache)
        if fmt is Format.github:  # CI: the rubric's and cwa.yaml's warnings as annotations
            from cwa.report import github

            out.file.write(github.problems(settings.warnings))
        outside = config.rubric_outside(directory, settings.config)
        if outside is not None and rubric is None:
            err.print(Text(t("rubric.outside", ref=outside, path=str(directory),
                             name=config.RUBRIC_FILENAME), style="yellow"))
        # JSON and the text report are rendered where each top-level indicator is checked
        part: Callable[[Report], Any] | None = None
        if fmt is Format.json:
            part = json_part
        elif fmt is Format.text and by is None:
            from cwa.report import terminal

            part = terminal.plain_part if output is not None or terminal.plain(out) \
                else terminal.styled_part
        unit: list[dict[str, Any]] = []  # the unit's name, type, last change: for summary
        meanwhile = None
        if fmt is Format.json:
            from cwa.summary.unit import describe

            def meanwhile() -> None:  # a walk of the folders, while workers check them
                unit.append(describe(directory, settings))

        with FilesBar(err, t("progress.deep"), deep) as progress:
            report = run_check(directory, settings, str(directory), jobs, deep, not no_cache,
                               progress, part, meanwhile)
        if unit:
            report = dataclasses.replace(report, unit=unit[0])
        if fmt is Format.xlsx:
            if output is None:
                raise CwaError("error.xlsx_needs_output")
            from cwa.report import xlsx

            write(output, xlsx.render(report), directory, allow_inside)
            err.print(t("report.written", path=str(output)))
        elif by is By.owner and fmt is Format.text:
            from cwa.report import terminal

            terminal.render_owners(report, out, None)
        elif output is not None:
            document = json_chunks(report) if fmt is Format.json else render(report,
                                                                              fmt.value)
            write(output, document, directory, allow_inside)
            err.print(t("report.written", path=str(output)))
        elif fmt is Format.text:
            from cwa.report import terminal

            terminal.render(report, out)
        elif fmt is Format.json:
            emit(out.file, json_chunks(report))
        else:
            out.file.write(render(report, fmt.value))
        raise typer.Exit(exit_code(report, fail_on, max_warnings))


def exit_code(report: Report, fail_on: FailOn, max_warnings: int | None) -> int:
    """1 when findings reach ``--fail-on``, or warnings exceed ``--max-warnings``."""
    counts = report.summary.severities  # every finding, rendered where it was or not
    failing = fail_on is not FailOn.never and any(
        counts.get(level, 0) for level in SEVERITIES if RANK[level] >= RANK[fail_on.value])
    too_many = max_warnings is not None and report.summary.severities["warning"] > max_warnings
    return EXIT_FINDINGS if failing or too_many else EXIT_OK
