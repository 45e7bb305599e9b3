"""``cwa export``: the hand-over package — a zip, or a BagIt bag, the 文明办 can open.

Under one top folder named after the package: the evidence files at their paths in the
archive (the manifest's selection: lock and system files, cwa's own files and links are
left out, and reported), the manifest of exactly the bytes put in, and beside them the
check report, the catalogue and cwa.yaml. With ``--bag`` the same as a BagIt bag (RFC
8493): ``bagit.txt``, ``bag-info.txt`` (the unit, the date, Payload-Oxum), the evidence
under ``data/``, manifests without comments, and a tag manifest over everything else.
A bag always has a SHA-256 manifest: bagit-python knows no other of cwa's algorithms.

Every zip entry is flagged UTF-8 (general purpose bit 11), ASCII names too, so Windows
Explorer, WPS and 7-Zip show Chinese names instead of mojibake; zip64 is used where a
file or the archive passes 4 GB. Photos, video, Office packages and PDFs are stored (they
are compressed already), the rest deflated. Each file is read once and hashed as it is
written. Names in the package are NFC; a name that is not UTF-8 on disk is read as
GB18030 (what Chinese Windows wrote) or, failing that, escaped, and reported. The package
is built under a temporary name beside its target and renamed into place at the end; it
is never written into the archive.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from cwa import __version__, kinds, wording
from cwa.errors import CwaError
from cwa.fixity import digest, manifest
from cwa.fixity.select import Selection, select
from cwa.messages import t
from cwa.printable import repaired

UTF8_FLAG = 0x800  # general purpose bit 11: the name is UTF-8
#: Formats that are compressed already: stored, not deflated again.
STORED = frozenset({
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".tif", ".tiff",
    ".mp4", ".mov", ".avi", ".wmv", ".mkv", ".flv", ".3gp", ".m4v", ".mpg", ".mpeg", ".vob",
    ".mp3", ".m4a", ".aac", ".wma", ".flac", ".amr",
    ".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".pptm", ".odt", ".ods", ".odp", ".ofd",
    ".pdf", ".zip", ".rar", ".7z", ".gz",
})
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


@dataclass(frozen=True)
class Extra:
    """A file beside the evidence: the report, the catalogue, cwa.yaml."""

    name: str
    data: bytes


@dataclass
class Packed:
    path: Path
    bag: bool
    selection: Selection
    files: int = 0
    size: int = 0  # bytes of evidence
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (on disk, in the package)
    failed: dict[str, str] = field(default_factory=dict)  # rel → why it could not be read
    collided: dict[str, str] = field(default_factory=dict)  # rel → the file with its name
    # (a collided file is in the package under another name, listed in ``renamed``)
    extras: list[str] = field(default_factory=list)


class _Writer(Protocol):
    def file(self, name: str, mtime: float, size: int) -> BinaryIO: ...

    def data(self, name: str, data: bytes) -> None: ...

    def close(self) -> None: ...


def export(archive: Path, output: Path, extras: Sequence[Extra], *, bag: bool = False,
           algorithms: Sequence[str] = ("sha256",), info: dict[str, str] | None = None,
           progress: digest.Progress | None = None) -> Packed:
    """Write the package of ``archive`` to ``output`` (a ``.zip`` file; a folder for a
    bag whose name does not end in .zip)."""
    algos = tuple(dict.fromkeys(("sha256", *algorithms) if bag else algorithms))
    digest.require(algos)
    target = output.resolve()
    if target.is_relative_to(archive.resolve()):
        raise CwaError("export.inside", path=str(output), archive=str(archive))
    if not target.parent.is_dir():
        raise CwaError("export.no_folder", path=str(target.parent))
    as_zip = output.suffix.lower() == ".zip" or not bag
    if (not as_zip and os.path.lexists(target)) or target.is_dir():
        raise CwaError("error.exists", path=str(output))
    chosen = select(archive)
    packed = Packed(target, bag, chosen)
    top = package_name(target.stem if as_zip else target.name)  # NFC; a GBK name: its reading
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    writer: _Writer = _Zip(temporary, top) if as_zip else _Folder(temporary)
    try:
        _fill(writer, archive, packed, extras, algos, info or {}, progress)
        writer.close()
        if as_zip:
            temporary.replace(target)
        else:
            temporary.rename(target)
    except OSError as exc:  # the disk is full, the folder not writable: nothing left behind
        _discard(writer, temporary)
        raise CwaError("export.failed", path=str(output),
                       error=exc.strerror or type(exc).__name__) from None
    except BaseException:
        _discard(writer, temporary)
        raise
    return packed


def _discard(writer: _Writer, temporary: Path) -> None:
    with contextlib.suppress(Exception):
        writer.close()
    if temporary.is_dir():
        shutil.rmtree(temporary, ignore_errors=True)
    else:
        temporary.unlink(missing_ok=True)


def _fill(writer: _Writer, archive: Path, packed: Packed, extras: Sequence[Extra],
          algos: tuple[str, ...], info: dict[str, str], progress: digest.Progress | None
          ) -> None:
    payload = "data/" if packed.bag else ""
    chosen = packed.selection
    if progress is not None:
        progress.start(len(chosen.files), chosen.size)
    lines: list[tuple[str, tuple[str, ...]]] = []
    taken: dict[str, str] = {}  # package name (case-folded) → its file on disk
    buffer = bytearray(digest.BLOCK)
    view = memoryview(buffer)
    root = str(archive).rstrip("/" + os.sep) + os.sep
    for entry in chosen.files:
        name = package_name(entry.rel)
        if name != entry.rel:
            packed.renamed.append((entry.rel, name))
        if name.casefold() in taken:  # two files, one name on Windows (case, NFC): both go
            packed.collided[entry.rel] = taken[name.casefold()]  # in, the second renamed
            name = _free(name, taken)
            packed.renamed.append((entry.rel, name))
        hashers = [hashlib.new(a) for a in algos]
        try:
            source = open(root + entry.rel.replace("/", os.sep), "rb", buffering=0)  # noqa: SIM115
        except OSError as exc:  # unreadable or gone: left out, reported
            packed.failed[entry.rel] = t(f"fixity.why_{_why(exc)}")
            continue
        with source:  # an error from here on (a read, a full disk) ends the export
            stat = os.fstat(source.fileno())
            with writer.file(payload + name, stat.st_mtime, stat.st_size) as sink:
                while n := source.readinto(buffer):
                    block = view[:n]
                    for hasher in hashers:
                        hasher.update(block)
                    sink.write(block)
        taken[name.casefold()] = entry.rel
        lines.append((payload + name, tuple(h.hexdigest() for h in hashers)))
        packed.files += 1
        packed.size += stat.st_size
        if progress is not None:
            progress.advance(1, stat.st_size)
    manifests = {a: _manifest(packed, lines, algos.index(a), a) for a in algos}
    tags: list[tuple[str, bytes]] = []
    if packed.bag:
        tags += [("bagit.txt", BAGIT_TXT), ("bag-info.txt", _bag_info(packed, info))]
    tags += [(manifest.file_name(a), data) for a, data in manifests.items()]
    tags += [(e.name, e.data) for e in extras]
    packed.extras = [e.name for e in extras]
    for name, data in tags:
        writer.data(name, data)
    if packed.bag:
        for algo in algos:
            if algo in hashlib.algorithms_guaranteed:  # what bagit-python can check
                listing = [(n, digest.digest_bytes(d, algo)) for n, d in tags]
                writer.data(f"tagmanifest-{algo}.txt", manifest.render_plain(listing))


def _manifest(packed: Packed, lines: list[tuple[str, tuple[str, ...]]], column: int,
              algo: str) -> bytes:
    pairs = [(name, digests[column]) for name, digests in lines]
    if packed.bag:
        return manifest.render_plain(pairs)
    left = {r: len(v) for r, v in packed.selection.left_out.items()}
    left["unreadable"] += len(packed.failed)
    created = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    return manifest.render(algo, pairs, manifest.header(algo, created, packed.files,
                                                        packed.size, left), created)


def _bag_info(packed: Packed, info: dict[str, str]) -> bytes:
    tags = {**info,
            "Bagging-Date": time.strftime("%Y-%m-%d"),
            "Bag-Software-Agent": f"cwa {__version__}",
            "Payload-Oxum": f"{packed.size}.{packed.files}",
            "Bag-Size": wording.size(packed.size)}
    # one line each; a GBK name (the archive's folder): its reading
    lines = [f"{k}: {' '.join(repaired(str(v)).split())}" for k, v in tags.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def package_name(rel: str) -> str:
    """The name a file gets in the package: NFC, each part UTF-8 (read as GB18030 where
    the bytes on disk are not UTF-8, else escaped as the manifest escapes them)."""
    parts = []
    for part in rel.split("/"):
        if not part.isprintable() and any("\udc80" <= c <= "\udcff" for c in part):
            raw = part.encode("utf-8", "surrogateescape")
            try:
                part = raw.decode("gb18030")
            except UnicodeDecodeError:
                part = manifest.shown(part)
        parts.append(unicodedata.normalize("NFC", part))
    return "/".join(parts)


def _why(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission"
    if isinstance(exc, FileNotFoundError):
        return "missing"
    return "oserror"


class Utf8Name(zipfile.ZipInfo):
    """A zip entry whose name is flagged UTF-8 whatever it is. zipfile flags only names
    that are not ASCII, and resets ``flag_bits`` when it writes, so the flag is set where
    the name is encoded, for both the local header and the central directory."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("utf-8"), self.flag_bits | UTF8_FLAG


