"""What ``cwa verify`` found, for a terminal, as JSON, Markdown or one HTML page.

The same shapes as the check report: findings with their stable codes (FX001…), the JSON
``schema_version`` and finding keys of ``cwa.report.model``, the HTML report's stylesheet.
"""

from __future__ import annotations

import io
from collections import Counter
from html import escape
from typing import Any

from rich.console import Console
from rich.text import Text

from cwa import __version__, wording
from cwa.findings import Finding
from cwa.fixity.digest import LABELS
from cwa.fixity.manifest import shown as manifest_shown
from cwa.fixity.verify import Verification
from cwa.messages import t
from cwa.printable import printable
from cwa.report.html import CSS
from cwa.report.markdown import _escape as md_escape
from cwa.report.markdown import code
from cwa.report.model import SCHEMA_VERSION, dumps
from cwa.report.terminal import SEVERITY_STYLE

#: What each code counts, in the order the summary says them.
KINDS = {"FX001": "changed", "FX002": "missing", "FX003": "added", "FX004": "moved",
         "FX005": "unreadable"}


def shown(path: str) -> str:
    """A path as people see it: bytes that are not UTF-8 and line breaks as the manifest
    writes them, and every other character that could act as control escaped."""
    return printable(manifest_shown(path))


def counts(result: Verification) -> dict[str, int]:
    tally = Counter(KINDS[f.code] for f in result.findings)
    return {"listed": result.listed, "intact": result.intact,
            **{kind: tally.get(kind, 0) for kind in KINDS.values()}}


def summary(result: Verification) -> str:
    numbers = counts(result)
    if not result.findings:
        return t("verify.all_intact", listed=numbers["listed"], size=wording.size(result.size))
    return t("verify.summary", size=wording.size(result.size), **numbers)


def _algorithms(result: Verification) -> str:
    return wording.listing(LABELS.get(a, a.upper()) for a in result.algorithms)


def _where(result: Verification) -> str:
    return t("verify.where", target=result.target, manifests=wording.listing(result.manifests),
             algos=_algorithms(result), created=result.created or t("verify.created_unknown"))


def render(result: Verification, fmt: str) -> str:
    if fmt == "json":
        return dumps(to_dict(result))
    if fmt == "md":
        return markdown(result)
    if fmt == "html":
        return html(result)
    buffer = io.StringIO()
    terminal(result, Console(file=buffer, width=200, no_color=True, highlight=False,
                             soft_wrap=True))
    return buffer.getvalue()


def terminal(result: Verification, console: Console) -> None:
    console.print(Text(_where(result)))
    if result.findings:
        console.print()
    for finding in result.findings:
        line = Text("  ")
        line.append(f"{t('severity.' + finding.severity)} {finding.code} ",
                    SEVERITY_STYLE[finding.severity])
        line.append(shown(finding.path), "dim")
        line.append(t("report.colon"))
        line.append(finding.message)
        console.print(line)
    console.print()
    console.print(Text(summary(result), "bold" if result.findings else "green"))


def to_dict(result: Verification) -> dict[str, Any]:
    """The JSON shape (``schema_version`` as the check report's; keys may be added)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "cwa", "version": __version__},
        "kind": "verify",
        "target": result.target,
        "package": result.kind,
        "manifests": result.manifests,
        "algorithms": list(result.algorithms),
        "created": result.created,
        "summary": {**counts(result), "bytes": result.size},
        "findings": [_finding(f) for f in result.findings],
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {"code": finding.code, "severity": finding.severity, "path": shown(finding.path),
            "message": finding.message, "hint": finding.hint, "data": finding.args}


def markdown(result: Verification) -> str:
    lines = [f"# {t('verify.title')}", "", f"- {_md(_where(result))}",
             f"- {_md(summary(result))}", ""]
    if result.findings:
        lines += [t("verify.md_header"), "|---|---|---|---|"]
        lines += [f"| {t('severity.' + f.severity)} | {f.code} | {_md(code(shown(f.path)))} | "
                  f"{_md(f.message)} |" for f in result.findings]
    else:
        lines.append(t("report.no_findings"))
    return "\n".join(lines) + "\n"


def _md(value: str) -> str:
    """A table cell: text escaped as the check report's Markdown escapes it (a code span
    kept), its bars escaped so the cell ends where the table says."""
    if value.startswith("`"):
        return value.replace("|", "\\|")
    return md_escape(value)


def html(result: Verification) -> str:
    title = t("verify.title")
    numbers = counts(result)
    cards = "".join(
        f'<div class="card {style}"><b>{numbers[kind]}</b>'
        f'<span>{escape(t(f"verify.kind_{kind}"))}</span></div>'
        for kind, style in (("intact", "complete"), ("changed", "missing"),
                            ("missing", "missing"), ("added", "partial"), ("moved", "partial"),
                            ("unreadable", "missing"))
        if numbers[kind] or kind in ("intact", "changed", "missing", "added"))
    items = "".join(
        f'<li data-severity="{f.severity}"><span class="sev {f.severity}">'
        f"{escape(t('severity.' + f.severity))} {f.code}</span> "
        f"<code>{escape(shown(f.path))}</code> {escape(f.message)}"
        f'<br><small class="meta">{escape(f.hint)}</small></li>' for f in result.findings)
    body = (f'<ul class="findings">{items}</ul>' if items
            else f"<p class=\"ok\">{escape(t('report.no_findings'))}</p>")
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)} · {escape(result.target)}</title><style>{CSS}</style>"
        f"</head><body><header><h1>{escape(title)}</h1>"
        f'<p class="meta">{escape(_where(result))}</p></header>'
        f'<section id="summary" class="cards">{cards}</section>'
        f"<main><h2>{escape(t('report.findings'))}</h2>{body}"
        f"<p>{escape(summary(result))}</p></main>"
        f"<footer>{escape(t('report.generated', version=__version__))}</footer>"
        "</body></html>\n")
