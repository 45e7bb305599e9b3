"""``cwa rubric diff`` shown: as lines for the terminal, as Markdown, as JSON."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from cwa import wording
from cwa.messages import t
from cwa.rubric.diff import (
    ADDED,
    EVIDENCE,
    KINDS,
    METHODS,
    MOVED,
    POINTS,
    REMOVED,
    RENAMED,
    STANDARD,
    Change,
    RubricDiff,
    points_text,
)
from cwa.rubric.model import Indicator, Rubric
from cwa.rubric.pairing import Node

SCHEMA_VERSION = 1
_MARKS = {ADDED: ("+ ", "green"), REMOVED: ("- ", "red"), RENAMED: ("~ ", "yellow"),
          MOVED: ("↷ ", "yellow"), POINTS: ("", "cyan"), METHODS: ("", "cyan"),
          STANDARD: ("", "cyan"), EVIDENCE: ("", "cyan")}


def label(node: Node | Indicator | None) -> str:
    if node is None:
        return t("diff.top_level")
    indicator = node.indicator if isinstance(node, Node) else node
    return f"{indicator.code} {indicator.wording}"


def heading(rubric: Rubric, which: str) -> str:
    edition = wording.paren(rubric.edition) if rubric.edition else ""
    total = t("diff.total", points=f"{rubric.total_points:g}") \
        if rubric.total_points is not None else ""
    return t(f"diff.{which}", name=rubric.name, edition=edition,
             count=sum(1 for _ in rubric.walk()), total=total, origin=rubric.origin)


def describe(change: Change) -> str:
    """One change in a sentence (without its mark)."""
    if change.kind == ADDED:
        points = change.new.indicator.points if change.new else None
        return label(change.new) + (wording.paren(t("diff.points", points=f"{points:g}"))
                                    if points is not None else "")
    if change.kind == REMOVED:
        return label(change.old)
    if change.kind == RENAMED:
        return t("diff.renamed", old=label(change.old), new=label(change.new),
                 how=t(f"diff.how.{change.how}"))
    if change.kind == MOVED:
        return t("diff.moved", name=label(change.new), old=label(change.old_parent),
                 new=label(change.new_parent))
    if change.kind in (POINTS, METHODS):
        return t(f"diff.{change.kind}_change", name=label(change.new),
                 before=change.before or "—", after=change.after or "—")
    parts = []
    if change.gained:
        parts.append(t("diff.gained", items=wording.listing(f"“{x}”" for x in change.gained)))
    if change.lost:
        parts.append(t("diff.lost", items=wording.listing(f"“{x}”" for x in change.lost)))
    return t("diff.items_change", name=label(change.new), parts=t("diff.part_sep").join(parts))


def lines(result: RubricDiff) -> list[Text]:
    out = [Text(heading(result.old, "old")), Text(heading(result.new, "new"))]
    for kind in KINDS:
        changes = result.of(kind)
        if not changes:
            continue
        out.append(Text(t(f"diff.section.{kind}", count=len(changes)), "bold"))
        mark, style = _MARKS[kind]
        for change in changes:
            line = Text("  ")
            line.append(mark, style)
            line.append(describe(change))
            out.append(line)
    if result.vetoes_gained or result.vetoes_lost:
        out.append(Text(t("diff.section.vetoes"), "bold"))
        for text in result.vetoes_gained:
            out.append(Text("  + " + text))
        for text in result.vetoes_lost:
            out.append(Text("  - " + text))
    if result.totals[0] != result.totals[1]:
        out.append(Text(t("diff.totals", before=points_text(result.totals[0]),
                          after=points_text(result.totals[1])), "bold"))
    out.append(Text(t("diff.equal") if result.equal else
                    t("diff.summary", count=len(result.changes) + len(result.vetoes_gained)
                      + len(result.vetoes_lost)), "bold"))
    return out


def markdown(result: RubricDiff) -> str:
    from cwa.report.markdown import _escape as escape

    out = [f"# {t('diff.title')}", "", f"- {escape(heading(result.old, 'old'))}",
           f"- {escape(heading(result.new, 'new'))}", ""]
    for kind in KINDS:
        changes = result.of(kind)
        if not changes:
            continue
        out += [f"## {t(f'diff.section.{kind}', count=len(changes))}", ""]
        out += [f"- {escape(describe(c))}" for c in changes]
        out.append("")
    if result.vetoes_gained or result.vetoes_lost:
        out += [f"## {t('diff.section.vetoes')}", ""]
        out += [f"- ➕ {escape(x)}" for x in result.vetoes_gained]
        out += [f"- ➖ {escape(x)}" for x in result.vetoes_lost]
        out.append("")
    if result.totals[0] != result.totals[1]:
        out += [escape(t("diff.totals", before=points_text(result.totals[0]),
                         after=points_text(result.totals[1]))), ""]
    out.append(t("diff.equal") if result.equal else
               t("diff.summary", count=len(result.changes) + len(result.vetoes_gained)
                 + len(result.vetoes_lost)))
    return "\n".join(out) + "\n"


def _node(node: Node | None) -> dict[str, Any] | None:
    if node is None:
        return None
    return {"code": node.indicator.code, "name": node.indicator.wording,
            "points": node.indicator.points}


def _rubric(rubric: Rubric) -> dict[str, Any]:
    return {"rubric": rubric.name, "edition": rubric.edition, "source": rubric.origin,
            "total": rubric.total_points, "indicators": sum(1 for _ in rubric.walk())}


def to_dict(result: RubricDiff) -> dict[str, Any]:
    changes = []
    for c in result.changes:
        item: dict[str, Any] = {"kind": c.kind, "old": _node(c.old), "new": _node(c.new)}
        if c.how:
            item["how"] = c.how
        if c.kind in (POINTS, METHODS):
            item["before"], item["after"] = c.before, c.after
        if c.kind in (STANDARD, EVIDENCE):
            item["gained"], item["lost"] = list(c.gained), list(c.lost)
        if c.kind == MOVED:
            item["from"] = c.old_parent.code if c.old_parent else None
            item["to"] = c.new_parent.code if c.new_parent else None
        changes.append(item)
    return {
        "schema_version": SCHEMA_VERSION,
        "old": _rubric(result.old),
        "new": _rubric(result.new),
        "equal": result.equal,
        "counts": {kind: len(result.of(kind)) for kind in KINDS},
        "changes": changes,
        "vetoes": {"gained": list(result.vetoes_gained), "lost": list(result.vetoes_lost)},
        "candidates": {code: [{"code": n.code, "name": n.indicator.wording,
                               "score": round(s, 2)} for n, s in found]
                       for code, found in result.pairing.candidates.items()},
    }
