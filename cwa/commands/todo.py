"""``cwa todo [DIR] --owner 人教科``: one department's list of what it still has to hand in."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cwa import wording
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
from cwa.messages import t
from cwa.report import html, markdown, terminal
from cwa.report.output import write
from cwa.report.owners import by_owner


class TodoFormat(str, Enum):
    text = "text"
    md = "md"
    html = "html"


def register(app: typer.Typer) -> None:
    @app.command("todo", help=t("help.todo"))
    @guarded
    def todo(
        directory: Annotated[Path | None, dir_argument()] = None,
        owner: Annotated[str | None, typer.Option("--owner", help=t("help.owner"))] = None,
        rubric: Annotated[str | None, rubric_option()] = None,
        fmt: Annotated[TodoFormat, typer.Option("--format", "-f", help=t("help.format"))]
        = TodoFormat.text,
        output: Annotated[Path | None, typer.Option("--output", "-o", help=t("help.output"))]
        = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        directory = locate(directory, err)
        settings = archive_settings(directory, rubric, err)
        if owner is not None:
            known = sorted({o for i in settings.rubric.walk() for o in i.owners})
            if owner not in known:
                raise CwaError("todo.unknown_owner", owner=owner,
                               owners=wording.listing(known))
        report = run_check(directory, settings, str(directory))
        groups = by_owner(report.results, t("report.owner_unknown"))
        if owner is not None and owner not in groups:
            out.print(t("todo.none", owner=owner))
            raise typer.Exit(EXIT_OK)
        if fmt is TodoFormat.text and output is None:
            terminal.render_owners(report, out, owner)
            raise typer.Exit(EXIT_OK)
        text = (html.owner_page(report, owner) if fmt is TodoFormat.html
                else markdown.owner_lists(report, owner))
        if output is not None:
            write(output, text, directory)
            err.print(t("report.written", path=str(output)))
        else:
            out.file.write(text)
        raise typer.Exit(EXIT_OK)
