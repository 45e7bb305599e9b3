"""The report for people at a terminal: the indicator tree with what each still needs."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.console import Console
from rich.text import Text

from cwa import wording
from cwa.checks.evidence import (
    COMPLETE,
    MISSING,
    NOT_APPLICABLE,
    NOT_ARCHIVE,
    PARTIAL,
    UNSCORED,
    ClauseResult,
    EvidenceResult,
    IndicatorResult,
)
from cwa.findings import CODES, KEYS, Finding
from cwa.messages import fill, t
from cwa.printable import printable
from cwa.report import text
from cwa.report.model import Report
from cwa.report.owners import by_owner
from cwa.report.text import SHOWN_AS_CHECKLIST, SHOWN_AS_EVIDENCE, shown_path
from cwa.score import grade
from cwa.wording import paren

STATUS_STYLE = {COMPLETE: "green", PARTIAL: "yellow", MISSING: "red", NOT_ARCHIVE: "dim",
                NOT_APPLICABLE: "dim"}
STATUS_MARK = {COMPLETE: "✔", PARTIAL: "◐", MISSING: "✘", NOT_ARCHIVE: "–", NOT_APPLICABLE: "–"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}

#: One line of the report: its pieces of text, each with its style ("" for none).
Line = list[tuple[str, str]]


def render(report: Report, console: Console) -> None:
    """The report on ``console``: the indicator tree, the archive's own level, the
    checklist and the summary. Off a terminal it is written as plain text in one go; at
    a terminal, with its styles, one print per top-level indicator."""
    flat = plain(console)
    write(console, _header(report), flat)
    from_parts: list[Finding] = []
    for position, result in enumerate(report.results):
        done = report.parts[position] if report.parts else None
        if done is None:
            lines: list[Line] = []
            _indicator(report, result, 0, lines)
            write(console, lines, flat)
        else:
            write(console, done[0], flat)
            from_parts += done[1]
    at = report.parts_at
    ordered = report.findings[:at] + from_parts + report.findings[at:] if report.parts \
        else report.findings
    loose = [f for f in ordered if f.indicator is None and f.code not in SHOWN_AS_CHECKLIST]
    lines = []
    if loose:
        lines += [[], [(t("report.archive_level"), "bold")]]
        lines += list(map(_finder(1), loose))
        lines.append([])
    lines += _checklist(report)
    lines.append(_summary(report))
    write(console, lines, flat)


Rendered = tuple["str | list[Line]", list[Finding]]


def part(report: Report, result: IndicatorResult | None = None, flat: bool = True
         ) -> Rendered:
    """A top-level indicator of the report (its first, by default) with everything
    below it: as text when ``plain``, else as lines; and the findings about the
    archive's own level among its findings (shown at the end, not under it). ``flat``:
    as text, else as lines with their styles."""
    result = result if result is not None else report.results[0]
    lines: list[Line] = []
    _indicator(report, result, 0, lines)
    loose = [f for f in report.findings if f.indicator is None]
    return (_text(lines) if flat else lines), loose


def plain_part(report: Report) -> Rendered:
    """``part`` as text, for output that is not a terminal."""
    return part(report)


def styled_part(report: Report) -> Rendered:
    """``part`` as lines with their styles, for a terminal."""
    return part(report, flat=False)


def plain(console: Console) -> bool:
    """Does ``console`` show text without styles (a file, a pipe)?"""
    return not console.is_terminal or console.color_system is None


def write(console: Console, lines: str | list[Line], flat: bool | None = None) -> None:
    """``lines`` on ``console``: plain text straight to its file, styled lines through
    rich (one print for all of them). ``flat``: whether the console is ``plain``."""
    if flat is None:
        flat = plain(console)
    if isinstance(lines, str):
        console.file.write(lines)
    elif flat:
        console.file.write(_text(lines))
    elif lines:
        text = Text()
        for number, line in enumerate(lines):
            if number:
                text.append("\n")
            for piece, style in line:
                text.append(piece, style)
        console.print(text)


def _text(lines: list[Line]) -> str:
    return "".join(["".join([piece for piece, _ in line]) + "\n" for line in lines])


def _header(report: Report) -> list[Line]:
    rubric = report.rubric
    line: Line = [(t("report.archive"), "bold"), (printable(report.archive), ""),
                  ("    " + t("report.rubric"), "bold"),
                  (rubric.name + (paren(rubric.edition) if rubric.edition else ""), "")]
    if report.years:
        line += [("    " + t("report.years"), "bold"), (str(report.years), "")]
    return [line, []]


def checklist(report: Report, console: Console) -> None:
    """The 一票否决 / 负面清单 items with the unit's answers: declared, never guessed."""
    write(console, _checklist(report))


