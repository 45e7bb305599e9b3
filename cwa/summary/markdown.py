"""The summary as Markdown: for e-mail, a wiki or a CI job summary."""

from __future__ import annotations

from cwa.messages import t
from cwa.printable import printable
from cwa.report.markdown import _escape as escape
from cwa.report.markdown import code
from cwa.summary import cells
from cwa.summary.model import Summary
from cwa.summary.terminal import describe_filters, header


def render(summary: Summary) -> str:
    lines = [f"# {t('summary.title')}", "", escape(header(summary))]
    if summary.filters.active():
        lines += ["", escape(t("summary.filtered", filters=describe_filters(summary),
                               shown=summary.shown))]
    for group in summary.groups:
        lines += ["", f"## {escape(group.title)}", "",
                  escape(t("summary.ranked_by_estimate" if group.scored
                           else "summary.ranked_by_complete", count=group.total)), ""]
        if not group.rows:
            lines.append(escape(t("summary.none_shown")))
            continue
        head, tail = cells.columns(group)
        titles = [cells.header(c) for c in head] + [i["code"] for i in group.indicators] \
            + [cells.header(c) for c in tail]
        lines.append("| " + " | ".join(escape(x) for x in titles) + " |")
        lines.append("|" + "|".join("---:" if i < 1 else "---" for i in range(len(titles)))
                     + "|")
        for row in group.rows:
            values = [cells.cell(row, c) for c in head]
            values += [cells.top_cell(x) if x else "" for x in cells.tops(row, group)]
            values += [cells.cell(row, c) for c in tail]
            lines.append("| " + " | ".join(escape(v) for v in values) + " |")
        lines += ["", escape(t("summary.legend", legend=cells.legend(group)))]
        behind = [r for r in group.rows if r["cadence"]]
        if behind:
            lines += ["", f"### {escape(t('summary.behind_heading'))}", ""]
            lines += ["- " + t("summary.md_lagging", unit=escape(r["unit"]),
                               items=escape(cells.lagging(r))) for r in behind]
    if summary.unreadable:
        lines += ["", f"## {escape(t('summary.unreadable', count=len(summary.unreadable)))}",
                  ""]
        for row in summary.unreadable:
            lines.append(f"- **{escape(row['unit'])}** {code(printable(row['source']['path']))}"
                         f" {escape(row['error'])}")
    return "\n".join(lines) + "\n"
