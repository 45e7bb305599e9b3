"""How much more than a bare walk does a metadata-only ``cwa check`` cost?

Builds archives of N files (default 100,000) against the default rubric — every leaf
indicator with year folders, each year with activity folders of photos and documents:

  clean   named like a careful clerk: ``03：2024年第1次会议记录3.docx``
  messy   as found on shared drives (``MESSY``): 30 % without a serial number, 20 %
          with ``_`` or ``-`` as separator, 30 % naming no evidence item, 10 % from a year
          before the archive's (about 84,000 findings for 100,000 files)

and times, as separate processes in turn (``common.alternate``), medians:

  floor   a bare ``os.scandir`` walk that stats every entry (no follow of links)
  cwa     ``cwa check DIR --format json`` and ``cwa check DIR`` (text), output thrown away:
          as a re-check runs (nothing changed since the last check: each folder's part is
          remembered, ``cwa.checks.memo``) and with ``--no-cache`` (every folder checked)

and, for the parallel check, ``--jobs 1`` against the worker count cwa chooses. With
``--million`` it also builds 1,000,000 messy files and measures the peak memory (the
largest process) of a check, JSON and text.

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
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import (  # noqa: E402
    CWA,
    PYTHON,
    Figure,
    alternate,
    compiled,
    load,
    machine,
    peak_rss,
)

from cwa import checks  # noqa: E402
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


def tree(kind: str, files: int, where: Path) -> Path:
    """The ``kind`` archive ("clean" or "messy") of ``files`` files below ``where``,
    built unless it is there."""
    target = where / f"{kind}-{files}"
    if not target.exists():
        start = time.perf_counter()
        made = (build if kind == "clean" else build_messy)(target, files)
        print(f"built {made:,} {kind} files in {time.perf_counter() - start:.1f}s: {target}",
              flush=True)
    return target


def check_command(archive: Path, fmt: str, *extra: str) -> list[str]:
    return [*CWA, "check", str(archive), "--fail-on", "never",
            *(["--format", fmt] if fmt != "text" else []), *extra]


def measure(kind: str, files: int, where: Path, repeat: int) -> list[Figure]:
    """The metadata check of the ``kind`` tree, JSON and text, against the bare walk;
    and the parallel check against ``--jobs 1``."""
    archive = tree(kind, files, where)
    walk = [PYTHON, "-c", WALK, str(archive)]
    goal = 1.5 if kind == "clean" else 2.0
    figures = []
    for fmt in ("json", "text"):
        # the warm-up run remembers each folder's part; --no-cache checks every one again
        cwa, cold, floor = alternate([check_command(archive, fmt),
                                      check_command(archive, fmt, "--no-cache"), walk],
                                     repeat, ENV)
        figures.append(Figure(f"check, {files // 1000}k {kind}, {fmt}", cwa,
                              "floor: bare scandir+stat walk", floor, goal,
                              "[unchanged since the last check]"))
        figures.append(Figure(f"check, {files // 1000}k {kind}, {fmt}, --no-cache", cold,
                              "floor: bare scandir+stat walk", floor, goal,
                              "[every folder checked: a first check]"))
    busy = checks.busy()  # what cwa weighs to choose its worker count, measured here
    chosen, serial = alternate([check_command(archive, "json", "--no-cache"),
                                check_command(archive, "json", "--jobs", "1", "--no-cache")],
                               repeat, ENV)
    # never slower: within 5 %, about the spread of alternated medians here
    figures.append(Figure(f"check, {files // 1000}k {kind}, parallel", chosen,
                          "floor: the same, --jobs 1", serial, 1.05,
                          f"[processors busy with other work: {busy:.1f}]"))
    return figures


def memory(where: Path) -> list[str]:
    """Peak memory of a check of 1,000,000 messy files, per file (goal ≤ 1 KB): a first
    check (with a cache folder of its own, empty: every part made and kept) and then a
    re-check (every part from the cache)."""
    archive = tree("messy", 1_000_000, where)
    count = sum(1 for _ in archive.rglob("*.*"))
    lines = []
    for fmt in ("json", "text"):
        with tempfile.TemporaryDirectory(prefix="cwa-bench-cache-") as cache:
            env = {**ENV, "CWA_CACHE_DIR": cache}
            for when in ("first", "re-check"):
                peak = peak_rss(check_command(archive, fmt), env)
                per = peak / count
                lines.append(f"memory, 1M messy, {fmt:<4} {when:<8}  {peak / 2**20:7.0f} MiB "
                             f"peak (largest process) = {per:5.0f} bytes a file  "
                             f"(goal ≤ 1024)  {'ok' if per <= 1024 else 'OVER'}")
    return lines


ENV = {**os.environ, "CWA_LANG": "zh"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the archives here")
    parser.add_argument("--million", action="store_true",
                        help="also the peak memory at 1,000,000 messy files")
    args = parser.parse_args()
    compiled()
    temp = None if args.keep else tempfile.mkdtemp(prefix="cwa-bench-")
    where = args.keep or Path(temp)  # type: ignore[arg-type]
    where.mkdir(parents=True, exist_ok=True)
    try:
        print(f"machine   {machine()}")
        for kind in ("clean", "messy"):
            for figure in measure(kind, args.files, where, args.repeat):
                print(figure.line(), flush=True)
        if args.million:
            for line in memory(where):
                print(line, flush=True)
        print(f"load average at the end: {load()}")
    finally:
        if temp:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
