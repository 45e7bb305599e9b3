"""The floor a cold ``cwa check --deep`` is measured against: the least work that opens
each file once, in as many processes as cores — a .docx's zip directory and its
document.xml, an image opened, verified and decoded by Pillow, a PDF read by pypdf (its
pages counted). No findings, no cache, no report.

    python benchmarks/deep_floor.py ARCHIVE
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import zipfile
from pathlib import Path


def open_once(path: str) -> int:
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext == ".docx":
            with zipfile.ZipFile(path) as package:
                return len(package.read("word/document.xml"))
        if ext in (".jpg", ".jpeg", ".png", ".tif", ".tiff"):
            from PIL import Image

            with Image.open(path) as im:
                im.verify()
            with Image.open(path) as im:
                im.load()
                return im.size[0]
        if ext == ".pdf":
            from pypdf import PdfReader

            return len(PdfReader(path).pages)
    except Exception:  # a damaged file costs what it costs
        return -1
    return 0


def files(root: Path) -> list[str]:
    out = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".cwa"]
        out += [os.path.join(folder, n) for n in names]  # noqa: PTH118 - str paths, fast
    return out


def main() -> None:
    paths = files(Path(sys.argv[1]))
    with multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn").Pool(
            os.cpu_count() or 1) as pool:
        sum(pool.imap_unordered(open_once, paths, chunksize=16))


if __name__ == "__main__":
    main()
