"""The document's own name, right-aligned, in every footer it uses.

The scheme asks that every document carry its name (``01：创建领导小组文件``) in its
footer, right-aligned, so a reader always knows which document is open. ``stamp`` adds a
paragraph with the name to each footer a document uses — default, first page, even pages,
in every section that has footers of its own — and keeps what was there (page numbers,
text, fields). cwa's paragraph is marked with a hidden bookmark (``_cwaStamp…``), so a
later stamp after a rename replaces it instead of adding a second line; a footer that
already shows the name is left alone. Nothing is saved when nothing would change.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

MARK = "_cwaStamp"
BOOKMARK_ID = 8_190_000  # far above the ids Word gives its own bookmarks


def footers(document: Any) -> Iterator[Any]:
    """Every footer the document shows — default, first page where a section has its own
    first page, even pages where the document has them — once per footer part. A footer
    linked to earlier sections resolves to the definition it inherits; where none was
    ever made, python-docx makes one at the start of the chain, so the page shows it."""
    even = document.settings.odd_and_even_pages_header_footer
    seen: set[str] = set()
    for section in document.sections:
        variants = [section.footer]
        if section.different_first_page_header_footer:
            variants.append(section.first_page_footer)
        if even:
            variants.append(section.even_page_footer)
        for footer in variants:
            part = str(footer.part.partname)
            if part not in seen:
                seen.add(part)
                yield footer


def _ours(paragraph: Any) -> bool:
    return any(name.startswith(MARK) for name in paragraph._p.xpath(
        "./w:bookmarkStart/@w:name"))


def needed(footer: Any, name: str) -> bool:
    """Does this footer need a (new) stamp?"""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    ours = [p for p in footer.paragraphs if _ours(p)]
    if ours:
        return not (len(ours) == 1 and ours[0].text == name
                    and ours[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT)
    return not any(name in p.text for p in footer.paragraphs)


def stamp_footer(footer: Any, name: str, number: int) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ours = [p for p in footer.paragraphs if _ours(p)]
    for extra in ours[1:]:
        extra._p.getparent().remove(extra._p)
    if ours:
        paragraph = ours[0]
        for run in paragraph.runs:
            run._r.getparent().remove(run._r)
        end = paragraph._p.xpath("./w:bookmarkEnd")
        run = paragraph.add_run(name)
        if end:  # keep the text inside the bookmark
            end[0].addprevious(run._r)
    else:
        paragraph = footer.add_paragraph()
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(BOOKMARK_ID + number))
        start.set(qn("w:name"), f"{MARK}{number}")
        end.set(qn("w:id"), str(BOOKMARK_ID + number))
        paragraph._p.append(start)
        paragraph.add_run(name)
        paragraph._p.append(end)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def stamped(data: bytes, name: str) -> bytes | None:
    """The document with its name stamped, or None when every footer already shows it."""
    import docx

    document = docx.Document(io.BytesIO(data))
    todo = [f for f in footers(document) if needed(f, name)]
    if not todo:
        return None
    for number, footer in enumerate(footers(document), start=1):
        if needed(footer, name):
            stamp_footer(footer, name, number)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
