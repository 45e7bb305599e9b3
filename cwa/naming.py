"""The naming convention ``NN：主题``: parse, format, compare and make Windows-safe.

Names are only ever NFC-normalised. NFKC would turn the full-width separator ``：``
into the ASCII ``:`` that Windows forbids, so width folding is used for *comparing*
names (``fold``), never for producing them.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

DEFAULT_SEPARATOR = "："
#: Separators seen in the wild, recognised when parsing (longest first not needed: 1 char).
SEPARATORS = ("：", ":", "_", "-", ".", "、", " ", "．", "－", "—", "，", ",")
#: Separators a user may choose for the names cwa writes.
ALLOWED_SEPARATORS = ("：", "_", "-", " ", "、", ".", "")

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_HAS_FULLWIDTH_DIGIT = re.compile("[０-９]")


def ascii_digits(text: str) -> str:
    return text.translate(_FULLWIDTH_DIGITS) if _HAS_FULLWIDTH_DIGIT.search(text) else text
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                   "九": 9, "十": 10}

# A serial number has at most 3 digits: 4 or more is a year (2019年…) or a date (20190909…)
# — unless it starts with 0 (0001：…, no year does), or the folder holds 1,000 entries or
# more and its names are read with ``digits`` to match (1000：…).
_SEP_CLASS = "".join(re.escape(sep) for sep in SEPARATORS if sep != " ")  # space: \s*


@functools.cache
def _arabic(digits: int) -> re.Pattern[str]:
    longest = max(5, digits)  # a leading 0 and up to this many more (a folder of 100,000)
    return re.compile(
        rf"^\s*((?:[0-9]{{1,{digits}}}|0[0-9]{{{digits},{longest}}})(?:\.[0-9]{{1,3}})*)(?![0-9])\s*"
        rf"([{_SEP_CLASS}]?)\s*(.*)$",  # the number (or a code: 1.2), the separator, title
        re.S,
    )


_ARABIC = _arabic(3)
_CHINESE = re.compile(
    r"^\s*[（(]?(?P<num>[一二三四五六七八九十]{1,3})[)）]?\s*[、.．：:]?\s*(?P<rest>.*)$", re.S)

WINDOWS_FORBIDDEN = '<>:"/\\|?*'
#: Device names Windows reserves, with or without an extension: COM and LPT with 0–9 and
#: with the superscript digits ¹ ² ³ (which Windows also reads as ports), and CLOCK$.
_WINDOWS_RESERVED = frozenset({
    "CON", "PRN", "AUX", "NUL", "CLOCK$",
    *(f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")),
})
#: Full-width look-alikes used when a name from a rubric must become a folder name.
_SAFE_REPLACEMENTS = str.maketrans({
    ":": "：", "/": "／", "\\": "＼", "*": "＊", "?": "？", '"': "＂", "<": "＜", ">": "＞",
    "|": "｜",
})
MAX_NAME = 255
MAX_PATH = 260
MAX_WIDTH = 6  # digits of a serial number: up to 999,999 documents in one folder


class ParsedName(NamedTuple):
    """What a name says about itself. ``number`` is None when there is no serial number.

    A NamedTuple, not a frozen dataclass: one is made for every file of the archive."""

    number: int | None
    code: str | None  # "1", "01", "1.2" as written (digits folded to ASCII)
    separator: str | None  # the separator as written; "" when the title follows directly
    title: str
    chinese: bool = False  # numbered 一、 （一） …


def nfc(name: str) -> str:
    if unicodedata.is_normalized("NFC", name):
        return name  # the common case, without building a new string
    return unicodedata.normalize("NFC", name)


def parse(name: str, digits: int = 3) -> ParsedName:
    """Parse a folder name or a file stem (no extension). ``digits``: how long a serial
    number may be (more than 3 only in a folder of 1,000 entries or more)."""
    text = name if unicodedata.is_normalized("NFC", name) else unicodedata.normalize("NFC", name)
    if _HAS_FULLWIDTH_DIGIT.search(text, 0, 8):  # a serial number leads the name
        text = text.translate(_FULLWIDTH_DIGITS)
    m = (_ARABIC if digits <= 3 else _arabic(digits)).match(text)
    if m:
        code, sep, rest = m.groups()
        rest = rest.strip()
        # "01 主题" has a space as its separator; "01主题" has none.
        if not sep and m.start(3) > m.end(1):
            sep = " "
        if not rest:  # the whole name is a number: no title
            return ParsedName(None, None, None, text.strip())
        if len(code) > 3 and code[0] != "0" and not sep.strip():
            return ParsedName(None, None, None, text.strip())  # 2019年…: a year, not a serial
        number = int(code) if "." not in code else None
        return ParsedName(number, code, sep, rest)
    m = _CHINESE.match(text)
    if m and m.group("rest").strip():
        value = _chinese_number(m.group("num"))
        if value is not None:
            return ParsedName(value, None, None, m.group("rest").strip(), chinese=True)
    return ParsedName(None, None, None, text.strip())


def _chinese_number(text: str) -> int | None:
    if text == "十":
        return 10
    if len(text) == 1:
        return _CHINESE_DIGITS.get(text)
    if text.startswith("十") and len(text) == 2:
        return 10 + _CHINESE_DIGITS.get(text[1], 0) if text[1] != "十" else None
    if len(text) in (2, 3) and text[1] == "十":
        tens = _CHINESE_DIGITS.get(text[0], 0)
        ones = _CHINESE_DIGITS.get(text[2], 0) if len(text) == 3 else 0
        return tens * 10 + ones if 1 < tens < 10 else None
    return None


_NUMBERS = re.compile(r"(\d+)")


def natural_key(text: str) -> list[str | int]:
    """Sort key of natural order: ``会议2`` before ``会议10``. The text between numbers
    and the numbers alternate (``["会议", 10, ""]``): a text always meets a text and a
    number a number, and a name that starts with a number starts with ``""``, which
    sorts before any text."""
    parts: list[str | int] = _NUMBERS.split(nfc(text))
    parts[1::2] = map(int, parts[1::2])
    return parts


def width_for(count: int) -> int:
    """Two digits, more when a level has 100 or more siblings."""
    return max(2, len(str(count)))


def format_name(number: int, title: str, separator: str = DEFAULT_SEPARATOR,
                width: int = 2) -> str:
    return f"{number:0{width}d}{separator}{title}"


def conforms(parsed: ParsedName, separator: str, width: int) -> bool:
    return (
        parsed.number is not None
        and not parsed.chinese
        and parsed.code is not None
        and len(parsed.code) == width
        and parsed.separator == separator
        and bool(parsed.title)
    )


_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """A comparison key: width-folded (NFKC), case-folded, without spaces or punctuation.

    For comparing only; never use the result as a name.
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    return text if text.isalnum() else _PUNCT.sub("", text)  # most titles: nothing to take


