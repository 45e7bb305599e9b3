"""Rubrics shipped with cwa, usable by name (``--rubric archive-scope``)."""

from __future__ import annotations

from pathlib import Path

from cwa.errors import CwaError, Problem
from cwa.messages import t
from cwa.rubric.model import Rubric

DEFAULT = "archive-scope"


def directory() -> Path:
    """Installed wheels carry them in ``cwa/rubrics``; a source checkout in ``rubrics/``."""
    packaged = Path(__file__).resolve().parent.parent / "rubrics"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "rubrics"


def names() -> list[str]:
    return sorted(p.stem for p in directory().glob("*.yaml"))


def is_bundled(ref: str) -> bool:
    return "/" not in ref and "\\" not in ref and not ref.endswith((".yaml", ".yml")) \
        and (directory() / f"{ref}.yaml").is_file()


def resolve(ref: str, base: Path | None = None) -> tuple[Path, str]:
    """A bundled name or a path (relative to ``base`` when given): (path, name to show)."""
    if is_bundled(ref):
        return directory() / f"{ref}.yaml", ref
    path = Path(ref).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    if not path.exists():
        path = _as_gbk(path)
    if not path.exists():
        raise CwaError("error.rubric_not_found", ref=ref, names=t("list.sep").join(names()))
    return path, ref if base is not None else str(path)


def _as_gbk(path: Path) -> Path:
    """The same path with its name as GBK bytes: a cwa.yaml read as GB18030 names a
    rubric file unzipped from a Chinese Windows zip, whose name on disk is GBK."""
    import os

    try:
        return path.with_name(os.fsdecode(path.name.encode("gb18030")))
    except (UnicodeEncodeError, ValueError):
        return path


def load_ref(ref: str, base: Path | None = None) -> tuple[Rubric, list[Problem]]:
    path, shown = resolve(ref, base)
    from cwa.rubric import load  # PyYAML only when a rubric is parsed

    return load.load(path, shown)