def _checklist(report: Report) -> list[Line]:
    if not report.declarations:
        return []
    lines: list[Line] = [[], [(t("report.vetoes"), "bold")]]
    for item in report.declarations:
        mark, answer = text.declaration(item.happened)
        style = "red" if item.happened else ("yellow" if item.happened is None else "green")
        consequence = t("veto.deduct", points=text.number(item.veto.deduct)) \
            if item.veto.deduct else t("veto.bars")
        lines.append([("  ", ""), (mark + " ", style),
                      (f"{item.veto.code} {item.veto.text}", ""), (f"  {answer}", style),
                      (f"  {paren(consequence)}", "dim")])
    lines.append([])
    return lines


def _indicator(report: Report, result: IndicatorResult, depth: int, lines: list[Line]
               ) -> None:
    ind = result.indicator
    status = STATUS_STYLE[result.status]
    line: Line = [("  " * depth, ""), (STATUS_MARK[result.status] + " ", status),
                  (f"{ind.code} {ind.wording}", "bold" if depth == 0 else ""),
                  (f"  {t('status.' + result.status)}", status)]
    if ind.bonus:
        line.append((f"  {t('report.bonus')}", "cyan"))
    scored = text.estimate(report.estimate(result))
    if scored:
        line.append((f"  {scored}", "dim"))
    elif ind.points is not None and result.status not in UNSCORED:
        line.append((f"  {t('report.points_only', points=_num(ind.points))}", "dim"))
    graded = grade(result)
    if graded:
        line.append((f"  {t('report.grade', grade=graded)}", "dim"))
    if result.status == NOT_APPLICABLE:
        line.append((f"  {t('report.applies_to', types=wording.listing(ind.applies_to))}",
                     "dim"))
    if ind.owners:
        line.append((f"  {t('report.owners', owners=wording.listing(ind.owners))}", "dim"))
    lines.append(line)
    if result.na_note:
        lines.append([("  " * (depth + 1) + "  " + t(
            "report.na_note", path=printable(shown_path(result.na_note, result.path))),
                       "dim")])
    if result.status in (PARTIAL, MISSING):
        lines += [_clause(report, result, clause, depth + 1) for clause in result.clauses]
        lines += [_evidence(item, depth + 1, report) for item in result.evidence]
    finding = _finder(depth + 1, result.path)
    lines += [finding(f) for f in report.findings_of(ind.code) if f.code not in SHOWN_AS_EVIDENCE]
    for child in result.children:
        _indicator(report, child, depth + 1, lines)


def _clause(report: Report, result: IndicatorResult, clause: ClauseResult, depth: int
            ) -> Line:
    """``1) 有年度方案（4分）  缺失  估分 0/4``."""
    c = clause.clause
    status = STATUS_STYLE[clause.status]
    line: Line = [("  " * depth + "  ", ""), (STATUS_MARK[clause.status] + " ", status),
                  (f"{text.clause_label(c.code)} {c.text}", ""),
                  (f"  {t('status.' + clause.status)}", status)]
    scored = text.estimate(report.clause_estimate(result, clause))
    if scored:
        line.append((f"  {scored}", "dim"))
    elif c.deduct:
        line.append((f"  {t('report.clause_deduct', points=_num(c.deduct))}", "dim"))
    if c.methods:
        line.append((f"  [{'、'.join(c.methods)}]", "dim"))
    return line


