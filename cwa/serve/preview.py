"""What a file's page shows: a photo with its caption, a PDF in the browser's viewer, a
.docx as readable text with its footer, a text file as text; anything else is offered
for download. Every file is read through ``cwa.serve.paths`` (never through a link), and
office packages pass ``cwa.office.package.check`` before python-docx reads them."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cwa import caption, kinds
from cwa.serve import paths

#: Images a browser shows as they are; TIFF is converted to a JPEG preview.
INLINE_IMAGES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                 ".gif": "image/gif", ".webp": "image/webp", ".bmp": "image/bmp"}
CONVERTED_IMAGES = frozenset({".tif", ".tiff"})
#: What is sent for the browser to show (everything else is sent as a download).
INLINE = {**INLINE_IMAGES, ".pdf": "application/pdf"}
TEXTS = frozenset({".txt", ".md", ".csv"})
MAX_TEXT = 256 * 1024  # bytes of a text file shown
MAX_PARAGRAPHS = 5000
MAX_DOCX = 32 * 1024 * 1024  # bytes of a .docx read to show its text (larger: download)
PREVIEW_SIDE = 1600
MAX_PIXELS = 64_000_000


def view_kind(name: str) -> str:
    """``image`` ``pdf`` ``docx`` ``text`` or ``download``."""
    ext = kinds.split(name)[1]
    if ext in INLINE_IMAGES or ext in CONVERTED_IMAGES:
        return "image"
    if ext == ".pdf":
        return "pdf"
    if ext == ".docx":
        return "docx"
    if ext in TEXTS:
        return "text"
    return "download"


@dataclass
class Document:
    """A .docx as text: its paragraphs (tables row by row) and each footer's text."""

    paragraphs: list[str] = field(default_factory=list)
    footers: list[str] = field(default_factory=list)
    truncated: bool = False
    problem: str | None = None  # a message key when it could not be read


def docx(handle: BinaryIO) -> Document:
    from cwa.office.package import Refused, check

    data = handle.read(MAX_DOCX + 1)
    if len(data) > MAX_DOCX:
        return Document(problem="serve.docx_large")
    try:
        check(data)
    except Refused as exc:
        return Document(problem=exc.reason)
    try:
        from docx import Document as open_docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        doc = open_docx(io.BytesIO(data))
        out = Document()
        for block in doc.iter_inner_content():
            if len(out.paragraphs) >= MAX_PARAGRAPHS:
                out.truncated = True
                break
            if isinstance(block, Paragraph):
                out.paragraphs.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    out.paragraphs.append(" | ".join(
                        dict.fromkeys(cell.text.strip() for cell in row.cells)))
        for section in doc.sections:
            for footer in (section.footer, section.first_page_footer, section.even_page_footer):
                if footer.is_linked_to_previous:
                    continue
                words = "\n".join(p.text for p in footer.paragraphs if p.text.strip())
                if words and words not in out.footers:
                    out.footers.append(words)
        return out
    except Exception:  # a damaged document: its check finding says why (CT001)
        return Document(problem="serve.unreadable")


def text(handle: BinaryIO) -> tuple[str, bool]:
    """A text file's first ``MAX_TEXT`` bytes, as UTF-8 or GB18030; and whether cut."""
    raw = handle.read(MAX_TEXT + 1)
    cut = len(raw) > MAX_TEXT
    raw = raw[:MAX_TEXT]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), cut
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace"), cut


def photo_caption(archive: Path, names: tuple[str, ...]) -> caption.Caption | None:
    """The photo's caption as ``cwa check --deep`` reads it: the ``.txt`` of the same name
    beside it, else its EXIF/IPTC caption, with the EXIF date and artist."""
    stem = kinds.split(names[-1])[0]
    written: str | None = None
    try:
        handle, _ = paths.open_file(archive, (*names[:-1], stem + ".txt"))
        with handle:
            raw = handle.read(16_384)
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                written = raw.decode(encoding).strip() or None
                break
            except UnicodeDecodeError:
                continue
    except paths.Refused:
        pass
    taken = artist = None
    try:
        from PIL import Image

        from cwa.probes.image import artist as artist_of
        from cwa.probes.image import caption_of
        from cwa.probes.image import taken as taken_of

        handle, _ = paths.open_file(archive, names)
        with handle, Image.open(handle) as im:
            if written is None:
                written = caption_of(im)
            taken, artist = taken_of(im), artist_of(im)
    except Exception:  # not an image Pillow opens: the caption file alone
        pass
    if written is None and taken is None and artist is None:
        return None
    return caption.read(written, taken, artist)


def jpeg(handle: BinaryIO) -> bytes | None:
    """A JPEG the browser can show of an image it cannot (TIFF), at most
    ``PREVIEW_SIDE`` pixels on its long side; None when it does not open."""
    try:
        from PIL import Image, ImageOps

        with Image.open(handle) as im:
            if im.width * im.height > MAX_PIXELS:
                return None
            im.draft("RGB", (PREVIEW_SIDE, PREVIEW_SIDE))
            small = ImageOps.exif_transpose(im).convert("RGB")
            small.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
            out = io.BytesIO()
            small.save(out, "JPEG", quality=85)
            return out.getvalue()
    except Exception:
        return None
