"""``cwa summary``: 50 generated unit archives of mixed completeness, ranked; the same
from the JSON reports the units hand in; the cache observed; damaged units as rows; the
HTML page in Chromium (heat map, drill-down links), the workbook in LibreOffice."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run

RUBRIC = """\
rubric: 汇总测试体系
edition: "2025"
years: {from: 2025, to: 2025}
unit_types: [机关, 企业]
vetoes:
  - {code: "1", text: 发生重大安全生产事故}
indicators:
  - code: "1"
    name: 组织管理
    points: 6
    children:
      - {code: "1.1", name: 创建规划, points: 2, evidence: [{title: 年度创建计划, kinds: [text]}]}
      - {code: "1.2", name: 领导机构, points: 2, evidence: [{title: 领导小组文件, kinds: [text]}]}
      - {code: "1.3", name: 工作总结, points: 2, evidence: [{title: 年度工作总结, kinds: [text]}]}
  - code: "2"
    name: 宣传教育
    points: 4
    children:
      - {code: "2.1", name: 道德讲堂, points: 2, evidence: [{title: 道德讲堂记录, kinds: [text]}]}
      - code: "2.2"
        name: 信息报送
        points: 2
        evidence: [{title: 工作信息, kinds: [text], cadence: quarterly}]
"""
#: leaf folder → the document that completes it
LEAVES = [("01：组织管理/01：创建规划", "01：年度创建计划.docx"),
          ("01：组织管理/02：领导机构", "01：领导小组文件.docx"),
          ("01：组织管理/03：工作总结", "01：年度工作总结.docx"),
          ("02：宣传教育/01：道德讲堂", "01：道德讲堂记录.docx")]
INFO = "02：宣传教育/02：信息报送"
QUARTERS = "一二三四"
UNITS = 50
BARRED = 7  # the unit that declares its 一票否决 item


def plan(n: int) -> tuple[int, int]:
    """Unit n's completeness: leaves filled (0–4) and quarters of 信息报送 handed in (0–4)."""
    return n % 5, (n // 5) % 5


def expected_estimate(n: int) -> float:
    leaves, quarters = plan(n)
    return 2 * leaves + 2 * quarters / 4


def make_unit(folder: Path, n: int) -> None:
    leaves, quarters = plan(n)
    folder.mkdir(parents=True)
    (folder / "测评体系.yaml").write_text(RUBRIC, encoding="utf-8")
    kind = "机关" if n % 2 == 0 else "企业"
    answer = "是" if n == BARRED else "否"
    (folder / "cwa.yaml").write_text(
        'rubric: "测评体系.yaml"\nyears: {from: 2025, to: 2025}\n'
        f"unit_type: {kind}\nvetoes: {{\"1\": {answer}}}\n"
        f"catalog: {{unit: 第{n + 1:02d}单位}}\n", encoding="utf-8")
    for i, (leaf, document) in enumerate(LEAVES):
        (folder / leaf).mkdir(parents=True)
        if i < leaves:
            (folder / leaf / document).write_bytes(b"x")
    (folder / INFO).mkdir(parents=True)
    for q in range(quarters):
        (folder / INFO / f"{q + 1:02d}：2025年第{QUARTERS[q]}季度工作信息.docx").write_bytes(b"x")


def make_units(root: Path, count: int = UNITS) -> Path:
    for n in range(count):
        make_unit(root / f"unit{n + 1:02d}", n)
    return root


@pytest.fixture(autouse=True)
def _setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every quarter of 2025 is due; a private cache."""
    monkeypatch.setenv("CWA_TODAY", "2026-01-15")
    monkeypatch.setenv("CWA_CACHE_DIR", str(tmp_path / "cache"))
    yield


@pytest.fixture
def units(tmp_path: Path) -> Path:
    return make_units(tmp_path / "units")


def summary_json(*args: object) -> dict[str, Any]:
    result = run("summary", *args, "--format", "json", "--jobs", "2")
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def comparable(row: dict[str, Any]) -> dict[str, Any]:
    """A row without what says where it came from."""
    return {k: v for k, v in row.items() if k not in ("source", "from_cache")}


def test_fifty_units_are_ranked_by_their_estimate(units: Path) -> None:
    data = summary_json(units)
    assert data["schema_version"] == 1 and data["kind"] == "summary"
    assert data["counts"]["units"] == UNITS and data["counts"]["checked"] == UNITS
    [group] = data["groups"]
    assert group["rubric"] == {"name": "汇总测试体系", "edition": "2025"}
    assert group["ranked_by"] == "estimate"
    assert [i["code"] for i in group["indicators"]] == ["1", "2"]
    rows = group["units"]
    assert len(rows) == UNITS
    # the estimate each unit earns, from cwa/score.py, as built
    estimates = {r["unit"]: r["estimate"]["estimate"] for r in rows}
    assert estimates == {f"第{n + 1:02d}单位": expected_estimate(n) for n in range(UNITS)}
    # ranked: higher estimate first, equal estimates share a rank; the barred unit last
    order = sorted(range(UNITS), key=lambda n: (n == BARRED, -expected_estimate(n)))
    assert [r["unit"] for r in rows][-1] == f"第{BARRED + 1:02d}单位"
    expected_rank = {}
    for position, n in enumerate(order, start=1):
        previous = order[position - 2] if position > 1 else None
        same = previous is not None and (previous == BARRED) == (n == BARRED) and \
            expected_estimate(previous) == expected_estimate(n)
        expected_rank[f"第{n + 1:02d}单位"] = expected_rank[f"第{previous + 1:02d}单位"] \
            if same and previous is not None else position
    assert {r["unit"]: r["rank"] for r in rows} == expected_rank
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    top = rows[0]
    assert top["estimate"] == {"estimate": 10.0, "possible": 10.0, "share": 1.0, "bonus": 0,
                               "deducted": 0, "vetoed": False}
    assert rows[-1]["vetoes"] == {"declared": ["1"], "unanswered": [], "barred": True}
    # completeness per top-level indicator, months behind on the quarterly item
    unit_12 = next(r for r in rows if r["unit"] == "第12单位")  # n = 11: 1 leaf, 2 quarters
    assert [(t["code"], t["share"]) for t in unit_12["top"]] == [("1", 0.3333), ("2", 0.0)]
    assert unit_12["behind"] == 6
    assert unit_12["cadence"] == [{"indicator": "2.2", "title": "工作信息",
                                   "cadence": "quarterly", "missing": [[2025, 3], [2025, 4]],
                                   "months": 6}]
    assert unit_12["unit_types"] == ["企业"]
    assert unit_12["last_change"] and unit_12["verify"] is None
    assert group["distribution"] == [sum(1 for n in range(UNITS)  # units per tenth
                                         if int(expected_estimate(n)) == b or (b == 9 and
                                         expected_estimate(n) == 10)) for b in range(10)]


def test_the_terminal_shows_the_ranking_and_filters(units: Path) -> None:
    result = run("summary", units)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "单位 50 个（档案 50，交来的报告 0）｜本次检查 50 ｜取自缓存 0 ｜无法读取 0"
    assert "测评体系：汇总测试体系（2025）    50 个单位，按估分率（估分 ÷ 可得分）排名" in lines
    ranked = [line.split()[1] for line in lines if re.match(r"\s*\d+\s+第\d\d单位", line)]
    first = sorted(range(UNITS), key=lambda n: (n == BARRED, -expected_estimate(n)))
    assert ranked[0] == f"第{first[0] + 1:02d}单位" and ranked[-1] == "第08单位"
    assert "一级指标（各列为其末级指标已完成的百分比）：1 组织管理 · 2 宣传教育" in result.stdout
    only = run("summary", units, "--unit-type", "机关", "--below", "50", "--sort", "behind")
    shown = [line for line in only.stdout.splitlines() if re.match(r"\s*\d+\s+第\d\d单位", line)]
    names = [line.split()[1] for line in shown]
    assert names and all(int(name[1:3]) % 2 == 1 for name in names)  # n even: 机关
    assert all(expected_estimate(int(name[1:3]) - 1) < 5 for name in names)
    assert "筛选：单位类型为 机关；低于 50.0%；显示" in only.stdout
    lacking = summary_json(units, "--indicator", "2")["groups"][0]["units"]
    assert lacking and all(r["top"][1]["status"] != "complete" for r in lacking)
    bad = run("summary", units, "--indicator", "9")
    assert bad.exit_code == 2 and "没有哪个测评体系有编号为 9 的一级指标" in bad.output


def test_a_second_run_takes_every_row_from_the_cache(units: Path) -> None:
    first = summary_json(units)
    second = summary_json(units)
    assert (first["counts"]["checked"], first["counts"]["from_cache"]) == (UNITS, 0)
    assert (second["counts"]["checked"], second["counts"]["from_cache"]) == (0, UNITS)
    assert [comparable(r) for r in second["groups"][0]["units"]] == \
        [comparable(r) for r in first["groups"][0]["units"]]
    assert all(r["from_cache"] for r in second["groups"][0]["units"])
    # a document handed in: that unit, and only it, is checked again
    (units / "unit01" / LEAVES[0][0] / LEAVES[0][1]).write_bytes(b"x")
    third = summary_json(units)
    assert (third["counts"]["checked"], third["counts"]["from_cache"]) == (1, UNITS - 1)
    row = next(r for r in third["groups"][0]["units"] if r["unit"] == "第01单位")
    assert row["estimate"]["estimate"] == 2 and not row["from_cache"]
    # an empty file filled in place changes no folder, and is noticed all the same
    empty = units / "unit02" / LEAVES[3][0] / "02：道德讲堂照片说明.docx"
    empty.write_bytes(b"")
    summary_json(units)
    folder = empty.parent.stat()
    with empty.open("r+b") as fh:
        fh.write(b"filled")
    os.utime(empty.parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))
    assert empty.parent.stat().st_mtime_ns == folder.st_mtime_ns
    assert summary_json(units)["counts"]["checked"] == 1
    # a new month: other periods may be due
    os.environ["CWA_TODAY"] = "2026-02-15"
    assert summary_json(units)["counts"]["checked"] == UNITS
    assert summary_json(units, "--no-cache")["counts"]["from_cache"] == 0


def test_reports_handed_in_give_the_same_summary(units: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for folder in sorted(units.iterdir()):
        out = reports / f"{folder.name}.json"
        result = run("check", folder, "--format", "json", "-o", out, "--fail-on", "never")
        assert result.exit_code == 0, result.output
    report = json.loads((reports / "unit12.json").read_text("utf-8"))
    assert report["unit"]["name"] == "第12单位" and report["unit"]["types"] == ["企业"]
    from_folders = summary_json(units)
    from_reports = summary_json(reports)
    assert from_reports["counts"]["reports"] == UNITS and from_reports["counts"]["archives"] == 0
    assert [comparable(r) for r in from_reports["groups"][0]["units"]] == \
        [comparable(r) for r in from_folders["groups"][0]["units"]]
    assert from_reports["groups"][0]["distribution"] == from_folders["groups"][0]["distribution"]
    # a single report as a root; the summary's own JSON lying there is not a unit
    (reports / "summary.json").write_text(json.dumps(from_reports), "utf-8")
    again = run("summary", reports, "--format", "json")
    assert json.loads(again.stdout)["counts"]["skipped"] == 1
    assert "跳过了 1 个不是 cwa 检查报告的 JSON 文件。" in again.stderr
    one = summary_json(reports / "unit03.json")
    assert [r["unit"] for r in one["groups"][0]["units"]] == ["第03单位"]


def test_a_unit_that_cannot_be_read_is_a_row(units: Path, tmp_path: Path) -> None:
    (units / "unit05" / "cwa.yaml").write_text("rubric: [\n", encoding="utf-8")
    (units / "unit06" / "cwa.yaml").write_text('rubric: "没有这个.yaml"\n', encoding="utf-8")
    reports = units / "交来的报告"
    reports.mkdir()
    (reports / "截断.json").write_text('{"schema_version": 1, "tool": {"na', "utf-8")
    future = {"schema_version": 9, "tool": {"name": "cwa"}, "indicators": [], "summary": {}}
    (reports / "新版.json").write_text(json.dumps(future), "utf-8")
    result = run("summary", units, "--format", "json")
    assert result.exit_code == 1  # some unit could not be read
    data = json.loads(result.stdout)
    assert data["counts"]["units"] == UNITS + 2 and data["counts"]["unreadable"] == 4
    assert len(data["groups"][0]["units"]) == UNITS - 2
    bad = {r["source"]["path"].rsplit("/", 1)[-1]: r["error"] for r in data["unreadable"]}
    assert set(bad) == {"unit05", "unit06", "截断.json", "新版.json"}
    assert "YAML 语法错误" in bad["unit05"]
    assert "没有这个.yaml" in bad["unit06"]
    assert bad["截断.json"].startswith("不是有效的 JSON")
    assert bad["新版.json"] == "报告格式版本 9 比这个 cwa 新：请升级 cwa"
    text = run("summary", units)
    assert "无法读取的单位（4 个）" in text.stdout
    assert re.search(r"unit05：.*cwa.yaml:1: 错误：YAML 语法错误", text.stdout)


def test_discovery_stays_out_of_archives_and_links(tmp_path: Path) -> None:
    root = tmp_path / "区"
    make_unit(root / "街道" / "单位甲", 4)
    make_unit(root / "单位甲" / "内层", 1)  # inside an archive? only if 单位甲 is one
    make_unit(tmp_path / "外面", 2)
    (root / "单位甲" / "cwa.yaml").write_text((root / "街道" / "单位甲" / "cwa.yaml").read_text(
        "utf-8"), "utf-8")
    (root / "单位甲" / "测评体系.yaml").write_text(RUBRIC, "utf-8")
    (root / "链接").symlink_to(tmp_path / "外面", target_is_directory=True)
    data = summary_json(root)
    found = sorted(r["source"]["path"] for g in data["groups"] for r in g["units"])
    assert found == [str(root / "单位甲"), str(root / "街道" / "单位甲")]
    missing = run("summary", tmp_path / "没有")
    assert missing.exit_code == 2 and "找不到" in missing.output
    empty = tmp_path / "空"
    empty.mkdir()
    nothing = run("summary", empty)
    assert nothing.exit_code == 2 and "没有找到档案" in nothing.output


def test_units_on_other_rubrics_are_grouped_not_mixed(units: Path) -> None:
    other = units / "unit51"
    make_unit(other, 4)
    text = (other / "测评体系.yaml").read_text("utf-8").replace('edition: "2025"',
                                                                 'edition: "2026"')
    (other / "测评体系.yaml").write_text(text, "utf-8")
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "qinghe-tax",
                    units / "qinghe")
    data = summary_json(units)
    titles = [(g["rubric"]["name"], g["rubric"]["edition"], len(g["units"]))
              for g in data["groups"]]
    assert titles[0] == ("汇总测试体系", "2025", UNITS)  # the largest group first
    assert sorted(titles[1:]) == [("文明单位创建档案资料归档范围", "国税局示例", 1),
                                  ("汇总测试体系", "2026", 1)]
    scope = next(g for g in data["groups"] if g["rubric"]["edition"] == "国税局示例")
    assert scope["ranked_by"] == "complete"  # archive-scope gives no points
    assert scope["units"][0]["estimate"] is None and scope["units"][0]["rank"] == 1
    markdown = run("summary", units, "--format", "md").stdout
    assert markdown.count("\n## ") == 3
    assert "| 排名 | 单位 | 类型 | 估分 | 估分率 | 完成 | 1 | 2 |" in markdown


def _chromium() -> str | None:
    from tests.test_reports import _chromium as find

    return find()


def test_html_heat_map_and_drill_down_in_chromium(units: Path, tmp_path: Path) -> None:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed")
    from tests.test_reports import _load

    out = tmp_path / "out"
    out.mkdir()
    page = out / "汇总.html"
    result = run("summary", units, "--format", "html", "-o", page)
    assert result.exit_code == 0, result.output
    html = page.read_text("utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    dom, requested, log = _load(chromium, page, tmp_path)
    assert requested == [] and "Uncaught" not in log
    assert dom.count('<tr data-unit="') == UNITS
    assert len(re.findall(r'<td class="heat"', dom)) == UNITS * 2  # units × indicators
    assert '<svg class="dist"' in dom
    links = re.findall(r'<a class="drill" href="([^"]+)">([^<]+)</a>', dom)
    assert len(links) == UNITS
    from urllib.parse import unquote

    for href, unit in links:
        target = out / unquote(href)
        assert target.is_file(), href
        n = int(unit[1:3])  # the unit's own check report: its archive unitNN
        assert f"{units / f'unit{n:02d}'}</title>" in target.read_text("utf-8")
    first = out / unquote(links[0][0])
    unit_dom = _load(chromium, first, tmp_path)[0]
    assert '<section id="summary" class="cards">' in unit_dom
    assert unit_dom.count('class="ind ') == 7  # every indicator of the unit's rubric
    # warm: the pages come from the cache, written again beside a new page
    shutil.rmtree(out / "汇总-units")
    again = run("summary", units, "--format", "html", "-o", page)
    assert "本次检查 0 ｜取自缓存 50" in page.read_text("utf-8"), again.output
    assert len(list((out / "汇总-units").glob("*.html"))) == UNITS
    # a unit changed and summed up without pages: its page is made again, not the old one
    unit01 = next((out / "汇总-units").glob("第01单位-*.html"))
    assert '<div class="card complete"><b>0</b>' in unit01.read_text("utf-8")
    (units / "unit01" / LEAVES[0][0] / LEAVES[0][1]).write_bytes(b"x")
    assert summary_json(units)["counts"]["checked"] == 1
    run("summary", units, "--format", "html", "-o", page)
    assert '<div class="card complete"><b>1</b>' in unit01.read_text("utf-8")


def test_html_sorts_and_filters_in_chromium(units: Path, tmp_path: Path) -> None:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed")
    page = tmp_path / "汇总.html"
    run("summary", units, "--format", "html", "-o", page)
    script = """<script>window.addEventListener('load',function(){
      document.querySelector('#heat-1 thead th:nth-child(2)').click();
      var t=document.getElementById('f-type'); t.value='企业'; t.dispatchEvent(new Event('change'));
      var shown=[].slice.call(document.querySelectorAll('#heat-1 tbody tr')).filter(
        function(r){return !r.classList.contains('hidden');}).map(function(r){return r.dataset.unit;});
      var pre=document.createElement('pre');pre.id='probe';pre.textContent=JSON.stringify(shown);
      document.body.appendChild(pre);});</script>"""
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text("utf-8").replace("</body>", script + "</body>"), "utf-8")
    from tests.test_reports import _load

    dom = _load(chromium, probe, tmp_path)[0]
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom)
    assert found
    shown = json.loads(found.group(1).replace("&quot;", '"'))
    assert shown == [f"第{n:02d}单位" for n in range(2, UNITS + 1, 2)]  # 企业: n odd, by name


def test_the_workbook_opens_in_libreoffice(units: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    make_unit(units / "坏的", 0)
    (units / "坏的" / "cwa.yaml").write_text("rubric: [\n", "utf-8")
    book_path = tmp_path / "汇总.xlsx"
    assert run("summary", units, "--format", "xlsx").exit_code == 2  # needs -o
    assert run("summary", units, "--format", "xlsx", "-o", book_path).exit_code == 1
    book = load_workbook(book_path)
    assert book.sheetnames == ["排名", "指标完成情况", "按期报送滞后", "无法读取"]
    ranking = book["排名"]
    assert ranking["A3"].value == "排名" and ranking["B4"].value is not None
    assert ranking.max_row == 3 + UNITS
    assert ranking.auto_filter.ref == f"A3:N{3 + UNITS}"  # 14 columns
    assert ranking.page_setup.orientation == "landscape" and ranking.page_setup.paperSize == 9
    heat = book["指标完成情况"]
    assert [c.value for c in heat[3]] == ["排名", "单位", "1 组织管理", "2 宣传教育"]
    assert heat.cell(4, 3).fill.fgColor.rgb.endswith(heat.cell(4, 4).fill.fgColor.rgb[-6:]) \
        or heat.cell(4, 3).value != heat.cell(4, 4).value
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs LibreOffice and poppler (.ci/run)")
        pytest.skip("LibreOffice or pdftotext is not installed")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(book_path)], capture_output=True, timeout=300, check=True)
    pdf = tmp_path / "汇总.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "第01单位" in flat and "1组织管理" in flat and "YAML语法错误" in flat
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", size).groups())
    assert width > height  # A4 landscape
    keep = os.environ.get("CWA_ARTIFACTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf),
                        str(Path(keep) / "summary-sheet")], check=True)


def test_english_and_no_archive_written(units: Path, tmp_path: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in units.rglob("*")}
    result = run("summary", units, "--lang", "en")
    assert result.stdout.startswith("50 units (50 archives, 0 reports handed in) | checked now "
                                    "50 | from the cache 0 | unreadable 0")
    assert "50 units, ranked by the estimate's share of what is possible" in result.stdout
    assert {p: p.stat().st_mtime_ns for p in units.rglob("*")} == before
    inside = run("summary", units, "--format", "md", "-o", units / "unit01" / "汇总.md")
    assert inside.exit_code == 2


def test_fixity_shows_a_manifest_and_whether_its_files_changed(
        units: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CWA_CACHE_DIR", str(tmp_path / "cache"))
    assert all(r["verify"] is None for r in summary_json(units)["groups"][0]["units"])
    manifest = units / "unit03" / ".cwa" / "manifest-sha256.txt"
    manifest.parent.mkdir()
    manifest.write_text("", "utf-8")  # a manifest this computer did not make
    data = summary_json(units)
    assert data["counts"]["checked"] == 1  # a manifest made: that unit's row is made again
    row = next(r for r in data["groups"][0]["units"] if r["unit"] == "第03单位")
    assert row["verify"] == {"manifest": "manifest-sha256.txt", "state": "unverified"}
    assert "有清单，未核验" in run("summary", units).stdout
    manifest.unlink()
    assert run("manifest", units / "unit03").exit_code == 0  # made here: sizes and times kept

    def verify() -> dict[str, object]:
        data = json.loads(run("summary", units, "--format", "json", "--no-cache").stdout)
        row = next(r for r in data["groups"][0]["units"] if r["unit"] == "第03单位")
        return row["verify"]  # type: ignore[no-any-return]

    assert verify() == {"manifest": "manifest-sha256.txt", "state": "ok", "changed": 0}
    document = next(p for p in (units / "unit03").rglob("*.docx"))
    document.write_bytes(document.read_bytes() + b"tampered")
    assert verify() == {"manifest": "manifest-sha256.txt", "state": "changed", "changed": 1}


def test_a_unit_whose_folder_name_is_not_utf8(tmp_path: Path) -> None:
    """An archive unzipped from a Chinese Windows zip keeps its GBK folder name: every
    format is written, twice (the second from the cache), and the HTML links the unit's
    page by a name that is valid Unicode."""
    import sys

    if sys.platform != "linux":
        pytest.skip("names of any bytes: Linux")
    root = tmp_path / "units"
    root.mkdir()
    shutil.copytree(Path(__file__).parent.parent / "examples" / "qinghe-tax",
                    root / os.fsdecode(b"\xb5\xb5\xb0\xb8"))  # 档案 in GBK
    for _ in range(2):
        for fmt in ("text", "md", "json", "html", "xlsx"):
            result = run("summary", root, "--format", fmt, "-o", tmp_path / f"汇总.{fmt}")
            assert result.exit_code == 0, (fmt, result.output)
    named = run("summary", root, "--name", "档案", "--format", "json")
    assert len(json.loads(named.stdout)["groups"][0]["units"]) == 1  # found by its reading
    page = (tmp_path / "汇总.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]*-units/[^"#]+)"', page)
    assert links
    from urllib.parse import unquote

    assert all((tmp_path / unquote(link)).is_file() for link in links)
