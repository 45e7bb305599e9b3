"""``cwa undo [DIR]``: revert the last plan cwa applied, exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from cwa import config, journal, lock
from cwa.apply import ran
from cwa.apply import undo as run_undo
from cwa.commands.shared import consoles, dir_argument, guarded, lang_option, locate
from cwa.config import require_archive
from cwa.errors import EXIT_FINDINGS, EXIT_OK, CwaError
from cwa.messages import t
from cwa.plan import Mkdir, Rename, Replace


def register(app: typer.Typer) -> None:
    @app.command("undo", help=t("help.undo"))
    @guarded
    def undo(
        directory: Annotated[Path | None, dir_argument()] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help=t("help.dry_run"))]
        = False,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        directory = locate(directory, err)
        require_archive(directory)
        lock.ensure_free(directory)
        found = journal.found(directory)
        last = journal.last_to_undo(found)
        for path in found.damaged:
            err.print(Text(t("journal.skipped_damaged", path=str(path)), style="yellow"))
        if last is None:
            above = (None if (directory / config.FILENAME).is_file()
                     else config.archive_of(directory.resolve().parent))
            if above is not None:  # a folder inside an archive: its journal is there
                raise CwaError("error.no_config_inside", path=str(directory.resolve()),
                               archive=str(above))
            out.print(t("undo.nothing", path=str(directory)))
            raise typer.Exit(EXIT_OK)
        if dry_run:
            for index in reversed(ran(directory, last)):
                op = last.steps[index].op
                if isinstance(op, Rename):
                    out.print(t("undo.plan_rename", path=op.to, to=op.rel))
                elif isinstance(op, Mkdir):
                    out.print(t("undo.plan_rmdir", path=op.rel))
                elif isinstance(op, Replace):
                    out.print(t("undo.plan_restore", path=op.rel))
                else:
                    out.print(t("undo.plan_delete", path=op.rel))
            out.print(t("undo.dry_run", journal=str(last.path)))
            raise typer.Exit(EXIT_OK)
        result = run_undo(directory, last)
        for op, reason in result.kept:
            where = op.to if isinstance(op, Rename) else op.rel
            err.print(Text(t("undo.kept", path=where, why=t(f"skip.{reason}")), style="yellow"))
        out.print(t("undo.done", count=len(result.undone), journal=str(result.journal)))
        raise typer.Exit(EXIT_FINDINGS if result.kept else EXIT_OK)
