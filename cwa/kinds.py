"""What a file is, from its name alone: evidence of which kind, or junk."""

from __future__ import annotations

from cwa.scan import Entry, extension

#: The requirement note ``cwa init`` puts in each indicator folder. Never evidence.
NOTE_FILE = "_归档要求.txt"

TEXT = frozenset({
    ".doc", ".docx", ".wps", ".wpt", ".dot", ".dotx", ".rtf", ".txt", ".pdf", ".ofd",
    ".xls", ".xlsx", ".et", ".csv", ".ppt", ".pptx", ".dps", ".odt", ".ods", ".odp",
    ".htm", ".html", ".md",
})
#: GB/T 18894 prefers DOCX/PDF to the old binary formats: still evidence, but flagged.
OLD_BINARY = frozenset({".doc", ".dot", ".xls", ".ppt", ".wps", ".wpt", ".et", ".dps"})
HEIC = frozenset({".heic", ".heif"})
#: Programs, scripts and documents with macros: never evidence.
EXECUTABLE = frozenset({".exe", ".com", ".scr", ".msi", ".bat", ".cmd", ".ps1", ".vbs",
                        ".vbe", ".js", ".jse", ".wsf", ".hta", ".jar", ".sh", ".docm",
                        ".dotm", ".xlsm", ".xltm", ".pptm", ".potm"})
IMAGE = frozenset({
    ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif", ".heic", ".heif", ".webp",
})
AV = frozenset({
    ".mp3", ".wav", ".wma", ".m4a", ".aac", ".flac", ".amr", ".mp4", ".avi", ".mov",
    ".wmv", ".mpg", ".mpeg", ".mkv", ".flv", ".3gp", ".m4v", ".vob",
})
_JUNK_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store"})
#: Internet shortcuts: evidence of kind ``link`` for an item that accepts links (a
#: 2020-style "links may replace documents"), else, like every shortcut, not evidence.
WEB_LINKS = frozenset({".url", ".webloc", ".website"})
SHORTCUTS = frozenset({".lnk"}) | WEB_LINKS


def split(name: str) -> tuple[str, str]:
    """(stem, extension in lower case); leading dots do not start an extension."""
    ext = extension(name)
    return (name[: len(name) - len(ext)], ext) if ext else (name, "")


KIND_BY_EXT = {**dict.fromkeys(TEXT, "text"), **dict.fromkeys(IMAGE, "image"),
                **dict.fromkeys(AV, "av")}



def is_sidecar(entry: Entry, image_names: set[str]) -> bool:
    """A ``.txt`` beside an image of the same stem is that image's caption, not a
    document. ``image_names``: the folder's image names, NFC and case-folded."""
    if entry.ext != ".txt":
        return False
    stem = entry.stem.casefold()
    return any(f"{stem}{ext}" in image_names for ext in IMAGE)


def is_junk(name: str) -> bool:
    """Lock files of Word/WPS/LibreOffice and the system's own files."""
    first = name[:1]
    if first == "~":
        return name.startswith(("~$", "~WRL")) or name.lower().endswith(".tmp")
    if first == ".":
        return name.startswith(("._", ".~lock.")) or name.lower() == ".ds_store"
    return len(name) <= 11 and name.lower() in _JUNK_NAMES
