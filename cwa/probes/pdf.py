"""PDF: structure, encryption, page count, creation year (pypdf)."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from cwa.probes import Result, damaged, failure, plausible


def probe(path: str, result: Result) -> None:
    size = Path(path).stat().st_size
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 2048))
        if b"%%EOF" not in fh.read():
            result["issues"].append(damaged("pdf_no_eof"))
            return
    from pypdf import PdfReader  # loaded only where a PDF is opened

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(path, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                result["issues"].append(["CT003", {}])
                return
            pages = len(reader.pages)
            result["pages"] = pages
            if pages == 0:
                result["issues"].append(["CT006", {}])
            created = reader.metadata.creation_date if reader.metadata else None
    except Exception as exc:  # pypdf raises many kinds on damaged files
        result["issues"].append(failure(exc, path))
        return
    if created is not None and plausible(created.year):
        result["year"] = created.year
        result["year_source"] = "pdf"
