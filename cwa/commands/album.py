"""``cwa album FOLDER``: a photo album (.docx) of an indicator's photos, with captions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from cwa import naming
from cwa.commands.shared import consoles, guarded, lang_option
from cwa.errors import EXIT_FINDINGS, EXIT_OK, CwaError
from cwa.messages import t
from cwa.office import album
from cwa.report.output import deliver


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
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help=t("help.dry_run"))]
        = False,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        if not folder.is_dir():
            raise CwaError("error.archive_not_dir", path=str(folder))
        name = naming.parse(naming.nfc(folder.resolve().name)).title or folder.resolve().name
        title = t("album.title", name=name)
        target = output or Path(f"{title}.docx")
        if target.suffix.lower() != ".docx":
            raise CwaError("album.not_docx", path=str(target))
        if target.exists():
            raise CwaError("error.exists", path=str(target))
        photos = album.photos(folder)
        if not photos:
            raise CwaError("album.no_photos", path=str(folder))
        if dry_run:
            out.print(t("album.plan", path=str(target), count=len(photos)))
            raise typer.Exit(EXIT_OK)
        made = album.build(folder, title, target.stem, per_page, max_side, quality)
        for photo, problem in made.unreadable:
            err.print(Text(t("album.unreadable", name=photo, error=problem), style="yellow"))
        if made.photos == 0:
            raise CwaError("album.no_photos", path=str(folder))
        journal = deliver(target, made.data, "album")
        out.print(t("album.done", path=str(target), count=made.photos,
                    size=f"{len(made.data) / 1e6:.1f}"))
        if journal is not None:
            out.print(t("album.undo", journal=str(journal)))
        raise typer.Exit(EXIT_FINDINGS if made.unreadable else EXIT_OK)
