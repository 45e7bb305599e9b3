"""The summary as data: units grouped by rubric (never mixed), ranked, sorted, filtered;
its JSON shape (``schema_version`` 1, documented in the README) is ``to_dict``.

Ranking, within a group: by the score estimate as a share of what is possible to the
unit (估分率: a unit to which fewer indicators apply is not ranked down for it), then the
estimate itself; where the rubric gives no points, by the share of its indicators that
are complete. A unit that declared a 一票否决 item comes after the others (it may not
apply). Equal units share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from cwa import __version__
from cwa.printable import repaired
from cwa.report.model import now
from cwa.summary.row import Row
from cwa.summary.run import Counts, Outcome
from cwa.wording import paren

SCHEMA_VERSION = 1
KIND = "summary"
BINS = 10  # the distribution of estimates: 0–10 %, …, 90–100 % (and above, with bonus)


class Sort(str, Enum):
    rank = "rank"
    name = "name"
    complete = "complete"
    errors = "errors"
    warnings = "warnings"
    behind = "behind"
    changed = "changed"


@dataclass(frozen=True)
class Filters:
    unit_type: str | None = None  # units of this type (cwa.yaml unit_type)
    indicator: str | None = None  # units whose top-level indicator CODE is not complete
    below: float | None = None  # units under this percentage (估分率 or complete share)
    behind: int | None = None  # units at least this many months behind on cadence items
    name: str | None = None  # units whose name contains this

    def active(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Group:
    rubric: dict[str, Any]  # name, edition
    indicators: list[dict[str, Any]]  # the top-level indicators: code, name, bonus
    scored: bool  # ranked by the estimate (the rubric gives points)
    rows: list[Row] = field(default_factory=list)  # ranked, sorted, filtered
    total: int = 0  # units in the group before filtering
    distribution: list[int] = field(default_factory=list)  # units per BINS of the metric

    @property
    def title(self) -> str:
        edition = self.rubric.get("edition")
        return str(self.rubric["name"]) + (paren(str(edition)) if edition else "")


@dataclass
class Summary:
    groups: list[Group]
    unreadable: list[Row]
    counts: Counts
    roots: list[str]
    sort: Sort = Sort.rank
    filters: Filters = field(default_factory=Filters)
    generated: str = ""

    @property
    def shown(self) -> int:
        return sum(len(g.rows) for g in self.groups)


def metric(row: Row, scored: bool) -> float | None:
    """What ranks a unit in its group, 0–1 (more with bonus points): the estimate's
    share of what is possible, or the share of indicators complete."""
    if scored:
        estimate = row.get("estimate")
        return float(estimate["share"]) if estimate else None
    share = row["indicators"]["share"]
    return float(share) if share is not None else None


def build(outcome: Outcome, roots: list[str], sort: Sort = Sort.rank,
          filters: Filters | None = None) -> Summary:
    filters = filters or Filters()
    groups: dict[tuple[Any, ...], Group] = {}
    unreadable = []
    for row in outcome.rows:
        if "error" in row:
            unreadable.append(row)
            continue
        rubric = row["rubric"]
        tops = tuple((t["code"], t["name"]) for t in row["top"])
        key = (rubric["name"], rubric.get("edition"), tops)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(
                {"name": rubric["name"], "edition": rubric.get("edition")},
                [{"code": t["code"], "name": t["name"], "bonus": t["bonus"]}
                 for t in row["top"]], scored=False)
        group.rows.append(row)
        group.scored = group.scored or row.get("estimate") is not None
    for group in groups.values():
        _rank(group)
        group.total = len(group.rows)
        group.distribution = distribution(group)
        group.rows = sorted((r for r in group.rows if keep(r, filters, group.scored)),
                            key=_order(sort, group.scored))
    ordered = sorted(groups.values(), key=lambda g: (-g.total, g.title))
    return Summary(ordered, unreadable, outcome.counts, roots, sort, filters, now())


def _rank(group: Group) -> None:
    def key(row: Row) -> tuple[Any, ...]:
        value = metric(row, group.scored)
        estimate = (row.get("estimate") or {}).get("estimate") or 0.0
        return (row["vetoes"]["barred"], value is None, -(value or 0.0), -estimate)

    group.rows.sort(key=lambda r: (*key(r), r["unit"]))
    previous: tuple[Any, ...] | None = None
    for position, row in enumerate(group.rows, start=1):
        current = key(row)
        row["rank"] = group.rows[position - 2]["rank"] if current == previous else position
        previous = current


def distribution(group: Group) -> list[int]:
    counts = [0] * BINS
    for row in group.rows:
        value = metric(row, group.scored)
        if value is not None:
            counts[min(BINS - 1, max(0, int(value * BINS)))] += 1
    return counts


def keep(row: Row, filters: Filters, scored: bool) -> bool:
    if filters.unit_type is not None and filters.unit_type not in row["unit_types"]:
        return False
    if filters.name is not None and filters.name.casefold() not in repaired(
            row["unit"]).casefold():  # a GBK folder name: found by its reading
        return False
    if filters.indicator is not None:
        top = next((t for t in row["top"] if t["code"] == filters.indicator), None)
        if top is None or top["status"] not in ("partial", "missing"):
            return False
    if filters.below is not None:
        value = metric(row, scored)
        if value is None or value * 100 >= filters.below:
            return False
    return filters.behind is None or row["behind"] >= filters.behind


def _order(sort: Sort, scored: bool) -> Callable[[Row], Any]:
    if sort is Sort.name:
        from cwa.collate import pinyin_key

        return lambda r: pinyin_key(r["unit"])
    if sort is Sort.complete:
        return lambda r: (-(r["indicators"]["share"] or 0.0), r["rank"])
    if sort is Sort.errors:
        return lambda r: (-r["findings"]["error"], r["rank"])
    if sort is Sort.warnings:
        return lambda r: (-r["findings"]["warning"], r["rank"])
    if sort is Sort.behind:
        return lambda r: (-r["behind"], r["rank"])
    if sort is Sort.changed:  # the longest untouched first; unknown last
        return lambda r: (r["last_change"] is None, _instant(r["last_change"]), r["rank"])
    return lambda r: (r["rank"], r["unit"])


def _instant(text: str | None) -> float:
    from datetime import datetime

    if not text:
        return 0.0
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return 0.0


#: What a row holds for the summary's own use, left out of its JSON.
PRIVATE = ("empty_files",)


def to_dict(summary: Summary) -> dict[str, Any]:
    """The JSON shape (``schema_version`` 1). Keys are stable; new keys may be added."""
    c = summary.counts
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "tool": {"name": "cwa", "version": __version__},
        "generated_at": summary.generated,
        "roots": summary.roots,
        "counts": {"units": c.units, "archives": c.archives, "reports": c.reports,
                   "checked": c.checked, "from_cache": c.from_cache,
                   "unreadable": c.unreadable, "skipped": c.skipped,
                   "shown": summary.shown},
        "sort": summary.sort.value,
        "filters": summary.filters.active(),
        "groups": [{
            "rubric": g.rubric,
            "ranked_by": "estimate" if g.scored else "complete",
            "indicators": g.indicators,
            "units_total": g.total,
            "distribution": g.distribution,
            "units": [_public(r) for r in g.rows],
        } for g in summary.groups],
        "unreadable": [_public(r) for r in summary.unreadable],
    }


def _public(row: Row) -> Row:
    return {k: v for k, v in row.items() if k not in PRIVATE}
