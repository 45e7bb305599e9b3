"""测评方法 as a vocabulary: every method word a 测评体系 writes maps to one class.

Only document review (``documents``) is something the archive has to prove; the other
classes are what inspectors see, ask or hear for themselves. Real texts write the same
method many ways (材料审核, 审核材料, 查阅资料…) and sometimes per clause
(``1)、2)、4)材料审核``); a rubric may add its own words (``methods:`` at the top). A word
that is in no vocabulary is an error: it never silently means "no documents needed".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

DOCUMENTS, FIELD, SURVEY, HEARING, ONLINE = "documents", "field", "survey", "hearing", "online"
CLASSES = (DOCUMENTS, FIELD, SURVEY, HEARING, ONLINE)

#: The words seen in real 测评体系 texts (DOMAIN.md), by class.
BUILTIN: dict[str, str] = {
    **dict.fromkeys(("材料审核", "审核材料", "查阅资料", "审阅资料", "查看资料", "现场审核资料",
                     "网上申报", "网上材料审核"), DOCUMENTS),
    **dict.fromkeys(("实地考察", "实地查看", "现场查看", "暗访"), FIELD),
    **dict.fromkeys(("问卷调查", "征求意见"), SURVEY),
    **dict.fromkeys(("听取汇报", "个别座谈"), HEARING),
    **dict.fromkeys(("网络查看",), ONLINE),
    **{name: name for name in CLASSES},  # the class names themselves
}

#: ``1)、2)、4)材料审核``: the clauses a method word applies to, written before it.
_PREFIX = r"^\s*((?:[（(]?\d+[)）][、，,\s]*)+)(.*)$"
_NUMBER = r"\d+"
_SPLIT = r"[、，,；;/\s]+"


def vocabulary(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    return {**BUILTIN, **(extra or {})}


def split(entry: str) -> tuple[tuple[str, ...], list[str]]:
    """``"1)、2)、4)材料审核"`` → (("1", "2", "4"), ["材料审核"]); words without a prefix
    apply to the whole indicator: ((), ["听取汇报", "查阅资料"])."""
    m = re.match(_PREFIX, entry)
    clauses: tuple[str, ...] = ()
    if m:
        clauses = tuple(re.findall(_NUMBER, m.group(1)))
        entry = m.group(2)
    return clauses, [w for w in re.split(_SPLIT, entry) if w]


def words(word: str, known: Mapping[str, str]) -> list[str] | None:
    """The known words ``word`` is made of: itself, or run together without a separator
    (``听取汇报查阅资料``); None when it is not in the vocabulary."""
    if word in known:
        return [word]
    for length in range(len(word) - 1, 1, -1):
        head = word[:length]
        if head in known:
            rest = words(word[length:], known)
            if rest is not None:
                return [head, *rest]
    return None
