"""What several renderers say alike: what an indicator still needs, where a finding is."""

from __future__ import annotations

from cwa import wording
from cwa.checks.evidence import EvidenceResult
from cwa.messages import t
from cwa.printable import printable
from cwa.report.score import Task

#: Said by the evidence lines under each indicator, not repeated as findings.
SHOWN_AS_EVIDENCE = frozenset({"EV001", "EV002"})


def shown_path(path: str, base: str) -> str:
    """A finding's path as shown under the indicator whose folder is ``base``: relative to
    it, or, for the folder itself, its name as it is on disk."""
    if base and path.startswith(base + "/"):
        return printable(path[len(base) + 1:])
    if base and path == base:
        return printable(base.rsplit("/", 1)[-1])
    return printable(path)


def needs(item: EvidenceResult) -> str:
    if item.evidence.per_year and item.missing_years:
        return t("report.needs_years", title=item.evidence.title,
                 years=wording.listing(str(y) for y in item.missing_years))
    return t("report.needs", title=item.evidence.title, found=item.found, min=item.evidence.min)


def task(task_: Task) -> str:
    ind = task_.result.indicator
    items = (wording.listing(needs(i) for i in task_.missing) if task_.result.present
             else t("report.task_missing_folder"))
    return t("report.task", code=ind.code, name=ind.wording, items=items)
