"""One unit's row of the summary, read from its check's JSON — the JSON ``cwa check
--format json`` writes, whether the summary made it or the unit handed it in. One
function from one input: a folder and a handed-in report give the same row.

A row is small (the top-level indicators, counts, the lagging cadence items), never the
unit's whole report: the summary holds one row per unit and nothing else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from cwa.checks.evidence import COMPLETE, MISSING, NOT_APPLICABLE, NOT_ARCHIVE, PARTIAL
from cwa.report.model import SCHEMA_VERSION
from cwa.rubric.model import PERIODS

#: What a cached row looks like: a row cached by another version is made again.
ROW_VERSION = 1

Row = dict[str, Any]


class NotReadable(Exception):
    """A report that cannot give a row; ``key`` and ``args`` say why (message catalogue)."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


def is_check_report(data: object) -> bool:
    """Is ``data`` what ``cwa check --format json`` writes (any schema version)?"""
    if not isinstance(data, dict):
        return False
    tool = data.get("tool")
    return (isinstance(tool, dict) and tool.get("name") == "cwa"
            and "schema_version" in data and "indicators" in data and "summary" in data)


def row_of(report: Mapping[str, Any], fallback: str = "?") -> Row:
    """The row of a check report. Raises NotReadable when it is not one cwa can read.
    ``fallback`` names a unit whose report says neither its name nor its folder's."""
    if not is_check_report(report):
        raise NotReadable("summary.not_a_report")
    version = report["schema_version"]
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise NotReadable("summary.newer_report", version=str(version))
    try:
        return _row(report, fallback)
    except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError):
        raise NotReadable("summary.incomplete_report") from None


def _row(report: Mapping[str, Any], fallback: str) -> Row:
    unit = report.get("unit") or {}
    summary = report["summary"]
    tops = [_top(i) for i in report["indicators"]]
    leaves: Counter[str] = Counter()
    for top in tops:
        leaves.update(top.pop("leaves"))
    scored = leaves[COMPLETE] + leaves[PARTIAL] + leaves[MISSING]
    rubric = report["rubric"]
    vetoes = report.get("vetoes") or []
    cadence = [item for i in report["indicators"] for item in _lagging(i)]
    return {
        "unit": str(unit.get("name") or _name(str(report.get("archive") or "")) or fallback),
        "unit_types": list(unit.get("types") or []),
        "archive": report.get("archive"),
        "rubric": {"name": str(rubric["name"]), "edition": rubric.get("edition"),
                   "origin": rubric.get("origin")},
        "years": report.get("years"),
        "checked_at": report.get("checked_at"),
        "last_change": unit.get("last_change"),
        "estimate": _estimate(summary.get("score")),
        "pass": summary.get("pass"),
        "indicators": {
            "complete": leaves[COMPLETE], "partial": leaves[PARTIAL],
            "missing": leaves[MISSING], "na": leaves[NOT_ARCHIVE],
            "not_applicable": leaves[NOT_APPLICABLE],
            "share": round(leaves[COMPLETE] / scored, 4) if scored else None,
        },
        "top": tops,
        "findings": {k: int(summary["findings"].get(k, 0)) for k in ("error", "warning",
                                                                      "info")},
        "vetoes": {
            "declared": [str(v["code"]) for v in vetoes if v.get("happened") is True],
            "unanswered": [str(v["code"]) for v in vetoes if v.get("happened") is None],
            "barred": any(v.get("happened") is True and not v.get("deduct") for v in vetoes),
        },
        "behind": max((c["months"] for c in cadence), default=0),
        "cadence": cadence,
        "verify": unit.get("verify"),
        "files": int(summary.get("files") or 0),
        "empty_files": [str(f["path"]) for f in report.get("findings") or []
                        if f.get("code") == "FL001"],
    }


def _top(indicator: Mapping[str, Any]) -> dict[str, Any]:
    """A top-level indicator: its status, how many of its leaves are complete, its
    estimate; ``share`` is complete ÷ leaves that need documents (None: none do)."""
    leaves: Counter[str] = Counter()
    stack = [indicator]
    while stack:
        node = stack.pop()
        children = node.get("children") or []
        if children:
            stack.extend(children)
        else:
            leaves[str(node["status"])] += 1
    scored = leaves[COMPLETE] + leaves[PARTIAL] + leaves[MISSING]
    return {
        "code": str(indicator["code"]), "name": str(indicator["name"]),
        "status": str(indicator["status"]), "bonus": bool(indicator.get("bonus")),
        "share": round(leaves[COMPLETE] / scored, 4) if scored else None,
        "estimate": indicator.get("estimate"), "possible": indicator.get("possible"),
        "leaves": leaves,
    }


def _estimate(score: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The score estimate; None where the rubric gives no points."""
    if not score or not score.get("possible"):
        return None
    estimate, possible = float(score["estimate"]), float(score["possible"])
    return {"estimate": estimate, "possible": possible,
            "share": round(estimate / possible, 4), "bonus": score.get("bonus") or 0,
            "deducted": score.get("deducted") or 0, "vetoed": bool(score.get("vetoed"))}


def _lagging(indicator: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Cadence items (monthly, quarterly…) with periods due and missing, in months."""
    out = []
    stack = [indicator]
    while stack:
        node = stack.pop()
        stack.extend(reversed(node.get("children") or []))
        items = list(node.get("evidence") or [])
        for clause in node.get("clauses") or []:
            items += clause.get("items") or []
        for item in items:
            cadence, missing = item.get("cadence"), item.get("missing_periods") or []
            if cadence in PERIODS and missing:
                out.append({"indicator": str(node["code"]), "title": str(item["title"]),
                            "cadence": cadence, "missing": [list(p) for p in missing],
                            "months": len(missing) * (12 // PERIODS[cadence])})
    return out


def _name(archive: str) -> str:
    """A unit without a name in cwa.yaml (or a report made before reports said it):
    its archive folder's name, on whichever system the report was made."""
    for kind in (PureWindowsPath, PurePosixPath):
        name = kind(archive).name
        if name and name not in (".", ".."):
            return name
    return ""
