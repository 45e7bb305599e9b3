"""How much more than a bare walk does a metadata-only ``cwa check`` cost?

Builds an archive of N files (default 100,000) against the default rubric — every leaf
indicator with year folders, each year with activity folders of photos and documents —
then times, in the same run and as separate processes:

  baseline  a bare ``os.scandir`` walk that stats every entry (no follow of links)
  cwa       ``cwa check DIR --format json`` (output to /dev/null)

Each is run ``--repeat`` times after one warm-up (so both read a warm page cache); the
best times are compared. Prints the ratio cwa / baseline.

    python benchmarks/bench_check.py                 # 100,000 files in a temp folder
    python benchmarks/bench_check.py --files 20000 --keep /tmp/bench-archive
"""

from __future__ import annotations

import argparse
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

from cwa.config import Config, render  # noqa: E402
from cwa.match import expected_name  # noqa: E402
from cwa.rubric import bundled  # noqa: E402
from cwa.rubric.model import Indicator, Naming, Years  # noqa: E402

YEARS = Years(2024, 2026)
PER_ACTIVITY = 20
EXT = {"text": ".docx", "image": ".jpg", "av": ".mp4"}

WALK = """
import os, sys
def walk(path):
    n = 0
    stack = [path]
    while stack:
        with os.scandir(stack.pop()) as it:
            for e in it:
                st = e.stat(follow_symlinks=False)
                n += 1
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
    return n
print(walk(sys.argv[1]))
"""


def start_archive(target: Path) -> list[tuple[Path, Indicator]]:
    """An archive folder with its cwa.yaml (default rubric, YEARS); the leaf indicators'
    folders in it, to be filled (created as files are put in them)."""
    rubric, _ = bundled.load_ref(bundled.DEFAULT)
    leaves: list[tuple[Path, Indicator]] = []

    def place(indicators: tuple[Indicator, ...], parent: Path) -> None:
        for position, ind in enumerate(indicators, start=1):
            folder = parent / expected_name(position, ind, len(indicators), Naming())
            if ind.is_leaf:
                leaves.append((folder, ind))
            place(ind.children, folder)

    place(rubric.indicators, target)
    target.mkdir(parents=True)
    (target / "cwa.yaml").write_text(render(Config(bundled.DEFAULT, YEARS)), encoding="utf-8")
    return leaves


def build(target: Path, files: int) -> int:
    leaves = start_archive(target)
    per_leaf_year = max(1, files // (len(leaves) * len(YEARS.span())))
    activities = max(1, per_leaf_year // PER_ACTIVITY)
    made = 0
    for leaf, indicator in leaves:
        items = indicator.evidence  # unique names, each naming the evidence it is
        for year in YEARS.span():
            for a in range(1, activities + 1):
                folder = leaf / str(year) / f"{a:02d}：{year}年第{a}次活动"
                folder.mkdir(parents=True)
                for i in range(1, PER_ACTIVITY + 1):
                    item = items[i % len(items)]
                    ext = EXT[item.kinds[i % len(item.kinds)]]
                    (folder / f"{i:02d}：{year}年第{a}次{item.title}{i}{ext}").write_bytes(b"x")
                    made += 1
    return made


#: The messy tree: what share of files is written which way (the rest as a careful
#: clerk would): without a serial number, with ``_``/``-`` as separator, naming no
#: evidence item, from a year before the archive's.
MESSY = (("unnumbered", 0.30), ("separator", 0.20), ("no_item", 0.30), ("old_year", 0.10))
OLD_YEAR = YEARS.start - 5


def build_messy(target: Path, files: int, seed: int = 14) -> int:
    """Like ``build``, with names as found in real shared drives (see ``MESSY``)."""
    rng = random.Random(seed)
    leaves = start_archive(target)
    per_leaf_year = max(1, files // (len(leaves) * len(YEARS.span())))
    activities = max(1, per_leaf_year // PER_ACTIVITY)
    made = 0
    for leaf, indicator in leaves:
        items = indicator.evidence
        for year in YEARS.span():
            for a in range(1, activities + 1):
                folder = leaf / str(year) / f"{a:02d}：{year}年第{a}次活动"
                old = leaf / str(OLD_YEAR) / f"{a:02d}：{OLD_YEAR}年第{a}次活动"
                folder.mkdir(parents=True)
                for i in range(1, PER_ACTIVITY + 1):
                    item = items[i % len(items)]
                    ext = EXT[item.kinds[i % len(item.kinds)]]
                    kind, here, when, title = _messy_kind(rng), folder, year, item.title
                    number = f"{i:02d}："
                    if kind == "unnumbered":
                        number = ""
                    elif kind == "separator":
                        number = f"{i:02d}{rng.choice('_-')}"
                    elif kind == "no_item":
                        title = rng.choice(("其他资料", "扫描件", "新建文档", "照片整理"))
                    elif kind == "old_year":
                        here, when = old, OLD_YEAR
                        here.mkdir(parents=True, exist_ok=True)
                    (here / f"{number}{when}年第{a}次{title}{i}{ext}").write_bytes(b"x")
                    made += 1
    return made


def _messy_kind(rng: random.Random) -> str:
    roll = rng.random()
    for kind, share in MESSY:
        if roll < share:
            return kind
        roll -= share
    return "clean"


def best(cmd: list[str], repeat: int, env: dict[str, str] | None = None,
         warm_up: bool = True) -> float:
    """The best of ``repeat`` runs of ``cmd`` (after one to warm the page cache)."""
    if warm_up:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env, check=False)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the archive here")
    args = parser.parse_args()

    temp = None
    if args.keep and args.keep.exists():
        target = args.keep
        made = sum(1 for _ in target.rglob("*.*"))
    else:
        temp = None if args.keep else tempfile.mkdtemp(prefix="cwa-bench-")
        target = args.keep or Path(temp) / "archive"  # type: ignore[arg-type]
        start = time.perf_counter()
        made = build(target, args.files)
        print(f"built {made:,} files in {time.perf_counter() - start:.1f}s: {target}")
    try:
        baseline = best([sys.executable, "-c", WALK, str(target)], args.repeat)
        cwa = best([sys.executable, "-m", "cwa", "check", str(target), "--format", "json",
                    "--fail-on", "never"], args.repeat)
        print(f"files            {made:,}")
        print(f"baseline (walk)  {baseline:.3f} s")
        print(f"cwa check json   {cwa:.3f} s")
        print(f"ratio            {cwa / baseline:.2f}x  (goal ≤ 3x now, ≤ 1.5x later)")
    finally:
        if temp:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("CWA_LANG", "zh")
    main()
