"""``cwa catalog [DIR]``: the 归档文件目录 (DA/T 22) as .xlsx, .docx or .csv."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cwa import config
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
from cwa.office import catalog
from cwa.report.output import deliver, write
from cwa.scan import scan


def register(app: typer.Typer) -> None:
    @app.command("catalog", help=t("help.catalog"))
    @guarded
    def make_catalog(
        directory: Annotated[Path | None, dir_argument()] = None,
        output: Annotated[Path | None, typer.Option("--output", "-o",
                                                    help=t("help.catalog_output"))] = None,
        rubric: Annotated[str | None, rubric_option()] = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        directory = locate(directory, err)
        settings = archive_settings(directory, rubric, err)
        layout = match(settings.rubric, scan(directory).tree, settings.naming)
        cfg = settings.config
        groups = catalog.build(directory, layout, cfg.catalog_code if cfg else None,
                               cfg.catalog_unit if cfg else None)
        title = t("catalog.title")
        if output is None:
            sys.stdout.buffer.write(catalog.to_csv(groups))
            raise typer.Exit(EXIT_OK)
        suffix = output.suffix.lower()
        if suffix == ".csv":
            data = catalog.to_csv(groups)
        elif suffix == ".xlsx":
            data = catalog.to_xlsx(groups, title)
        elif suffix == ".docx":
            data = catalog.to_docx(groups, title, output.stem)
        else:
            raise CwaError("catalog.bad_format", path=str(output))
        rows = sum(len(g.rows) for g in groups)
        if config.archive_of(output.parent if output.parent.exists() else output) is not None:
            deliver(output, data, "catalog")  # inside an archive: journaled, never over a file
        else:
            write(output, data)  # elsewhere a catalogue is an output like a report
        out.print(t("catalog.done", path=str(output), rows=rows, groups=len(groups)))
        raise typer.Exit(EXIT_OK)

