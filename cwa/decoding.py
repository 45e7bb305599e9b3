"""Read a text file the way Windows may have saved it.

Notepad and WPS save UTF-8 (with or without a byte-order mark), "Unicode" (UTF-16 with a
mark) or "ANSI" — on Chinese Windows that is GBK, which GB18030 contains. A mark decides;
without one UTF-8 is tried first (it rarely decodes by accident), then GB18030. Whatever
was chosen is named, so that a message about the file can say how it was read. cwa itself
writes UTF-8. (``cwa.yamlfile.read_text`` reads a file safely and decodes it here.)
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from cwa.errors import CwaError

UTF8 = "UTF-8"
UTF8_BOM = "UTF-8 BOM"
UTF16 = "UTF-16"
UTF32 = "UTF-32"
GB18030 = "GB18030"

#: Byte-order marks, longest first (UTF-32 LE begins like UTF-16 LE).
_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32", UTF32),
    (codecs.BOM_UTF32_BE, "utf-32", UTF32),
    (codecs.BOM_UTF8, "utf-8-sig", UTF8_BOM),
    (codecs.BOM_UTF16_LE, "utf-16", UTF16),
    (codecs.BOM_UTF16_BE, "utf-16", UTF16),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # one of the names above
    guessed: bool = False  # no mark and not UTF-8: read as GB18030


def decode(data: bytes, shown: str) -> Decoded:
    for mark, codec, name in _MARKS:
        if data.startswith(mark):
            try:
                return Decoded(data.decode(codec), name)
            except UnicodeDecodeError as exc:
                raise CwaError("error.bad_encoding", path=shown, encoding=name,
                               pos=exc.start) from None
    try:
        return Decoded(data.decode("utf-8"), UTF8)
    except UnicodeDecodeError as exc:
        position = exc.start
    try:
        return Decoded(data.decode("gb18030"), GB18030, guessed=True)
    except UnicodeDecodeError:
        raise CwaError("error.not_utf8", path=shown, pos=position) from None
