"""The report as one self-contained HTML file: no network, inline CSS and JS, works from a
USB stick. Rendered on the server side, so it reads even where scripts are off; the
script only filters by status, department and severity."""

from __future__ import annotations

import base64
import io
from collections import Counter
from html import escape
from pathlib import Path

from cwa import __version__, kinds, wording
from cwa.checks.evidence import (
    COMPLETE,
    MISSING,
    NOT_ARCHIVE,
    PARTIAL,
    UNSCORED,
    EvidenceResult,
    IndicatorResult,
)
from cwa.collate import by_pinyin
from cwa.findings import Finding
from cwa.messages import t
from cwa.office.album import MAX_PIXELS
from cwa.printable import printable
from cwa.report import text
from cwa.report.model import Report
from cwa.report.owners import by_owner
from cwa.report.text import SHOWN_AS_EVIDENCE, shown_path

THUMB = 160  # pixels, the long side
MAX_THUMBS = 400  # in the whole report, so it stays small
THUMBS_PER_INDICATOR = 12

CSS = """
:root{--ok:#1a7f37;--part:#b7791f;--miss:#c53030;--na:#718096;--line:#e2e8f0;--ink:#1a202c;
--mute:#4a5568;--bg:#f7fafc;--info:#2b6cb0}
*{box-sizing:border-box}
body{margin:0;font:15px/1.7 "PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",
"Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;color:var(--ink);background:var(--bg)}
header,main,section,footer,nav{max-width:1100px;margin:0 auto;padding:0 24px}
header{padding-top:28px}h1{font-size:26px;margin:0 0 4px;letter-spacing:.04em}
.meta{color:var(--mute);margin:0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:20px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 18px;min-width:120px}
.card b{display:block;font-size:28px;line-height:1.2}.card span{color:var(--mute)}
.card.complete b{color:var(--ok)}.card.partial b{color:var(--part)}.card.missing b{color:var(--miss)}
.card.na b,.card.not_applicable b{color:var(--na)}
table{border-collapse:collapse;background:#fff;margin:8px 0}
th,td{border:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:#edf2f7;font-weight:600}
nav{display:flex;gap:18px;flex-wrap:wrap;margin:20px auto 8px;align-items:center}
nav label{color:var(--mute);margin-right:6px}select{font:inherit;padding:2px 6px}
.filter{white-space:nowrap}
details.ind{background:#fff;border:1px solid var(--line);border-left:5px solid var(--na);
border-radius:8px;margin:8px 0;padding:4px 12px}
details.ind details.ind{margin-left:8px}
.status-complete{border-left-color:var(--ok)!important}.status-partial{border-left-color:var(--part)!important}
.status-missing{border-left-color:var(--miss)!important}
summary{cursor:pointer;padding:4px 0}summary .code{color:var(--mute);margin-right:6px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;margin-left:8px;font-size:13px;color:#fff;background:var(--na)}
.badge.complete{background:var(--ok)}.badge.partial{background:var(--part)}.badge.missing{background:var(--miss)}
.pts,.owners,.counts{color:var(--mute);font-size:13px;margin-left:10px}
ul.findings{margin:6px 0 8px;padding-left:20px}
ul.findings li{margin:2px 0}.sev{font-weight:600}.sev.error{color:var(--miss)}.sev.warning{color:var(--part)}
.sev.info{color:var(--info)}code{background:#edf2f7;border-radius:4px;padding:0 4px;font-size:13px}
.ok{color:var(--ok)}.no{color:var(--miss)}
.thumbs{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0}
.thumbs figure{margin:0;width:164px;font-size:12px;color:var(--mute);word-break:break-all}
.thumbs img{display:block;max-width:160px;max-height:160px;border:1px solid var(--line);border-radius:4px}
.hidden{display:none!important}footer{color:var(--mute);font-size:13px;padding:24px}
.card.error{border-top:4px solid var(--miss)}.card.error b{color:var(--miss)}
.card.warning{border-top:4px solid var(--part)}.card.warning b{color:var(--part)}
.card.info{border-top:4px solid var(--info)}.card.info b{color:var(--info)}
.card.complete{border-top:4px solid var(--ok)}.card.partial{border-top:4px solid var(--part)}
.card.missing{border-top:4px solid var(--miss)}.card.na,.card.not_applicable{border-top:4px solid var(--na)}
.tally{display:inline-block;border-radius:10px;padding:0 7px;margin-left:6px;font-size:13px;
border:1px solid currentColor;white-space:nowrap}
.tally.error{color:var(--miss)}.tally.warning{color:var(--part)}
.scroll{overflow-x:auto;max-width:100%}.scroll th,.scroll td{white-space:nowrap}
table.evidence td:nth-child(1){min-width:8em}table.evidence td:nth-child(3){min-width:6em}
code{word-break:break-all}
@media (max-width:640px){
 body{font-size:14px}header,main,section,footer,nav{padding:0 12px}h1{font-size:21px}
 .card{min-width:0;flex:1 1 40%;padding:8px 12px}.card b{font-size:22px}
 details.ind{padding:4px 8px}details.ind details.ind{margin-left:2px}
 .pts,.owners,.counts{display:block;margin-left:0}
 table.evidence,table.evidence tbody,table.evidence tr,table.evidence td{display:block;width:100%}
 table.evidence tr:first-child{display:none}
 table.evidence tr{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:4px 0}
 table.evidence td{border:0;padding:1px 10px;min-width:0}
 table.evidence td[data-label]::before{content:attr(data-label);color:var(--mute)}
}
@media print{
 @page{size:A4;margin:15mm}
 body{background:#fff;font-size:11pt}nav,#filters{display:none!important}
 .hidden{display:revert!important}
 details::details-content{content-visibility:visible;display:block}
 details.ind{break-inside:avoid-page;border-left-width:3px}
 summary{list-style:none}summary::-webkit-details-marker{display:none}
 .thumbs img{max-width:110px;max-height:110px}
}
"""