def _dos_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    """A zip's time stamp: local time, 1980 to 2107 (the format's range)."""
    stamp = time.localtime(mtime)[:6]
    if stamp[0] < 1980:
        return (1980, 1, 1, 0, 0, 0)
    if stamp[0] > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5])


class _Zip:
    def __init__(self, path: Path, top: str) -> None:
        self.top = top
        self.zip = zipfile.ZipFile(path, "x", zipfile.ZIP_DEFLATED, allowZip64=True)

    def _info(self, name: str, mtime: float, size: int) -> Utf8Name:
        info = Utf8Name(f"{self.top}/{name}", date_time=_dos_time(mtime))
        info.compress_type = (zipfile.ZIP_STORED if kinds.split(name)[1] in STORED
                              else zipfile.ZIP_DEFLATED)
        info.file_size = size  # zipfile decides on zip64 from it
        info.external_attr = 0o644 << 16
        return info

    def file(self, name: str, mtime: float, size: int) -> BinaryIO:
        handle: BinaryIO = self.zip.open(self._info(name, mtime, size), "w")  # type: ignore[assignment]
        return handle

    def data(self, name: str, data: bytes) -> None:
        with self.file(name, time.time(), len(data)) as sink:
            sink.write(data)

    def close(self) -> None:
        self.zip.close()


