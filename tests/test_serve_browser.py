"""``cwa serve`` as people use it: the real command in its own process, Debian's Chromium
driven headless by Playwright (pointed at /usr/bin/chromium: no browser is downloaded).

A unit logs in, sees only its archive, opens a photo, and fails to open another unit's
file by its URL; an inspector scores two clauses and exports the sheet; ``cwa serve
examples/ --no-auth`` opens as the README says. The inspector's page is the README's
picture: ``CWA_SERVE_SCREENSHOT=docs/serve.png`` writes it there, and CI keeps it with
the other pictures (``CWA_ARTIFACTS``)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import EXAMPLE, ROOT
from tests.serve_support import MINUTES, PASSWORD, PHOTO, add_user, make_root
from tests.test_serve import u

A, B = "甲单位", "乙单位"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs chromium (.ci/run): cwa serve must be tested in it")
        pytest.skip("chromium is not installed")
    return found


class Served:
    """``cwa serve …`` in its own process; ``url`` is where it listens."""

    def __init__(self, *args: Any) -> None:
        env = {k: v for k, v in os.environ.items() if k != "CWA_LANG"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cwa", "serve", *map(str, args), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            env=env, cwd=ROOT)
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(self.process.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout=60)
        found = re.search(r"http://127\.0\.0\.1:\d+/", first[0] if first else "")
        if found is None:
            self.stop()
            raise AssertionError(f"cwa serve did not start: {first} {self.process.stderr.read()}")  # type: ignore[union-attr]
        self.url = found.group().rstrip("/")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    executable = chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, headless=True, args=ARGS,
            viewport={"width": 1280, "height": 800}, accept_downloads=True,
            locale="zh-CN")
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def accounts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("browser-data")
    add_user(data, "jia", "unit", A)
    add_user(data, "insp", "inspector", A)
    return data


@pytest.fixture
def served(tmp_path: Path, accounts: Path) -> Iterator[Served]:
    root = make_root(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(accounts, data)
    server = Served(root, "--data", data)
    try:
        yield server
    finally:
        server.stop()


def log_in(page: Any, base: str, name: str) -> None:
    page.goto(base + "/")
    assert "/login" in page.url
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("form.login button")
    page.wait_for_url(base + "/")


def test_a_unit_sees_its_archive_and_nothing_else(browser: Any, served: Served) -> None:
    page = browser.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
        (served.url, "data:", "about:")) else None)
    log_in(page, served.url, "jia")
    rows = page.locator("table.units tr[id^=unit-]")
    assert rows.count() == 1
    assert A in rows.first.inner_text() and B not in page.content()
    page.click(f"text={A}")
    page.wait_for_selector("#tree")
    page.click("a.file >> text=01：2025年专题会议照片.jpg")
    image = page.wait_for_selector("figure.photo img")
    page.wait_for_function("document.querySelector('figure.photo img').naturalWidth > 0")
    assert image.evaluate("i => [i.naturalWidth, i.naturalHeight]") == [800, 600]
    assert "事由：甲单位创建工作专题会议" in page.inner_text("figcaption")
    for path in (u(B, "raw", PHOTO), u(B, "f", PHOTO), u(B, "f", MINUTES)):
        response = page.goto(served.url + path)
        assert response.status == 404, path
        assert "找不到，或无权查看" in page.inner_text("h1")
    assert outside == []


def test_an_inspector_scores_two_clauses_and_exports(browser: Any, served: Served,
                                                     tmp_path: Path) -> None:
    page = browser.new_page()
    log_in(page, served.url, "insp")
    page.get_by_role("link", name="打分", exact=True).click()
    page.wait_for_selector("section.item")
    for item, value, comment in (("item-1-1", "1.5", "会议照片清晰"),
                                 ("item-1-2", "1", "只有一次会议纪要")):
        section = page.locator(f"#{item}")
        section.locator("input[name=score]").fill(value)
        section.locator("textarea[name=comment]").fill(comment)
        section.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert f"已保存：{value} 分（insp" in page.locator(f"#{item} p.saved").inner_text()
    page.locator("#item-1-1 a[target=evidence]").first.click()
    frame = page.frame(name="evidence")
    assert frame is not None
    frame.wait_for_selector("figure.photo img")
    frame.wait_for_function("document.querySelector('figure.photo img').naturalWidth > 0")
    picture = os.environ.get("CWA_SERVE_SCREENSHOT")
    artifacts = os.environ.get("CWA_ARTIFACTS")
    if picture:
        page.screenshot(path=picture)
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(artifacts) / "serve.png"))
    with page.expect_download() as download:
        page.get_by_role("link", name="导出评分表").first.click()
    sheet = tmp_path / "sheet.xlsx"
    download.value.save_as(sheet)
    ws = load_workbook(io.BytesIO(sheet.read_bytes())).active
    scored = {ws.cell(r, 1).value: (ws.cell(r, 10).value, ws.cell(r, 11).value)
              for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value in ("1 1)", "1 2)")}
    assert scored == {"1 1)": (1.5, "会议照片清晰\n（insp）"),
                      "1 2)": (1, "只有一次会议纪要\n（insp）")}


def test_the_example_opens_without_accounts(browser: Any) -> None:
    server = Served(EXAMPLE.parent, "--no-auth")
    try:
        page = browser.new_page()
        page.goto(server.url + "/")
        assert "qinghe-tax" in page.inner_text("table.units")
        page.click("text=qinghe-tax")
        page.wait_for_selector("#tree details.ind")
        assert "思想建设类" in page.inner_text("#tree")
    finally:
        server.stop()
