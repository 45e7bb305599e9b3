"""The score estimate of the 材料审核 part, and the work left per 责任单位.

The rule (documented in the README): every evidence item earns a share of what it asks
— 1 when satisfied; otherwise, for a per-year item, the share of years that have enough,
and for a counted item, what was found over the minimum. A leaf indicator's share is the
mean of its items' shares; a parent's is the mean of its children's, weighted by their
points where all have points. A leaf's estimate is its points times its share. A parent
whose children all have points adds up theirs (capped at its own points); otherwise it is
its points times its share. Indicators whose 测评方法 need no documents are left out of
both the estimate and what is possible: this estimates only what the archive proves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cwa.checks.evidence import COMPLETE, NOT_ARCHIVE, EvidenceResult, IndicatorResult


def item_share(item: EvidenceResult, years: int) -> float:
    if item.satisfied:
        return 1.0
    if item.evidence.per_year and years:
        return (years - len(item.missing_years)) / years
    return min(item.found / item.evidence.min, 1.0)


def share(result: IndicatorResult, years: int) -> float | None:
    """How much of what ``result`` asks is there (0–1); None when it needs no documents."""
    if result.status == NOT_ARCHIVE:
        return None
    if not result.children:
        if not result.evidence:
            return 1.0 if result.status == COMPLETE else 0.0
        return sum(item_share(i, years) for i in result.evidence) / len(result.evidence)
    parts = [(c, s) for c in result.children if (s := share(c, years)) is not None]
    if not parts:
        return None
    points = [c.indicator.points for c, _ in parts]
    if all(p is not None for p in points) and sum(p or 0 for p in points) > 0:
        return sum((c.indicator.points or 0) * s for c, s in parts) / sum(p or 0 for p in points)
    return sum(s for _, s in parts) / len(parts)


@dataclass(frozen=True)
class Score:
    estimate: float  # points the archive likely earns
    possible: float  # points of the indicators the archive has to prove


def estimate_of(result: IndicatorResult, years: int) -> tuple[float, float] | None:
    """(estimate, possible) for one indicator; None without points or documents."""
    if result.status == NOT_ARCHIVE:
        return None
    children, points = result.children, result.indicator.points
    if children and (points is None or all(c.indicator.points is not None for c in children)):
        known = [x for c in children if (x := estimate_of(c, years)) is not None]
        if not known:
            return None
        earned, possible = sum(e for e, _ in known), sum(p for _, p in known)
        if points is not None and possible > points:
            earned, possible = earned * points / possible, points
        return earned, possible
    portion = share(result, years)
    if points is None or portion is None:
        return None
    return points * portion, points


def estimate(results: list[IndicatorResult], years: int) -> Score | None:
    """None when the rubric gives no points."""
    known = [x for r in results if (x := estimate_of(r, years)) is not None]
    if not known:
        return None
    return Score(round(sum(e for e, _ in known), 2), sum(p for _, p in known))


@dataclass(frozen=True)
class Task:
    """What one indicator still needs, for the department responsible."""

    result: IndicatorResult
    missing: list[EvidenceResult]


def by_owner(results: list[IndicatorResult], unknown: str) -> dict[str, list[Task]]:
    """Leaf indicators not yet complete, under each of their 责任单位 (inherited from the
    nearest indicator above that names them; ``unknown`` where none does)."""
    out: dict[str, list[Task]] = defaultdict(list)

    def walk(result: IndicatorResult, inherited: tuple[str, ...]) -> None:
        owners = result.indicator.owners or inherited
        if result.children:
            for child in result.children:
                walk(child, owners)
            return
        if result.status == COMPLETE or result.status == NOT_ARCHIVE:
            return
        task = Task(result, [i for i in result.evidence if not i.satisfied])
        for owner in owners or (unknown,):
            out[owner].append(task)

    for result in results:
        walk(result, ())
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == unknown, kv[0])))
