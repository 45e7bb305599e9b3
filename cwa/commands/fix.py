"""``cwa fix [DIR]`` shows the plan; ``--apply`` carries it out with a journal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from cwa import gcpause, journal, lock, wording
from cwa.apply import apply, undo, unfinished_error
from cwa.commands import resume as resume_command
from cwa.commands.shared import (
    archive_settings,
    consoles,
    dir_argument,
    guarded,
    lang_option,
    locate,
    rubric_option,
)
from cwa.config import require_archive
from cwa.errors import EXIT_FINDINGS, EXIT_OK, CwaError
from cwa.fix import FixPlan, plan_fix
from cwa.match import match
from cwa.messages import t
from cwa.naming import ALLOWED_SEPARATORS, path_prefix
from cwa.printable import printable
from cwa.rubric.model import Naming
from cwa.scan import scan


def register(app: typer.Typer) -> None:
    @app.command("fix", help=t("help.fix"))
    @guarded
    def fix(
        directory: Annotated[Path | None, dir_argument()] = None,
        apply_: Annotated[bool, typer.Option("--apply", help=t("help.apply"))] = False,
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help=t("help.fix_dry_run"))]
        = False,
        sep: Annotated[str | None, typer.Option("--sep", help=t("help.sep"))] = None,
        rubric: Annotated[str | None, rubric_option()] = None,
        resume_: Annotated[bool, typer.Option("--resume", help=t("help.resume"))] = False,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        directory = locate(directory, err)
        require_archive(directory)
        if resume_:
            raise typer.Exit(resume_command.run(directory, out, err))
        if apply_ and not dry_run:
            lock.ensure_free(directory)
            pending = journal.unfinished(directory)
            if pending is not None:
                _offer(directory, pending, out, err)
        settings = archive_settings(directory, rubric, err)
        if sep is not None and sep not in ALLOWED_SEPARATORS:
            raise CwaError("error.bad_sep", value=sep,
                           allowed=" ".join(repr(s) for s in ALLOWED_SEPARATORS))
        options = Naming(sep if sep is not None else settings.naming.separator,
                         settings.naming.width)
        if options.separator != settings.naming.separator:
            err.print(Text(t("fix.sep_differs", sep=options.separator,
                             configured=settings.naming.separator), style="yellow"))
        with gcpause.paused():  # many small objects, none in cycles: no GC passes
            snapshot = scan(directory, metadata=False)  # names are all a plan needs
            for problem in snapshot.problems:  # said, never skipped in silence
                err.print(Text(t("fix.unreadable", path=problem.rel or str(directory),
                                 why=t(f"scan.{problem.reason}", detail=problem.detail)),
                               style="yellow"))
            layout = match(settings.rubric, snapshot.tree, options)
            plan = plan_fix(directory, layout, options, path_prefix(directory))
            _show(plan, out)
            if not apply_ or dry_run:
                out.print(t("fix.dry_run" if plan.changes else "fix.nothing"))
                raise typer.Exit(EXIT_FINDINGS if plan.refused else EXIT_OK)
            if not plan.operations:
                raise typer.Exit(EXIT_FINDINGS if plan.refused else EXIT_OK)
            result = apply(directory, plan.operations, "fix")
        code = resume_command.report(result, out, err, "fix.applied")
        raise typer.Exit(EXIT_FINDINGS if plan.refused else code)


def interactive() -> bool:
    """Someone at a terminal who can answer a question (never in CI)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _offer(directory: Path, pending: journal.Journal, out: Console, err: Console) -> None:
    """An earlier plan stopped half way: resume it or undo it first, never on top of it."""
    if not interactive():
        raise unfinished_error(directory, pending)
    out.print(t("fix.unfinished", journal=str(pending.path)))
    choice = typer.prompt(t("fix.unfinished_prompt"), default="c").strip().lower()
    if choice == "r":
        raise typer.Exit(resume_command.run(directory, out, err))
    if choice == "u":
        undone = undo(directory, pending)
        out.print(t("undo.done", count=len(undone.undone), journal=str(undone.journal)))
    raise typer.Exit(EXIT_OK)


Part = tuple[str, str]  # text and its style


def _show(plan: FixPlan, out: Console) -> None:
    rows: list[list[Part]] = []
    reasons: dict[tuple[str, ...], str] = {}  # a plan repeats a few combinations of reasons
    styled = _styled(out)
    plain: list[str] = []  # the renames' lines where nothing is styled: 10,000 of them
    for change in plan.changes:
        why = reasons.get(change.reasons)
        if why is None:
            why = reasons[change.reasons] = "  " + wording.paren(
                wording.listing(t(r) for r in change.reasons)).strip()
        if change.kind == "mkdir":
            rows.append([("  " + t("fix.mkdir", path=change.to), ""), (why, "dim")])
        elif not styled:
            plain.append(f"  {printable(change.rel)} → "
                         f"{printable(change.to.rpartition('/')[2])}{why}\n")
        else:
            rows.append([("  ", ""), (printable(change.rel), "dim"), (" → ", ""),
                         (printable(change.to.rpartition("/")[2]), "green"), (why, "dim")])
    if plain:  # the renames come first, in order; then folders to make
        out.file.write("".join(plain))
    for refusal in plan.refused:
        source = refusal.change.rel or refusal.change.to
        rows.append([("  ✘ ", "red"), (t("fix.refused", path=source,
                                        to=refusal.change.to.rpartition("/")[2],
                                        why=t(refusal.reason, other=refusal.other)), "red")])
    emit(rows, out)
    renames = sum(c.kind == "rename" for c in plan.changes)
    mkdirs = len(plan.changes) - renames
    out.print(t("fix.summary", renames=renames, mkdirs=mkdirs, refused=len(plan.refused)))


def _styled(out: Console) -> bool:
    """Styled lines at a colour terminal; elsewhere plain text written at once."""
    return out.is_terminal and not out.no_color


def emit(rows: list[list[Part]], out: Console) -> None:
    """Lines of styled parts: through rich at a colour terminal; elsewhere written as
    plain text at once (a plan of 10,000 renames printed through rich takes seconds)."""
    if not rows:
        return
    if _styled(out):
        out.print(Text("\n").join(Text.assemble(*row) for row in rows))
        return
    out.file.write("".join("".join(text for text, _ in row) + "\n" for row in rows))
    out.file.flush()
