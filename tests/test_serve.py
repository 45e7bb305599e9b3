"""``cwa serve`` through Flask's test client: accounts and what each role sees, files
and their views, scoring and the exported sheet, and the attacks a web door invites —
path traversal, links out of an archive, CSRF, session fixation, brute force, XSS
through a file name. The archives are compared before and after: never written."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from cwa.serve import sessions
from cwa.serve.app import create_app
from cwa.serve.paths import quote
from cwa.serve.store import Store
from cwa.serve.units import find_archives
from tests.conftest import EXAMPLE, listing, run
from tests.serve_support import (
    MINUTES,
    PASSWORD,
    PHOTO,
    add_user,
    csrf,
    login,
    make_root,
    photo,
    run_with_input,
)

A, B = "甲单位", "乙单位"


class Client(FlaskClient):
    """Responses read whole and closed, as a server does (a streamed file is closed)."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


def app_for(root: Path, store: Store | None, lang: str = "zh") -> Any:
    app = create_app(root, store, lang)
    app.test_client_class = Client
    return app


def u(unit: str, action: str = "", rel: str = "") -> str:
    return f"/u/{quote(unit)}/" + (f"{action}/" if action else "") + quote(rel)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two units and four accounts, made once (hashing passwords takes its time)."""
    base = tmp_path_factory.mktemp("site")
    make_root(base)
    data = base / "data"
    add_user(data, "office1", "office")
    add_user(data, "jia", "unit", A)
    add_user(data, "yi", "unit", B)
    add_user(data, "insp", "inspector", A)
    return base


@pytest.fixture
def site(template: Path, tmp_path: Path) -> dict[str, Any]:
    root, data = tmp_path / "root", tmp_path / "data"
    shutil.copytree(template / "root", root, symlinks=True)
    shutil.copytree(template / "data", data)
    app = app_for(root, Store.in_folder(data))
    return {"root": root, "data": data, "app": app, "before": listing(root)}


def client(site: dict[str, Any], name: str | None = None, **kw: Any) -> Any:
    c = site["app"].test_client(**kw)
    if name is not None:
        assert login(c, name).status_code == 302
    return c


def unchanged(site: dict[str, Any]) -> None:
    assert listing(site["root"]) == site["before"]


# -- who sees what ---------------------------------------------------------------------

def test_no_account_no_page(site: dict[str, Any]) -> None:
    c = client(site)
    for path in ("/", u(A), u(A, "raw", PHOTO), "/search?q=会议", "/office"):
        response = c.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    assert c.post(u(A, "score"), data={"item": "1#1"}).status_code == 403


def test_a_unit_sees_only_its_own_archive(site: dict[str, Any]) -> None:
    c = client(site, "jia")
    page = c.get("/").text
    assert A in page
    assert B not in page
    tree = c.get(u(A))
    assert tree.status_code == 200
    assert "创建工作机制" in tree.text and "01：2025年专题会议照片.jpg" in tree.text
    raw = c.get(u(A, "raw", PHOTO))
    assert raw.status_code == 200
    assert raw.mimetype == "image/jpeg"
    assert raw.data == (site["root"] / A / PHOTO).read_bytes()
    for path in (u(B), u(B, "raw", PHOTO), u(B, "f", PHOTO), u(B, "report"), u(B, "export")):
        assert c.get(path).status_code == 404, path  # the same as a unit that is not there
    assert "乙单位" not in c.get("/search?q=会议").text
    assert c.get("/office").status_code == 403
    assert c.get(u(A, "score")).status_code == 200  # to read; saving is refused
    assert c.post(u(A, "score"), data={"item": "1#1", "score": "1",
                                       "csrf": csrf(c.get(u(A, "score")).text)}).status_code == 403
    unchanged(site)


def test_an_inspector_sees_the_units_assigned_and_the_office_assigns(site: dict[str, Any]) -> None:
    inspector = client(site, "insp")
    assert inspector.get(u(A)).status_code == 200
    assert inspector.get(u(B)).status_code == 404
    office = client(site, "office1")
    page = office.get("/office").text
    assert office.get(u(B)).status_code == 200
    response = office.post("/office/assign", data={"name": "insp", "unit": B, "on": "1",
                                                   "csrf": csrf(page)})
    assert response.status_code == 303
    assert inspector.get(u(B)).status_code == 200
    assert "insp" in run("serve", "user", "list", "--data", site["data"]).stdout
    office.post("/office/assign", data={"name": "insp", "unit": B, "on": "0", "csrf": csrf(page)})
    assert inspector.get(u(B)).status_code == 404
    unchanged(site)


def test_the_unit_list_is_the_summary(site: dict[str, Any]) -> None:
    page = client(site, "office1").get("/").text
    assert page.count('<tr id="unit-') == 2  # the folder without cwa.yaml is no unit
    assert "完整 0%" in page and "完整 0 · 部分 1 · 缺失 1" in page  # leaves by status
    assert "材料审核部分估分" in page and "<b>3/8</b>" in page  # 2 + 1 of the clauses, 0 of 4
    assert re.search(r'<span class="sev error">错误 \d+</span>', page)
    assert "已评 0/4 项" in page


def test_a_unit_that_cannot_be_checked_says_why(site: dict[str, Any]) -> None:
    (site["root"] / B / "cwa.yaml").write_text("rubric: 没有这个测评体系\n", encoding="utf-8")
    c = client(site, "office1")
    page = c.get("/").text
    assert "无法检查这个档案" in page and "没有这个测评体系" in page
    assert "<b>3/8</b>" in page  # the other unit is shown as usual
    unit = c.get(u(B))
    assert unit.status_code == 200 and "没有这个测评体系" in unit.text
    assert c.get(u(B, "f", PHOTO)).status_code == 200  # its files can still be read


# -- files -----------------------------------------------------------------------------

def test_file_views(site: dict[str, Any]) -> None:
    c = client(site, "jia")
    page = c.get(u(A, "f", PHOTO)).text
    assert f'<img src="{u(A, "raw", PHOTO)}"' in page
    assert "事由：甲单位创建工作专题会议" in page  # the caption beside it
    assert "<dt>地点</dt><dd>三楼会议室</dd>" in page
    doc = c.get(u(A, "f", MINUTES)).text
    assert "<p>甲单位班子会议纪要正文</p>" in doc
    assert "02：2025年班子会议纪要（甲单位）" in doc  # the footer, shown as such
    (site["root"] / A / "01：创建工作机制" / "坏的.docx").write_bytes(b"PK\x03\x04 broken")
    broken = c.get(u(A, "f", "01：创建工作机制/坏的.docx")).text
    assert "不是有效的 Office 文档" in broken and "下载" in broken
    with (site["root"] / A / "01：创建工作机制" / "大.docx").open("wb") as fh:
        fh.truncate(40 * 1024 * 1024)
    assert "文档太大，不在网页中显示" in c.get(u(A, "f", "01：创建工作机制/大.docx")).text
    folder = c.get(u(A, "f", "01：创建工作机制")).text
    assert "01：2025年专题会议照片.jpg" in folder
    assert c.get(u(A, "f")).status_code == 200  # the archive's own folder
    (site["root"] / A / "01：创建工作机制" / "会议.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (site["root"] / A / "01：创建工作机制" / "录音.mp3").write_bytes(b"ID3" + b"\0" * 100)
    assert '<iframe class="pdf"' in c.get(u(A, "f", "01：创建工作机制/会议.pdf")).text
    pdf = c.get(u(A, "raw", "01：创建工作机制/会议.pdf"))
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("inline")
    mp3 = c.get(u(A, "raw", "01：创建工作机制/录音.mp3"))
    assert mp3.headers["Content-Disposition"].startswith("attachment")
    assert mp3.mimetype == "application/octet-stream"
    assert "sandbox" in mp3.headers["Content-Security-Policy"]


def test_large_files_are_streamed_with_ranges(site: dict[str, Any]) -> None:
    big = site["root"] / A / "02：理想信念教育" / "学习录像.mp4"
    with big.open("wb") as fh:
        fh.truncate(64 * 1024 * 1024)
        fh.seek(10_000_000)
        fh.write(b"MARK")
    c = client(site, "jia")
    response = c.get(u(A, "raw", "02：理想信念教育/学习录像.mp4"), buffered=False)
    assert response.headers["Content-Length"] == str(64 * 1024 * 1024)
    assert response.is_streamed  # a file wrapper, not the bytes in memory
    response.close()
    part = c.get(u(A, "raw", "02：理想信念教育/学习录像.mp4"),
                 headers={"Range": "bytes=10000000-10000003"})
    assert part.status_code == 206
    assert part.data == b"MARK"


def test_search_by_name(site: dict[str, Any]) -> None:
    page = client(site, "office1").get("/search?q=专题会议").text
    assert page.count(">01：2025年专题会议照片.jpg</a>") == 2  # one per unit
    assert "01：2025年专题会议照片.txt" in page
    assert "找到 4 项" in page
    assert "没有名称包含" in client(site, "office1").get("/search?q=不存在的名称").text


def test_the_full_report_runs_only_its_own_script(site: dict[str, Any]) -> None:
    response = client(site, "jia").get(u(A, "report"))
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'sha256-" in policy and "unsafe-inline" not in policy
    assert "<details" in response.text


def test_pages_reach_nothing_outside(site: dict[str, Any]) -> None:
    c = client(site, "insp")
    for path in ("/", u(A), u(A, "f", PHOTO), u(A, "f", MINUTES), u(A, "score"),
                 "/search?q=会议"):
        response = c.get(path)
        assert response.status_code == 200
        assert not re.search(r"""(src|href|action)=["']?(https?:|//)""", response.text), path
        assert "<script" not in response.text
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert response.headers["Cache-Control"] == "no-store"


