"""What keeps a check fast says the same as the plain way: a report rendered where each
top-level indicator was checked (``check(part=...)``), in one process or several; a
folder of plain files judged at once; what a command loads; how many workers it starts.
No timings here: the figures are the benchmarks' (``benchmarks/run_all.py``)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from cwa import checks, config, kinds, naming
from cwa.check import check
from cwa.checks import entries
from cwa.report import terminal
from cwa.report.model import dumps, json_document, json_part, to_dict
from cwa.scan import Entry
from tests.conftest import run


@pytest.fixture
def varied(example: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example with findings of every place: a folder that cannot be read, a
    missing top-level folder, a top-level folder whose own name is at fault (a finding
    about the archive's level made where that folder is checked), unexpected entries."""
    (example / "临时资料" / "CON.docx").write_bytes(b"x")
    (example / "01：思想建设类" / "多余的文件夹").mkdir()
    (example / "04：道德风尚类").rename(example / "04：道德风尚类 ")  # trailing space
    shutil.rmtree(example / "07：荣誉类")
    real = os.scandir

    def scandir(path: str) -> Any:
        if Path(path).name == "02：工作成绩类":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr("cwa.scan.os.scandir", scandir)
    return example


def _text(report: Any, console: Console) -> str:
    terminal.render(report, console)
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue()


@pytest.mark.parametrize("jobs", [1, 2])
def test_parts_rendered_where_they_were_checked_make_the_same_report(
        varied: Path, jobs: int) -> None:
    settings_ = config.settings(varied, None, None)
    whole = check(varied, settings_, jobs=1)
    assert any(f.code == "WN001" and f.indicator is None for f in whole.findings)
    assert any(f.code == "SC001" for f in whole.findings)

    streamed = check(varied, settings_, jobs=jobs, part=json_part)
    assert streamed.parts and any(p is None for p in streamed.parts)  # 07 is missing
    assert json_document(streamed) == dumps(to_dict(whole)).encode("utf-8")
    assert streamed.summary == whole.summary

    plain = check(varied, settings_, jobs=jobs, part=terminal.plain_part)
    assert _text(plain, Console(file=io.StringIO(), width=200)) == \
        _text(whole, Console(file=io.StringIO(), width=200))
    styled = check(varied, settings_, jobs=jobs, part=terminal.styled_part)
    colour = {"force_terminal": True, "color_system": "standard", "width": 200,
              "soft_wrap": True, "markup": False, "emoji": False, "highlight": False}
    shown = _text(styled, Console(file=io.StringIO(), **colour))
    assert shown == _text(whole, Console(file=io.StringIO(), **colour))
    assert "\x1b[" in shown


def test_text_off_a_terminal_is_rich_s_text(example: Path) -> None:
    """Written without rich off a terminal: what rich itself would print."""
    report = check(example, config.settings(example, None, None), jobs=1)
    plain = Console(file=io.StringIO(), width=200)
    assert terminal.plain(plain)
    lines: list[terminal.Line] = []
    for result in report.results:
        terminal._indicator(report, result, 0, lines)
    by_rich = Console(file=io.StringIO(), width=200, no_color=True, soft_wrap=True,
                      markup=False, emoji=False, highlight=False)  # as cwa's were
    for line in lines:
        by_rich.print(Text.assemble(*line))
    terminal.write(plain, lines)
    assert plain.file.getvalue() == by_rich.file.getvalue()  # type: ignore[attr-defined]


def _modules(*argv: str) -> set[str]:
    code = ("import sys\nfrom cwa.cli import main\nsys.argv = ['cwa', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sys.modules), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                          text=True, check=False, timeout=120)
    return set(done.stderr.split()[-1000:]) if done.stderr else set()


def test_a_command_loads_what_it_uses(example: Path) -> None:
    loaded = _modules("check", str(example), "--format", "json")
    assert "cwa.check" in loaded and "cwa.report.model" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "pydantic"}  # Typer's default
    assert not loaded & {"cwa.commands.album", "cwa.commands.catalog", "cwa.office.album",
                         "cwa.office.catalog", "cwa.report.html", "cwa.report.terminal",
                         "rich.progress", "cwa.deep", "docx", "PIL", "openpyxl"}
    undo = _modules("undo", str(example))
    assert "cwa.commands.undo" in undo
    assert not undo & {"cwa.check", "cwa.checks", "cwa.report.model", "cwa.commands.check"}
    helped = _modules("--help")
    assert not {m for m in helped if m.startswith("cwa.commands.") and m not in (
        "cwa.commands.shared", "cwa.commands.usage", "cwa.commands.completion")}


