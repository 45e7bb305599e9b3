"""Internet shortcuts (``.url``, ``.website``, ``.webloc``): is it one, and to where.

A rubric may let a link replace a document (evidence kind ``link``); a file that only
carries the extension — anything but a small shortcut naming an address — is CT001.
"""

from __future__ import annotations

import os
import re

from cwa.probes import Result, damaged

#: A shortcut is a few hundred bytes; anything larger is something else renamed.
MOST = 64 * 1024
_URL_LINE = re.compile(rb"^\s*URL\s*=\s*([a-zA-Z][a-zA-Z0-9+.-]*:\S+)\s*$", re.MULTILINE)
_PLIST_URL = re.compile(rb"<key>\s*URL\s*</key>\s*<string>\s*([^<\s][^<]*)</string>")


def probe(path: str, ext: str, result: Result) -> None:
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > MOST:
            result["issues"].append(damaged("not_link", size=size))
            return
        data = fh.read(MOST)
    if ext == ".webloc":
        found = _PLIST_URL.search(data)
        ok = found is not None or (data.startswith(b"bplist00") and b"URL" in data)
    else:  # Windows: an INI file with an [InternetShortcut] section
        found = _URL_LINE.search(data) if b"[internetshortcut]" in data.lower() else None
        ok = found is not None
    if not ok:
        result["issues"].append(damaged("not_link", size=size))
    elif found is not None:
        result["url"] = found.group(1).decode("utf-8", "replace")[:2000]
