"""``cwa export [DIR] -o 单位-创建档案-2026.zip [--bag]``: the package handed to the 文明办."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from cwa import naming, wording
from cwa.commands.progress import BytesBar
from cwa.commands.shared import (
    archive_settings,
    consoles,
    dir_argument,
    guarded,
    lang_option,
    locate,
    rubric_option,
)
from cwa.errors import EXIT_FINDINGS, EXIT_OK
from cwa.fixity import digest
from cwa.fixity.handover import extras
from cwa.fixity.manifest import shown
from cwa.fixity.package import export as run_export
from cwa.messages import t

SHOWN = 20  # left-out files listed by name; the rest counted


def register(app: typer.Typer) -> None:
    @app.command("export", help=t("help.export"))
    @guarded
    def export(
        directory: Annotated[Path | None, dir_argument()] = None,
        output: Annotated[Path | None, typer.Option("--output", "-o",
                                                    help=t("help.export_output"))] = None,
        bag: Annotated[bool, typer.Option("--bag", help=t("help.bag"))] = False,
        algo: Annotated[digest.Choice, typer.Option("--algo", help=t("help.algo"))]
        = digest.Choice.sha256,
        unit: Annotated[str | None, typer.Option("--unit", help=t("help.unit"))] = None,
        rubric: Annotated[str | None, rubric_option()] = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        directory = locate(directory, err)
        settings = archive_settings(directory, rubric, err)
        digest.require(algo.algorithms)
        cfg = settings.config
        unit = unit or (cfg.catalog_unit if cfg else None) or directory.resolve().name
        output = output or Path(naming.sanitize(f"{unit}-创建档案-{time.strftime('%Y')}.zip"))
        info = {"Source-Organization": unit,
                "External-Description": t("export.description", unit=unit,
                                          rubric=settings.rubric.name)}
        beside, problems = extras(directory, settings)
        for problem in problems:
            err.print(Text(problem, style="yellow"))
        with BytesBar(err, t("progress.export")) as bar:
            packed = run_export(directory, output, beside, bag=bag,
                                algorithms=algo.algorithms, info=info, progress=bar)
        left_out = packed.selection.left_out
        own = len(left_out["own"])  # the notes and cwa.yaml: counted, not listed
        left = [(rel, t(f"manifest.rule_short_{rule}", count="").strip())
                for rule, rels in left_out.items() if rule != "own" for rel in rels]
        left += list(packed.failed.items())
        for rel, why in left[:SHOWN]:
            err.print(Text(t("export.left_out", why=why, path=shown(rel)), style="yellow"))
        if len(left) > SHOWN:
            err.print(Text(t("export.more", count=len(left) - SHOWN), style="yellow"))
        if own:
            err.print(t("export.own_left_out", count=own))
        for rel, name in packed.renamed:
            if rel in packed.collided:
                err.print(Text(t("export.same_name", other=shown(packed.collided[rel]),
                                 path=shown(rel), name=name), style="red"))
            elif shown(rel) != name and any("\udc80" <= c <= "\udcff" for c in rel):
                err.print(Text(t("export.renamed", path=shown(rel), name=name), style="yellow"))
        done = "export.done_bag" if bag else "export.done"
        out.print(t(done, path=str(output), files=packed.files, size=wording.size(packed.size),
                    oxum=f"{packed.size}.{packed.files}", extras=wording.listing(packed.extras)))
        incomplete = packed.failed or packed.collided or left_out.get("unreadable")
        raise typer.Exit(EXIT_FINDINGS if incomplete else EXIT_OK)
