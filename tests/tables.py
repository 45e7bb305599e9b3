"""Real-shaped 测评体系 tables, built at run time as Word and Excel files.

The rows are the real ones quoted in DOMAIN.md (鄂州 2017–2018 细则, the 标兵 template,
the 2012 national text, 邯郸, 海南, 常州, 黄冈); the headers are the variants real tables
use. A table is rows of text plus merges ``(first row, first column, last row, last
column)``, as Word and Excel merge cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

Merge = tuple[int, int, int, int]


@dataclass
class Table:
    rows: list[list[str]]
    merges: list[Merge] = field(default_factory=list)


EZHOU_HEADER = ["考评项目", "考评指标", "考评标准", "考评方法", "材料报送说明", "自检得分"]
#: 鄂州 2017–2018 市级文明单位考评细则, Ⅰ-1 组织管理 (DOMAIN.md: the fully structured rows).
EZHOU_ROWS = [
    ["Ⅰ-1 组织管理（4分）", "Ⅱ-1 创建规划（1分）", "1.创建工作有年度计划或方案。（0.5分）", "网上申报",
     "需上传本年度文明单位创建工作计划或实施方案（正式文件）", ""],
    ["", "", "2.有年度工作总结。（0.5分）", "",
     "12月底前上传1500字左右的本年度创建工作总结（说明报告）", ""],
    ["", "Ⅱ-2 机制建设（3分）", "1.创建领导机构健全，制度完善，人员有保障。（0.3分）", "网上申报",
     "需上传本年度本单位建立或调整文明单位创建工作领导小组的通知（正式文件）", ""],
    ["", "", "2.创建工作纳入单位年度工作目标考核。（0.2分）", "",
     "需上传与单位科室签订的年度工作目标责任书，有精神文明建设内容", ""],
    ["", "", "3.及时总结经验，积极报送创建工作信息，稿件采用率高。（2分）", "",
     "3月起每月通过文明创建管理系统投稿1篇", ""],
]
#: Word merges of those rows (header at row 0): 考评项目 down all five, 考评指标 and
#: 考评方法 down each indicator's rows.
EZHOU_MERGES: list[Merge] = [(1, 0, 5, 0), (1, 1, 2, 1), (3, 1, 5, 1), (1, 3, 2, 3),
                             (3, 3, 5, 3)]


def ezhou(header: Sequence[str] = EZHOU_HEADER) -> Table:
    return Table([list(header), *[list(r) for r in EZHOU_ROWS]], list(EZHOU_MERGES))


CITY_HEADER = ["考核项目", "考核内容", "开展活动和材料清单"]
#: 市级文明单位（标兵）测评体系参考模板: two 考核项目, their 考核内容 with points, and the
#: 材料清单 of each project (merged down its rows).
CITY_ROWS = [
    ["1 创建工作机制（6分）", "每年至少召开一次精神文明建设专题会议（2分）",
     "专题会议照片3张、领导讲话；2次班子会议纪要（议题、时间、地点、参加人员）；领导机构正式文件；"
     "年度实施方案"],
    ["", "领导班子每年研究精神文明建设工作至少2次（2分）", ""],
    ["", "有精神文明建设组织领导机构和专、兼职工作人员，有明确的职责分工（1分）", ""],
    ["", "有文明单位创建年度工作实施方案（1分）", ""],
    ["2 理想信念教育（8分）", "组织开展“两学一做”学习教育（3分）",
     "2次中心组学习记录；提供2次开展学习教育活动的文字资料和现场图片（每次3张）；图文简报；书目；读书活动记录"],
    ["", "开展中国特色社会主义和中国梦学习教育活动（2分）", ""],
    ["", "利用重大纪念活动和重要传统节庆，开展爱国主义教育活动（1分）", ""],
    ["", "加强学习型单位建设，广泛开展职工阅读活动，有推荐书目、有交流活动、有活动记录（2分）", ""],
]
CITY_MERGES: list[Merge] = [(1, 0, 4, 0), (1, 2, 4, 2), (5, 0, 8, 0), (5, 2, 8, 2)]


def city() -> Table:
    return Table([list(CITY_HEADER), *[list(r) for r in CITY_ROWS]], list(CITY_MERGES))


NATIONAL_HEADER = ["测评项目", "测评内容", "测评方法"]
#: 全国文明单位测评体系（试行）2012: 学雷锋活动, its two known clauses in one cell.
NATIONAL_ROWS = [
    ["学雷锋活动（14分）",
     "1)单位有年度学雷锋活动总体方案，有明确责任部门和责任人，有具体活动安排（4分）\n"
     "2)有体现雷锋精神的岗位规范或行为守则，将岗位学雷锋活动情况纳入单位和员工个人考核内容（4分）",
     "1)、2)材料审核"],
]


def national() -> Table:
    return Table([list(NATIONAL_HEADER), *[list(r) for r in NATIONAL_ROWS]])


UNRELATED = Table([["联系人", "联系电话"], ["办公室", "0711-1234567"]])


def write_docx(path: Path, tables: Sequence[Table], title: str = "",
               between: str = "") -> Path:
    """A .docx with ``title`` above and ``tables`` in order (``between`` as a paragraph
    between them); merges made as Word makes them (vMerge, gridSpan)."""
    from docx import Document

    document = Document()
    if title:
        document.add_paragraph(title)
    for i, table in enumerate(tables):
        if i and between:
            document.add_paragraph(between)
        width = max(len(r) for r in table.rows)
        made = document.add_table(rows=len(table.rows), cols=width)
        made.style = "Table Grid"
        for r, row in enumerate(table.rows):
            for c, text in enumerate(row):
                if text:
                    lines = text.split("\n")
                    cell = made.cell(r, c)
                    cell.text = lines[0]
                    for line in lines[1:]:
                        cell.add_paragraph(line)
        for r1, c1, r2, c2 in table.merges:
            made.cell(r1, c1).merge(made.cell(r2, c2))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def write_xlsx(path: Path, tables: Sequence[tuple[str, Table]], title: str = "") -> Path:
    """An .xlsx with one sheet per ``(name, table)``; merged ranges as Excel merges."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    first = True
    for name, table in tables:
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        sheet.title = name
        offset = 0
        if title and first:
            sheet.append([title])
            width = max(len(r) for r in table.rows)
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
            offset = 1
        first = False
        for row in table.rows:
            sheet.append([text or None for text in row])
        for r1, c1, r2, c2 in table.merges:
            sheet.merge_cells(start_row=r1 + 1 + offset, start_column=c1 + 1,
                              end_row=r2 + 1 + offset, end_column=c2 + 1)
        widths = [min(50, max(10, 2 * max(len(r[c]) for r in table.rows if c < len(r)) + 2))
                  for c in range(max(len(r) for r in table.rows))]
        for c, width in enumerate(widths):
            sheet.column_dimensions[chr(65 + c)].width = width
        for row in sheet.iter_rows():
            lines = 1
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(cell.value, str) and cell.column <= len(widths):
                    needed = 2 * len(cell.value) / (widths[cell.column - 1] - 1)
                    merged = any(cell.coordinate in m for m in sheet.merged_cells.ranges)
                    lines = max(lines, 1 if merged else int(needed) + 1)
            sheet.row_dimensions[row[0].row].height = 15 * lines
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return path
