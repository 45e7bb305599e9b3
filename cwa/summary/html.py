"""The summary as one self-contained HTML page (inline CSS, JS and SVG; no request leaves
the page): per rubric, the distribution of estimates and a heat map of units × top-level
indicators that is the ranking table itself — sortable by any column, filtered by unit
type, name, an indicator still incomplete, or lagging cadence items — each unit's name
a link to its own HTML report (``cwa.report.html``) in the folder beside the page."""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import quote

from cwa import __version__, wording
from cwa.messages import t
from cwa.printable import printable
from cwa.report.html import select, shown_time
from cwa.summary import cells, pages
from cwa.summary.discover import absolute
from cwa.summary.model import BINS, Group, Summary, metric
from cwa.summary.row import Row
from cwa.summary.terminal import describe_filters, header

CSS = """
:root{--ok:#1a7f37;--part:#b7791f;--miss:#c53030;--line:#e2e8f0;--ink:#1a202c;--mute:#4a5568;
--bg:#f7fafc}
*{box-sizing:border-box}
body{margin:0;font:14px/1.6 "PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",
"Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;color:var(--ink);background:var(--bg)}
header,section,footer,nav{max-width:1400px;margin:0 auto;padding:0 24px}
header{padding-top:24px}h1{font-size:24px;margin:0 0 4px;letter-spacing:.04em}
h2{font-size:19px;margin:28px 0 2px}h3{font-size:15px;margin:12px 0 4px;color:var(--mute)}
.meta{color:var(--mute);margin:0}
nav{display:flex;gap:16px;flex-wrap:wrap;margin:16px auto 4px;align-items:center}
nav label{color:var(--mute);margin-right:6px}select,input{font:inherit;padding:2px 6px}
.filter{white-space:nowrap}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;background:#fff;margin:8px 0}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;white-space:nowrap}
th{background:#edf2f7;font-weight:600;cursor:pointer;user-select:none;position:sticky;top:0}
th.sorted-asc::after{content:" ▲";font-size:10px}th.sorted-desc::after{content:" ▼";font-size:10px}
td.num,th.num{text-align:right}td.unit{white-space:normal;min-width:9em}
td.heat{text-align:center;min-width:3em;font-variant-numeric:tabular-nums}
td.none{background:#edf2f7;color:var(--mute)}
td.bad{color:var(--miss);font-weight:600}td.warn{color:var(--part)}
a.drill{color:#2b6cb0;text-decoration:none}a.drill:hover{text-decoration:underline}
.legend{color:var(--mute);font-size:13px}
svg.dist text{font-size:11px;fill:var(--mute)}svg.dist rect{fill:#4a90d9}
.hidden{display:none!important}footer{color:var(--mute);font-size:13px;padding:24px}
.bad-list li{margin:2px 0}code{background:#edf2f7;border-radius:4px;padding:0 4px;font-size:13px;
word-break:break-all}
@media print{@page{size:A4 landscape;margin:10mm}body{background:#fff;font-size:10pt}
nav{display:none!important}th{position:static}.hidden{display:revert!important}}
"""

SCRIPT = """
(function(){
  var type=document.getElementById('f-type'),name=document.getElementById('f-name'),
      ind=document.getElementById('f-indicator'),behind=document.getElementById('f-behind');
  function apply(){
    var ty=type.value,nm=name.value.trim().toLowerCase(),ic=ind.value,bh=behind.checked;
    document.querySelectorAll('tr[data-unit]').forEach(function(tr){
      var ok=(ty===''||('|'+tr.dataset.types+'|').indexOf('|'+ty+'|')>=0)
        &&(nm===''||tr.dataset.unit.toLowerCase().indexOf(nm)>=0)
        &&(ic===''||(' '+tr.dataset.lacking+' ').indexOf(' '+ic+' ')>=0)
        &&(!bh||Number(tr.dataset.behind)>0);
      tr.classList.toggle('hidden',!ok);});
  }
  [type,ind,behind].forEach(function(x){x.addEventListener('change',apply);});
  name.addEventListener('input',apply);
  document.querySelectorAll('table.heat').forEach(function(table){
    var heads=table.querySelectorAll('thead th');
    heads.forEach(function(th,column){th.addEventListener('click',function(){
      var up=!th.classList.contains('sorted-asc');
      heads.forEach(function(h){h.classList.remove('sorted-asc','sorted-desc');});
      th.classList.add(up?'sorted-asc':'sorted-desc');
      var body=table.tBodies[0],rows=[].slice.call(body.rows);
      rows.sort(function(a,b){
        var x=a.cells[column].dataset.v,y=b.cells[column].dataset.v,r;
        if(x===undefined)x=a.cells[column].textContent;
        if(y===undefined)y=b.cells[column].textContent;
        if(x!==''&&y!==''&&!isNaN(x)&&!isNaN(y)) r=Number(x)-Number(y);
        else if(x===''||y==='') r=(x==='')-(y==='');
        else r=x.localeCompare(y,'zh');
        return up?r:-r;});
      rows.forEach(function(r){body.appendChild(r);});
    });});
  });
})();
"""