def test_english(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    c = app_for(root, None, "en").test_client()
    page = c.get("/").text
    assert '<html lang="en">' in page
    assert "Units and their archives" in page and "0% complete" in page
    assert "Not logged in" in page


# -- scoring ---------------------------------------------------------------------------

def score(c: Any, item: str, value: str, comment: str = "", version: str = "0") -> Any:
    token = csrf(c.get(u(A, "score")).text)
    return c.post(u(A, "score"), data={"item": item, "score": value, "comment": comment,
                                       "version": version, "csrf": token})


def test_an_inspector_scores_clause_by_clause_and_exports(site: dict[str, Any]) -> None:
    c = client(site, "insp")
    page = c.get(u(A, "score")).text
    assert "每年召开专题会议（2分）" in page
    assert "材料审核估分 2/2（仅供参考）" in page  # the estimate as a hint
    assert f'href="{u(A, "f", PHOTO)}?embed=1" target="evidence"' in page  # evidence beside
    pane = c.get(u(A, "f", PHOTO) + "?embed=1").text
    assert 'class="bar"' not in pane  # no menu inside the pane
    assert f'href="{u(A, "f", "01：创建工作机制")}?embed=1"' in pane  # and its links stay in it
    assert score(c, "1#1", "1.5", "照片清晰，会议有记录").status_code == 303
    assert score(c, "1#2", "１", "只有一次会议纪要").status_code == 303  # full-width digits
    bad = score(c, "1#2", "3", version="1")
    assert bad.status_code == 409
    assert "得分应在 0 到 2 之间" in bad.text
    assert "已评 2/4 项" in c.get("/").text
    sheet = c.get(u(A, "export"))
    assert sheet.status_code == 200
    assert "attachment" in sheet.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(sheet.data)).active
    rows: dict[Any, int] = {}
    for r in range(ws.max_row, 0, -1):  # the first row of a code (then its subtotal)
        rows[ws.cell(r, 1).value] = r
    assert ws.cell(3, 10).value == "考评得分" and ws.cell(3, 11).value == "考评意见"
    assert ws.cell(rows["1 1)"], 10).value == 1.5
    assert ws.cell(rows["1 2)"], 10).value == 1
    assert ws.cell(rows["1 1)"], 11).value == "照片清晰，会议有记录\n（insp）"
    assert ws.cell(rows["1 3)"], 10).value is None
    assert ws.cell(rows["2"], 10).value is None
    assert "第 1 轮考评进行中" in ws.cell(2, 1).value
    unchanged(site)


