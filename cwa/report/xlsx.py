"""The self-scoring sheet (自检评分表): one row per clause — or per leaf indicator without
clauses — with what the archive holds and the estimate, and empty 自检得分 / 考评得分
columns that add up per 测评项目 and in total. Prints on A4 landscape, one page wide."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from cwa import wording
from cwa.checks.evidence import UNSCORED, EvidenceResult, IndicatorResult
from cwa.messages import t
from cwa.office import sheet as sheets
from cwa.printable import xml_safe
from cwa.report import text
from cwa.report.model import Report

#: Column key → width in characters (a Chinese character counts two).
COLUMNS = (("code", 8), ("project", 14), ("content", 24), ("standard", 40), ("points", 7),
           ("method", 11), ("evidence", 30), ("estimate", 8), ("self", 9), ("official", 9))
POINTS, ESTIMATE, SELF, OFFICIAL = 5, 8, 9, 10  # 1-based columns that add up
EVIDENCE = 7
SUMMED = frozenset({POINTS, ESTIMATE, SELF, OFFICIAL})  # the columns cwa writes formulas in
FORMULA = ("=", "+", "-", "@")  # what spreadsheets read as the start of a formula


def render(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = t("xlsx.sheet")
    last = get_column_letter(len(COLUMNS))
    sheet.append([t("xlsx.title", rubric=report.rubric.name)])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([_meta(report)])
    sheet.merge_cells(f"A2:{last}2")
    sheet.append([t(f"xlsx.col.{key}") for key, _ in COLUMNS])
    header = sheet.max_row
    bold_rows = {header}
    subtotals: list[int] = []
    for top in report.results:
        first = sheet.max_row + 1
        merges: list[tuple[int, int]] = []
        for row, span in _rows(report, top):
            sheet.append(row)
            if span > 1:
                merges.append((sheet.max_row, span))
        end = sheet.max_row
        for start, span in merges:  # materials listed for the whole indicator, as sources do
            sheet.merge_cells(start_row=start, end_row=start + span - 1, start_column=EVIDENCE,
                              end_column=EVIDENCE)
        label = t("xlsx.subtotal_bonus" if top.indicator.bonus else "xlsx.subtotal",
                  name=top.indicator.wording)
        sheet.append([top.indicator.code, label])
        row_no = sheet.max_row
        for col in (POINTS, ESTIMATE, SELF, OFFICIAL):
            letter = get_column_letter(col)
            sheet.cell(row_no, col, f"=SUM({letter}{first}:{letter}{end})" if end >= first
                       else 0)
        subtotals.append(row_no)
        bold_rows.add(row_no)
    score = report.summary.score
    if score is not None and score.deducted:  # declared 负面清单 items: off the total
        sheet.append(["", t("xlsx.deducted")])
        sheet.cell(sheet.max_row, ESTIMATE, -score.deducted)
        subtotals.append(sheet.max_row)
    sheet.append(["", t("xlsx.total")])
    total = sheet.max_row
    for col in (POINTS, ESTIMATE, SELF, OFFICIAL):
        letter = get_column_letter(col)
        sheet.cell(total, col, "=" + "+".join(f"{letter}{r}" for r in subtotals)
                   if subtotals else 0)
    bold_rows.add(total)
    table_end = total
    if report.declarations:
        sheet.append([])
        sheet.append([t("report.vetoes")])
        sheet.merge_cells(f"A{sheet.max_row}:{last}{sheet.max_row}")
        bold_rows.add(sheet.max_row)
        for item in report.declarations:
            mark, answer = text.declaration(item.happened)
            consequence = t("veto.deduct", points=text.number(item.veto.deduct)) \
                if item.veto.deduct else t("veto.bars")
            sheet.append([item.veto.code, f"{mark} {answer}", consequence, item.veto.text])
    thin = Side(style="thin", color="808080")
    fill = PatternFill("solid", fgColor="E2E8F0")
    for row in sheet.iter_rows(min_row=1, max_row=header - 1):  # the title: the rubric's name
        for cell in row:
            _as_text(cell)
    for row in sheet.iter_rows(min_row=header, max_row=sheet.max_row):
        for cell in row:
            if cell.column not in SUMMED:  # a rubric's text is never a formula
                _as_text(cell)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if cell.row <= table_end:
                cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            if cell.row in bold_rows:
                cell.font = Font(bold=True)
            if cell.row == header or (cell.row in bold_rows and cell.row <= table_end):
                cell.fill = fill
            if cell.column == ESTIMATE and header < cell.row <= table_end:
                cell.number_format = "0.00"
    for cell in sheet[header]:
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    merged = {r.min_row: r.max_row - r.min_row + 1 for r in sheet.merged_cells.ranges
              if r.min_col == EVIDENCE and r.max_row > r.min_row}
    spill = 0  # lines of a merged evidence cell still to be given room in the next rows
    for row in sheet.iter_rows(min_row=header + 1, max_row=table_end):
        number_ = row[0].row
        own = [_lines(cell.value, COLUMNS[cell.column - 1][1]) for cell in row
               if not (cell.column == EVIDENCE and number_ in merged)]
        lines = max(own or [1])
        if number_ in merged:
            spill = _lines(row[EVIDENCE - 1].value, COLUMNS[EVIDENCE - 1][1])
            span, spill = merged[number_], spill
            lines = max(lines, -(-spill // span))
        sheet.row_dimensions[number_].height = 15 * lines + 3
    sheet.freeze_panes = f"A{header + 1}"
    sheet.print_title_rows = f"{header}:{header}"
    sheets.a4_landscape(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _meta(report: Report) -> str:
    parts = [t("report.archive") + report.archive]
    if report.years:
        parts.append(t("report.years") + str(report.years))
    score = report.summary.score
    if score is not None:
        parts.append(t("report.summary_score", estimate=text.number(score.estimate),
                       possible=text.number(score.possible)) + text.score_notes(report))
    return "    ".join(parts)


Row = list[object]


def _rows(report: Report, top: IndicatorResult) -> Iterator[tuple[Row, int]]:
    """The rows of one 测评项目: a row per clause, or per leaf without clauses; with each,
    how many rows its evidence cell spans (materials listed for a whole indicator)."""
    for leaf in top.leaves():
        ind = leaf.indicator
        trail = top.trail(leaf)
        content = " / ".join(trail)
        methods = wording.listing(ind.methods)
        pair = report.estimate(leaf)
        unscored = t("status." + leaf.status) if leaf.status in UNSCORED else None
        if not leaf.clauses:
            standard = ind.standard or ind.note or ""
            yield [ind.code, top.indicator.wording, content, standard, ind.points, methods,
                   _evidence(leaf.evidence), unscored or _round(pair), None, None], 1
            continue
        clause_points = all(c.clause.points is not None for c in leaf.clauses
                            if c.status not in UNSCORED)
        shared_only = not any(c.evidence for c in leaf.clauses)
        shared = _evidence(leaf.clauses[0].shared) if leaf.clauses[0].shared else ""
        for i, clause in enumerate(leaf.clauses):
            c = clause.clause
            points: object = c.points
            estimate: object
            if clause_points:
                estimate = _round(report.clause_estimate(leaf, clause))
            else:  # the leaf's points and estimate, on its first row
                points = ind.points if i == 0 else None
                estimate = _round(pair) if i == 0 else None
            if shared_only:
                evidence = shared if i == 0 else None
            else:
                evidence = "\n".join(x for x in (_evidence(clause.evidence),
                                                   shared if i == 0 else "") if x)
            deduct = (f"（{t('report.clause_deduct', points=text.number(c.deduct))}）"
                      if c.deduct else "")
            yield [f"{ind.code} {text.clause_label(c.code)}", top.indicator.wording, content,
                   c.text + deduct, points, wording.listing(c.methods) or methods, evidence,
                   unscored or (t("status.na") if clause.status == "na" else estimate),
                   None, None], (len(leaf.clauses) if shared_only and i == 0 else 1)


def _evidence(items: list[EvidenceResult]) -> str:
    """``专题会议照片 3/3 张`` a line per item."""
    lines = []
    for item in items:
        e = item.evidence
        if e.cadence and item.due_periods:
            have, need, unit = len(item.due_periods) - len(item.missing_periods), \
                len(item.due_periods), t("xlsx.periods")
        elif e.per_year and item.due_years:
            have, need, unit = len(item.due_years) - len(item.missing_years), \
                len(item.due_years), t("xlsx.years")
        else:
            have, need = item.found, e.activities or e.min
            unit = wording.unit(e.kinds, activities=bool(e.activities))
        lines.append(f"{'✔' if item.satisfied else '✘'} {e.title} {have}/{need} {unit}".rstrip())
    return "\n".join(lines)


def _round(pair: tuple[float, float] | None) -> float | None:
    """The estimate as computed: the cell shows two decimals, and sums add up to the
    summary's figure (rounding each row first would not)."""
    return pair[0] if pair is not None else None


def _as_text(cell: Any) -> None:
    """A cell's text as a document holds it (names and rubric text: ``xml_safe``), and
    text even where it starts like a formula. (``xml_safe`` first: setting a value makes
    openpyxl guess its type again.)"""
    value = cell.value
    if not isinstance(value, str):
        return
    if not value.isprintable():
        cell.value = value = xml_safe(value)
    if value.startswith(FORMULA):
        cell.data_type = "s"


def _lines(value: object, width: int) -> int:
    """How many lines a wrapped cell needs; a formula (the sums) shows one."""
    if isinstance(value, str) and value.startswith("="):
        return 1
    return sheets.lines(value, width)
