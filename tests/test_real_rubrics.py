"""Rubrics that hold a real 测评体系: every row DOMAIN.md quotes, written in the format and
checked through the CLI; each feature on a tree built here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from cwa.rubric import bundled, schema
from tests.conftest import make_docx, make_jpeg, run

#: The rows quoted in DOMAIN.md, "Real 测评体系 texts", each written in the format (the
#: source in the comment). Built here, checked below against a tree.
REAL = """\
rubric: DOMAIN.md 所引真实测评体系条目
points: 100
pass: 80                                      # 鄂州：80 分以上可参评
years: {from: 2017, to: 2018}
points_by_year: {2017: 40, 2018: 60}          # 鄂州：2017 年 40 分，2018 年 60 分
unit_types: [机关, 窗口单位]
vetoes:                                       # 全国 2012：申报前两年内 4 种情形不得申报
  - {code: "1", text: 领导班子成员发生严重违纪和违法}
  - {code: "2", text: 员工发生刑事案件}
  - {code: "3", text: 单位发生重大安全生产和食品安全事故}
  - {code: "4", text: 单位员工违反国家计划生育政策}
  - {code: "5", text: 山东：五种情形之一, deduct: 10}   # 山东：总分扣除10分
indicators:
  - code: "1"
    name: 学雷锋活动                            # 全国 2012：14 分，每条 4 分
    points: 14
    methods: ["1)、2)、4)材料审核", "3)材料审核"]
    clauses:
      - text: 单位有年度学雷锋活动总体方案，有明确责任部门和责任人，有具体活动安排（4分）
        points: 4
        evidence: [{title: 学雷锋活动总体方案, kinds: [text], per_year: true, match: [方案]}]
      - {text: 有体现雷锋精神的岗位规范或行为守则（4分）, points: 4,
         evidence: [{title: 岗位规范, kinds: [text]}]}
      - {text: 有体现雷锋精神的管理制度, points: 3, evidence: [{title: 管理制度, kinds: [text]}]}
      - {text: 第 4 条, points: 3, evidence: [{title: 活动记录, kinds: [text]}]}
  - code: "2"
    name: 说明报告                              # 全国 2020：说明报告 ≤ 500 字；材料种类
    points: 4
    evidence:
      - {title: 情况资料, kinds: [text]}
      - {title: 说明报告, kinds: [text], max_chars: 500}
      - {title: 评价意见, kinds: [text]}
      - {title: 图片资料, kinds: [image]}
  - code: "3"
    name: 年度类与活动类材料                      # 首都 2014：年度类近两年（不含当年），活动类近三年（含当年）
    points: 4
    evidence:
      - {title: 年度工作总结, kinds: [text], per_year: true, window: 近两年（不含当年）}
      - {title: 活动方案, kinds: [text], window: "近三年（含当年）"}
  - code: "4"
    name: 网上材料审核                            # 鄂州：网上材料审核；领导小组的通知（正式文件）；3月起每月
    points: 3
    methods: [网上材料审核]
    clauses:
      - {text: 创建领导机构健全（0.3分）, points: 1, evidence: [{title: 领导小组的通知, kinds: [text]}]}
      - text: 积极报送创建工作信息（2分）
        points: 2
        evidence: [{title: 工作信息, kinds: [text], cadence: monthly, start: 3}]
  - code: "5"
    name: 创建动员                              # 黄冈：条款分值写在标准中；知晓率靠问卷
    points: 1
    clauses:
      - {text: 每两年召开文明单位创建动员会1次（0.5分）, points: 0.5, methods: [审核材料],
         evidence: [{title: 动员会, kinds: [text]}]}
      - {text: 职工知晓率、参与率>90%, points: 0.5, methods: [问卷调查]}
  - code: "6"
    name: 理想信念教育                            # 标兵：材料按项目列出；每次活动 3 张现场图片
    points: 8
    clauses:
      - {text: 组织开展“两学一做”学习教育, points: 3}
      - {text: 开展中国特色社会主义和中国梦学习教育活动, points: 2}
      - {text: 利用重大纪念活动和重要传统节庆，开展爱国主义教育活动, points: 1}
      - {text: 加强学习型单位建设，广泛开展职工阅读活动, points: 2}
    evidence:
      - title: 学习教育活动
        activities: 2
        bundle:
          - {title: 文字资料, kinds: [text]}
          - {title: 现场图片, kinds: [image], min: 3}
  - code: "7"
    name: 正式文件                              # 山东：情况说明为 Word；正式文件 PDF/JPG；泰安：加分项
    points: 5
    bonus: true
    evidence:
      - {title: 情况说明, kinds: [text]}
  - code: "8"
    name: 文明村镇测评                            # 全国文明村镇 2017：符合5项为A……其余为C#；湖南：听取汇报、审核材料、问卷调查
    points: 10
    grading: {A: 5, B: 4, C: 3}
    clauses:
      - {text: 第一项, methods: [审核材料], evidence: [{title: 第一项材料, kinds: [text]}]}
      - {text: 第二项, methods: [审核材料], evidence: [{title: 第二项材料, kinds: [text]}]}
      - {text: 第三项, methods: [审核材料], evidence: [{title: 第三项材料, kinds: [text]}]}
      - {text: 第四项, methods: [审核材料], evidence: [{title: 第四项材料, kinds: [text]}]}
      - {text: 第五项, methods: [听取汇报]}
  - code: "9"
    name: 党建工作                              # 海南：（3分）【提供材料部门：党办】；现场审核资料
    points: 3
    owners: [党办]
    methods: [现场审核资料]
  - code: "10"
    name: 创建档案                              # 孝感：查阅资料；档案本身计分
    points: 2
    methods: [查阅资料]
    standard: 年度文明创建档案（包括活动、会议、学习、培训、方案等）整理规范，有图文佐证，可读性强
  - code: "11"
    name: 道德讲堂                              # 常州：未建立组织机构扣5分；每场签到单、主持词、感悟 2–3 份
    points: 10
    clauses:
      - {text: 未建立专门组织领导机构的扣5分, deduct: 5, evidence: [{title: 组织领导机构, kinds: [text]}]}
    evidence:
      - title: 道德讲堂活动
        activities: 1
        bundle:
          - {title: 签到单, kinds: [text]}
          - {title: 主持词, kinds: [text]}
          - {title: 感悟, kinds: [text], min: 2}
  - code: "12"
    name: 窗口服务                              # 浙江：有窗口的单位；每发现一次扣3分，扣完为止
    points: 6
    applies_to: [窗口单位]
    clauses:
      - {text: 每发现一次，扣3分，扣完为止, deduct: 3, methods: [暗访]}
  - code: "13"
    name: 会议现场                              # 邯郸：不少于2张会议现场图片及文字说明（2分）；陕西：标明拍摄时间
    points: 2
    evidence:
      - {title: 会议现场图片, kinds: [image], min: 2, caption: required}
      - {title: 文字说明材料, kinds: [text]}
  - code: "15"
    name: 一月份                                # 邯郸：按月的任务（一月份 9 分）；电子版，要有文号
    points: 9
    evidence: [{title: 一月份工作材料, kinds: [text], note: 电子版，要有文号}]
  - code: "14"
    name: 奖励                                  # 陕西：100 + 奖励 30，奖励累加
    points: 30
    bonus: true
    children:
      - {code: "14.1", name: 奖励甲, points: 20}
      - {code: "14.2", name: 奖励乙, points: 20}
