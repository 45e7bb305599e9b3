"""A draft as rubric YAML a person can read and edit.

Written by hand, not by a YAML library, because the comments are half the point: above
each indicator the cell it came from (``# 来源：…``), above each value cwa read into the
wording what it inferred (``# 推断：…``), and at the end a summary of the tables read and
of what could not be parsed. Scalars are plain where YAML reads them back as the same
text, double-quoted otherwise; codes are always quoted; notes of several lines are
literal blocks. ``pipeline`` loads the result back with the rubric loader.
"""

from __future__ import annotations

import functools
import json
import re

import yaml

from cwa.messages import t
from cwa.rubric.importer import points
from cwa.rubric.importer.draft import Draft, DraftClause, DraftEvidence, DraftIndicator

_SPECIAL_START = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_CHARS = set(",[]{}")


@functools.lru_cache(maxsize=4096)
def _plain_ok(value: str, flow: bool) -> bool:
    if not value or value != value.strip() or value[0] in _SPECIAL_START or "\n" in value:
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    if flow and (_FLOW_CHARS & set(value)):
        return False
    try:
        loaded = yaml.safe_load(f"k: {value}" if not flow else f"[{value}]")
    except yaml.YAMLError:
        return False
    return bool(loaded == ({"k": value} if not flow else [value]))


def scalar(value: str, flow: bool = False) -> str:
    return value if _plain_ok(value, flow) else json.dumps(value, ensure_ascii=False)


def quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def comment(text: str) -> str:
    """Text made safe for one comment line."""
    return re.sub(r"\s*\n\s*", " / ", text).strip()


