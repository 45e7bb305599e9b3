"""``cwa manifest [DIR]``: the digests of every evidence file, in a BagIt manifest."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from cwa import wording
from cwa.commands.progress import BytesBar
from cwa.commands.shared import consoles, dir_argument, guarded, lang_option, locate
from cwa.config import require_archive
from cwa.errors import EXIT_FINDINGS, EXIT_OK
from cwa.fixity import digest, reuse
from cwa.fixity.manifest import shown
from cwa.fixity.record import ready, record, save, targets
from cwa.fixity.select import RULES
from cwa.messages import t


def register(app: typer.Typer) -> None:
    @app.command("manifest", help=t("help.manifest"))
    @guarded
    def make_manifest(
        directory: Annotated[Path | None, dir_argument()] = None,
        algo: Annotated[digest.Choice, typer.Option("--algo", help=t("help.algo"))]
        = digest.Choice.sha256,
        output: Annotated[Path | None, typer.Option("--output", "-o",
                                                    help=t("help.manifest_output"))] = None,
        use_previous: Annotated[bool, typer.Option("--reuse", help=t("help.reuse"))] = False,
        jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=t("help.hash_jobs"))]
        = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        directory = locate(directory, err)
        require_archive(directory)
        algorithms = algo.algorithms
        digest.require(algorithms)
        where = targets(directory, output, algorithms)
        ready(directory, output)
        previous = ({a: p.read_bytes() for a, p in where.items() if p.is_file()}
                    if use_previous else {})
        with BytesBar(err, t("progress.hashing")) as bar:
            made = record(directory, algorithms, jobs or os.cpu_count() or 1, previous, bar)
        saved = save(made, directory, output)
        for algo_, path in zip(made.algorithms, saved.paths, strict=True):
            reuse.remember(made.text(algo_), made.stats())
            out.print(t("manifest.done", path=str(path), files=len(made.files),
                        size=wording.size(made.size)))
        for old in previous.values():
            reuse.forget(old)
        if use_previous:
            out.print(t("manifest.reused", count=made.reused))
        left = made.selection.left_out
        counted = [t(f"manifest.rule_short_{r}", count=len(left[r])) for r in RULES if left[r]]
        if counted:
            out.print(t("manifest.left_out", count=sum(len(v) for v in left.values()),
                        rules=wording.listing(counted)))
        for rel in left["unreadable"]:
            err.print(Text(t("manifest.unreadable", path=shown(rel)), style="yellow"))
        if saved.journal is not None:
            out.print(t("manifest.undo", journal=str(saved.journal)))
        raise typer.Exit(EXIT_FINDINGS if left["unreadable"] else EXIT_OK)
