"""A photo album (图片汇编, .docx) of an indicator's photos, each with its caption.

Laid out as a clerk lays one out by hand: A4, an optional cover (单位、指标、年度), the
title on the first page, one or two photos a page — each page starts with its first photo,
so a full page never leaves a blank one behind — each photo turned upright (EXIF),
downscaled for size but never shown larger than it is (96 dpi, as Word inserts it), and
under it its number (图1, 图2…) and a caption block that gives each element once:

    图1　事由：学雷锋志愿服务
    时间：2025年3月5日　　　　　地点：城东社区
    人物：青年志愿者　　　　　　摄影者：李四
    背景：＿＿＿＿

The elements come from ``cwa.caption`` (the photo's same-name ``.txt``, else its EXIF/IPTC
caption; the EXIF date and artist fill 时间 and 摄影者); what is unknown is left as a line
to fill in by hand — never the file name, which names the document, not the scene. The
document is typeset in Chinese (``cwa.office.typeset``) whatever the interface language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cwa import caption, kinds, naming
from cwa.office import typeset
from cwa.printable import xml_safe

BLANK = "＿＿＿＿"
DPI = 96  # a picture's natural size in Word: pixels at 96 per inch
CM_PER_INCH = 2.54
WIDTH = 16.0  # cm between the margins of A4 with 2.5 cm margins
BOXES = {1: (WIDTH, 17.0), 2: (WIDTH, 8.0)}  # the room a photo has, by photos a page
CAPTION_PT = 12  # 小四
TAB_CM = 8.0  # second column of the caption block, from the margin
MIN_BLOCK = 12.0  # cm: a caption block under a narrow (portrait) photo is still this wide


@dataclass(frozen=True)
class Cover:
    """What the cover says: 单位, 指标 and 年度 (each may be unknown)."""

    unit: str | None
    indicator: str
    years: str | None


@dataclass
class Album:
    data: bytes = b""
    photos: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    incomplete: list[int] = field(default_factory=list)  # 图号 whose caption has blanks


def photos(folder: Path) -> list[Path]:
    found = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()
             and p.suffix.lower() in kinds.IMAGE and not kinds.is_junk(p.name)]
    return sorted(found, key=lambda p: naming.natural_key(p.relative_to(folder).as_posix()))


def caption_of(photo: Path, im: Any) -> caption.Caption:
    """The photo's caption as the album (and ``cwa check --deep``) reads it."""
    from cwa.probes.image import artist, taken
    from cwa.probes.image import caption_of as embedded

    text = caption.sidecar(photo) or embedded(im)
    return caption.read(text, taken(im), artist(im))


def build(folder: Path, title: str, name: str, per_page: int = 2, max_side: int = 1600,
          quality: int = 85, cover: Cover | None = None) -> Album:
    """The album of ``folder``'s photos; ``name`` goes into its footer."""
    from docx import Document
    from docx.shared import Cm

    from cwa.office.stamp import stamp_footer

    album = Album()
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.footer_distance = Cm(1.5)
    typeset.prepare(document)
    typeset.style(document, "Title", typeset.SONG, 18, bold=True, center=True, after=12)
    block = typeset.style(document, "Caption", typeset.FANGSONG, CAPTION_PT)
    block.paragraph_format.tab_stops.add_tab_stop(Cm(TAB_CM))  # from the margin
    body = document.paragraphs[0] if document.paragraphs else None
    if cover is not None:
        _cover(document, cover, title)
    else:
        document.add_paragraph(xml_safe(title), style="Title")
    box = BOXES[per_page]
    for photo in photos(folder):
        shown = _prepared(photo, max_side, quality)
        if isinstance(shown, str):
            album.unreadable.append((photo.name, shown))
            continue
        data, (width, height), read = shown
        first_on_page = album.photos % per_page == 0
        album.photos += 1
        shown_cm = _photo(document, data, width, height, box, album.photos,
                          new_page=first_on_page and (album.photos > 1 or cover is not None))
        if _caption(document, album.photos, read, shown_cm):
            album.incomplete.append(album.photos)
    if body is not None and not body.text:
        body._p.getparent().remove(body._p)
    stamp_footer(section.footer, xml_safe(name), 1)
    out = io.BytesIO()
    document.save(out)
    album.data = out.getvalue()
    return album


#: A photo larger than this is not decoded (a 64-megapixel photo takes ~200 MB): phones
#: and cameras stay far below; Pillow's own bomb limit is 89 M pixels (warning) / 178 M.
MAX_PIXELS = 64_000_000


