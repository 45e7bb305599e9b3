"""Render a report in any format, and write it to a file safely."""

from __future__ import annotations

import codecs
import io
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from cwa.errors import CwaError

if TYPE_CHECKING:
    from cwa.report.model import Report


def render(report: Report, fmt: str) -> str:
    """``report`` in format ``fmt``; each format's renderer is imported when chosen."""
    if fmt == "json":
        from cwa.report import model

        # compact: indent= would force json's pure-Python encoder (several times slower)
        return model.dumps(model.to_dict(report))
    if fmt == "md":
        from cwa.report import markdown

        return markdown.render(report)
    if fmt == "html":
        from cwa.report import html

        return html.render(report)
    if fmt == "junit":
        from cwa.report import junit

        return junit.render(report)
    if fmt == "sarif":
        from cwa.report import sarif

        return sarif.render(report)
    if fmt == "github":
        from cwa.report import github

        return github.render(report)
    from rich.console import Console

    from cwa.report import terminal

    buffer = io.StringIO()
    terminal.render(report, Console(file=buffer, width=200, no_color=True, highlight=False,
                                    markup=False, emoji=False,
                                    soft_wrap=True))
    return buffer.getvalue()


def emit(stream: IO[str], data: bytes | Iterable[bytes]) -> None:
    """UTF-8 ``data`` (or its pieces, in turn) on a text stream: straight into its buffer
    when it writes UTF-8 (a report of millions of lines is not decoded to be encoded
    again)."""
    pieces = [data] if isinstance(data, bytes) else data
    buffer = getattr(stream, "buffer", None)
    encoding = getattr(stream, "encoding", None) or "ascii"
    if buffer is not None and codecs.lookup(encoding).name == "utf-8":
        stream.flush()
        for piece in pieces:
            buffer.write(piece)
        buffer.flush()
    else:
        for piece in pieces:
            stream.write(piece.decode("utf-8"))


def deliver(path: Path, data: bytes, command: str) -> Path | None:
    """A new document cwa made (an album, a catalogue). Inside an archive it is written
    like every change there — planned, journaled, undoable, never over a file; elsewhere
    it is written whole. Returns the journal, if any."""
    from cwa import config
    from cwa.apply import apply
    from cwa.plan import WriteFile

    if path.exists():
        raise CwaError("error.exists", path=str(path))
    archive = config.archive_of(path.parent if path.parent.exists() else path)
    if archive is None:
        write(path, data)
        return None
    rel = path.resolve().relative_to(archive).as_posix()
    applied = apply(archive, [WriteFile(rel, data)], command)
    if applied.skipped:
        raise CwaError("error.output_failed", path=str(path), error=applied.skipped[0][1])
    return applied.journal


def write(path: Path, content: str | bytes | Iterable[bytes], archive: Path | None = None,
          allow_inside: bool = False) -> None:
    """Write through a temporary file in the same folder, then replace: a reader never
    sees half a report. A report is not written into ``archive`` unless asked. A device,
    FIFO or terminal (``-o /dev/stdout``) is written into, never replaced by a file.
    ``content`` may come in pieces (written in turn, never joined)."""
    pieces: Iterable[bytes] = [content.encode("utf-8", "backslashreplace")] \
        if isinstance(content, str) else [content] if isinstance(content, bytes) else content
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise CwaError("error.is_a_directory", path=str(path))
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with open(path, "wb") as fh:
                fh.writelines(pieces)
        except OSError as exc:
            raise CwaError("error.output_failed", path=str(path),
                           error=exc.strerror or type(exc).__name__) from None
        return
    target = path.resolve()
    if archive is not None and not allow_inside and target.is_relative_to(archive.resolve()):
        raise CwaError("error.output_inside", path=str(archive))
    temporary = target.with_name(f".{target.name}.cwa-{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as fh:
            fh.writelines(pieces)
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise CwaError("error.output_failed", path=str(path),
                       error=exc.strerror or type(exc).__name__) from None
