"""Fixity as the summary shows it: has the unit recorded a digest manifest
(``.cwa/manifest-*``, written by ``cwa manifest``), and what does verifying it say?

The verification itself belongs to the fixity module (``cwa verify``). This is the hook
between the two: when a module ``cwa.fixity`` offers ``summary_status(archive) ->
Mapping`` (``{"state": "ok" | "changed" | …, …}``, cheap enough to run for every unit:
no hashing, e.g. the result the last ``cwa verify`` recorded), its answer is shown;
without it, a manifest is shown as present and not verified here.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cwa.scan import CWA_DIR
from cwa.summary.fingerprint import MANIFEST_PREFIX

#: Where the hook is looked for, and its name.
MODULE, HOOK = "cwa.fixity", "summary_status"
PRESENT = "unverified"  # a manifest, and nothing here that verifies it
UNKNOWN = "unknown"  # the hook failed


def status(archive: Path) -> dict[str, Any] | None:
    """None without a manifest; else ``{"manifest": name, "state": …}`` and what the
    hook adds."""
    try:
        with os.scandir(archive / CWA_DIR) as it:
            names = sorted(e.name for e in it if e.name.startswith(MANIFEST_PREFIX)
                           and e.is_file(follow_symlinks=False))
    except OSError:
        return None
    if not names:
        return None
    found: dict[str, Any] = {"manifest": names[-1], "state": PRESENT}
    hook = _hook()
    if hook is not None:
        try:
            found.update(hook(archive))
        except Exception:  # a hook that fails costs its answer, not the summary
            found["state"] = UNKNOWN
    return found


def _hook() -> Callable[[Path], Mapping[str, Any]] | None:
    try:
        module = importlib.import_module(MODULE)
    except ImportError:
        return None
    hook = getattr(module, HOOK, None)
    return hook if callable(hook) else None