def _evidence(item: EvidenceResult, depth: int, report: Report) -> Line:
    evidence = item.evidence
    line: Line = [("  " * depth + "  ", ""),
                  ("✔ " if item.satisfied else "✘ ", "green" if item.satisfied else "red"),
                  (evidence.title, ""), (paren(wording.kinds(evidence.kinds)), "dim")]
    if evidence.activities:
        line.append(("  " + t("report.activities", found=item.found,
                                min=evidence.activities), ""))
        if evidence.per_year and report.years and item.due_years:
            line.append(("  " + t("report.per_year", counts=_per_year(
                item, item.due_years, evidence.activities)), ""))
    elif evidence.cadence and item.due_periods:
        due = len(item.due_periods)
        line.append(("  " + t("report.periods", have=due - len(item.missing_periods),
                                due=due), ""))
        if item.missing_periods:
            line.append(("  " + t("report.lacks", periods=text.periods(item)), "red"))
    elif evidence.per_year and item.due_years:
        line.append(("  " + t("report.per_year",
                              counts=_per_year(item, item.due_years, evidence.min)), ""))
    elif evidence.per_year and report.years:
        line.append(("  " + t("report.per_year",
                              counts=_per_year(item, report.years.span(), evidence.min)), ""))
    else:
        line.append(("  " + t("report.found", found=item.found, min=evidence.min,
                              unit=wording.unit(evidence.kinds)), ""))
    return line


def _per_year(item: EvidenceResult, years: Iterable[int], required: int) -> str:
    """``2024：1/1，2025：0/1``."""
    colon = t("report.colon")
    return t("report.comma").join(f"{y}{colon}{item.by_year.get(y, 0)}/{required}"
                                  for y in years)


def _finder(depth: int, base: str = "") -> Callable[[Finding], Line]:
    """What shows one finding at ``depth``, its path relative to the indicator's folder
    ``base``: the words every finding line shares found once (an archive may have a
    hundred thousand findings)."""
    indent = "  " * depth + "  "
    colon = t("report.colon")
    labels = {code: (f"{t('severity.' + severity)} {code} ", SEVERITY_STYLE[severity])
              for code, severity in CODES.items()}
    inside = base + "/"
    cut = len(inside)

    def line(finding: Finding) -> Line:
        path = finding.path
        # text.shown_path(), inline
        if base and path.startswith(inside):
            path = path[cut:]
        elif base and path == base:
            path = base.rpartition("/")[2]
        path = path if path.isprintable() else printable(path)
        message = fill(KEYS[finding.code][0], finding.args)
        if path:
            return [(indent, ""), labels[finding.code], (path, "dim"), (colon, ""),
                    (message, "")]
        return [(indent, ""), labels[finding.code], (message, "")]

    return line


def render_owners(report: Report, console: Console, owner: str | None) -> None:
    """What is missing, department by department (or one department's list)."""
    groups = by_owner(report.results, t("report.owner_unknown"))
    for name, tasks in groups.items():
        if owner is not None and name != owner:
            continue
        console.print(Text(t("report.owner_heading", owner=name, count=len(tasks)), "bold"))
        for task in tasks:
            console.print(Text("  • " + text.task(task)))
        console.print()
    console.print(summary_line(report))


def summary_line(report: Report) -> Text:
    line = Text()
    for piece, style in _summary(report):
        line.append(piece, style)
    return line


def _summary(report: Report) -> Line:
    s = report.summary
    leaves = sum(s.statuses.values())
    shown = [COMPLETE, PARTIAL, MISSING] + [k for k in (NOT_ARCHIVE, NOT_APPLICABLE)
                                            if s.statuses[k]]
    rest = " · ".join(f"{t('status.' + k)} {s.statuses[k]}" for k in shown)
    if s.score is not None:
        rest += t("report.summary_sep") + t("report.summary_score",
                                            estimate=_num(s.score.estimate),
                                            possible=_num(s.score.possible)) \
            + text.score_notes(report)
    elif s.points_total is not None:
        rest += t("report.summary_sep") + t("report.summary_points",
                                            covered=_num(s.points_covered or 0),
                                            total=_num(s.points_total))
    rest += t("report.summary_sep") + t("report.summary_findings", error=s.severities["error"],
                                        warning=s.severities["warning"],
                                        info=s.severities["info"])
    return [(t("report.summary_indicators", total=leaves), "bold"), (rest, "")]


def _num(value: float) -> str:
    return text.number(value)
