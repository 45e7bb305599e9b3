"""The command line speaks the user's language all the way: usage lines, help pages,
option errors, completion; English with English punctuation and plurals."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cwa.messages.en import MESSAGES as EN
from tests.conftest import EXAMPLE, run


def test_help_is_chinese_all_the_way() -> None:
    result = run("check", "-h")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "用法：cwa check [选项] [档案文件夹]"
    assert {"参数：", "选项："} <= set(lines)
    assert "  -h, --help                      显示本帮助并退出。" in lines
    assert "  --lang [zh|en]                  界面语言：zh（默认）或 en；也可设置环境变量" in lines
    assert "  -j, --jobs 整数                 并行检查的进程数（默认：按档案大小和空闲的 CPU" in lines
    assert not re.search(r"Usage|Options|Arguments|Show this message|default:|<str>",
                         result.stdout)


def test_the_app_lists_its_commands_in_chinese() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("用法：cwa [选项] 命令 [参数]...\n")
    assert "\n命令：\n  init      按测评体系创建逐级嵌套的指标文件夹和 cwa.yaml。\n" in result.stdout
    assert "  --install-completion  为当前的 shell（bash、zsh、fish、PowerShell）安装" in result.stdout


def test_help_in_english_is_english() -> None:
    result = run("--lang", "en", "init", "--help")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Usage: cwa init [OPTIONS] [DIR]"
    assert {"Arguments:", "Options:"} <= set(lines)
    assert "  --notes / --no-notes  Put a '_归档要求.txt' note in each indicator folder" in lines
    assert "  -h, --help            Show this message and exit." in lines
    assert not re.search(r"[：，（）]", result.stdout.replace("'_归档要求.txt'", ""))


def test_wide_characters_are_wrapped_by_their_width() -> None:
    from rich.cells import cell_len

    environment = {k: v for k, v in os.environ.items() if k != "CWA_LANG"}
    result = subprocess.run([sys.executable, "-m", "cwa", "album", "--help"], check=False,
                            capture_output=True, env={**environment, "COLUMNS": "60"},
                            timeout=120)
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) > 10
    assert max(cell_len(line) for line in lines) <= 58  # Click leaves 2 columns free


@pytest.mark.parametrize(("args", "message"), [
    (["check", "--formt", "json"], "错误：没有这个选项：--formt（是否想用：--format？）"),
    (["check", "--format", "xml"],
     "错误：--format/-f 的值无效：“xml”不是可用的值（可用：text、json、md、html、junit、sarif、github、xlsx）"),
    (["check", "--fail-on", "all"], "错误：--fail-on 的值无效：“all”不是可用的值（可用：error、warning、never）"),
    (["check", "-j", "0"], "错误：--jobs/-j 的值无效：应不小于 1"),
    (["check", "-j", "两"], "错误：--jobs/-j 的值无效：“两”不是整数"),
    (["album", "照片", "--per-page", "3"], "错误：--per-page 的值无效：应不大于 2"),
    (["album"], "错误：缺少参数 指标文件夹"),
    (["chek"], "错误：没有这个命令：chek（是否想用：check？）"),
    (["check", "a", "b"], "错误：多余的参数：b"),
    (["rubric", "shw"], "错误：没有这个命令：shw（是否想用：show？）"),
])
def test_option_errors_in_chinese(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    command = "cwa rubric" if args[0] == "rubric" else "cwa" if args[0] == "chek" else \
        f"cwa {args[0]}"
    assert lines[0].startswith(f"用法：{command}")
    assert lines[1] == f"运行 {command} --help 查看帮助。"
    assert lines[-1] == message


@pytest.mark.parametrize(("args", "message"), [
    (["check", "--format"], "Error: Option --format needs a value"),
    (["check", "--deep=yes"], "Error: Option --deep takes no value"),
])
def test_option_usage_errors_in_english(args: list[str], message: str) -> None:
    result = run("--lang", "en", *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message


def test_invalid_value_in_english() -> None:
    result = run("--lang", "en", "check", "--format", "xml")
    assert result.stderr.splitlines() == [
        "Usage: cwa check [OPTIONS] [DIR]",
        "Try 'cwa check --help' for help.",
        "",
        "Error: Invalid value for --format/-f: 'xml' is not one of text, json, md, html, "
        "junit, sarif, github, xlsx",
    ]


def test_version_and_short_help() -> None:
    from importlib.metadata import version

    from cwa import __version__

    assert run("--version").stdout == f"cwa {__version__}\n"
    assert __version__ == version("cwa")  # one source: the package's metadata agrees
    assert run("-h").stdout == run("--help").stdout


# -- English punctuation and plurals -------------------------------------------------

#: English messages that quote Chinese as it is written: the naming convention, whose
#: separator is "：", an example of a photo caption, the wording of real 测评体系 (year
#: windows, per-clause methods) and the starter rubric's Chinese examples.
CONVENTION = {"hint.EV001", "note.footer", "help.sep", "yaml.syntax_fullwidth_colon",
              "hint.PH003", "rubric.bad_window", "rubric.method_no_clauses",
              "rubric.starter"}


def test_the_english_catalogue_uses_english_punctuation() -> None:
    leaks = {key: text for key, text in EN.items()
             if key not in CONVENTION and re.search(r"[：，（）、；。“”！？]", text)}
    assert leaks == {}


def test_english_reports_use_english_punctuation_and_plurals(tmp_path: Path) -> None:
    result = run("--lang", "en", "check", EXAMPLE)
    lines = result.stdout.splitlines()
    assert "      ✘ 年度文明建设计划 (text)  per year: 2024: 1/1, 2025: 1/1, 2026: 0/1" in lines
    assert lines[-1] == ("26 indicators: complete 6 · partial 6 · missing 14 | "
                         "48 errors · 13 warnings · 3 notes")
    page = run("--lang", "en", "check", EXAMPLE, "--format", "html").stdout
    assert "<b>48</b><span>errors</span>" in page and "2024: 1, 2025: 1, 2026: 0" in page
    archive = tmp_path / "a"
    assert run("--lang", "en", "init", archive, "--rubric", "city-model").exit_code == 0
    md = run("--lang", "en", "check", archive, "--format", "md").stdout
    assert "\n- Estimated score of the document review: about 0/" in md
    one = run("--lang", "en", "rubric", "validate", "city-model").stdout
    assert re.fullmatch(r"city-model: valid, \d+ leaf indicators, 0 warnings\n", one)


def test_plurals_follow_the_count() -> None:
    from cwa import messages

    messages.set_lang("en")
    assert messages.t("report.summary_findings", error=1, warning=0, info=2) == \
        "1 error · 0 warnings · 2 notes"
    assert messages.t("undo.done", count=1, journal="j") == "Undid 1 change (journal: j)."
    messages.set_lang("zh")
    assert messages.t("undo.done", count=1, journal="j") == "已撤销 1 项改动（记录：j）。"


# -- shell completion --------------------------------------------------------------------

@pytest.fixture
def program(tmp_path: Path) -> Path:
    """A `cwa` on PATH that runs this checkout's cwa, as the installed script would."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "cwa"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cwa "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