SCRIPT = """
(function(){
  var status=document.getElementById('f-status'),owner=document.getElementById('f-owner'),
      severity=document.getElementById('f-severity');
  function apply(){
    var s=status.value,o=owner.value,v=severity.value;
    document.querySelectorAll('li[data-severity]').forEach(function(li){
      li.classList.toggle('hidden', v!=='' && li.dataset.severity!==v);});
    function visit(el){
      var kids=el.querySelectorAll(':scope > .body > details.ind'),any=false;
      kids.forEach(function(k){ if(visit(k)) any=true; });
      var own=true;
      if(kids.length===0){
        own=(s===''||el.dataset.status===s)&&(o===''||('|'+el.dataset.owners+'|').indexOf('|'+o+'|')>=0)
          &&(v===''||el.querySelector(':scope > .body li[data-severity="'+v+'"]')!==null);
      } else { own=any; }
      el.classList.toggle('hidden',!own);
      if(s!==''||o!==''||v!=='') el.open=own;
      return own;
    }
    document.querySelectorAll('#tree > details.ind').forEach(visit);
  }
  [status,owner,severity].forEach(function(x){x.addEventListener('change',apply);});
  var closed=[];
  window.addEventListener('beforeprint',function(){
    closed=[].slice.call(document.querySelectorAll('details:not([open])'));
    closed.forEach(function(d){d.open=true;});});
  window.addEventListener('afterprint',function(){
    closed.forEach(function(d){d.open=false;});closed=[];});
})();
"""


