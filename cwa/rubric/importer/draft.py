"""What an import makes: a rubric still being written, each value with where it came from.

Mutable (the tree is built row by row); ``yamlout`` writes it. ``inferred`` holds what cwa
read into the wording (shown as ``# 推断：…`` comments), ``source`` the cell it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DraftEvidence:
    title: str
    kinds: tuple[str, ...] = ()  # () = any kind
    min: int | None = None
    per_year: bool = False
    cadence: str | None = None
    start: int | None = None
    deadline: int | None = None
    activities: int | None = None
    bundle: list[DraftEvidence] = field(default_factory=list)
    caption: bool = False
    max_chars: int | None = None
    formal: bool = False  # 正式文件: carries a 文号
    dated: bool = False  # file names state their date
    match: list[str] = field(default_factory=list)
    note: str | None = None
    inferred: list[str] = field(default_factory=list)


@dataclass
class DraftClause:
    code: str
    text: str
    points: float | None = None
    deduct: float | None = None
    methods: list[str] = field(default_factory=list)
    evidence: list[DraftEvidence] = field(default_factory=list)
    note: str | None = None
    inferred: list[str] = field(default_factory=list)
    source: str = ""


@dataclass
class DraftIndicator:
    name: str
    code: str = ""
    written_code: str = ""  # the numbering as the table writes it (Ⅰ-1, （一）)
    points: float | None = None
    methods: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    standard: str | None = None
    notes: list[str] = field(default_factory=list)
    evidence: list[DraftEvidence] = field(default_factory=list)
    clauses: list[DraftClause] = field(default_factory=list)
    children: list[DraftIndicator] = field(default_factory=list)
    bonus: bool = False
    grading: dict[str, int] = field(default_factory=dict)
    inferred: list[str] = field(default_factory=list)
    source: str = ""
    rows: list[int] = field(default_factory=list)  # the grid rows it spans

    def walk(self) -> list[DraftIndicator]:
        out = [self]
        for child in self.children:
            out += child.walk()
        return out


@dataclass
class DraftVeto:
    code: str
    text: str
    deduct: float | None = None
    source: str = ""


@dataclass
class Unparsed:
    """Something of the table the rubric does not hold as data (kept in a note, or a row
    that is no indicator): listed at the end of the YAML and by the command."""

    where: str
    text: str
    why: str  # a message key, ``import.why.*``


@dataclass
class TableUse:
    label: str
    rows: int
    columns: int
    used: bool
    why: str = ""  # message key when not used
    first: int = 0  # first and last data rows (1-based), when used
    last: int = 0
    repeated_headers: int = 0


@dataclass
class Draft:
    name: str
    source: str  # the file's name
    titled: bool = False  # the name is the file's own title (not the file's name)
    indicators: list[DraftIndicator] = field(default_factory=list)
    points: float | None = None  # a 合计 row's total
    methods: dict[str, str] = field(default_factory=dict)  # the table's own method words
    vetoes: list[DraftVeto] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    tables: list[TableUse] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)

    def walk(self) -> list[DraftIndicator]:
        out: list[DraftIndicator] = []
        for indicator in self.indicators:
            out += indicator.walk()
        return out