def test_a_score_saved_meanwhile_is_not_overwritten(site: dict[str, Any]) -> None:
    first, second = client(site, "insp"), client(site, "insp")
    assert score(first, "2", "3").status_code == 303
    stale = score(second, "2", "4", version="0")  # loaded before the first save
    assert stale.status_code == 409
    assert "insp 刚刚保存了这一项（3 分）" in stale.text
    assert score(second, "2", "4", version="1").status_code == 303
    assert "已保存：4 分" in first.get(u(A, "score")).text


def test_closing_the_round_locks_the_scores(site: dict[str, Any]) -> None:
    inspector = client(site, "insp")
    assert score(inspector, "1#1", "2").status_code == 303
    office = client(site, "office1")
    assert office.post("/office/round", data={"action": "close",
                                              "csrf": csrf(office.get("/office").text)}
                       ).status_code == 303
    page = inspector.get(u(A, "score")).text
    assert "本轮考评已结束，评分已锁定" in page
    assert 'name="score"' not in page
    token = csrf(page)
    refused = inspector.post(u(A, "score"), data={"item": "1#1", "score": "1", "version": "1",
                                                  "csrf": token})
    assert refused.status_code == 409
    assert "不能再修改" in refused.text
    ws = load_workbook(io.BytesIO(office.get(u(A, "export")).data)).active
    assert "第 1 轮考评已结束（评分已锁定）" in ws.cell(2, 1).value
    office.post("/office/round", data={"action": "open", "csrf": csrf(office.get("/office").text)})
    assert score(inspector, "1#1", "1").status_code == 303  # round 2 starts empty


