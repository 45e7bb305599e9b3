"""A 测评标准 cell as clauses: its numbered items (``1) … 2) …``, ``（1）``, ``①``, ``1.``),
else its paragraphs, else the one text; each clause's points from its text (``（0.5分）``)
or, for ``…的扣5分``, a deduction; an A/B/C grading sentence (``符合上述5项为A；符合4项
为B；符合3项为C``) read as the indicator's grading, not as a clause."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cwa import naming
from cwa.rubric.importer import numbering, points

_GRADE = re.compile(r"(\d{1,2}|[一二两三四五六七八九十])\s*(?:项|条)(?:及以上|以上)?\s*(?:的)?"
                    r"为\s*([ABC])(?![#＃])")
_REST = re.compile(r"其余|C\s*[#＃]")  # 其余情形为C#
_SENTENCES = re.compile(r"(?<=[；;。\n])")


@dataclass
class Split:
    clauses: list[tuple[str, str]] = field(default_factory=list)  # (code, text)
    intro: str = ""  # text before the first numbered item
    grading: dict[str, int] = field(default_factory=dict)
    grading_text: str = ""


def one_line(text: str) -> str:
    """Lines of one item joined: Chinese runs on without a space, other text with one."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out = ""
    for line in lines:
        if out and (out[-1].isascii() and out[-1].isalnum()) and line[0].isascii():
            out += " "
        out += line
    return out


def grading(text: str) -> tuple[dict[str, int], str, str]:
    """(grade → clauses needed, the text without the grading sentences, those sentences)."""
    found: dict[str, int] = {}
    kept, dropped = [], []
    for sentence in _SENTENCES.split(text):
        pairs = _GRADE.findall(naming.ascii_digits(sentence))
        if pairs or (found and _REST.search(sentence)):
            for count, grade in pairs:
                value = int(count) if count.isdigit() else numbering.chinese(
                    count.replace("两", "二"))
                if value:
                    found.setdefault(grade, value)
            dropped.append(sentence.strip())
        else:
            kept.append(sentence)
    return found, "".join(kept).strip(), "".join(dropped).strip()


def split(text: str) -> Split:
    out = Split()
    found, text, dropped = grading(text)
    if "A" in found:
        out.grading, out.grading_text = found, dropped
    elif dropped:
        text = (text + "\n" + dropped).strip()
    items = numbering.items(text)
    if items:
        for item in items:
            if item.number == 0:
                out.intro = one_line(item.text)
            elif one_line(item.text).rstrip("；;，,、 "):
                out.clauses.append((str(item.number), one_line(item.text).rstrip("；;，,、 ")))
        return out
    paragraphs = [p for p in (one_line(p) for p in text.split("\n")) if p]
    if len(paragraphs) >= 2 and all(len(p) >= 6 for p in paragraphs):
        out.clauses = [(str(i), p) for i, p in enumerate(paragraphs, start=1)]
    elif paragraphs:
        out.clauses = [("1", one_line(text))]
    return out


def measure(text: str) -> tuple[float | None, float | None]:
    """(points, deduction) a clause's text states."""
    stated = points.stated(text)
    if stated is not None:
        return stated, None
    return None, points.deduction(text) if ("扣" in text or "减" in text) else None
