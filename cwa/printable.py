"""Text from outside (file names, rubric strings) made safe to show: data, never control.

A file name may hold a newline followed by ``::error file=…::`` (a GitHub workflow
command: it must not start a line of CI output), an ESC sequence that clears the screen
or writes the clipboard (OSC 52), right-to-left overrides that show another name, or —
unzipped from a Chinese Windows zip — bytes that are not UTF-8 (Python keeps them as
surrogate escapes, which no UTF-8 output can hold). ``printable`` shows each such
character as a visible escape: ``\\n``, ``\\x1b``, ``\\u202e``, and a byte that is not
UTF-8 as ``\\xb9``. Everything else, Chinese, full-width forms and spaces, stays as it is.
"""

from __future__ import annotations

import os
import re

#: C0/C1 controls, DEL, bidi and zero-width format characters, line/paragraph separators,
#: the BOM, and surrogates (bytes that were not UTF-8, or broken UTF-16).
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with every character that could act as control shown as an escape."""
    if text.isprintable():  # every unsafe character is non-printable: the common case
        return text
    return UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte Python could not decode (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    named = _NAMED.get(char)
    if named is not None:
        return named
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


#: What XML 1.0 (a .docx, an .xlsx) cannot hold: most C0 controls, surrogates, U+FFFE/F.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` as an Office document can hold it: unchanged unless it has a character
    XML cannot carry — a name that is not UTF-8 is given its GB18030 reading (a document
    is read by people: ``工作.docx``, not ``\\xb9\\xa4``), anything else such (a vertical
    tab pasted into a caption) is shown ``printable``."""
    if _NOT_XML.search(text) is None:
        return text
    text = repaired(text)
    return printable(text) if _NOT_XML.search(text) else text


def undecodable(name: str) -> bool:
    """Does the name hold bytes that are not UTF-8 (or a broken UTF-16 surrogate)?"""
    if name.isprintable():  # surrogates are not: the common case in one C loop
        return False
    return _SURROGATE.search(name) is not None


def raw_bytes(name: str) -> bytes:
    """The name's bytes as the file system holds them."""
    return os.fsencode(name) if os.name != "nt" else name.encode("utf-8", "surrogatepass")


def guess(name: str) -> str | None:
    """What a name that is not UTF-8 most likely says: Chinese Windows writes GBK (GB18030
    is its superset) into zip files that do not flag UTF-8."""
    if not undecodable(name):
        return None
    try:
        text = raw_bytes(name).decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if text.isprintable() else None


def repaired(name: str) -> str:
    """A name that is valid Unicode: the GB18030 reading where it decodes, else each byte
    that is not UTF-8 replaced by ``_``."""
    if not undecodable(name):
        return name
    return guess(name) or _SURROGATE.sub("_", name)
