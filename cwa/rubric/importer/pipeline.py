"""The whole import: a file → its tables → a draft → rubric YAML, checked by the loader.

Office files are looked at (``cwa.office.package.check``) before python-docx or openpyxl
read them. Old binary formats (.doc, .wps) go through LibreOffice when it is installed; a
PDF is not read: a table in a PDF has lost its cells, and the way back is to open it in
WPS or Word and save it as .docx.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from cwa.errors import CwaError, InvalidFile, Problem
from cwa.messages import t
from cwa.office import package
from cwa.printable import repaired
from cwa.readfile import read_bytes
from cwa.rubric import load, schema
from cwa.rubric.importer import csvfile, excel, word, yamlout
from cwa.rubric.importer.draft import Draft, Unparsed
from cwa.rubric.importer.finish import finish
from cwa.rubric.importer.grid import Grid
from cwa.rubric.importer.tree import Builder
from cwa.rubric.model import Rubric

MAX_BYTES = 64 * 1024 * 1024
WORD = frozenset({".docx", ".docm", ".dotx"})
EXCEL = frozenset({".xlsx", ".xlsm"})
TEXT = frozenset({".csv", ".txt", ".tsv"})
OLD_WORD = frozenset({".doc", ".wps", ".rtf", ".wpt", ".dot"})
OLD_EXCEL = frozenset({".xls", ".et", ".ett"})


@dataclass
class Imported:
    draft: Draft
    text: str  # the YAML
    rubric: Rubric | None  # the YAML loaded back (None when it has errors)
    problems: list[Problem]  # the loader's warnings, or its errors


def import_file(path: Path, shown: str) -> Imported:
    grids, title, outside = read(path, shown)
    # a GBK file name (a table mailed from a Chinese Windows PC, unzipped here): its reading
    draft = Draft(name=title or repaired(path.stem), source=repaired(path.name),
                  titled=bool(title))
    builder = Builder(draft)
    segments = builder.segments(grids)
    if not segments:
        raise CwaError("import.no_table", path=shown, tables=len(grids))
    for segment in segments:
        builder.build(segment)
    finish(draft)
    for text in outside:  # 一票否决 written under the table, not in it
        draft.unparsed.append(Unparsed(t("import.outside_table"), text, "import.why.veto_text"))
    if not draft.indicators:
        raise CwaError("import.no_indicators", path=shown)
    # the schema beside the rubric (``cwa rubric import`` puts it there), never a path into
    # this installation, which a copy mailed on would lose
    text = yamlout.render(draft, schema.SCHEMA_FILE)
    rubric, problems = check(text, path.stem)
    return Imported(draft, text, rubric, problems)


def read(path: Path, shown: str) -> tuple[list[Grid], str, list[str]]:
    """The file's tables, its title (if it shows one) and any 一票否决 text outside them."""
    ext = path.suffix.lower()
    if not path.exists():
        raise CwaError("error.file_not_found", path=shown)
    if ext == ".pdf":
        raise CwaError("import.pdf", path=shown)
    if ext in OLD_EXCEL:
        raise CwaError("import.old_excel", path=shown)
    if ext not in WORD | EXCEL | TEXT | OLD_WORD:
        raise CwaError("import.unsupported", path=shown)
    if ext in OLD_WORD:
        from cwa.office.convert import to_docx

        read_bytes(path, shown, MAX_BYTES)  # a missing or unreadable file says so first
        data = to_docx(path)
        if data is None:
            raise CwaError("import.old_word", path=shown)
        ext = ".docx"
    else:
        data = read_bytes(path, shown, MAX_BYTES)
    if ext in TEXT:
        return [csvfile.read(data, shown)], "", []
    try:
        package.check(data)
    except package.Refused as refused:
        raise CwaError("import.refused", path=shown, why=t(refused.reason)) from None
    try:
        if ext in EXCEL:
            return excel.read(data), "", []  # a title row above the header names it
        document = word.read(data)
    except CwaError:
        raise
    except Exception as exc:  # a damaged package: python-docx and openpyxl raise anything
        raise CwaError("import.damaged", path=shown,
                       error=f"{type(exc).__name__}: {exc}"[:200]) from None
    outside = [p for p in document.paragraphs if ("一票否决" in p or "负面清单" in p)]
    return document.grids, document.title, outside


def check(text: str, stem: str) -> tuple[Rubric | None, list[Problem]]:
    """Load the YAML as ``cwa rubric validate`` would."""
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / f"{stem or 'rubric'}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            rubric, warnings = load.load(path, path.name)
        except InvalidFile as exc:
            return None, exc.problems
    return rubric, warnings
