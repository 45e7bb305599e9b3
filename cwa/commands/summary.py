"""``cwa summary ROOT…``: many units' archives — or the reports they handed in — at once:
ranked per rubric, with each top-level indicator's completeness. Writes nothing into
any archive."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cwa import config, wording
from cwa.commands.progress import FilesBar
from cwa.commands.shared import consoles, guarded, lang_option
from cwa.errors import EXIT_FINDINGS, EXIT_OK, CwaError
from cwa.messages import t
from cwa.report.output import write
from cwa.summary import model, pages
from cwa.summary.discover import discover
from cwa.summary.model import Filters, Sort, Summary
from cwa.summary.run import run


class SummaryFormat(str, Enum):
    text = "text"
    json = "json"
    md = "md"
    html = "html"
    xlsx = "xlsx"  # needs --output


def register(app: typer.Typer) -> None:
    @app.command("summary", help=t("help.summary"))
    @guarded
    def summary(
        roots: Annotated[list[Path] | None, typer.Argument(
            help=t("help.summary_roots"), show_default=False,
            metavar=t("metavar.summary_roots"))] = None,
        fmt: Annotated[SummaryFormat, typer.Option("--format", "-f",
                                                   help=t("help.summary_format"))]
        = SummaryFormat.text,
        output: Annotated[Path | None, typer.Option("--output", "-o",
                                                    help=t("help.summary_output"))] = None,
        jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1,
                                                 help=t("help.summary_jobs"))] = None,
        no_cache: Annotated[bool, typer.Option("--no-cache",
                                               help=t("help.summary_no_cache"))] = False,
        sort: Annotated[Sort, typer.Option("--sort", help=t("help.summary_sort"))]
        = Sort.rank,
        unit_type: Annotated[str | None, typer.Option("--unit-type",
                                                      help=t("help.summary_unit_type"))]
        = None,
        indicator: Annotated[str | None, typer.Option("--indicator",
                                                      help=t("help.summary_indicator"))]
        = None,
        below: Annotated[float | None, typer.Option("--below", min=0,
                                                    help=t("help.summary_below"))] = None,
        behind: Annotated[int | None, typer.Option("--behind", min=1,
                                                   help=t("help.summary_behind"))] = None,
        name: Annotated[str | None, typer.Option("--name", help=t("help.summary_name"))]
        = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        if fmt is SummaryFormat.xlsx and output is None:
            raise CwaError("error.summary_xlsx_needs_output")
        if output is not None and output.resolve().parent.is_dir() \
                and config.archive_of(output.resolve().parent) is not None:
            raise CwaError("error.summary_output_inside", path=str(output))
        given = roots or [Path()]
        sources = discover(given)
        if not sources:
            raise CwaError("error.summary_nothing",
                           roots=wording.listing(str(r) for r in given))
        cache = None
        if not no_cache:
            from cwa.summary.cache import RowCache

            cache = RowCache()
        unit_pages = pages.folder(output) if fmt is SummaryFormat.html and output else None
        with FilesBar(err, t("progress.summary")) as bar:
            outcome = run(sources, jobs or os.cpu_count() or 1, cache, unit_pages, bar)
        filters = Filters(unit_type, indicator, below, behind, name)
        result = model.build(outcome, [str(r) for r in given], sort, filters)
        if indicator is not None and not any(i["code"] == indicator for g in result.groups
                                             for i in g.indicators):
            raise CwaError("error.summary_unknown_indicator", code=indicator)
        _emit(result, fmt, output, out, err)
        if outcome.counts.skipped:
            err.print(t("summary.skipped", count=outcome.counts.skipped))
        raise typer.Exit(EXIT_FINDINGS if outcome.counts.unreadable else EXIT_OK)


def _emit(result: Summary, fmt: SummaryFormat, output: Path | None, out: Console,
          err: Console) -> None:
    if fmt is SummaryFormat.text and output is None:
        from cwa.summary import terminal

        terminal.render(result, out)
        return
    content: str | bytes
    if fmt is SummaryFormat.json:
        from cwa.report.model import dumps

        content = dumps(model.to_dict(result))
    elif fmt is SummaryFormat.md:
        from cwa.summary import markdown

        content = markdown.render(result)
    elif fmt is SummaryFormat.html:
        from cwa.summary import html

        content = html.render(result, output)
    elif fmt is SummaryFormat.xlsx:
        from cwa.summary import xlsx

        content = xlsx.render(result)
    else:
        import io

        from cwa.summary import terminal

        buffer = io.StringIO()
        terminal.render(result, Console(file=buffer, width=250, no_color=True,
                                        highlight=False, markup=False, emoji=False,
                                        soft_wrap=True))
        content = buffer.getvalue()
    if output is None:
        assert isinstance(content, str)
        out.file.write(content)
        return
    write(output, content)
    err.print(t("report.written", path=str(output)))