def _prepared(photo: Path, max_side: int, quality: int
              ) -> tuple[bytes, tuple[int, int], caption.Caption] | str:
    """The photo upright, downscaled (never up), as JPEG; or why it cannot be used."""
    from PIL import Image, ImageOps

    try:
        with Image.open(photo) as im:
            if im.width * im.height > MAX_PIXELS:  # decoded whole in this process
                raise ValueError("too many pixels")
            im.draft("RGB", (max_side, max_side))  # a JPEG decodes at the size it needs
            read = caption_of(photo, im)
            upright = ImageOps.exif_transpose(im).convert("RGB")
            upright.thumbnail((max_side, max_side))
            buffer = io.BytesIO()
            upright.save(buffer, "JPEG", quality=quality)
            return buffer.getvalue(), upright.size, read
    except Exception:  # damaged: say why as `cwa check --deep` would
        return why_unreadable(photo)


def why_unreadable(photo: Path) -> str:
    """Why a photo does not open, in the user's language (the --deep probe's words)."""
    from cwa.deep import describe
    from cwa.probes import probe

    try:
        issues = probe(str(photo), photo.suffix.lower(), "", False)["issues"]
    except Exception as exc:  # unreadable even to the probe
        issues = [["CT001", {"why": "unreadable", "error": type(exc).__name__}]]
    if not issues:
        issues = [["CT001", {"why": "library", "error": "?"}]]
    return describe(*issues[0])


def _cover(document: Any, cover: Cover, title: str) -> None:
    from docx.shared import Pt

    typeset.style(document, "cwa 封面", typeset.SONG, 16, center=True, after=18)
    top = document.add_paragraph(style="cwa 封面")
    top.paragraph_format.space_before = Pt(150)
    if cover.unit:
        typeset.font(top.add_run(xml_safe(cover.unit)), typeset.SONG, 22, bold=True)
    heading = document.add_paragraph(style="cwa 封面")
    heading.paragraph_format.space_after = Pt(120)
    typeset.font(heading.add_run(xml_safe(title)), typeset.SONG, 26, bold=True)
    for label, value in (("指标", cover.indicator), ("年度", cover.years)):
        if value:
            line = document.add_paragraph(style="cwa 封面")
            typeset.font(line.add_run(f"{label}："), typeset.HEI, 16)
            typeset.font(line.add_run(xml_safe(value)), typeset.FANGSONG, 16)


def _photo(document: Any, data: bytes, width: int, height: int, box: tuple[float, float],
           number: int, new_page: bool) -> float:
    """The photo, centred; returns its printed width in cm."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    natural = width / DPI * CM_PER_INCH  # never larger than the photo itself
    scale = min(box[0] / width, box[1] / height, natural / width)
    picture = document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    layout = picture.paragraph_format
    layout.page_break_before = new_page  # never a break of its own: no blank pages
    layout.keep_with_next = True
    layout.space_before = Pt(0 if new_page or number == 1 else 12)
    layout.space_after = Pt(4)
    picture.add_run().add_picture(io.BytesIO(data), width=Cm(width * scale))
    return width * scale


def _caption(document: Any, number: int, read: caption.Caption, photo_cm: float) -> bool:
    """The caption block under a photo, its left edge under the photo's (and at least
    ``MIN_BLOCK`` wide); True when some element is left blank."""
    from docx.shared import Cm, Pt

    indent = max(0.0, (WIDTH - max(photo_cm, MIN_BLOCK)) / 2)

    usable = read.fields if read.problem is None else {
        k: v for k, v in read.fields.items() if k in read.from_photo}
    lines = (("事由",), ("时间", "地点"), ("人物", "摄影者"), ("背景",))
    blank = False
    for i, elements in enumerate(lines):
        paragraph = document.add_paragraph(style="Caption")
        paragraph.paragraph_format.keep_with_next = i < len(lines) - 1
        if indent:
            paragraph.paragraph_format.left_indent = Cm(indent)
        if i == len(lines) - 1:
            paragraph.paragraph_format.space_after = Pt(6)
        if i == 0:
            typeset.font(paragraph.add_run(f"图{number}"), typeset.HEI, bold=True)
            paragraph.add_run("\u3000")
        for j, element in enumerate(elements):
            if j:
                paragraph.add_run("\t")
            value = usable.get(element)
            blank = blank or not value
            typeset.font(paragraph.add_run(f"{element}："), typeset.HEI)
            paragraph.add_run(xml_safe(value) if value else BLANK)
    return blank
