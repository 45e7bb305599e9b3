"""Office documents that are zip packages: .docx/.xlsx/.pptx (OOXML), .odt…, .ofd."""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import Any

from cwa import docnumber, naming
from cwa.office.package import HEAD, Refused, check_head, check_sizes
from cwa.probes import Result, damaged, failure, plausible

MAIN_PART = {
    ".docx": "word/document.xml", ".docm": "word/document.xml", ".dotx": "word/document.xml",
    ".xlsx": "xl/workbook.xml", ".xlsm": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml", ".pptm": "ppt/presentation.xml",
    ".odt": "content.xml", ".ods": "content.xml", ".odp": "content.xml",
    ".ofd": "OFD.xml",
}


def probe(path: str, ext: str, title: str, family: str | None, result: Result) -> None:
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            main = MAIN_PART.get(ext)
            if main is not None and main not in names:
                result["issues"].append(damaged("missing_part", part=main))
                return
            try:
                check_sizes(package)  # before anything inflates a member
                read: set[str] = set()
                if ext in (".docx", ".docm", ".dotx"):
                    read = _docx(package, names, title, result)
                    if result["issues"]:
                        return
                broken = _test(package, read)
            except Refused as refused:
                result["issues"] = [damaged(refused.reason.replace(".", "_"))]
                return
            if broken is not None:
                result["issues"].append(damaged("bad_member", member=broken))
    except zipfile.BadZipFile as exc:
        result["issues"].append(failure(exc, path))


def _test(package: zipfile.ZipFile, read: set[str]) -> str | None:
    """The first member whose data does not match its CRC (``ZipFile.testzip``), less
    the parts already read whole (reading checks the CRC at the end); an XML part that
    declares a DOCTYPE is ``Refused``. Each member is inflated once, straight from the
    file's bytes: a .docx has some thirty parts, and ``ZipFile.open`` costs more per
    part than inflating it."""
    handle = package.fp
    if handle is None:
        return None
    size = handle.seek(0, 2)
    if size > WHOLE:
        return _test_members(package, read)
    handle.seek(0)
    data = handle.read()
    for info in package.infolist():
        if info.filename in read:
            continue
        try:
            raw = _raw(data, info)
        except (ValueError, struct.error):
            return info.filename
        known = (info.CRC, info.file_size, raw) if raw is not None else None
        if known is not None and known in _TESTED:
            continue  # the very bytes of a part already found good (a shared template's)
        try:
            content = _inflate(raw, info) if raw is not None else None
        except (zlib.error, ValueError):
            return info.filename
        if content is None:  # stored another way (bzip2, lzma, encrypted): zipfile decides
            try:
                content = package.read(info)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError,
                    NotImplementedError):
                return info.filename
        elif zlib.crc32(content) != info.CRC:
            return info.filename
        if info.filename.endswith((".xml", ".rels")):
            check_head(content[:HEAD])
        if known is not None and len(known[2]) <= TESTED_PART:
            _TESTED[known] = None
            if len(_TESTED) > TESTED_PARTS:
                del _TESTED[next(iter(_TESTED))]
    return None


#: Parts already tested in this worker, by their CRC, size and compressed bytes: documents
#: made from one template (Word's, python-docx's, a unit's own) share most of their
#: parts byte for byte — styles, theme, fonts, settings — and each is inflated once.
_TESTED: dict[tuple[int, int, bytes], None] = {}
TESTED_PARTS = 256  # remembered at most (the oldest go first)
TESTED_PART = 64 * 1024  # compressed bytes of a part worth remembering


WHOLE = 64 * 1024 * 1024  # a package read into memory at once; larger ones part by part


def _test_members(package: zipfile.ZipFile, read: set[str]) -> str | None:
    """``_test`` for a large package, one member at a time through ``zipfile``."""
    for info in package.infolist():
        if info.filename in read:
            continue
        try:
            with package.open(info) as member:
                chunk = member.read(HEAD)
                if info.filename.endswith((".xml", ".rels")):
                    check_head(chunk)
                while chunk:
                    chunk = member.read(1 << 20)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            return info.filename
    return None


