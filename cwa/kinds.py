"""What a file is, from its name alone: evidence of which kind, or junk."""

from __future__ import annotations

import os

#: The requirement note ``cwa init`` puts in each indicator folder. Never evidence.
NOTE_FILE = "_归档要求.txt"

TEXT = frozenset({
    ".doc", ".docx", ".wps", ".wpt", ".dot", ".dotx", ".rtf", ".txt", ".pdf", ".ofd",
    ".xls", ".xlsx", ".et", ".csv", ".ppt", ".pptx", ".dps", ".odt", ".ods", ".odp",
    ".htm", ".html", ".md", ".docm", ".xlsm", ".pptm",
})
IMAGE = frozenset({
    ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif", ".heic", ".heif", ".webp",
})
AV = frozenset({
    ".mp3", ".wav", ".wma", ".m4a", ".aac", ".flac", ".amr", ".mp4", ".avi", ".mov",
    ".wmv", ".mpg", ".mpeg", ".mkv", ".flv", ".3gp", ".m4v", ".vob",
})
_JUNK_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store"})
_SHORTCUTS = frozenset({".lnk", ".url"})


def split(name: str) -> tuple[str, str]:
    """(stem, extension in lower case); ``.docx`` alone has no stem."""
    stem, ext = os.path.splitext(name)
    return stem, ext.lower()


def kind_of(name: str) -> str | None:
    ext = split(name)[1]
    if ext in TEXT:
        return "text"
    if ext in IMAGE:
        return "image"
    if ext in AV:
        return "av"
    return None


def is_junk(name: str) -> bool:
    """Lock files of Word/WPS/LibreOffice and the system's own files."""
    lower = name.lower()
    return (
        lower in _JUNK_NAMES
        or name.startswith(("~$", "._", ".~lock.", "~WRL"))
        or (name.startswith("~") and lower.endswith(".tmp"))
    )


def is_shortcut(name: str) -> bool:
    return split(name)[1] in _SHORTCUTS


def is_hidden(name: str) -> bool:
    return name.startswith(".")
