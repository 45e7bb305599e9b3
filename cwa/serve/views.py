"""The pages over the archives: the unit list, a unit's indicator tree, folders and
files, search by name, and scoring.

A unit's pages live under ``/u/<unit>/``. The unit and the path of a file come from the
request's path as bytes (names on disk may not be UTF-8), and a unit the account may not
see answers 404, the same as one that does not exist.
"""

from __future__ import annotations

import os
import stat
import unicodedata
import urllib.parse
from collections import Counter
from typing import Any

from flask import Flask, Response, abort, g, redirect, render_template, request, send_file

from cwa.checks.evidence import COMPLETE, MISSING, PARTIAL, UNSCORED, IndicatorResult
from cwa.errors import CwaError
from cwa.messages import t
from cwa.printable import repaired
from cwa.report import text
from cwa.report.model import Report
from cwa.scan import SKIPPED_DIRS
from cwa.serve import paths, preview, scoring
from cwa.serve.app import FILE_CSP, context, csp_hash, current_user, unit_url, url
from cwa.serve.units import Checked, Unit

MAX_RESULTS = 200
MAX_QUERY = 100


def register(app: Flask) -> None:
    app.add_url_rule("/", "units", units_page)
    app.add_url_rule("/search", "search", search_page)
    app.add_url_rule("/u/<path:rest>", "unit", unit_dispatch, methods=["GET", "POST"])


def visible_units() -> list[Unit]:
    user = current_user()
    return [u for u in context().registry.units() if user.sees(u.key)]


def render(template: str, **values: Any) -> str:
    """A page; ``?embed=1`` (the evidence pane beside the scoring form) leaves out the
    bar, and the page's own links keep it."""
    embedded = request.args.get("embed") == "1"

    def link(unit: Unit, action: str = "", rel: str = "") -> str:
        target = unit_url(unit, action, rel)
        return target + "?embed=1" if embedded and action in ("f", "") else target

    return render_template(template, user=current_user(), csrf=g.csrf,
                           auth=context().auth, unit_url=link, embedded=embedded, **values)


# -- the unit list ---------------------------------------------------------------------

def units_page() -> Any:
    ctx = context()
    rows = []
    store = ctx.store
    round_ = scoring.current_round(store) if store is not None else None
    for unit in visible_units():
        checked = ctx.registry.checked(unit)
        row: dict[str, Any] = {"unit": unit, "checked": checked, "name": checked.name}
        report = checked.report
        if report is not None:
            s = report.summary
            counted = sum(v for k, v in s.statuses.items() if k not in UNSCORED)
            row.update(statuses=s.statuses, counted=counted,
                       percent=round(100 * s.statuses[COMPLETE] / counted) if counted else None,
                       score=s.score, severities=s.severities,
                       notes=text.score_notes(report), bar=_bar(s.statuses, counted))
            if store is not None and round_ is not None:
                given = scoring.scores(store, round_.id, unit.key)
                every = scoring.items(report)
                row.update(scored=sum(1 for i in every if i.key in given
                                      and given[i.key].score is not None),
                           item_count=len(every),
                           official=sum(s.score or 0 for s in given.values()))
        rows.append(row)
    return render("units.html", rows=rows, round=round_)


def _bar(statuses: dict[str, int], counted: int) -> list[tuple[str, float, float]]:
    """The completeness bar: complete, partial, missing leaves as shares of 100."""
    out, x = [], 0.0
    for cls, key in (("c", COMPLETE), ("p", PARTIAL), ("m", MISSING)):
        width = 100 * statuses[key] / counted if counted else 0.0
        out.append((cls, round(x, 2), round(width, 2)))
        x += width
    return out


# -- /u/<unit>/… -------------------------------------------------------------------------

def unit_dispatch(rest: str) -> Any:
    names = _raw_path()[len(b"/u/"):].split(b"/")
    unit = _unit_of(names)
    if unit is None:
        abort(404)
    remainder = names[len(unit.parts):]
    action = remainder[0].decode("latin-1") if remainder else ""
    tail = b"/".join(remainder[1:])
    try:
        parts = paths.split(tail)
    except paths.Refused:
        abort(404)
    if action == "" and not tail:
        return tree_page(unit)
    if request.method == "POST" and action != "score":
        abort(405)
    handlers = {"f": file_page, "raw": raw_file, "preview": preview_file,
                "report": report_page, "score": score_page, "export": export_sheet}
    handler = handlers.get(action)
    if handler is None:
        abort(404)
    return handler(unit, parts)