def render(summary: Summary, output: Path | None = None) -> str:
    """The page; with ``output``, each unit written beside it (``pages.folder``) links
    to its page there."""
    unit_pages = pages.folder(output) if output is not None else None
    title = t("summary.title")
    parts = [
        "<!doctype html>",
        f'<html lang="{t("html.lang")}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1><p class=\"meta\">{escape(header(summary))}"
        + (f' · {escape(t("summary.generated_at"))}<time datetime="{escape(summary.generated)}">'
           f"{escape(shown_time(summary.generated))}</time>" if summary.generated else "")
        + "</p>"
        + (f'<p class="meta">{escape(_filtered(summary))}</p>' if summary.filters.active()
           else "")
        + "</header>",
        _filters(summary),
    ]
    for number, group in enumerate(summary.groups, start=1):
        parts.append(_group(group, number, unit_pages))
    if summary.unreadable:
        items = "".join(
            f"<li><b>{escape(printable(r['unit']))}</b> <code>"
            f"{escape(printable(r['source']['path']))}</code> {escape(printable(r['error']))}"
            "</li>" for r in summary.unreadable)
        parts.append(f'<section id="unreadable"><h2>'
                     f'{escape(t("summary.unreadable", count=len(summary.unreadable)))}</h2>'
                     f'<ul class="bad-list">{items}</ul></section>')
    parts += [f"<footer>{escape(t('report.generated', version=__version__))}</footer>",
              f"<script>{SCRIPT}</script></body></html>"]
    return "\n".join(parts) + "\n"


def _filtered(summary: Summary) -> str:
    return t("summary.filtered", filters=describe_filters(summary), shown=summary.shown)


def _filters(summary: Summary) -> str:
    types = sorted({u for g in summary.groups for r in g.rows for u in r["unit_types"]})
    indicators: dict[str, str] = {}
    for group in summary.groups:
        for i in group.indicators:
            indicators.setdefault(i["code"], f"{i['code']} {i['name']}")

    return ('<nav id="filters">'
            + select("type", t("summary.filter_type"), [(x, x) for x in types])
            + select("indicator", t("summary.filter_indicator"), list(indicators.items()))
            + f'<span class="filter"><label for="f-name">{escape(t("summary.filter_name"))}'
            f'</label><input id="f-name" type="search" size="12"></span>'
            + f'<span class="filter"><input id="f-behind" type="checkbox"> <label '
            f'for="f-behind">{escape(t("summary.filter_behind"))}</label></span>'
            + "</nav>")


def _group(group: Group, number: int, unit_pages: Path | None) -> str:
    head, tail = cells.columns(group)
    ths = [f'<th class="{_align(c)}">{escape(cells.header(c))}</th>' for c in head]
    ths += [f'<th class="num" title="{escape(i["name"])}">{escape(i["code"])}</th>'
            for i in group.indicators]
    ths += [f'<th class="{_align(c)}">{escape(cells.header(c))}</th>' for c in tail]
    rows = "".join(_row(row, group, head, tail, unit_pages) for row in group.rows)
    ranked = t("summary.ranked_by_estimate" if group.scored else "summary.ranked_by_complete",
               count=group.total)
    spread = t("summary.distribution_estimate" if group.scored
               else "summary.distribution_complete")
    table = (f'<div class="scroll"><table class="heat" id="heat-{number}"><thead><tr>'
             f'{"".join(ths)}</tr></thead><tbody>{rows}</tbody></table></div>'
             if group.rows else f'<p class="meta">{escape(t("summary.none_shown"))}</p>')
    return (f'<section class="group" id="group-{number}"><h2>{escape(group.title)}</h2>'
            f'<p class="meta">{escape(ranked)}</p>'
            f"<h3>{escape(spread)}</h3>"
            f"{_distribution(group)}"
            f'<h3>{escape(t("summary.heat_map"))}</h3>{table}'
            f'<p class="legend">{escape(t("summary.legend", legend=cells.legend(group)))}</p>'
            "</section>")


