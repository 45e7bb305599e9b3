"""Content inspection, one module per format. Runs in worker processes (``cwa.workers``).

``probe`` returns plain data (JSON-able, so it can be cached): the issues found, as
``[code, args]`` pairs with the finding codes of ``cwa.findings``, and the facts the
checks use — a year and where it came from, a caption, an image's size and perceptual
hash, a document's text length and whether its footer names it, a content digest.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from cwa.kinds import WEB_LINKS
from cwa.probes import magic

#: Bump when a probe changes what it reports: cached results of older versions are ignored.
VERSION = 5  # 5: Internet shortcuts; 4: a .docx's 文号; 3: .docx read from its XML
Result = dict[str, Any]
HEAD = 4096


def probe(path: str, ext: str, title: str, want_hash: bool) -> Result:
    """Inspect one file. ``title`` is its name's topic, looked for in a docx footer."""
    result: Result = {"issues": []}
    with open(path, "rb") as fh:
        head = fh.read(HEAD)
    family = magic.sniff(head)
    result["family"] = family
    if family == "exe" and ext not in (".exe", ".com", ".scr", ".msi"):
        result["issues"].append(["CT007", {}])
        return result
    if magic.mismatch(ext, family):
        if family == "ole" and ext in (".docx", ".xlsx", ".pptx") and _encrypted_ooxml(path):
            result["issues"].append(["CT003", {}])
            return result
        result["issues"].append(["CT002", {"family": family, "ext": ext}])
    if want_hash:
        result["sha256"] = _sha256(path)
    if ext in WEB_LINKS:  # an Internet shortcut (evidence kind link)
        from cwa.probes import link

        link.probe(path, ext, result)
    elif family == "zip" or ext in (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".ofd"):
        from cwa.probes import office

        office.probe(path, ext, title, family, result)
    elif family == "pdf" or ext == ".pdf":
        from cwa.probes import pdf

        pdf.probe(path, result)
    elif family in ("jpeg", "png", "gif", "tiff", "bmp", "webp") or ext in (
            ".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".bmp", ".webp"):
        from cwa.probes import image

        image.probe(path, ext, result)
    elif family in ("isobmff", "avi", "wav", "heic") or magic.EXPECTED.get(ext, frozenset()) & {
            "isobmff", "avi", "wav", "mp3", "asf", "mkv", "flv", "mpeg", "flac", "amr", "aac"}:
        from cwa.probes import media

        media.probe(path, ext, family, head, result)
    return result


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _encrypted_ooxml(path: str) -> bool:
    """A password-protected .docx/.xlsx/.pptx is an OLE file with an EncryptedPackage."""
    with open(path, "rb") as fh:
        data = fh.read(1 << 20)
    return "EncryptedPackage".encode("utf-16-le") in data


def plausible(year: int) -> bool:
    """A year a document of the archive can have (not 1970, not 2099)."""
    return 1980 <= year <= time.localtime().tm_year + 1


def failure(exc: BaseException, path: str = "") -> list[Any]:
    """An issue for an exception a library raised on a damaged file (without its path:
    the finding names the file)."""
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    if path:
        text = text.replace(f"'{path}'", "").replace(path, "").strip(" :")
    return damaged("library", error=f"{type(exc).__name__}: {text}" if text
                   else type(exc).__name__)


def damaged(why: str, **args: Any) -> list[Any]:
    """A CT001 issue; ``why`` names the message ``damage.<why>``."""
    return ["CT001", {"why": why, **args}]
