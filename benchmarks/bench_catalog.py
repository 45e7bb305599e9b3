"""How much more than a .csv does the .xlsx 归档文件目录 cost?

Builds bench_check.py's clean archive of N files (default 20,000) and times, as separate
processes in turn (medians, ``common.alternate``), ``cwa catalog DIR -o 目录.xlsx``
against ``cwa catalog DIR -o 目录.csv``: the same scan, check and reading of every
file, written to the two formats (goal ≤ 1.5x).

    python benchmarks/bench_catalog.py
    python benchmarks/bench_catalog.py --files 5000 --repeat 3
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_check import ENV, tree  # noqa: E402
from common import CWA, Figure, alternate, compiled, load, machine  # noqa: E402


def measure(files: int, repeat: int, where: Path) -> list[Figure]:
    archive = tree("clean", files, where)
    out = where / "catalogue"
    out.mkdir(exist_ok=True)
    xlsx, csv = alternate([[*CWA, "catalog", str(archive), "-o", str(out / "目录.xlsx")],
                           [*CWA, "catalog", str(archive), "-o", str(out / "目录.csv")]],
                          repeat, ENV)
    return [Figure(f"catalog -o .xlsx, {files // 1000}k files", xlsx,
                   "floor: catalog -o .csv", csv, 1.5)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    compiled()
    temp = Path(tempfile.mkdtemp(prefix="cwa-bench-catalog-"))
    try:
        print(f"machine   {machine()}")
        for figure in measure(args.files, args.repeat, temp):
            print(figure.line())
        print(f"load average at the end: {load()}")
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