def _raw_path() -> bytes:
    """The request's path as bytes: from the request line itself where the server gives
    it (a name that is not UTF-8 survives), else from PATH_INFO (PEP 3333: bytes as
    Latin-1)."""
    uri = request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI")
    if uri:
        path = urllib.parse.urlsplit(uri).path if "://" in uri.split("?", 1)[0] \
            else uri.split("?", 1)[0]
        return urllib.parse.unquote_to_bytes(path)
    return str(request.environ.get("PATH_INFO", "")).encode("latin-1")


def _unit_of(names: list[bytes]) -> Unit | None:
    user = current_user()
    for unit in context().registry.units():
        encoded = [os.fsencode(p) for p in unit.parts]
        if names[:len(encoded)] == encoded and user.sees(unit.key):
            return unit
    return None


def _report(unit: Unit, live: bool = True) -> tuple[Checked, Report]:
    checked = context().registry.checked(unit, live=live)
    if checked.report is None:
        abort(Response(render("unit_error.html", unit=unit, checked=checked)))
    return checked, checked.report


def tree_page(unit: Unit) -> Any:
    checked, report = _report(unit)
    findings: dict[str | None, list[Any]] = {}
    for finding in report.findings:
        findings.setdefault(finding.indicator, []).append(finding)
    return render("unit.html", unit=unit, checked=checked, report=report, findings=findings,
                  tally=_tally, estimate=lambda r: text.estimate(report.estimate(r)),
                  statuses=(COMPLETE, PARTIAL, MISSING))


def _tally(result: IndicatorResult) -> dict[str, int]:
    counts = Counter(leaf.status for leaf in result.leaves())
    return {k: counts[k] for k in (COMPLETE, PARTIAL, MISSING) if counts[k]}


def file_page(unit: Unit, names: tuple[str, ...]) -> Any:
    try:
        _, st = paths.walk(unit.path, names)
    except paths.Refused:
        abort(404)
    rel = "/".join(names)
    crumbs = [("/".join(names[:i + 1]), names[i]) for i in range(len(names))]
    if stat.S_ISDIR(st.st_mode):
        try:
            items = paths.listing(unit.path, names)
        except paths.Refused:
            abort(404)
        return render("folder.html", unit=unit, rel=rel, crumbs=crumbs, items=items)
    if not stat.S_ISREG(st.st_mode):
        abort(404)
    kind = preview.view_kind(names[-1])
    values: dict[str, Any] = {}
    if kind == "image":
        values["caption"] = preview.photo_caption(unit.path, names)
        values["converted"] = names[-1].lower().endswith((".tif", ".tiff"))
    elif kind in ("docx", "text"):
        try:
            handle, _ = paths.open_file(unit.path, names)
        except paths.Refused:
            abort(404)
        with handle:
            if kind == "docx":
                values["document"] = preview.docx(handle)
            else:
                values["text"], values["cut"] = preview.text(handle)
    return render("file.html", unit=unit, rel=rel, crumbs=crumbs, kind=kind, size=st.st_size,
                  mtime=st.st_mtime, name=names[-1], **values)


def raw_file(unit: Unit, names: tuple[str, ...]) -> Any:
    """The file's bytes, streamed; shown inline only when it is a photo or a PDF."""
    if not names:
        abort(404)
    try:
        handle, st = paths.open_file(unit.path, names)
    except paths.Refused:
        abort(404)
    ext = os.path.splitext(names[-1])[1].lower()
    inline = preview.INLINE.get(ext) if "download" not in request.args else None
    name = printable_download(names[-1])
    response: Any = send_file(handle, mimetype=inline or "application/octet-stream",
                         as_attachment=inline is None, download_name=name, conditional=False,
                         etag=f"{st.st_ino}-{st.st_size}-{st.st_mtime_ns}",
                         last_modified=st.st_mtime, max_age=0)
    response.content_length = st.st_size
    response = response.make_conditional(request, accept_ranges=True,
                                         complete_length=st.st_size)
    if ext != ".pdf":  # Chromium's PDF viewer does not run in a sandboxed document
        response.headers["Content-Security-Policy"] = FILE_CSP
    return response


def printable_download(name: str) -> str:
    return repaired(name).replace("\n", " ").replace("\r", " ")


