"""cwa.yaml and its rubric as read last time (``cwa.config_memo``): used again only while
both files are the same to the byte, never when the memo is not the user's own, and
never for a file with errors."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import Result

from cwa import config_memo

Cli = Callable[..., Result]


def memos() -> list[Path]:
    folder = Path(os.environ["CWA_CACHE_DIR"]) / config_memo.FOLDER
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def names(cli: Cli, archive: Path, *args: str) -> list[str]:
    """The top-level indicators' names a check reports."""
    result = cli("check", archive, "--format", "json", "--fail-on", "never", *args)
    assert result.exit_code == 0, result.output
    return [i["name"] for i in json.loads(result.stdout)["indicators"]]


def own_rubric(cli: Cli, tmp_path: Path, small_rubric: Path) -> Path:
    """An archive following a rubric of its own (copied in as 测评体系.yaml)."""
    archive = tmp_path / "unit"
    result = cli("init", archive, "--rubric", small_rubric)
    assert result.exit_code == 0, result.output
    assert (archive / "测评体系.yaml").is_file()
    return archive


def test_a_second_command_parses_no_yaml(example: Path) -> None:
    """The first check parses cwa.yaml and the rubric (PyYAML loaded); the second uses
    what the first read and never loads PyYAML; both report the same."""
    command = [sys.executable, "-X", "importtime", "-m", "cwa", "check", str(example),
               "--format", "json"]
    first = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    second = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert first.returncode == second.returncode == 1, first.stderr
    yaml = re.compile(r"\|\s+yaml$", re.MULTILINE)
    assert yaml.search(first.stderr)
    assert not yaml.search(second.stderr)
    assert first.stdout == second.stdout
    assert len(memos()) == 1


def test_an_edit_that_keeps_size_and_time_is_seen(cli: Cli, tmp_path: Path,
                                                  small_rubric: Path) -> None:
    archive = own_rubric(cli, tmp_path, small_rubric)
    assert names(cli, archive)[0] == "创建工作机制"
    rubric = archive / "测评体系.yaml"
    before = rubric.stat()
    text = rubric.read_text(encoding="utf-8")
    rubric.write_text(text.replace("创建工作机制", "创建工作制度"), encoding="utf-8")
    os.utime(rubric, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert rubric.stat().st_size == before.st_size
    assert names(cli, archive)[0] == "创建工作制度"


def test_an_edited_cwa_yaml_is_read_again(cli: Cli, example: Path) -> None:
    result = cli("check", example, "--format", "json", "--fail-on", "never")
    assert json.loads(result.stdout)["years"] == {"from": 2024, "to": 2026}
    path = example / "cwa.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("from: 2024", "from: 2025"),
                    encoding="utf-8")
    result = cli("check", example, "--format", "json", "--fail-on", "never")
    assert json.loads(result.stdout)["years"] == {"from": 2025, "to": 2026}
    assert len(memos()) == 2  # one per cwa.yaml read


def test_two_archives_with_the_same_cwa_yaml_keep_their_own_rubrics(
        cli: Cli, tmp_path: Path, small_rubric: Path) -> None:
    archive = own_rubric(cli, tmp_path, small_rubric)
    other = tmp_path / "other"
    archive.rename(other)  # same cwa.yaml bytes, another place
    assert names(cli, other)[0] == "创建工作机制"
    archive.mkdir()
    for name in ("cwa.yaml", "测评体系.yaml"):
        (archive / name).write_bytes((other / name).read_bytes())
    rubric = archive / "测评体系.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("创建工作机制", "工作机制"),
                      encoding="utf-8")
    assert names(cli, archive)[0] == "工作机制"
    assert names(cli, other)[0] == "创建工作机制"


def test_a_file_with_errors_is_never_remembered(cli: Cli, tmp_path: Path,
                                                small_rubric: Path) -> None:
    archive = own_rubric(cli, tmp_path, small_rubric)
    for memo in memos():  # what ``cwa init`` read
        memo.unlink()
    rubric = archive / "测评体系.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("points: 6", "pionts: 6"),
                      encoding="utf-8")
    for _ in range(2):  # said each time, from the file
        result = cli("check", archive)
        assert result.exit_code == 2
        assert "pionts" in result.output and "测评体系.yaml:" in result.output
    assert memos() == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_what_is_remembered_says_what_reading_says(cli: Cli, tmp_path: Path, lang: str,
                                                   small_rubric: Path) -> None:
    """A rubric with a warning, in either language: the remembered reading shows the same
    warning, in the language asked for, as reading the files does."""
    archive = own_rubric(cli, tmp_path, small_rubric)
    rubric = archive / "测评体系.yaml"
    rubric.write_bytes(rubric.read_text(encoding="utf-8").encode("gb18030"))  # a warning
    runs = [cli("check", archive, "--lang", other) for other in ("zh", "en", lang)]
    assert runs[2].output == runs[0 if lang == "zh" else 1].output
    assert "GB18030" in runs[2].output
    for folder in memos():
        folder.unlink()
    assert cli("check", archive, "--lang", lang).output == runs[2].output


