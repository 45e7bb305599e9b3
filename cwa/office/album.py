"""A photo album (.docx) of an indicator's photos, each with its caption.

Photos are turned upright (EXIF orientation), downscaled so the document stays small,
one or two to a page, each with a caption in the form archives use — 事由、时间、地点、
人物、背景、作者 — filled from what the photo says (its caption in EXIF/IPTC or a ``.txt``
of the same name, its date, its author) and left blank for the clerk where it says
nothing. The album's title is the indicator's name; its footer carries its own name.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cwa import kinds, naming
from cwa.messages import t
from cwa.office.stamp import stamp_footer

BLANK = "＿＿＿＿"
ARTIST = 0x013B


@dataclass
class Album:
    data: bytes = b""
    photos: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (name, error)


def photos(folder: Path) -> list[Path]:
    found = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()
             and p.suffix.lower() in kinds.IMAGE and not kinds.is_junk(p.name)]
    return sorted(found, key=lambda p: naming.natural_key(p.relative_to(folder).as_posix()))


def sidecar(photo: Path) -> str | None:
    text = photo.with_suffix(".txt")
    if not text.is_file():
        return None
    raw = text.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding).strip() or None
        except UnicodeDecodeError:
            continue
    return None


def caption(photo: Path, im: Any) -> str:
    from cwa.probes.image import caption_of, taken
    from cwa.probes.image import utf8 as repair

    stem = photo.stem
    what = sidecar(photo) or caption_of(im) or naming.parse(stem).title
    when = taken(im)
    date = t("album.date", year=int(when[:4]), month=int(when[5:7]), day=int(when[8:10])) \
        if when and len(when) >= 10 and when[5:7].isdigit() and when[8:10].isdigit() else BLANK
    author = None
    try:
        author = im.getexif().get(ARTIST)
    except Exception:  # a damaged EXIF block
        author = None
    if isinstance(author, bytes):
        author = author.decode("utf-8", "replace")
    if isinstance(author, str):
        author = repair(author.strip(" \x00"))
    return t("album.caption", what=what, when=date, where=BLANK, who=BLANK, background=BLANK,
             author=author or BLANK)


def build(folder: Path, title: str, name: str, per_page: int = 2, max_side: int = 1600,
          quality: int = 85) -> Album:
    """The album of ``folder``'s photos; ``name`` goes into its footer."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt
    from PIL import Image, ImageOps

    album = Album()
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)
    heading = document.add_heading(title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    box_w, box_h = (16.0, 21.0) if per_page == 1 else (16.0, 10.0)
    for photo in photos(folder):
        try:
            with Image.open(photo) as im:
                text = caption(photo, im)
                upright = ImageOps.exif_transpose(im).convert("RGB")
                upright.thumbnail((max_side, max_side))
                buffer = io.BytesIO()
                upright.save(buffer, "JPEG", quality=quality)
                width, height = upright.size
        except Exception as exc:  # a damaged photo is listed, not fatal
            album.unreadable.append((photo.name, f"{type(exc).__name__}: {exc}"[:120]))
            continue
        if album.photos and album.photos % per_page == 0:
            document.add_page_break()  # type: ignore[no-untyped-call]  # python-docx
        scale = min(box_w / width, box_h / height)
        picture = document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        buffer.seek(0)
        picture.add_run().add_picture(buffer, width=Cm(width * scale))
        album.photos += 1
        label = document.add_paragraph()
        label.add_run(t("album.number", number=album.photos) + "　").bold = True
        label.add_run(text).font.size = Pt(10.5)
    stamp_footer(section.footer, name, 1)
    out = io.BytesIO()
    document.save(out)
    album.data = out.getvalue()
    return album
