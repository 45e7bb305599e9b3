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
    """Put ``name`` right-aligned into ``footer``: in cwa's own line when it has one, else
    in the footer's empty paragraph (Word and WPS leave one), else in a new line. The line
    looks like the rest of the footer — its paragraph style and its text's font and size —
    or takes the document's Footer style (页脚), never the body's size and indents."""
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
        model = next((p for p in reversed(footer.paragraphs) if not _empty(p)), None)
        empty = [p for p in footer.paragraphs if _empty(p)]
        paragraph = empty[-1] if empty else footer.add_paragraph()
        for run in paragraph.runs:
            run._r.getparent().remove(run._r)
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(BOOKMARK_ID + number))
        start.set(qn("w:name"), f"{MARK}{number}")
        end.set(qn("w:id"), str(BOOKMARK_ID + number))
        paragraph._p.append(start)
        run = paragraph.add_run(name)
        paragraph._p.append(end)
        _footer_look(footer, paragraph, run, model)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _empty(paragraph: Any) -> bool:
    """A paragraph that shows nothing: no text, field, picture, tab or break."""
    return not paragraph._p.xpath(
        ".//w:t[string-length(.) > 0] | .//w:fldChar | .//w:fldSimple | .//w:instrText"
        " | .//w:drawing | .//w:pict | .//w:object | .//w:tab | .//w:br | .//w:sym")


def _footer_look(footer: Any, paragraph: Any, run: Any, model: Any) -> None:
    """The style of the footer's own text (``model``), else the document's Footer style
    (made, 9 pt, when the document has none); no indents, whatever the style inherits."""
    import copy

    from docx.oxml.ns import qn

    if model is not None:
        paragraph.style = model.style
        shown = next((r for r in model.runs if r.text.strip()), None)
        rpr = shown._r.rPr if shown is not None else None
        if rpr is not None:
            run._r.insert(0, copy.deepcopy(rpr))
    else:
        paragraph.style = footer_style(footer.part.package.main_document_part.document)
    ppr = paragraph._p.get_or_add_pPr()
    for old in ppr.findall(qn("w:ind")):
        ppr.remove(old)
    indent = ppr.makeelement(qn("w:ind"), {qn(f"w:{k}"): "0" for k in (
        "left", "leftChars", "right", "rightChars", "firstLine", "firstLineChars")})
    ppr.insert_element_before(indent, "w:contextualSpacing", "w:mirrorIndents",
                              "w:suppressOverlap", "w:jc", "w:textDirection",
                              "w:textAlignment", "w:textboxTightWrap",
                              "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
                              "w:sectPr", "w:pPrChange")


def footer_style(document: Any) -> Any:
    """The document's Footer style (页脚); one like Word's (9 pt) when it has none."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    try:
        return document.styles["Footer"]
    except KeyError:
        made = document.styles.add_style("Footer", WD_STYLE_TYPE.PARAGRAPH)
        made.base_style = document.styles["Normal"]
        made.font.size = Pt(9)
        made.paragraph_format.space_before = made.paragraph_format.space_after = Pt(0)
        return made


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
