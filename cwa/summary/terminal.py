"""The summary at a terminal: per rubric, a ranking table of the units with each
top-level indicator's completeness; then the units that could not be read."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cwa.messages import t
from cwa.printable import printable
from cwa.summary import cells
from cwa.summary.model import Summary

WIDE = 250  # a table written to a file or a pipe is not squeezed to 80 columns


def render(summary: Summary, console: Console) -> None:
    if console.is_terminal:
        _render(summary, console)
        return
    before = console.width
    console.width = max(before, WIDE)
    try:
        _render(summary, console)
    finally:
        console.width = before


def _render(summary: Summary, console: Console) -> None:
    console.print(Text(header(summary)))
    filters = summary.filters.active()
    if filters:
        console.print(Text(t("summary.filtered", filters=describe_filters(summary),
                             shown=summary.shown), style="dim"))
    for group in summary.groups:
        console.print()
        title = Text()
        title.append(t("summary.rubric"), "bold")
        title.append(group.title)
        title.append("    " + t("summary.ranked_by_estimate" if group.scored
                                else "summary.ranked_by_complete", count=group.total))
        console.print(title)
        if not group.rows:
            console.print(Text(t("summary.none_shown"), style="dim"))
            continue
        head, tail = cells.columns(group)
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False)
        for column in head:
            table.add_column(cells.header(column), no_wrap=column != "unit",
                             justify="right" if column in ("rank", "share", "complete")
                             else "left")
        for indicator in group.indicators:
            table.add_column(indicator["code"], justify="right", no_wrap=True)
        for column in tail:
            table.add_column(cells.header(column), no_wrap=True,
                             justify="right" if column in ("errors", "warnings", "behind")
                             else "left")
        for row in group.rows:
            values: list[Text] = [Text(printable(cells.cell(row, c)),
                                       style="bold" if c == "unit" else "")
                                  for c in head]
            values += [_top(top) for top in cells.tops(row, group)]
            values += [Text(cells.cell(row, c), style=_style(row, c)) for c in tail]
            table.add_row(*values)
        console.print(table)
        console.print(Text(t("summary.legend", legend=cells.legend(group)), style="dim"))
    if summary.unreadable:
        console.print()
        console.print(Text(t("summary.unreadable", count=len(summary.unreadable)),
                           style="bold red"))
        for row in summary.unreadable:
            console.print(Text(t("summary.unreadable_row", unit=printable(row["unit"]),
                                 path=printable(row["source"]["path"]),
                                 reason=printable(row["error"]))))


def header(summary: Summary) -> str:
    c = summary.counts
    return t("summary.header", units=c.units, archives=c.archives, reports=c.reports,
             checked=c.checked, cached=c.from_cache, unreadable=c.unreadable)


def describe_filters(summary: Summary) -> str:
    return t("summary.and").join(t(f"summary.filter.{k}", value=v)
                                 for k, v in summary.filters.active().items())


def _top(top: dict[str, object] | None) -> Text:
    if top is None:
        return Text("")
    shown = cells.top_cell(top)
    share = top["share"]
    style = "dim" if share is None else "green" if share == 1 else "red" if share == 0 \
        else "yellow"
    return Text(shown, style=style)


def _style(row: dict[str, object], column: str) -> str:
    value = cells.cell(row, column)
    if column == "errors" and value != "0":
        return "red"
    if column == "warnings" and value != "0":
        return "yellow"
    if column in ("behind", "vetoes") and value:
        return "red"
    return ""