"""


def write(tmp_path: Path, text: str = REAL, name: str = "real.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def init(tmp_path: Path, rubric: Path, *more: str) -> Path:
    archive = tmp_path / "档案"
    result = run("init", archive, "--rubric", rubric, "--no-notes")
    assert result.exit_code == 0, result.output
    if more:
        with (archive / "cwa.yaml").open("a", encoding="utf-8") as fh:
            fh.write("\n".join(more) + "\n")
    return archive


def check(archive: Path, *args: str, today: str = "2019-06-30") -> tuple[int, dict[str, Any]]:
    result = run("check", archive, "--format", "json", *args, env={"CWA_TODAY": today})
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def by_code(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            out[item["code"]] = item
            walk(item["children"])

    walk(data["indicators"])
    return out


def finding_codes(data: dict[str, Any], indicator: str | None) -> list[str]:
    return sorted(f["code"] for f in data["findings"] if f["indicator"] == indicator)


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive of the real rows, built once: the tests only read it."""
    tmp_path = tmp_path_factory.mktemp("real")
    archive = init(tmp_path, write(tmp_path), "unit_type: 机关",
                   'vetoes: {"1": 否, "2": 否, "3": 否, "4": 否, "5": 是}')
    a = archive
    make_docx(a / "01：学雷锋活动" / "2017" / "01：2017年学雷锋活动总体方案.docx")
    make_docx(a / "01：学雷锋活动" / "02：岗位规范.docx")
    make_docx(a / "03：年度类与活动类材料" / "2016" / "01：2016年度工作总结.docx")
    make_docx(a / "03：年度类与活动类材料" / "2017" / "01：2017年度工作总结.docx")
    make_docx(a / "03：年度类与活动类材料" / "2014" / "02：2014年活动方案.docx")
    make_docx(a / "04：网上材料审核" / "01：领导小组的通知.docx")
    for year in (2017, 2018):
        for month in range(3, 13):
            if (year, month) not in ((2017, 5), (2018, 11)):
                make_docx(a / "04：网上材料审核" / str(year) / f"{month:02d}：{year}年{month}月工作信息.docx")
    make_docx(a / "05：创建动员" / "01：动员会.docx")
    activity = a / "06：理想信念教育" / "2018-03-05 学习教育"
    make_docx(activity / "01：文字资料.docx")
    for i in range(2, 5):
        make_jpeg(activity / f"0{i}：现场图片.jpg")
    make_docx(a / "06：理想信念教育" / "2018-05-04 学习教育" / "01：文字资料.docx")
    for name in ("第一项材料", "第二项材料", "第三项材料"):
        make_docx(a / "08：文明村镇测评" / f"01：{name}.docx")
    session = a / "11：道德讲堂" / "20180610 道德讲堂"
    for name in ("签到单", "主持词", "感悟一", "感悟二"):
        make_docx(session / f"01：{name}.docx")
    make_docx(a / "14：一月份" / "01：一月份工作材料.docx")
    make_docx(a / "15：奖励" / "01：奖励甲" / "01：证书.docx")
    make_docx(a / "15：奖励" / "02：奖励乙" / "01：证书.docx")
    return archive


