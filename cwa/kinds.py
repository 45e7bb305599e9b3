"""What a file is, from its name alone: evidence of which kind, or junk."""

from __future__ import annotations

from cwa.scan import extension

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
SHORTCUTS = frozenset({".lnk", ".url"})


def split(name: str) -> tuple[str, str]:
    """(stem, extension in lower case); leading dots do not start an extension."""
    ext = extension(name)
    return (name[: len(name) - len(ext)], ext) if ext else (name, "")


KIND_BY_EXT = {**dict.fromkeys(TEXT, "text"), **dict.fromkeys(IMAGE, "image"),
                **dict.fromkeys(AV, "av")}



def is_junk(name: str) -> bool:
    """Lock files of Word/WPS/LibreOffice and the system's own files."""
    first = name[:1]
    if first == "~":
        return name.startswith(("~$", "~WRL")) or name.lower().endswith(".tmp")
    if first == ".":
        return name.startswith(("._", ".~lock.")) or name.lower() == ".ds_store"
    return len(name) <= 11 and name.lower() in _JUNK_NAMES
