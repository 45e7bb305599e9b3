"""Short texts several renderers share: what an indicator still needs."""

from __future__ import annotations

from cwa import wording
from cwa.checks.evidence import EvidenceResult
from cwa.messages import t
from cwa.report.score import Task


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
