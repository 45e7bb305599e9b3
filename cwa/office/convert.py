"""Old binary documents (.doc, .wps…) to .docx with LibreOffice, when it is installed."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

OLD = frozenset({".doc", ".dot", ".wps", ".wpt", ".rtf"})


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _run(args: list[str], timeout: float, temp: str) -> None:
    """Run LibreOffice in a process group of its own, and end the whole group however
    this ends (a timeout, Ctrl-C): soffice hands the work to a child that would otherwise
    go on writing into a folder being removed. Its own temporary files go into ``temp``
    too, which the caller removes."""
    env = {**os.environ, "TMPDIR": temp, "TMP": temp, "TEMP": temp}
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env, start_new_session=os.name == "posix")
    try:
        process.wait(timeout=timeout)
    finally:
        if process.poll() is None or os.name == "posix":
            with contextlib.suppress(OSError):
                if os.name == "posix":
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()
            process.wait()


def to_docx(path: Path, timeout: float = 120) -> bytes | None:
    """The document converted to .docx, or None when LibreOffice cannot."""
    program = soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as temp:
        profile = Path(temp) / "profile"
        try:
            _run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                  "--convert-to", "docx", "--outdir", temp, str(path)], timeout, temp)
        except (OSError, subprocess.TimeoutExpired):
            return None
        produced = Path(temp) / f"{path.stem}.docx"
        return produced.read_bytes() if produced.is_file() else None


#: What LibreOffice can lay out into pages (the page count of a PDF is read directly).
PAGED = frozenset({".docx", ".doc", ".dot", ".wps", ".wpt", ".rtf", ".odt", ".xlsx", ".xls",
                   ".et", ".ods", ".pptx", ".ppt", ".dps", ".odp", ".txt"})


def page_counts(paths: list[Path], timeout: float | None = None) -> dict[Path, int]:
    """How many pages each document prints on, laid out by LibreOffice in one batch (one
    process for all: starting it costs seconds). Copies go to a temporary folder under
    numbered names — never a file written beside the originals, no two outputs with one
    name. Documents LibreOffice cannot lay out are left out of the answer."""
    program = soffice()
    if program is None or not paths:
        return {}
    import logging
    import warnings

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    counts: dict[Path, int] = {}
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as temp:
        work = Path(temp)
        copies: dict[str, Path] = {}
        for i, path in enumerate(paths):
            copy = work / f"{i:06d}{path.suffix.lower()}"
            try:
                shutil.copyfile(path, copy)
            except OSError:
                continue
            copies[copy.stem] = path
        out = work / "pdf"
        # a timeout keeps whatever was laid out before it
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            _run([program, f"-env:UserInstallation={(work / 'profile').as_uri()}",
                  "--headless", "--convert-to", "pdf", "--outdir", str(out),
                  *sorted(str(work / f"{stem}{copies[stem].suffix.lower()}")
                          for stem in copies)], timeout or 60 + 10 * len(copies), temp)
        for pdf in out.glob("*.pdf") if out.is_dir() else ():
            if pdf.stem not in copies:
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    counts[copies[pdf.stem]] = len(PdfReader(str(pdf), strict=False).pages)
            except Exception:  # a half-written PDF from a timeout: not counted
                continue
    return counts
