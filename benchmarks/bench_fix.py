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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_check import start_archive  # noqa: E402

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
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{cmd} failed: {done.stderr.decode(errors='replace')}")
    return elapsed


def renames_of(journal_dir: Path) -> list[tuple[str, str]]:
    """The renames the newest journal made, as (source, target) relative paths."""
    newest = max(journal_dir.glob("*-fix.jsonl"))
    header = json.loads(newest.read_text(encoding="utf-8").splitlines()[0])
    return [(op["rel"], op["to"]) for op in header["operations"] if op["op"] == "rename"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    temp = Path(tempfile.mkdtemp(prefix="cwa-bench-fix-"))
    python = sys.executable
    cwa = [python, "-m", "cwa"]
    try:
        archive, copy = temp / "archive", temp / "copy"
        build(archive, args.files)
        shutil.copytree(archive, copy)
        # learn the renames once, and leave the archive as it was
        run([*cwa, "fix", str(archive), "--apply"])
        pairs = renames_of(archive / ".cwa" / "journal")
        run([*cwa, "undo", str(archive)])
        forward = temp / "forward.json"
        back = temp / "back.json"
        forward.write_text(json.dumps([[str(copy / s), str(copy / t)] for s, t in pairs]),
                           encoding="utf-8")
        back.write_text(json.dumps([[str(copy / t), str(copy / s)] for s, t in pairs]),
                        encoding="utf-8")
        floors, fixes, backs, undos = [], [], [], []
        for _ in range(args.repeat):
            floors.append(run([python, "-c", LOOP, str(forward)]))
            fixes.append(run([*cwa, "fix", str(archive), "--apply"]))
            backs.append(run([python, "-c", LOOP, str(back)]))
            undos.append(run([*cwa, "undo", str(archive)]))
        floor, fix = statistics.median(floors), statistics.median(fixes)
        back_floor, undo = statistics.median(backs), statistics.median(undos)
        print(f"machine          {os.cpu_count()} cores, {sys.platform}, Python "
              f"{sys.version.split()[0]}")
        print(f"renames          {len(pairs):,} (median of {args.repeat}, alternated)")
        print(f"floor: rename loop       {floor:.3f} s")
        print(f"cwa fix --apply          {fix:.3f} s   ratio {fix / floor:.2f}x  (goal ≤ 3x)")
        print(f"floor: rename back loop  {back_floor:.3f} s")
        print(f"cwa undo                 {undo:.3f} s   ratio {undo / back_floor:.2f}x  "
              f"(goal ≤ 3x)")
        history = len(list((archive / ".cwa" / "journal").glob("*.jsonl")))
        print(f"journals in history      {history} (each fix, undone)")
        _linear(temp, cwa, args.files)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _linear(temp: Path, cwa: list[str], files: int) -> None:
    """undo at 1/4, 1/2 and all of the renames: time per step must not grow."""
    print("undo per step:", end="")
    for share in (4, 2, 1):
        archive = temp / f"linear-{share}"
        build(archive, files // share)
        run([*cwa, "fix", str(archive), "--apply"])
        steps = len(renames_of(archive / ".cwa" / "journal"))
        elapsed = run([*cwa, "undo", str(archive)])
        print(f"  {steps:,} steps {elapsed / steps * 1e6:.0f} µs", end="")
    print()


if __name__ == "__main__":
    os.environ.setdefault("CWA_LANG", "zh")
    main()
