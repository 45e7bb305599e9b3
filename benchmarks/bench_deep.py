"""How fast is ``cwa check --deep``, cold and warm?

Builds an archive of real files against the default rubric — .docx made with python-docx,
.jpg made with Pillow, .pdf made with pypdf (5,000 by default) — and times, as separate
processes in turn (medians, ``common.alternate``):

  floor      benchmarks/deep_floor.py: the least work that opens every file once, in as
             many processes as cores
  cold       cwa check --deep --format json, its cache folder emptied before each run
  warm       the same with every result in the cache, against the metadata check

Prints cold / floor (goal ≤ 3x) and warm / metadata.

    python benchmarks/bench_deep.py
    python benchmarks/bench_deep.py --files 5000 --keep /tmp/bench-deep
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_check import YEARS, start_archive  # noqa: E402
from common import CWA, PYTHON, Figure, alternate, compiled, load, machine, once  # noqa: E402


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


def measure(files: int, repeat: int, where: Path) -> tuple[list[Figure], str]:
    """Cold --deep against the minimal-open floor, alternated, the cache emptied before
    each cold run; then warm --deep against the metadata check (said, not a goal)."""
    target = where / f"deep-{files}"
    if not target.exists():
        start = time.perf_counter()
        made = build(target, files)
        print(f"built {made:,} files in {time.perf_counter() - start:.1f}s: {target}",
              flush=True)
    count = sum(1 for p in target.rglob("*") if p.is_file()) - 1
    cache = where / "deep-cache"
    env = {**os.environ, "CWA_CACHE_DIR": str(cache), "CWA_LANG": "zh"}
    check = [*CWA, "check", str(target), "--format", "json", "--fail-on", "never"]
    floor, cold = alternate(
        [[PYTHON, str(ROOT / "benchmarks" / "deep_floor.py"), str(target)], [*check, "--deep"]],
        repeat, env, before_each=[None, lambda: shutil.rmtree(cache, ignore_errors=True)])
    once([*check, "--deep"], env)  # fill the cache
    warm, metadata = alternate([[*check, "--deep"], check], repeat, env)
    figure = Figure(f"check --deep, cold, {count:,} files", cold,
                    f"floor: open each ({os.cpu_count()} proc.)", floor, 3.0)
    said = (f"check --deep, warm cache: {warm.wall:.3f} s = {warm.wall / metadata.wall:.2f}x "
            f"the metadata check ({metadata.wall:.3f} s); cold: {count / cold.wall:,.0f} "
            "files/s")
    return [figure], said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the archive here")
    args = parser.parse_args()
    compiled()
    temp = tempfile.mkdtemp(prefix="cwa-bench-deep-")
    where = args.keep or Path(temp)
    where.mkdir(parents=True, exist_ok=True)
    try:
        print(f"machine   {machine()}")
        figures, said = measure(args.files, args.repeat, where)
        for figure in figures:
            print(figure.line())
        print(said)
        print(f"load average at the end: {load()}")
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
