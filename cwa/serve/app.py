"""The web application (Flask): who may see what, and the pages.

Every request is tied to an account (``--no-auth``: an anonymous reader of everything,
on loopback only); every form carries a CSRF token; every response carries a strict
Content Security Policy (no script, no request to another origin: the pages work
offline) and is written to the access log. Templates are autoescaped; names from the
archives pass through ``cwa.printable.printable`` as well.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, redirect, render_template, request
from werkzeug.exceptions import HTTPException

from cwa import __version__, messages, wording
from cwa.messages import t
from cwa.printable import printable
from cwa.serve import accounts, sessions
from cwa.serve.accounts import ANONYMOUS, User
from cwa.serve.paths import quote
from cwa.serve.store import Store
from cwa.serve.units import Registry, Unit

log = logging.getLogger("cwa.serve")

#: Pages: no script, styles and images from this server only, frames of its own files.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
       "form-action 'self'; frame-ancestors 'self'; base-uri 'none'")
#: Files sent as they are: shown, never run.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
PUBLIC = frozenset({"login", "static", "assets"})


@dataclass
class Context:
    """What the pages share: the root's units, the database, whether accounts are on."""

    registry: Registry
    store: Store | None  # None: --no-auth
    lang: str

    @property
    def auth(self) -> bool:
        return self.store is not None


def create_app(root: Path, store: Store | None, lang: str = "zh",
               registry: Registry | None = None) -> Flask:
    """The application over the archives at or below ``root``. ``store`` None: no
    accounts at all (``--no-auth``): everything readable, nothing scored."""
    app = Flask("cwa.serve", static_folder=str(Path(__file__).with_name("static")),
                template_folder=str(Path(__file__).with_name("templates")))
    app.config.update(MAX_CONTENT_LENGTH=1024 * 1024, TEMPLATES_AUTO_RELOAD=False,
                      SEND_FILE_MAX_AGE_DEFAULT=3600)
    app.extensions["cwa"] = Context(registry or Registry(root), store, lang)
    app.jinja_env.autoescape = True  # every template, whatever its name
    app.jinja_env.globals.update(t=t, version=__version__, url=url, printable=printable,
                                 number=_number, human_size=wording.size,
                                 kinds=wording.kinds)
    app.jinja_env.filters["name"] = printable
    app.jinja_env.filters["when"] = _when
    app.before_request(_before)
    app.after_request(_after)
    app.register_error_handler(HTTPException, _error)

    from cwa.serve import office, views

    views.register(app)
    office.register(app)

    @app.get("/assets/report.css")
    def assets() -> Response:
        from cwa.report.html import CSS

        return Response(CSS, mimetype="text/css", headers={"Cache-Control": "max-age=3600"})

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        return _login()

    @app.post("/logout")
    def logout() -> Any:
        if context().store is not None:
            sessions.close(context().store, request.cookies.get(sessions.COOKIE))  # type: ignore[arg-type]
        response = redirect(url("/login"))
        response.delete_cookie(sessions.COOKIE, path="/")
        return response

    return app


def context() -> Context:
    from flask import current_app

    found: Context = current_app.extensions["cwa"]
    return found


def url(path: str, **query: str) -> str:
    return path + ("?" + urllib.parse.urlencode(query) if query else "")


def unit_url(unit: Unit, action: str = "", rel: str = "") -> str:
    """``/u/<unit>/<action>/<path>``: names percent-encoded from their bytes on disk."""
    base = "/u/" + "/".join(quote(p) for p in unit.parts) + "/"
    if action:
        base += action + "/"
    return base + quote(rel) if rel else base


def _number(value: float | None) -> str:
    from cwa.report.text import number

    return number(value) if value is not None else ""


def _when(at: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(at)) if at else ""


def current_user() -> User:
    user: User = g.user
    return user


# -- every request -------------------------------------------------------------------

