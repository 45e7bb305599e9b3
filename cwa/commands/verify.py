"""``cwa verify [DIR|ZIP]``: is every file still what the manifest says? Reads only."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cwa.commands.progress import BytesBar
from cwa.commands.shared import consoles, guarded, lang_option, locate
from cwa.errors import EXIT_FINDINGS, EXIT_OK, CwaError
from cwa.fixity.verify import verify as run_verify
from cwa.messages import t
from cwa.report import fixity
from cwa.report.output import write


class Format(str, Enum):
    text = "text"
    json = "json"
    md = "md"
    html = "html"


def register(app: typer.Typer) -> None:
    @app.command("verify", help=t("help.verify"))
    @guarded
    def verify(
        target: Annotated[Path | None, typer.Argument(help=t("help.verify_target"),
                                                      show_default=False)] = None,
        manifest: Annotated[Path | None, typer.Option("--manifest", "-m",
                                                      help=t("help.verify_manifest"))] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f", help=t("help.verify_format"))]
        = Format.text,
        output: Annotated[Path | None, typer.Option("--output", "-o", help=t("help.output"))]
        = None,
        jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=t("help.hash_jobs"))]
        = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        target = locate(target, err)
        with BytesBar(err, t("progress.verify")) as bar:
            result = run_verify(target, manifest, jobs or os.cpu_count() or 1, bar, str(target))
        if output is not None:  # never into what is verified: verify changes nothing
            if target.is_dir() and output.resolve().is_relative_to(target.resolve()):
                raise CwaError("verify.output_inside", path=str(target))
            write(output, fixity.render(result, fmt.value))
            err.print(t("report.written", path=str(output)))
        elif fmt is Format.text:
            fixity.terminal(result, out)
        else:
            out.file.write(fixity.render(result, fmt.value))
        raise typer.Exit(EXIT_FINDINGS if result.findings else EXIT_OK)
