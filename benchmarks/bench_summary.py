"""How long does ``cwa summary`` take over many archives, cold and warm, against a bare
walk of all of them?

Builds UNITS archives (default 500) of about FILES files each (default 2,000: a million
files in all) against the default rubric, of mixed completeness (each unit fills a share
of its leaf indicators, from 30 % to all), then times, in the same run and as separate
processes:

  walk   a bare ``os.scandir`` walk that stats every entry of every archive (one process)
  cold   ``cwa summary ROOT --format json`` with an empty cache (both cores)
  warm   the same again, every row in the cache

Each is run ``--repeat`` times after a warm-up (a warm page cache for all three); the
best times are compared. Also prints the peak memory of any one process of the summary
over all units and over a tenth of them: bounded by the largest unit, not the total.

    python benchmarks/bench_summary.py                        # 500 × 2,000 in a temp folder
    python benchmarks/bench_summary.py --units 50 --files 500 --keep /tmp/bench-units
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_check import EXT, PER_ACTIVITY, WALK, YEARS, start_archive  # noqa: E402

#: Runs a command and prints the largest peak resident memory (KiB) of any process it
#: started (Linux: ru_maxrss of the waited-for descendants).
PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def build_unit(target: Path, files: int, share: float) -> int:
    """One archive: ``share`` of its leaf indicators hold evidence, ``files`` in all,
    in activity folders of PER_ACTIVITY files per year."""
    leaves = start_archive(target)
    kept = leaves[:max(1, round(len(leaves) * share))]
    years = list(YEARS.span())
    per_leaf_year = max(1, files // (len(kept) * len(years)))
    made = 0
    for leaf, indicator in kept:
        items = indicator.evidence
        for year in years:
            left = per_leaf_year
            a = 0
            while left > 0:
                a += 1
                folder = leaf / str(year) / f"{a:02d}：{year}年第{a}次活动"
                folder.mkdir(parents=True)
                for i in range(1, min(PER_ACTIVITY, left) + 1):
                    item = items[i % len(items)] if items else None
                    kinds = item.kinds if item else ("text",)
                    title = item.title if item else indicator.name
                    name = f"{i:02d}：{year}年第{a}次{title}{i}{EXT[kinds[i % len(kinds)]]}"
                    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
                    os.write(fd, b"x")
                    os.close(fd)
                    made += 1
                left -= PER_ACTIVITY
    return made


def build(root: Path, units: int, files: int) -> int:
    root.mkdir(parents=True)
    made = 0
    for n in range(units):
        share = 0.3 + 0.7 * (n % 10) / 9  # ten levels of completeness, 30 % … 100 %
        made += build_unit(root / f"单位{n + 1:03d}", files, share)
    return made


class Run(NamedTuple):
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and every worker it waited for


def timed(cmd: list[str], env: dict[str, str]) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                          check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(took, cpu)


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--files", type=int, default=2000, help="per unit")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the archives here")
    args = parser.parse_args()

    temp = None if args.keep else tempfile.mkdtemp(prefix="cwa-bench-summary-")
    root = args.keep or Path(temp) / "units"  # type: ignore[arg-type]
    if not root.exists():
        start = time.perf_counter()
        made = build(root, args.units, args.files)
        print(f"built {args.units} archives, {made:,} files in "
              f"{time.perf_counter() - start:.0f} s: {root}")
    caches = Path(tempfile.mkdtemp(prefix="cwa-bench-summary-cache-"))
    env = {**os.environ, "CWA_LANG": "zh"}
    summary = [sys.executable, "-m", "cwa", "summary", str(root), "--format", "json"]
    try:
        walk_cmd = [sys.executable, "-c", WALK, str(root)]
        timed(walk_cmd, env)  # warm-up: the page cache holds every folder and inode
        walk = best([timed(walk_cmd, env) for _ in range(args.repeat)])
        colds = []
        for n in range(args.repeat + 1):  # the first is the warm-up
            cold_env = {**env, "CWA_CACHE_DIR": str(caches / f"cold-{n}")}
            took = timed(summary, cold_env)
            if n:
                colds.append(took)
        warm_env = {**env, "CWA_CACHE_DIR": str(caches / "cold-0")}
        timed(summary, warm_env)
        warm = best([timed(summary, warm_env) for _ in range(args.repeat)])
        cold = best(colds)
        units = sorted(p for p in root.iterdir() if p.is_dir())
        some = [str(p) for p in units[: max(1, len(units) // 10)]]
        peak_all = _peak([*summary, "--no-cache"], env)
        peak_some = _peak([sys.executable, "-m", "cwa", "summary", *some, "--format", "json",
                           "--no-cache"], env)
        files = sum(1 for _ in root.rglob("*.*"))
        print(f"archives          {len(units)}  ({files:,} files)")
        print(f"cores             {os.cpu_count()}")
        print(f"load average      {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
              "(other work on the machine slows the two-process runs most)")
        print(f"walk (1 process)  {walk.wall:.2f} s   cpu {walk.cpu:.2f} s")
        for name, run, goal in (("cold", cold, 2), ("warm", warm, 0.2)):
            print(f"summary {name}      {run.wall:.2f} s   {run.wall / walk.wall:.2f}x the walk "
                  f"(goal ≤ {goal:g}x)   cpu {run.cpu:.2f} s = {run.cpu / walk.cpu:.2f}x the "
                  f"walk's")
        print(f"peak memory       {peak_all / 1024:.0f} MB over {len(units)} units, "
              f"{peak_some / 1024:.0f} MB over {len(some)} (largest single process)")
    finally:
        shutil.rmtree(caches, ignore_errors=True)
        if temp:
            shutil.rmtree(temp, ignore_errors=True)


def _peak(cmd: list[str], env: dict[str, str]) -> int:
    done = subprocess.run([sys.executable, "-c", PEAK, *cmd], capture_output=True, text=True,
                          env=env, check=True)
    return int(done.stdout.strip())


if __name__ == "__main__":
    main()