def test_help_lists_every_command_without_loading_it() -> None:
    lines = run("--help").stdout.splitlines()
    listed = [line.split()[0] for line in lines[lines.index("命令：") + 1:] if
              line.startswith("  ") and not line.startswith("   ")]
    assert listed == ["init", "check", "fix", "undo", "resume", "todo", "stamp", "album",
                      "catalog", "migrate", "manifest", "verify", "export", "summary", "serve",
                      "rubric"]
    assert run("chek").stderr.splitlines()[-1] == "错误：没有这个命令：chek（是否想用：check？）"


NAME_PIECES = st.sampled_from([
    "a", "C", "on", "CON", "com1", "lpt", "aux", "nul", "clo", "~", "~$", ".", " ", "\u3000",
    "_", "-", "：", ":", "?", "*", "<", "|", '"', "\\", "\x01", "\x1f", "\udcb9", "e\u0301",
    "文明", "01", "2024年", "thumbs.db", "desktop.ini", ".DS_Store", "x" * 120,
    ".docx", ".doc", ".jpg", ".heic", ".exe", ".lnk", ".txt", ".pdf", ".mp4", ".xyz",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(NAME_PIECES, min_size=1, max_size=5).map("".join),
                min_size=1, max_size=4),
       st.sampled_from(["file", "file", "dir", "link"]), st.sampled_from([0, 7]),
       st.sampled_from([3, 40, 200]))
def test_a_folder_judged_at_once_is_judged_as_file_by_file(
        names: list[str], kind: str, size: int, prefix: int) -> None:
    if any("\n" in name for name in names):
        return
    folder = [Entry(name, f"甲/{name}", kind, size) for name in names]
    kinds_at_once = entries.plain_files(folder, prefix)
    for entry in folder:
        found: list[Any] = []
        what = entries.check(entry, "1", prefix, found)
        plain = (entry.kind == "file" and entry.size > 0 and not kinds.is_junk(entry.name)
                 and not naming.windows_problems(entry.name)
                 and entry.name == unicodedata.normalize("NFC", entry.name)
                 and prefix + len(entry.rel) <= naming.MAX_PATH
                 and entry.ext in entries.PLAIN_KIND)
        if plain:  # nothing any rule would say, judged in one look
            assert not found and what == entries.PLAIN_KIND[entry.ext], (entry.name, found)
        elif entry.kind == "file" and entry.ext in entries.PLAIN_KIND:
            assert found, entry.name  # and a file that is not plain has something said
        if kinds_at_once is not None:
            assert not found and entry.ext != ".txt"
            assert kinds_at_once[folder.index(entry)] == what
    if kinds_at_once is None and not any(  # "COM…", "LPT…", ".…": left to the rules one by one
            e.name[:3].upper() in naming.RESERVED_STARTS or e.name.startswith(".")
            for e in folder):
        assert not all(entries.PLAIN_KIND.get(e.ext) and e.ext != ".txt" and e.kind == "file"
                       and e.size and not naming.windows_problems(e.name)
                       and not kinds.is_junk(e.name) and e.name == naming.nfc(e.name)
                       and prefix + len(e.rel) <= naming.MAX_PATH for e in folder)


TITLE = st.text(st.sampled_from(list("abcXYZ文明①ﬁß_-—、：:（）() \u3000\t0１2")), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(TITLE, min_size=1, max_size=6))
def test_titles_folded_at_once_are_folded_as_one_by_one(titles: list[str]) -> None:
    import re

    def fold(text: str) -> str:  # the rule, as naming.fold first wrote it
        return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text).casefold())

    assert naming.fold_lines(titles) == [naming.fold(t) for t in titles] == \
        [fold(t) for t in titles]


def test_workers_follow_the_archive_and_the_machine(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "a"
    settings_ = config.settings(Path(__file__).parent.parent / "examples" / "qinghe-tax",
                                None, None)
    from cwa.match import match
    from cwa.scan import scan

    for top in ("01：甲", "02：乙", "03：丙"):
        (archive / top).mkdir(parents=True)
    present = [p for p in match(settings_.rubric, scan(archive, deep=False).tree,
                                settings_.naming).placements if p.folder is not None]
    assert len(present) == 3
    measured = checks.busy
    monkeypatch.setattr(checks, "processors", lambda: 4)
    monkeypatch.setattr(checks, "busy", lambda: 0.0)
    assert checks.workers(None, archive, present) == 1  # small: not worth a process
    assert checks.workers(2, archive, present) == 2  # asked for
    for i in range(checks.SMALL):
        (archive / "01：甲" / f"{i}.docx").write_bytes(b"x")
    assert checks.workers(None, archive, present) == 3  # as many as folders
    monkeypatch.setattr(checks, "busy", lambda: 2.2)
    assert checks.workers(None, archive, present) == 2  # two of four processors free
    monkeypatch.setattr(checks, "busy", lambda: 5.0)
    assert checks.workers(None, archive, present) == 1  # busy: take turns with no one
    monkeypatch.setattr(checks, "_load", lambda: 1.5)  # an average that holds past runs
    assert 0 <= measured() <= 1.5
