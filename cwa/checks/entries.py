"""Checks on single entries: Windows-safe names, path length, junk, links, empty files."""

from __future__ import annotations

from cwa import kinds, naming
from cwa.findings import Finding
from cwa.kinds import KIND_BY_EXT
from cwa.messages import t
from cwa.printable import guess, raw_bytes
from cwa.scan import Entry

DIR, JUNK, LINK, EMPTY, UNKNOWN = "dir", "junk", "link", "empty", "unknown"
#: What ``check`` returns for entries that may count: a folder or a kind of evidence.
USABLE = frozenset({DIR, "text", "image", "av"})


def check(entry: Entry, indicator: str | None, prefix: int, out: list[Finding]) -> str:
    """Append the entry's own findings; say what it is: ``DIR``, the kind of evidence a
    file can be (``text``, ``image``, ``av``), or why it cannot count.

    ``prefix`` is the length of the archive's path before the relative path, used for
    the 260-character limit of Windows paths.
    """
    name = entry.name
    if kinds.is_junk(name):
        out.append(Finding("FL002", entry.rel, indicator, {"name": name}))
        return JUNK
    problems = naming.windows_problems(name)
    if problems and problems[-1] == "not_unicode":
        problems.pop()
        guessed = guess(name)
        out.append(Finding("WN004", entry.rel, indicator, {
            "name": name, "bytes": raw_bytes(name).hex(),
            "guess": t("finding.WN004_guess", name=guessed) if guessed else ""}))
    if problems:
        chars = naming.forbidden_chars(name)
        why = "；".join(t(f"windows.{p}", chars=chars) for p in problems)
        out.append(Finding("WN001", entry.rel, indicator, {
            "name": name, "reasons": problems, "why": why}))
    if name is not entry.nfc_name:
        out.append(Finding("WN003", entry.rel, indicator, {"name": name}))
    length = prefix + len(entry.rel)
    if length > naming.MAX_PATH:
        out.append(Finding("WN002", entry.rel, indicator, {"length": length,
                                                            "limit": naming.MAX_PATH}))
    if entry.kind == "dir":
        return DIR
    ext = entry.ext
    if entry.kind != "file" or ext in kinds.SHORTCUTS:
        out.append(Finding("FL003", entry.rel, indicator, {"name": name}))
        return LINK
    if ext in kinds.EXECUTABLE:
        out.append(Finding("FM003", entry.rel, indicator, {"ext": ext}))
        return UNKNOWN
    if entry.size == 0:
        out.append(Finding("FL001", entry.rel, indicator, {"name": name}))
        return EMPTY
    if ext in kinds.OLD_BINARY:
        out.append(Finding("FM001", entry.rel, indicator, {"ext": ext}))
    elif ext in kinds.HEIC:
        out.append(Finding("FM002", entry.rel, indicator, {"ext": ext}))
    kind = KIND_BY_EXT.get(ext)
    if kind is None:
        out.append(Finding("FL004", entry.rel, indicator, {"name": name, "ext": ext}))
        return UNKNOWN
    return kind
