"""Every speed figure of cwa in one run, each with its floor, its goal and the machine.

Runs, in turn (each also runs on its own; see its docstring for what it builds):

  bench_check.py    metadata check of 100,000 files, clean and messy, JSON and text,
                    against a bare scandir+stat walk; the parallel check against --jobs 1;
                    the peak memory of a check of 1,000,000 messy files (``--quick``:
                    skipped, it builds a million files first)
  bench_fix.py      fix --apply and undo of 10,000 renames against bare rename loops
  bench_deep.py     a cold --deep of 5,000 real files against the minimal-open floor
  bench_catalog.py  the .xlsx catalogue of 20,000 files against the .csv one
  bench_startup.py  cwa check of an empty archive against ``python -c "import rich"``

Each figure is the median of alternated runs (``common.alternate``); the wall-time
ratio is compared with the goal, the processor-time ratio is said beside it (it moves
less when other programs share the machine). The machine's processors and load average
are printed before and after: on a shared machine, read the figures with them. Exit
status 1 when a figure is over its goal.

    python benchmarks/run_all.py                  # about ten minutes
    python benchmarks/run_all.py --quick --repeat 3
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_catalog  # noqa: E402
import bench_check  # noqa: E402
import bench_deep  # noqa: E402
import bench_fix  # noqa: E402
import bench_startup  # noqa: E402
from common import Figure, compiled, load, machine  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="alternated runs per figure")
    parser.add_argument("--quick", action="store_true",
                        help="without the million-file memory figure")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the archives here")
    args = parser.parse_args()
    compiled()
    temp = None if args.keep else Path(tempfile.mkdtemp(prefix="cwa-bench-all-"))
    where = args.keep or temp
    assert where is not None
    where.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    figures: list[Figure] = []
    said: list[str] = []
    print(f"machine   {machine()}", flush=True)
    try:
        for kind in ("clean", "messy"):
            figures += bench_check.measure(kind, 100_000, where, args.repeat)
        fixed, linear = bench_fix.measure(10_000, args.repeat, where / "fix")
        figures += fixed
        said.append(linear)
        deep, warm = bench_deep.measure(5000, max(3, args.repeat // 2), where)
        figures += deep
        said.append(warm)
        figures += bench_catalog.measure(20_000, args.repeat, where)
        start, typer = bench_startup.measure(3 * args.repeat, where)
        figures += start
        said.append(typer)
        if not args.quick:
            said += bench_check.memory(where)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    print()
    for figure in figures:
        print(figure.line())
    for line in said:
        print(line)
    print(f"load average at the end {load()}; {time.perf_counter() - started:.0f} s in all")
    over = [f for f in figures if not f.ok] + [s for s in said if s.endswith("OVER")]
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
