"""Chinese typesetting for the documents cwa makes (album, catalogue).

python-docx's template is English: theme fonts (Calibri, with a Japanese ``ＭＳ 明朝`` for
East Asian text), a blue ``Heading 1``, a bold blue ``Caption``. A Chinese archive's
documents use 宋体 for titles and tables, 仿宋 for text, 黑体 for emphasis, black, with
Times New Roman for Latin letters and digits. Every font is set on the East Asian slot as
well as the Latin ones (Word picks the slot by character), and the font table names the
Windows family and GB2312 character set of each, so Word and LibreOffice substitute a
Chinese font of the same kind where the named one is missing (WPS, macOS, Linux).
"""

from __future__ import annotations

from typing import Any

SONG, FANGSONG, HEI = "宋体", "仿宋", "黑体"
LATIN = "Times New Roman"
#: name → (Windows family name, PANOSE, family): what a substitute must look like.
FONTS = {
    SONG: ("SimSun", "02010600030101010101", "auto"),
    FANGSONG: ("FangSong", "02010609060101010101", "modern"),
    HEI: ("SimHei", "02010609060101010101", "modern"),
}


def prepare(document: Any) -> None:
    """Chinese defaults: every run 宋体 / Times New Roman, black, language zh-CN; the
    font table entries that let a reader substitute; Normal without spacing after."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, SONG)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(0)
    _fonts(normal.element.get_or_add_rPr(), SONG)
    _font_table(document)


def style(document: Any, name: str, east: str, size: float, bold: bool = False,
          center: bool = False, before: float = 0, after: float = 0) -> Any:
    """A paragraph style (built-in ones are reset: no colour, no border, no theme font)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    try:
        found = document.styles[name]
    except KeyError:
        found = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        found.base_style = document.styles["Normal"]
    ppr = found.element.get_or_add_pPr()
    for inherited in ppr.findall(qn("w:pBdr")) + ppr.findall(qn("w:contextualSpacing")):
        ppr.remove(inherited)  # the template's Title: a rule below, spacing ignored
    found.font.size = Pt(size)
    found.font.bold = bold
    found.font.italic = False
    found.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(found.element.get_or_add_rPr(), east)
    paragraph = found.paragraph_format
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else None
    paragraph.space_before, paragraph.space_after = Pt(before), Pt(after)
    paragraph.first_line_indent = None
    return found


def font(run: Any, east: str, size: float | None = None, bold: bool | None = None) -> Any:
    """Set a run's font on every slot (East Asian too)."""
    from docx.shared import Pt

    _fonts(run._r.get_or_add_rPr(), east)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    return run


def _fonts(rpr: Any, east: str) -> None:
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:hint"), "eastAsia")


def _font_table(document: Any) -> None:
    """Declare 宋体/仿宋/黑体 with their Windows names and the GB2312 character set."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree  # type: ignore[import-untyped]  # python-docx depends on lxml

    part = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    w = root.nsmap["w"]
    known = {f.get(f"{{{w}}}name") for f in root}
    for name, (alt, panose, family) in FONTS.items():
        if name in known:
            continue
        entry = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        for tag, value in (("altName", alt), ("panose1", panose), ("charset", "86"),
                           ("family", family), ("pitch", "variable")):
            etree.SubElement(entry, f"{{{w}}}{tag}", {f"{{{w}}}val": value})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                standalone=True)