def test_every_real_row_loads_and_validates_against_the_schema(tmp_path: Path) -> None:
    path = write(tmp_path)
    result = run("rubric", "validate", path)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    import jsonschema

    data = json.loads(json.dumps(yaml.safe_load(REAL)))  # year keys as text, as editors see
    jsonschema.Draft202012Validator(schema.generate()).validate(data)


def test_real_rows_are_checked(real: Path) -> None:
    code, data = check(real)
    assert code == 1
    ind = by_code(data)
    # 全国 2012: per-clause methods; clause 1 has 2017 only (of 2 years), clause 2 complete
    first = ind["1"]
    assert [c["methods"] for c in first["clauses"]] == [["材料审核"]] * 4
    assert [c["status"] for c in first["clauses"]] == ["partial", "complete", "missing", "missing"]
    # 首都: 近两年（不含当年） = 2016-2017 for inspection year 2018; the 2014 plan is outside 近三年
    window = ind["3"]["evidence"]
    assert window[0]["satisfied"] is True and window[1]["satisfied"] is False
    assert any(f["code"] == "YR004" and f["path"].endswith("2014年活动方案.docx")
               for f in data["findings"])
    # 鄂州: 3月起每月; the check names the missing months
    ev005 = next(f for f in data["findings"] if f["code"] == "EV005")
    assert ev005["message"] == "“工作信息”每期需要 1 份，缺少：2017 年：5月、2018 年：11月"
    # 黄冈: the survey clause needs no documents and is left out
    assert [c["status"] for c in ind["5"]["clauses"]] == ["complete", "na"]
    assert (ind["5"]["estimate"], ind["5"]["possible"]) == (0.5, 0.5)
    # 标兵: one activity of two holds its bundle (3 photos); the other lacks photos
    activities = ind["6"]["evidence"][0]["activities"]
    assert [a["complete"] for a in activities] == [True, False]
    assert (ind["6"]["estimate"], ind["6"]["possible"]) == (4.0, 8)
    ev007 = [f for f in data["findings"] if f["code"] == "EV007"]
    assert [f["path"] for f in ev007] == ["06：理想信念教育/2018-05-04 学习教育"]
    # 文明村镇: 3 of 4 document clauses + the hearing clause = 4 met → B = 66 %
    assert ind["8"]["grade"] == "B"
    assert ind["8"]["estimate"] == 6.6
    # 常州: no 组织领导机构 document → 5 off; the session holds its bundle
    assert ind["11"]["estimate"] == 5.0
    # 浙江: not a 窗口单位 → not applicable, out of both sides
    assert ind["12"]["status"] == "not_applicable"
    assert ind["12"]["estimate"] is None
    # 邯郸: a month's tasks as an indicator of their own
    assert (ind["15"]["estimate"], ind["15"]["possible"]) == (9.0, 9)
    # 陕西: rewards add up to the cap of 30
    assert (ind["14"]["estimate"], ind["14"]["possible"]) == (30.0, 30)
    # 山东: a declared case takes 10 points off the total
    score = data["summary"]["score"]
    assert score["deducted"] == 10 and score["bonus"] == 30.0 and score["bonus_cap"] == 35
    assert data["vetoes"][4] == {"code": "5", "text": "山东：五种情形之一", "deduct": 10,
                                 "happened": True}
    assert data["summary"]["pass"] == 80


