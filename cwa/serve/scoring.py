"""Scoring online (评资料 逐条逐项 打分): what an inspector scores, how a score is kept,
and the self-scoring sheet exported with 考评得分 filled.

An item is a row of the self-scoring sheet (``cwa.report.xlsx``): a clause, or a leaf
indicator without clauses. Scores belong to a round; the office closes a round, which
locks its scores, and may open the next. Two inspectors may save at once: each save
names the version of the score it was made from, and a save made from a version that
another inspector has replaced in the meantime is refused (with what the other saved),
never silently lost. A closed round refuses every save, even one that raced the close.
"""

from __future__ import annotations

import io
import math
import time
import unicodedata
from dataclasses import dataclass, field

from cwa import wording
from cwa.checks.evidence import EvidenceResult, IndicatorResult
from cwa.errors import CwaError
from cwa.messages import t
from cwa.report import text
from cwa.report.model import Report
from cwa.serve.store import Store

MAX_COMMENT = 2000
LIMIT = 1000.0  # what a score may be at most, either way, where the rubric gives no points


@dataclass(frozen=True)
class Item:
    key: str  # "1.2" (a leaf) or "1.2#3" (its clause 3)
    label: str  # as in the sheet's 编号 column: "1.2" or "1.2 3)"
    project: str  # the 测评项目 (top-level indicator)
    trail: str  # the indicators below it down to the leaf
    standard: str
    points: float | None  # what the item is worth, where the rubric says
    low: float
    high: float
    methods: str
    status: str
    estimate: tuple[float, float] | None
    evidence: list[EvidenceResult] = field(default_factory=list)
    folder: str = ""  # the leaf's folder, archive-relative


def items(report: Report) -> list[Item]:
    """The items of a unit's report, in the sheet's order."""
    out: list[Item] = []
    for top in report.results:
        for leaf in top.leaves():
            out += _leaf_items(report, top, leaf)
    return out


def _leaf_items(report: Report, top: IndicatorResult, leaf: IndicatorResult) -> list[Item]:
    ind = leaf.indicator
    trail = " / ".join(top.trail(leaf))
    methods = wording.listing(ind.methods)
    if not leaf.clauses:
        high = ind.points if ind.points is not None else LIMIT
        return [Item(ind.code, ind.code, top.indicator.wording, trail,
                     ind.standard or ind.note or "", ind.points, 0.0, high, methods,
                     leaf.status, report.estimate(leaf), list(leaf.evidence), leaf.path)]
    out = []
    for clause in leaf.clauses:
        c = clause.clause
        points = c.points
        if points is not None:
            low, high = 0.0, points
        elif c.deduct:
            low, high = -c.deduct, 0.0
        else:
            low, high = 0.0, ind.points if ind.points is not None else LIMIT
        estimate = report.clause_estimate(leaf, clause) if points is not None else None
        out.append(Item(f"{ind.code}#{c.code}", f"{ind.code} {text.clause_label(c.code)}",
                        top.indicator.wording, trail, c.text, points, low, high,
                        wording.listing(c.methods) or methods, clause.status, estimate,
                        list(clause.items), leaf.path))
    return out


# -- rounds and scores ----------------------------------------------------------------

@dataclass(frozen=True)
class Round:
    id: int
    opened: float
    closed: float | None
    closed_by: str | None


@dataclass(frozen=True)
class Score:
    score: float | None
    comment: str
    inspector: str
    at: float
    version: int


class Conflict(CwaError):
    """Another inspector saved this item since the form was loaded."""

    def __init__(self, current: Score) -> None:
        super().__init__("serve.score_conflict", who=current.inspector,
                         score=_shown(current.score))
        self.current = current


def _shown(value: float | None) -> str:
    return text.number(value) if value is not None else "—"


def current_round(store: Store) -> Round:
    with store.tx() as tx:
        row = tx.one("SELECT id, opened, closed, closed_by FROM rounds ORDER BY id DESC")
    assert row is not None  # the store makes round 1
    return Round(int(row[0]), row[1], row[2], row[3])


def close_round(store: Store, by: str) -> None:
    with store.tx(write=True) as tx:
        tx.run("UPDATE rounds SET closed = ?, closed_by = ? WHERE id = "
               "(SELECT MAX(id) FROM rounds) AND closed IS NULL", time.time(), by)


def open_round(store: Store) -> None:
    """The next round, once the current one is closed."""
    with store.tx(write=True) as tx:
        row = tx.one("SELECT id, closed FROM rounds ORDER BY id DESC")
        assert row is not None
        if row[1] is None:
            raise CwaError("serve.round_open")
        tx.run("INSERT INTO rounds (id, opened) VALUES (?, ?)", int(row[0]) + 1, time.time())


