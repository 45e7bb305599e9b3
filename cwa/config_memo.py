"""cwa.yaml and its rubric as read last time, used again while neither has changed.

Every archive command starts by reading both (a rubric of 500 indicators is ~20,000 YAML
nodes, each value checked and located). What that gives depends only on the two files'
bytes, how the rubric was named (``--rubric`` or cwa.yaml), the archive's path as given
(messages name it), the language (hints are worded in it) and cwa's own code. So the
result is pickled into the user's cache folder (``settings/``, never inside the
archive) under a digest of the first four and ``cwa.codestamp``, with the rubric file's
path and digest: used again only when cwa.yaml's bytes give the same key, the rubric
name still leads to the same file, and that file's bytes still give the same digest.
Comparing bytes (not times) means an edit that keeps a file's size and time is seen.
Each file is parsed from the very bytes the key and digest are made of, so a file saved
while a command reads it is never remembered under its new bytes.

A file with errors is never remembered (its errors are shown each time). A memo file
that cannot be read or written, is a link, is not the user's own, can be written by
others or was kept under another key is simply not used; ``cwa check --no-cache``
neither uses nor keeps one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from pathlib import Path
from typing import TYPE_CHECKING

from cwa import cachedir, codestamp, messages
from cwa.errors import CwaError
from cwa.readfile import read_bytes

if TYPE_CHECKING:
    from cwa.config import Read

FOLDER = "settings"
KEEP_DAYS = 30
_PROTOCOL = 5


class Memo:
    """The remembered reading of one archive's settings."""

    def __init__(self, archive: Path, rubric_ref: str | None, present: bool) -> None:
        from cwa.config import FILENAME

        self.archive = archive
        self.rubric_ref = rubric_ref
        self.config_path = archive / FILENAME if present else None
        self._config: bytes | None = None
        self._key: str | None = None

    def config_bytes(self) -> bytes:
        """cwa.yaml's bytes, read once: the key is made of them, and a reading to be
        remembered must be parsed from them. Raises CwaError as reading it to parse would."""
        if self._config is None:
            assert self.config_path is not None
            self._config = read_bytes(self.config_path, str(self.config_path))
        return self._config

    def key(self) -> str:
        """The digest of what the reading depends on besides the rubric file's bytes."""
        if self._key is None:
            config = self.config_bytes() if self.config_path is not None else None
            what = (codestamp.stamp(), messages.current(), os.fsencode(self.archive),
                    self.rubric_ref, config)
            self._key = hashlib.blake2b(pickle.dumps(what, _PROTOCOL),
                                        digest_size=20).hexdigest()
        return self._key

    def recall(self) -> Read | None:
        """The reading kept for these files; None when there is none or a file changed."""
        from cwa.rubric import bundled

        self.key()  # reads cwa.yaml: what cannot be read is said as reading it would say
        try:
            kept = self._load()
            if kept is None:
                return None
            ref = self.rubric_ref if self.rubric_ref is not None else (
                kept.config.rubric if kept.config else "")
            where, _ = bundled.resolve(ref, None if self.rubric_ref is not None
                                       else self.archive)
            if str(where) != kept.rubric_path or \
                    digest(read_bytes(where, kept.rubric_path)) != kept.rubric_digest:
                return None
        except CwaError:  # the rubric: reading it again says what is wrong
            return None
        return kept

    def keep(self, found: Read) -> None:
        """Remember ``found`` (read without errors, from the bytes of ``config_bytes``
        and of its ``rubric_digest``)."""
        try:
            folder = cachedir.own(FOLDER)
            data = pickle.dumps((self.key(), found), _PROTOCOL)
            target = folder / f"{self.key()}.pickle"
            temporary = folder / f".{target.name}.{os.getpid()}.tmp"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(temporary, flags, 0o600)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                temporary.replace(target)
            finally:
                with contextlib.suppress(OSError):
                    temporary.unlink()
            _forget_old(folder)
        except (OSError, CwaError, pickle.PicklingError):
            return  # not remembered: the next command reads the files again

    def _load(self) -> Read | None:
        try:
            folder = cachedir.directory() / FOLDER
            if not cachedir.own_folder(folder):
                return None
            path = folder / f"{self.key()}.pickle"
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_BINARY", 0))
        except OSError:
            return None
        try:
            if not cachedir.mine(fd):
                return None
            stale = os.fstat(fd).st_mtime < time.time() - 86400
            data = b"".join(iter(lambda: os.read(fd, 1 << 20), b""))
            if stale:  # marked used once a day at most
                with contextlib.suppress(OSError):
                    os.utime(path)
        except OSError:
            return None
        finally:
            os.close(fd)
        try:
            kept = pickle.loads(data)  # cwa's own file, in the user's own folder
        except Exception:  # whatever is wrong with it, it is not used
            return None
        from cwa.config import Read

        if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == self.key()
                and isinstance(kept[1], Read)):
            return None  # not a reading, or one kept for other files
        found: Read = kept[1]
        return found


def digest(data: bytes) -> str:
    """A rubric file's bytes, as a reading of it is known by."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def _forget_old(folder: Path) -> None:
    """Delete readings unused for ``KEEP_DAYS`` (an edited cwa.yaml leaves its old one)."""
    cutoff = time.time() - KEEP_DAYS * 86400
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.stat(
                        follow_symlinks=False).st_mtime < cutoff:
                    Path(entry.path).unlink()