# -- accounts on the command line --------------------------------------------------------

def test_user_commands(tmp_path: Path) -> None:
    data = tmp_path / "data"
    add_user(data, "office1", "office")
    result = run_with_input(PASSWORD + "\n", "serve", "user", "add", "jia", "--role", "unit",
                            "--data", data, "--password-stdin")
    assert result.exit_code == 2
    assert "unit 角色的账号必须用 --unit 指定且只指定一个单位" in result.output
    short = run_with_input("short\n", "serve", "user", "add", "x", "--role", "office",
                           "--data", data, "--password-stdin")
    assert short.exit_code == 2 and "密码至少要 8 个字符" in short.output
    again = run_with_input(PASSWORD + "\n", "serve", "user", "add", "office1", "--role",
                           "office", "--data", data, "--password-stdin")
    assert again.exit_code == 2 and "账号“office1”已存在" in again.output
    prompt = run_with_input(f"{PASSWORD}\n{PASSWORD}\n", "serve", "user", "add", "insp",
                            "--role", "inspector", "--unit", A, "--unit", B, "--data", data)
    assert prompt.exit_code == 0, prompt.output
    assert PASSWORD not in prompt.output  # typed hidden
    listed = run("serve", "user", "list", "--data", data).stdout
    assert "insp  考评人员  乙单位、甲单位" in listed and "office1  文明办" in listed
    assert run_with_input("new password 1\n", "serve", "user", "passwd", "insp", "--data", data,
                          "--password-stdin").exit_code == 0
    assert run("serve", "user", "remove", "insp", "--data", data).exit_code == 0
    gone = run("serve", "user", "remove", "insp", "--data", data)
    assert gone.exit_code == 2 and "没有账号“insp”" in gone.output
    stored = (data / "cwa-serve.sqlite3").read_bytes()
    assert PASSWORD.encode() not in stored and b"$argon2id$" in stored
    if os.name == "posix":
        assert (data.stat().st_mode & 0o777) == 0o700


