"""``cwa rubric import FILE`` and ``cwa rubric diff OLD NEW``: a 测评体系 from its Word,
Excel or CSV table, and what changed between two editions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from cwa.commands.shared import consoles, guarded, lang_option, show_problems
from cwa.errors import EXIT_FINDINGS, EXIT_OK, CwaError
from cwa.messages import t
from cwa.rubric import schema

if TYPE_CHECKING:
    from cwa.rubric.importer.pipeline import Imported


def register(group: typer.Typer) -> None:
    @group.command("import", help=t("help.rubric_import"))
    @guarded
    def import_(
        file: Annotated[Path, typer.Argument(help=t("help.import_file"), show_default=False,
                                             metavar=t("metavar.table_file"))],
        output: Annotated[str | None, typer.Option(
            "--output", "-o", help=t("help.import_output"), metavar=t("metavar.yaml_file"),
            show_default=False)] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help=t("help.import_dry_run"))]
        = False,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        from cwa.rubric.importer.pipeline import import_file

        out, err = consoles()
        imported = import_file(file, str(file))
        target = Path(output) if output not in (None, "-") else file.with_suffix(".yaml")
        say = err if output == "-" else out
        if dry_run:
            if imported.rubric is not None:
                from cwa.commands.rubric import _show as show_tree

                show_tree(imported.rubric, out)
        elif output == "-":
            out.file.write(imported.text)
            out.file.flush()
        else:
            _write(target, imported.text)
        summary(imported, target, say, "dry" if dry_run else "stdout" if output == "-" else "file")
        if imported.rubric is None:
            show_problems(imported.problems, err)
            err.print(Text(t("import.invalid"), style="red"))
            raise typer.Exit(EXIT_FINDINGS)
        show_problems(imported.problems, err)
        raise typer.Exit(EXIT_OK)

    @group.command("diff", help=t("help.rubric_diff"))
    @guarded
    def diff_(
        old: Annotated[str, typer.Argument(help=t("help.diff_old"),
                                           metavar=t("metavar.rubric_ref"))],
        new: Annotated[str, typer.Argument(help=t("help.diff_new"),
                                           metavar=t("metavar.rubric_ref"))],
        format_: Annotated[str, typer.Option("--format", "-f", help=t("help.diff_format"),
                                             metavar="[text|md|json]")] = "text",
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        from cwa.report.model import dumps
        from cwa.rubric import bundled, diff_report
        from cwa.rubric.diff import diff

        out, err = consoles()
        if format_ not in ("text", "md", "json"):
            raise CwaError("error.bad_diff_format", value=format_)
        before, warnings = bundled.load_ref(old)
        after, more = bundled.load_ref(new)
        show_problems([*warnings, *more], err)
        result = diff(before, after)
        if format_ == "json":
            out.file.write(dumps(diff_report.to_dict(result), indent=2))
        elif format_ == "md":
            out.file.write(diff_report.markdown(result))
        else:
            for line in diff_report.lines(result):
                out.print(line)
        out.file.flush()
        raise typer.Exit(EXIT_OK if result.equal else EXIT_FINDINGS)


def _write(target: Path, text: str) -> None:
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as fh:  # never over a file
            fh.write(text)
    except FileExistsError:
        raise CwaError("import.exists", path=str(target)) from None
    except OSError as exc:
        raise CwaError("import.write_failed", path=str(target),
                       error=exc.strerror or type(exc).__name__) from None
    schema.place_beside(target)


def summary(imported: Imported, target: Path, say: Console, mode: str) -> None:
    """What was read, how much, what was inferred and what was not understood."""
    from cwa.rubric.importer import yamlout

    draft = imported.draft
    for use in draft.tables:
        if use.used:
            text = t("import.table_used" if use.last > use.first else "import.table_used_one",
                     table=use.label, first=use.first, last=use.last)
            if use.repeated_headers:
                text += t("import.table_repeats", count=use.repeated_headers)
            say.print(Text(text))
        else:
            say.print(Text(t("import.table_skipped", table=use.label, rows=use.rows,
                             columns=use.columns, why=t(use.why)), style="yellow"))
    say.print(Text(yamlout.counts(draft)))
    inferred = len(draft.inferred) + sum(
        len(n.inferred) + sum(len(c.inferred) + sum(len(e.inferred) for e in c.evidence)
                              for c in n.clauses)
        + sum(len(e.inferred) for e in n.evidence) for n in draft.walk())
    if inferred:
        say.print(Text(t("import.inferred_count", count=inferred)))
    if draft.unparsed:
        say.print(Text(t("import.unparsed_count", count=len(draft.unparsed)), style="yellow"))
        for item in draft.unparsed:
            say.print(Text("  " + t("import.unparsed_line", where=item.where,
                                    text=yamlout.comment(item.text)[:80], why=t(item.why)),
                           style="yellow"))
    if mode == "dry":
        say.print(t("import.dry_run", path=str(target)))
    elif mode == "file" and imported.rubric is not None:
        say.print(t("import.written", path=str(target)))
