"""Fixity: manifests, verification and hand-over packages, checked against real files, real
zips read back with zipfile (and unzip where installed), bags validated by bagit-python,
and the SM3 vectors of GB/T 32905."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from cwa.commands.progress import BytesBar
from cwa.fixity import digest, manifest
from tests.conftest import listing, make_docx, make_jpeg, run

GBK_NAME = b"\xb9\xa4\xd7\xf7.docx"  # 工作.docx as Chinese Windows wrote it
FOLDER = "01：创建工作机制/01：创建领导机构"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CWA_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A small archive of real documents and photos, with the files a manifest leaves out."""
    root = tmp_path / "档案"
    make_docx(root / FOLDER / "01：领导小组成立文件.docx", "领导小组")
    make_docx(root / FOLDER / "02：完成率100%.docx", "百分比")
    make_jpeg(root / FOLDER / "03：会议照片.jpg")
    (root / FOLDER / "03：会议照片.txt").write_text("事由：创建会议", encoding="utf-8")
    (root / "02：理想信念教育").mkdir()
    (root / "02：理想信念教育" / "学习记录.txt").write_bytes(b"")  # empty: still covered
    (root / FOLDER / "~$领导小组成立文件.docx").write_bytes(b"lock")
    (root / FOLDER / "Thumbs.db").write_bytes(b"thumbs")
    (root / FOLDER / "_归档要求.txt").write_text("要求", encoding="utf-8")
    (root / "cwa.yaml").write_text('rubric: "archive-scope"\n', encoding="utf-8")
    return root


def lines_of(path: Path) -> dict[str, str]:
    """path → digest, from a manifest's lines (its # header skipped)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            value, name = line.split("  ", 1)
            out[name] = value
    return out


def files_of(tree: dict[str, tuple[str, int, int, str]]) -> dict[str, tuple[str, int, int, str]]:
    """The files of a listing, cwa's own folder left out."""
    return {k: v for k, v in tree.items() if v[0] == "f" and not k.startswith(".cwa")}


def verify_json(target: Path, *args: object) -> tuple[int, dict[str, Any]]:
    result = run("verify", target, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def codes(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["code"], f["path"]) for f in report["findings"]}


# --- digests ---------------------------------------------------------------------------

def test_sm3_matches_the_vectors_of_gb_t_32905() -> None:
    if not digest.supported("sm3"):
        pytest.skip("this Python's OpenSSL has no SM3")
    assert digest.digest_bytes(b"abc", "sm3") == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    assert digest.digest_bytes(b"abcd" * 16, "sm3") == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")


def test_sm3_manifest_of_a_file_holding_abc(tmp_path: Path) -> None:
    if not digest.supported("sm3"):
        pytest.skip("this Python's OpenSSL has no SM3")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "abc.txt").write_bytes(b"abc")
    assert run("manifest", tmp_path / "a", "--algo", "both").exit_code == 0
    cwa = tmp_path / "a" / ".cwa"
    assert lines_of(cwa / "manifest-sm3.txt") == {
        "abc.txt": "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"}
    assert lines_of(cwa / "manifest-sha256.txt") == {"abc.txt": sha256(b"abc")}
    assert run("verify", tmp_path / "a").exit_code == 0


