"""Cyclic garbage collection paused while a command builds many small long-lived objects.

A scan, a plan or a journal of 100,000 entries allocates that many objects that live to
the end; each full collection pass walks them all and finds nothing to free (they hold
no cycles). Reference counting still frees everything else at once. The collector is
switched back on after, for a process that goes on (``cwa serve``, the tests).

Used where such objects are made for every caller: ``check.check``, ``apply.apply``,
``apply.resume``, ``apply.undo``, ``journal.load`` (also as a decorator), and around
``cwa fix``'s scan and plan.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
