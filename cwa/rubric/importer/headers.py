"""Which column holds what: the header words of real 测评体系 tables mapped to fields.

Seen in real tables (DOMAIN.md): 测评项目 / 考评项目 / 一级指标 (the first level),
测评指标 / 考评指标 / 二级指标 / 测评内容 / 考核内容 (the next), 测评标准 / 考评标准 /
指标描述 / 考核标准 / 具体要求 (the standard, split into clauses), 测评方法 / 考评方法 /
测评方式, 分值 / 分数, 材料报送说明 / 开展活动和材料清单 / 报送说明, 负责部门 / 责任单位 /
提供材料部门, 报送时间; 自检得分 / 考评得分 are the scorer's columns, never inputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cwa.rubric.importer.grid import Cell, Grid

LEVEL, STANDARD, METHOD, POINTS = "level", "standard", "method", "points"
MATERIALS, OWNERS, DEADLINE, NUMBER, NOTE, IGNORED = (
    "materials", "owners", "deadline", "number", "note", "ignored")

#: Words → field, longest first where one contains another. ``content`` words are levels
#: unless the table has no standard column (then they hold the standard: 全国 2012's
#: 测评项目 / 测评内容 / 测评方法, the 标兵 template's 考核项目 / 考核内容).
WORDS: dict[str, tuple[str, ...]] = {
    IGNORED: ("自检得分", "自评得分", "考评得分", "测评得分", "实际得分", "实得分", "得分",
              "自检", "自评", "扣分情况", "扣分", "评分结果", "检查情况"),
    OWNERS: ("提供材料部门", "负责部门", "责任单位", "责任部门", "牵头部门", "责任科室",
             "负责单位", "承办部门", "责任处室", "负责科室", "牵头单位", "责任人"),
    MATERIALS: ("材料报送说明", "开展活动和材料清单", "开展活动及材料清单", "报送说明",
                "材料清单", "报送材料", "佐证材料", "台账资料", "应备材料", "需提供材料",
                "提供材料", "资料清单", "备查资料", "档案资料", "材料要求", "台账要求",
                "上传材料", "材料"),
    DEADLINE: ("报送时间", "完成时间", "上报时间", "时间要求", "上传时间", "完成时限", "时限"),
    METHOD: ("测评方法", "考评方法", "考核方法", "测评方式", "考评方式", "考核方式", "检查方法",
             "评价方式", "评价方法", "方法", "方式"),
    POINTS: ("分值", "分数", "标准分", "满分", "权重", "分"),
    STANDARD: ("测评标准", "考评标准", "考核标准", "评分标准", "评价标准", "指标描述",
               "具体要求", "测评细则", "考评细则", "评分细则", "考核细则", "标准", "要求",
               "细则"),
    NUMBER: ("序号", "编号"),
    NOTE: ("备注", "说明"),
    LEVEL: ("测评项目", "考评项目", "考核项目", "一级指标", "二级指标", "三级指标", "测评指标",
            "考评指标", "考核指标", "项目", "指标", "类别"),
}
CONTENT = ("测评内容", "考评内容", "考核内容", "内容")
_JUNK = re.compile(r"[\s（）()【】\[\]、/／:：·.\-_0-9]|分值|分")


@dataclass(frozen=True)
class Column:
    index: int
    field: str  # one of the fields above; "" when the header says nothing we know
    header: str  # the header's text as written
    content: bool = False  # a 测评内容 column (a level, or the standard: see WORDS)


def field_of(text: str) -> tuple[str, bool]:
    """(field, is a 内容 column) for one header cell's text; ("", False) if unknown."""
    word = re.sub(r"\s+", "", text)
    if not word or len(word) > 16:
        return "", False
    for content in CONTENT:
        if content in word and not any(w in word for w in ("标准", "方法", "方式", "材料",
                                                            "得分")):
            return LEVEL, True
    for field, words in WORDS.items():
        for w in words:
            if w == "分" and field == POINTS:
                if _JUNK.sub("", word) == "" and "分" in word:
                    return POINTS, False
                continue
            if w in word:
                return field, False
    return "", False


@dataclass
class Header:
    row: int  # the grid row of the (last) header row
    rows: tuple[int, ...]  # all header rows (a header may take two)
    columns: list[Column]

    @property
    def signature(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns)


def find(grid: Grid, limit: int = 12) -> Header | None:
    """The header row: the first row (of the first ``limit``) naming two fields we know,
    one of them a level or the standard."""
    for r, row in enumerate(grid.rows[:limit]):
        columns = _columns(row)
        fields = {c.field for c in columns if c.field and c.field != IGNORED}
        if len(fields) >= 2 and (LEVEL in fields or STANDARD in fields):
            rows = [r]
            nxt = r + 1
            if nxt < len(grid.rows) and _second_row(grid.rows[r], grid.rows[nxt]):
                columns = _merge_rows(columns, _columns(grid.rows[nxt]))
                rows.append(nxt)
            return Header(rows[-1], tuple(rows), _settle(columns))
    return None


def _columns(row: list[Cell]) -> list[Column]:
    out = []
    for c, cell in enumerate(row):
        field, content = field_of(cell.text)
        out.append(Column(c, field, cell.text, content))
    return out


def _second_row(first: list[Cell], second: list[Cell]) -> bool:
    """A second header row: every cell either continues the one above (merged down) or is
    a header word, and the first row spans a cell over several columns (分数 → 自检 / 考评)."""
    spans = any(first[c].origin == first[c - 1].origin for c in range(1, len(first)))
    if not spans:
        return False
    for c, cell in enumerate(second):
        if cell.origin == first[c].origin or not cell.text:
            continue
        if field_of(cell.text)[0] == "":
            return False
    return True


def _merge_rows(first: list[Column], second: list[Column]) -> list[Column]:
    """The second row refines a column the first spans over several."""
    out = []
    for a, b in zip(first, second, strict=False):
        out.append(b if b.field and b.header != a.header else a)
    return out


def _settle(columns: list[Column]) -> list[Column]:
    """Columns merged sideways in the header keep one field per source column: the first
    keeps it, the others become continuations of a level or (others) the same field; a
    content column becomes the standard when no column is one."""
    fields = [c.field for c in columns]
    if STANDARD not in fields:
        levels = [c for c in columns if c.field == LEVEL]
        contents = [c for c in levels if c.content]
        if len(levels) >= 2 and contents:
            last = contents[-1]
            columns = [Column(c.index, STANDARD, c.header) if c is last else c
                       for c in columns]
    return columns


def repeats(row: list[Cell], header: Header) -> bool:
    """A repeated header row (a table split across pages repeats it): most of its cells
    say what the header says."""
    same = 0
    named = 0
    for column in header.columns:
        if not column.header or column.index >= len(row):
            continue
        named += 1
        if re.sub(r"\s+", "", row[column.index].text) == re.sub(r"\s+", "", column.header):
            same += 1
    return named >= 2 and same >= max(2, named - 1)