def test_without_sm3_the_message_says_what_to_do(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real = hashlib.new

    def no_sm3(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.lower() == "sm3":
            raise ValueError("unsupported hash type sm3")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(hashlib, "new", no_sm3)  # a Python built without SM3
    (tmp_path / "a").mkdir()
    result = run("manifest", tmp_path / "a", "--algo", "sm3")
    assert result.exit_code == 2
    assert "不提供 SM3" in result.stderr and "--algo sha256" in result.stderr
    assert not (tmp_path / "a" / ".cwa").exists()


def test_hashing_in_workers_equals_hashing_in_turn(tmp_path: Path) -> None:
    for i in range(300):  # more than one chunk, so the pool is used
        (tmp_path / f"{i:03d}.bin").write_bytes(os.urandom(i * 37))
    items = [digest.Item(f"{i:03d}.bin", i * 37) for i in range(300)]
    source = digest.Source(str(tmp_path))
    parallel = digest.digest_all(source, items, ("sha256", "md5"), 2)
    serial = digest.digest_all(source, items, ("sha256", "md5"), 1)
    assert parallel.found == serial.found and not parallel.failed
    assert parallel.found["299.bin"] == (
        sha256((tmp_path / "299.bin").read_bytes()),
        hashlib.md5((tmp_path / "299.bin").read_bytes()).hexdigest())


def test_a_worker_that_dies_does_not_lose_its_files(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(600):
        (tmp_path / f"{i:03d}.bin").write_bytes(os.urandom(100 + i))
    items = [digest.Item(f"{i:03d}.bin", 100 + i) for i in range(600)]
    source = digest.Source(str(tmp_path))
    serial = digest.digest_all(source, items, ("sha256",), 1)
    parent, real = os.getpid(), digest.hash_chunk

    def dies_in_a_worker(numbered: Any) -> Any:
        if os.getpid() != parent and numbered[0] in (0, 1):
            os._exit(9)  # as a worker killed by the system would
        return real(numbered)

    monkeypatch.setattr(digest, "hash_chunk", dies_in_a_worker)
    recovered = digest.digest_all(source, items, ("sha256",), 2)
    assert recovered.found == serial.found and not recovered.failed


# --- the manifest ----------------------------------------------------------------------

def test_manifest_lines_header_and_what_is_left_out(archive: Path) -> None:
    result = run("manifest", archive)
    assert result.exit_code == 0, result.output
    path = archive / ".cwa" / "manifest-sha256.txt"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# cwa-manifest: 1 algorithm=sha256 created=")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("锁定文件和系统文件" in line and "2 个" in line for line in header)
    assert any("cwa 自己的文件" in line and "2 个" in line for line in header)  # cwa.yaml, note
    assert any("Payload-Oxum" in line for line in header)
    entries = lines_of(path)
    assert set(entries) == {f"{FOLDER}/01：领导小组成立文件.docx",
                            f"{FOLDER}/02：完成率100%25.docx",  # RFC 8493: % as %25
                            f"{FOLDER}/03：会议照片.jpg", f"{FOLDER}/03：会议照片.txt",
                            "02：理想信念教育/学习记录.txt"}
    for name, value in entries.items():
        on_disk = archive.joinpath(*manifest.unescape(name).split("/"))
        assert value == sha256(on_disk.read_bytes())
    assert "5 个文件" in result.stdout


def test_names_are_escaped_as_rfc_8493_says_and_read_back() -> None:
    for name in ("a%b.docx", "line\nbreak.txt", "cr\rname", "100%25.docx", "普通.docx",
                 "\udcb9\udca4\udcd7\udcf7.docx"):
        written = manifest.escape(name)
        assert "\n" not in written and "\r" not in written
        written.encode("utf-8")  # always valid UTF-8
        assert manifest.unescape(written) == name
    assert manifest.escape("a%b\nc") == "a%25b%0Ac"
    assert manifest.escape("\udcb9\udca4.docx") == "%B9%A4.docx"


def test_manifest_is_journaled_and_undone(archive: Path) -> None:
    before = listing(archive)
    assert run("manifest", archive).exit_code == 0
    first = (archive / ".cwa" / "manifest-sha256.txt").read_bytes()
    make_docx(archive / FOLDER / "04：新文件.docx")
    assert run("manifest", archive).exit_code == 0  # replaces the first, journaled too
    second = (archive / ".cwa" / "manifest-sha256.txt").read_bytes()
    assert second != first and "04：新文件.docx" in second.decode("utf-8")
    assert run("undo", archive).exit_code == 0
    assert (archive / ".cwa" / "manifest-sha256.txt").read_bytes() == first
    (archive / FOLDER / "04：新文件.docx").unlink()
    assert run("undo", archive).exit_code == 0
    assert not (archive / ".cwa" / "manifest-sha256.txt").exists()
    assert files_of(listing(archive)) == files_of(before)


def test_manifest_outside_with_o_and_never_inside(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "清单.txt"
    assert run("manifest", archive, "-o", out).exit_code == 0
    assert not (archive / ".cwa").exists()
    assert run("verify", archive, "--manifest", out).exit_code == 0
    inside = run("manifest", archive, "-o", archive / "清单.txt")
    assert inside.exit_code == 2 and "不能用 -o 写进档案文件夹" in inside.stderr
    both = run("manifest", archive, "--algo", "both", "-o", tmp_path / "x.txt")
    assert both.exit_code == 2 and "-o 应为已存在的文件夹" in both.stderr
    if digest.supported("sm3"):
        folder = tmp_path / "out"
        folder.mkdir()
        assert run("manifest", archive, "--algo", "both", "-o", folder).exit_code == 0
        assert sorted(p.name for p in folder.iterdir()) == ["manifest-sha256.txt",
                                                             "manifest-sm3.txt"]


def test_manifest_where_it_cannot_be_written(archive: Path, tmp_path: Path) -> None:
    (archive / ".cwa").write_text("not a folder")  # cwa's folder is not a folder
    result = run("manifest", archive)
    assert result.exit_code == 2 and result.stderr.startswith("错误：")
    assert (archive / ".cwa").read_text() == "not a folder"
    assert run("manifest", archive, "-o", tmp_path / "m.txt").exit_code == 0  # -o still can


def test_manifest_refuses_before_hashing_when_a_change_is_unfinished(archive: Path) -> None:
    assert run("manifest", archive).exit_code == 0
    journal = next((archive / ".cwa" / "journal").glob("*.jsonl"))
    lines = journal.read_text(encoding="utf-8").splitlines()
    journal.write_text(lines[0] + "\n", encoding="utf-8")  # killed before its first step
    result = run("manifest", archive)
    assert result.exit_code == 2 and "cwa resume" in result.stderr


def test_reuse_only_when_asked(archive: Path) -> None:
    path = archive / FOLDER / "01：领导小组成立文件.docx"
    assert run("manifest", archive).exit_code == 0
    original = lines_of(archive / ".cwa" / "manifest-sha256.txt")
    key = f"{FOLDER}/01：领导小组成立文件.docx"
    stat = path.stat()
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF  # same size; the time put back: only the content tells
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    reused = run("manifest", archive, "--reuse")
    assert reused.exit_code == 0 and "其中 5 个文件" in reused.stdout
    assert lines_of(archive / ".cwa" / "manifest-sha256.txt")[key] == original[key]
    fresh = run("manifest", archive)  # the default trusts no metadata
    assert fresh.exit_code == 0
    assert lines_of(archive / ".cwa" / "manifest-sha256.txt")[key] == sha256(bytes(data))
    path.write_bytes(b"shorter")  # size changed: hashed again even with --reuse
    assert run("manifest", archive, "--reuse").exit_code == 0
    assert lines_of(archive / ".cwa" / "manifest-sha256.txt")[key] == sha256(b"shorter")


# --- verify ----------------------------------------------------------------------------

def test_tamper_delete_add_rename_after_the_manifest(archive: Path) -> None:
    assert run("manifest", archive).exit_code == 0
    assert verify_json(archive)[0] == 0
    folder = archive / FOLDER
    (folder / "01：领导小组成立文件.docx").write_bytes(b"tampered")
    (folder / "03：会议照片.txt").unlink()
    (folder / "05：后来加的.docx").write_bytes(b"new")
    (folder / "02：完成率100%.docx").rename(folder / "04：完成率.docx")
    (folder / "~$临时.docx").write_bytes(b"lock")  # junk: not an addition
    code, report = verify_json(archive)
    assert code == 1
    assert codes(report) == {("FX001", f"{FOLDER}/01：领导小组成立文件.docx"),
                             ("FX002", f"{FOLDER}/03：会议照片.txt"),
                             ("FX003", f"{FOLDER}/05：后来加的.docx"),
                             ("FX004", f"{FOLDER}/04：完成率.docx")}
    moved = next(f for f in report["findings"] if f["code"] == "FX004")
    assert moved["data"]["source"] == f"{FOLDER}/02：完成率100%.docx"
    changed = next(f for f in report["findings"] if f["code"] == "FX001")
    assert changed["data"]["found"] == sha256(b"tampered")
    assert report["summary"] == {"listed": 5, "intact": 2, "changed": 1, "missing": 1,
                                 "added": 1, "moved": 1, "unreadable": 0,
                                 "bytes": report["summary"]["bytes"]}
    text = run("verify", archive)
    assert text.exit_code == 1
    assert "错误 FX001" in text.stdout and "被修改 1" in text.stdout
    assert "与清单中的“02：完成率100%.docx”内容相同" in text.stdout


def test_verify_writes_nothing_even_on_a_read_only_share(archive: Path, tmp_path: Path) -> None:
    assert run("manifest", archive).exit_code == 0
    before = listing(archive)
    for path in [archive, *archive.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        assert run("verify", archive).exit_code == 0
        assert run("verify", archive, "-f", "html", "-o", tmp_path / "核验.html").exit_code == 0
        refused = run("verify", archive, "-f", "html", "-o", archive / "核验.html")
        assert refused.exit_code == 2 and "cwa verify 不改动它" in refused.stderr
    finally:
        for path in [archive, *archive.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert listing(archive) == before


def test_non_utf8_names(archive: Path, tmp_path: Path) -> None:
    folder = os.fsencode(archive / FOLDER)
    fd = os.open(folder + b"/" + GBK_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.write(fd, b"gbk named")
    os.close(fd)
    assert run("manifest", archive).exit_code == 0
    text = (archive / ".cwa" / "manifest-sha256.txt").read_bytes().decode("utf-8")  # valid
    assert f"{sha256(b'gbk named')}  {FOLDER}/%B9%A4%D7%F7.docx" in text
    assert verify_json(archive)[0] == 0
    again = run("manifest", archive, "--reuse")  # its size and time recalled by name too
    assert again.exit_code == 0 and "其中 6 个文件" in again.stdout
    fd = os.open(folder + b"/" + GBK_NAME, os.O_WRONLY | os.O_TRUNC)
    os.write(fd, b"changed")
    os.close(fd)
    code, report = verify_json(archive)
    assert code == 1 and codes(report) == {("FX001", f"{FOLDER}/%B9%A4%D7%F7.docx")}
    fd = os.open(folder + b"/" + GBK_NAME, os.O_WRONLY | os.O_TRUNC)
    os.write(fd, b"gbk named")  # the content as it was, under another GBK name
    os.close(fd)
    os.rename(folder + b"/" + GBK_NAME, folder + b"/\xb9\xa4.docx")  # noqa: PTH104 (bytes)
    result = run("verify", archive, "--format", "json")
    report = json.loads(result.stdout_bytes.decode("utf-8"))  # strict: valid UTF-8 only
    assert codes(report) == {("FX004", f"{FOLDER}/%B9%A4.docx")}
    assert report["findings"][0]["data"]["source"] == f"{FOLDER}/%B9%A4%D7%F7.docx"
    for out in ("md", "html"):
        assert run("verify", archive, "-f", out).exit_code == 1


def test_nfd_names_match_their_nfc_form(archive: Path, tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Café 照片.jpg")
    make_jpeg(archive / FOLDER / nfd)
    assert run("manifest", archive).exit_code == 0
    assert f"{FOLDER}/{nfd}" in lines_of(archive / ".cwa" / "manifest-sha256.txt")
    # copied through a system that normalises names (a Mac, a zip tool): NFC now
    (archive / FOLDER / nfd).rename(archive / FOLDER / unicodedata.normalize("NFC", nfd))
    code, report = verify_json(archive)
    assert code == 0 and report["summary"]["intact"] == 6


def test_sha256sum_output_is_a_manifest_too(archive: Path, tmp_path: Path) -> None:
    if shutil.which("sha256sum") is None:
        pytest.skip("no sha256sum")
    files = sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*.docx"))
    sums = subprocess.run(["sha256sum", "-b", *files], cwd=archive, capture_output=True,
                          check=True).stdout
    (tmp_path / "SHA256SUMS").write_bytes(sums)
    code, report = verify_json(archive, "--manifest", tmp_path / "SHA256SUMS")
    # the lock file was listed (sha256sum knows no rules), the other files were not
    assert code == 1
    assert {c for c, _ in codes(report)} == {"FX003"}
    assert report["summary"]["intact"] == len(files)


def test_a_broken_manifest_is_a_clear_error(archive: Path, tmp_path: Path) -> None:
    bad = tmp_path / "manifest-sha256.txt"
    bad.write_text("# comment\nnot a line\n", encoding="utf-8")
    result = run("verify", archive, "--manifest", bad)
    assert result.exit_code == 2 and f"{bad}:2:" in result.stderr
    bad.write_text(f"{'0' * 64}  ../../etc/passwd\n", encoding="utf-8")
    result = run("verify", archive, "--manifest", bad)
    assert result.exit_code == 2 and "档案文件夹之外" in result.stderr
    nothing = run("verify", archive)
    assert nothing.exit_code == 2 and "cwa manifest" in nothing.stderr


def test_reports_json_markdown_html(archive: Path, tmp_path: Path) -> None:
    assert run("manifest", archive).exit_code == 0
    (archive / FOLDER / "01：领导小组成立文件.docx").write_bytes(b"x")
    code, report = verify_json(archive)
    assert code == 1
    assert report["schema_version"] == 1 and report["kind"] == "verify"
    assert report["findings"][0]["hint"].startswith("文件在生成清单后被修改过")
    md = run("verify", archive, "-f", "md", "--lang", "en").stdout
    assert md.startswith("# Archive verification report")
    assert "| error | FX001 |" in md
    assert run("verify", archive, "-f", "html", "-o", tmp_path / "r.html").exit_code == 1
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    parser = HTMLParser()
    parser.feed(page)
    assert "FX001" in page and "<style>" in page and "http" not in page.split("<body>")[1]


def test_a_progress_bar_on_a_terminal_only() -> None:
    shown = io.StringIO()
    with BytesBar(Console(file=shown, force_terminal=True, width=100), "正在核验") as bar:
        bar.start(2, 2048)
        bar.advance(1, 1024)
        bar.advance(1, 1024)
    assert "正在核验" in shown.getvalue()
    silent = io.StringIO()
    with BytesBar(Console(file=silent, force_terminal=False), "正在核验") as bar:
        bar.start(1, 10)
        bar.advance(1, 10)
    assert silent.getvalue() == ""


def test_check_deep_reports_a_file_that_differs_from_the_manifest(archive: Path) -> None:
    assert run("check", archive, "--deep", "--format", "json").exit_code in (0, 1)
    assert run("manifest", archive).exit_code == 0
    path = archive / FOLDER / "01：领导小组成立文件.docx"
    data = bytearray(path.read_bytes())
    data[200] ^= 0x01  # a damaged copy: it no longer opens either
    path.write_bytes(bytes(data))
    report = json.loads(run("check", archive, "--deep", "--format", "json").stdout)
    fixity = [(f["code"], f["path"]) for f in report["findings"] if f["code"].startswith("FX")]
    assert fixity == [("FX001", f"{FOLDER}/01：领导小组成立文件.docx")]
    plain = json.loads(run("check", archive, "--format", "json").stdout)
    assert not [f for f in plain["findings"] if f["code"].startswith("FX")]  # --deep only


# --- the hand-over package -------------------------------------------------------------

def test_export_zip_flags_every_name_utf8_and_verifies(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "清河区税务局-创建档案-2026.zip"
    result = run("export", example, "-o", out)
    assert result.exit_code == 0, result.output
    assert "未放入交接包（锁定/系统文件）：01：思想建设类/03：组织机构建设/~$创建领导小组文件.docx" in result.stderr
    assert "Thumbs.db" in result.stderr
    with zipfile.ZipFile(out) as package:
        infos = package.infolist()
        assert infos and all(i.flag_bits & 0x800 for i in infos)  # ASCII names too
        names = [i.filename for i in infos]
        top = "清河区税务局-创建档案-2026/"
        assert all(n.startswith(top) for n in names)
        assert {f"{top}manifest-sha256.txt", f"{top}检查报告.html", f"{top}归档文件目录.xlsx",
                f"{top}cwa.yaml"} <= set(names)
        assert not [n for n in names if "~$" in n or "Thumbs.db" in n or "_归档要求" in n]
        assert package.testzip() is None
        listed = package.read(f"{top}manifest-sha256.txt").decode("utf-8")
        for line in listed.splitlines():
            if not line.startswith("#"):
                value, name = line.split("  ", 1)
                assert sha256(package.read(top + manifest.unescape(name))) == value
    raw = out.read_bytes()  # the flag in the raw bytes of every local header as well
    for info in infos:
        header = raw[info.header_offset:info.header_offset + 30]
        assert header[:4] == b"PK\x03\x04"
        assert int.from_bytes(header[6:8], "little") & 0x800
    assert not list(tmp_path.glob(".*.tmp"))
    assert run("verify", out).exit_code == 0
    if shutil.which("unzip"):
        assert subprocess.run(["unzip", "-tq", str(out)], capture_output=True).returncode == 0


def test_export_is_never_written_into_the_archive(example: Path) -> None:
    result = run("export", example, "-o", example / "包.zip")
    assert result.exit_code == 2 and "不能写进档案文件夹" in result.stderr
    assert not list(example.glob("*.zip")) and not list(example.glob(".*.tmp"))


def test_a_changed_or_damaged_zip_is_found(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "包.zip"
    assert run("export", example, "-o", out).exit_code == 0
    with zipfile.ZipFile(out) as package:
        members = {i.filename: package.read(i) for i in package.infolist()}
    photo = next(n for n in members if n.endswith("05：表彰大会照片.jpg"))
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(changed, "w") as rewritten:  # one photo swapped, the manifest kept
        for name, data in members.items():
            rewritten.writestr(name, b"another photo" if name == photo else data)
    code, report = verify_json(changed)
    assert code == 1
    assert codes(report) == {("FX001", photo.split("/", 1)[1])}
    raw = bytearray(out.read_bytes())  # a stored JPEG's bytes damaged in transit
    at = raw.find(members[photo][1000:1032])
    raw[at] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    code, report = verify_json(damaged)
    assert code == 1 and {c for c, _ in codes(report)} == {"FX005"}
    assert "CRC" in report["findings"][0]["message"]


def test_zip64_past_the_limit(example: Path, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    # zipfile switches to zip64 past ZIP64_LIMIT (4 GB); lowered here, the same code paths
    # write zip64 records for a package of a few megabytes
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 64 * 1024)
    out = tmp_path / "big.zip"
    assert run("export", example, "-o", out).exit_code == 0
    monkeypatch.undo()
    data = out.read_bytes()
    assert b"PK\x06\x06" in data and b"PK\x06\x07" in data  # zip64 end records
    with zipfile.ZipFile(out) as package:
        assert package.testzip() is None
        infos = package.infolist()
        assert "big/cwa.yaml" in [i.filename for i in infos]  # ASCII names: flagged too
        assert all(i.flag_bits & 0x800 for i in infos)
    assert run("verify", out, "-j", "2").exit_code == 0
    if shutil.which("unzip"):
        assert subprocess.run(["unzip", "-tq", str(out)], capture_output=True).returncode == 0


def test_non_utf8_names_get_their_gb18030_name_in_the_package(archive: Path,
                                                               tmp_path: Path) -> None:
    fd = os.open(os.fsencode(archive / FOLDER) + b"/" + GBK_NAME, os.O_WRONLY | os.O_CREAT)
    os.write(fd, b"gbk")
    os.close(fd)
    out = tmp_path / "包.zip"
    result = run("export", archive, "-o", out, "--rubric", "archive-scope")
    assert result.exit_code == 0, result.output
    assert f"在交接包中改名为“{FOLDER}/工作.docx”" in result.stderr
    with zipfile.ZipFile(out) as package:
        assert package.read(f"包/{FOLDER}/工作.docx") == b"gbk"
    assert run("verify", out).exit_code == 0


def test_bag_validated_by_bagit_python(example: Path, tmp_path: Path) -> None:
    bagit = pytest.importorskip("bagit")
    bag = tmp_path / "清河区税务局-创建档案-2026"
    result = run("export", example, "--bag", "-o", bag, "--unit", "清河区税务局")
    assert result.exit_code == 0, result.output
    opened = bagit.Bag(str(bag))
    opened.validate()  # raises BagValidationError when anything is off
    assert opened.info["Source-Organization"] == "清河区税务局"
    payload = [p for p in (bag / "data").rglob("*") if p.is_file()]
    assert opened.info["Payload-Oxum"] == (
        f"{sum(p.stat().st_size for p in payload)}.{len(payload)}")
    assert (bag / "检查报告.html").is_file() and (bag / "归档文件目录.xlsx").is_file()
    assert run("verify", bag).exit_code == 0
    photo = next(p for p in payload if p.suffix == ".jpg")
    photo.write_bytes(b"swapped")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag)).validate()
    code, report = verify_json(bag)
    assert code == 1 and codes(report) == {("FX001", photo.relative_to(bag).as_posix())}


def test_bag_in_a_zip(example: Path, tmp_path: Path) -> None:
    bagit = pytest.importorskip("bagit")
    out = tmp_path / "单位-创建档案-2026.zip"
    assert run("export", example, "--bag", "-o", out).exit_code == 0
    assert run("verify", out).exit_code == 0
    with zipfile.ZipFile(out) as package:
        assert all(i.flag_bits & 0x800 for i in package.infolist())
        package.extractall(tmp_path / "unpacked")
    bagit.Bag(str(tmp_path / "unpacked" / "单位-创建档案-2026")).validate()


def test_a_bag_made_by_bagit_python_verifies(tmp_path: Path) -> None:
    bagit = pytest.importorskip("bagit")
    root = tmp_path / "bag"
    make_docx(root / "01：指标" / "完成率100%.docx")  # bagit-python leaves % unescaped
    make_jpeg(root / "01：指标" / "照片.jpg")
    bagit.make_bag(str(root), {"Source-Organization": "某单位"}, checksums=["sha256"])
    code, report = verify_json(root)
    assert code == 0 and report["summary"]["intact"] == 2
    (root / "data" / "01：指标" / "照片.jpg").unlink()
    code, report = verify_json(root)
    assert codes(report) == {("FX002", "data/01：指标/照片.jpg")}


def test_an_unpacked_package_verifies_in_place(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "包.zip"
    assert run("export", example, "-o", out).exit_code == 0
    with zipfile.ZipFile(out) as package:
        package.extractall(tmp_path)
    code, report = verify_json(tmp_path / "包")
    assert code == 0 and report["summary"]["intact"] == report["summary"]["listed"] > 30
    assert run("check", tmp_path / "包").exit_code == 1  # cwa.yaml travels with it


class _WindowsZipName(zipfile.ZipInfo):
    """A name as Chinese Windows' built-in zip writes it: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def test_a_zip_from_chinese_windows_verifies_by_its_real_names(archive: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "manifest-sha256.txt"
    assert run("manifest", archive, "-o", out).exit_code == 0
    legacy = tmp_path / "来自Windows.zip"
    with zipfile.ZipFile(legacy, "w") as package:
        for path in archive.rglob("*"):
            if path.is_file():
                name = f"档案/{path.relative_to(archive).as_posix()}"
                package.writestr(_WindowsZipName(name), path.read_bytes())
    with zipfile.ZipFile(legacy) as package:  # what zipfile sees: cp437 mojibake
        assert not any("领导小组" in i.filename for i in package.infolist())
    code, report = verify_json(legacy, "--manifest", out)
    assert code == 0 and report["summary"]["intact"] == 5


@pytest.mark.parametrize("command", ["manifest", "verify", "export"])
def test_help_in_both_languages(command: str) -> None:
    chinese = run(command, "--help")
    assert chinese.exit_code == 0 and "档案" in chinese.stdout
    english = run("--lang", "en", command, "--help")
    assert english.exit_code == 0 and "archive" in english.stdout


@pytest.mark.parametrize("name", ["../x", "a/../b", "/etc/passwd", "a//b", "a/./b", ".", "a/",
                                  ".."])
def test_a_manifest_path_that_leaves_the_archive_is_refused(name: str) -> None:
    from cwa.errors import CwaError

    with pytest.raises(CwaError):
        manifest.parse(f"{'0' * 64}  {name}\n".encode(), "manifest-sha256.txt")


def test_hidden_and_dotted_names_are_fine() -> None:
    listed = manifest.parse("".join(f"{'0' * 64}  {n}\n" for n in (
        ".DS_Store", "a/.hidden", "x..y.docx", "a/b.docx")).encode(), "m")
    assert set(listed.entries) == {".DS_Store", "a/.hidden", "x..y.docx", "a/b.docx"}


def test_names_that_windows_would_take_for_one_are_reported(archive: Path,
                                                             tmp_path: Path) -> None:
    (archive / FOLDER / "Report.docx").write_bytes(b"upper")
    (archive / FOLDER / "report.docx").write_bytes(b"lower")  # one file on Windows
    out = tmp_path / "包.zip"
    result = run("export", archive, "-o", out, "--rubric", "archive-scope")
    assert result.exit_code == 1
    assert "在 Windows 上是同一个名称" in result.stderr
    with zipfile.ZipFile(out) as package:
        names = [n.casefold() for n in package.namelist()]
        contents = sorted(package.read(n) for n in package.namelist() if "eport" in n)
    assert names.count(f"包/{FOLDER}/report.docx".casefold()) == 1
    assert contents == [b"lower", b"upper"]  # both handed over, one under another name
    assert run("verify", out).exit_code == 0  # the package is consistent with itself


def test_export_names_the_package_after_the_unit(example: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.chdir(tmp_path)
    assert run("export", example, "--unit", "清河区/税务局").exit_code == 0
    made = tmp_path / f"清河区／税务局-创建档案-{time.strftime('%Y')}.zip"  # Windows-safe
    assert made.is_file()
    with zipfile.ZipFile(made) as package:
        info = package.read(f"{made.stem}/manifest-sha256.txt")
    assert info.startswith(b"# cwa-manifest: 1 algorithm=sha256")
