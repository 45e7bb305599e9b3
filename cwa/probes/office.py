"""Office documents that are zip packages: .docx/.xlsx/.pptx (OOXML), .odt…, .ofd."""

from __future__ import annotations

import zipfile
from typing import Any

from cwa import naming
from cwa.office.package import Refused, check_open
from cwa.probes import Result, damaged, failure, plausible

MAIN_PART = {
    ".docx": "word/document.xml", ".docm": "word/document.xml", ".dotx": "word/document.xml",
    ".xlsx": "xl/workbook.xml", ".xlsm": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml", ".pptm": "ppt/presentation.xml",
    ".odt": "content.xml", ".ods": "content.xml", ".odp": "content.xml",
    ".ofd": "OFD.xml",
}


def probe(path: str, ext: str, title: str, family: str | None, result: Result) -> None:
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            main = MAIN_PART.get(ext)
            if main is not None and main not in names:
                result["issues"].append(damaged("missing_part", part=main))
                return
            try:
                check_open(package)  # before testzip inflates every member
            except Refused as refused:
                result["issues"].append(damaged(refused.reason.replace(".", "_")))
                return
            broken = package.testzip()
            if broken is not None:
                result["issues"].append(damaged("bad_member", member=broken))
                return
    except zipfile.BadZipFile as exc:
        result["issues"].append(failure(exc, path))
        return
    if ext in (".docx", ".docm", ".dotx"):
        _docx(path, title, "docProps/core.xml" in names, result)


def _docx(path: str, title: str, has_core: bool, result: Result) -> None:
    import docx  # python-docx, loaded only where a .docx is opened

    try:
        document = docx.Document(path)
    except Exception as exc:  # python-docx raises many kinds on damaged parts
        result["issues"].append(failure(exc, path))
        return
    body = [p.text for p in document.paragraphs]
    for table in document.tables:
        body += [cell.text for row in table.rows for cell in row.cells]
    chars = sum(len(text.strip()) for text in body)
    result["chars"] = chars
    if chars == 0 and not document.inline_shapes:
        result["issues"].append(["CT006", {}])
    result["footer_name"] = _footer_names(document, title)
    if not has_core:
        return  # python-docx would make up core properties dated today
    core = document.core_properties
    when = core.created or core.modified
    if when is not None and plausible(when.year):
        result["year"] = when.year
        result["year_source"] = "core"


def _footer_names(document: Any, title: str) -> bool:
    """Does a footer of the document carry its name (the title, at least)?"""
    wanted = naming.fold(title)
    if not wanted:
        return False
    from cwa.office.stamp import footers  # one idea of "the footers a document shows"

    for footer in footers(document):
        text = " ".join(p.text for p in footer.paragraphs)
        text += " ".join(c.text for t in footer.tables for r in t.rows for c in r.cells)
        if wanted in naming.fold(text):
            return True
    return False
