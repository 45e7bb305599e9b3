"""``cwa catalog [DIR]``: the 归档文件目录 (DA/T 22-2015) as .xlsx, .docx or .csv."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from cwa import config, wording
from cwa.apply import ready
from cwa.check import check as run_check
from cwa.commands.shared import (
    archive_settings,
    consoles,
    dir_argument,
    guarded,
    lang_option,
    locate,
    rubric_option,
)
from cwa.errors import EXIT_OK, CwaError
from cwa.match import match
from cwa.messages import t
from cwa.office import catalog, convert
from cwa.report.output import deliver, write
from cwa.scan import scan

FORMATS = (".csv", ".xlsx", ".docx")


def register(app: typer.Typer) -> None:
    @app.command("catalog", help=t("help.catalog"))
    @guarded
    def make_catalog(
        directory: Annotated[Path | None, dir_argument()] = None,
        output: Annotated[Path | None, typer.Option("--output", "-o",
                                                    help=t("help.catalog_output"))] = None,
        pages: Annotated[bool, typer.Option("--pages", help=t("help.catalog_pages"))] = False,
        rubric: Annotated[str | None, rubric_option()] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help=t("help.dry_run"))]
        = False,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        directory = locate(directory, err)
        settings = archive_settings(directory, rubric, err)
        if output is not None and output.suffix.lower() not in FORMATS:
            raise CwaError("catalog.bad_format", path=str(output))
        inside = None if output is None else config.archive_of(
            output.parent if output.parent.exists() else output)
        if inside is not None and not dry_run:
            ready(inside)
        report = run_check(directory, settings, str(directory))  # its findings fill 备注
        layout = match(settings.rubric, scan(directory).tree, settings.naming)
        counts = None
        if pages:
            if convert.soffice() is None:
                err.print(Text(t("catalog.no_libreoffice"), style="yellow"))
            else:
                paged = [p for placement in layout.walk()
                         if placement.indicator.is_leaf and placement.folder is not None
                         for p in catalog.documents(directory, placement)
                         if p.suffix.lower() in convert.PAGED]
                err.print(t("catalog.counting", count=len(paged)))
                counts = convert.page_counts(paged)
        made = catalog.of_archive(directory, settings, layout, report.findings, counts)
        if made.duplicates:
            err.print(Text(t("catalog.duplicates", codes=wording.listing(made.duplicates[:5]),
                             count=len(made.duplicates)), style="yellow"))
        estimated = sum("页数为估计" in row.notes for row in made.rows)
        if estimated:
            err.print(t("catalog.estimated", count=estimated))
        title = t("catalog.title")
        if output is None:
            if not dry_run:
                sys.stdout.buffer.write(catalog.to_csv(made))
            raise typer.Exit(EXIT_OK)
        suffix = output.suffix.lower()
        if suffix == ".csv":
            data = catalog.to_csv(made)
        elif suffix == ".xlsx":
            data = catalog.to_xlsx(made, title)
        else:
            data = catalog.to_docx(made, title, output.stem)
        rows = len(made.rows)
        if dry_run:
            out.print(t("catalog.plan", path=str(output), rows=rows, groups=len(made.groups)))
            out.print(t("dry_run.nothing_written"))
            raise typer.Exit(EXIT_OK)
        if inside is not None:
            journal = deliver(output, data, "catalog")  # in an archive: journaled, never over
            out.print(t("catalog.done", path=str(output), rows=rows, groups=len(made.groups)))
            if journal is not None:
                out.print(t("album.undo", journal=str(journal)))
        else:
            write(output, data)  # elsewhere a catalogue is an output like a report
            out.print(t("catalog.done", path=str(output), rows=rows, groups=len(made.groups)))
        raise typer.Exit(EXIT_OK)