def test_no_auth_binds_loopback_only(tmp_path: Path) -> None:
    for host in ("0.0.0.0", "::", "192.0.2.1"):
        result = run("serve", EXAMPLE.parent, "--no-auth", "--host", host)
        assert result.exit_code == 2
        assert f"--no-auth 只能监听本机地址（127.0.0.1、::1、localhost），不能监听 {host}" in result.output
    assert run("serve", tmp_path, "--no-auth").exit_code == 2  # no archive there
    assert "中没有档案" in run("serve", tmp_path, "--no-auth").output


def test_no_auth_reads_everything_and_scores_nothing(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    c = app_for(root, None).test_client()
    assert A in c.get("/").text and B in c.get("/").text
    assert c.get(u(B, "raw", PHOTO)).status_code == 200
    assert c.get(u(A, "score")).status_code == 404
    assert c.get("/office").status_code == 403


def test_the_data_folder_is_never_inside_an_archive(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    result = run("serve", root, "--data", root / A / "数据", "--port", "1")
    assert result.exit_code == 2
    assert "cwa serve 从不写入档案" in result.output
    assert not (root / A / "数据").exists()


def test_discovery(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    (root / "区县" / "街道").mkdir(parents=True)
    (root / A).rename(root / "区县" / "街道" / A)
    (root / "区县" / "街道" / A / "内部").mkdir()
    (root / "区县" / "街道" / A / "内部" / "cwa.yaml").write_text("rubric: x\n", "utf-8")
    (root / ".隐藏").mkdir()
    (root / ".隐藏" / "cwa.yaml").write_text("rubric: x\n", "utf-8")
    (root / "链接").symlink_to(root / B)
    found = [p.relative_to(root).as_posix() for p in find_archives(root)]
    assert found == ["乙单位", "区县/街道/甲单位"]  # no archive in an archive, no link
    assert [p.name for p in find_archives(root / B)] == [B]  # the root is the archive
    c = app_for(root, None).test_client()
    assert c.get(f"/u/{quote('区县')}/{quote('街道')}/{quote(A)}/f/{quote(PHOTO)}").status_code == 200


# -- attacks ---------------------------------------------------------------------------

def test_path_traversal_and_links_out_are_refused(site: dict[str, Any], tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密", encoding="utf-8")
    folder = site["root"] / A / "01：创建工作机制"
    (folder / "链接.txt").symlink_to(secret)
    (folder / "乙的照片.jpg").symlink_to(site["root"] / B / PHOTO)
    (site["root"] / A / "外部文件夹").symlink_to(tmp_path)
    site["before"] = listing(site["root"])
    c = client(site, "jia")
    base = f"/u/{quote(A)}"
    attempts = [
        f"{base}/raw/..%2F{quote(B)}%2F{quote(PHOTO)}",
        f"{base}/raw/../{quote(B)}/{quote(PHOTO)}",
        f"{base}/raw/%2E%2E/%2E%2E/secret.txt",
        f"{base}/raw/{quote(MINUTES.split('/')[0])}/../../{quote(B)}/{quote(PHOTO)}",
        f"{base}/raw/..%5C{quote(B)}%5C{quote(PHOTO)}",
        f"{base}/raw/%2Fetc%2Fpasswd",
        f"{base}/raw//etc/passwd",
        f"{base}/raw/{quote(PHOTO)}%00.txt",
        f"{base}/raw/.cwa/journal",
        f"{base}/raw/{quote('01：创建工作机制/链接.txt')}",
        f"{base}/f/{quote('01：创建工作机制/链接.txt')}",
        f"{base}/raw/{quote('01：创建工作机制/乙的照片.jpg')}",
        f"{base}/f/{quote('外部文件夹')}",
        f"{base}/raw/{quote('外部文件夹/secret.txt')}",
        f"{base}/preview/{quote('外部文件夹/secret.txt')}",
    ]
    for path in attempts:
        response = c.get(path)
        assert response.status_code == 404, path
        assert "机密" not in response.text
        assert response.data != (site["root"] / B / PHOTO).read_bytes()
    folder_page = c.get(u(A, "f", "01：创建工作机制")).text
    assert "链接.txt" in folder_page and "（链接，不跟随）" in folder_page
    assert f'href="{u(A, "f", "01：创建工作机制/链接.txt")}"' not in folder_page
    assert "机密" not in c.get("/search?q=secret").text
    unchanged(site)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses names that are not UTF-8")
def test_a_name_that_is_not_utf8_is_served_and_shown_escaped(site: dict[str, Any]) -> None:
    folder = os.fsencode(site["root"] / A / "01：创建工作机制")
    name = "会议".encode("gb18030") + b".jpg"  # from a Chinese Windows zip
    data = photo(Path(os.fsdecode(folder + b"/" + name)), (0, 128, 0))
    c = client(site, "jia")
    page = c.get(u(A, "f", "01：创建工作机制")).text
    assert "\\xbb\\xe1\\xd2\\xe9.jpg" in page  # visible escapes, valid UTF-8 page
    rel = f"{quote('01：创建工作机制')}/" + urllib.parse.quote(name)
    assert f'href="/u/{quote(A)}/f/{rel}"' in page
    view = c.get(f"/u/{quote(A)}/f/{rel}").text
    assert f'<img src="/u/{quote(A)}/raw/{rel}"' in view
    assert c.get(f"/u/{quote(A)}/raw/{rel}").data == data


def test_xss_through_a_file_name_is_escaped(site: dict[str, Any]) -> None:
    folder = site["root"] / A / "01：创建工作机制"
    evil = '<script>alert(1)<\\script>"><img src=x onerror=alert(2)>.jpg'
    photo(folder / evil, (1, 2, 3))
    (folder / "控制\x1b[2J字符.docx").write_bytes(b"x")
    c = client(site, "jia")
    for path in (u(A, "f", "01：创建工作机制"), u(A, "f", f"01：创建工作机制/{evil}"),
                 "/search?q=script", u(A)):
        page = c.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;alert(1)&lt;\\script&gt;&#34;&gt;&lt;img src=x" in page or \
            path == u(A), path
    assert "控制\\x1b[2J字符.docx" in c.get(u(A, "f", "01：创建工作机制")).text
    search = c.get("/search?q=" + urllib.parse.quote('"><script>alert(3)</script>')).text
    assert "<script>alert(3)" not in search


def test_csrf(site: dict[str, Any]) -> None:
    c = client(site, "insp")
    item = {"item": "1#1", "score": "2", "version": "0"}
    assert c.post(u(A, "score"), data=item).status_code == 400
    other = client(site, "insp")
    foreign = csrf(other.get(u(A, "score")).text)  # another session's token
    refused = c.post(u(A, "score"), data={**item, "csrf": foreign})
    assert refused.status_code == 400
    assert "表单已过期或不是从本站提交的" in refused.text
    office = client(site, "office1")
    assert office.post("/office/round", data={"action": "close"}).status_code == 400
    assert office.post("/logout").status_code == 400  # logging out is a form too
    fresh = client(site)
    form = fresh.get("/login")
    token = csrf(form.text)
    fresh.delete_cookie(sessions.CSRF_COOKIE, path="/login")
    assert fresh.post("/login", data={"name": "insp", "password": PASSWORD,
                                      "csrf": token}).status_code == 400
    assert "已保存" not in c.get(u(A, "score")).text  # nothing was saved


def test_session_fixation_cookies_and_logout(site: dict[str, Any]) -> None:
    planted = "attacker-chosen-session-value"
    https = "https://localhost"
    c = client(site)
    c.set_cookie(sessions.COOKIE, planted)
    form = c.get("/login", base_url=https)
    assert "Secure" in form.headers["Set-Cookie"]
    response = c.post("/login", base_url=https, data={"name": "jia", "password": PASSWORD,
                                                      "csrf": csrf(form.text)})
    assert response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie")
                  if h.startswith(sessions.COOKIE + "="))
    token = cookie.split(";")[0].split("=", 1)[1]
    assert token != planted and len(token) >= 40
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    victim = client(site)
    victim.set_cookie(sessions.COOKIE, planted)
    assert victim.get("/").status_code == 302  # the planted value opens nothing
    second = client(site, "jia")
    assert second.get_cookie(sessions.COOKIE).value != token  # a new id every login
    plain = client(site)
    assert "Secure" not in plain.get("/login").headers["Set-Cookie"]  # not over HTTP
    thief = client(site)
    thief.set_cookie(sessions.COOKIE, token)
    assert thief.get("/").status_code == 200
    c.post("/logout", data={"csrf": csrf(c.get("/").text)})
    assert thief.get("/").status_code == 302  # logged out is out everywhere
    stored = (site["data"] / "cwa-serve.sqlite3").read_bytes()
    assert token.encode() not in stored  # only the token's digest is kept


def test_brute_force_is_slowed_down(site: dict[str, Any]) -> None:
    c = client(site)
    for _ in range(sessions.PER_NAME):
        assert login(c, "insp", "wrong password").status_code == 401
    blocked = login(c, "insp")  # the right password, too late
    assert blocked.status_code == 429
    assert "登录失败次数过多，请 15 分钟后再试" in blocked.text
    assert login(client(site), "jia").status_code == 302  # another account is not locked
    with Store.in_folder(site["data"]).tx(write=True) as tx:  # the window passes
        tx.run("UPDATE failures SET at = at - ?", sessions.WINDOW + 1)
    assert login(c, "insp").status_code == 302


def test_unknown_names_fail_like_wrong_passwords(site: dict[str, Any]) -> None:
    response = login(client(site), "nobody")
    assert response.status_code == 401
    assert "账号或密码不正确" in response.text


def test_the_access_log_says_who_opened_what(site: dict[str, Any]) -> None:
    client(site, "jia").get(u(A, "f", PHOTO))
    page = client(site, "office1").get("/office/log").text
    assert re.search(r"<td>jia</td><td>[^<]*</td><td><code>GET /u/甲单位/f/01：创建工作机制/"
                     r"01：2025年专题会议照片.jpg</code></td><td>200</td>", page)


def test_login_redirects_only_within_the_site(site: dict[str, Any]) -> None:
    c = client(site)
    form = c.get("/login?next=//evil.example/x")
    response = c.post("/login", data={"name": "jia", "password": PASSWORD,
                                      "csrf": csrf(form.text), "next": "//evil.example/x"})
    assert response.headers["Location"] == "/"


def test_a_unit_whose_folder_name_is_not_utf8_is_shown_by_its_reading(
        site: dict[str, Any]) -> None:
    """A unit's folder unzipped from a Chinese Windows zip: its key keeps the bytes (in
    URLs and accounts), its name is read as people read it."""
    if sys.platform != "linux":
        pytest.skip("names of any bytes: Linux")
    raw = "丙单位".encode("gb18030")
    shutil.copytree(site["root"] / A, Path(os.fsdecode(os.fsencode(site["root"]) + b"/" + raw)))
    page = client(site, "office1").get("/").text
    assert "丙单位" in page
    assert "%" + "%".join(f"{b:02X}" for b in raw) in page  # its key, in its link


def test_search_finds_a_name_that_is_not_utf8_by_its_reading(site: dict[str, Any]) -> None:
    if sys.platform != "linux":
        pytest.skip("names of any bytes: Linux")
    folder = os.fsencode(site["root"] / A / "01：创建工作机制")
    photo(Path(os.fsdecode(folder + b"/" + "会议照片".encode("gb18030") + b".jpg")),
          (0, 128, 0))
    page = client(site, "jia").get("/search?q=会议照片").text
    assert "\\xbb\\xe1\\xd2\\xe9" in page  # found, shown with its bytes escaped
