"""Redraw the README's pictures (docs/*.png) from the real outputs of the example archive.

Needs Chromium, LibreOffice (Writer and Calc) and poppler-utils, with a CJK font (Debian:
``apt-get install chromium libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils
fonts-wqy-microhei``), or the Chinese shows as boxes. Run from the repository root:

    python examples/screenshot.py

It writes docs/report.png and docs/report-phone.png (the HTML report at 1280 and 390 px),
docs/album.png (the first page of the photo album), docs/catalog.png (the first page of
the 归档文件目录 after its cover) and docs/stamp.png (the foot of a stamped document).
Only commit them when they change on purpose.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def cwa(*args: object, env: dict[str, str], cwd: Path = ROOT) -> None:
    subprocess.run([sys.executable, "-m", "cwa", *map(str, args)], cwd=cwd,
                   env={**env, "PYTHONPATH": str(ROOT)}, check=False, capture_output=True)


def chromium_shot(chromium: str, page: Path, target: Path, width: int, height: int,
                  profile: Path) -> None:
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
                    f"--window-size={width},{height}", f"--screenshot={target}",
                    page.as_uri()], check=True, capture_output=True)


def pages(soffice: str, documents: list[Path], work: Path) -> dict[str, Path]:
    """Render documents to PDF in one LibreOffice run."""
    out = work / "pdf"
    subprocess.run([soffice, f"-env:UserInstallation={(work / 'lo').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, documents)],
                   check=True, capture_output=True, timeout=300)
    return {p.stem: p for p in out.glob("*.pdf")}


def png(pdf: Path, page: int, target: Path, dpi: int = 80,
        crop: tuple[int, int, int, int] | None = None) -> None:
    """One page as PNG; ``crop`` (x, y, width, height) in pixels at ``dpi``."""
    args = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
            "-singlefile"]
    if crop:
        args += ["-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]),
                 "-H", str(crop[3])]
    subprocess.run([*args, str(pdf), str(target.with_suffix(""))], check=True)


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if chromium is None or soffice is None or shutil.which("pdftoppm") is None:
        sys.exit("needs chromium, LibreOffice and pdftoppm")
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        env = {**os.environ, "CWA_CACHE_DIR": str(work / "cache")}
        example = work / "qinghe-tax"
        shutil.copytree(ROOT / "examples" / "qinghe-tax", example)
        (example / "cwa.yaml").write_text(
            'rubric: "archive-scope"\nyears: {from: 2024, to: 2026}\n'
            'catalog: {unit: 清河区税务局, fonds: "Z012", retention: 永久, organ: 文明创建}\n',
            encoding="utf-8")
        report = work / "report.html"
        cwa("check", example.name, "--deep", "--format", "html", "--output", report, env=env,
            cwd=work)  # the report names the archive as the clerk typed it
        chromium_shot(chromium, report, DOCS / "report.png", 1200, 1500, work / "p1")
        chromium_shot(chromium, report, DOCS / "report-phone.png", 390, 1400, work / "p2")
        out = work / "out"
        out.mkdir()
        album = out / "荣誉类图片资料.docx"
        cwa("album", example / "07：荣誉类", "-o", album, env=env)
        catalogue = out / "归档文件目录.docx"
        cwa("catalog", example, "-o", catalogue, env=env)
        stamped = example / "01：思想建设类" / "03：组织机构建设" / "01：创建领导小组文件.docx"
        cwa("stamp", stamped, env=env)
        shutil.copyfile(stamped, out / stamped.name)
        rendered = pages(soffice, [album, catalogue, out / stamped.name], work)
        png(rendered[album.stem], 1, DOCS / "album.png", dpi=70)
        png(rendered[catalogue.stem], 2, DOCS / "catalog.png", dpi=70)
        # the foot of the stamped page (A4 at 100 dpi: 827 × 1169 px)
        png(rendered[stamped.stem], 1, DOCS / "stamp.png", dpi=100, crop=(0, 980, 827, 189))
    for name in ("report", "report-phone", "album", "catalog", "stamp"):
        print(f"wrote docs/{name}.png")


if __name__ == "__main__":
    main()
