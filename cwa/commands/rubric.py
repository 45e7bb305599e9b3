"""``cwa rubric list|show|validate|schema|new``: the bundled rubrics and your own."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from cwa import wording
from cwa.commands import rubric_tools
from cwa.commands.shared import consoles, guarded, lang_option, show_problems
from cwa.commands.usage import App
from cwa.errors import CwaError
from cwa.messages import t
from cwa.report.text import clause_label, number
from cwa.rubric import bundled, schema
from cwa.rubric.model import Clause, Indicator, Rubric
from cwa.wording import paren


def register(app: typer.Typer) -> None:
    group = App(help=t("help.rubric_group"), no_args_is_help=True)
    app.add_typer(group, name="rubric")

    @group.callback()
    def _group(lang: Annotated[str | None, lang_option()] = None) -> None:
        """``cwa rubric --lang en …``: the group takes the option as every command does."""

    @group.command("list", help=t("help.rubric_list"))
    @guarded
    def list_(lang: Annotated[str | None, lang_option()] = None) -> None:
        out, _ = consoles()
        for name in bundled.names():
            rubric, _warnings = bundled.load_ref(name)
            mark = " *" if name == bundled.DEFAULT else ""
            points = f"  {rubric.total_points:g}" + t("rubric.points_unit") \
                if rubric.total_points else ""
            out.print(Text(f"{name}{mark}  {rubric.name}"
                           f"{paren(rubric.edition) if rubric.edition else ''}"
                           f"{points}  {t('rubric.count', count=_leaves(rubric))}"))
        out.print(Text(t("rubric.default_mark"), style="dim"))

    @group.command("validate", help=t("help.rubric_validate"))
    @guarded
    def validate(
        file: Annotated[str, typer.Argument(help=t("help.rubric_file"),
                                            metavar=t("metavar.rubric_ref"))],
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        rubric, warnings = bundled.load_ref(file)
        show_problems(warnings, err)
        out.print(t("rubric.valid", file=file, count=_leaves(rubric),
                    warnings=len(warnings)))

    @group.command("show", help=t("help.rubric_show"))
    @guarded
    def show(
        file: Annotated[str, typer.Argument(help=t("help.rubric_file"),
                                            metavar=t("metavar.rubric_ref"))] = bundled.DEFAULT,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        rubric, warnings = bundled.load_ref(file)
        show_problems(warnings, err)
        _show(rubric, out)

    @group.command("schema", help=t("help.rubric_schema"))
    @guarded
    def schema_(lang: Annotated[str | None, lang_option()] = None) -> None:
        out, _ = consoles()
        out.file.write(schema.text())

    @group.command("new", help=t("help.rubric_new"))
    @guarded
    def new(
        file: Annotated[Path | None, typer.Argument(help=t("help.rubric_new_file"),
                                                     show_default=False)] = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        text = starter()
        if file is None:
            out.file.write(text)
            return
        try:
            with open(file, "x", encoding="utf-8") as fh:  # never over an existing file
                fh.write(text)
        except FileExistsError:
            raise CwaError("error.exists", path=str(file)) from None
        except OSError as exc:
            raise CwaError("error.output_failed", path=str(file),
                           error=exc.strerror or type(exc).__name__) from None
        err.print(t("rubric.created", path=str(file)))
        schema.place_beside(file)

    rubric_tools.register(group)  # import, diff


def starter() -> str:
    """A commented rubric showing every feature, with the schema line for editors: the
    schema beside the rubric (``cwa rubric new FILE`` puts it there; ``cwa rubric schema``
    prints it), never a path into this installation, which a copy mailed on would lose."""
    return t("rubric.starter", schema=schema.SCHEMA_FILE)


def _leaves(rubric: Rubric) -> int:
    """Indicators counted as ``cwa check`` counts them: the leaves."""
    return sum(1 for i in rubric.walk() if i.is_leaf)


def _show(rubric: Rubric, out: Console) -> None:
    title = Text(rubric.name, "bold")
    if rubric.edition:
        title.append(paren(rubric.edition))
    if rubric.years:
        title.append("  " + t("report.years") + str(rubric.years))
    if rubric.total_points is not None:
        title.append("  " + t("rubric.total", points=f"{rubric.total_points:g}"))
    if rubric.bonus_points:
        title.append("  " + t("rubric.bonus_total", points=number(rubric.bonus_points)))
    if rubric.pass_mark is not None:
        title.append("  " + t("report.pass_mark", points=number(rubric.pass_mark)))
    out.print(title)
    if rubric.points_by_year:
        out.print(Text(t("rubric.by_year", years=wording.listing(
            t("rubric.year_points", year=y, points=number(p)) for y, p in rubric.points_by_year))))
    if rubric.source:
        out.print(Text(t("rubric.source", source=rubric.source), "dim"))
    if rubric.note:
        _note(rubric.note, "", out)
    for indicator in rubric.indicators:
        _show_indicator(indicator, 0, out)
    if rubric.vetoes:
        out.print(Text(t("report.vetoes"), "bold"))
        for veto in rubric.vetoes:
            consequence = t("veto.deduct", points=number(veto.deduct)) if veto.deduct \
                else t("veto.bars")
            out.print(Text(f"  {veto.code} {veto.text}  {paren(consequence)}"))


def _note(note: str, pad: str, out: Console) -> None:
    """A note of several lines: each line marked, so that no line of the note can start
    a line of output (a CI log obeys ``::command::`` lines)."""
    lines = note.splitlines()
    for line in lines:
        out.print(Text(f"{pad}{'│ ' if len(lines) > 1 else ''}{line}", "dim"))


def _show_indicator(ind: Indicator, depth: int, out: Console) -> None:
    pad = "  " * depth
    line = Text(pad)
    line.append(f"{ind.code} {ind.wording}", "bold" if depth == 0 else "")
    if ind.points is not None:
        line.append(f"  {ind.points:g}" + t("rubric.points_unit"), "cyan")
    if ind.bonus:
        line.append(f"  {t('report.bonus')}", "cyan")
    if ind.methods:
        line.append(f"  [{wording.listing(ind.methods)}]", "dim")
    if ind.owners:
        line.append("  " + t("report.owners", owners=wording.listing(ind.owners)), "dim")
    if ind.applies_to:
        line.append("  " + t("report.applies_to", types=wording.listing(ind.applies_to)),
                    "dim")
    if ind.na_note:
        line.append("  " + t("rubric.na_note"), "dim")
    if ind.grading:
        line.append("  " + t("rubric.grading", rule=wording.listing(
            t("rubric.grade_rule", grade=g, count=n) for g, n in ind.grading.thresholds)),
            "dim")
    out.print(line)
    if ind.standard:
        out.print(Text(f"{pad}    {ind.standard}", "dim"))
    if ind.note:
        _note(ind.note, pad + "    ", out)
    for clause in ind.clauses:
        _show_clause(clause, pad, out)
    for e in ind.evidence:
        out.print(Text(f"{pad}    • {wording.evidence(e)}"))
    for child in ind.children:
        _show_indicator(child, depth + 1, out)


def _show_clause(clause: Clause, pad: str, out: Console) -> None:
    line = Text(f"{pad}    {clause_label(clause.code)} {clause.text}")
    if clause.points is not None:
        line.append(f"  {clause.points:g}" + t("rubric.points_unit"), "cyan")
    if clause.deduct:
        line.append("  " + t("report.clause_deduct", points=number(clause.deduct)), "cyan")
    if clause.methods:
        line.append(f"  [{'、'.join(clause.methods)}]", "dim")
    out.print(line)
    for e in clause.evidence:
        out.print(Text(f"{pad}        • {wording.evidence(e)}"))