class _Folder:
    def __init__(self, path: Path) -> None:
        self.root = path
        path.mkdir()
        self._pending: list[tuple[Path, float]] = []

    def file(self, name: str, mtime: float, size: int) -> BinaryIO:
        path = self.root.joinpath(*name.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        self._pending.append((path, mtime))
        return open(path, "xb")

    def data(self, name: str, data: bytes) -> None:
        with self.file(name, time.time(), len(data)) as sink:
            sink.write(data)

    def close(self) -> None:
        for path, mtime in self._pending:  # keep the files' times, as a zip does
            with contextlib.suppress(OSError):
                os.utime(path, (mtime, mtime))
        self._pending = []


def _free(name: str, taken: dict[str, str]) -> str:
    """``name`` made distinct from the names taken (compared as Windows compares them):
    ``01：计划.docx`` → ``01：计划（同名2）.docx``."""
    folder, _, leaf = name.rpartition("/")
    dot = leaf.rfind(".")
    stem, ext = (leaf[:dot], leaf[dot:]) if dot > 0 else (leaf, "")
    number = 2
    while True:
        candidate = f"{folder}/{stem}（同名{number}）{ext}" if folder else \
            f"{stem}（同名{number}）{ext}"
        if candidate.casefold() not in taken:
            return candidate
        number += 1
