"""What the benchmarks share: timing whole processes in turn, and saying each figure with
its floor, its goal and the machine it was measured on.

A figure is the median of ``repeat`` runs of a command, alternated with the runs of the
floor it is compared with (A B A B …), after one warm-up run of each: the two see the
same page cache and, on a shared machine, as nearly as can be the same load. The wall
time is the figure; the processor time (user + system, the command and every process it
started) is printed beside it, as it moves less with the load of other work.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CWA = [PYTHON, "-m", "cwa"]


@dataclass
class Timing:
    wall: float  # seconds, median
    cpu: float  # seconds of processor time, median


@dataclass
class Figure:
    """One line of a benchmark's output: ``what`` against ``floor``."""

    what: str
    timing: Timing
    floor: str
    floor_timing: Timing
    goal: float | None  # the ratio it must not exceed (None: said for comparison)
    note: str = ""  # said after the figure

    @property
    def ratio(self) -> float:
        return self.timing.wall / self.floor_timing.wall

    @property
    def cpu_ratio(self) -> float:
        return self.timing.cpu / self.floor_timing.cpu

    @property
    def ok(self) -> bool:
        return self.goal is None or self.ratio <= self.goal

    def line(self) -> str:
        mark = "" if self.goal is None else "ok" if self.ok else "OVER"
        goal = "no goal" if self.goal is None else f"goal ≤ {self.goal:g}x"
        return (f"{self.what:<34} {self.timing.wall:7.3f} s   {self.floor:<28} "
                f"{self.floor_timing.wall:7.3f} s   {self.ratio:5.2f}x  ({goal}, "
                f"cpu {self.cpu_ratio:.2f}x)  {mark}{'  ' + self.note if self.note else ''}")


def machine() -> str:
    """The machine in one line: processors, load average, system and Python."""
    return (f"{os.cpu_count()} CPUs, load average {load()}, {platform.system()} "
            f"{platform.machine()}, Python {platform.python_version()}")


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


def once(cmd: Sequence[str], env: dict[str, str] | None = None,
         ok: Sequence[int] = (0, 1)) -> tuple[float, float]:
    """Run ``cmd`` once (output thrown away): its wall and processor seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): "
                         f"{done.stderr.decode(errors='replace')[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def alternate(commands: Sequence[Sequence[str]], repeat: int,
              env: dict[str, str] | None = None, warm_up: bool = True,
              before_each: Sequence[object] | None = None) -> list[Timing]:
    """The median timings of ``commands``, run in turn ``repeat`` times (after one
    warm-up of each). ``before_each``: a callable (or None) per command, run before
    each of its runs and not timed (emptying a cache, undoing a fix)."""
    hooks = list(before_each or [None] * len(commands))
    if warm_up:
        for command, hook in zip(commands, hooks, strict=True):
            if callable(hook):
                hook()
            once(command, env)
    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for i, (command, hook) in enumerate(zip(commands, hooks, strict=True)):
            if callable(hook):
                hook()
            wall, cpu = once(command, env)
            walls[i].append(wall)
            cpus[i].append(cpu)
    return [Timing(statistics.median(w), statistics.median(c))
            for w, c in zip(walls, cpus, strict=True)]


def peak_rss(cmd: Sequence[str], env: dict[str, str] | None = None) -> int:
    """The largest resident set (bytes) of ``cmd`` and of every process it started,
    measured in a process of its own so that nothing else counts."""
    probe = ("import resource, subprocess, sys\n"
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL, check=False)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([PYTHON, "-c", probe, *cmd], capture_output=True, text=True,
                         env=env, check=True).stdout
    kib = int(out.split()[-1])
    return kib * 1024 if sys.platform != "darwin" else kib  # macOS says bytes


def compiled() -> None:
    """Byte-compile cwa, as an installed package is: a checkout run with
    ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module at each start."""
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "cwa")],
                   stdout=subprocess.DEVNULL, check=False)
