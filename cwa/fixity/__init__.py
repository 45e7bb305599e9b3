"""Fixity: digest manifests of an archive, their verification, and hand-over packages.

``select`` decides which files a manifest covers, ``digest`` hashes them on every core,
``manifest`` reads and writes the BagIt manifest format, ``verify`` compares a folder, a
bag or a zip with its manifest, and ``package`` writes the zip or bag handed over.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

#: A manifest, and nothing that says whether the files still match it.
UNVERIFIED = "unverified"


def summary_status(archive: Path, manifest: Path | None) -> dict[str, Any]:
    """What ``cwa summary`` shows of a unit's fixity, cheaply (no hashing: ``cwa verify``
    settles it): whether the files of its newest ``manifest`` (None: it has none) still
    have the sizes and times they had when it was made (kept in the user's cache by
    ``cwa manifest``)."""
    from cwa.fixity import reuse

    if manifest is None:
        return {"state": UNVERIFIED}
    stats = reuse.recall(manifest.read_bytes())
    if not stats:  # made on another computer, or the cache was cleared
        return {"state": UNVERIFIED}
    root = str(archive) + os.sep
    changed = 0
    for rel, (size, mtime_ns) in stats.items():
        try:
            st = os.lstat(root + rel.replace("/", os.sep))
        except OSError:
            changed += 1
            continue
        if st.st_size != size or st.st_mtime_ns != mtime_ns:
            changed += 1
    return {"state": "changed" if changed else "ok", "changed": changed}