_PUNCT_LINES = re.compile(r"[^\w\n]+", re.UNICODE)


def fold_lines(texts: list[str]) -> list[str]:
    """``fold`` of each of ``texts`` (which hold no line break), for all at once: a
    folder's titles are folded by a few calls over them joined, not a few calls each."""
    text = "\n".join(texts)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    if not text.replace("\n", "").isalnum():  # what fold() takes away, but line breaks
        text = _PUNCT_LINES.sub("", text.replace("_", ""))
    out = text.split("\n")
    return out if len(out) == len(texts) else [fold(t) for t in texts]


#: The first three letters of the reserved names, in upper case.
RESERVED_STARTS = _RESERVED_STARTS = frozenset(name[:3] for name in _WINDOWS_RESERVED)
_SUSPECT = re.compile('[<>:"/\\\\|?*\x00-\x1f\ud800-\udfff]')


@functools.cache
def _to_simplified() -> Callable[[str], str] | None:
    try:
        import opencc  # loaded only when folder names are compared
    except ImportError:  # pragma: no cover - opencc is a dependency; degrade, do not fail
        return None
    converter = opencc.OpenCC("t2s")
    return converter.convert


def simplified(text: str) -> str:
    """Traditional characters as simplified ones (組織機構 → 组织机构), for comparing."""
    convert = _to_simplified()
    return convert(text) if convert is not None else text


