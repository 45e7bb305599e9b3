"""What each column of the summary shows for a unit, as text: one wording for the
terminal, Markdown, HTML and the spreadsheet."""

from __future__ import annotations

from typing import Any

from cwa import wording
from cwa.messages import t
from cwa.report.text import number
from cwa.summary.model import Group
from cwa.summary.row import Row

#: The columns of a group's ranking, before and after the top-level indicators.
HEAD = ("rank", "unit", "types", "estimate", "share", "complete")
TAIL = ("errors", "warnings", "behind", "vetoes", "changed", "verify")


def columns(group: Group) -> tuple[list[str], list[str]]:
    """The columns shown for ``group``: no estimate where its rubric gives no points."""
    head = [c for c in HEAD if group.scored or c not in ("estimate", "share")]
    return head, list(TAIL)


def header(column: str) -> str:
    return t(f"summary.col.{column}")


def cell(row: Row, column: str) -> str:
    if column == "rank":
        return str(row["rank"])
    if column == "unit":
        return str(row["unit"])
    if column == "types":
        return wording.listing(row["unit_types"])
    if column == "estimate":
        e = row.get("estimate")
        return f"{number(e['estimate'])}/{number(e['possible'])}" if e else "–"
    if column == "share":
        e = row.get("estimate")
        return percent(e["share"]) if e else "–"
    if column == "complete":
        return percent(row["indicators"]["share"])
    if column == "errors":
        return str(row["findings"]["error"])
    if column == "warnings":
        return str(row["findings"]["warning"])
    if column == "behind":
        return str(row["behind"]) if row["behind"] else ""
    if column == "vetoes":
        return vetoes(row)
    if column == "changed":
        return day(row.get("last_change"))
    if column == "verify":
        return verify(row.get("verify"))
    raise KeyError(column)


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100):d}%"


def top_cell(top: dict[str, Any]) -> str:
    """A top-level indicator's completeness: percent of its leaves complete."""
    if top["share"] is None:
        return "–"
    return f"{round(top['share'] * 100):d}"


def tops(row: Row, group: Group) -> list[dict[str, Any] | None]:
    """The row's top-level indicators in the group's column order."""
    by_code = {t_["code"]: t_ for t_ in row["top"]}
    return [by_code.get(i["code"]) for i in group.indicators]


def vetoes(row: Row) -> str:
    v = row["vetoes"]
    if v["declared"]:
        return "☒ " + wording.listing(v["declared"])
    if v["unanswered"]:
        return t("summary.vetoes_unanswered", count=len(v["unanswered"]))
    return ""


def day(moment: str | None) -> str:
    return moment[:10] if moment else ""


def verify(status: dict[str, Any] | None) -> str:
    if not status:
        return ""
    state = str(status.get("state") or "unknown")
    return t(f"summary.verify.{state}") if f"summary.verify.{state}" in _KNOWN else state


_KNOWN = frozenset({"summary.verify.ok", "summary.verify.changed", "summary.verify.unverified",
                    "summary.verify.unknown"})


def legend(group: Group) -> str:
    """``1 思想建设类 · 2 工作成绩类 …``: what the indicator columns are."""
    return " · ".join(f"{i['code']} {i['name']}" for i in group.indicators)


def lagging(row: Row) -> str:
    """The cadence items behind: ``2.1 工作信息：缺 5 期（5 个月）``."""
    return t("summary.and").join(
        t("summary.lagging", indicator=c["indicator"], title=c["title"],
          count=len(c["missing"]), months=c["months"]) for c in row["cadence"])


def periods(item: dict[str, Any]) -> str:
    """The periods a cadence item lacks: ``2024 年：5月、6月``."""
    by_year: dict[int, list[int]] = {}
    for year, period in item["missing"]:
        by_year.setdefault(int(year), []).append(int(period))
    return t("list.sep").join(wording.year_periods(year, item["cadence"], numbers)
                              for year, numbers in sorted(by_year.items()))
