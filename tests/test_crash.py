"""A kill at any step of any command that writes into an archive loses nothing.

For init, fix, stamp, album and catalog (into the archive): the command is killed right
after the filesystem change of each step (before the journal records it), and, for steps
that write a file, while the file's content is half way (its temporary file written, not
yet in place). Then, on a fresh crash each time, ``cwa resume`` must give the tree an
uninterrupted run gives, and ``cwa undo`` the tree as it was, byte for byte. The kill is
real (``os._exit`` in a forked copy of this process running the CLI).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from cwa.apply import CRASH_AFTER, CRASH_DURING
from tests.conftest import SMALL_RUBRIC, make_docx, make_jpeg, run

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="kills a forked process")

LEAF = "01：创建工作机制/01：创建领导机构"


def state(root: Path) -> dict[str, str]:
    """Every entry below root except cwa's own folder: "dir" or the content's SHA-256."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == ".cwa" or rel.startswith(".cwa/"):
            continue
        out[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def killed(args: list[str], env: dict[str, str]) -> int:
    """Run the CLI in a forked copy of this process with ``env`` set; its exit status."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.environ.update(env)
            status = run(*args).exit_code
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def journal_header(root: Path) -> dict[str, object]:
    (path,) = (root / ".cwa" / "journal").glob("*.jsonl")
    header: dict[str, object] = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    return header


# -- one fixture per writing command: (make the tree, the command line) -----------------

def _rubric(base: Path) -> Path:
    base.mkdir(parents=True, exist_ok=True)
    path = base / "rubric.yaml"
    path.write_text(SMALL_RUBRIC, encoding="utf-8")
    return path


def _archive(base: Path) -> Path:
    root = base / "a"
    assert run("init", root, "--rubric", _rubric(base), "--no-notes").exit_code == 0
    shutil.rmtree(root / ".cwa")
    return root


def init_case(base: Path) -> tuple[Path, list[str]]:
    return base / "new", ["init", str(base / "new"), "--rubric", str(_rubric(base))]


def fix_case(base: Path) -> tuple[Path, list[str]]:
    root = _archive(base)
    for i, rel in enumerate(["01：甲.docx", "1_甲.docx", "说明.docx", "2024/1_计划.docx"]):
        path = root / LEAF / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"content {i}".encode())
    (root / "02：理想信念教育").rename(root / "2、理想信念教育")
    (root / "01：创建工作机制" / "02：年度实施方案").rmdir()
    return root, ["fix", str(root), "--apply"]


@functools.cache
def _docx(text: str) -> bytes:
    """The same document every time (python-docx dates each one it makes)."""
    with tempfile.TemporaryDirectory() as temp:
        return make_docx(Path(temp) / "x.docx", text).read_bytes()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def stamp_case(base: Path) -> tuple[Path, list[str]]:
    root = _archive(base)
    for rel in ("01：领导小组文件.docx", "02：会议纪要.docx", "2024/01：计划.docx"):
        _write(root / LEAF / rel, _docx(rel))
    return root, ["stamp", str(root)]


def album_case(base: Path) -> tuple[Path, list[str]]:
    root = _archive(base)
    for i in range(3):
        make_jpeg(root / LEAF / f"0{i + 1}：会议照片{i + 1}.jpg")
    return root, ["album", str(root / LEAF), "-o", str(root / LEAF / "04：图片汇编.docx")]


def catalog_case(base: Path) -> tuple[Path, list[str]]:
    root = _archive(base)
    _write(root / LEAF / "01：领导小组文件.docx", _docx("正文"))
    return root, ["catalog", str(root), "-o", str(root / "归档文件目录.xlsx")]


CASES: dict[str, Callable[[Path], tuple[Path, list[str]]]] = {
    "init": init_case, "fix": fix_case, "stamp": stamp_case, "album": album_case,
    "catalog": catalog_case}


def finished_like(done: Path, reference: Path) -> None:
    """``done`` (resumed) has the tree of ``reference`` (never interrupted): the same
    entries, each with the same bytes — except files the command itself made, which hold
    the very bytes the interrupted run planned (a new document carries its own time)."""
    planned = {op["rel"]: op["sha256"] for op in journal_header(done)["operations"]
               if op["op"] in ("write", "replace")}
    got, want = state(done), state(reference)
    assert got.keys() == want.keys()
    for rel, value in got.items():
        assert value == want[rel] or value == planned.get(rel), rel


@pytest.mark.parametrize("command", sorted(CASES))
def test_a_kill_at_any_step_then_resume_or_undo(tmp_path: Path, command: str) -> None:
    make = CASES[command]
    reference, args = make(tmp_path / "reference")
    assert run(*args).exit_code in (0, 1)
    operations = journal_header(reference)["operations"]
    assert isinstance(operations, list) and operations
    kills = [(CRASH_AFTER, step) for step in range(len(operations))]
    kills += [(CRASH_DURING, step) for step, op in enumerate(operations)
              if op["op"] in ("write", "replace")]
    for number, (where, step) in enumerate(kills):
        for then in ("resume", "undo"):
            root, args = make(tmp_path / f"{number}-{then}")
            original = state(root)
            assert killed(args, {where: str(step)}) == 99, (where, step)
            refused = run(*args)
            assert refused.exit_code == 2, refused.output
            assert f"上次的 cwa {command} 没有完成" in refused.stderr
            assert "cwa resume" in refused.stderr
            if then == "resume":
                result = run("resume", root)
                assert result.exit_code == 0, (where, step, result.output)
                assert result.stdout.startswith(f"继续完成 cwa {command}")
                finished_like(root, reference)
                assert not [p for p in root.rglob("*.tmp") if ".cwa-" in p.name]
                assert run("undo", root).exit_code == 0
            else:
                assert run("undo", root).exit_code == 0, (where, step)
            assert state(root) == original, (command, where, step, then)
            assert not [p for p in root.rglob("*.tmp") if ".cwa-" in p.name]


def test_resume_after_the_archive_was_copied(tmp_path: Path) -> None:
    """A copy has other identities (inodes): recovery falls back to the names."""
    root, args = fix_case(tmp_path / "x")
    original = state(root)
    assert killed(args, {CRASH_AFTER: "1"}) == 99
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    assert run("undo", copy).exit_code == 0
    assert state(copy) == original


@pytest.mark.parametrize("cut", [b'{"done": ', b'{"do', b'{"skipped": 3, "rea'])
def test_a_record_cut_short_then_resume_keeps_the_journal_readable(tmp_path: Path,
                                                                  cut: bytes) -> None:
    """A record cut short (the disk was full; a kill mid-write) said nothing: resume and
    undo go on after the last whole line, never gluing their records onto the cut one
    (which made the whole journal unreadable: nothing could be undone)."""
    from cwa import journal

    reference, args = fix_case(tmp_path / "reference")
    assert run(*args).exit_code in (0, 1)
    for then in ("resume", "undo"):
        root, args = fix_case(tmp_path / then)
        original = state(root)
        assert killed(args, {CRASH_AFTER: "2"}) == 99
        (path,) = (root / ".cwa" / "journal").glob("*.jsonl")
        with path.open("ab") as fh:
            fh.write(cut)
        if then == "resume":
            assert run("resume", root).exit_code == 0
            finished_like(root, reference)
            lines = path.read_bytes().split(b"\n")
            assert all(not line or line.endswith(b"}") for line in lines)
            assert journal.load(path).ended
        assert run("undo", root).exit_code == 0
        assert state(root) == original, then
        assert journal.load(path).done  # still readable after undo's records
