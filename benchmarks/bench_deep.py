"""How fast is ``cwa check --deep``, cold and warm, and how close is a warm re-check to a
metadata-only check?

Builds an archive of real files against the default rubric — .docx made with python-docx,
.jpg made with Pillow, .pdf made with pypdf (5,000 by default) — and times, in the same
run and as subprocesses (best of ``--repeat`` after a warm-up of the page cache):

  metadata   cwa check --format json
  floor      benchmarks/deep_floor.py: the least work that opens every file once
  cold       cwa check --deep --format json, with an empty cache folder
  warm       the same again, every result from the cache

Prints cold files/s, cold / floor and warm / metadata. With ``--walk`` it also runs
bench_check.py's comparison on its 100,000-file tree (metadata check / bare walk).

    python benchmarks/bench_deep.py
    python benchmarks/bench_deep.py --files 5000 --keep /tmp/bench-deep --walk
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_check import YEARS, best, start_archive  # noqa: E402


def _docx_bytes(text: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _jpeg_bytes(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (1024, 768), (rng.randrange(256), 200, 200))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(900), rng.randrange(700)
        draw.rectangle((x, y, x + 120, y + 60), fill=(rng.randrange(256), 60, 90))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _pdf_bytes(pages: int, title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build(target: Path, files: int) -> int:
    leaves = start_archive(target)
    made = 0
    per_folder: dict[Path, int] = {}
    while made < files:
        folder, indicator = leaves[made % len(leaves)]
        year = YEARS.start + made % 3
        here = folder / str(year)
        here.mkdir(parents=True, exist_ok=True)
        number = per_folder[here] = per_folder.get(here, 0) + 1
        title = indicator.evidence[made % len(indicator.evidence)].title
        kind = ("docx", "jpg", "jpg", "pdf")[made % 4] if "image" in \
            indicator.evidence[made % len(indicator.evidence)].kinds else ("docx", "pdf")[made % 2]
        body = (_docx_bytes(f"{title} {made}") if kind == "docx" else
                _jpeg_bytes(made) if kind == "jpg" else _pdf_bytes(1 + made % 3, f"{title} {made}"))
        (here / f"{number:03d}：{year}年{title}{made}.{kind}").write_bytes(body)
        made += 1
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the archive here")
    parser.add_argument("--walk", action="store_true",
                        help="also run bench_check.py on 100,000 files")
    args = parser.parse_args()
    temp = tempfile.mkdtemp(prefix="cwa-bench-deep-")
    try:
        target = args.keep or Path(temp) / "archive"
        if not target.exists():
            start = time.perf_counter()
            made = build(target, args.files)
            print(f"built {made:,} files in {time.perf_counter() - start:.1f}s: {target}")
        count = sum(1 for p in target.rglob("*") if p.is_file()) - 1
        cache = Path(temp) / "cache"
        env = {**os.environ, "CWA_CACHE_DIR": str(cache)}
        check = [sys.executable, "-m", "cwa", "check", str(target), "--format", "json",
                 "--fail-on", "never"]
        metadata = best(check, args.repeat, env)
        colds = []
        for _ in range(args.repeat):
            shutil.rmtree(cache, ignore_errors=True)
            colds.append(best([*check, "--deep"], 1, env, warm_up=False))
        cold = min(colds)
        warm = best([*check, "--deep"], args.repeat, env)
        floor = best([sys.executable, str(ROOT / "benchmarks" / "deep_floor.py"),
                      str(target)], args.repeat)
        print(f"files              {count:,}")
        print(f"metadata check     {metadata:.3f} s")
        print(f"floor: open each   {floor:.3f} s  (benchmarks/deep_floor.py, "
              f"{os.cpu_count()} processes)")
        print(f"deep, cold cache   {cold:.3f} s  ({count / cold:,.0f} files/s, "
              f"{os.cpu_count()} cores)  ratio {cold / floor:.2f}x  (goal ≤ 3x)")
        print(f"deep, warm cache   {warm:.3f} s")
        print(f"warm / metadata    {warm / metadata:.2f}x")
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    if args.walk:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_check.py")],
                       check=False)


if __name__ == "__main__":
    main()
