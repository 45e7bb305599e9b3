"""A checked folder's part is remembered (``cwa.checks.memo``): used again only while
everything it was made from is the same, and never trusted blindly."""

from __future__ import annotations

import os
import pickle
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from cwa.checks import memo
from tests.conftest import listing

Cli = Callable[..., Result]
CACHE = "checks.sqlite3"


def cache_file() -> Path:
    return Path(os.environ["CWA_CACHE_DIR"]) / CACHE


def output(cli: Cli, archive: Path, *args: str) -> str:
    result = cli("check", archive, "--fail-on", "never", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def fresh(cli: Cli, archive: Path, *args: str) -> str:
    return output(cli, archive, "--no-cache", *args)


def parts() -> dict[str, tuple[str, bytes]]:
    with sqlite3.connect(cache_file()) as db:
        rows = db.execute("SELECT folder, kind, part FROM parts").fetchall()
    names = {folder: folder.decode("utf-8", "surrogatepass") for folder, _, _ in rows}
    return {f"{kind} {names[folder]}": (names[folder], part) for folder, kind, part in rows}


def swap_remembered(first: str, second: str) -> None:
    """Give two folders each other's remembered part: if a check shows them swapped, it
    used the cache."""
    one, other = first.encode(), second.encode()
    with sqlite3.connect(cache_file()) as db:
        rows = dict(db.execute("SELECT folder, part FROM parts").fetchall())
        db.execute("UPDATE parts SET part = ? WHERE folder = ?", (rows[other], one))
        db.execute("UPDATE parts SET part = ? WHERE folder = ?", (rows[one], other))


@pytest.mark.parametrize("fmt", ["json", "text", "md"])
def test_a_second_check_uses_what_the_first_remembered(cli: Cli, example: Path,
                                                       fmt: str) -> None:
    first = output(cli, example, "--format", fmt)
    assert cache_file().exists()
    assert len(parts()) == 7  # one per top-level indicator folder of the example
    assert output(cli, example, "--format", fmt) == first == fresh(cli, example, "--format",
                                                                   fmt)
    # proof that the second run read the cache: swapped parts show up swapped
    swap_remembered("01：思想建设类", "02：工作成绩类")
    tampered = output(cli, example, "--format", fmt)
    assert tampered != first
    assert output(cli, example, "--format", fmt, "--no-cache") == first


def test_check_writes_nothing_into_the_archive_and_no_cache_writes_no_cache(
        cli: Cli, example: Path) -> None:
    before = listing(example)
    fresh(cli, example, "--format", "json")
    assert not cache_file().exists()
    output(cli, example, "--format", "json")
    output(cli, example, "--format", "json")
    assert listing(example) == before


def change_added(folder: Path) -> None:
    (folder / "99：新增材料.docx").write_bytes(b"x" * 10)


def change_renamed(folder: Path) -> None:
    victim = next(p for p in sorted(folder.rglob("*")) if p.is_file())
    victim.rename(victim.with_name("改名后的文件" + victim.suffix))


def change_emptied(folder: Path) -> None:
    victim = next(p for p in sorted(folder.rglob("*.docx")) if p.stat().st_size)
    stat = victim.stat()
    victim.write_bytes(b"")
    os.utime(victim, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same time, other size


def change_touched(folder: Path) -> None:
    victim = next(p for p in sorted(folder.rglob("*")) if p.is_file())
    stat = victim.stat()
    os.utime(victim, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10**9 * 86400 * 3650))


def change_removed_folder(folder: Path) -> None:
    victim = next(p for p in sorted(folder.rglob("*")) if p.is_dir())
    for path in sorted(victim.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    victim.rmdir()


@pytest.mark.parametrize("change", [change_added, change_renamed, change_emptied,
                                    change_touched, change_removed_folder])
def test_any_change_below_a_folder_is_seen(cli: Cli, example: Path,
                                           change: Callable[[Path], None]) -> None:
    output(cli, example, "--format", "json")
    change(example / "04：道德风尚类")
    assert output(cli, example, "--format", "json") == fresh(cli, example, "--format", "json")


def test_what_a_part_is_made_with_is_part_of_its_key(cli: Cli, example: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    output(cli, example, "--format", "json")
    # language
    assert output(cli, example, "--format", "json", "--lang", "en") == fresh(
        cli, example, "--format", "json", "--lang", "en")
    # the year window
    assert output(cli, example, "--format", "json", "--years", "2019-2021") == fresh(
        cli, example, "--format", "json", "--years", "2019-2021")
    # the date (periods due)
    monkeypatch.setenv("CWA_TODAY", "2031-03-01")
    assert output(cli, example, "--format", "json") == fresh(cli, example, "--format",
                                                             "json")
    monkeypatch.delenv("CWA_TODAY")
    # the rubric: cwa.yaml's settings
    config = example / "cwa.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("2024", "2023"),
                      encoding="utf-8")
    assert output(cli, example, "--format", "json") == fresh(cli, example, "--format",
                                                             "json")


def test_a_folder_matched_to_another_indicator_is_checked_again(cli: Cli, example: Path
                                                                ) -> None:
    """How a folder is placed depends on its neighbours: renaming one folder may give an
    unchanged folder another indicator."""
    output(cli, example, "--format", "json")
    (example / "03：环境卫生").rename(example / "03：道德风尚类")
    assert output(cli, example, "--format", "json") == fresh(cli, example, "--format", "json")


def test_parallel_and_serial_checks_share_the_cache(cli: Cli, example: Path) -> None:
    first = output(cli, example, "--format", "json", "--jobs", "2")
    assert output(cli, example, "--format", "json", "--jobs", "1") == first
    assert output(cli, example, "--format", "json", "--jobs", "2") == first


@pytest.mark.parametrize("damage", ["garbage", "bad-pickle", "directory"])
def test_a_damaged_or_unusable_cache_is_not_used(cli: Cli, example: Path, damage: str
                                                 ) -> None:
    first = fresh(cli, example, "--format", "json")
    if damage == "garbage":
        cache_file().parent.mkdir(parents=True, exist_ok=True)
        cache_file().write_bytes(b"\x00not a database" * 100)
    elif damage == "directory":
        cache_file().mkdir(parents=True)
    else:
        output(cli, example, "--format", "json")
        with sqlite3.connect(cache_file()) as db:
            db.execute("UPDATE parts SET part = ?", (b"\x80\x05not a pickle",))
    result = cli("check", example, "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    assert result.stdout == first
    assert "Traceback" not in result.output
    if damage == "bad-pickle":  # put right by the check that could not use it
        with sqlite3.connect(cache_file()) as db:
            assert db.execute("SELECT count(*) FROM parts WHERE part = ?",
                              (b"\x80\x05not a pickle",)).fetchone() == (0,)


def test_a_folder_that_cannot_be_read_whole_is_not_remembered(cli: Cli, example: Path
                                                               ) -> None:
    """A folder below which something could not be read (here a path past the system's
    limit, readable by no one) has a scan problem: its part is not kept, the others are."""
    here = Path.cwd()
    try:
        os.chdir(example / "04：道德风尚类")
        for i in range(20):  # 20 folders of 80 汉字: a path past PATH_MAX (4,096 bytes)
            Path(f"{i:02d}" + "深" * 80).mkdir()
            os.chdir(f"{i:02d}" + "深" * 80)
        Path("01：文件.docx").write_bytes(b"PK")
    finally:
        os.chdir(here)
    first = output(cli, example, "--format", "json")
    assert '"SC001"' in first
    kept = {folder for folder, _ in parts().values()}
    assert "04：道德风尚类" not in kept and "01：思想建设类" in kept
    assert output(cli, example, "--format", "json") == first


def test_the_listing_digest_covers_each_entry() -> None:
    from cwa.scan import Entry

    def tree(size: int, mtime: int, name: str = "01：记录.docx") -> Entry:
        top = Entry("01：思想", "01：思想", "dir")
        top.children = [Entry(name, f"01：思想/{name}", "file", size, mtime)]
        return top

    base = memo.listing(tree(1, 2), ("1",))
    assert memo.listing(tree(1, 2), ("1",)) == base
    assert len({base, memo.listing(tree(9, 2), ("1",)), memo.listing(tree(1, 9), ("1",)),
                memo.listing(tree(1, 2, "02：记录.docx"), ("1",)),
                memo.listing(tree(1, 2), ("2",)),
                memo.listing(tree(1, 2, "\udcb9\udca4.docx"), ("1",))}) == 6
    assert pickle.loads(pickle.dumps(base)) == base


def test_checks_running_at_once_share_one_cache(example: Path) -> None:
    """Several checks of one archive at the same moment (a clerk and CI): each gets the
    whole report, and the cache they all write is used after."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "cwa", "check", str(example), "--format", "json"]
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for _ in range(4)]
    outputs = [process.communicate(timeout=120) for process in running]
    assert [process.returncode for process in running] == [1] * 4
    assert len({out for out, _ in outputs}) == 1
    assert all(not err for _, err in outputs)
    again = subprocess.run(command, capture_output=True, check=False, timeout=120)
    assert again.stdout == outputs[0][0]
    assert len(parts()) == 7


DIGEST = """
import sys
from pathlib import Path
from cwa.checks import periods
from cwa.checks.evidence import Context
from cwa.checks.memo import settings as digest
from cwa.commands.shared import archive_settings, consoles
_, err = consoles()
s = archive_settings(Path(sys.argv[1]), sys.argv[2], err)
ctx = Context(s.years, s.config.unit_types if s.config else None, periods.today())
print(digest("zh", ctx, s.naming, s.rubric, s.years).hex())
"""


@pytest.mark.parametrize("rubric", ["archive-scope", "city-model", "ezhou-2017",
                                    "national-2012", "real"])
def test_what_a_part_is_made_with_has_one_digest_in_every_process(
        example: Path, tmp_path: Path, rubric: str) -> None:
    """Another process (another string hash seed) must find the same settings digest, or
    a re-check would never use the cache."""
    import subprocess
    import sys

    from tests.test_real_rubrics import REAL

    if rubric == "real":
        rubric = str(tmp_path / "real.yaml")
        Path(rubric).write_text(REAL, encoding="utf-8")
    digests = {subprocess.run([sys.executable, "-c", DIGEST, str(example), rubric],
                              capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2", "3")}
    assert len(digests) == 1
    assert len(next(iter(digests)).strip()) == 40


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_cache_folder_is_the_users_own(cli: Cli, example: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache holds names and findings of the archives checked: on a shared machine
    other users cannot read it."""
    folder = tmp_path / "home-cache" / "cwa"
    monkeypatch.setenv("CWA_CACHE_DIR", str(folder))
    output(cli, example, "--format", "json")
    assert (folder / CACHE).exists()
    assert folder.stat().st_mode & 0o077 == 0


@pytest.mark.skipif(os.name != "posix", reason="POSIX owners and modes")
def test_a_cache_file_is_the_users_only(cli: Cli, example: Path) -> None:
    """Parts are pickles read back from the cache file: it is made the user's only; one
    an older cwa made as the umask said (writable by the group) is made so; one that is
    another user's is not used (the check is the same without it)."""
    first = output(cli, example, "--format", "json")
    assert cache_file().stat().st_mode & 0o077 == 0
    swap_remembered("01：思想建设类", "02：工作成绩类")  # used, a check would show it
    cache_file().chmod(0o664)
    assert output(cli, example, "--format", "json") != first  # the user's own: used
    assert cache_file().stat().st_mode & 0o077 == 0
    if os.geteuid() != 0:
        return  # only root can give the file to another user
    os.chown(cache_file(), 65534, 65534)
    assert output(cli, example, "--format", "json") == first  # another's: not used
    assert cache_file().stat().st_uid == 65534  # and not made ours either


def test_a_part_holds_for_the_month(cli: Cli, tmp_path: Path, small_rubric: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Which periods are due depends on the month, not the day: a re-check later in the
    month uses the cache, the first one of the next month does not."""
    from tests.test_real_rubrics import init, write

    text = """\
rubric: 每月
years: {from: 2031, to: 2031}
indicators:
  - {code: "1", name: 信息报送, evidence: [{title: 工作信息, kinds: [text], cadence: monthly}]}
  - {code: "2", name: 学习记录, evidence: [{title: 学习记录, kinds: [text]}]}
"""
    archive = init(tmp_path, write(tmp_path, text))
    (archive / "01：信息报送" / "01：2031年1月工作信息.docx").write_bytes(b"x")
    monkeypatch.setenv("CWA_TODAY", "2031-03-02")
    first = output(cli, archive, "--format", "json")
    swap_remembered("01：信息报送", "02：学习记录")
    monkeypatch.setenv("CWA_TODAY", "2031-03-30")
    assert output(cli, archive, "--format", "json") != first  # the (tampered) cache
    monkeypatch.setenv("CWA_TODAY", "2031-04-01")
    later = output(cli, archive, "--format", "json")
    assert later == fresh(cli, archive, "--format", "json")
    assert "3月" in later  # March is due now, and missing


def test_names_that_are_not_utf8_are_remembered(cli: Cli, example: Path, tmp_path: Path
                                                ) -> None:
    """An archive, or a top-level folder, whose name is GBK bytes (an unzipped Chinese
    Windows zip): the cache keeps such paths as bytes and uses them again."""
    if sys.platform != "linux":
        pytest.skip("names of any bytes: Linux")
    odd = tmp_path / os.fsdecode(b"\xb5\xb5\xb0\xb8")  # 档案 in GBK
    example.rename(odd)
    folder = odd / "04：道德风尚类"
    folder.rename(odd / ("04：道德风尚类" + os.fsdecode(b"\xff")))
    first = output(cli, odd, "--format", "json")
    assert output(cli, odd, "--format", "json") == first == fresh(cli, odd, "--format", "json")
    assert len(parts()) == 7


def test_a_part_another_check_replaced_meanwhile_is_not_used(tmp_path: Path) -> None:
    """Two checks of one archive overlap: the second replaces a folder's part after the
    first read which listing it expects. The first must not take the second's part for
    the one it expected (it is checked again instead)."""
    archive = tmp_path / "档案"
    archive.mkdir()

    def memo_() -> memo.Memo:
        made = memo.Memo(archive, "kind", b"settings", tmp_path / "cache")
        made.load()
        return made

    first = memo_()
    first.keep("01：思想建设类", b"listing one", "part one")
    first.close()
    slow = memo_()  # a check that read the cache, then was held up
    assert slow.expected("01：思想建设类") == b"listing one"
    quick = memo_()  # another check, after a file was added and removed again
    quick.keep("01：思想建设类", b"listing two", "part two")
    quick.close()
    assert slow.recall("01：思想建设类") is None
    assert memo_().recall("01：思想建设类") == "part two"
