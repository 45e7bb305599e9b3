"""A small file read safely: a regular file only, never waited on, at most so many bytes.

What cwa reads whole before parsing it — a rubric, cwa.yaml, a report to summarise —
is read here. Kept apart from the YAML reader so that what only needs the bytes (a
digest, a cache key) does not import PyYAML.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cwa.errors import CwaError

#: The most a rubric or cwa.yaml may be: a real rubric of 500 indicators is ~100 KB.
MAX_BYTES = 8 * 1024 * 1024


def read_bytes(path: Path, shown: str, limit: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, at most ``limit``. A FIFO, device or folder is refused
    before anything waits on it (opened non-blocking, checked, then read)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise CwaError("error.file_not_found", path=shown) from None
    except IsADirectoryError:
        raise CwaError("error.is_a_directory", path=shown) from None
    except PermissionError:
        raise CwaError("error.permission", path=shown) from None
    except OSError as exc:
        raise CwaError("error.cannot_read", path=shown,
                       error=exc.strerror or type(exc).__name__) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise CwaError("error.is_a_directory", path=shown)
        if not stat.S_ISREG(mode):
            raise CwaError("error.not_regular_file", path=shown)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise CwaError("error.cannot_read", path=shown,
                       error=exc.strerror or type(exc).__name__) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise CwaError("error.file_too_large", path=shown, limit=f"{limit // 2**20} MB")
    return data
