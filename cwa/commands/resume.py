"""``cwa resume [DIR]``: finish the change that was interrupted, whatever made it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from cwa import journal, lock
from cwa.apply import Applied, resume
from cwa.commands.shared import consoles, dir_argument, guarded, lang_option, locate
from cwa.config import require_archive
from cwa.errors import EXIT_FINDINGS, EXIT_OK
from cwa.messages import t
from cwa.plan import Mkdir, Rename


def register(app: typer.Typer) -> None:
    @app.command("resume", help=t("help.resume_command"))
    @guarded
    def resume_command(
        directory: Annotated[Path | None, dir_argument()] = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        directory = locate(directory, err)
        require_archive(directory)
        raise typer.Exit(run(directory, out, err))


def run(directory: Path, out: Console, err: Console) -> int:
    """Resume the archive's unfinished change; the exit code."""
    lock.ensure_free(directory)
    pending = journal.unfinished(directory)
    if pending is None:  # as cwa undo with nothing to undo: said, not an error
        out.print(t("resume.nothing", path=str(directory)))
        return EXIT_OK
    out.print(t("resume.what", command=pending.command, created=pending.created or "?",
                journal=str(pending.path)))
    return report(resume(directory, pending), out, err, "resume.applied")


def set_aside(moved: Sequence[tuple[Path, Path]], err: Console) -> None:
    for old, new in moved:
        err.print(Text(t("journal.set_aside", path=str(old), to=new.name), style="yellow"))


def report(result: Applied, out: Console, err: Console, summary: str) -> int:
    """What a run of a plan did: the steps skipped and why, a summary line (the message
    ``summary``, given renames, mkdirs, files and journal)."""
    set_aside(result.set_aside, err)
    for op, reason in result.skipped:
        if reason in ("group", "reverted"):
            continue
        target = op.to if isinstance(op, Rename) else op.rel
        err.print(Text(t("fix.skipped", path=op.rel, to=target, why=t(f"skip.{reason}")),
                       style="yellow"))
    for where, original in result.stranded:
        err.print(Text(t("fix.stranded", path=where, original=original), style="red"))
    renames = sum(isinstance(op, Rename) and op.phase != 1 for op in result.done)
    mkdirs = sum(isinstance(op, Mkdir) for op in result.done)
    files = len(result.done) - renames - mkdirs - sum(
        isinstance(op, Rename) and op.phase == 1 for op in result.done)
    out.print(t(summary, renames=renames, mkdirs=mkdirs, files=files,
                journal=str(result.journal)))
    return EXIT_FINDINGS if result.skipped or result.stranded else EXIT_OK
