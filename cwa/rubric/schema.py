"""The rubric format as data: every key the loader accepts, with its type and meaning.

The loader takes its lists of known keys from here, and ``cwa rubric schema`` turns the
same table into a JSON Schema, so that an editor (VS Code with the YAML extension)
completes and checks the keys a rubric may use. ``rubrics/rubric.schema.json`` is this
schema as shipped; a test keeps the two equal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cwa.rubric.methods import CLASSES
from cwa.rubric.model import YEARS_TEXT

SCHEMA_FILE = "rubric.schema.json"
Spec = dict[str, tuple[dict[str, Any], str]]

TEXT: dict[str, Any] = {"type": ["string", "number"]}
CODE: dict[str, Any] = {"type": "string", "minLength": 1}
TEXTS: dict[str, Any] = {"oneOf": [TEXT, {"type": "array", "items": TEXT}]}
NUMBER: dict[str, Any] = {"type": "number", "minimum": 0}
BOOL: dict[str, Any] = {"type": "boolean"}
MONTH: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": 12}
KIND_WORDS = ("text", "image", "av", "link", "文字", "图片", "音像", "链接", "网址", "photo",
              "audio", "video")
CADENCE_WORDS = ("monthly", "quarterly", "half-yearly", "yearly",
                 "每月", "每季度", "每半年", "每年", "月度", "季度", "半年", "年度")


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


RUBRIC: Spec = {
    "rubric": ({"type": "string"}, "测评体系名称（必填） · the rubric's title (required)"),
    "edition": (TEXT, "版本，如 \"2020\" · edition"),
    "source": (TEXT, "来源：标题、发布机关、网址 · where the text comes from"),
    "note": (TEXT, "说明：来源缺了什么 · what the source leaves out"),
    "points": (NUMBER, "总分（不含加分项） · declared base total (bonus items apart)"),
    "pass": (NUMBER, "合格线，如 80 · pass mark"),
    "years": ({"oneOf": [{"type": "string", "pattern": YEARS_TEXT}, ref("years")]},
              "档案年度范围：{from: 2018, to: 2020} 或 \"2018-2020\" · the archive's years"),
    "points_by_year": ({"type": "object", "patternProperties": {r"^\d{4}$": NUMBER},
                        "additionalProperties": False},
                       "各年度分值，如 {2017: 40, 2018: 60} · points each year weighs"),
    "naming": (ref("naming"), "命名规则 · naming rules"),
    "methods": ({"type": "object", "additionalProperties": {"enum": list(CLASSES)}},
                "本体系自己的测评方法用词 → 类别（documents、field、survey、hearing、online）"
                " · the rubric's own method words"),
    "unit_types": (TEXTS, "单位类型（applies_to 可用的词） · the unit types applies_to may name"),
    "vetoes": ({"type": "array", "items": ref("veto")},
               "一票否决 / 负面清单：由单位在 cwa.yaml 中声明 · declarations the unit answers"),
    "indicators": ({"type": "array", "items": ref("indicator"), "minItems": 1},
                   "指标树（必填） · the indicator tree (required)"),
}
INDICATOR: Spec = {
    "code": (CODE, "编号，必须加引号：\"1.10\" · code, always quoted"),
    "name": (TEXT, "指标名称，也是文件夹名 · name, also the folder name"),
    "points": (NUMBER, "分值；加分项为其上限 · points; for a bonus item its cap"),
    "standard": (TEXT, "测评标准原文 · the 测评标准 text as written"),
    "clauses": ({"type": "array", "items": ref("clause")},
                "测评标准的各条（条款），各有分值、方法、材料 · the standard's clauses"),
    "methods": (TEXTS, "测评方法，如 [材料审核] 或 \"1)、2)、4)材料审核\" · methods"),
    "owners": (TEXTS, "责任单位 · departments responsible"),
    "note": (TEXT, "测评标准或报送说明 · requirement or submission note"),
    "evidence": ({"type": "array", "items": ref("evidence")},
                 "应归档材料；在上级指标上时在其整个子树中查找 · evidence items"),
    "children": ({"type": "array", "items": ref("indicator")}, "下级指标 · sub-indicators"),
    "bonus": (BOOL, "加分项 / 特色指标：不计入基本总分，按 points 封顶 · a bonus item"),
    "applies_to": (TEXTS, "只适用于这些单位类型（cwa.yaml 的 unit_type） · unit types"),
    "na_note": (BOOL, "允许以书面“不适用说明”代替材料 · a written N/A note satisfies it"),
    "grading": (ref("grading"), "A/B/C/C# 评定：符合几条为 A、B、C · A/B/C grading"),
}
CLAUSE: Spec = {
    "code": (CODE, "条款编号，如 \"1\"（显示为 1)） · clause number"),
    "text": (TEXT, "条款原文（必填） · the clause as written (required)"),
    "points": (NUMBER, "分值 · points"),
    "methods": (TEXTS, "测评方法 · methods"),
    "evidence": ({"type": "array", "items": ref("evidence")},
                 "本条的材料，放在指标文件夹中 · this clause's evidence"),
    "deduct": (NUMBER, "未达到时从指标分值中扣除的分数（扣完为止） · points off when unmet"),
    "note": (TEXT, "说明 · note"),
}
EVIDENCE: Spec = {
    "title": (TEXT, "材料名称（必填） · title (required)"),
    "kinds": ({"type": "array", "items": {"enum": list(KIND_WORDS)}},
              "材料类型：text 文字、image 图片、av 音像、link 链接（网址快捷方式 .url，"
              "可代替文档时）· kinds"),
    "match": (TEXTS, "文件名中可能用的其他词 · other words a file name may use"),
    "min": ({"type": "integer", "minimum": 1},
            "至少几份（按年、按期、每次活动时为每份） · at least"),
    "per_year": (BOOL, "每年都要 · needed every year"),
    "cadence": ({"enum": list(CADENCE_WORDS)}, "报送周期：每月、每季度、每半年、每年 · cadence"),
    "start": (MONTH, "周期从几月起（3 = 3月起） · first month the cadence counts"),
    "deadline": (MONTH, "当年几月底前须有（12 = 12月底前） · month by whose end it is due"),
    "window": ({"oneOf": [{"type": "string"}, ref("window")]},
               "年度窗口：{years: 2, current: false} 或 \"近两年（不含当年）\" · year window"),
    "activities": ({"type": "integer", "minimum": 1},
                   "至少几次活动，每次一个带日期的子文件夹 · N activities, one dated folder each"),
    "bundle": ({"type": "array", "items": ref("evidence")},
               "每次活动应有的材料 · what each activity's folder must hold"),
    "deduct": (NUMBER, "每缺一份（一年、一期、一次活动）扣几分，扣完为止 · points off per gap"),
    "caption": ({"oneOf": [{"enum": ["required", "optional", "必填", "可选"]},
                           {"type": "array", "items": {"type": "string"}}]},
                "照片需配文字说明；或列出说明须含的要素，如 [事由, 时间, 地点] · caption"),
    "max_chars": ({"type": "integer", "minimum": 1}, "字数上限 · character limit"),
    "dated": (BOOL, "文件名须标明拍摄时间（年月日） · each file's name states its date"),
    "formal": (BOOL, "正式文件，要有文号（深度检查读 .docx 首页） · a formal document with a "
                     "文号 (--deep reads a .docx's first page)"),
    "note": (TEXT, "说明 · note"),
}
YEARS: Spec = {
    "from": ({"type": "integer", "minimum": 1900}, "起始年 · first year"),
    "to": ({"type": "integer", "minimum": 1900}, "截止年（也是迎检年度） · last year"),
}
NAMING: Spec = {
    "separator": ({"enum": ["：", "_", "-", " ", "、", ".", ""]}, "序号分隔符 · separator"),
    "width": ({"type": "integer", "minimum": 2}, "序号位数 · digits"),
}
WINDOW: Spec = {
    "years": ({"type": "integer", "minimum": 1}, "几年 · how many years"),
    "current": (BOOL, "含当年（迎检年度） · including the inspection year"),
}
VETO: Spec = {
    "code": (CODE, "编号（cwa.yaml 中以此作答） · code (answered in cwa.yaml)"),
    "text": (TEXT, "情形原文（必填） · the case as written (required)"),
    "deduct": (NUMBER, "发生时扣的分数；不写则一票否决 · points off; absent = bars the unit"),
}
GRADING: Spec = {
    grade: ({"type": "integer", "minimum": 0}, f"符合几条为 {grade} · clauses met for {grade}")
    for grade in ("A", "B", "C")
}
REQUIRED = {"rubric": ["rubric", "indicators"], "indicator": ["code", "name"],
            "clause": ["text"], "evidence": ["title"], "veto": ["code", "text"],
            "window": ["years"], "years": ["from", "to"]}
SPECS: dict[str, Spec] = {"rubric": RUBRIC, "indicator": INDICATOR, "clause": CLAUSE,
                          "evidence": EVIDENCE, "years": YEARS, "naming": NAMING,
                          "window": WINDOW, "veto": VETO, "grading": GRADING}


def keys(name: str) -> tuple[str, ...]:
    return tuple(SPECS[name])


def _object(name: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": {key: {**schema, "description": text}
                       for key, (schema, text) in SPECS[name].items()},
        "additionalProperties": False,
    }
    if name in REQUIRED:
        out["required"] = REQUIRED[name]
    return out


def generate() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a rubric file."""
    top = _object("rubric")
    defs = {name: _object(name) for name in SPECS if name != "rubric"}
    defs["evidence"] = {"oneOf": [{"type": "string"}, defs["evidence"]]}  # a bare title too
    defs["clause"] = {"oneOf": [{"type": "string"}, defs["clause"]]}  # a bare text too
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cwa 测评体系 / rubric",
        **top,
        "$defs": defs,
    }


def text() -> str:
    return json.dumps(generate(), ensure_ascii=False, indent=2) + "\n"


def place_beside(rubric: Path) -> None:
    """Put the schema beside ``rubric`` for the editor its first line names it to (never
    over a file; a folder that refuses it only costs the completion)."""
    import contextlib

    from cwa.rubric import bundled

    beside = rubric.parent / SCHEMA_FILE
    with contextlib.suppress(OSError), open(beside, "x", encoding="utf-8") as fh:
        fh.write((bundled.directory() / SCHEMA_FILE).read_text(encoding="utf-8"))
