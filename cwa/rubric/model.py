"""A rubric is a frozen tree of indicators, each with the evidence it needs.

A leaf indicator may hold its 测评标准 as clauses (条款), each with its text, points,
测评方法 and evidence; the clauses' evidence lives in the indicator's folder. Around the
tree: 加分项 (``bonus`` indicators, capped), 减分 (``deduct``), and the 一票否决 /
负面清单 items (``vetoes``) that the unit answers in cwa.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from cwa.rubric.methods import DOCUMENTS

KINDS = ("text", "image", "av")
#: Every kind an item may accept: a ``link`` (an Internet shortcut, ``.url``/``.webloc``)
#: only where the rubric says so ("links or screenshots may replace documents").
ALL_KINDS = (*KINDS, "link")
CADENCES = ("monthly", "quarterly", "half-yearly", "yearly")
#: Periods a year has for each cadence.
PERIODS = {"monthly": 12, "quarterly": 4, "half-yearly": 2, "yearly": 1}
#: A/B/C/C# grading: the share of the points each grade earns (100 %, 66 %, 33 %, 0).
GRADE_FACTORS = {"A": 1.0, "B": 0.66, "C": 0.33, "C#": 0.0}


@dataclass(frozen=True)
class Years:
    start: int
    end: int

    def span(self) -> range:
        return range(self.start, self.end + 1)

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"


#: ``2022-2024``, ``2022～2024``, ``2022至2024``
YEARS_TEXT = r"^\s*(\d{4})\s*[-–—~至到]\s*(\d{4})\s*$"


def years_from_text(text: str) -> Years | None:
    """``2022-2024`` or ``2024`` as years; None when it is neither."""
    import re

    m = re.match(YEARS_TEXT, text)
    if m:
        start, end = int(m.group(1)), int(m.group(2))
        return Years(start, end) if start <= end else None
    if text.strip().isdigit() and len(text.strip()) == 4:
        return Years(int(text), int(text))
    return None


@dataclass(frozen=True)
class Naming:
    separator: str = "："
    width: int = 2


class Window(NamedTuple):  # small records are NamedTuples: cheaper to define at start-up
    """The years an item's files must come from, counted back from the inspection year
    (the last of the archive's years): ``近两年（不含当年）`` is ``Window(2, False)``."""

    years: int
    current: bool = True

    def span(self, inspection: int) -> range:
        last = inspection if self.current else inspection - 1
        return range(last - self.years + 1, last + 1)


@dataclass(frozen=True)
class Evidence:
    title: str
    kinds: tuple[str, ...] = KINDS
    min: int = 1
    per_year: bool = False
    caption: bool = False
    caption_elements: tuple[str, ...] = ()  # what a caption must say; () = cwa.caption's default
    match: tuple[str, ...] = ()  # other words a file name may use for this evidence
    note: str | None = None
    max_chars: int | None = None
    formal: bool = False  # 正式文件: carries a 文号 (``鄂文明办〔2024〕12号``)
    dated: bool = False  # each file's name states its date (陕西: 后缀必须标明拍摄时间)
    window: Window | None = None
    cadence: str | None = None  # one of CADENCES: files per month / quarter / half / year
    start: int = 1  # the first month the cadence counts (``3月起每月``)
    deadline: int | None = None  # month by whose end a year's file is due (``12月底前``)
    deduct: float | None = None  # points off per missing file, year, period or activity
    activities: int | None = None  # N activities, each a dated sub-folder holding ``bundle``
    bundle: tuple[Evidence, ...] = ()

    @property
    def yearly(self) -> bool:
        """Counted year by year (per_year, or any cadence)."""
        return self.per_year or self.cadence is not None


class Clause(NamedTuple):
    """One 测评标准 item inside a leaf indicator: ``1) 有年度方案（4分）``."""

    code: str
    text: str
    points: float | None = None
    methods: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()  # the methods' classes (cwa.rubric.methods)
    evidence: tuple[Evidence, ...] = ()
    deduct: float | None = None  # points off the indicator when the clause is not met
    note: str | None = None
    line: int = 0

    @property
    def needs_archive(self) -> bool:
        return bool(self.evidence) or not self.classes or DOCUMENTS in self.classes


class Grading(NamedTuple):
    """A/B/C/C#: how many clauses met earn which grade (``符合5项为A…其余情形为C#``)."""

    thresholds: tuple[tuple[str, int], ...]  # (("A", 5), ("B", 4), ("C", 3))

    def grade(self, met: int) -> str:
        for grade, needed in self.thresholds:
            if met >= needed:
                return grade
        return "C#"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str  # usable as a folder name (sanitised)
    wording: str  # the name as the rubric writes it
    points: float | None = None
    methods: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()  # the methods' classes (cwa.rubric.methods)
    owners: tuple[str, ...] = ()
    note: str | None = None
    evidence: tuple[Evidence, ...] = ()
    children: tuple[Indicator, ...] = ()
    line: int = 0
    standard: str | None = None  # the 测评标准 text as the source writes it
    clauses: tuple[Clause, ...] = ()
    bonus: bool = False  # 加分项 / 特色指标: above the base total, capped at ``points``
    applies_to: tuple[str, ...] = ()  # unit types it applies to; () = every unit
    na_note: bool = False  # a written 不适用说明 in its folder satisfies it
    grading: Grading | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def needs_archive(self) -> bool:
        """False when the methods named (实地考察, 问卷调查…) need no documents."""
        if self.clauses:
            return bool(self.evidence) or any(c.needs_archive for c in self.clauses)
        return bool(self.evidence) or not self.classes or DOCUMENTS in self.classes

    def walk(self) -> Iterator[Indicator]:
        yield self
        for child in self.children:
            yield from child.walk()


class Veto(NamedTuple):
    """A 一票否决 / 负面清单 item: a declaration the unit answers in cwa.yaml, never a
    folder. Without ``deduct`` it bars the unit; with it, it costs those points."""

    code: str
    text: str
    deduct: float | None = None
    line: int = 0


@dataclass(frozen=True)
class Rubric:
    name: str
    indicators: tuple[Indicator, ...]
    edition: str | None = None
    points: float | None = None  # the declared total, when the rubric gives one
    years: Years | None = None
    naming: Naming = field(default_factory=Naming)
    note: str | None = None
    source: str | None = None
    origin: str = ""  # the file or bundled name it was loaded from
    vetoes: tuple[Veto, ...] = ()
    unit_types: tuple[str, ...] = ()  # the unit types ``applies_to`` may name
    points_by_year: tuple[tuple[int, float], ...] = ()  # 2017 = 40, 2018 = 60
    pass_mark: float | None = None
    methods: tuple[tuple[str, str], ...] = ()  # the rubric's own method words → class

    def walk(self) -> Iterator[Indicator]:
        for indicator in self.indicators:
            yield from indicator.walk()

    @property
    def total_points(self) -> float | None:
        """The base total: declared, or the top-level indicators' (bonus items apart)."""
        if self.points is not None:
            return self.points
        known = [i.points for i in self.indicators if i.points is not None and not i.bonus]
        return sum(known) if known else None

    @property
    def bonus_points(self) -> float:
        return sum(i.points or 0 for i in self.indicators if i.bonus)
