"""A 测评方法 cell as the rubric's ``methods``: known words kept (``cwa.rubric.methods``),
a clause prefix kept when the clauses exist (``1)、2)、4)材料审核``), a word of the table's
own given a class when its characters say one (``查阅台账`` → document review), and
anything else reported, never silently dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cwa.rubric import methods as vocab

#: Characters that say which class a word of the table's own belongs to, in this order.
_GUESSES = (
    (("资料", "材料", "台账", "档案", "文件", "记录", "申报", "上传"), vocab.DOCUMENTS),
    (("问卷", "调查", "征求", "满意度", "测评表"), vocab.SURVEY),
    (("汇报", "座谈", "听取", "访谈", "询问", "谈话"), vocab.HEARING),
    (("网络", "网站", "网页", "公众号", "网上", "线上"), vocab.ONLINE),
    (("实地", "现场", "查看", "暗访", "察看", "走访", "考察", "检查", "观察", "抽查"),
     vocab.FIELD),
)
_PARENS = re.compile(r"[（(](?!\s*\d+\s*[)）])[^）)]*[）)]")  # not a clause number (1)
_ENTRIES = re.compile(r"[\n；;。]+")
_JOINERS = re.compile(r"[+＋]|(?<=.{2})(?:和|及|与)(?=.{2})")


@dataclass
class Methods:
    entries: list[str] = field(default_factory=list)  # for ``methods:``
    new_words: dict[str, str] = field(default_factory=dict)  # word → class (guessed)
    unknown: list[str] = field(default_factory=list)
    numbers_dropped: list[str] = field(default_factory=list)  # prefixes without clauses


def guess(word: str) -> str | None:
    if len(word) > 8:
        return None  # a sentence, not a method's name
    for marks, cls in _GUESSES:
        if any(m in word for m in marks):
            return cls
    return None


def parse(text: str, known: dict[str, str], clause_numbers: set[str]) -> Methods:
    """``known``: the vocabulary so far (built-in and words guessed earlier)."""
    out = Methods()
    clean = _PARENS.sub("、", text)
    for entry in _ENTRIES.split(clean):
        if not entry.strip():
            continue
        numbers, raw = vocab.split(entry)
        words: list[str] = []
        for chunk in raw:
            for word in _JOINERS.split(chunk):
                word = word.strip(" 、，,")
                if not word:
                    continue
                parts = vocab.words(word, {**known, **out.new_words})
                if parts is not None:
                    words += parts
                    continue
                cls = guess(word)
                if cls is None:
                    out.unknown.append(word)
                else:
                    out.new_words[word] = cls
                    words.append(word)
        if not words:
            continue
        words = list(dict.fromkeys(words))
        if numbers and all(n.lstrip("0") in clause_numbers for n in numbers):
            prefix = "、".join(f"{int(n)})" for n in numbers)
            out.entries.append(prefix + "、".join(words))
        else:
            if numbers:
                out.numbers_dropped.append(entry.strip())
            out.entries += [w for w in words if w not in out.entries]
    return out