def test_the_one_figure_is_the_same_everywhere(real: Path, tmp_path: Path) -> None:
    _, data = check(real)
    score = data["summary"]["score"]
    estimate = f"{round(score['estimate'], 2):g}/{round(score['possible'], 2):g}"
    env = {"CWA_TODAY": "2019-06-30"}
    text = run("check", real, env=env).stdout
    assert f"估分约 {estimate}" in text
    markdown = run("check", real, "--format", "md", env=env).stdout
    assert f"约 {estimate} 分" in markdown
    html = run("check", real, "--format", "html", env=env).stdout
    assert f"<b>{estimate}</b>" in html
    # the indicator lines show the same numbers the JSON holds
    first = data["indicators"][5]
    assert f"6 理想信念教育  部分  估分 {first['estimate']:g}/{first['possible']:g}" in text
    indicators = sum(i["estimate"] for i in data["indicators"] if i["estimate"] is not None)
    assert round(indicators - score["deducted"], 2) == score["estimate"]


def test_vetoes_are_a_checklist_in_every_report(tmp_path: Path) -> None:
    archive = init(tmp_path, write(tmp_path), 'vetoes: {"1": 否, "2": 是}')
    result = run("check", archive, env={"CWA_TODAY": "2019-06-30"})
    lines = result.stdout.splitlines()
    start = lines.index("一票否决 / 负面清单（由单位在 cwa.yaml 的 vetoes 中逐项声明，不从文件推断）")
    assert lines[start + 1:start + 6] == [
        "  ☑ 1 领导班子成员发生严重违纪和违法  未发生  （一票否决）",
        "  ☒ 2 员工发生刑事案件  已发生  （一票否决）",
        "  ☐ 3 单位发生重大安全生产和食品安全事故  未声明  （一票否决）",
        "  ☐ 4 单位员工违反国家计划生育政策  未声明  （一票否决）",
        "  ☐ 5 山东：五种情形之一  未声明  （扣 10 分）",
    ]
    assert "已声明一票否决情形，不得申报" in lines[-1]
    _, data = check(archive)
    assert finding_codes(data, None).count("VT001") == 3
    assert finding_codes(data, None).count("VT002") == 1
    markdown = run("check", archive, "--format", "md").stdout
    assert "- ☒ 2 员工发生刑事案件：已发生" in markdown
    html = run("check", archive, "--format", "html").stdout
    assert "☐ 3 单位发生重大安全生产和食品安全事故：未声明" in html


def test_cwa_yaml_answers_and_unit_type_are_checked(tmp_path: Path) -> None:
    archive = init(tmp_path, write(tmp_path), "unit_type: 机光", 'vetoes: {"9": 否, "1": 也许}')
    lines = (archive / "cwa.yaml").read_text(encoding="utf-8").splitlines()
    unit, vetoes = lines.index("unit_type: 机光") + 1, len(lines)
    result = run("check", archive)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{archive}/cwa.yaml:{vetoes}: 错误：vetoes.1：“也许”不是有效的回答，请写 是 或 否"]
    (archive / "cwa.yaml").write_text((archive / "cwa.yaml").read_text(encoding="utf-8")
                                      .replace("也许", "否"), encoding="utf-8")
    result = run("check", archive)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{archive}/cwa.yaml:{vetoes}: 错误：vetoes.9：测评体系中没有编号为“9”的一票否决 / 负面清单项，"
        "可用：1、2、3、4、5",
        f"{archive}/cwa.yaml:{unit}: 错误：unit_type：单位类型“机光”不在测评体系的 unit_types 中，"
        "是否想写“机关”？",
    ]


def test_applicability_and_na_note(tmp_path: Path) -> None:
    text = """\
rubric: 适用性
indicators:
  - {code: "1", name: 窗口服务, points: 4, applies_to: [窗口单位], na_note: true}
  - {code: "2", name: 机关事务, points: 4}
"""
    rubric = write(tmp_path, text)
    archive = init(tmp_path, rubric)
    _, data = check(archive)  # no unit_type: checked, with a note saying so
    assert by_code(data)["1"]["status"] == "missing"
    assert finding_codes(data, "1") == ["AP001", "EV001"]
    make_docx(archive / "01：窗口服务" / "01：不适用说明.docx")
    _, data = check(archive)
    assert by_code(data)["1"]["status"] == "complete"
    assert by_code(data)["1"]["na_note"] == "01：窗口服务/01：不适用说明.docx"
    assert data["summary"]["score"]["possible"] == 8
    with (archive / "cwa.yaml").open("a", encoding="utf-8") as fh:
        fh.write("unit_type: 机关\n")
    _, data = check(archive)
    assert by_code(data)["1"]["status"] == "not_applicable"
    assert data["summary"]["score"] == {**data["summary"]["score"], "estimate": 0,
                                        "possible": 4}
    assert "AP001" not in finding_codes(data, "1")


