"""Old binary documents (.doc, .wps…) to .docx with LibreOffice, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

OLD = frozenset({".doc", ".dot", ".wps", ".wpt", ".rtf"})


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(path: Path, timeout: float = 120) -> bytes | None:
    """The document converted to .docx, or None when LibreOffice cannot."""
    program = soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory() as temp:
        profile = Path(temp) / "profile"
        try:
            subprocess.run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                            "--convert-to", "docx", "--outdir", temp, str(path)],
                           capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        produced = Path(temp) / f"{path.stem}.docx"
        return produced.read_bytes() if produced.is_file() else None
