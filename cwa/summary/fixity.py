"""Fixity as the summary shows it: has the unit recorded a digest manifest
(``.cwa/manifest-*``, written by ``cwa manifest``), and do its files still have the sizes
and times they had then (``cwa.fixity.summary_status``: no hashing; ``cwa verify``
settles it)?
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cwa.fixity import UNVERIFIED, summary_status
from cwa.scan import CWA_DIR
from cwa.summary.fingerprint import MANIFEST_PREFIX

PRESENT = UNVERIFIED  # a manifest, and nothing that says whether it holds
UNKNOWN = "unknown"  # reading it failed


def status(archive: Path) -> dict[str, Any] | None:
    """None without a manifest; else ``{"manifest": name, "state": …, "changed": …}``."""
    try:
        with os.scandir(archive / CWA_DIR) as it:
            names = sorted(e.name for e in it if e.name.startswith(MANIFEST_PREFIX)
                           and e.is_file(follow_symlinks=False))
    except OSError:
        return None
    if not names:
        return None
    found: dict[str, Any] = {"manifest": names[-1], "state": PRESENT}
    texts = [n for n in names if n.endswith(".txt")]
    try:
        found.update(summary_status(archive, archive / CWA_DIR / texts[-1] if texts else None))
    except Exception:  # a manifest that cannot be read costs its answer, not the summary
        found["state"] = UNKNOWN
    return found