def test_method_words(tmp_path: Path) -> None:
    base = 'rubric: 方法\nindicators:\n  - {code: "1", name: 甲, methods: [%s]}\n'
    # 湖南 writes 审核材料: documents are checked, never "no documents needed"
    archive = init(tmp_path, write(tmp_path, base % "审核材料"))
    _, data = check(archive)
    assert data["indicators"][0]["status"] == "missing"
    # run together without a separator, as 孝感's table does
    path = write(tmp_path, base % "听取汇报查阅资料", "b.yaml")
    assert run("rubric", "validate", path).exit_code == 0
    # an unknown word is an error with "did you mean"
    path = write(tmp_path, base % "审核资料", "c.yaml")
    result = run("rubric", "validate", path)
    assert result.exit_code == 2
    assert result.stderr == (f"{path}:3: 错误：indicators[0].methods：未知的测评方法“审核资料”，"
                             "是否想写“现场审核资料”或“审阅资料”？；可在测评体系顶层的 methods 中声明本体系自己的用词\n")
    # the rubric's own words
    path = write(tmp_path, "methods: {台账检查: documents, 座谈: hearing}\n" + base % "台账检查",
                 "d.yaml")
    assert run("rubric", "validate", path).exit_code == 0


def test_typo_in_a_key_is_an_error_and_check_refuses(tmp_path: Path) -> None:
    text = ('rubric: 错字\nindicators:\n  - code: "1"\n    name: 甲\n'
            "    evidnce: [{title: 方案}]\n    clauses: [{txt: 甲}]\n")
    path = write(tmp_path, text)
    result = run("rubric", "validate", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [  # all problems at once
        f"{path}:5: 错误：indicators[0].evidnce：未知的键“evidnce”，是否想写“evidence”？",
        f"{path}:6: 错误：indicators[0].clauses[0].txt：未知的键“txt”，是否想写“text”？",
        f"{path}:6: 错误：indicators[0].clauses[0]：缺少必填的键“text”",
    ]
    archive = tmp_path / "a"
    assert run("init", archive, "--rubric", path).exit_code == 2
    assert not archive.exists()
    archive.mkdir()
    assert run("check", archive, "--rubric", path).exit_code == 2


def test_evidence_on_a_project_is_looked_for_in_its_subtree(tmp_path: Path) -> None:
    text = """\
rubric: 项目材料
indicators:
  - code: "1"
    name: 创建工作机制
    evidence: [{title: 实施方案, kinds: [text]}]
    children:
      - {code: "1.1", name: 专题会议, evidence: [{title: 会议照片, kinds: [image]}]}
"""
    archive = init(tmp_path, write(tmp_path, text))
    project = archive / "01：创建工作机制"
    make_jpeg(project / "01：专题会议" / "01：会议照片.jpg")
    _, data = check(archive)
    assert data["indicators"][0]["status"] == "partial"
    assert finding_codes(data, "1") == ["EV001"]  # reported on the project, not ignored
    make_docx(project / "01：专题会议" / "02：2018年实施方案.docx")  # below, naming it
    _, data = check(archive)
    assert data["indicators"][0]["status"] == "complete"
    assert data["indicators"][0]["evidence"][0]["files"] == [
        "01：创建工作机制/01：专题会议/02：2018年实施方案.docx"]


def test_deadline_and_cadence_follow_today(tmp_path: Path) -> None:
    text = """\
rubric: 时间
years: {from: 2024, to: 2025}
indicators:
  - code: "1"
    name: 报送
    evidence:
      - {title: 季度报表, kinds: [text], cadence: quarterly}
      - {title: 年度总结, kinds: [text], per_year: true, deadline: 12}
"""
    archive = init(tmp_path, write(tmp_path, text))
    folder = archive / "01：报送"
    for q in ("第一季度", "第二季度", "第三季度", "第四季度"):
        make_docx(folder / "2024" / f"01：2024年{q}季度报表.docx")
    make_docx(folder / "2024" / "05：2024年度总结.docx")
    make_docx(folder / "2025" / "01：2025年第一季度报表.docx")
    # in August 2025: Q1, Q2 of 2025 are due; the 2025 summary is not (12月底前)
    _, data = check(archive, today="2025-08-15")
    items = data["indicators"][0]["evidence"]
    assert items[0]["missing_periods"] == [[2025, 2]]
    assert items[1]["satisfied"] is True
    result = run("check", archive, env={"CWA_TODAY": "2025-08-15"})
    assert "缺 2025 年：第二季度" in result.stdout
    _, data = check(archive, today="2026-01-10")
    assert data["indicators"][0]["evidence"][1]["missing_years"] == [2025]


def test_bundled_rubrics_are_faithful() -> None:
    city, _ = bundled.load_ref("city-model")
    assert [(i.name, i.points) for i in city.indicators] == [
        ("创建工作机制", 6), ("理想信念教育", 8), ("践行社会主义核心价值观", 8)]
    assert [c.points for c in city.indicators[0].clauses] == [2, 2, 1, 1]
    first = city.indicators[1].clauses[0]
    assert (first.text, first.points) == (
        "组织开展“两学一做”学习教育", 3)
    ezhou, _ = bundled.load_ref("ezhou-2017")
    assert ezhou.points_by_year == ((2017, 40), (2018, 60))
    assert ezhou.pass_mark == 80
    assert {m for i in ezhou.walk() for c in i.clauses for m in c.methods} == {"网上申报"}
    national, _ = bundled.load_ref("national-2012")
    lei_feng = national.indicators[0]
    assert len(lei_feng.clauses) == 4
    assert lei_feng.clauses[0].text.startswith("单位有年度学雷锋活动总体方案")
    assert [v.text for v in national.vetoes] == [
        "领导班子成员发生严重违纪和违法", "员工发生刑事案件", "单位发生重大安全生产和食品安全事故",
        "单位员工违反国家计划生育政策"]
    for name in bundled.names():
        rubric, _ = bundled.load_ref(name)
        assert rubric.source, name


@pytest.mark.parametrize("name", bundled.names())
def test_bundled_rubrics_validate_against_the_shipped_schema(name: str) -> None:
    import jsonschema

    path = bundled.directory() / f"{name}.yaml"
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=rubric.schema.json\n")
    shipped = json.loads((bundled.directory() / schema.SCHEMA_FILE).read_text(encoding="utf-8"))
    data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))))
    jsonschema.Draft202012Validator(shipped).validate(data)


