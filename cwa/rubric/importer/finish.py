"""The tree made whole once every row is read: 一票否决 / 减分 items as vetoes, a lone
clause as the indicator's standard, points added up where only the parts state them,
codes (the table's own when they are unique, else 1 / 1.2 / 1.2.3), sibling names
unique."""

from __future__ import annotations

import re

from cwa import naming
from cwa.messages import t
from cwa.rubric.importer import points
from cwa.rubric.importer.draft import Draft, DraftIndicator, DraftVeto

_VETO = re.compile(r"一票否决|负面清单|否决项|减分项|扣分项|扣分事项")


def finish(draft: Draft) -> None:
    _vetoes(draft)
    for node in draft.walk():
        _clauses(node)
    for node in draft.indicators:
        _sum_points(node)
    _codes(draft)
    _unique_names(draft.indicators)


def _vetoes(draft: Draft) -> None:
    """A top-level 一票否决 / 负面清单 / 减分项 is no folder: its items are declarations."""
    kept = []
    for node in draft.indicators:
        if not _VETO.search(node.name):
            kept.append(node)
            continue
        texts = [(c.text, c.deduct, c.source) for c in node.clauses]
        for child in node.walk()[1:]:
            texts.append((child.name + (f"：{child.standard}" if child.standard else ""),
                          points.deduction(child.standard or child.name), child.source))
            texts += [(c.text, c.deduct, c.source) for c in child.clauses]
        if not texts and node.standard:
            texts.append((node.standard, points.deduction(node.standard), node.source))
        if not texts:  # the item is the name itself: 党风廉政（一票否决）
            texts.append((node.name, points.deduction(node.name), node.source))
        for text, deduct, source in texts:
            draft.vetoes.append(DraftVeto(str(len(draft.vetoes) + 1), text.replace("\n", ""),
                                          deduct, source))
        draft.inferred.append(t("import.inferred.vetoes", name=node.name, count=len(texts)))
    draft.indicators = kept


def _clauses(node: DraftIndicator) -> None:
    if not node.clauses:
        return
    codes = [c.code for c in node.clauses]
    if len(set(codes)) != len(codes):
        for i, clause in enumerate(node.clauses, start=1):
            clause.code = str(i)
        node.inferred.append(t("import.inferred.clause_numbers"))
    if len(node.clauses) == 1 and not node.grading:
        clause = node.clauses[0]
        if not clause.methods and not clause.evidence and clause.deduct is None and (
                clause.points is None or node.points is None
                or abs(clause.points - node.points) < 1e-9):
            node.standard = "\n".join(filter(None, [node.standard, clause.text]))
            if clause.note:
                node.notes.append(clause.note)
            if node.points is None and clause.points is not None:
                node.points = clause.points
                node.inferred.append(t("import.inferred.points_in_standard",
                                       points=points.number(clause.points)))
            node.clauses = []


def _sum_points(node: DraftIndicator) -> None:
    for child in node.children:
        _sum_points(child)
    if node.points is not None:
        return
    parts = [c.points for c in node.children if not c.bonus] if node.children else \
        [c.points for c in node.clauses if c.deduct is None]  # 扣N分 clauses add nothing
    if parts and all(p is not None for p in parts):
        node.points = sum(p for p in parts if p is not None)
        node.inferred.append(t("import.inferred.points_sum", points=points.number(
            node.points)))


def _codes(draft: Draft) -> None:
    """The table's own codes when every indicator has one and none repeats (Ⅰ-1, Ⅱ-3,
    1.2); else codes from the numbers by level (一、→ 1, （二）→ 1.2), or positions."""
    nodes = draft.walk()
    written = [n.written_code for n in nodes]
    if all(written) and len(set(written)) == len(written) and \
            any(("-" in w or "." in w) for w in written):
        for node in nodes:
            node.code = node.written_code
        return
    _dotted(draft.indicators, "")


def _dotted(nodes: list[DraftIndicator], prefix: str) -> None:
    numbers = [_number(n.written_code) for n in nodes]
    usable = all(numbers) and len(set(numbers)) == len(numbers)
    for position, node in enumerate(nodes, start=1):
        number = numbers[position - 1] if usable else position
        node.code = f"{prefix}{number}"
        if node.written_code and node.written_code != node.code:
            node.inferred.append(t("import.inferred.code", written=node.written_code))
        _dotted(node.children, node.code + ".")


def _number(code: str) -> int | None:
    found = re.findall(r"\d+", code)
    return int(found[-1]) if found else None


def _unique_names(nodes: list[DraftIndicator]) -> None:
    seen: dict[str, int] = {}
    for node in nodes:
        key = naming.fold(node.name)
        if key in seen:
            seen[key] += 1
            node.name = f"{node.name}（{seen[key]}）"
            node.inferred.append(t("import.inferred.name_repeated"))
        else:
            seen[key] = 1
        _unique_names(node.children)