def scores(store: Store, round_id: int, unit: str) -> dict[str, Score]:
    with store.tx() as tx:
        rows = tx.run("SELECT item, score, comment, inspector, at, version FROM scores "
                      "WHERE round = ? AND unit = ?", round_id, unit)
    return {r[0]: Score(r[1], r[2], r[3], r[4], int(r[5])) for r in rows}


def parse(value: str, item: Item) -> float | None:
    """A score as typed (full-width digits too; empty: none yet), within the item's range."""
    value = unicodedata.normalize("NFKC", value).strip().replace("，", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise CwaError("serve.score_not_number", value=value) from None
    if not math.isfinite(number) or not item.low <= number <= item.high:
        raise CwaError("serve.score_range", low=text.number(item.low),
                       high=text.number(item.high))
    return round(number, 2)


def save(store: Store, round_id: int, unit: str, item: str, score: float | None,
         comment: str, inspector: str, version: int) -> int:
    """Store a score made from ``version`` (0: there was none); the new version.
    ``Conflict`` when another save came first, ``CwaError`` when the round is closed."""
    comment = comment.replace("\r\n", "\n").strip()
    if len(comment) > MAX_COMMENT:
        raise CwaError("serve.comment_long", max=MAX_COMMENT)
    now = time.time()
    with store.tx(write=True) as tx:
        lock = " FOR SHARE" if store.postgres else ""  # SQLite: BEGIN IMMEDIATE holds it
        row = tx.one(f"SELECT closed FROM rounds WHERE id = ?{lock}", round_id)
        if row is None or row[0] is not None:
            raise CwaError("serve.round_closed")
        if version == 0:
            tx.run("INSERT INTO scores (round, unit, item, score, comment, inspector, at, "
                   "version) VALUES (?, ?, ?, ?, ?, ?, ?, 1) "
                   "ON CONFLICT (round, unit, item) DO NOTHING",
                   round_id, unit, item, score, comment, inspector, now)
        else:
            tx.run("UPDATE scores SET score = ?, comment = ?, inspector = ?, at = ?, "
                   "version = version + 1 WHERE round = ? AND unit = ? AND item = ? "
                   "AND version = ?", score, comment, inspector, now, round_id, unit, item,
                   version)
        if tx.rowcount != 1:
            current = tx.one("SELECT score, comment, inspector, at, version FROM scores "
                             "WHERE round = ? AND unit = ? AND item = ?", round_id, unit, item)
            if current is None:  # deleted meanwhile: nothing to conflict with
                raise CwaError("serve.score_gone")
            raise Conflict(Score(current[0], current[1], current[2], current[3],
                                 int(current[4])))
        tx.run("INSERT INTO score_history (round, unit, item, score, comment, inspector, at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)", round_id, unit, item, score, comment,
               inspector, now)
    return version + 1


# -- the sheet ------------------------------------------------------------------------

def sheet(report: Report, given: dict[str, Score], round_: Round) -> bytes:
    """The self-scoring sheet of ``report`` with 考评得分 filled from ``given`` and a
    column of the inspectors' comments."""
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from cwa.report import xlsx

    book = load_workbook(io.BytesIO(xlsx.render(report)))
    ws = book.active
    header = next(r for r in range(1, ws.max_row + 1)
                  if ws.cell(r, 1).value == t("xlsx.col.code"))
    column = len(xlsx.COLUMNS) + 1
    row = header + 1
    for top in report.results:
        for leaf in top.leaves():
            for item in _leaf_items(report, top, leaf):
                if ws.cell(row, 1).value != item.label:  # the sheet's rows, in its order
                    raise RuntimeError(f"row {row}: {ws.cell(row, 1).value!r} is not "
                                       f"{item.label!r}")
                score = given.get(item.key)
                if score is not None:
                    if score.score is not None:
                        ws.cell(row, xlsx.OFFICIAL, score.score)
                    ws.cell(row, column, "\n".join(
                        x for x in (score.comment, wording.paren(score.inspector)) if x))
                row += 1
        row += 1  # the 测评项目's subtotal
    thin = Side(style="thin", color="808080")
    ws.cell(header, column, t("serve.col_comment"))
    ws.cell(header, column).font = Font(bold=True)
    ws.cell(header, column).fill = PatternFill("solid", fgColor="E2E8F0")
    for r in range(header, row + 1):
        cell = ws.cell(r, column)
        cell.alignment = Alignment(wrap_text=True, vertical="center",
                                   horizontal="center" if r == header else None)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    ws.column_dimensions[ws.cell(header, column).column_letter].width = 30
    state = t("serve.round_state_closed" if round_.closed else "serve.round_state_open",
              round=round_.id)
    ws.cell(2, 1, f"{ws.cell(2, 1).value}    {state}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
