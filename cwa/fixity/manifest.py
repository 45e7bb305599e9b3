"""The manifest file: BagIt (RFC 8493) manifest lines, ``<digest>  <path>``, in UTF-8.

Paths use ``/`` and are relative to the archive. As RFC 8493 §2.1.3 requires, ``%``, CR
and LF in a path are written ``%25``, ``%0D`` and ``%0A``. A name that is not UTF-8 on disk
(unzipped from a Chinese Windows zip: ``b'\\xb9\\xa4\\xd7\\xf7.docx'``) cannot be written in
a UTF-8 file as it is: its undecodable bytes are written ``%B9%A4%D7%F7``, which reads
back to the same bytes (no other ``%`` is left unescaped, so this is unambiguous).

cwa's manifests start with ``#`` lines: one machine-readable (``# cwa-manifest: 1
algorithm=sha256 …``), then, for people, what was covered and which rules left files out.
bagit-python skips such lines; a bag's own manifests have none. Reading is lenient the
way bagit-python is (``*`` before a path, as sha256sum writes it; any run of spaces).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cwa import __version__, wording
from cwa.errors import CwaError
from cwa.fixity.digest import ALGORITHMS, LABELS
from cwa.fixity.select import RULES, TOOL_DIRS
from cwa.messages import t

MAGIC = "# cwa-manifest: 1"
_NAME = re.compile(r"^(?:tag)?manifest-([a-z0-9]+)\.txt$")
_LINE = re.compile(r"^([0-9A-Fa-f]+)[ \t]+(.*)$")
_ESCAPED = re.compile(r"%([0-9A-Fa-f]{2})")
_SURROGATE = re.compile("[\udc80-\udcff]")


def file_name(algorithm: str) -> str:
    return f"manifest-{algorithm}.txt"


def escape(path: str) -> str:
    """A path as a manifest line writes it."""
    text = path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if _SURROGATE.search(text):  # bytes that are not UTF-8, as os.fsdecode kept them
        text = _SURROGATE.sub(lambda m: f"%{ord(m.group()) - 0xDC00:02X}", text)
    return text


def shown(path: str) -> str:
    """A path to show people and to write into reports: valid UTF-8 on one line (bytes
    that are not UTF-8 as ``%XX``, CR and LF as ``%0D``, ``%0A``); ``%`` itself kept."""
    text = path.replace("\r", "%0D").replace("\n", "%0A")
    return _SURROGATE.sub(lambda m: f"%{ord(m.group()) - 0xDC00:02X}", text)


def unescape(text: str) -> str:
    """The path a manifest line names (``escape`` reversed; ``%XX`` other than 25, 0D, 0A
    or a byte ≥ 80 is left as written, as tools that do not escape write it)."""

    def byte(m: re.Match[str]) -> str:
        value = int(m.group(1), 16)
        if value == 0x25:
            return "%"
        if value in (0x0D, 0x0A):
            return chr(value)
        if value >= 0x80:
            return chr(0xDC00 + value)
        return m.group()

    if "%" not in text:
        return text
    decoded = _ESCAPED.sub(byte, text)
    # bytes that together are valid UTF-8 (escaped by another tool) become characters
    return decoded.encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")


def algorithm_of(name: str) -> str | None:
    match = _NAME.match(name)
    return match.group(1) if match else None


def header(algorithm: str, created: str, files: int, size: int,
           left_out: Mapping[str, int]) -> list[str]:
    """The lines for people at the top of cwa's manifests: what was covered, and each rule
    that left files out with how many (``select.RULES``)."""
    lines = [t("manifest.header_title", algo=LABELS.get(algorithm, algorithm.upper()),
               time=created, version=__version__),
             t("manifest.header_count", files=files, size=wording.size(size),
               oxum=f"{size}.{files}")]
    lines += [t(f"manifest.rule_{rule}", count=left_out.get(rule, 0)) for rule in RULES]
    lines += [t("manifest.rule_tools", names=wording.listing(TOOL_DIRS)),
              t("manifest.header_format")]
    return lines


def render(algorithm: str, digests: list[tuple[str, str]], header: list[str],
           created: str = "") -> bytes:
    """The manifest's bytes: the header lines (without ``#``), then one line per file."""
    lines = [f"{MAGIC} algorithm={algorithm}" + (f" created={created}" if created else "")]
    lines += [f"# {line}" if line else "#" for line in header]
    lines += [f"{digest}  {escape(path)}" for path, digest in digests]
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_plain(digests: list[tuple[str, str]]) -> bytes:
    """Manifest lines only, as RFC 8493 has them (a bag's manifests)."""
    return "".join(f"{digest}  {escape(path)}\n" for path, digest in digests).encode("utf-8")


@dataclass
class Manifest:
    source: str  # the file, as shown
    algorithm: str
    entries: dict[str, str] = field(default_factory=dict)  # path → lower-case hex digest
    written: dict[str, str] = field(default_factory=dict)  # path → the path as written
    header: list[str] = field(default_factory=list)
    created: str | None = None  # when cwa made it (its first line says)
    tags: bool = False  # a bag's tag manifest: its files are checked, not counted

    def nfc(self) -> dict[str, str]:
        """NFC form → path, to find a file whose name was normalised differently."""
        return {unicodedata.normalize("NFC", p): p for p in self.entries}


def parse(data: bytes, source: str, algorithm: str | None = None) -> Manifest:
    """Read a manifest; the algorithm from ``algorithm``, else the cwa header, else the
    file's name (``manifest-sm3.txt``), else SHA-256."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CwaError("error.not_utf8", path=source, pos=exc.start) from None
    lines = text.split("\n")
    header = [line[2:] if line.startswith("# ") else line[1:] for line in lines
              if line.startswith("#")]
    facts = _facts(lines)
    algorithm = (algorithm or facts.get("algorithm")
                 or algorithm_of(Path(source).name.rpartition(":")[2]) or "sha256")
    manifest = Manifest(source, algorithm, header=header, created=facts.get("created"),
                        tags=Path(source).name.rpartition(":")[2].startswith("tagmanifest-"))
    width = 64 if algorithm in ALGORITHMS else 0
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None or (width and len(match.group(1)) != width):
            raise CwaError("fixity.bad_line", path=source, line=number,
                           text=line[:80].encode("unicode_escape").decode("ascii"))
        written = match.group(2)
        if written.startswith("*") and match.group(0)[len(match.group(1)):].startswith(" *"):
            written = written[1:]  # sha256sum's binary-mode mark
        path = unescape(written)
        _refuse_outside(path, source, number)
        if path in manifest.entries:
            raise CwaError("fixity.duplicate_line", path=source, line=number, name=written)
        manifest.entries[path] = match.group(1).lower()
        manifest.written[path] = written
    return manifest


def _facts(lines: list[str]) -> dict[str, str]:
    """``key=value`` words of cwa's first line."""
    if not lines or not lines[0].startswith(MAGIC):
        return {}
    return dict(w.split("=", 1) for w in lines[0].split() if "=" in w)


def _refuse_outside(path: str, source: str, number: int) -> None:
    if path and path[0] not in "/." and path[-1] != "/" and "//" not in path and (
            "/." not in path):
        return  # no part is empty or starts with a dot: the common case, decided quickly
    parts = path.split("/")
    if not path or path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise CwaError("fixity.unsafe_path", path=source, line=number, name=path)