def render(report: Report) -> str:
    s = report.summary
    title = t("report.title")
    thumbs = {"count": 0}  # across the whole report: MAX_THUMBS
    parts = [
        "<!doctype html>",
        f'<html lang="{t("html.lang")}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{escape(title)} · {escape(printable(report.archive))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1><p class=\"meta\">"
        f"{escape(t('report.archive'))}{escape(printable(report.archive))} · "
        f"{escape(t('report.rubric'))}{escape(report.rubric.name)}"
        + (f" · {escape(t('report.years'))}{report.years}" if report.years else "")
        + (f' · {escape(t("report.checked"))}<time datetime="{escape(report.checked)}">'
           f"{escape(shown_time(report.checked))}</time>" if report.checked else "")
        + "</p></header>",
        _summary(report),
        _years(report),
        _filters(report),
        '<main id="tree">',
        *[_indicator(report, r, thumbs) for r in report.results],
        "</main>",
    ]
    if report.declarations:
        items = "".join(
            f"<li>{mark} {escape(d.veto.code)} {escape(d.veto.text)}：{escape(answer)}</li>"
            for d in report.declarations
            for mark, answer in [text.declaration(d.happened)])
        parts += ['<section id="vetoes"><h2>', escape(t("report.vetoes")), "</h2><ul>", items,
                  "</ul></section>"]
    loose = [f for f in report.findings_of(None) if f.code not in text.SHOWN_AS_CHECKLIST]
    if loose:
        parts += ['<section id="loose"><h2>', escape(t("report.archive_level")), "</h2>",
                  _findings(loose, ""), "</section>"]
    parts += [f"<footer>{escape(t('report.generated', version=__version__))} · "
              f"{escape(t('report.summary_findings', **s.severities))}</footer>",
              f"<script>{SCRIPT}</script></body></html>"]
    return "\n".join(parts) + "\n"


def _summary(report: Report) -> str:
    s = report.summary
    cards = [f'<div class="card {k}"><b>{v}</b><span>{escape(t("status." + k))}</span></div>'
             for k, v in s.statuses.items() if v or k not in UNSCORED]
    if s.score:
        cards.append(f'<div class="card score"><b>{text.number(s.score.estimate)}/'
                     f'{text.number(s.score.possible)}</b><span>{escape(t("report.score"))}'
                     f'{escape(text.score_notes(report))}</span></div>')
    elif s.points_total is not None:
        cards.append(f'<div class="card"><b>{s.points_covered or 0:g}/{s.points_total:g}</b>'
                     f'<span>{escape(t("report.summary_points", covered="", total=""))}'
                     "</span></div>")
    for severity in ("error", "warning", "info"):
        count = s.severities[severity]
        cards.append(f'<div class="card {severity}"><b>{count}</b>'
                     f'<span>{escape(t(f"report.card_{severity}", count=count))}</span></div>')
    return '<section id="summary" class="cards">' + "".join(cards) + "</section>"


def _years(report: Report) -> str:
    """How many evidence files each year of the archive has."""
    if not report.years:
        return ""
    counts: Counter[int] = Counter()
    unknown = 0
    for item in (i for top in report.results for r in top.walk() for i in r.evidence):
        counts.update(item.by_year)
        unknown += item.found - sum(item.by_year.values())
    years = list(report.years.span())
    head = "".join(f"<th>{y}</th>" for y in years) + f"<th>{escape(t('report.unknown_year'))}</th>"
    row = "".join(f"<td>{counts.get(y, 0)}</td>" for y in years) + f"<td>{unknown}</td>"
    return (f'<section id="years"><h2>{escape(t("report.coverage_by_year"))}</h2>'
            f'<div class="scroll"><table><tr>{head}</tr><tr>{row}</tr></table></div></section>')


def select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    """A filter of the page: ``label`` and its choices, "all" first (the page's script
    hides what the choice leaves out)."""
    opts = "".join(f'<option value="{escape(v)}">{escape(text)}</option>'
                   for v, text in [("", t("report.filter_all")), *options])
    return (f'<span class="filter"><label for="f-{name}">{escape(label)}</label>'
            f'<select id="f-{name}">{opts}</select></span>')


