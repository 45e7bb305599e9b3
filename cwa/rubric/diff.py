"""What changed between two editions of a 测评体系: ``cwa rubric diff OLD NEW``.

Indicators are paired as ``cwa.rubric.pairing`` pairs them (and as ``cwa migrate`` moves
folders); then each pair is compared: renamed, moved to another parent, points, methods,
the standard's clauses, the evidence asked for. Pure data; ``diff_report`` shows it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from cwa import wording
from cwa.rubric import pairing
from cwa.rubric.model import Indicator, Rubric
from cwa.rubric.pairing import Node, Pair, Pairing

ADDED, REMOVED, RENAMED, MOVED, POINTS, METHODS, STANDARD, EVIDENCE = (
    "added", "removed", "renamed", "moved", "points", "methods", "standard", "evidence")
KINDS = (ADDED, REMOVED, RENAMED, MOVED, POINTS, METHODS, STANDARD, EVIDENCE)


@dataclass(frozen=True)
class Change:
    kind: str  # one of KINDS
    old: Node | None = None
    new: Node | None = None
    how: str = ""  # a rename: pairing.RENUMBERED / RENAMED / REWORDED / SAME_CODE / MAPPED
    before: str = ""  # points, methods: the value before and after
    after: str = ""
    gained: tuple[str, ...] = ()  # clauses or evidence the new edition adds
    lost: tuple[str, ...] = ()  # … and drops
    old_parent: Indicator | None = None  # a move: from under this
    new_parent: Indicator | None = None  # … to under that


@dataclass
class RubricDiff:
    old: Rubric
    new: Rubric
    pairing: Pairing
    changes: list[Change] = field(default_factory=list)
    totals: tuple[float | None, float | None] = (None, None)
    vetoes_gained: tuple[str, ...] = ()
    vetoes_lost: tuple[str, ...] = ()

    @property
    def equal(self) -> bool:
        return not self.changes and not self.vetoes_gained and not self.vetoes_lost and \
            self.totals[0] == self.totals[1]

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


def diff(old: Rubric, new: Rubric, mapping: dict[str, str | None] | None = None
         ) -> RubricDiff:
    paired = pairing.pair(old, new, mapping)
    result = RubricDiff(old, new, paired, totals=(old.total_points, new.total_points))
    by_old = {id(p.old.indicator): p for p in paired.pairs}
    for node in paired.added:
        result.changes.append(Change(ADDED, new=node))
    for node in [*paired.removed, *paired.held]:
        result.changes.append(Change(REMOVED, old=node))
    for p in paired.pairs:
        result.changes += compare(p, by_old)
    old_vetoes = Counter(v.text for v in old.vetoes)
    new_vetoes = Counter(v.text for v in new.vetoes)
    result.vetoes_gained = tuple((new_vetoes - old_vetoes).elements())
    result.vetoes_lost = tuple((old_vetoes - new_vetoes).elements())
    order = {kind: i for i, kind in enumerate(KINDS)}
    result.changes.sort(key=lambda c: order[c.kind])
    return result


def compare(p: Pair, by_old: dict[int, Pair]) -> list[Change]:
    """What differs within one pair."""
    out = []
    o, n = p.old.indicator, p.new.indicator
    if p.how != pairing.SAME and (o.code != n.code or o.wording != n.wording):
        out.append(Change(RENAMED, p.old, p.new, p.how))
    parent_pair = by_old.get(id(p.old.parent)) if p.old.parent is not None else None
    partner = parent_pair.new.indicator if parent_pair else None
    if partner is not p.new.parent:
        out.append(Change(MOVED, p.old, p.new, old_parent=p.old.parent,
                          new_parent=p.new.parent))
    if o.points != n.points:
        out.append(Change(POINTS, p.old, p.new, before=points_text(o.points),
                          after=points_text(n.points)))
    if set(o.methods) != set(n.methods):
        out.append(Change(METHODS, p.old, p.new, before=wording.listing(o.methods),
                          after=wording.listing(n.methods)))
    gained, lost = _delta([c.text for c in o.clauses], [c.text for c in n.clauses])
    if gained or lost:
        out.append(Change(STANDARD, p.old, p.new, gained=gained, lost=lost))
    gained, lost = _delta(_evidence(o), _evidence(n))
    if gained or lost:
        out.append(Change(EVIDENCE, p.old, p.new, gained=gained, lost=lost))
    return out


def _evidence(indicator: Indicator) -> list[str]:
    items = list(indicator.evidence) + [e for c in indicator.clauses for e in c.evidence]
    return [wording.evidence(e) for e in items]


def _delta(before: list[str], after: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    a, b = Counter(before), Counter(after)
    return tuple((b - a).elements()), tuple((a - b).elements())


def points_text(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
