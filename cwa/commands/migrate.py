"""``cwa migrate [DIR] --to NEW [--map FILE] [--apply]``: move an archive onto a new
edition of its 测评体系 (``cwa/migrate.py`` plans; ``cwa.apply`` carries it out)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from cwa import wording
from cwa.apply import apply, ready
from cwa.commands import resume as resume_command
from cwa.commands.fix import Part, emit
from cwa.commands.shared import (
    archive_settings,
    consoles,
    dir_argument,
    guarded,
    lang_option,
    locate,
    show_problems,
)
from cwa.config import require_archive
from cwa.errors import EXIT_FINDINGS, EXIT_OK
from cwa.messages import t
from cwa.migrate import MigratePlan, Move, plan_migrate, read_mapping
from cwa.printable import printable
from cwa.rubric import bundled, pairing
from cwa.rubric.importer.yamlout import quoted
from cwa.rubric.model import Rubric


def register(app: typer.Typer) -> None:
    @app.command("migrate", help=t("help.migrate"))
    @guarded
    def migrate(
        to: Annotated[str, typer.Option("--to", help=t("help.migrate_to"),
                                        metavar=t("metavar.rubric_ref"), show_default=False)],
        directory: Annotated[Path | None, dir_argument()] = None,
        map_: Annotated[Path | None, typer.Option("--map", help=t("help.migrate_map"),
                                                  metavar=t("metavar.map_file"))] = None,
        apply_: Annotated[bool, typer.Option("--apply", help=t("help.migrate_apply"))] = False,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        directory = locate(directory, err)
        require_archive(directory)
        if apply_:
            ready(directory)  # a locked or unfinished archive: refused before any planning
        settings = archive_settings(directory, None, err)
        new, warnings = bundled.load_ref(to)
        show_problems(warnings, err)
        mapping = read_mapping(map_, settings.rubric, new) if map_ is not None else None
        plan = plan_migrate(directory, settings.rubric, new, to, settings.naming, mapping)
        out.print(Text(t("migrate.heading", old=_title(settings.rubric), new=_title(new))))
        show(plan, to, out)
        if settings.years and new.years and settings.years != new.years:
            out.print(Text(t("migrate.years", years=str(settings.years),
                             new=str(new.years)), style="yellow"))
        if plan.ambiguous:
            _ambiguous(plan, directory, to, out)
        if not plan.operations:
            out.print(t("migrate.nothing"))
            raise typer.Exit(EXIT_FINDINGS if plan.ambiguous else EXIT_OK)
        if not apply_:
            out.print(t("migrate.dry_run"))
            raise typer.Exit(EXIT_FINDINGS if plan.ambiguous or plan.refused else EXIT_OK)
        if plan.ambiguous:
            err.print(Text(t("migrate.decide_first", count=len(plan.ambiguous)), style="red"))
            raise typer.Exit(EXIT_FINDINGS)
        result = apply(directory, plan.operations, "migrate")
        code = resume_command.report(result, out, err, "migrate.applied")
        raise typer.Exit(EXIT_FINDINGS if plan.refused else code)


def _title(rubric: Rubric) -> str:
    return rubric.name + (wording.paren(rubric.edition) if rubric.edition else "")


def _why(move: Move) -> str:
    if move.kind == "hold":
        return t("migrate.why.hold")
    if move.kind in ("mkdir", "reuse"):
        return t("migrate.why.added")
    if move.kind == "merge":
        return t("migrate.why.merge")
    if move.how in ("", pairing.SAME):
        return t("migrate.why.position")
    return t(f"diff.how.{move.how}")


def show(plan: MigratePlan, to: str, out: Console) -> None:
    rows: list[list[Part]] = []
    for move in plan.moves:
        verb = t(f"migrate.verb.{move.kind}")
        why = "  " + wording.paren(_why(move)).strip()
        if move.kind == "mkdir" or move.rel == move.to:
            rows.append([(f"  {verb}  ", "green"), (printable(move.to), ""), (why, "dim")])
        else:
            rows.append([(f"  {verb}  ", "yellow" if move.kind == "hold" else "green"),
                         (printable(move.rel), "dim"), (" → ", ""), (printable(move.to), ""),
                         (why, "dim")])
    for refusal in plan.refused:
        rows.append([("  ✘ ", "red"), (t("migrate.refused", path=refusal.move.rel or "",
                                        to=refusal.move.to, why=t(refusal.reason,
                                                                  other=refusal.other)),
                                      "red")])
    if plan.notes:
        rows.append([("  " + t("migrate.notes", count=plan.notes), "dim")])
    if plan.new_notes:
        rows.append([("  " + t("migrate.new_notes", count=plan.new_notes), "dim")])
    if plan.rubric_copy:
        rows.append([("  " + t(f"migrate.rubric_{plan.rubric_copy}", rubric=to), "")])
    if plan.config:
        rows.append([("  " + t("migrate.config", rubric=to), "")])
    for dropped in plan.dropped:
        rows.append([("  " + t("migrate.dropped", what=dropped), "yellow")])
    for rel in plan.left_alone:
        rows.append([("  " + t("migrate.left_alone", path=rel), "dim")])
    emit(rows, out)
    counts = {kind: sum(1 for m in plan.moves if m.kind == kind)
              for kind in ("rename", "move", "mkdir", "hold", "merge")}
    out.print(t("migrate.summary", **counts, refused=len(plan.refused)))


def _ambiguous(plan: MigratePlan, directory: Path, to: str, out: Console) -> None:
    out.print(Text(t("migrate.ambiguous", count=len(plan.ambiguous)), style="yellow bold"))
    template = []
    for case in plan.ambiguous:
        old = f"{case.old.code} {case.old.indicator.wording}"
        where = wording.paren(case.folder) if case.folder else ""
        choices = wording.listing(f"{n.code} {n.indicator.wording}" for n, _ in case.candidates)
        out.print(Text("  " + t(f"migrate.case.{case.why}", old=old, where=where,
                                 choices=choices), style="yellow"))
        value = quoted(case.candidates[0][0].code) if case.why != "candidates" else "待归类"
        template.append(f"  {quoted(case.old.code)}: {value}    # "
                        + t("migrate.template_comment", old=old, choices=choices))
    out.print(t("migrate.template", archive=str(directory), rubric=to))
    out.file.write("\n".join(printable(line) for line in template) + "\n")
    out.file.flush()
