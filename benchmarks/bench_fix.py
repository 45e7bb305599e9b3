"""How much more than a bare rename loop do ``cwa fix --apply`` and ``cwa undo`` cost?

Builds an archive against the default rubric with N documents (default 10,000) that all
need a serial number (``会议记录17.docx`` → ``017：会议记录17.docx``), and a byte-identical
copy. Then, in the same run and as separate processes, alternating:

  floor     a Python process that renames the same files to the same names with
            ``os.rename`` in a loop (nothing else: no scan, no plan, no journal)
  fix       ``cwa fix DIR --apply`` (scan, plan, print the plan, journal, rename)
  undo      ``cwa undo DIR`` (read the journal, rename back), against a loop renaming back

Each pair is run ``--repeat`` times; the medians are compared. Also measures how the
time of ``cwa undo`` grows with the number of steps (it must be linear) and that a long
history of earlier journals does not slow a new ``fix`` down.

    python benchmarks/bench_fix.py                  # 10,000 renames
    python benchmarks/bench_fix.py --files 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_check import start_archive  # noqa: E402
from common import CWA, PYTHON, Figure, alternate, compiled, load, machine, once  # noqa: E402

LOOP = """
import json, os, sys
pairs = json.load(open(sys.argv[1], encoding="utf-8"))
for source, target in pairs:
    os.rename(source, target)
"""


def build(target: Path, files: int) -> None:
    """``files`` documents without serial numbers, spread over the leaf indicators."""
    leaves = start_archive(target)
    per_leaf = max(1, files // len(leaves))
    made = 0
    for folder, _ in leaves:
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_leaf):
            if made == files:
                return
            (folder / f"会议记录{i}.docx").write_bytes(b"x")
            made += 1


def run(cmd: list[str]) -> float:
    return once(cmd)[0]


def renames_of(journal_dir: Path) -> list[tuple[str, str]]:
    """The renames the newest journal made, as (source, target) relative paths."""
    newest = max(journal_dir.glob("*-fix.jsonl"))
    header = json.loads(newest.read_text(encoding="utf-8").splitlines()[0])
    return [(op["rel"], op["to"]) for op in header["operations"] if op["op"] == "rename"]


def measure(files: int, repeat: int, where: Path) -> tuple[list[Figure], str]:
    """fix --apply and undo against the bare loops, alternated; and undo's time per step
    at a quarter, a half and all of the renames."""
    shutil.rmtree(where, ignore_errors=True)
    archive, copy = where / "archive", where / "copy"
    build(archive, files)
    shutil.copytree(archive, copy)
    # learn the renames once, and leave the archive as it was
    run([*CWA, "fix", str(archive), "--apply"])
    pairs = renames_of(archive / ".cwa" / "journal")
    run([*CWA, "undo", str(archive)])
    forward = where / "forward.json"
    back = where / "back.json"
    forward.write_text(json.dumps([[str(copy / s), str(copy / t)] for s, t in pairs]),
                       encoding="utf-8")
    back.write_text(json.dumps([[str(copy / t), str(copy / s)] for s, t in pairs]),
                    encoding="utf-8")
    # in this order, each run leaves the tree as the next one needs it
    floor, fix, back_floor, undo = alternate(
        [[PYTHON, "-c", LOOP, str(forward)], [*CWA, "fix", str(archive), "--apply"],
         [PYTHON, "-c", LOOP, str(back)], [*CWA, "undo", str(archive)]], repeat)
    n = f"{len(pairs):,}"
    figures = [Figure(f"fix --apply, {n} renames", fix, "floor: bare rename loop", floor, 3.0),
               Figure(f"undo, {n} renames", undo, "floor: bare rename-back loop",
                      back_floor, 3.0)]
    return figures, _linear(where, CWA, files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    compiled()
    temp = Path(tempfile.mkdtemp(prefix="cwa-bench-fix-"))
    try:
        print(f"machine   {machine()}")
        figures, linear = measure(args.files, args.repeat, temp)
        for figure in figures:
            print(figure.line())
        print(linear)
        history = len(list((temp / "archive" / ".cwa" / "journal").glob("*.jsonl")))
        print(f"journals in history: {history} (each fix, undone); "
              f"load average at the end: {load()}")
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _linear(temp: Path, cwa: list[str], files: int) -> str:
    """undo at 1/4, 1/2 and all of the renames: time per step must not grow."""
    said = ["undo per step (linear: must not grow):"]
    for share in (4, 2, 1):
        archive = temp / f"linear-{share}"
        build(archive, files // share)
        run([*cwa, "fix", str(archive), "--apply"])
        steps = len(renames_of(archive / ".cwa" / "journal"))
        elapsed = run([*cwa, "undo", str(archive)])
        said.append(f"{steps:,} steps {elapsed / steps * 1e6:.0f} µs")
    return "  ".join(said)


if __name__ == "__main__":
    os.environ.setdefault("CWA_LANG", "zh")
    main()