def test_schema_command_is_the_shipped_schema() -> None:
    result = run("rubric", "schema")
    assert result.exit_code == 0
    shipped = (bundled.directory() / schema.SCHEMA_FILE).read_text(encoding="utf-8")
    assert result.stdout == shipped
    assert json.loads(shipped)["$defs"]["indicator"]["properties"]["clauses"]


def test_rubric_new_is_a_valid_commented_starter(tmp_path: Path) -> None:
    path = tmp_path / "新体系.yaml"
    result = run("rubric", "new", path)
    assert result.exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=rubric.schema.json\n")
    assert (path.parent / "rubric.schema.json").is_file()  # beside it: goes where it goes
    for key in ("clauses:", "deduct:", "cadence:", "window:", "activities:", "bundle:",
                "applies_to:", "na_note:", "grading:", "bonus:", "vetoes:", "points_by_year"):
        assert key in text, key
    assert run("rubric", "validate", path).exit_code == 0
    assert run("rubric", "new", path).exit_code == 2  # never over a file
    shown = run("rubric", "show", path).stdout
    assert "      1) 每年至少召开一次专题会议（2分）  2分  [材料审核]" in shown
    assert "  2 发生重大安全生产事故  （扣 10 分）" in shown


def test_self_scoring_sheet(real: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "自检评分表.xlsx"
    result = run("check", real, "--format", "xlsx", "-o", out, env={"CWA_TODAY": "2019-06-30"})
    assert result.exit_code == 1
    sheet = load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[2] == ["编号", "测评项目", "测评内容", "测评标准", "分值", "测评方法",
                       "材料（已有/应有）", "估分", "自检得分", "考评得分"]
    first = rows[3]
    assert first[0] == "1 1)"
    assert first[3].startswith("单位有年度学雷锋活动总体方案")
    assert first[4] == 4 and first[5] == "材料审核"
    assert first[6] == "✘ 学雷锋活动总体方案 1/2 年"
    subtotal = next(i for i, r in enumerate(rows, 1) if r[1] == "小计：学雷锋活动")
    assert rows[subtotal - 1][8] == f"=SUM(I4:I{subtotal - 1})"
    total = next(r for r in rows if r[1] == "合计")
    assert total[8].startswith("=I") and total[9].startswith("=J")
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert run("check", real, "--format", "xlsx").exit_code == 2  # needs -o


def test_readme_documents_every_rubric_key() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Rubric format"):readme.index("## Command reference")]
    missing = [f"{name}.{key}" for name, spec in schema.SPECS.items() for key in spec
               if f"{key}:" not in section]
    assert missing == []


def test_points_by_year_weigh_each_year(tmp_path: Path) -> None:
    text = """\
rubric: 分年度计分
points: 100
years: {from: 2017, to: 2018}
points_by_year: {2017: 40, 2018: 60}
indicators:
  - {code: "1", name: 年度计划, points: 10, evidence: [{title: 年度计划, per_year: true}]}
"""
    archive = init(tmp_path, write(tmp_path, text))
    make_docx(archive / "01：年度计划" / "2018" / "01：2018年度计划.docx")
    _, data = check(archive)
    # 2017: nothing (0 of 10) weighs 40 %; 2018: complete (10 of 10) weighs 60 %
    assert (data["indicators"][0]["estimate"], data["indicators"][0]["possible"]) == (6.0, 10)
    assert data["summary"]["score"]["by_year"] == [
        {"year": 2017, "estimate": 0.0, "possible": 4.0},
        {"year": 2018, "estimate": 6.0, "possible": 6.0}]
    result = run("check", archive, env={"CWA_TODAY": "2019-06-30"})
    assert "估分约 6/10（2017 年 0/4，2018 年 6/6）" in result.stdout


def test_rubric_text_is_never_a_formula_in_the_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    text = 'rubric: 公式\nindicators:\n  - {code: "1", name: 甲, points: 2, clauses: ["=1+1"]}\n'
    archive = init(tmp_path, write(tmp_path, text))
    out = tmp_path / "s.xlsx"
    assert run("check", archive, "--format", "xlsx", "-o", out).exit_code == 1
    cell = load_workbook(out).active["D4"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_links_replace_documents_where_the_rubric_says_so(tmp_path: Path) -> None:
    """全国 2020 说明: links or screenshots may replace documents. An item that accepts
    ``link`` counts an Internet shortcut (.url, .webloc); elsewhere a shortcut is FL003
    and counts for nothing, as before."""
    text = """\
rubric: 链接
indicators:
  - code: "1"
    name: 网上展示
    children:
      - code: "1.1"
        name: 网站专栏
        evidence: [{title: 专栏情况资料, kinds: [text, image, 链接], min: 2}]
      - {code: "1.2", name: 其他材料, evidence: [{title: 情况资料, kinds: [text]}]}
"""
    archive = init(tmp_path, write(tmp_path, text))
    shortcut = b"[InternetShortcut]\r\nURL=https://www.example.org/wmzl\r\n"
    column = archive / "01：网上展示" / "01：网站专栏"
    (column / "01：专栏情况资料.url").write_bytes(shortcut)
    (column / "02：专栏情况资料（截图）.webloc").write_bytes(
        b'<?xml version="1.0"?><plist version="1.0"><dict><key>URL</key>'
        b"<string>https://www.example.org/zl</string></dict></plist>")
    (column / "03：专栏情况资料.url").write_bytes(b"")  # empty: FL001, counts for nothing
    (column / "04：专栏情况资料.url").write_bytes(b"\x89PNG" + bytes(range(256)) * 4)
    other = archive / "01：网上展示" / "02：其他材料"
    (other / "01：情况资料.url").write_bytes(shortcut.replace(b"wmzl", b"other"))
    for deep, found, codes in (((), 3, ["FL001"]), (("--deep",), 2, ["CT001", "FL001"])):
        _, data = check(archive, *deep)
        results = by_code(data)
        assert results["1.1"]["status"] == "complete", deep
        assert results["1.1"]["evidence"][0]["found"] == found  # --deep: the fake is none
        assert results["1.2"]["status"] == "missing"
        assert finding_codes(data, "1.1") == codes
        assert finding_codes(data, "1.2") == ["EV001", "FL003"]
    shown = run("rubric", "show", write(tmp_path, text))
    assert "文字、图片、链接" in shown.stdout
    english = run("rubric", "show", write(tmp_path, text), "--lang", "en")
    assert "text, image, link" in english.stdout


def test_a_formal_document_needs_its_wenhao(tmp_path: Path) -> None:
    """邯郸: 电子版，要有文号. ``formal: true``: with --deep a .docx without a 文号 on its
    first page is WD003; one with it (any of the brackets in use) passes."""
    from docx import Document

    text = """\
rubric: 文号
years: {from: 2024, to: 2024}
indicators:
  - code: "1"
    name: 创建机制
    evidence: [{title: 领导小组通知, kinds: [text], formal: true, min: 4}]
"""
    archive = init(tmp_path, write(tmp_path, text))
    folder = archive / "01：创建机制"

    def document(name: str, *paragraphs: str) -> None:
        made = Document()
        for paragraph in paragraphs:
            made.add_paragraph(paragraph)
        made.save(str(folder / name))

    document("01：2024年领导小组通知.docx", "中共清河区税务局委员会", "清税党〔2024〕12号",
             "关于调整精神文明建设领导小组的通知")
    document("02：2024年领导小组通知（二）.docx", "清 税 发 [2024] 3 号", "关于……的通知")
    document("03：2024年领导小组通知（草稿）.docx", "关于调整精神文明建设领导小组的通知", "正文")
    document("04：2024年领导小组通知（附件）.docx", *(["正文内容。" * 40] * 20),
             "清税党〔2024〕13号")  # far below the first page's text: not its 文号
    _, data = check(archive)
    assert finding_codes(data, "1") == []  # a metadata check does not open files
    _, data = check(archive, "--deep")
    wd003 = [f["path"].rsplit("/", 1)[-1] for f in data["findings"] if f["code"] == "WD003"]
    assert wd003 == ["03：2024年领导小组通知（草稿）.docx", "04：2024年领导小组通知（附件）.docx"]
    assert by_code(data)["1"]["status"] == "complete"  # a warning: the files still count
    shown = run("check", archive, "--deep", env={"CWA_TODAY": "2024-06-30"}).stdout
    assert "应为正式文件，首页没有文号" in shown


def test_file_names_that_must_state_their_date(tmp_path: Path) -> None:
    """陕西 网络测评: 视频、图片后缀必须标明拍摄时间. ``dated: true``: each file counted
    for the item must carry its date in its name (NM007 otherwise; it still counts)."""
    text = """\
rubric: 拍摄时间
years: {from: 2024, to: 2024}
indicators:
  - code: "1"
    name: 志愿服务
    evidence: [{title: 活动照片和视频, kinds: [image, av], dated: true, min: 4}]
"""
    archive = init(tmp_path, write(tmp_path, text))
    folder = archive / "01：志愿服务"
    make_jpeg(folder / "01：2024年3月5日学雷锋活动照片.jpg")
    make_jpeg(folder / "02：2024.3.12 活动照片.jpg")
    (folder / "03：20240320活动视频.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    make_jpeg(folder / "04：活动照片.jpg")
    make_jpeg(folder / "05：２０２４年３月５日活动照片.jpg")  # full-width digits
    _, data = check(archive)
    nm007 = [f["path"].rsplit("/", 1)[-1] for f in data["findings"] if f["code"] == "NM007"]
    assert nm007 == ["04：活动照片.jpg"]
    assert by_code(data)["1"]["status"] == "complete"
    shown = run("check", archive, "--lang", "en", env={"CWA_TODAY": "2024-06-30"}).stdout
    assert "the file's name must state its date" in shown


def test_every_format_renders_every_finding_of_the_real_rows(real: Path, tmp_path: Path
                                                             ) -> None:
    """The real rows' archive raises the findings the newer rubric features bring (EV005,
    EV007, YR004, AP001, VT00x…): every report format renders them, in both languages."""
    from cwa.commands.shared import Format

    _, data = check(real)
    codes = {f["code"] for f in data["findings"]}
    assert {"EV005", "EV007", "YR004"} <= codes
    for lang in ("zh", "en"):
        for fmt in Format:
            target = tmp_path / f"report-{lang}.{fmt.value}"
            result = run("check", real, "--format", fmt.value, "-o", target, "--lang", lang,
                         env={"CWA_TODAY": "2019-06-30"})
            assert result.exit_code == 1, (lang, fmt, result.output)
            assert target.stat().st_size > 0



def test_text_cleaned_for_the_sheet_is_never_made_a_formula_again() -> None:
    """A cell's text that starts like a formula and is not all printable (a line break):
    cleaned for the document, and still text — setting a cell's value makes openpyxl
    guess its type again."""
    from openpyxl import Workbook

    from cwa.report.xlsx import _as_text

    sheet = Workbook().active
    for row, value in enumerate(["=1+1\n第二行", "=SUM(A1:A2)", "=A1\u2028B1"], 1):
        cell = sheet.cell(row=row, column=1, value=value)
        _as_text(cell)
        assert cell.data_type == "s", value
        assert cell.value == value  # all of these XML can hold
