"""``cwa album FOLDER``: a photo album (.docx) of an indicator's photos, with captions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from cwa import config, naming, wording
from cwa.apply import ready
from cwa.commands.shared import consoles, guarded, lang_option
from cwa.errors import EXIT_FINDINGS, EXIT_OK, CwaError
from cwa.messages import t
from cwa.office import album
from cwa.printable import repaired
from cwa.report.output import deliver


def cover_of(folder: Path, unit: str | None) -> album.Cover:
    """单位、指标、年度 for the cover: from the archive the folder belongs to (cwa.yaml and
    the rubric), else the folder's own name."""
    from cwa.match import match
    from cwa.scan import scan

    name = naming.nfc(folder.resolve().name)
    indicator, years = naming.parse(name).title or name, None
    archive = config.archive_of(folder)
    if archive is not None:
        try:
            settings = config.settings(archive)
        except Exception:  # a broken cwa.yaml: `cwa check` reports it; the cover goes on
            settings = None
        if settings is not None:
            rel = folder.resolve().relative_to(archive).as_posix()
            layout = match(settings.rubric, scan(archive).tree, settings.naming)
            for placement in layout.walk():
                if placement.folder is not None and placement.rel == rel:
                    indicator = f"{placement.indicator.code}　{placement.indicator.wording}"
            if settings.years is not None:
                years = f"{settings.years.start}—{settings.years.end}" \
                    if settings.years.start != settings.years.end else str(settings.years.start)
            if unit is None and settings.config is not None:
                unit = settings.config.catalog_unit
    return album.Cover(unit, indicator, years)


def register(app: typer.Typer) -> None:
    @app.command("album", help=t("help.album"))
    @guarded
    def make_album(
        folder: Annotated[Path, typer.Argument(help=t("help.album_folder"),
                                               metavar=t("metavar.folder"),
                                               show_default=False)],
        output: Annotated[Path | None, typer.Option("--output", "-o",
                                                    help=t("help.album_output"))] = None,
        per_page: Annotated[int, typer.Option("--per-page", min=1, max=2,
                                              help=t("help.per_page"))] = 2,
        max_side: Annotated[int, typer.Option("--max-side", min=320,
                                              help=t("help.max_side"))] = 1600,
        quality: Annotated[int, typer.Option("--quality", min=30, max=95,
                                             help=t("help.quality"))] = 85,
        cover: Annotated[bool, typer.Option("--cover", help=t("help.album_cover"))] = False,
        unit: Annotated[str | None, typer.Option("--unit", help=t("help.album_unit"))] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help=t("help.dry_run"))]
        = False,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        if not folder.is_dir():
            raise CwaError("error.archive_not_dir", path=str(folder))
        shown = repaired(folder.resolve().name)  # a GBK name: its reading, in the document
        name = naming.parse(naming.nfc(shown)).title or shown
        title = t("album.title", name=name)
        target = output or Path(f"{title}.docx")
        if target.suffix.lower() != ".docx":
            raise CwaError("album.not_docx", path=str(target))
        archive = config.archive_of(target.parent) if target.parent.exists() else None
        if archive is not None and not dry_run:
            ready(archive)
        if target.exists():
            raise CwaError("error.exists", path=str(target))
        photos = album.photos(folder)
        if not photos:
            raise CwaError("album.no_photos", path=str(folder))
        if dry_run:
            out.print(t("album.plan", path=str(target), count=len(photos)))
            out.print(t("dry_run.nothing_written"))
            raise typer.Exit(EXIT_OK)
        made = album.build(folder, title, target.stem, per_page, max_side, quality,
                           cover_of(folder, unit) if cover else None)
        for photo, problem in made.unreadable:
            err.print(Text(t("album.unreadable", name=photo, error=problem), style="yellow"))
        if made.photos == 0:
            raise CwaError("album.no_photos", path=str(folder))
        journal = deliver(target, made.data, "album")
        out.print(t("album.done", path=str(target), count=made.photos,
                    size=f"{len(made.data) / 1e6:.1f}"))
        if made.incomplete:
            out.print(t("album.incomplete", count=len(made.incomplete), numbers=wording.listing(
                t("album.number", number=n) for n in made.incomplete)))
        if journal is not None:
            out.print(t("album.undo", journal=str(journal)))
        raise typer.Exit(EXIT_FINDINGS if made.unreadable else EXIT_OK)