def bash(program: Path, script: str, home: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    environment = {k: v for k, v in os.environ.items() if k != "CWA_LANG"}
    return subprocess.run(["bash", "--norc", "--noprofile", "-c", script], text=True,
                          capture_output=True, check=False, timeout=120,
                          env={**environment, "HOME": str(home),
                               "PATH": f"{program}{os.pathsep}{os.environ['PATH']}"})


COMPLETE = """
source <(cwa --show-completion)
complete_words() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _cwa_completion cwa;
                    printf '%s\\n' "${{COMPREPLY[@]}}"; echo --; }}
{calls}
"""


def test_bash_completion_completes_commands_options_and_values(program: Path,
                                                               tmp_path: Path) -> None:
    calls = ["complete_words cwa ch", "complete_words cwa check --fo",
             "complete_words cwa check --format j", "complete_words cwa --lang ''",
             "complete_words cwa rubric s"]
    result = bash(program, COMPLETE.format(calls="\n".join(calls)), tmp_path)
    assert result.returncode == 0, result.stderr
    answers = [block.strip().splitlines() for block in result.stdout.split("--\n")[:-1]]
    assert answers == [["check"], ["--format"], ["json", "junit"], ["zh", "en"],
                       ["show", "schema"]]


def test_install_completion_for_bash_in_chinese(program: Path, tmp_path: Path) -> None:
    result = bash(program, "cwa --install-completion", tmp_path)
    assert result.returncode == 0, result.stderr
    script = tmp_path / ".bash_completions" / "cwa.sh"
    assert result.stdout.splitlines() == [f"已为 bash 安装命令补全：{script}", "重新打开终端后生效。"]
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text(encoding="utf-8")
    assert "complete -o default -F _cwa_completion cwa" in script.read_text(encoding="utf-8")


def test_completion_scripts_for_every_shell(program: Path, tmp_path: Path) -> None:
    from cwa.commands import completion

    for shell, marker in [("zsh", "compdef _cwa_completion cwa"),
                          ("fish", "complete --command cwa"),
                          ("powershell", "Register-ArgumentCompleter -Native -CommandName cwa")]:
        script = subprocess.run([sys.executable, "-c", (
            "import sys; from cwa.commands import completion;"
            f" completion.shell = lambda: {shell!r}; sys.argv = ['cwa', '--show-completion'];"
            " from cwa.cli import main; main()")], capture_output=True, text=True,
            check=False, timeout=120)
        assert marker in script.stdout, (shell, script.stderr)
    assert set(completion.SHELLS) == {"bash", "zsh", "fish", "powershell", "pwsh"}


# -- the program as a process ------------------------------------------------------------

def test_the_program_says_all_it_has_to_and_exits_with_the_code(tmp_path: Path) -> None:
    """``cwa`` ends with ``os._exit`` once its command is done (``cli.run``): everything
    written to a file or a pipe arrives, and the exit code is the command's."""
    example = tmp_path / "example"
    shutil.copytree(EXAMPLE, example)

    def program(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "cwa", *args], capture_output=True,
                              check=False, timeout=120)

    def report_of(text: str) -> dict[str, object]:
        found: dict[str, object] = json.loads(text)
        del found["checked_at"]  # the second it ran
        return found

    in_process = run("check", example, "--format", "json")
    done = program("check", str(example), "--format", "json")
    assert done.returncode == 1
    assert report_of(done.stdout.decode("utf-8")) == report_of(in_process.stdout)
    report = tmp_path / "report.md"
    with report.open("wb") as sink:
        code = subprocess.run([sys.executable, "-m", "cwa", "check", str(example),
                               "--format", "md"], stdout=sink, check=False,
                              timeout=120).returncode
    assert code == 1
    assert report.read_text(encoding="utf-8") == run("check", example, "--format",
                                                     "md").stdout
    assert program("--version").returncode == 0
    wrong = program("check", str(tmp_path / "nowhere"))
    assert wrong.returncode == 2 and "nowhere" in wrong.stderr.decode("utf-8")
    assert program("no-such-command").returncode == 2


