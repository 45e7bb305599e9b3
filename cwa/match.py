"""Rubric × Snapshot → Layout: which folder holds which indicator.

At each level, a folder is matched to an indicator, in this order:
1. its title equals the indicator's name (compared with ``naming.fold`` and in
   simplified characters: separators, spaces, punctuation, full/half-width forms and
   traditional characters do not matter);
2. its leading code equals the indicator's code (``1.2 创建规划``);
3. its title is close to the indicator's name (similarity ≥ 0.75 or one contains the other);
4. its serial number equals the indicator's position in the rubric.
Each folder serves one indicator. Folders left over are reported as unexpected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from cwa import naming
from cwa.naming import ParsedName
from cwa.rubric.model import Indicator, Naming, Rubric
from cwa.scan import Entry

SIMILAR = 0.75


@dataclass
class Placement:
    indicator: Indicator
    position: int  # 1-based, in rubric order among siblings
    expected: str  # the folder name the convention asks for
    rel: str  # the folder's relative path (the expected one when missing)
    folder: Entry | None = None
    parsed: ParsedName | None = None
    how: str = ""  # "name" | "code" | "similar" | "number"; "" when missing
    children: list[Placement] = field(default_factory=list)

    def walk(self) -> Iterator[Placement]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Layout:
    root: Entry
    placements: list[Placement]

    def walk(self) -> Iterator[Placement]:
        for placement in self.placements:
            yield from placement.walk()


def match(rubric: Rubric, root: Entry, options: Naming) -> Layout:
    return Layout(root, level(rubric.indicators, root, "", options))


def expected_name(position: int, indicator: Indicator, siblings: int, options: Naming) -> str:
    width = max(options.width, naming.width_for(siblings))
    return naming.format_name(position, indicator.name, options.separator, width)


def level(indicators: tuple[Indicator, ...], parent: Entry | None, parent_rel: str,
           options: Naming) -> list[Placement]:
    folders = [c for c in parent.children if c.is_dir] if parent else []
    parsed = [naming.parse(f.nfc_name) for f in folders]
    chosen = _assign(indicators, folders, parsed)
    out = []
    for position, indicator in enumerate(indicators, start=1):
        expected = expected_name(position, indicator, len(indicators), options)
        index, how = chosen.get(position - 1, (None, ""))
        folder = folders[index] if index is not None else None
        rel = folder.rel if folder else (f"{parent_rel}/{expected}" if parent_rel else expected)
        placement = Placement(indicator, position, expected, rel, folder,
                              parsed[index] if index is not None else None, how)
        placement.children = level(indicator.children, folder, rel, options)
        out.append(placement)
    return out


def _assign(indicators: tuple[Indicator, ...], folders: list[Entry],
            parsed: list[ParsedName]) -> dict[int, tuple[int, str]]:
    """indicator index → (folder index, how)."""
    chosen: dict[int, tuple[int, str]] = {}
    taken: set[int] = set()
    fold = naming.fold
    keys = [(fold(i.name), fold(i.wording)) for i in indicators]
    titles = [fold(p.title) for p in parsed]

    def take(rule: str, accept: Callable[[int, Indicator, int], object]) -> None:
        for i, indicator in enumerate(indicators):
            if i in chosen:
                continue
            for j in range(len(folders)):
                if j not in taken and accept(i, indicator, j):
                    chosen[i] = (j, rule)
                    taken.add(j)
                    break

    take("name", lambda i, ind, j: titles[j] and titles[j] in keys[i])
    if len(chosen) < len(indicators) and len(taken) < len(folders):
        # what is left is compared in simplified characters too (繁體 folders match):
        # the converter loads only for an archive whose names do not all match as written
        keys = [(naming.simplified(a), naming.simplified(b)) for a, b in keys]
        titles = [naming.simplified(t) for t in titles]
        take("name", lambda i, ind, j: titles[j] and titles[j] in keys[i])
    take("code", lambda i, ind, j: parsed[j].code is not None and "." in ind.code
         and parsed[j].code == ind.code)
    take("similar", lambda i, ind, j: _similar(titles[j], keys[i][0]))
    take("number", lambda i, ind, j: parsed[j].number == i + 1)
    return chosen


def compare_key(name: str) -> str:
    """A name as folder names are compared: folded, in simplified characters (繁體
    folders match). (``_assign`` compares as written first, and so only where needed.)"""
    return naming.simplified(naming.fold(name)) if name else ""


def _similar(title: str, key: str) -> bool:
    if not title or not key:
        return False
    if len(title) >= 2 and len(key) >= 2 and (title in key or key in title):
        return True
    return SequenceMatcher(None, title, key).ratio() >= SIMILAR