def _filters(report: Report) -> str:
    unknown = t("report.owner_unknown")
    named = {o for top in report.results for r in top.walk() for o in r.indicator.owners}
    owners = by_pinyin(named | set(by_owner(report.results, unknown)) - {unknown})
    if unknown in by_owner(report.results, unknown):
        owners.append(unknown)  # last, as in every list of departments
    return ('<nav id="filters">'
            + select("status", t("report.filter_status"),
                     [(k, t("status." + k)) for k in (COMPLETE, PARTIAL, MISSING, NOT_ARCHIVE)])
            + select("owner", t("report.filter_owner"), [(o, o) for o in owners])
            + select("severity", t("report.filter_severity"),
                     [(k, t("severity." + k)) for k in ("error", "warning", "info")])
            + "</nav>")


def _indicator(report: Report, result: IndicatorResult, thumbs: dict[str, int],
               inherited: tuple[str, ...] = ()) -> str:
    ind = result.indicator
    owners = ind.owners or inherited
    status = result.status
    counts = ""
    if result.children:
        tally = Counter(leaf.status for leaf in result.leaves())
        counts = " ".join(f"{t('status.' + k)} {tally[k]}" for k in (COMPLETE, PARTIAL, MISSING)
                          if tally[k])
    points = ""
    pair = report.estimate(result)
    if pair is not None:
        points = text.estimate(pair)
    elif ind.points is not None and status not in UNSCORED:
        points = f"{ind.points:g} " + t("rubric.points_unit").strip()
    head = (f'<summary><span class="code">{escape(ind.code)}</span>{escape(ind.wording)}'
            f'<span class="badge {status}">{escape(t("status." + status))}</span>'
            + (f'<span class="pts">{escape(points)}</span>' if points else "")
            + (f'<span class="owners">{escape(wording.listing(ind.owners))}</span>'
               if ind.owners else "")
            + (f'<span class="counts">{escape(counts)}</span>' if counts else "")
            + _tallies(report, result)
            + "</summary>")
    body = []
    if not result.children and result.evidence:
        labels = [escape(t("html.label", label=t(k))) for k in (
            "report.evidence", "report.col_kinds", "report.col_rule", "report.col_found")]
        rows = "".join(
            f"<tr><td>{escape(i.evidence.title)}</td>"
            f'<td data-label="{labels[1]}">{escape(wording.kinds(i.evidence.kinds))}</td>'
            f'<td data-label="{labels[2]}">{escape(wording.rule(i.evidence))}</td>'
            f'<td data-label="{labels[3]}">{_found(i, report)}</td>'
            f"<td class=\"{'ok' if i.satisfied else 'no'}\">"
            f"{'✔' if i.satisfied else '✘'}</td></tr>" for i in result.evidence)
        head_row = "".join(f"<th>{escape(t(k))}</th>" for k in (
            "report.evidence", "report.col_kinds", "report.col_rule", "report.col_found"))
        body.append(f'<table class="evidence"><tr>{head_row}<th></th></tr>{rows}</table>')
    findings = [f for f in report.findings_of(ind.code) if f.code not in SHOWN_AS_EVIDENCE]
    if findings:
        body.append(_findings(findings, result.path))
    if report.summary.deep and not result.children:
        body.append(_thumbnails(report, result, thumbs))
    body += [_indicator(report, child, thumbs, owners) for child in result.children]
    is_open = " open" if status in (PARTIAL, MISSING) else ""
    return (f'<details class="ind status-{status}" data-status="{status}" '
            f'data-owners="{escape("|".join(owners))}"{is_open}>{head}'
            f'<div class="body">{"".join(body)}</div></details>')


def _tallies(report: Report, result: IndicatorResult) -> str:
    """Errors and warnings in the indicator and below, as badges in its heading: a
    collapsed (complete) indicator still shows that it holds warnings."""
    codes = {r.indicator.code for r in result.walk()}
    tally = Counter(f.severity for f in report.findings
                    if f.indicator in codes and f.code not in SHOWN_AS_EVIDENCE)
    return "".join(
        f'<span class="tally {severity}" title="{escape(t("severity." + severity))}">'
        f'{mark} {tally[severity]}</span>'
        for severity, mark in (("error", "✘"), ("warning", "⚠")) if tally[severity])


