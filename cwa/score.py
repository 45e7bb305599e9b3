"""The score estimate of the document review (材料审核) part: what the archive proves.

The rule (documented in the README, with a worked example):

- an evidence item earns a share of what it asks: 1 when satisfied; else, counted by
  year, the share of due years that have enough; by cadence, the share of due periods
  (months, quarters…) that have enough; otherwise found ÷ minimum (activities: complete
  activities ÷ activities asked). An item with ``deduct`` earns no share: each missing
  unit (file, year, period, activity) costs ``deduct`` points instead;
- a leaf without clauses: points × the mean share of its items, less its items'
  deductions, never below 0 (扣完为止);
- a leaf with clauses: each clause is judged on its own items and the leaf's shared
  ones. Clauses with points earn points × share, added up (capped at the leaf's points);
  clauses without points share the leaf's points by their mean share; a clause with
  ``deduct`` costs that many points when not fully met (floor 0); with ``grading`` the
  clauses met give A/B/C/C# = 100/66/33/0 % of the points (clauses that only the
  inspectors can judge count as met: this estimates the archive's part);
- a parent whose children all have points adds theirs up (scaled to its own points when
  they exceed it); otherwise points × the children's mean share (weighted by points);
  items on the parent itself multiply its estimate by their mean share;
- a ``bonus`` indicator (加分项) earns up to its points, added on top: it is not part of
  what is possible; declared deductions (a ``vetoes`` item with ``deduct`` answered 是)
  come off the total, never below 0; a declared 一票否决 marks the score as barred;
- indicators whose 测评方法 need no documents, and those that do not apply to this
  unit's type, are left out of both the estimate and what is possible;
- with ``points_by_year`` each year is estimated on its own (items counted by year see
  that year only) and weighs its points over the total (鄂州: 2017 = 40 %, 2018 = 60 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from cwa.checks.evidence import (
    COMPLETE,
    NOT_ARCHIVE,
    UNSCORED,
    ClauseResult,
    EvidenceResult,
    IndicatorResult,
)
from cwa.rubric.model import GRADE_FACTORS, Rubric

Pair = tuple[float, float]  # (estimate, possible)


class Score(NamedTuple):
    estimate: float  # base + bonus − declared deductions, never below 0
    possible: float  # points of the indicators the archive has to prove (bonus apart)
    bonus: float = 0.0  # earned by bonus indicators (in ``estimate``)
    bonus_cap: float = 0.0
    deducted: float = 0.0  # declared deductions (taken off ``estimate``)
    vetoed: bool = False  # a 一票否决 item answered 是
    by_year: tuple[tuple[int, float, float], ...] = ()  # year, estimate, possible (weighted)


def item_share(item: EvidenceResult, year: int | None = None) -> float | None:
    """How much of what ``item`` asks is there (0–1); None when ``year`` asks nothing."""
    e = item.evidence
    if e.cadence and (item.due_periods or year is not None):
        due = [p for p in item.due_periods if year is None or p[0] == year]
        if not due:
            return None
        missing = sum(1 for p in item.missing_periods if year is None or p[0] == year)
        return (len(due) - missing) / len(due)
    if e.per_year and (item.due_years or year is not None):
        years = [y for y in item.due_years if year is None or y == year]
        if not years:
            return None
        missing = sum(1 for y in item.missing_years if y in years)
        return (len(years) - missing) / len(years)
    if item.satisfied:
        return 1.0
    required = e.activities or e.min
    return min(item.found / required, 1.0)


def items_estimate(items: list[EvidenceResult], points: float,
                   year: int | None = None) -> float | None:
    """points × the mean share of the items, less the deductions, never below 0."""
    shares = [s for i in items if not i.evidence.deduct
              if (s := item_share(i, year)) is not None]
    deducting = [i for i in items if i.evidence.deduct]
    lost = sum((i.evidence.deduct or 0) * i.missing_units(year) for i in deducting)
    if not shares and not deducting:
        return None
    base = sum(shares) / len(shares) if shares else 1.0
    return max(0.0, points * base - lost)


class Scorer:
    """Estimates for every indicator and clause of one rubric, and the total."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        total = rubric.points or sum(p for _, p in rubric.points_by_year)
        self.weights = [(y, p / total) for y, p in rubric.points_by_year] if total else []

    def _years(self) -> list[tuple[int | None, float]]:
        return list(self.weights) if self.weights else [(None, 1.0)]

    # -- per indicator -------------------------------------------------------------
    def of(self, result: IndicatorResult) -> Pair | None:
        """(estimate, possible) of one indicator; None without points or documents."""
        out: Pair | None = None
        for year, weight in self._years():
            pair = self._estimate(result, year)
            if pair is not None:
                out = (out[0] if out else 0.0) + pair[0] * weight, \
                    (out[1] if out else 0.0) + pair[1] * weight
        return out

    def clause(self, result: IndicatorResult, clause: ClauseResult) -> Pair | None:
        """(estimate, possible) of a clause with points."""
        points = clause.clause.points
        if points is None or clause.status == NOT_ARCHIVE or result.status in UNSCORED:
            return None
        out: Pair | None = None
        for year, weight in self._years():
            if result.na_note:
                earned: float | None = points
            else:
                earned = items_estimate(clause.items, points, year)
            if earned is not None:
                out = (out[0] if out else 0.0) + earned * weight, \
                    (out[1] if out else 0.0) + points * weight
        return out

    def share(self, result: IndicatorResult, year: int | None = None) -> float | None:
        """How much of what ``result`` asks is there (0–1); None when it needs no
        documents or does not apply."""
        if result.status in UNSCORED:
            return None
        if not result.children:
            pair = self._leaf(result, year, 1.0)
            return pair[0] / pair[1] if pair and pair[1] else None
        parts = [(c, s) for c in result.children if not c.indicator.bonus
                 if (s := self.share(c, year)) is not None]
        if not parts:
            return None
        points = [c.indicator.points for c, _ in parts]
        if all(p is not None for p in points) and sum(p or 0 for p in points) > 0:
            portion = sum((c.indicator.points or 0) * s for c, s in parts) / \
                sum(p or 0 for p in points)
        else:
            portion = sum(s for _, s in parts) / len(parts)
        own = items_estimate(result.evidence, 1.0, year) if result.evidence else None
        return portion * own if own is not None else portion

    def _estimate(self, result: IndicatorResult, year: int | None) -> Pair | None:
        if result.status in UNSCORED:
            return None
        points = result.indicator.points
        if not result.children:
            if points is None:  # a leaf's points may be its clauses'
                parts = [c.clause.points for c in result.clauses if c.status != NOT_ARCHIVE]
                if not parts or any(p is None for p in parts):
                    return None
                points = sum(p or 0.0 for p in parts)
            return self._leaf(result, year, points)
        pair = self._parent(result, year)
        if pair is None:
            return None
        if result.evidence:
            own = items_estimate(result.evidence, 1.0, year)
            if own is not None:
                pair = pair[0] * own, pair[1]
        return pair

    def _parent(self, result: IndicatorResult, year: int | None) -> Pair | None:
        ind, children = result.indicator, result.children
        points = ind.points
        if points is None or all(c.indicator.points is not None for c in children):
            earned = possible = extra = 0.0
            known = False
            for child in children:
                pair = self._estimate(child, year)
                if pair is None:
                    continue
                known = True
                if child.indicator.bonus:
                    extra += pair[0]
                else:
                    earned, possible = earned + pair[0], possible + pair[1]
            if not known:
                return None
            if points is not None and possible > points:
                earned, possible = earned * points / possible, points
            if ind.bonus and points is not None:
                return min(earned + extra, points), points
            return earned + extra, possible
        portion = self.share(result, year)
        if portion is None:
            return None
        if ind.bonus:
            return min(points * portion, points), points
        return points * portion, points

    def _leaf(self, result: IndicatorResult, year: int | None, points: float) -> Pair | None:
        ind = result.indicator
        if result.na_note:
            return points, points
        if not ind.clauses:
            earned = items_estimate(result.evidence, points, year)
            return (earned, points) if earned is not None else None
        scored = [c for c in result.clauses if c.status != NOT_ARCHIVE]
        if not scored:
            return None
        if ind.grading is not None:
            met = sum(1 for c in result.clauses if c.status == NOT_ARCHIVE
                      or items_estimate(c.items, 1.0, year) == 1.0)
            return points * GRADE_FACTORS[ind.grading.grade(met)], points
        deducting = [c for c in scored if c.clause.deduct]
        rest = [c for c in scored if not c.clause.deduct]
        lost = sum(c.clause.deduct or 0 for c in deducting
                   if (items_estimate(c.items, 1.0, year) or 0.0) < 1.0)
        if deducting and not any(c.clause.points for c in rest):
            shares = [s for c in rest if (s := items_estimate(c.items, 1.0, year)) is not None]
            base = sum(shares) / len(shares) if shares else 1.0
            return max(0.0, points * base - lost), points
        if all(c.clause.points is not None for c in rest):
            earned = possible = 0.0
            for c in rest:
                cp = c.clause.points or 0.0
                got = items_estimate(c.items, cp, year)
                if got is not None:
                    earned, possible = earned + got, possible + cp
            if possible == 0:
                return None
            if possible > points:
                earned, possible = earned * points / possible, points
            return max(0.0, earned - lost), possible
        shares = [s for c in rest if (s := items_estimate(c.items, 1.0, year)) is not None]
        if not shares:
            return None
        return max(0.0, points * sum(shares) / len(shares) - lost), points

    # -- the whole -----------------------------------------------------------------
    def total(self, results: list[IndicatorResult], answers: Mapping[str, bool]) -> Score | None:
        """None when the rubric gives no points."""
        base = [r for r in results if not r.indicator.bonus]
        bonus = [r for r in results if r.indicator.bonus]
        known = [x for r in base if (x := self.of(r)) is not None]
        extra = [x for r in bonus if (x := self.of(r)) is not None]
        if not known and not extra:
            return None
        estimate = sum(e for e, _ in known)
        possible = sum(p for _, p in known)
        bonus_earned = sum(e for e, _ in extra)
        deducted = sum(v.deduct or 0 for v in self.rubric.vetoes
                       if v.deduct and answers.get(v.code))
        vetoed = any(answers.get(v.code) for v in self.rubric.vetoes if not v.deduct)
        by_year = []
        for year, weight in self.weights:
            pairs = [x for r in base if (x := self._estimate(r, year)) is not None]
            by_year.append((year, round(sum(e for e, _ in pairs) * weight, 2),
                            round(sum(p for _, p in pairs) * weight, 2)))
        return Score(round(max(0.0, estimate + bonus_earned - deducted), 2), round(possible, 2),
                     round(bonus_earned, 2), sum(r.indicator.points or 0 for r in bonus),
                     deducted, vetoed, tuple(by_year))


def grade(result: IndicatorResult) -> str | None:
    """The A/B/C/C# grade of a graded leaf, from its clauses met."""
    grading = result.indicator.grading
    if grading is None or result.status in UNSCORED:
        return None
    met = sum(1 for c in result.clauses if c.status in (COMPLETE, NOT_ARCHIVE))
    return grading.grade(met)
