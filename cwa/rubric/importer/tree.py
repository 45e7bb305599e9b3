"""Rows of a 测评体系 table → a tree of indicators, clauses and evidence.

Two passes over the rows of each table (tables split across pages joined first):

1. The level columns (测评项目, 测评指标…) make the indicators. A cell merged down from
   the row above, an empty cell under a filled one, or the same text again continues the
   indicator above; a cell merged sideways with the level before it means the row stops
   at that level. A row spanning the whole table is a section heading, a 合计 row, a
   一票否决 list or a note.
2. Every other cell goes to what it spans: the deepest indicator whose rows contain the
   cell's rows, or the clause of that row when the cell covers one 测评标准 row of a
   longer indicator. A 测评标准 cell becomes the clauses of a leaf (``standard`` text on a
   parent); points, methods, materials, departments and deadlines go where they span.

Nothing is dropped: what is not data goes into a note and into ``Draft.unparsed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cwa import naming
from cwa.messages import t
from cwa.rubric import methods as vocab
from cwa.rubric.importer import clauses as clause_text
from cwa.rubric.importer import departments, headers, materials, numbering, points
from cwa.rubric.importer import methods as method_text
from cwa.rubric.importer.draft import (
    Draft,
    DraftClause,
    DraftIndicator,
    DraftVeto,
    TableUse,
    Unparsed,
)
from cwa.rubric.importer.grid import Cell, Grid, column_letter
from cwa.rubric.importer.headers import Column, Header
from cwa.rubric.importer.word import title as word_title

_TOTAL = re.compile(r"^\s*(?:合\s*计|总\s*计|总\s*分|满\s*分|总分值)\s*[:：]?")
_VETO = re.compile(r"一票否决|负面清单|否决项|减分项|扣分项")
_BONUS = re.compile(r"加分|特色指标|特色工作|创新工作|附加分")
_NOTE_ROW = re.compile(r"^\s*(?:说明|注|备注|附注|填表说明)\s*[:：]")
_FIELD_ORDER = (headers.STANDARD, headers.POINTS, headers.METHOD, headers.MATERIALS,
                headers.OWNERS, headers.DEADLINE, headers.NUMBER, headers.NOTE, "")


@dataclass
class Row:
    grid: Grid
    index: int  # row in its grid
    number: int  # row among the segment's data rows
    path: list[DraftIndicator] = field(default_factory=list)  # top → deepest
    after_break: bool = False  # first row after a page break (a repeated header, a new table)


@dataclass
class Segment:
    """One rubric table (or several: a table split across pages) with its header."""

    header: Header
    rows: list[Row] = field(default_factory=list)


class Builder:
    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.known = vocab.vocabulary()
        self.clause_rows: dict[int, set[int]] = {}  # id(clause) → the rows it came from
        self.parents: dict[int, DraftIndicator | None] = {}  # id(node) → its parent

    # -- tables ----------------------------------------------------------------------
    def segments(self, grids: list[Grid]) -> list[Segment]:
        out: list[Segment] = []
        previous: Grid | None = None
        for grid in grids:
            use = TableUse(grid.label, len(grid.rows), grid.width, used=False)
            self.draft.tables.append(use)
            header = headers.find(grid)
            start = 0
            if header is None:
                if not self._continues(grid, previous, out):
                    use.why = "import.why.no_header" if grid.rows else "import.why.empty"
                    previous = None
                    continue
                segment = out[-1]
                use.why = "import.why.continued"
                self.draft.inferred.append(t("import.inferred.continued", table=grid.label,
                                             previous=segment.rows[-1].grid.label
                                             if segment.rows else ""))
            else:
                start = header.row + 1
                self._above(grid, header)
                if out and previous is not None and \
                        header.signature == out[-1].header.signature:
                    segment = out[-1]  # the same table, continued on the next page
                    use.why = "import.why.continued"
                else:
                    segment = Segment(header)
                    out.append(segment)
            use.used = True
            broken = bool(segment.rows)  # a continuation starts after a page break
            for r in range(start, len(grid.rows)):
                row = grid.rows[r]
                if not any(cell.text for cell in row):
                    continue
                if headers.repeats(row, segment.header):
                    use.repeated_headers += 1
                    broken = True
                    continue
                use.first = use.first or r + 1
                use.last = r + 1
                segment.rows.append(Row(grid, r, len(segment.rows), after_break=broken))
                broken = False
            previous = grid
        return out

    def _above(self, grid: Grid, header: Header) -> None:
        """Rows above the header: the 测评体系's title (when the file gave none), or notes."""
        for r in range(header.rows[0]):
            text = "　".join(dict.fromkeys(c.text for c in grid.rows[r] if c.text))
            if not text:
                continue
            if not self.draft.titled and word_title([text]):
                self.draft.name, self.draft.titled = clause_text.one_line(text), True
                continue
            self.draft.notes.append(clause_text.one_line(text))
            self.draft.unparsed.append(Unparsed(self.ref(grid, (r, 0), ""), text,
                                                "import.why.above_header"))

    @staticmethod
    def _continues(grid: Grid, previous: Grid | None, out: list[Segment]) -> bool:
        """A table without a header right after a rubric table of the same width, whose
        level or standard columns hold text: the rest of that table."""
        if previous is None or not out or grid.width != previous.width or not grid.rows:
            return False
        wanted = [c.index for c in out[-1].header.columns
                  if c.field in (headers.LEVEL, headers.STANDARD)]
        return any(row[c].text for row in grid.rows for c in wanted if c < len(row))

    # -- pass 1: indicators ------------------------------------------------------------
    def build(self, segment: Segment) -> None:
        header = segment.header
        levels = [c for c in header.columns if c.field == headers.LEVEL]
        if not levels:  # only a standard column: each row's standard is a leaf's name
            levels = [c for c in header.columns if c.field == headers.STANDARD][:1]
        others = self._other_columns(header, levels)
        previous: list[DraftIndicator | None] = [None] * len(levels)
        previous_cells: list[tuple[int, tuple[int, int]] | None] = [None] * len(levels)
        section: DraftIndicator | None = None
        for row in segment.rows:
            cells = row.grid.rows[row.index]
            wide = self._wide_row(cells, header)
            if wide is not None:
                before_section = section
                section = self._wide(wide, row, section)
                if section is not before_section:  # a new heading: levels start again
                    previous = [None] * len(levels)
                    previous_cells = [None] * len(levels)
                continue
            if self._total(cells, levels, header):
                continue
            path: list[DraftIndicator] = [section] if section is not None else []
            changed = False
            for i, column in enumerate(levels):
                cell = cells[column.index]
                if i and cell.origin == cells[levels[i - 1].index].origin:
                    break  # merged sideways with the level before: the row stops there
                before = previous[i]
                here = (id(row.grid), cell.origin)
                same_cell = previous_cells[i] == here
                if before is not None and not changed and (
                        same_cell or not cell.text or _same_text(cell.text, before)):
                    node = before
                elif not cell.text:
                    break
                else:
                    node = self._indicator(cell, row, column, path[-1] if path else None)
                    changed = True
                previous[i], previous_cells[i] = node, here
                path.append(node)
            for j in range(len(path) - (1 if section is not None else 0), len(levels)):
                previous[j] = None
                previous_cells[j] = None
            if not path or (section is not None and len(path) == 1 and levels):
                self._orphan(row, cells, header)
                continue
            for node in path:
                if not node.rows or node.rows[-1] != row.number:
                    node.rows.append(row.number)
            row.path = path
        self._cells(segment, levels, others)

    def _other_columns(self, header: Header, levels: list[Column]) -> list[Column]:
        """Every column that is not a level, with a field for each: the first column of a
        field keeps it; a later one (its own header) becomes a note column."""
        taken: dict[str, str] = {}
        out = []
        for column in header.columns:
            if column in levels or column.field == headers.IGNORED:
                continue
            if column.field and column.field != headers.NOTE:
                first = taken.setdefault(column.field, column.header)
                if first != column.header:
                    column = Column(column.index, headers.NOTE, column.header)
            out.append(column)
        return out

    def _indicator(self, cell: Cell, row: Row, column: Column,
                   parent: DraftIndicator | None) -> DraftIndicator:
        owners, text = departments.extract(cell.text)
        numbered = numbering.parse(text)
        written = numbered.code if numbered else ""
        rest = numbered.rest if numbered else text
        stated, rest = points.in_text(rest)
        name = clause_text.one_line(rest).strip(" 。；;：:，,、") or clause_text.one_line(text)
        node = DraftIndicator(name=name, written_code=written, points=stated, owners=owners,
                              source=self.ref(row.grid, cell.origin, column.header))
        if stated is not None:
            node.inferred.append(t("import.inferred.points_in_name", points=points.number(
                stated)))
        if owners:
            node.inferred.append(t("import.inferred.owners_in_text", owners="、".join(owners)))
        if parent is None:
            if _BONUS.search(name):
                node.bonus = True
                node.inferred.append(t("import.inferred.bonus"))
            self.draft.indicators.append(node)
        else:
            parent.children.append(node)
        self.parents[id(node)] = parent
        return node

    def _wide_row(self, cells: list[Cell], header: Header) -> Cell | None:
        """A row whose named columns are one cell: a heading, a total or a note."""
        named = [cells[c.index] for c in header.columns
                 if c.field and c.field != headers.IGNORED and c.index < len(cells)]
        if len(named) >= 2 and len({c.origin for c in named}) == 1 and named[0].text:
            return named[0]
        return None

    def _wide(self, cell: Cell, row: Row, section: DraftIndicator | None
              ) -> DraftIndicator | None:
        where = self.ref(row.grid, cell.origin, "")
        text = cell.text
        if _TOTAL.match(text):
            total = points.value(_TOTAL.sub("", text)) or points.in_text(text)[0]
            if total is not None:
                self.draft.points = total
                return section
        if _NOTE_ROW.match(text):
            self.draft.notes.append(clause_text.one_line(text))
            self.draft.unparsed.append(Unparsed(where, text, "import.why.note_row"))
            return section
        if _VETO.search(text) and self._vetoes(text, where):
            return None
        node = self._indicator(cell, row, Column(cell.origin[1], headers.LEVEL, ""), None)
        node.inferred.append(t("import.inferred.section"))
        return node

    def _vetoes(self, text: str, where: str) -> bool:
        """A row listing 一票否决 / 负面清单 items: vetoes. A bare heading (``二、一票否决``)
        is none: it becomes a section whose rows ``finish`` turns into vetoes."""
        items = numbering.items(text)
        if items:
            entries = [i.text for i in items if i.number]
        else:
            colon = re.search(r"[:：]", text)
            rest = text[colon.end():].strip() if colon else ""
            if len(rest) < 4:
                return False
            entries = [rest]
        for entry in entries:
            entry = clause_text.one_line(entry)
            if entry:
                self.draft.vetoes.append(DraftVeto(str(len(self.draft.vetoes) + 1), entry,
                                                   points.deduction(entry), where))
        return True

    def _total(self, cells: list[Cell], levels: list[Column], header: Header) -> bool:
        first = next((cells[c.index].text for c in levels if cells[c.index].text), "")
        if not _TOTAL.match(first):
            return False
        value = None
        for column in header.columns:
            if column.field == headers.POINTS:
                value = points.value(cells[column.index].text)
        if value is None:
            value = points.in_text(first)[0] or points.value(_TOTAL.sub("", first))
        if value is None:  # no 分值 column: the one number the row holds
            numbers = {points.value(c.text) for c in cells if c.text and c.text != first}
            numbers.discard(None)
            value = numbers.pop() if len(numbers) == 1 else None
        if value is not None:
            self.draft.points = value
        return True

    def _orphan(self, row: Row, cells: list[Cell], header: Header) -> None:
        text = "　".join(dict.fromkeys(c.text for c in cells if c.text))
        self.draft.unparsed.append(Unparsed(self.ref(row.grid, (row.index, 0), ""), text,
                                            "import.why.no_indicator"))
        self.draft.notes.append(clause_text.one_line(text))

    # -- pass 2: the other cells ---------------------------------------------------------
    def _cells(self, segment: Segment, levels: list[Column], others: list[Column]) -> None:
        rows = [r for r in segment.rows if r.path]
        for wanted in _FIELD_ORDER:
            for column in others:
                if column.field != wanted:
                    continue
                for cell, covered in self._column_cells(rows, column, levels):
                    self._place(column, cell, covered)

    def _column_cells(self, rows: list[Row], column: Column, levels: list[Column]
                      ) -> list[tuple[Cell, list[Row]]]:
        """The distinct cells of a column, each with the rows it covers; a cell merged
        with a level cell is that level's name, not content."""
        groups: dict[tuple[int, tuple[int, int]], tuple[Cell, list[Row]]] = {}
        alias: dict[tuple[int, tuple[int, int]], tuple[int, tuple[int, int]]] = {}
        last: tuple[Row, tuple[int, tuple[int, int]]] | None = None
        for row in rows:
            cells = row.grid.rows[row.index]
            cell = cells[column.index]
            key = (id(row.grid), cell.origin)
            if not cell.text and key not in alias and row.after_break and last is not None \
                    and last[0].path[-1] is row.path[-1]:
                alias[key] = last[1]  # a merged cell cut by a page break goes on
            key = alias.get(key, key)
            if key not in groups and (not cell.text or any(
                    cell.origin == cells[lv.index].origin for lv in levels)):
                last = None
                continue
            if key in groups:
                groups[key][1].append(row)
            else:
                groups[key] = (cell, [row])
            last = (row, key)
        return list(groups.values())

    def _target(self, covered: list[Row]) -> list[tuple[DraftIndicator, list[Row]]]:
        """The deepest indicator whose rows hold all ``covered``; or, when the cell spans
        several top-level indicators, each of them with its rows."""
        numbers = {r.number for r in covered}
        for node in reversed(covered[0].path):
            if numbers <= set(node.rows):
                return [(node, covered)]
        by_top: dict[int, tuple[DraftIndicator, list[Row]]] = {}
        for row in covered:
            top = row.path[0]
            by_top.setdefault(id(top), (top, []))[1].append(row)
        return list(by_top.values())

    def _place(self, column: Column, cell: Cell, covered: list[Row]) -> None:
        where = self.ref(covered[0].grid, cell.origin, column.header)
        for node, rows in self._target(covered):
            if column.field == headers.STANDARD:
                self._standard(node, cell.text, rows, where)
                continue
            clause = self._clause_of(node, rows)
            handler = {
                headers.POINTS: self._points, headers.METHOD: self._methods,
                headers.MATERIALS: self._materials, headers.OWNERS: self._owners,
                headers.DEADLINE: self._deadline, headers.NUMBER: self._number,
            }.get(column.field, self._note)
            handler(node, clause, cell.text, where, column.header or t(
                "import.column_label", column=column.index + 1))

    def _clause_of(self, node: DraftIndicator, rows: list[Row]) -> list[DraftClause]:
        """The clauses a cell covering ``rows`` of ``node`` speaks for: none when it covers
        the whole indicator."""
        numbers = {r.number for r in rows}
        if numbers == set(node.rows) or node.children:
            return []
        return [c for c in node.clauses if self.clause_rows.get(id(c), set()) & numbers]

    def _standard(self, node: DraftIndicator, text: str, rows: list[Row], where: str) -> None:
        owners, text = departments.extract(text)
        self._add_owners(node, owners)
        if node.children:  # a parent's standard is text, its children hold the clauses
            node.standard = "\n".join(filter(None, [node.standard, text]))
            return
        split = clause_text.split(text)
        if split.grading:
            node.grading = split.grading
            node.inferred.append(t("import.inferred.grading", words=split.grading_text))
        if split.intro:
            node.notes.append(split.intro)
        numbers = {r.number for r in rows}
        for code, body in split.clauses:
            if len(split.clauses) == 1:  # one clause a row: its own number, or the next
                single = numbering.parse(body)
                if single is not None and single.style not in ("space", "roman"):
                    code, body = str(single.number or code), single.rest
                else:
                    code = str(len(node.clauses) + 1)
            stated, deduct = clause_text.measure(body)
            clause = DraftClause(code=code, text=body, points=stated, deduct=deduct,
                                 source=where)
            if deduct is not None:
                clause.inferred.append(t("import.inferred.deduct", points=points.number(
                    deduct)))
            node.clauses.append(clause)
            self.clause_rows[id(clause)] = numbers

    def _points(self, node: DraftIndicator, clauses: list[DraftClause], text: str, where: str,
                header: str) -> None:
        value = points.value(text)
        if value is None:
            self.draft.unparsed.append(Unparsed(where, text, "import.why.points"))
            node.notes.append(f"{header}：{text}")
            return
        if len(clauses) == 1:
            clauses[0].points = value
        elif clauses:
            self.draft.unparsed.append(Unparsed(where, text, "import.why.points_clauses"))
            node.notes.append(f"{header}：{text}")
        else:
            if node.points is not None and abs(node.points - value) > 1e-9:
                node.inferred.append(t("import.inferred.points_differ", column=points.number(
                    value), name=points.number(node.points)))
            node.points = value
            if _BONUS.search(text) and self.parents.get(id(node)) is None:
                node.bonus = True

    def _methods(self, node: DraftIndicator, clauses: list[DraftClause], text: str,
                 where: str, header: str) -> None:
        numbers = {naming.ascii_digits(c.code) for c in node.clauses} if not clauses else set()
        parsed = method_text.parse(text, {**self.known, **self.draft.methods}, numbers)
        for word, cls in parsed.new_words.items():
            if word not in self.draft.methods:
                self.draft.methods[word] = cls
                self.draft.inferred.append(t("import.inferred.method_word", word=word,
                                             cls=t(f"method.class.{cls}")))
        for word in parsed.unknown:
            self.draft.unparsed.append(Unparsed(where, word, "import.why.method"))
        if parsed.unknown:
            node.notes.append(f"{header}：{text}")
        if parsed.numbers_dropped:
            node.inferred.append(t("import.inferred.method_numbers",
                                   words="；".join(parsed.numbers_dropped)))
        targets: list[DraftClause] | list[DraftIndicator] = clauses or [node]
        for target in targets:
            for entry in parsed.entries:
                if entry not in target.methods:
                    target.methods.append(entry)

    def _materials(self, node: DraftIndicator, clauses: list[DraftClause], text: str,
                   where: str, header: str) -> None:
        owners, text = departments.extract(text)
        self._add_owners(node, owners)
        items = materials.read(text)
        if not items:
            self.draft.unparsed.append(Unparsed(where, text, "import.why.materials"))
        if len(clauses) == 1:
            clause = clauses[0]
            clause.evidence += items
            clause.note = "\n".join(filter(None, [clause.note, text]))
        else:
            node.evidence += items
            node.notes.append(f"{header}：{text}")

    def _owners(self, node: DraftIndicator, clauses: list[DraftClause], text: str, where: str,
                header: str) -> None:
        self._add_owners(node, departments.split(departments.extract(text)[1] or text))

    def _deadline(self, node: DraftIndicator, clauses: list[DraftClause], text: str,
                  where: str, header: str) -> None:
        node.notes.append(f"{header}：{text}")
        items = [e for c in clauses for e in c.evidence] if clauses else node.evidence
        m = re.search(r"(\d{1,2})\s*月\s*(?:底|末)?\s*(?:前|之前)", naming.ascii_digits(text))
        for item in items:
            if m and (item.per_year or item.cadence) and item.deadline is None \
                    and 1 <= int(m.group(1)) <= 12:
                item.deadline = int(m.group(1))
                item.inferred.append(t("import.inferred.deadline", month=item.deadline,
                                       words=text))

    def _number(self, node: DraftIndicator, clauses: list[DraftClause], text: str,
                where: str, header: str) -> None:
        value = naming.ascii_digits(text).strip(" .、．")
        if re.fullmatch(r"\d{1,3}(?:\.\d{1,3})*", value) and not clauses \
                and not node.written_code:
            node.written_code = value

    def _note(self, node: DraftIndicator, clauses: list[DraftClause], text: str, where: str,
              header: str) -> None:
        if len(clauses) == 1:
            clauses[0].note = "\n".join(filter(None, [clauses[0].note, f"{header}：{text}"]))
        else:
            node.notes.append(f"{header}：{text}")

    @staticmethod
    def _add_owners(node: DraftIndicator, owners: list[str]) -> None:
        for owner in owners:
            if owner not in node.owners:
                node.owners.append(owner)

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def ref(grid: Grid, origin: tuple[int, int], header: str) -> str:
        row, column = origin
        if grid.kind == "xlsx":
            place = t("import.ref.xlsx", table=grid.label,
                      cell=f"{column_letter(column)}{row + 1}")
        else:
            place = t("import.ref.table", table=grid.label, row=row + 1, column=column + 1)
        return place + (t("import.ref.header", header=clause_text.one_line(header))
                        if header else "")


def _same_text(text: str, node: DraftIndicator) -> bool:
    """A level cell repeating the indicator above (a table that repeats instead of
    merging)."""
    numbered = numbering.parse(text)
    rest = points.in_text(numbered.rest if numbered else text)[1]
    name = clause_text.one_line(departments.extract(rest)[1]).strip(" 。；;：:，,、")
    return naming.fold(name) == naming.fold(node.name)
