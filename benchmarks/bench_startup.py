"""How long does ``cwa check`` take to start?

Times, as separate processes in turn (medians, ``common.alternate``), ``cwa check`` of an
archive that ``cwa init`` has just made (no documents: what remains is the start-up —
the interpreter, the command line, the rubric and cwa.yaml, the report) against
``python -c "import rich"`` (goal ≤ 2x). Also says what Typer alone costs to import
against the same floor: the command line is built on it, so no start-up goes below it.

    python benchmarks/bench_startup.py
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_check import ENV  # noqa: E402
from common import CWA, PYTHON, Figure, alternate, compiled, load, machine  # noqa: E402


def measure(repeat: int, where: Path) -> tuple[list[Figure], str]:
    archive = where / "empty"
    if not archive.exists():
        subprocess.run([*CWA, "init", str(archive)], stdout=subprocess.DEVNULL, check=True,
                       env=ENV)
    rich = [PYTHON, "-c", "import rich"]
    check, floor, typer = alternate(
        [[*CWA, "check", str(archive), "--format", "json"], rich,
         [PYTHON, "-c", "import typer"]], repeat, ENV)
    figure = Figure("check start-up (an empty archive)", check, 'floor: python -c "import rich"',
                    floor, 2.0)
    said = (f'of which Typer: python -c "import typer" {typer.wall:.3f} s = '
            f"{typer.wall / floor.wall:.2f}x the floor (cpu {typer.cpu / floor.cpu:.2f}x)")
    return [figure], said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    compiled()
    temp = Path(tempfile.mkdtemp(prefix="cwa-bench-startup-"))
    try:
        print(f"machine   {machine()}")
        figures, said = measure(args.repeat, temp)
        for figure in figures:
            print(figure.line())
        print(said)
        print(f"load average at the end: {load()}")
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
