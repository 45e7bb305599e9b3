"""The work left per 责任单位: each department's list of indicators not yet complete."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cwa.checks.evidence import COMPLETE, UNSCORED, EvidenceResult, IndicatorResult


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
        if result.status == COMPLETE or result.status in UNSCORED:
            return
        task = Task(result, [i for i in result.evidence if not i.satisfied])
        for owner in owners or (unknown,):
            out[owner].append(task)

    for result in results:
        walk(result, ())
    from cwa.collate import pinyin_key  # departments in the order of a Chinese list

    return dict(sorted(out.items(), key=lambda kv: (kv[0] == unknown, pinyin_key(kv[0]))))
