"""Office files are zip packages: look at what a package declares before anything reads it.

python-docx and openpyxl read every part of a package into memory and parse its XML
whole, so a 2 MB .docx that inflates to 2 GB would take gigabytes. Python's ``zipfile``
never inflates a member past the size it declares (it fails on the CRC), so checking the
declared sizes bounds what reading can cost. A package that declares a DOCTYPE (entity
definitions: "billion laughs", external entities) is refused too: Word never writes one,
and the libraries would save such a part broken.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import IO

#: What a real document stays far below: Word's own limit on document.xml is 2 GB, but
#: office documents of an archive hold text and a few photos.
MAX_PART = 256 * 1024 * 1024
MAX_XML_PART = 64 * 1024 * 1024
MAX_TOTAL = 512 * 1024 * 1024
MAX_MEMBERS = 10_000
HEAD = 2048  # bytes of an XML part read for a DOCTYPE


class Refused(Exception):
    """Not opened: ``reason`` is a message key (``package.*``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check(source: str | Path | bytes | IO[bytes]) -> None:
    """Raise ``Refused`` when the package is not a zip, declares sizes past the limits or
    holds a DOCTYPE; return quietly when it is safe to hand to python-docx/openpyxl."""
    handle: str | Path | IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) \
        else source
    try:
        with zipfile.ZipFile(handle) as package:
            check_open(package)
    except zipfile.BadZipFile:
        raise Refused("package.not_zip") from None
    except (OSError, EOFError, ValueError, NotImplementedError):
        raise Refused("package.unreadable") from None


def check_open(package: zipfile.ZipFile) -> None:
    members = package.infolist()
    if len(members) > MAX_MEMBERS:
        raise Refused("package.too_large")
    total = 0
    for info in members:
        total += info.file_size
        xml = info.filename.endswith((".xml", ".rels"))
        if info.file_size > (MAX_XML_PART if xml else MAX_PART) or total > MAX_TOTAL:
            raise Refused("package.too_large")
    for info in members:
        if info.filename.endswith((".xml", ".rels")) and info.file_size:
            with package.open(info) as part:
                head = part.read(HEAD)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise Refused("package.doctype")


def read_part(package: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of a part, never inflating more than that."""
    with package.open(name) as part:
        return part.read(limit)
