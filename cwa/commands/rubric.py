"""``cwa rubric list|show|validate``: the bundled rubrics and your own."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from cwa import wording
from cwa.cli import consoles, guarded, lang_option, show_problems
from cwa.messages import t
from cwa.rubric import bundled
from cwa.rubric.model import Indicator, Rubric
from cwa.wording import paren


def register(app: typer.Typer) -> None:
    group = typer.Typer(help=t("help.rubric_group"), no_args_is_help=True,
                        rich_markup_mode=None)
    app.add_typer(group, name="rubric")

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
                           f"{points}  {t('rubric.count', count=sum(1 for _ in rubric.walk()))}"))
        out.print(Text(t("rubric.default_mark"), style="dim"))

    @group.command("validate", help=t("help.rubric_validate"))
    @guarded
    def validate(
        file: Annotated[str, typer.Argument(help=t("help.rubric_file"))],
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        rubric, warnings = bundled.load_ref(file)
        show_problems(warnings, err)
        out.print(t("rubric.valid", file=file, count=sum(1 for _ in rubric.walk()),
                    warnings=len(warnings)))

    @group.command("show", help=t("help.rubric_show"))
    @guarded
    def show(
        file: Annotated[str, typer.Argument(help=t("help.rubric_file"))] = bundled.DEFAULT,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        rubric, warnings = bundled.load_ref(file)
        show_problems(warnings, err)
        _show(rubric, out)


def _show(rubric: Rubric, out: Console) -> None:
    title = Text(rubric.name, "bold")
    if rubric.edition:
        title.append(paren(rubric.edition))
    if rubric.years:
        title.append("  " + t("report.years") + str(rubric.years))
    if rubric.total_points is not None:
        title.append("  " + t("rubric.total", points=f"{rubric.total_points:g}"))
    out.print(title)
    if rubric.note:
        _note(rubric.note, "", out)
    for indicator in rubric.indicators:
        _show_indicator(indicator, 0, out)


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
    if ind.methods:
        line.append(f"  [{'、'.join(ind.methods)}]", "dim")
    if ind.owners:
        line.append("  " + t("report.owners", owners=wording.listing(ind.owners)), "dim")
    out.print(line)
    if ind.note:
        _note(ind.note, pad + "    ", out)
    for e in ind.evidence:
        out.print(Text(f"{pad}    • {wording.evidence(e)}"))
    for child in ind.children:
        _show_indicator(child, depth + 1, out)
