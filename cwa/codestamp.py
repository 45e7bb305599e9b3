"""What identifies the cwa that is running: its version and the size and time of each of
its modules. A cache keyed by it is never used by a cwa that did not make it (a newer
release, or a module edited in a source checkout)."""

from __future__ import annotations

import functools
import os
from pathlib import Path


@functools.cache
def stamp() -> tuple[str, tuple[tuple[str, int, int], ...]]:
    """cwa's version and (path, size, modification time) of each module, once a process."""
    from cwa import __version__

    here = Path(__file__).resolve().parent
    stamps = []
    stack = [str(here)]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    if entry.name.endswith(".py"):
                        st = entry.stat()
                        stamps.append((entry.path, st.st_size, st.st_mtime_ns))
                    elif entry.is_dir() and entry.name != "__pycache__":
                        stack.append(entry.path)
        except OSError:  # not in folders (a frozen build): its version says enough
            continue
    return __version__, tuple(sorted(stamps))
