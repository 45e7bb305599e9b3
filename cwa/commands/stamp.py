"""``cwa stamp [DIR|FILE…]``: each document's name, right-aligned, in its footers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from cwa import config, journal, kinds
from cwa.apply import apply
from cwa.commands.shared import consoles, guarded, lang_option
from cwa.errors import EXIT_FINDINGS, EXIT_OK, CwaError
from cwa.messages import t
from cwa.office import convert
from cwa.office.stamp import stamped
from cwa.plan import Operation, Replace, WriteFile
from cwa.scan import SKIPPED_DIRS


@dataclass
class StampPlan:
    operations: list[Operation] = field(default_factory=list)
    done: list[str] = field(default_factory=list)  # already carry their name
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, message key)


def archive_of(path: Path) -> Path:
    """The archive a path belongs to (the nearest folder with cwa.yaml), else its folder:
    where the journal goes, so that ``cwa undo`` finds it."""
    return config.archive_of(path) or (path.resolve() if path.is_dir()
                                       else path.resolve().parent)


def documents(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
            continue
        for item in sorted(path.rglob("*")):
            parts = item.relative_to(path).parts
            if (item.is_file() and not item.is_symlink() and not kinds.is_junk(item.name)
                    and not any(p in SKIPPED_DIRS for p in parts)
                    and item.suffix.lower() in {".docx", *convert.OLD}):
                found.append(item)
    return found


def plan(root: Path, files: list[Path], convert_old: bool) -> StampPlan:
    result = StampPlan()
    for path in files:
        rel = path.resolve().relative_to(root).as_posix()
        ext = path.suffix.lower()
        if ext in convert.OLD:
            _old(root, path, rel, convert_old, result)
            continue
        if ext != ".docx":
            result.problems.append((rel, "stamp.not_docx"))
            continue
        data = path.read_bytes()
        try:
            new = stamped(data, path.stem)
        except Exception:  # a damaged .docx: never written to
            result.problems.append((rel, "stamp.unreadable"))
            continue
        if new is None:
            result.done.append(rel)
        else:
            result.operations.append(Replace(rel, new, journal.digest(data)))
    return result


def _old(root: Path, path: Path, rel: str, convert_old: bool, result: StampPlan) -> None:
    if not convert_old:
        result.problems.append((rel, "stamp.old_format"))
        return
    if convert.soffice() is None:
        result.problems.append((rel, "stamp.no_libreoffice"))
        return
    target = path.with_suffix(".docx")
    if target.exists():
        result.problems.append((rel, "stamp.converted_exists"))
        return
    data = convert.to_docx(path)
    if data is None:
        result.problems.append((rel, "stamp.convert_failed"))
        return
    new = stamped(data, target.stem) or data
    result.operations.append(WriteFile(target.resolve().relative_to(root).as_posix(), new))


def register(app: typer.Typer) -> None:
    @app.command("stamp", help=t("help.stamp"))
    @guarded
    def stamp(
        paths: Annotated[list[Path] | None, typer.Argument(help=t("help.stamp_paths"),
                                                           metavar=t("metavar.paths"),
                                                           show_default=False)] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help=t("help.dry_run"))]
        = False,
        convert_old: Annotated[bool, typer.Option("--convert", help=t("help.convert"))]
        = False,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        out, err = consoles()
        targets = paths or [Path()]
        for path in targets:
            if not path.exists():
                raise CwaError("error.file_not_found", path=str(path))
        roots = {archive_of(p) for p in targets}
        if len(roots) > 1:
            raise CwaError("stamp.several_archives")
        root = roots.pop()
        result = plan(root, documents(targets), convert_old)
        for op in result.operations:
            key = "stamp.plan_convert" if isinstance(op, WriteFile) else "stamp.plan"
            out.print(t(key, path=op.rel))
        for rel, problem in result.problems:
            err.print(Text(t("stamp.problem", path=rel, why=t(problem)), style="yellow"))
        out.print(t("stamp.summary", count=len(result.operations), done=len(result.done),
                    problems=len(result.problems)))
        if dry_run or not result.operations:
            raise typer.Exit(EXIT_FINDINGS if result.problems else EXIT_OK)
        applied = apply(root, result.operations, "stamp")
        for op, reason in applied.skipped:
            err.print(Text(t("stamp.skipped", path=op.rel, why=t(f"skip.{reason}")),
                           style="yellow"))
        out.print(t("stamp.applied", count=len(applied.done), journal=str(applied.journal)))
        raise typer.Exit(EXIT_FINDINGS if applied.skipped or result.problems else EXIT_OK)