def preview_file(unit: Unit, names: tuple[str, ...]) -> Any:
    try:
        handle, _ = paths.open_file(unit.path, names)
    except paths.Refused:
        abort(404)
    with handle:
        data = preview.jpeg(handle)
    if data is None:
        abort(404)
    return Response(data, mimetype="image/jpeg",
                    headers={"Content-Security-Policy": FILE_CSP})


def report_page(unit: Unit, names: tuple[str, ...]) -> Any:
    """The static HTML report of the unit, as ``cwa check --format html`` writes it."""
    from cwa.report.html import CSS, SCRIPT
    from cwa.report.html import render as render_html

    _, report = _report(unit)
    policy = (f"default-src 'none'; style-src {csp_hash(CSS)}; script-src {csp_hash(SCRIPT)}; "
              "img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'")
    return Response(render_html(report), mimetype="text/html",
                    headers={"Content-Security-Policy": policy})


# -- search --------------------------------------------------------------------------

def search_page() -> Any:
    query = request.args.get("q", "")[:MAX_QUERY]
    wanted = unicodedata.normalize("NFC", query).strip().casefold()
    results: list[tuple[Unit, str, bool]] = []
    more = False
    if wanted:
        for unit in visible_units():
            for rel, is_dir in _walk(unit):
                name = repaired(rel.rsplit("/", 1)[-1])  # a GBK name: found by its reading
                if wanted in unicodedata.normalize("NFC", name).casefold():
                    if len(results) >= MAX_RESULTS:
                        more = True
                        break
                    results.append((unit, rel, is_dir))
            if more:
                break
    return render("search.html", query=query, results=results, more=more)


def _walk(unit: Unit) -> Any:
    """Every entry of the archive, links not followed, tool folders skipped."""
    top = os.fspath(unit.path)
    for folder, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        base = os.path.relpath(folder, top).replace(os.sep, "/")
        base = "" if base == "." else base + "/"
        for d in dirs:
            yield base + d, True
        for f in sorted(files):
            yield base + f, False


# -- scoring -------------------------------------------------------------------------

def score_page(unit: Unit, names: tuple[str, ...]) -> Any:
    ctx = context()
    user = current_user()
    if ctx.store is None:
        abort(404)
    _, report = _report(unit, live=request.method == "GET")
    round_ = scoring.current_round(ctx.store)
    every = scoring.items(report)
    message, failed = "", ""
    if request.method == "POST":
        if not user.scores:
            abort(403)
        key = request.form.get("item", "")
        item = next((i for i in every if i.key == key), None)
        if item is None:
            abort(400)
        try:
            value = scoring.parse(request.form.get("score", ""), item)
            version = int(request.form.get("version", "0") or 0)
            scoring.save(ctx.store, round_.id, unit.key, item.key, value,
                         request.form.get("comment", ""), user.name, version)
        except (CwaError, ValueError) as exc:
            message = exc.render() if isinstance(exc, CwaError) else t("serve.bad_form")
            failed = key
        else:
            return redirect(unit_url(unit, "score") + "#item-" + _anchor(item.key), code=303)
    given = scoring.scores(ctx.store, round_.id, unit.key)
    total = sum(s.score or 0 for s in given.values())
    possible = sum(i.points or 0 for i in every)
    body = render("score.html", unit=unit, report=report, items=every, given=given,
                  round=round_, total=total, possible=possible, message=message,
                  failed=failed, anchor=_anchor, editable=user.scores and not round_.closed,
                  estimate=text.estimate)
    return Response(body, status=409 if message else 200, mimetype="text/html")


def _anchor(key: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in key)


def export_sheet(unit: Unit, names: tuple[str, ...]) -> Any:
    ctx = context()
    if ctx.store is None:
        abort(404)
    checked, report = _report(unit)
    round_ = scoring.current_round(ctx.store)
    data = scoring.sheet(report, scoring.scores(ctx.store, round_.id, unit.key), round_)
    name = f"{printable_download(checked.name).replace('/', '-')}-{t('xlsx.sheet')}.xlsx"
    response = Response(data, mimetype="application/vnd.openxmlformats-officedocument."
                                        "spreadsheetml.sheet")
    from werkzeug.http import dump_options_header

    ascii_name = "score-sheet.xlsx"
    response.headers["Content-Disposition"] = dump_options_header(
        "attachment", {"filename": ascii_name,
                       "filename*": "UTF-8''" + urllib.parse.quote(name)})
    return response


__all__ = ["register", "url"]
