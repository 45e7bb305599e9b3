"""One writer at a time: ``.cwa/lock`` while a command changes an archive.

The lock file is made whole in one step (written beside it, then hard-linked into place,
which fails when a lock is there), so another process never reads half a lock. It names
the process that holds it — host, pid, command, start time — so a second writer can say
who is at work. A lock whose process is gone (same host, pid not running, or running but
started later than the lock) is stale and taken over; a lock from another host is never
broken silently: the message says how to remove it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cwa.errors import CwaError
from cwa.scan import CWA_DIR

__all__ = ["CWA_DIR", "ensure_free", "hold", "own_dir", "unwritable"]

NAME = "lock"
#: Errors that mean "this archive cannot be written": a read-only share or medium, no
#: permission. They become a message (exit 2), not an internal error.
READ_ONLY = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def own_dir(archive: Path, *parts: str) -> Path:
    """``archive/.cwa/<parts…>``, made where missing, each level a real folder.

    A ``.cwa`` (or a folder below it) that is a symbolic link, a junction or a file is
    refused: cwa never writes its own files outside the archive through a link."""
    folder = archive
    for name in (CWA_DIR, *parts):
        folder = folder / name
        try:
            folder.mkdir()
        except FileExistsError:
            pass
        except OSError as exc:
            raise unwritable(archive, exc) from None
        if folder.is_symlink() or not folder.is_dir() or _is_junction(folder):
            raise CwaError("error.own_dir_link", path=str(folder))
    return folder


def _is_junction(path: Path) -> bool:
    is_junction = getattr(os.path, "isjunction", None)  # Python 3.12+
    return bool(is_junction and is_junction(path))


def unwritable(archive: Path, exc: OSError) -> CwaError:
    """The message for an archive cwa cannot write into."""
    if exc.errno in READ_ONLY or isinstance(exc, PermissionError):
        return CwaError("error.read_only", path=str(archive))
    return CwaError("error.cannot_write", path=str(archive),
                    error=exc.strerror or type(exc).__name__)


def _process_start(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), where the system says."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        with open("/proc/stat", "rb") as fh:
            boot = next(float(line.split()[1]) for line in fh if line.startswith(b"btime"))
        return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process there
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def host() -> str:
    """This machine's name, as ``socket.gethostname`` gives it (without importing
    ``socket``: every writing command takes the lock)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def stale(holder: dict[str, Any]) -> bool:
    """Is the process that wrote this lock gone?"""
    if holder.get("host") != host():
        return False
    pid = holder.get("pid")
    if not isinstance(pid, int) or not _alive(pid):
        return True
    started, since = _process_start(pid), holder.get("since")
    # the pid was reused: that process started after the lock was taken
    return started is not None and isinstance(since, (int, float)) and started > since + 1


def read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_bytes()[:4096])
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def holder(archive: Path) -> dict[str, Any] | None:
    """Who holds the archive's lock now (a live holder), or None."""
    path = archive / CWA_DIR / NAME
    data = read(path)
    if data is None or stale(data):
        return None
    return data


def ensure_free(archive: Path) -> None:
    """Refuse when another cwa is changing the archive right now."""
    data = holder(archive)
    if data is not None:
        raise busy(archive / CWA_DIR / NAME, data)


def busy(path: Path, data: dict[str, Any]) -> CwaError:
    since = data.get("since")
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(since)) \
        if isinstance(since, (int, float)) else "?"
    return CwaError("error.locked", command=str(data.get("command", "?")),
                    pid=str(data.get("pid", "?")), host=str(data.get("host", "?")),
                    since=when, path=str(path))


@contextlib.contextmanager
def hold(archive: Path, command: str) -> Iterator[None]:
    """Hold the archive's lock while the block runs."""
    folder = own_dir(archive)
    path = folder / NAME
    mine = {"pid": os.getpid(), "host": host(), "command": command,
            "since": time.time()}
    for _attempt in range(3):
        if _create(path, json.dumps(mine).encode("utf-8"), archive):
            break
        data = read(path)
        if data is None:  # a lock being written, or left empty by a kill before it was
            if _age(path) < 5:
                time.sleep(0.2)
                continue
        elif not stale(data):
            raise busy(path, data)
        _take_over(path, data)
    else:
        raise busy(path, read(path) or {})
    try:
        yield
    finally:
        if read(path) == mine:
            path.unlink(missing_ok=True)


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _take_over(path: Path, seen: dict[str, Any] | None) -> None:
    """Remove a stale lock — only the one judged stale, not one made since."""
    if read(path) == seen:
        path.unlink(missing_ok=True)


def _create(path: Path, data: bytes, archive: Path) -> bool:
    """Make the lock file whole, or say False when one exists."""
    temporary = path.with_name(f".{NAME}.cwa-{os.getpid()}.tmp")
    try:
        with open(temporary, "xb") as fh:
            fh.write(data)
        try:
            os.link(temporary, path)  # atomic, and never replaces
        except FileExistsError:
            return False
        except OSError:  # no hard links here (FAT on a USB stick): exclusive create
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        return True
    except OSError as exc:
        raise unwritable(archive, exc) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