def rubric_name(cli: Cli, archive: Path) -> str:
    result = cli("check", archive, "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    name: str = json.loads(result.stdout)["rubric"]["name"]
    return name


def forge(cli: Cli, archive: Path) -> Path:
    """Replace the remembered reading by one whose rubric is renamed, keeping what it says
    it was read from: used, a check shows the forged name."""
    assert rubric_name(cli, archive) == REAL_NAME
    (memo,) = memos()
    key, found = pickle.loads(memo.read_bytes())
    rubric = replace(found.rubric, name="伪造的测评体系")
    memo.write_bytes(pickle.dumps((key, replace(found, rubric=rubric))))
    return memo


REAL_NAME = "文明单位创建档案资料归档范围"


@pytest.mark.skipif(os.name != "posix", reason="POSIX owners and modes")
def test_a_memo_others_could_have_written_is_not_used(cli: Cli, example: Path) -> None:
    memo = forge(cli, example)
    memo.chmod(0o600)
    assert rubric_name(cli, example) == "伪造的测评体系"  # the user's own file: trusted
    memo.chmod(0o666)
    assert rubric_name(cli, example) == REAL_NAME  # writable by others: read again


@pytest.mark.skipif(os.name != "posix", reason="POSIX links")
def test_a_memo_that_is_a_link_is_not_used(cli: Cli, example: Path, tmp_path: Path) -> None:
    memo = forge(cli, example)
    planted = tmp_path / "planted.pickle"
    memo.rename(planted)
    memo.symlink_to(planted)
    assert rubric_name(cli, example) == REAL_NAME


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps(("a", "b")),
                                     pickle.dumps(("path", "digest", None)),
                                     pickle.dumps(("key", None))])
def test_a_broken_memo_is_read_again(cli: Cli, example: Path, content: bytes) -> None:
    names(cli, example)
    (memo,) = memos()
    memo.write_bytes(content)
    assert names(cli, example)[0] == "思想建设类"


def test_an_unwritable_cache_costs_only_time(cli: Cli, example: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "cache-is-a-file"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("CWA_CACHE_DIR", str(blocked))
    assert names(cli, example)[0] == "思想建设类"
    assert names(cli, example)[0] == "思想建设类"


def test_a_cwa_yaml_that_cannot_be_read_says_so(cli: Cli, example: Path) -> None:
    names(cli, example)
    config = example / "cwa.yaml"
    config.unlink()
    config.mkdir()
    result = cli("check", example)
    assert result.exit_code == 2
    assert "cwa.yaml" in result.output and "Traceback" not in result.output


def test_a_file_saved_while_it_is_read_is_never_remembered_as_it_now_is(
        cli: Cli, tmp_path: Path, small_rubric: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reading is kept under the digest of the very bytes it was parsed from: a rubric
    or cwa.yaml saved while a command reads it is read again by the next command."""
    from cwa import configfile
    from cwa.rubric import load

    archive = own_rubric(cli, tmp_path, small_rubric)
    for memo in memos():
        memo.unlink()
    rubric, config = archive / "测评体系.yaml", archive / "cwa.yaml"
    parse_rubric, parse_config = load.load, configfile.read

    def rubric_saved_meanwhile(*args: object, **kwargs: object) -> object:
        found = parse_rubric(*args, **kwargs)  # type: ignore[arg-type]
        rubric.write_text(rubric.read_text(encoding="utf-8").replace(
            "创建工作机制", "创建工作制度"), encoding="utf-8")
        return found

    monkeypatch.setattr(load, "load", rubric_saved_meanwhile)
    assert names(cli, archive)[0] == "创建工作机制"  # what it read
    monkeypatch.setattr(load, "load", parse_rubric)
    assert names(cli, archive)[0] == "创建工作制度"  # what the file says now

    def config_edited_and_put_back_meanwhile(*args: object, **kwargs: object) -> object:
        """cwa.yaml changed after its bytes were read for the key, and put back after."""
        before = config.read_bytes()
        config.write_bytes(before.replace(b"from: 2018", b"from: 2019"))
        try:
            return parse_config(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            config.write_bytes(before)

    for memo in memos():
        memo.unlink()
    monkeypatch.setattr(configfile, "read", config_edited_and_put_back_meanwhile)
    first = cli("check", archive, "--format", "json", "--fail-on", "never")
    assert json.loads(first.stdout)["years"]["from"] == 2018  # the bytes of its key
    monkeypatch.setattr(configfile, "read", parse_config)
    again = cli("check", archive, "--format", "json", "--fail-on", "never")
    assert json.loads(again.stdout)["years"]["from"] == 2018  # as the file says


def test_no_cache_neither_uses_nor_keeps_a_reading(cli: Cli, example: Path) -> None:
    assert rubric_name(cli, example) == REAL_NAME  # kept
    forge(cli, example)
    result = cli("check", example, "--format", "json", "--fail-on", "never", "--no-cache")
    assert json.loads(result.stdout)["rubric"]["name"] == REAL_NAME  # not used
    for memo in memos():
        memo.unlink()
    cli("check", example, "--no-cache")
    assert memos() == []  # not kept


def test_a_reading_kept_under_another_key_is_not_used(cli: Cli, example: Path,
                                                      tmp_path: Path) -> None:
    """Each kept reading names the key it was kept under: copied to another name (two
    archives' readings swapped) it is read again instead."""
    other = tmp_path / "other"
    shutil.copytree(example, other)
    config = other / "cwa.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("from: 2024", "from: 2025"),
                      encoding="utf-8")
    rubric_name(cli, example)
    before = set(memos())
    rubric_name(cli, other)
    (mine,) = set(memos()) - before
    (theirs,) = before
    mine.write_bytes(theirs.read_bytes())  # the example's reading under the other's key
    result = cli("check", other, "--format", "json", "--fail-on", "never")
    assert json.loads(result.stdout)["years"]["from"] == 2025
