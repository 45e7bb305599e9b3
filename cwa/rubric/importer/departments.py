"""Departments named in the text: ``【提供材料部门：党办】``, ``（责任单位：监察室）``, and a
负责部门 column's ``办公室、人教科``."""

from __future__ import annotations

import re

_LABEL = (r"(?:提供材料部门|材料提供部门|提供部门|责任单位|责任部门|负责部门|牵头部门|责任科室"
          r"|负责科室|责任处室|牵头单位)")
_BRACKETED = re.compile(rf"[【\[〔]\s*{_LABEL}\s*[:：]\s*([^】\]〕]+?)\s*[】\]〕]")
_PARENTHESISED = re.compile(rf"[（(]\s*{_LABEL}\s*[:：]\s*([^）)]+?)\s*[）)]")
_SPLIT = re.compile(r"[、，,;；/／\s]+|(?<=[^\s])(?:和|及)(?=[^\s])")


def split(text: str) -> list[str]:
    """``办公室、人教科及工会`` → [办公室, 人教科, 工会]."""
    return [p.strip(" 。.") for p in _SPLIT.split(text.replace("\n", "、")) if p.strip(" 。.")]


def extract(text: str) -> tuple[list[str], str]:
    """The departments a text names in its brackets, and the text without them."""
    found: list[str] = []
    for pattern in (_BRACKETED, _PARENTHESISED):
        for m in pattern.finditer(text):
            found += split(m.group(1))
        text = pattern.sub("", text)
    return list(dict.fromkeys(found)), text.strip()