def _align(column: str) -> str:
    return "num" if column in ("rank", "share", "complete", "errors", "warnings",
                               "behind") else ""


def _row(row: Row, group: Group, head: list[str], tail: list[str],
         unit_pages: Path | None) -> str:
    lacking = " ".join(x["code"] for x in row["top"] if x["status"] in ("partial", "missing"))
    tds = [_cell(row, c, group, unit_pages) for c in head]
    for top in cells.tops(row, group):
        if top is None or top["share"] is None:
            tds.append('<td class="heat none" data-v="">–</td>')
            continue
        share = float(top["share"])
        tds.append(f'<td class="heat" data-v="{share:.4f}" style="background:'
                   f'{heat(share)}" title="{escape(t("html.label", label=top["name"]))}'
                   f'{escape(t("status." + top["status"]))}">{cells.top_cell(top)}</td>')
    tds += [_cell(row, c, group, unit_pages) for c in tail]
    return (f'<tr data-unit="{escape(printable(row["unit"]))}" '
            f'data-types="{escape("|".join(row["unit_types"]))}" '
            f'data-lacking="{escape(lacking)}" data-behind="{row["behind"]}">'
            + "".join(tds) + "</tr>")


def _cell(row: Row, column: str, group: Group, unit_pages: Path | None) -> str:
    text = escape(printable(cells.cell(row, column)))
    if column == "unit":
        source = row["source"]["path"]
        link = _link(row, unit_pages)
        shown = (f'<a class="drill" href="{escape(link)}">{text}</a>' if link else text)
        return f'<td class="unit" title="{escape(printable(source))}">{shown}</td>'
    value = {"rank": row["rank"], "share": metric(row, True),
             "complete": row["indicators"]["share"], "errors": row["findings"]["error"],
             "warnings": row["findings"]["warning"], "behind": row["behind"],
             "estimate": (row.get("estimate") or {}).get("estimate"),
             "changed": row.get("last_change") or ""}.get(column)
    data = "" if value is None and column not in ("share", "complete", "estimate") \
        else f' data-v="{escape(str(value if value is not None else ""))}"'
    css = _align(column)
    if column == "errors" and row["findings"]["error"]:
        css += " bad"
    elif column == "warnings" and row["findings"]["warning"]:
        css += " warn"
    elif column in ("behind", "vetoes") and cells.cell(row, column):
        css += " bad"
    title = ""
    if column == "behind" and row["cadence"]:
        title = f' title="{escape(cells.lagging(row))}"'
    elif column == "types" and row["unit_types"]:
        title = f' title="{escape(wording.listing(row["unit_types"]))}"'
    return f'<td class="{css.strip()}"{data}{title}>{text}</td>'


def _link(row: Row, unit_pages: Path | None) -> str | None:
    """The relative link to the unit's page, if it was written."""
    if unit_pages is None:
        return None
    name = pages.name(absolute(row["source"]["path"]), row["unit"])
    if not (unit_pages / name).is_file():
        return None
    # a GBK name of the page's own (its folder is named after it): its bytes, as on disk
    return f"{quote(unit_pages.name, errors='surrogateescape')}/{quote(name)}"


def heat(share: float) -> str:
    """Red (0) through yellow to green (complete), light enough to read on."""
    hue = round(max(0.0, min(1.0, share)) * 120)
    return f"hsl({hue},70%,82%)"


def _distribution(group: Group) -> str:
    """The units per tenth of the ranking measure, as an inline SVG bar chart."""
    counts = group.distribution
    top = max(counts) or 1
    bar, gap, height = 44, 6, 90
    width = BINS * (bar + gap)
    parts = [f'<svg class="dist" role="img" width="{width}" height="{height + 34}" '
             f'viewBox="0 0 {width} {height + 34}" xmlns="http://www.w3.org/2000/svg">']
    for i, count in enumerate(counts):
        h = round(height * count / top)
        x = i * (bar + gap)
        label = f"{i * 100 // BINS}–{(i + 1) * 100 // BINS}%"
        parts.append(f'<rect x="{x}" y="{height - h + 14}" width="{bar}" height="{h}">'
                     f"<title>{escape(t('html.label', label=label))}{count}</title></rect>"
                     f'<text x="{x + bar / 2}" y="{height - h + 10}" text-anchor="middle">'
                     f"{count}</text>"
                     f'<text x="{x + bar / 2}" y="{height + 30}" text-anchor="middle">'
                     f"{label}</text>")
    parts.append("</svg>")
    return "".join(parts)
