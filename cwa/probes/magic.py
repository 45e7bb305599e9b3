"""What a file's first bytes say it is, and what its extension promises."""

from __future__ import annotations

#: Families of content, by signature. Order matters where signatures share a prefix.
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"PK\x03\x04", "zip"),
    (0, b"PK\x05\x06", "zip"),  # an empty zip
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (0, b"%PDF-", "pdf"),
    (0, b"\xff\xd8\xff", "jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "png"),
    (0, b"GIF87a", "gif"),
    (0, b"GIF89a", "gif"),
    (0, b"II*\x00", "tiff"),
    (0, b"MM\x00*", "tiff"),
    (0, b"BM", "bmp"),
    (0, b"{\\rtf", "rtf"),
    (0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "asf"),
    (0, b"\x1a\x45\xdf\xa3", "mkv"),
    (0, b"FLV", "flv"),
    (0, b"\x00\x00\x01\xba", "mpeg"),
    (0, b"\x00\x00\x01\xb3", "mpeg"),
    (0, b"fLaC", "flac"),
    (0, b"#!AMR", "amr"),
    (0, b"ID3", "mp3"),
    (0, b"MZ", "exe"),
    (0, b"\x7fELF", "exe"),
)
_HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis")

#: What each extension should contain. Extensions not listed are not checked.
EXPECTED: dict[str, frozenset[str]] = {
    **dict.fromkeys((".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".pptm", ".dotx", ".odt",
                     ".ods", ".odp", ".ofd"), frozenset({"zip"})),
    **dict.fromkeys((".doc", ".dot", ".xls", ".ppt", ".wps", ".wpt", ".et", ".dps"),
                    frozenset({"ole", "rtf"})),
    ".pdf": frozenset({"pdf"}),
    ".rtf": frozenset({"rtf"}),
    **dict.fromkeys((".jpg", ".jpeg"), frozenset({"jpeg"})),
    ".png": frozenset({"png"}),
    ".gif": frozenset({"gif"}),
    **dict.fromkeys((".tif", ".tiff"), frozenset({"tiff"})),
    ".bmp": frozenset({"bmp"}),
    ".webp": frozenset({"webp"}),
    **dict.fromkeys((".heic", ".heif"), frozenset({"heic"})),
    **dict.fromkeys((".mp4", ".m4v", ".mov", ".3gp", ".m4a"), frozenset({"isobmff"})),
    ".avi": frozenset({"avi"}),
    ".wav": frozenset({"wav"}),
    ".mp3": frozenset({"mp3"}),
    **dict.fromkeys((".wma", ".wmv"), frozenset({"asf"})),
    ".mkv": frozenset({"mkv"}),
    ".flv": frozenset({"flv"}),
    **dict.fromkeys((".mpg", ".mpeg", ".vob"), frozenset({"mpeg"})),
    ".flac": frozenset({"flac"}),
    ".amr": frozenset({"amr"}),
    ".aac": frozenset({"aac"}),
}


def sniff(head: bytes) -> str | None:
    """The family of content ``head`` (the first bytes of a file) starts, or None."""
    for offset, signature, family in _SIGNATURES:
        if head.startswith(signature, offset):
            return family
    if head[:4] == b"RIFF" and len(head) >= 12:
        return {b"WEBP": "webp", b"AVI ": "avi", b"WAVE": "wav"}.get(head[8:12])
    if head[4:8] == b"ftyp":
        return "heic" if head[8:12] in _HEIC_BRANDS else "isobmff"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "aac"  # ADTS
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "mp3"  # an MPEG audio frame without an ID3 tag
    if b"%PDF-" in head[:1024]:
        return "pdf"  # readers accept junk before the header
    return None


def mismatch(ext: str, family: str | None) -> bool:
    expected = EXPECTED.get(ext)
    return expected is not None and family is not None and family not in expected