def windows_problems(name: str) -> list[str]:
    """Why ``name`` cannot be a file or folder name on Windows (message keys)."""
    if (len(name) <= MAX_NAME and name[-1:] not in (" ", ".")
            and name[:3].upper() not in _RESERVED_STARTS and not _SUSPECT.search(name)):
        return []  # the common case, decided with one regex search
    stem = name.split(".", 1)[0].rstrip(" ").upper()
    problems: list[str] = []
    if any(ch in WINDOWS_FORBIDDEN for ch in name):
        problems.append("forbidden_chars")
    if any(ord(ch) < 32 for ch in name):
        problems.append("control_chars")
    if stem in _WINDOWS_RESERVED:
        problems.append("reserved")
    if name != name.rstrip(" .") and name not in (".", ".."):
        problems.append("trailing")
    if len(name) > MAX_NAME:
        problems.append("too_long")
    if any("\ud800" <= ch <= "\udfff" for ch in name):
        problems.append("not_unicode")  # bytes that are not UTF-8: WN004, not WN001
    return problems


def path_prefix(root: Path) -> int:
    """Characters before an archive's relative paths, for the 260-character limit: the
    real path on Windows; elsewhere the path the archive would have if copied to the
    root of a drive (``D:\\档案名\\``)."""
    if os.name == "nt":
        return len(str(root.resolve())) + 1
    return len("D:\\") + len(root.resolve().name) + 1


def too_many_bytes(name: str) -> bool:
    """Longer than Linux and most NAS file servers allow: 255 bytes in UTF-8 (85 汉字),
    although Windows would take 255 characters."""
    return len(name) > MAX_NAME // 3 and len(name.encode("utf-8", "surrogateescape")) > MAX_NAME


def forbidden_chars(name: str) -> str:
    return "".join(sorted({ch for ch in name if ch in WINDOWS_FORBIDDEN}))


#: Control characters, and the invisible ones that reorder or hide what a name shows
#: (a right-to-left override makes 领导gnp.exe小组 read as …exe.png…): never in a name cwa makes.
_CONTROL_CHARS = "\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff"
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
#: A name ``sanitize`` leaves as it is: nothing to replace or drop, no space at either end,
#: no dot at the end, at most 255 characters.
_SAFE_NAME = re.compile(
    f'(?!\\s)[^:/\\\\*?"<>|{_CONTROL_CHARS}]'
    "{1,255}(?<![\\s.])")


def sanitize(name: str) -> str:
    """Make a name from a rubric usable as a folder name on every system.

    Forbidden characters become their full-width look-alikes (``?`` → ``？``), control
    characters go, leading/trailing spaces and trailing dots go, a reserved device name
    gets a trailing ``_``. The result may be empty (the caller reports that).
    """
    if (_SAFE_NAME.fullmatch(name) and unicodedata.is_normalized("NFC", name)
            and name.partition(".")[0].rstrip(" ").upper() not in _WINDOWS_RESERVED):
        return name  # already safe: what follows would give it back unchanged
    out = nfc(name).translate(_SAFE_REPLACEMENTS)
    if _CONTROL.search(out):
        out = _CONTROL.sub("", out)
    out = out.strip().rstrip(". ")
    stem, dot, rest = out.partition(".")
    if stem.rstrip(" ").upper() in _WINDOWS_RESERVED:  # CON.txt → CON_.txt
        out = stem.rstrip(" ") + "_" + dot + rest
    if set(out) <= {"."}:
        return ""
    return out[:MAX_NAME]


_YEAR = re.compile(r"(?<![0-9])(19[89][0-9]|20[0-9]{2})(?![0-9])")
_YEAR_FOLDER = re.compile(r"^\s*(19[89][0-9]|20[0-9]{2})\s*(?:年|年度)?\s*$")


def year_folder(name: str) -> int | None:
    """``2019`` or ``2019年`` (also ``2019年度``) is a year folder."""
    m = _YEAR_FOLDER.match(ascii_digits(nfc(name)))
    return int(m.group(1)) if m else None


def year_in_name(name: str) -> int | None:
    """The first plausible year (1980–2099) written in a name, or None."""
    m = _YEAR.search(ascii_digits(name))  # digits are the same in NFC and not
    return int(m.group(1)) if m else None
