"""``cwa stamp [DIR|FILE…]``: each document's name, right-aligned, in its footers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from cwa import config, journal, kinds, naming
from cwa.apply import apply, ready
from cwa.commands.resume import set_aside
from cwa.commands.shared import consoles, guarded, lang_option
from cwa.errors import EXIT_FINDINGS, EXIT_OK, CwaError
from cwa.messages import t
from cwa.office import convert, package
from cwa.office.stamp import stamped
from cwa.plan import Operation, Replace, WriteFile
from cwa.printable import undecodable, xml_safe
from cwa.scan import scan


@dataclass
class StampPlan:
    operations: list[Operation] = field(default_factory=list)
    done: list[str] = field(default_factory=list)  # already carry their name
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, message key)


def archive_of(path: Path) -> Path:
    """The archive a path belongs to (the nearest folder with cwa.yaml), else its folder:
    where the journal goes, so that ``cwa undo`` finds it."""
    if path.is_symlink():  # a link is judged where it is, not where it points
        path = path.absolute().parent
    return config.archive_of(path) or (path.resolve() if path.is_dir()
                                       else path.resolve().parent)


def documents(paths: list[Path]) -> list[Path]:
    """The documents to stamp: files named, and those below folders named. Folders are
    walked without following links (``cwa.scan``); a named file that is a link stays in
    the list, for ``plan`` to refuse."""
    found: list[Path] = []
    for path in paths:
        if path.is_symlink() or not path.is_dir():
            found.append(path)
            continue
        stack = [scan(path).tree]
        while stack:
            folder = stack.pop()
            for entry in folder.children:
                if entry.kind == "dir":
                    stack.append(entry)
                elif (entry.kind == "file" and not kinds.is_junk(entry.name)
                      and entry.ext in {".docx", *convert.OLD}):
                    found.append(path.joinpath(*entry.rel.split("/")))
    return sorted(found, key=lambda p: naming.natural_key(p.as_posix()))


def relative(root: Path, path: Path) -> str | None:
    """``path`` relative to the archive ``root`` (its folder resolved, not the file:
    a link is judged as a link), or None when it lies outside."""
    try:
        return (path.absolute().parent.resolve() / path.name).relative_to(root).as_posix()
    except ValueError:
        return None


def plan(root: Path, files: list[Path], convert_old: bool) -> StampPlan:
    result = StampPlan()
    for path in files:
        rel = relative(root, path)
        if rel is None:
            result.problems.append((str(path), "stamp.outside"))
            continue
        if path.is_symlink():
            result.problems.append((rel, "stamp.link"))
            continue
        ext = path.suffix.lower()
        if ext in convert.OLD:
            _old(root, path, rel, convert_old, result)
            continue
        if ext != ".docx":
            result.problems.append((rel, "stamp.not_docx"))
            continue
        if xml_safe(path.stem) != path.stem:  # the footer would show another name
            result.problems.append((rel, "stamp.not_utf8" if undecodable(path.stem)
                                    else "stamp.bad_name"))
            continue
        try:
            data = path.read_bytes()
            if not data:
                result.problems.append((rel, "stamp.empty"))
                continue
            package.check(data)
            new = stamped(data, path.stem)
        except package.Refused as refused:
            hostile = refused.reason in ("package.too_large", "package.doctype")
            result.problems.append((rel, refused.reason if hostile else "stamp.unreadable"))
            continue
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
    result.operations.append(WriteFile(relative(root, target) or rel, new))


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
        if not dry_run:
            ready(root)
        result = plan(root, documents(targets), convert_old)
        for op in result.operations:
            converts = isinstance(op, WriteFile)
            if dry_run:
                key = "stamp.plan_convert" if converts else "stamp.plan"
            else:
                key = "stamp.doing_convert" if converts else "stamp.doing"
            out.print(t(key, path=op.rel))
        for rel, problem in result.problems:
            err.print(Text(t("stamp.problem", path=rel, why=t(problem)), style="yellow"))
        out.print(t("stamp.summary", count=len(result.operations), done=len(result.done),
                    problems=len(result.problems)))
        if dry_run and result.operations:
            out.print(t("dry_run.nothing_written"))
        if dry_run or not result.operations:
            raise typer.Exit(EXIT_FINDINGS if result.problems else EXIT_OK)
        applied = apply(root, result.operations, "stamp")
        set_aside(applied.set_aside, err)
        for op, reason in applied.skipped:
            err.print(Text(t("stamp.skipped", path=op.rel, why=t(f"skip.{reason}")),
                           style="yellow"))
        out.print(t("stamp.applied", count=len(applied.done), journal=str(applied.journal)))
        raise typer.Exit(EXIT_FINDINGS if applied.skipped or result.problems else EXIT_OK)
