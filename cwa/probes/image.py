"""Images: open, verify and load with Pillow; JPEG structure; size, date, caption, dHash."""

from __future__ import annotations

import struct
import warnings
from typing import Any

from cwa.caption import CAMERA_DEFAULTS  # what cameras write as a description: no caption
from cwa.probes import Result, damaged, failure, plausible

EXIF_IFD = 0x8769
DATE_ORIGINAL, DATE_TIME = 0x9003, 0x0132
DESCRIPTION, XP_COMMENT, XP_TITLE, ARTIST = 0x010E, 0x9C9C, 0x9C9B, 0x013B
IPTC_CAPTION = (2, 120)
SOFTWARE_DEFAULTS = ("file written by", "created with", "processed by")


def probe(path: str, ext: str, result: Result) -> None:
    from PIL import Image

    if ext in (".jpg", ".jpeg") or result.get("family") == "jpeg":
        broken = _jpeg_structure(path)
        if broken:
            result["issues"].append(damaged(broken[0], offset=broken[1]))
            return
    try:
        with warnings.catch_warnings():
            # opening reads metadata (EXIF, MPO index, TIFF tags): an odd tag there is no
            # damage to the picture; only a decompression bomb is an error
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                im.verify()
            im = Image.open(path)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            im.load()  # warnings here are about the image data: damage
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        result["issues"].append(["CT004", {}])
        return
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError… on damage
        result["issues"].append(failure(exc, path))
        return
    with im:
        damage = [w for w in caught if not _about_metadata(str(w.message))
                  and not issubclass(w.category, DeprecationWarning)]
        if damage:
            result["issues"].append(damaged("library", error=str(damage[0].message)[:160]))
            return
        result["width"], result["height"] = im.size
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # damaged metadata is not damage to the image
            result["dhash"] = _dhash(im)
            _metadata(im, result)


#: Words of Pillow's warnings about metadata, which is not the picture.
METADATA_WORDS = ("exif", "tag", "metadata", "mpo", "iptc", "xmp", "icc", "profile")


def _about_metadata(message: str) -> bool:
    lowered = message.lower()
    return any(word in lowered for word in METADATA_WORDS)


def _jpeg_structure(path: str) -> tuple[str, int] | None:
    """Walk the JPEG markers up to the scan: each segment whole, the image ended by EOI."""
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.startswith(b"\xff\xd8"):
        return None  # not a JPEG; the signature check reports it
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return ("jpeg_segment", i)
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if marker == 0xDA:  # start of scan: entropy-coded data follows, then EOI
            if data.rfind(b"\xff\xd9") < i + 2 + length:
                return ("jpeg_no_end", len(data))
            return None
        i += 2 + length
    return ("jpeg_no_end", len(data))


def _dhash(im: Any) -> int:
    """A 64-bit difference hash: near-identical photos differ in few bits."""
    from PIL import Image

    small = im.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()  # mode L: one byte a pixel, row by row
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = bits << 1 | (pixels[row * 9 + col] > pixels[row * 9 + col + 1])
    return bits


def _metadata(im: Any, result: Result) -> None:
    """Year (DateTimeOriginal, else DateTime) and caption (EXIF, XP, IPTC). Damaged
    metadata is not damage to the image: it is skipped."""
    try:
        exif = im.getexif()
        original = exif.get_ifd(EXIF_IFD).get(DATE_ORIGINAL)
    except Exception:  # a damaged EXIF block
        return
    when = original or exif.get(DATE_TIME)
    if isinstance(when, str) and when[:4].isdigit() and plausible(int(when[:4])):
        result["year"] = int(when[:4])
        result["year_source"] = "exif"
        result["taken"] = when.strip(" \x00")  # the caption's 时间 when its text has none
    caption = _caption(exif, im)
    if caption:
        result["caption"] = caption
    author = artist(im)
    if author:
        result["artist"] = author  # the caption's 摄影者 when its text has none


def taken(im: Any) -> str | None:
    """When the photo was taken: EXIF DateTimeOriginal (else DateTime), as written."""
    try:
        exif = im.getexif()
        when = exif.get_ifd(EXIF_IFD).get(DATE_ORIGINAL) or exif.get(DATE_TIME)
    except Exception:  # a damaged EXIF block
        return None
    return when if isinstance(when, str) and when[:4].isdigit() else None


def artist(im: Any) -> str | None:
    """Who took the photo: EXIF Artist, repaired when a phone wrote UTF-8 into it."""
    try:
        value = im.getexif().get(ARTIST)
    except Exception:  # a damaged EXIF block
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    return utf8(value.strip(" \x00")) or None


def caption_of(im: Any) -> str | None:
    try:
        return _caption(im.getexif(), im)
    except Exception:  # a damaged EXIF block
        return None


def utf8(text: str) -> str:
    """UTF-8 bytes in an ASCII tag (as many phone apps write Chinese) come back from
    Pillow as Latin-1 characters: undo that when it decodes cleanly."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _caption(exif: Any, im: Any) -> str | None:
    description = exif.get(DESCRIPTION)
    if isinstance(description, bytes):
        description = description.decode("utf-8", "replace")
    if isinstance(description, str):
        text = utf8(description.strip(" \x00"))
        if text and text.casefold() not in CAMERA_DEFAULTS and not text.casefold().startswith(
                SOFTWARE_DEFAULTS):
            return text
    for tag in (XP_COMMENT, XP_TITLE):
        value = exif.get(tag)
        if isinstance(value, (bytes, tuple)):
            raw = bytes(value)
            text = raw.decode("utf-16-le", "replace").strip(" \x00")
            if text:
                return text
    try:
        from PIL import IptcImagePlugin

        iptc = IptcImagePlugin.getiptcinfo(im) or {}
    except Exception:
        return None
    value = iptc.get(IPTC_CAPTION)
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, bytes):
        for encoding in ("utf-8", "gb18030"):
            try:
                text = value.decode(encoding).strip()
            except UnicodeDecodeError:
                continue
            return text or None
    return None