def flow_list(values: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


class Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def line(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + text)

    def note(self, indent: int, label: str, text: str) -> None:
        if "\n" in text:
            self.line(indent, f"{label}: |-")
            for part in text.split("\n"):
                self.line(indent + 2, part)
        else:
            self.line(indent, f"{label}: {scalar(text)}")

    def comments(self, indent: int, source: str, inferred: list[str]) -> None:
        if source:
            self.line(indent, "# " + comment(t("import.yaml.source", where=source)))
        if inferred:
            self.line(indent, "# " + comment(t("import.yaml.inferred",
                                                 what="；".join(dict.fromkeys(inferred)))))


def render(draft: Draft, schema: str) -> str:
    w = Writer()
    w.line(0, f"# yaml-language-server: $schema={schema}")
    w.line(0, "# " + comment(t("import.yaml.head", file=draft.source)))
    for line in t("import.yaml.legend").split("\n"):
        w.line(0, "# " + line)
    w.line(0, f"rubric: {scalar(draft.name)}")
    w.line(0, f"source: {scalar(draft.source)}")
    if draft.notes:
        w.note(0, "note", "\n".join(draft.notes))
    if draft.points is not None:
        w.line(0, "# " + comment(t("import.yaml.total_row")))
        w.line(0, f"points: {points.number(draft.points)}")
    if draft.methods:
        w.line(0, "methods:")
        for word, cls in draft.methods.items():
            w.line(2, f"{scalar(word)}: {cls}")
    if draft.vetoes:
        w.line(0, "vetoes:")
        for veto in draft.vetoes:
            w.comments(2, veto.source, [])
            deduct = f", deduct: {points.number(veto.deduct)}" if veto.deduct else ""
            w.line(2, f"- {{code: {quoted(veto.code)}, text: {scalar(veto.text, True)}"
                      f"{deduct}}}")
    w.line(0, "indicators:")
    for node in draft.indicators:
        _indicator(w, node, 2)
    _summary(w, draft)
    return "\n".join(w.lines) + "\n"


def _indicator(w: Writer, node: DraftIndicator, indent: int) -> None:
    w.comments(indent, node.source, node.inferred)
    w.line(indent, f"- code: {quoted(node.code)}")
    pad = indent + 2
    w.line(pad, f"name: {scalar(node.name)}")
    if node.points is not None:
        w.line(pad, f"points: {points.number(node.points)}")
    if node.bonus:
        w.line(pad, "bonus: true")
    if node.methods:
        w.line(pad, f"methods: {flow_list(node.methods)}")
    if node.owners:
        w.line(pad, f"owners: {flow_list(node.owners)}")
    if node.standard:
        w.note(pad, "standard", node.standard)
    if node.grading:
        w.line(pad, "grading: {" + ", ".join(f"{g}: {n}" for g, n in node.grading.items())
               + "}")
    if node.notes:
        w.note(pad, "note", "\n".join(dict.fromkeys(node.notes)))
    if node.evidence:
        w.line(pad, "evidence:")
        for item in node.evidence:
            _evidence(w, item, pad + 2)
    if node.clauses:
        w.line(pad, "clauses:")
        for clause in node.clauses:
            _clause(w, clause, pad + 2)
    if node.children:
        w.line(pad, "children:")
        for child in node.children:
            _indicator(w, child, pad + 2)


def _clause(w: Writer, clause: DraftClause, indent: int) -> None:
    w.comments(indent, clause.source, clause.inferred)
    w.line(indent, f"- code: {quoted(clause.code)}")
    pad = indent + 2
    w.line(pad, f"text: {scalar(clause.text)}")
    if clause.points is not None:
        w.line(pad, f"points: {points.number(clause.points)}")
    if clause.deduct is not None:
        w.line(pad, f"deduct: {points.number(clause.deduct)}")
    if clause.methods:
        w.line(pad, f"methods: {flow_list(clause.methods)}")
    if clause.evidence:
        w.line(pad, "evidence:")
        for item in clause.evidence:
            _evidence(w, item, pad + 2)
    if clause.note:
        w.note(pad, "note", clause.note)


def _fields(item: DraftEvidence) -> list[str]:
    out = [f"title: {scalar(item.title, True)}"]
    if item.kinds:
        out.append(f"kinds: {flow_list(list(item.kinds))}")
    if item.match:
        out.append(f"match: {flow_list(item.match)}")
    if item.min and item.min > 1:
        out.append(f"min: {item.min}")
    if item.activities:
        out.append(f"activities: {item.activities}")
    if item.per_year:
        out.append("per_year: true")
    if item.cadence:
        out.append(f"cadence: {item.cadence}")
    if item.start and item.start > 1:
        out.append(f"start: {item.start}")
    if item.deadline:
        out.append(f"deadline: {item.deadline}")
    if item.caption:
        out.append("caption: required")
    if item.max_chars:
        out.append(f"max_chars: {item.max_chars}")
    if item.formal:
        out.append("formal: true")
    if item.dated:
        out.append("dated: true")
    if item.note:
        out.append(f"note: {scalar(item.note, True)}")
    return out


def _evidence(w: Writer, item: DraftEvidence, indent: int) -> None:
    w.comments(indent, "", item.inferred)
    fields = _fields(item)
    if not item.bundle:
        w.line(indent, "- {" + ", ".join(fields) + "}")
        return
    w.line(indent, f"- {fields[0]}")
    for field in fields[1:]:
        w.line(indent + 2, field)
    w.line(indent + 2, "bundle:")
    for part in item.bundle:
        w.line(indent + 4, "- {" + ", ".join(_fields(part)) + "}")


def _summary(w: Writer, draft: Draft) -> None:
    w.line(0, "")
    w.line(0, "# " + t("import.yaml.summary"))
    for use in draft.tables:
        if use.used:
            text = t("import.table_used" if use.last > use.first else "import.table_used_one",
                     table=use.label, first=use.first, last=use.last)
            if use.repeated_headers:
                text += t("import.table_repeats", count=use.repeated_headers)
        else:
            text = t("import.table_skipped", table=use.label, rows=use.rows,
                     columns=use.columns, why=t(use.why))
        w.line(0, "# " + comment(text))
    for inferred in draft.inferred:
        w.line(0, "# " + comment(t("import.yaml.inferred", what=inferred)))
    if draft.unparsed:
        w.line(0, "# " + t("import.yaml.unparsed", count=len(draft.unparsed)))
        for item in draft.unparsed:
            w.line(0, "#   " + comment(t("import.unparsed_line", where=item.where,
                                           text=_clip(item.text), why=t(item.why))))
    else:
        w.line(0, "# " + t("import.yaml.all_parsed"))
    w.line(0, "# " + comment(counts(draft)))


def _clip(text: str, limit: int = 60) -> str:
    text = comment(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def counts(draft: Draft) -> str:
    nodes = draft.walk()
    leaves = [n for n in nodes if not n.children]
    clauses = sum(len(n.clauses) for n in nodes)
    evidence = sum(len(n.evidence) + sum(len(c.evidence) for c in n.clauses) for n in nodes)
    total = sum(n.points or 0 for n in draft.indicators if not n.bonus)
    return t("import.counts", top=len(draft.indicators), leaves=len(leaves), clauses=clauses,
             evidence=evidence, total=points.number(draft.points if draft.points is not None
                                                    else total))
