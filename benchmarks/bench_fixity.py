"""How fast are ``cwa manifest`` and ``cwa verify`` against what already exists?

Builds an archive of N files (default 20,000, about 1 GB in all: mostly documents of tens
of kilobytes, some photos of a few megabytes, a few videos) in the folders of the default
rubric, makes a BagIt bag of the same files (hard links, made with bagit-python, SHA-256
only), and times in the same run, as separate processes:

  bagit      bagit.py --validate --quiet BAG   (its default: 1 process; also --processes 2)
  floor      sha256sum over the same files with 2 processes (the list made beforehand)
  manifest   cwa manifest DIR  (into .cwa/, journaled, as a user runs it)
  verify     cwa verify DIR

Each is run ``--repeat`` times after one warm-up (a warm page cache for all), in rounds
that run every command once, so that load from other work hits them alike; the best times
are compared, with the CPU time each used (which such load disturbs less). Prints the
ratios to bagit's default (goal ≤ 0.6) and to the floor (goal ≤ 1.2), with the machine's
load average before and after, since other work may share the two cores.

    python benchmarks/bench_fixity.py                         # 20,000 files, ~1 GB, temp
    python benchmarks/bench_fixity.py --files 5000 --size 250 --keep /tmp/bench-fixity
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_check import YEARS, start_archive  # noqa: E402

KINDS = (  # extension, share of the files, typical size in KB (log-normal around it)
    (".docx", 0.70, 30), (".pdf", 0.12, 120), (".jpg", 0.17, 1500), (".mp4", 0.01, 12000),
)


def build(target: Path, files: int, megabytes: int) -> tuple[int, int]:
    """``files`` files of about ``megabytes`` MB in all, in the default rubric's folders."""
    leaves = start_archive(target)
    rng = random.Random(15)
    kinds = rng.choices(KINDS, weights=[k[1] for k in KINDS], k=files)
    raw = [k[2] * rng.lognormvariate(0, 0.6) for k in kinds]
    scale = megabytes * 1024 * 1024 / (1024 * sum(raw))
    block = os.urandom(64 << 20)
    made = total = 0
    per_folder = max(1, files // (len(leaves) * len(YEARS.span())))
    for i, (kind, kb) in enumerate(zip(kinds, raw, strict=True)):
        leaf, _ = leaves[(i // per_folder) % len(leaves)]
        year = YEARS.start + (i // (per_folder * len(leaves))) % len(YEARS.span())
        folder = leaf / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        size = max(64, min(int(kb * 1024 * scale), len(block)))
        start = rng.randrange(0, len(block) - size + 1)
        data = i.to_bytes(8, "little") + block[start:start + size - 8]  # unique contents
        (folder / f"{i % 1000:03d}：{year}年材料{i}{kind[0]}").write_bytes(data)
        made += 1
        total += len(data)
    return made, total


def make_bag(archive: Path, bag: Path) -> None:
    """The same files as a bag: hard links (no second copy), bagged by bagit-python."""
    import bagit  # the test extra has it

    shutil.copytree(archive, bag, copy_function=os.link,
                    ignore=shutil.ignore_patterns(".cwa", "cwa.yaml"))
    bagit.make_bag(str(bag), checksums=["sha256"], processes=2)


def interleaved(commands: dict[str, list[str]], repeat: int, env: dict[str, str]
                ) -> dict[str, tuple[float, float]]:
    """The best of ``repeat`` rounds, each round running every command once, after a warm-up
    round: load from other work that comes and goes then hits all of them alike. For each:
    (wall seconds, CPU seconds of the process and its children, user + system)."""
    times: dict[str, tuple[float, float]] = {}
    for round_ in range(repeat + 1):
        for name, cmd in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env, check=False)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if round_ and wall < times.get(name, (1e9, 0.0))[0]:
                times[name] = (wall, cpu)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--size", type=int, default=1000, help="megabytes in all")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the trees here")
    args = parser.parse_args()

    english = {**os.environ, "CWA_LANG": "en"}
    temp = None if args.keep else Path(tempfile.mkdtemp(prefix="cwa-bench-fixity-"))
    base = args.keep or temp
    assert base is not None
    archive, bag = base / "archive", base / "bag"
    if not archive.exists():
        print(f"building {args.files} files, ~{args.size} MB in {archive} …", flush=True)
        build(archive, args.files, args.size)
        make_bag(archive, bag)
    files = sorted(str(p) for p in archive.rglob("*")
                   if p.is_file() and ".cwa" not in p.parts and p.name != "cwa.yaml")
    total = sum(Path(p).stat().st_size for p in files)
    listing = base / "files.lst"
    listing.write_bytes(b"\0".join(os.fsencode(p) for p in files) + b"\0")
    half = (len(files) + 1) // 2
    cwa = [sys.executable, "-m", "cwa"]
    load_before = os.getloadavg()
    commands = {
        "bagit --processes 2": [sys.executable, "-m", "bagit", "--validate", "--quiet",
                                "--processes", "2", str(bag)],
        "bagit (default: 1 process)": [sys.executable, "-m", "bagit", "--validate", "--quiet",
                                       str(bag)],
        "sha256sum ×2": ["xargs", "-0", "-P", "2", "-n", str(half), "-a", str(listing),
                         "sha256sum"],
        "cwa manifest": [*cwa, "manifest", str(archive)],
        "cwa verify": [*cwa, "verify", str(archive)],
    }
    try:
        times = interleaved(commands, args.repeat, english)
        check = subprocess.run([*cwa, "verify", str(archive)], capture_output=True, text=True,
                               env=english, check=False)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    load_after = os.getloadavg()
    print(f"{len(files)} files, {total / 1e9:.2f} GB; {os.cpu_count()} cores; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    for name, (seconds, cpu) in times.items():
        print(f"  {name:28s} {seconds:7.3f} s  {total / seconds / 1e9:5.2f} GB/s  "
              f"CPU {cpu:6.3f} s")
    bagit_time, floor = times["bagit --processes 2"][0], times["sha256sum ×2"][0]
    default = times["bagit (default: 1 process)"][0]
    for name in ("cwa manifest", "cwa verify"):
        wall = times[name][0]
        print(f"  {name}: {wall / default:.2f}× bagit --validate (goal ≤ 0.6), "
              f"{wall / bagit_time:.2f}× bagit --validate --processes 2, "
              f"{wall / floor:.2f}× the sha256sum floor (goal ≤ 1.2)")
    print("  verify said:", check.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