def test_output_that_cannot_be_written_is_said_never_a_silent_success(tmp_path: Path) -> None:
    """stdout closed before cwa starts: the command runs, with its own exit code. stdout
    on a full disk: a message and exit 2 (not a success, not an internal error)."""
    if shutil.which("sh") is None:
        pytest.skip("no POSIX shell")
    example = tmp_path / "example"
    shutil.copytree(EXAMPLE, example)
    command = f'"{sys.executable}" -m cwa'

    def shell(line: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["sh", "-c", line], capture_output=True, text=True,
                              check=False, timeout=120)

    closed = shell(f"{command} rubric list >&-")
    assert (closed.returncode, closed.stderr) == (0, "")
    assert shell(f'{command} check "{example}" >&-').returncode == 1
    limited = shell(f'ulimit -f 1; {command} check "{example}" --format json '
                    f'> "{tmp_path / "report.json"}"')  # a file-size limit
    assert limited.returncode == 2, limited.stderr
    assert "文件超出了系统允许的大小" in limited.stderr
    if not Path("/dev/full").exists():
        return
    for args, message in [(f'check "{example}"', "写入失败：磁盘已满。"),
                          (f'check "{example}" --format json', "写入失败：磁盘已满。"),
                          ("--version", "写入失败：磁盘已满。"),
                          (f'--lang en check "{example}"', "the disk is full")]:
        full = shell(f"{command} {args} > /dev/full")
        assert full.returncode == 2, (args, full.stderr)
        assert message in full.stderr and "Traceback" not in full.stderr, args
