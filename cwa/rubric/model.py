"""A rubric is a frozen tree of indicators, each with the evidence it needs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

KINDS = ("text", "image", "av")
#: The only 测评方法 that the archive has to prove.
DOCUMENT_REVIEW = "材料审核"


@dataclass(frozen=True)
class Years:
    start: int
    end: int

    def span(self) -> range:
        return range(self.start, self.end + 1)

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"


@dataclass(frozen=True)
class Naming:
    separator: str = "："
    width: int = 2


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


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str  # usable as a folder name (sanitised)
    wording: str  # the name as the rubric writes it
    points: float | None = None
    methods: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    note: str | None = None
    evidence: tuple[Evidence, ...] = ()
    children: tuple[Indicator, ...] = ()
    line: int = 0

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def needs_archive(self) -> bool:
        """False when the methods named (实地考察, 问卷调查…) need no documents."""
        return bool(self.evidence) or not self.methods or DOCUMENT_REVIEW in self.methods

    def walk(self) -> Iterator[Indicator]:
        yield self
        for child in self.children:
            yield from child.walk()


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

    def walk(self) -> Iterator[Indicator]:
        for indicator in self.indicators:
            yield from indicator.walk()

    @property
    def total_points(self) -> float | None:
        if self.points is not None:
            return self.points
        known = [i.points for i in self.indicators if i.points is not None]
        return sum(known) if known else None
