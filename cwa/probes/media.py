"""Audio and video: container signature and structure, without decoding."""

from __future__ import annotations

import struct
from pathlib import Path

from cwa.probes import Result, damaged

MIN_SIZE = 1024  # no real recording is smaller


def probe(path: str, ext: str, family: str | None, head: bytes, result: Result) -> None:
    size = Path(path).stat().st_size
    if size < MIN_SIZE:
        result["issues"].append(damaged("media_small", size=size))
        return
    if family in ("isobmff", "heic"):
        broken = _boxes(path, size)
    elif family in ("avi", "wav"):
        (declared,) = struct.unpack("<I", head[4:8])
        broken = "riff_cut" if declared + 8 > size else None
    else:
        broken = None
    if broken:
        result["issues"].append(damaged(broken))


def _boxes(path: str, size: int) -> str | None:
    """ISO base media (mp4, mov, 3gp, m4a, heic): top-level boxes must tile the file."""
    offset = 0
    with open(path, "rb") as fh:
        while offset < size:
            fh.seek(offset)
            header = fh.read(16)
            if len(header) < 8:
                return "mp4_cut"
            (length,) = struct.unpack(">I", header[:4])
            if length == 1:
                if len(header) < 16:
                    return "mp4_cut"
                (length,) = struct.unpack(">Q", header[8:16])
            elif length == 0:
                return None  # the last box runs to the end of the file
            if length < 8:
                return "mp4_bad_box"
            offset += length
    return "mp4_cut" if offset > size else None
