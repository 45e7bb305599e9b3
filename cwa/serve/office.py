"""The 文明办's pages: accounts and which inspector scores which unit, the scoring round
(closing it locks every score), and the access log."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, redirect, request

from cwa.errors import CwaError
from cwa.serve import accounts, scoring
from cwa.serve.app import context, current_user
from cwa.serve.views import render

LOG_ROWS = 500


def register(app: Flask) -> None:
    app.add_url_rule("/office", "office", office_page, methods=["GET"])
    app.add_url_rule("/office/assign", "assign", assign, methods=["POST"])
    app.add_url_rule("/office/round", "round", change_round, methods=["POST"])
    app.add_url_rule("/office/log", "log", log_page, methods=["GET"])


def _office() -> Any:
    store = context().store
    if store is None or current_user().role != "office":
        abort(403)
    return store


def office_page(message: str = "") -> Any:
    store = _office()
    users = accounts.everyone(store)
    units = context().registry.units()
    known = {u.key for u in units}
    unknown = sorted({k for u in users for k in u.units} - known)
    return render("office.html", users=users, units=units, unknown=unknown,
                  round=scoring.current_round(store), message=message,
                  inspectors=[u for u in users if u.role == "inspector"])


def assign() -> Any:
    store = _office()
    name = request.form.get("name", "")
    unit = request.form.get("unit", "")
    if context().registry.unit(unit) is None:
        abort(400)
    try:
        accounts.assign(store, name, unit, request.form.get("on") == "1")
    except CwaError as exc:
        return office_page(exc.render())
    return redirect("/office", code=303)


def change_round() -> Any:
    store = _office()
    try:
        if request.form.get("action") == "close":
            scoring.close_round(store, current_user().name)
        elif request.form.get("action") == "open":
            scoring.open_round(store)
        else:
            abort(400)
    except CwaError as exc:
        return office_page(exc.render())
    return redirect("/office", code=303)


def log_page() -> Any:
    store = _office()
    with store.tx() as tx:
        rows = tx.run("SELECT at, name, ip, method, path, status FROM access "
                      "ORDER BY at DESC LIMIT ?", LOG_ROWS)
    return render("log.html", rows=rows)
