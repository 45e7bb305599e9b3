"""Changes to an archive, planned as data before anything is touched."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cwa import config, kinds, wording
from cwa.match import Layout, Placement, match
from cwa.messages import t
from cwa.rubric.model import Indicator, Naming, Rubric, Years
from cwa.scan import Entry, scan


def unsafe(rel: str) -> bool:
    """Is ``rel`` not a plain relative path inside the archive — empty, absolute, with an
    empty, ``.`` or ``..`` part, a NUL, or (Windows) a backslash or a drive? The string
    tests every step's path passes (``apply`` also resolves its folder; a journal naming
    such a path was not written by cwa)."""
    if not rel or rel.startswith("/") or "\x00" in rel or (
            os.name == "nt" and ("\\" in rel or ":" in rel)):
        return True
    wrapped = f"/{rel}/"  # a part that is empty, "." or "..": "//", "/./" or "/../"
    return "//" in wrapped or "/./" in wrapped or "/../" in wrapped


@dataclass(frozen=True)
class Mkdir:
    rel: str


@dataclass(frozen=True)
class WriteFile:
    """A new file (never an existing one: the step fails if the name is taken)."""

    rel: str
    text: str | bytes


@dataclass(frozen=True)
class Replace:
    """New content for an existing file (a stamped .docx). ``before`` is the SHA-256 of the
    content it replaces: the step is skipped if the file changed since it was planned, and
    the original bytes are kept in the journal, so that undo restores them exactly."""

    rel: str
    data: bytes
    before: str


@dataclass(frozen=True)
class Rename:
    """Rename ``rel`` to ``to`` (both relative paths, as they are when the step runs).

    Renames of one folder's entries whose targets are other entries' current names go
    through temporary names: ``phase`` 1 moves every source aside, phase 2 into place, and
    ``group`` ties them so that a failure in phase 1 puts the group back as it was."""

    rel: str
    to: str
    group: int = 0
    phase: int = 0


Operation = Mkdir | WriteFile | Rename | Replace


@dataclass
class InitPlan:
    operations: list[Operation] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)  # indicator folders already there
    left_alone: list[str] = field(default_factory=list)  # folders matching no indicator
    kept: list[str] = field(default_factory=list)  # existing files not touched


def plan_init(archive: Path, rubric: Rubric, rubric_ref: str, years: Years | None,
              options: Naming, notes: bool = True) -> InitPlan:
    """What ``cwa init`` would create; existing folders that match are reused."""
    plan = InitPlan()
    root = scan(archive).tree if archive.is_dir() else Entry(archive.name, "", "dir")
    layout: Layout = match(rubric, root, options)
    if _has(root, config.FILENAME):
        plan.kept.append(config.FILENAME)
    else:
        text = config.render(config.Config(rubric_ref, years, options), rubric)
        plan.operations.append(WriteFile(config.FILENAME, text))
    _left_alone(root, layout.placements, plan)
    for placement in layout.placements:
        _placement(placement, plan, notes)
    return plan


def _placement(placement: Placement, plan: InitPlan, notes: bool) -> None:
    if placement.folder is None:
        plan.operations.append(Mkdir(placement.rel))
    else:
        plan.reused.append(placement.rel)
        if not placement.indicator.is_leaf:
            _left_alone(placement.folder, placement.children, plan)
    note_rel = f"{placement.rel}/{kinds.NOTE_FILE}"
    if notes:
        if placement.folder is not None and _has(placement.folder, kinds.NOTE_FILE):
            plan.kept.append(note_rel)
        else:
            plan.operations.append(WriteFile(note_rel, note_text(placement.indicator)))
    for child in placement.children:
        _placement(child, plan, notes)


def _left_alone(folder: Entry, placements: list[Placement], plan: InitPlan) -> None:
    matched = {id(p.folder) for p in placements}
    plan.left_alone += [c.rel for c in folder.children if c.is_dir and id(c) not in matched]


def _has(folder: Entry, name: str) -> bool:
    return any(c.name == name for c in folder.children)


def note_text(indicator: Indicator) -> str:
    """The requirement note for the clerk (UTF-8 with BOM and CRLF, for Windows Notepad)."""
    lines = [t("note.title", code=indicator.code, name=indicator.wording)]
    facts = []
    if indicator.points is not None:
        facts.append(t("note.points", points=f"{indicator.points:g}"))
    if indicator.methods:
        facts.append(t("note.methods", methods=wording.listing(indicator.methods)))
    if indicator.owners:
        facts.append(t("note.owners", owners=wording.listing(indicator.owners)))
    if facts:
        lines.append("　".join(facts))
    if indicator.note:
        lines += ["", t("note.requirement"), indicator.note]
    for clause in indicator.clauses:  # 测评标准 items: each with its own evidence
        points = t("note.points", points=f"{clause.points:g}") if clause.points else ""
        code = f"{clause.code})" if clause.code.isdigit() else clause.code
        lines += ["", f"{code} {clause.text}　{points}".rstrip()]
        lines += [f"  • {wording.evidence(e)}" for e in clause.evidence]
    if indicator.evidence:
        lines += ["", t("note.evidence")]
        for i, e in enumerate(indicator.evidence, start=1):
            lines.append(f"  {i}. {wording.evidence(e)}")
    elif indicator.clauses:
        pass
    elif indicator.children:
        lines += ["", t("note.children")]
        lines += [f"  {c.code} {c.wording}" for c in indicator.children]
    elif indicator.needs_archive:
        lines += ["", t("note.any_document")]
    else:
        lines += ["", t("note.no_archive")]
    lines += ["", t("note.footer")]
    return "\ufeff" + "\r\n".join(lines) + "\r\n"
