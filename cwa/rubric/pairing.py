"""Which indicator of an old edition is which of the new one.

Used by ``cwa rubric diff`` (what changed) and ``cwa migrate`` (where each folder goes).
In this order, each indicator paired at most once:

1. the same code and the same name (names compared as folders are: ``match.compare_key``);
2. the same name under another code (renumbered) — when the name is unique, or the
   parents are already a pair;
3. the same code with a close name (renamed);
4. a close name under another code (reworded): the best match both ways, clearly ahead
   of the next best — otherwise the case is ambiguous;
5. the same code with a name that is not close: probably renamed, but a clerk should
   confirm (``SAME_CODE``: ``migrate`` asks).

A mapping the clerk gives (``old → new`` or ``old → holding``) comes before all of these.
What is left is removed (old) or added (new); a removed one with close new candidates is
listed with them, for the clerk to decide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from cwa.match import SIMILAR, compare_key
from cwa.rubric.model import Indicator, Rubric

SAME, RENUMBERED, RENAMED, REWORDED, SAME_CODE, MAPPED = (
    "same", "renumbered", "renamed", "reworded", "same_code", "mapped")
CANDIDATE = 0.5  # a removed indicator's new candidates are at least this close
MARGIN = 0.1  # a close match must be this far ahead of the next best


@dataclass(frozen=True)
class Node:
    """An indicator with its place in the tree."""

    indicator: Indicator
    parent: Indicator | None
    key: str  # the name as compared

    @property
    def code(self) -> str:
        return self.indicator.code


@dataclass(frozen=True)
class Pair:
    old: Node
    new: Node
    how: str  # SAME, RENUMBERED, RENAMED, REWORDED, SAME_CODE (to confirm), MAPPED
    score: float = 1.0


@dataclass
class Pairing:
    pairs: list[Pair] = field(default_factory=list)
    removed: list[Node] = field(default_factory=list)
    added: list[Node] = field(default_factory=list)
    held: list[Node] = field(default_factory=list)  # old ones the mapping sends to holding
    candidates: dict[str, list[tuple[Node, float]]] = field(default_factory=dict)  # old code
    ties: dict[str, list[tuple[Node, float]]] = field(default_factory=dict)  # old code


def nodes(rubric: Rubric) -> list[Node]:
    out: list[Node] = []

    def visit(indicators: Iterable[Indicator], parent: Indicator | None) -> None:
        for indicator in indicators:
            out.append(Node(indicator, parent, compare_key(indicator.wording)))
            visit(indicator.children, indicator)

    visit(rubric.indicators, None)
    return out


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if len(a) >= 2 and len(b) >= 2 and (a in b or b in a):
        return max(SIMILAR, SequenceMatcher(None, a, b).ratio())
    return SequenceMatcher(None, a, b).ratio()


def pair(old: Rubric, new: Rubric, mapping: dict[str, str | None] | None = None
         ) -> Pairing:
    """``mapping``: old code → new code, or None for "to the holding folder" (codes
    already resolved by ``resolve``)."""
    olds, news = nodes(old), nodes(new)
    result = Pairing()
    free_old = {id(n.indicator): n for n in olds}
    free_new = {id(n.indicator): n for n in news}
    new_by_code = {n.code: n for n in news}

    def take(o: Node, n: Node, how: str, score: float = 1.0) -> None:
        result.pairs.append(Pair(o, n, how, score))
        free_old.pop(id(o.indicator), None)
        free_new.pop(id(n.indicator), None)

    claimed: dict[int, Node] = {}  # new ones the mapping names: still the same-name pair
    for o in olds:
        if mapping is None or o.code not in mapping:
            continue
        target = mapping[o.code]
        if target is None:
            result.held.append(o)
            free_old.pop(id(o.indicator), None)
        elif target in new_by_code:
            take(o, new_by_code[target], MAPPED)
            claimed[id(new_by_code[target].indicator)] = new_by_code[target]
    free_new.update(claimed)  # for steps 1 and 2 only: an old one of the very same name
    # 1. same code, same name
    for o in olds:
        n = new_by_code.get(o.code)
        if id(o.indicator) in free_old and n is not None and id(n.indicator) in free_new \
                and n.key == o.key:
            take(o, n, SAME)
    # 2. same name, other code (a repeated name: only under parents already paired)
    for o in olds:
        if id(o.indicator) not in free_old:
            continue
        same = [n for n in free_new.values() if n.key == o.key]
        twins = sum(1 for x in free_old.values() if x.key == o.key)
        if len(same) > 1 or twins > 1:
            partner = _partner(result, o.parent)
            same = [n for n in same if n.parent is partner]
        if len(same) == 1:
            take(o, same[0], RENUMBERED)
    for key in claimed:
        free_new.pop(key, None)
    # 3. same code, close name
    for o in olds:
        n = new_by_code.get(o.code)
        if id(o.indicator) in free_old and n is not None and id(n.indicator) in free_new:
            score = similarity(o.key, n.key)
            if score >= SIMILAR:
                take(o, n, RENAMED, score)
    # 4. close name, other code: the best both ways, clearly ahead
    _close(result, free_old, free_new, take)
    # 5. same code, a name that is not close
    for o in olds:
        n = new_by_code.get(o.code)
        if id(o.indicator) in free_old and n is not None and id(n.indicator) in free_new \
                and o.indicator.is_leaf == n.indicator.is_leaf:
            take(o, n, SAME_CODE, similarity(o.key, n.key))
    result.removed = [n for n in olds if id(n.indicator) in free_old]
    result.added = [n for n in news if id(n.indicator) in free_new]
    for o in result.removed:
        close = sorted(((n, similarity(o.key, n.key)) for n in result.added),
                       key=lambda x: -x[1])
        close = [(n, s) for n, s in close if s >= CANDIDATE][:3]
        if close:
            result.candidates[o.code] = close
    return result


def _partner(result: Pairing, old_parent: Indicator | None) -> Indicator | None:
    if old_parent is None:
        return None
    for p in result.pairs:
        if p.old.indicator is old_parent:
            return p.new.indicator
    return None


def _close(result: Pairing, free_old: dict[int, Node], free_new: dict[int, Node],
           take: Callable[[Node, Node, str, float], None]) -> None:
    scores: dict[tuple[int, int], float] = {}
    for o in free_old.values():
        for n in free_new.values():
            score = similarity(o.key, n.key)
            if score >= SIMILAR:
                scores[(id(o.indicator), id(n.indicator))] = score
    while scores:
        (oi, ni), best = max(scores.items(), key=lambda kv: kv[1])
        o, n = free_old[oi], free_new[ni]
        rivals = [s for (a, b), s in scores.items()
                  if (a == oi) != (b == ni) and (a == oi or b == ni)]
        if rivals and best - max(rivals) < MARGIN:
            result.ties[o.code] = sorted(
                ((free_new[b], s) for (a, b), s in scores.items() if a == oi),
                key=lambda x: -x[1])
            for key in [k for k in scores if k[0] == oi]:
                del scores[key]
            continue
        take(o, n, REWORDED, best)
        for key in [k for k in scores if k[0] == oi or k[1] == ni]:
            del scores[key]
