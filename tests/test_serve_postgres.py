"""``cwa serve --db postgresql://…`` against a real PostgreSQL: accounts made through the
CLI, and inspectors saving at once through two servers over one database.

The server comes from ``CWA_TEST_POSTGRES`` (``.ci/run`` starts one with ``.ci/postgres``)
or, where Debian's postgresql is installed, is started here the same way. Skipped only
where no PostgreSQL server is installed at all, and never in CI."""

from __future__ import annotations

import os
import secrets
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cwa.serve import scoring
from cwa.serve.store import Store
from tests.conftest import ROOT
from tests.serve_support import PASSWORD, csrf, login, make_root, run_with_input
from tests.test_serve import Client, u

A = "甲单位"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    url = os.environ.get("CWA_TEST_POSTGRES")
    if url:
        yield url
        return
    script = ROOT / ".ci" / "postgres"
    done = subprocess.run(["bash", str(script), "start"], capture_output=True, text=True,
                          check=False, timeout=120)
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI starts PostgreSQL (.ci/run): {done.stderr}")
        pytest.skip(f"no PostgreSQL server here: {done.stderr.strip()}")
    url, folder = done.stdout.split()
    try:
        yield url
    finally:
        subprocess.run(["bash", str(script), "stop", folder], check=False, timeout=120)


@pytest.fixture
def database(server: str) -> Iterator[str]:
    """A new, empty database on the server for one test."""
    import psycopg

    name = "cwa_test_" + secrets.token_hex(4)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    base, _, _ = server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def add(db: str, name: str, role: str, *units: str) -> None:
    args: list[Any] = ["serve", "user", "add", name, "--role", role, "--db", db,
                       "--password-stdin"]
    for unit in units:
        args += ["--unit", unit]
    result = run_with_input(PASSWORD + "\n", *args)
    assert result.exit_code == 0, result.output


def server_over(root: Path, db: str) -> Any:
    """One server process's application: its own connections to the shared database."""
    from cwa.serve.app import create_app

    app = create_app(root, Store(db))
    app.test_client_class = Client
    return app


def test_accounts_scores_and_the_sheet_on_postgres(database: str, tmp_path: Path) -> None:
    root = make_root(tmp_path)
    add(database, "office1", "office")
    add(database, "insp", "inspector", A)
    c = server_over(root, database).test_client()
    assert login(c, "insp").status_code == 302
    token = csrf(c.get(u(A, "score")).text)
    saved = c.post(u(A, "score"), data={"item": "1#1", "score": "2", "comment": "齐全",
                                        "version": "0", "csrf": token})
    assert saved.status_code == 303
    assert "已保存：2 分（insp" in c.get(u(A, "score")).text
    assert c.get(u(A, "export")).status_code == 200
    assert not list(tmp_path.rglob("*.sqlite3"))  # nothing fell back to SQLite


def test_two_inspectors_saving_at_once(database: str, tmp_path: Path) -> None:
    root = make_root(tmp_path)
    add(database, "office1", "office")
    add(database, "wang", "inspector", A)
    add(database, "li", "inspector", A)
    clients = {}
    for name in ("wang", "li"):  # two servers over one database, one inspector each
        client = server_over(root, database).test_client()
        assert login(client, name).status_code == 302
        clients[name] = client
    tokens = {name: csrf(c.get(u(A, "score")).text) for name, c in clients.items()}
    results: dict[str, list[Any]] = {"wang": [], "li": []}

    def save(name: str, item: str, value: str, start: threading.Barrier) -> None:
        start.wait()
        response = clients[name].post(u(A, "score"), data={
            "item": item, "score": value, "comment": f"{name} 的意见", "version": "0",
            "csrf": tokens[name]})
        results[name].append((item, response.status_code, response.text))

    def at_once(*saves: tuple[str, str, str]) -> None:
        start = threading.Barrier(len(saves))
        threads = [threading.Thread(target=save, args=(*s, start)) for s in saves]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    # different items at once: both kept
    at_once(("wang", "1#1", "2"), ("li", "1#2", "1"))
    assert [r[1] for r in results["wang"] + results["li"]] == [303, 303]
    store = Store(database)
    given = scoring.scores(store, 1, A)
    assert (given["1#1"].score, given["1#1"].inspector) == (2, "wang")
    assert (given["1#2"].score, given["1#2"].inspector) == (1, "li")
    # the same item at once, both from the empty form: one is kept, the other is told
    for _ in range(5):
        results["wang"].clear()
        results["li"].clear()
        with store.tx(write=True) as tx:  # the item starts empty again
            tx.run("DELETE FROM scores WHERE item = '2'")
        at_once(("wang", "2", "3"), ("li", "2", "4"))
        codes = sorted(r[1] for r in results["wang"] + results["li"])
        assert codes == [303, 409], codes
        winner = scoring.scores(store, 1, A)["2"]
        assert winner.score == (3 if winner.inspector == "wang" else 4)
        loser = "li" if winner.inspector == "wang" else "wang"
        assert f"{winner.inspector} 刚刚保存了这一项（{winner.score:g} 分）" in results[loser][0][2]


def test_closing_the_round_while_inspectors_save(database: str, tmp_path: Path) -> None:
    root = make_root(tmp_path)
    add(database, "office1", "office")
    add(database, "wang", "inspector", A)
    inspector = server_over(root, database).test_client()
    office = server_over(root, database).test_client()
    assert login(inspector, "wang").status_code == 302
    assert login(office, "office1").status_code == 302
    token = csrf(inspector.get(u(A, "score")).text)
    office_token = csrf(office.get("/office").text)
    start = threading.Barrier(2)
    codes: list[int] = []

    def keep_saving() -> None:
        start.wait()
        for i in range(20):
            codes.append(inspector.post(u(A, "score"), data={
                "item": "2", "score": str(i % 4), "version": str(i) if i else "0",
                "csrf": token}).status_code)

    thread = threading.Thread(target=keep_saving)
    thread.start()
    start.wait()
    assert office.post("/office/round", data={"action": "close", "csrf": office_token}
                       ).status_code == 303
    thread.join(timeout=120)
    store = Store(database)
    closed = scoring.current_round(store).closed
    assert closed is not None
    with store.tx() as tx:
        after = tx.run("SELECT COUNT(*) FROM score_history WHERE at > ?", closed)
    assert after == [(0,)]  # nothing was saved once the round was closed
    assert codes[-1] == 409  # the last saves were refused