def _before() -> Any:
    g.started = time.monotonic()
    ctx = context()
    messages.set_lang(ctx.lang)
    g.session = None
    if not ctx.auth:
        g.user = ANONYMOUS
        g.csrf = ""
        return None
    assert ctx.store is not None
    found = sessions.find(ctx.store, request.cookies.get(sessions.COOKIE))
    g.session = found
    g.user = found.user if found else None
    g.csrf = found.csrf if found else ""
    if request.endpoint in PUBLIC:
        return None
    if found is None:
        if request.method == "GET":
            return redirect(url("/login", next=request.full_path.rstrip("?")))
        abort(403)
    if request.method == "POST" and not sessions.same(request.form.get("csrf"), found.csrf):
        abort(400, description=t("serve.csrf_failed"))
    return None


def _after(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if request.endpoint not in ("static", "assets"):
        headers["Cache-Control"] = "no-store"
    _record(response.status_code)
    return response


def _record(status: int) -> None:
    """The access log: who opened what, when, from where, and what came of it."""
    ctx = context()
    if ctx.store is None or request.endpoint in ("static", "assets"):
        return
    user = getattr(g, "user", None)
    path = request.full_path.rstrip("?")
    with contextlib.suppress(UnicodeDecodeError):
        path = urllib.parse.unquote(path, errors="strict")
    try:
        with ctx.store.tx(write=True) as tx:
            tx.run("INSERT INTO access (at, name, ip, method, path, status) "
                   "VALUES (?, ?, ?, ?, ?, ?)", time.time(), user.name if user else None,
                   request.remote_addr or "", request.method, printable(path)[:2000], status)
    except Exception:  # the log must not take the page down: say so on the console
        log.exception("could not write the access log")


def _error(exc: HTTPException) -> Response:
    code = exc.code or 500
    detail = exc.description if code == 400 and exc.description and \
        exc.description.startswith(t("serve.csrf_failed")) else ""
    body = render_template("error.html", code=code, message=t(f"serve.http_{code}")
                           if f"serve.http_{code}" in messages.CATALOGUES["zh"] else str(exc.name),
                           detail=detail, user=getattr(g, "user", None),
                           csrf=getattr(g, "csrf", ""))
    return Response(body, status=code, mimetype="text/html")


# -- signing in ----------------------------------------------------------------------

def _login() -> Any:
    ctx = context()
    target = _safe_next(request.values.get("next", "/"))
    if not ctx.auth:
        return redirect(target)
    assert ctx.store is not None
    error = ""
    status = 200
    if request.method == "POST":
        if not sessions.same(request.form.get("csrf"), request.cookies.get(sessions.CSRF_COOKIE)):
            abort(400, description=t("serve.csrf_failed"))
        name = request.form.get("name", "").strip()
        password = request.form.get("password", "")
        try:
            token = sessions.login(ctx.store, name, password, request.remote_addr or "")
        except sessions.Refused as exc:
            if exc.wait:
                error = t("serve.login_wait", minutes=max(1, -(-exc.wait // 60)))
                status = 429
            else:
                error = t("serve.login_failed")
                status = 401
        else:
            g.user = accounts.get(ctx.store, name)
            response = redirect(target)
            response.set_cookie(sessions.COOKIE, token, httponly=True, samesite="Lax",
                                secure=request.is_secure, path="/")
            response.delete_cookie(sessions.CSRF_COOKIE, path="/login")
            return response
    token = request.cookies.get(sessions.CSRF_COOKIE) or sessions.new_token()
    body = render_template("login.html", csrf=token, next=target, error=error, user=None)
    response = Response(body, status=status, mimetype="text/html")
    response.set_cookie(sessions.CSRF_COOKIE, token, httponly=True, samesite="Strict",
                        secure=request.is_secure, path="/login")
    return response


def _safe_next(target: str) -> str:
    """Only a path on this server: never ``//elsewhere`` or ``https://…``."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parsed = urllib.parse.urlsplit(target)
    return "/" if parsed.scheme or parsed.netloc else target


def csp_hash(inline: str) -> str:
    """A CSP source allowing one inline ``<style>`` or ``<script>`` block (the static
    report's own), and nothing else inline."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode() + "'"