def _raw(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A stored or deflated member's bytes as they are in the package; None for other
    methods."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                          zipfile.ZIP_DEFLATED):
        return None
    start = info.header_offset
    if data[start:start + 4] != b"PK\x03\x04":
        raise ValueError("no local header")
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_length + extra_length
    raw = data[begin:begin + info.compress_size]
    if len(raw) != info.compress_size:
        raise ValueError("cut short")
    return raw


def _inflate(raw: bytes, info: zipfile.ZipInfo) -> bytes:
    if info.compress_type == zipfile.ZIP_STORED:
        return raw
    inflater = zlib.decompressobj(-15)
    content = inflater.decompress(raw, info.file_size + 1)
    if len(content) != info.file_size:
        raise ValueError("size")
    return content


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CORE = {"dcterms": "http://purl.org/dc/terms/"}
SHAPES = frozenset({W + "drawing", W + "pict", W + "object"})


def _docx(package: zipfile.ZipFile, names: set[str], title: str, result: Result
          ) -> set[str]:
    """Read what the checks need straight from the package's XML, streamed: the text's
    length, whether there is any picture, the footers the pages show and whether one
    carries the document's name, and the document's own date. (python-docx would build
    the whole object model first: three quarters of a probe's time.)"""
    from xml.etree import ElementTree

    read = {"word/document.xml", "word/_rels/document.xml.rels", "word/settings.xml"}
    try:
        chars, shapes, sections, head = _body(package, "word/document.xml")
        targets = _relations(package, "word/_rels/document.xml.rels", names)
        even = _even_pages(package, names)
        shown = [targets[rid] for rid in _shown(sections, even) if targets.get(rid) in names]
        result["footer_name"] = _footer_names(package, shown, title)
        read.update(shown)
    except (ElementTree.ParseError, KeyError, OSError, ValueError, zipfile.BadZipFile) as exc:
        result["issues"].append(failure(exc))
        return read
    result["chars"] = chars
    result["number"] = docnumber.find("\n".join(head))  # its 文号, "" if none
    if chars == 0 and not shapes:
        result["issues"].append(["CT006", {}])
    if "docProps/core.xml" in names:  # without it python-docx would make up today's date
        _core_date(package, result)
        read.add("docProps/core.xml")
    return read


def _body(package: zipfile.ZipFile, part: str
          ) -> tuple[int, bool, list[tuple[dict[str, str], bool]], list[str]]:
    """Characters of text (each paragraph's, stripped), any picture, each section's
    footer references with whether it has a first page of its own, and the text of the
    first paragraphs (``docnumber.HEAD`` characters: where a 文号 stands)."""
    from xml.etree import ElementTree

    chars, shapes = 0, False
    sections: list[tuple[dict[str, str], bool]] = []
    texts: list[list[str]] = [[]]  # one list per open paragraph (text boxes nest them);
    # the first collects the text of the document's first paragraphs
    parser: Any = ElementTree.XMLPullParser(events=("start", "end"))
    with package.open(part) as stream:
        chunk = stream.read(HEAD)
        check_head(chunk)
        while chunk:
            parser.feed(chunk)
            chars, shapes = _events(parser, texts, sections, chars, shapes)
            chunk = stream.read(1 << 16)
    parser.close()
    chars, shapes = _events(parser, texts, sections, chars, shapes)
    return chars, shapes, sections, texts[0]


def _events(parser: Any, texts: list[list[str]], sections: list[tuple[dict[str, str], bool]],
            chars: int, shapes: bool) -> tuple[int, bool]:
    """Take what the parser has read so far: count text, note pictures and sections."""
    for event, element in parser.read_events():
        tag = element.tag
        if event == "start":
            if tag == W + "p":
                texts.append([])
            continue
        if tag == W + "t":
            if len(texts) > 1 and element.text:
                texts[-1].append(element.text)
        elif tag == W + "p":
            if len(texts) > 1:
                text = "".join(texts.pop()).strip()
                chars += len(text)
                if text and chars <= docnumber.HEAD:
                    texts[0].append(text)
            element.clear()
        elif tag in SHAPES:
            shapes = True
        elif tag == W + "sectPr":
            refs = {ref.get(W + "type", "default"): ref.get(R + "id", "")
                    for ref in element.iter(W + "footerReference")}
            first = element.find(W + "titlePg")
            own_first = first is not None and first.get(W + "val", "1") not in (
                "0", "false", "off")
            sections.append((refs, own_first))
        elif tag == W + "tbl":
            element.clear()
    return chars, shapes


def _xml(package: zipfile.ZipFile, part: str) -> Any:
    """A small part, parsed whole, after its first bytes show no DOCTYPE."""
    from xml.etree import ElementTree

    data = package.read(part)
    check_head(data[:HEAD])
    return ElementTree.fromstring(data)


def _shown(sections: list[tuple[dict[str, str], bool]], even: bool) -> list[str]:
    """The footers the pages show: a section without a footer of a kind shows the one of
    the section before it (Word's 'link to previous')."""
    current: dict[str, str] = {}
    shown: list[str] = []
    for refs, own_first in sections:
        current.update(refs)
        for kind in ("default", *(("first",) if own_first else ()), *(("even",) if even
                                                                      else ())):
            rid = current.get(kind)
            if rid and rid not in shown:
                shown.append(rid)
    return shown


def _relations(package: zipfile.ZipFile, part: str, names: set[str]) -> dict[str, str]:
    """rId → part name, for the main document's relationships."""

    if part not in names:
        return {}
    root = _xml(package, part)
    out = {}
    for rel in root.iter(REL + "Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        out[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") \
            else f"word/{target}"
    return out


def _even_pages(package: zipfile.ZipFile, names: set[str]) -> bool:

    if "word/settings.xml" not in names:
        return False
    root = _xml(package, "word/settings.xml")
    setting = root.find(W + "evenAndOddHeaders")
    return setting is not None and setting.get(W + "val", "1") not in ("0", "false", "off")


def _footer_names(package: zipfile.ZipFile, shown: list[str], title: str) -> bool:
    """Does a footer the pages show carry the document's name (the title, at least)?"""

    wanted = naming.fold(title)
    if not wanted:
        return False
    for part in shown:
        root = _xml(package, part)
        text = "".join(t.text or "" for t in root.iter(W + "t"))
        if wanted in naming.fold(text):
            return True
    return False


def _core_date(package: zipfile.ZipFile, result: Result) -> None:
    from xml.etree import ElementTree

    try:
        core = _xml(package, "docProps/core.xml")
    except ElementTree.ParseError:
        return
    for key in ("dcterms:created", "dcterms:modified"):
        value = (core.findtext(key, "", CORE) or "").strip()
        if len(value) >= 4 and value[:4].isdigit() and plausible(int(value[:4])):
            result["year"] = int(value[:4])
            result["year_source"] = "core"
            return