def shown_time(checked: str) -> str:
    """``2026-01-01T08:30:00+08:00`` → ``2026-01-01 08:30`` (the time where it was checked)."""
    return checked[:16].replace("T", " ")


def _found(item: EvidenceResult, report: Report) -> str:
    """What was found: per year where the item counts per year; the periods a cadence
    item lacks."""
    if item.evidence.cadence and item.missing_periods:
        return escape(f"{item.found} · " + t("report.lacks", periods=text.periods(item)))
    if item.evidence.per_year and report.years:
        return escape(t("report.year_sep").join(t("report.year_found", year=y,
                                                  found=item.by_year.get(y, 0))
                                                for y in report.years.span()))
    return str(item.found)


def _findings(findings: list[Finding], base: str) -> str:
    items = []
    for f in findings:
        path = shown_path(f.path, base)
        items.append(f'<li data-severity="{f.severity}"><span class="sev {f.severity}">'
                     f"{escape(t('severity.' + f.severity))} {f.code}</span> "
                     + (f"<code>{escape(path)}</code> " if path else "")
                     + f"{escape(f.message)}</li>")
    return '<ul class="findings">' + "".join(items) + "</ul>"


def owner_page(report: Report, owner: str | None) -> str:
    """One department's list (or every department's) as a page to print or send."""
    unknown = t("report.owner_unknown")
    groups = by_owner(report.results, unknown)
    order = by_pinyin(set(groups) - {unknown}) + ([unknown] if unknown in groups else [])
    sections = []
    for name in order:
        tasks = groups[name]
        if owner is not None and name != owner:
            continue
        items = "".join(f"<li>{escape(text.task(task))}</li>" for task in tasks)
        heading = escape(t("report.owner_heading", owner=name, count=len(tasks)))
        sections.append(f"<section><h2>{heading}</h2><ul>{items}</ul></section>")
    title = t("report.by_owner")
    return (f'<!doctype html><html lang="{t("html.lang")}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{escape(title)}</h1><p class=\"meta\">"
            f"{escape(printable(report.archive))} · "
            f"{escape(report.rubric.name)}"
            + (f" · {escape(t('report.checked'))}{escape(shown_time(report.checked))}"
               if report.checked else "")
            + f"</p></header><main>{''.join(sections)}</main></body></html>\n")


def _thumbnails(report: Report, result: IndicatorResult, thumbs: dict[str, int]) -> str:
    """Downscaled, embedded copies of the indicator's photos (--deep reports only)."""
    from PIL import Image, ImageOps

    root = Path(report.archive)
    figures: list[str] = []
    for item in result.evidence:
        for rel in item.files:
            if len(figures) >= THUMBS_PER_INDICATOR or thumbs["count"] >= MAX_THUMBS:
                break
            if kinds.split(rel)[1] not in kinds.IMAGE:
                continue
            try:
                with Image.open(root.joinpath(*rel.split("/"))) as im:
                    if im.width * im.height > MAX_PIXELS:
                        continue  # not decoded here; --deep reports it
                    im.draft("RGB", (THUMB * 2, THUMB * 2))
                    small = ImageOps.exif_transpose(im).convert("RGB")
                    small.thumbnail((THUMB, THUMB))
                    buffer = io.BytesIO()
                    small.save(buffer, "JPEG", quality=70)
            except Exception:  # a damaged image has its finding already
                continue
            data = base64.b64encode(buffer.getvalue()).decode("ascii")
            name = rel.rsplit("/", 1)[-1]
            figures.append(f'<figure><img alt="{escape(printable(name))}" src="data:image/jpeg;base64,'
                           f'{data}"><figcaption>{escape(printable(name))}</figcaption></figure>')
            thumbs["count"] += 1
    return f'<div class="thumbs">{"".join(figures)}</div>' if figures else ""
