"""Checks on single entries: Windows-safe names, path length, junk, links, empty files."""

from __future__ import annotations

import re

from cwa import kinds, naming, wording
from cwa.findings import Finding
from cwa.kinds import KIND_BY_EXT
from cwa.messages import t
from cwa.printable import guess, raw_bytes
from cwa.scan import Entry

DIR, JUNK, LINK, EMPTY, UNKNOWN = "dir", "junk", "shortcut", "empty", "unknown"
#: What ``check`` returns for entries that may count: a folder or a kind of evidence.
USABLE = frozenset({DIR, "text", "image", "av", "link"})
#: Extensions of evidence that no per-entry rule flags: the kind, decided at once.
PLAIN_KIND = {ext: kind for ext, kind in KIND_BY_EXT.items()
              if ext not in kinds.OLD_BINARY | kinds.HEIC | kinds.EXECUTABLE | kinds.SHORTCUTS}
_ALLOWED = r'[^<>:"/\\|?*\x00-\x1f\ud800-\udfff]'  # a character Windows takes in a name
#: A name no per-entry rule has anything to say about: it starts with neither ``~`` nor
#: ``.`` (lock and system files) nor a reserved device name's first letters (CON, LPT1…),
#: holds nothing Windows forbids, no control character or undecodable byte, ends in
#: neither space nor dot and is at most 255 characters long.
_PLAIN = (r"(?![Cc][Oo][NnMm]|[Pp][Rr][Nn]|[Aa][Uu][Xx]|[Nn][Uu][Ll]|[Ll][Pp][Tt]|[Cc][Ll][Oo])"
          rf"(?![~.]){_ALLOWED}{{1,255}}(?<![ .])")
_PLAIN_NAME = re.compile(_PLAIN)
#: Names joined by line breaks, each plain (a name cannot hold a line break and pass).
_PLAIN_LINES = re.compile(rf"(?:{_PLAIN}\n)*{_PLAIN}")


def plain_files(entries: list[Entry], prefix: int) -> list[str] | None:
    """The kinds of ``entries`` when every one is a file no per-entry rule has anything to
    say about (as ``check`` would find, one by one), else None. Decided for a folder's
    entries at once: most folders of an archive hold only such files."""
    if not entries:
        return None
    limit = naming.MAX_PATH - prefix
    get = _QUICK_KIND.get
    found = [get(e.ext) if e.kind == "file" and e.size and e.name is e.nfc_name
             and len(e.rel) <= limit else None for e in entries]
    if None in found or not _PLAIN_LINES.fullmatch("\n".join([e.name for e in entries])):
        return None
    return found  # type: ignore[return-value]


#: ``PLAIN_KIND`` without ``.txt``: a text file may be a photo's caption or cwa's note.
_QUICK_KIND = {ext: kind for ext, kind in PLAIN_KIND.items() if ext != ".txt"}


def same_names(folder: Entry, indicator: str | None, out: list[Finding]) -> None:
    """Entries of one folder whose names Windows and macOS take for one (they differ only
    in case or Unicode form): copied to a USB stick or a Windows PC, one replaces the
    other. Reported once, at the first of them (WN005)."""
    children = folder.children
    if len(children) < 2:
        return
    keys = [c.nfc_name.casefold() for c in children]
    if len(set(keys)) == len(keys):  # the common case
        return
    groups: dict[str, list[Entry]] = {}
    for key, child in zip(keys, children, strict=True):
        groups.setdefault(key, []).append(child)
    for same in groups.values():
        if len(same) > 1:
            out.append(Finding("WN005", same[0].rel, indicator, {
                "name": same[0].name, "others": [c.name for c in same[1:]],
                "where": wording.listing(c.name for c in same[1:]), "count": len(same) - 1}))


def check(entry: Entry, indicator: str | None, prefix: int, out: list[Finding],
          links: bool = False) -> str:
    """Append the entry's own findings; say what it is: ``DIR``, the kind of evidence a
    file can be (``text``, ``image``, ``av``; ``link`` for an Internet shortcut where
    ``links`` are accepted), or why it cannot count.

    ``prefix`` is the length of the archive's path before the relative path, used for
    the 260-character limit of Windows paths.
    """
    name = entry.name
    if (entry.kind == "file" and entry.ext in PLAIN_KIND and entry.size
            and name is entry.nfc_name and prefix + len(entry.rel) <= naming.MAX_PATH
            and _PLAIN_NAME.fullmatch(name)):
        return PLAIN_KIND[entry.ext]  # the common case: nothing to say about it
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
        why = t("list.semicolon").join(t(f"windows.{p}", chars=chars) for p in problems)
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
    web_link = links and entry.kind == "file" and ext in kinds.WEB_LINKS
    if (entry.kind != "file" or ext in kinds.SHORTCUTS) and not web_link:
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
    kind = "link" if web_link else KIND_BY_EXT.get(ext)
    if kind is None:
        out.append(Finding("FL004", entry.rel, indicator, {"name": name, "ext": ext}))
        return UNKNOWN
    return kind
