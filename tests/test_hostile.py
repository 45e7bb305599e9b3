"""Attacks, each built at run time: what a hostile or unlucky input does to cwa.

Every test here failed on the code before the hardening sweep (issue 9): lost documents
after a resume, tracebacks on names that are not UTF-8, a damaged journal that locked
the user out, two writers at once, CI commands forged by a file name, YAML bombs, FIFOs,
duplicate explosions, zip bombs, links out of the archive, crash logs in a shared /tmp.
Crash injection over every step of every writing command is in ``test_crash.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import xml.dom.minidom
import zipfile
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import ROOT, SMALL_RUBRIC, Immutable, listing, make_docx, make_jpeg, run

LEAF = "01：创建工作机制/01：创建领导机构"
GBK_NAME = b"\xb9\xa4\xd7\xf7\xbc\xc6\xbb\xae.docx"  # 工作计划.docx in GBK
FORMATS = ("text", "json", "md", "html", "junit", "sarif", "github")


def archive(base: Path) -> Path:
    base.mkdir(parents=True, exist_ok=True)
    (base / "rubric.yaml").write_text(SMALL_RUBRIC, encoding="utf-8")
    root = base / "a"
    assert run("init", root, "--rubric", base / "rubric.yaml", "--no-notes").exit_code == 0
    shutil.rmtree(root / ".cwa")
    return root


def subprocess_cwa(*args: object, timeout: float = 60,
                   env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "cwa", *map(str, args)], env=full,
                          capture_output=True, timeout=timeout, check=False)


def no_traceback(result: Result) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output


# -- 1. resume and undo never destroy content -----------------------------------------

def test_stamp_killed_then_resumed_as_the_old_message_advised(tmp_path: Path) -> None:
    """On the old code: fix --resume replayed stamp's steps with empty data."""
    root = archive(tmp_path)
    for i in range(4):
        make_docx(root / LEAF / f"0{i + 1}：文件{i + 1}.docx", f"第 {i + 1} 份")
    done = subprocess_cwa("stamp", root, env={"CWA_CRASH_AFTER_STEP": "1"})
    assert done.returncode == 99
    refused = run("fix", root, "--apply")
    assert refused.exit_code == 2 and "cwa resume" in refused.stderr
    assert run("fix", root, "--resume").exit_code == 0
    for path in (root / LEAF).glob("*.docx"):
        assert path.stat().st_size > 1000  # a document, not 0 bytes
        assert run("stamp", path, "--dry-run").stdout.endswith("0 个文档需要写入名称，1 个已有，0 个未处理。\n")
    assert run("undo", root).exit_code == 0
    assert all(p.stat().st_size > 1000 for p in (root / LEAF).glob("*.docx"))


# -- 2. names that are not UTF-8 --------------------------------------------------------

def gbk_archive(tmp_path: Path) -> Path:
    root = archive(tmp_path)
    leaf = os.fsencode(root / LEAF)
    with open(leaf + b"/" + GBK_NAME, "wb") as fh:
        fh.write(b"a document")
    return root


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_name_that_is_not_utf8_in_every_format(tmp_path: Path, fmt: str) -> None:
    root = gbk_archive(tmp_path)
    out = tmp_path / f"report.{fmt}"
    result = run("check", root, "--format", fmt, "-o", out)
    no_traceback(result)
    text = out.read_bytes().decode("utf-8")  # valid UTF-8, or this raises
    if fmt in ("json", "sarif"):
        json.loads(text)
    if fmt == "junit":
        xml.dom.minidom.parseString(out.read_bytes())
    stdout = run("check", root, "--format", fmt)
    no_traceback(stdout)
    stdout.stdout_bytes.decode("utf-8")
    if fmt == "json":  # the name comes back exactly, and the finding says what it is
        data = json.loads(stdout.stdout)
        (finding,) = [f for f in data["findings"] if f["code"] == "WN004"]
        assert os.fsencode(finding["path"]).endswith(GBK_NAME)
        assert "工作计划.docx" in finding["message"]


def test_names_that_are_not_utf8_wherever_they_stand(tmp_path: Path) -> None:
    """GBK names (a zip from a Chinese Windows PC unzipped here) as the archive's own
    folder, an output's name, a table's name: no command ends in an internal error, and
    what people read (the catalogue, the album, the package, the sheet) says 档案 and
    工作计划, not byte escapes."""
    from docx import Document

    if sys.platform != "linux":
        pytest.skip("names of any bytes: Linux")
    gbk = os.fsdecode(b"\xb5\xb5\xb0\xb8")  # 档案
    root = gbk_archive(tmp_path / gbk)
    dotted = os.fsencode(root / LEAF) + b"/01\xa3\xba" + GBK_NAME  # 01：工作计划.docx
    Document().save(dotted.decode("utf-8", "surrogateescape"))
    make_jpeg(root / LEAF / "02：活动照片.jpg")
    sheet = tmp_path / "自检评分表.xlsx"
    assert run("check", root, "--format", "xlsx", "-o", sheet).exit_code == 1
    import openpyxl

    header = openpyxl.load_workbook(sheet).active.cell(2, 1).value
    assert "档案" in header and "\\x" not in header
    for args in (["export", root, "-o", tmp_path / f"{gbk}.zip"],
                 ["export", root, "-o", tmp_path / "bag.zip", "--bag"],
                 ["summary", tmp_path, "--format", "html", "-o", tmp_path / f"{gbk}.html"],
                 ["catalog", root, "-o", tmp_path / "目录.csv"],
                 ["album", root / LEAF, "-o", tmp_path / "相册.docx", "--cover"]):
        result = run(*args)
        assert result.exit_code in (0, 1), (args, result.output)
    with zipfile.ZipFile(tmp_path / f"{gbk}.zip") as package:
        assert all(n.startswith("档案/") for n in package.namelist())
    with zipfile.ZipFile(tmp_path / "bag.zip") as package:
        info = next(n for n in package.namelist() if n.endswith("bag-info.txt"))
        package.read(info).decode("utf-8")
    catalogue = (tmp_path / "目录.csv").read_text(encoding="utf-8-sig")
    assert ",工作计划," in catalogue and "\\x" not in catalogue
    album = Document(str(tmp_path / "相册.docx"))
    assert "创建领导机构" in "\n".join(p.text for p in album.paragraphs)
    table = tmp_path / os.fsdecode(b"\xb2\xe2\xc6\xc0.csv")  # 测评.csv
    table.write_text("考评项目,考评指标,考评标准,考评方法,材料报送说明\n"
                     "组织管理（1分）,创建规划（1分）,有年度计划（1分）,网上申报,提供年度计划\n",
                     encoding="utf-8")
    imported = run("rubric", "import", table, "-o", tmp_path / "测评.yaml")
    assert imported.exit_code == 0, imported.output
    assert "source: 测评.csv" in (tmp_path / "测评.yaml").read_text(encoding="utf-8")
    data = tmp_path / "serve-data"
    added = subprocess.run(
        [sys.executable, "-m", "cwa", "serve", "user", "add", "clerk", "--role", "unit",
         "--unit", gbk, "--password-stdin", "--data", str(data)],
        input=b"correct horse battery staple\n", capture_output=True, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert added.returncode == 0, added.stderr.decode()


def test_fix_renames_a_name_that_is_not_utf8_and_undo_gives_it_back(tmp_path: Path) -> None:
    root = gbk_archive(tmp_path)
    leaf = root / LEAF
    result = run("fix", root, "--apply")
    assert result.exit_code == 0, result.output
    assert [os.fsencode(p.name) for p in leaf.iterdir()] == ["01：工作计划.docx".encode()]
    assert run("undo", root).exit_code == 0
    assert [os.fsencode(p.name) for p in leaf.iterdir()] == [GBK_NAME]


def test_fix_renames_names_that_are_not_utf8_outside_the_indicators_too(tmp_path: Path
                                                                          ) -> None:
    """WN004 is found everywhere: at the archive's top level and in a folder matching no
    indicator (临时资料) too; ``cwa fix`` gives those names their reading as well."""
    if sys.platform != "linux":
        pytest.skip("names of any bytes: Linux")
    root = gbk_archive(tmp_path)
    raw = os.fsencode(root)
    with open(raw + b"/" + GBK_NAME, "wb") as fh:  # 工作计划.docx at the top level
        fh.write(b"top")
    os.mkdir(raw + b"/\xc1\xd9\xca\xb1")  # 临时 in GBK  # noqa: PTH102 - bytes path
    with open(raw + b"/\xc1\xd9\xca\xb1/" + GBK_NAME, "wb") as fh:
        fh.write(b"inside")
    before = listing(root)
    assert [f for f in check_codes(root) if f == "WN004"] == ["WN004"] * 4
    result = run("fix", root, "--apply")
    assert result.exit_code == 0, result.output
    assert "WN004" not in check_codes(root)
    assert (root / "工作计划.docx").read_bytes() == b"top"
    assert (root / "临时" / "工作计划.docx").read_bytes() == b"inside"
    assert run("undo", root).exit_code == 0
    after = listing(root)
    assert {k: v[3] for k, v in after.items() if not k.startswith(".cwa")} == {
        k: v[3] for k, v in before.items()}  # every name back, every byte the same


def check_codes(root: Path) -> list[str]:
    data = json.loads(run("check", root, "--format", "json").stdout)
    return sorted(f["code"] for f in data["findings"])


# -- 3. a damaged journal never locks the user out --------------------------------------

@pytest.mark.parametrize("damage", ["empty", "cut_header"])
def test_a_damaged_journal_is_set_aside(tmp_path: Path, damage: str) -> None:
    """A kill between creating a journal and writing its header: nothing ran."""
    root = archive(tmp_path)
    (root / LEAF / "1_甲.docx").write_bytes(b"x")
    journal = root / ".cwa" / "journal"
    journal.mkdir(parents=True)
    bad = journal / "20990101-000000-000000000-fix.jsonl"
    bad.write_bytes({"empty": b"",
                     "cut_header": b'{"version": 2, "command": "fix", "oper'}[damage])
    result = run("fix", root, "--apply")
    assert result.exit_code == 0, result.output
    assert "无法读取" in result.stderr and bad.name in result.stderr
    assert not bad.exists() and list(journal.glob("*.damaged"))
    assert run("undo", root).exit_code == 0
    assert (root / LEAF / "1_甲.docx").exists()


def test_a_hand_edited_journal_is_skipped_with_a_message(tmp_path: Path) -> None:
    root = archive(tmp_path)
    (root / LEAF / "1_甲.docx").write_bytes(b"x")
    journal = root / ".cwa" / "journal"
    journal.mkdir(parents=True)
    (journal / "19990101-000000-000000000-fix.jsonl").write_bytes(
        b'{"version": 2, "command": "fix", "operations": []}\n{"done": 7}\n{"end": true}\n')
    assert run("fix", root, "--apply").exit_code == 0
    assert run("undo", root).exit_code == 0
    assert (root / LEAF / "1_甲.docx").exists()
    again = run("undo", root)
    assert again.exit_code == 0
    assert "跳过无法读取的修改记录" in again.stderr and "19990101" in again.stderr


def test_an_old_damaged_journal_is_skipped_by_undo(tmp_path: Path) -> None:
    root = archive(tmp_path)
    (root / LEAF / "1_甲.docx").write_bytes(b"x")
    assert run("fix", root, "--apply").exit_code == 0
    journal = root / ".cwa" / "journal"
    (journal / "19990101-000000-000000000-init.jsonl").write_bytes(b"\x00\x00garbage")
    result = run("undo", root)
    assert result.exit_code == 0
    assert "跳过无法读取的修改记录" not in result.stderr  # the newest was readable
    assert (root / LEAF / "1_甲.docx").exists()
    again = run("undo", root)
    assert "跳过无法读取的修改记录" in again.stderr and "19990101" in again.stderr


# -- 4. one writer at a time ----------------------------------------------------------

def test_a_second_writer_is_refused_and_names_the_first(tmp_path: Path) -> None:
    from cwa import lock

    root = archive(tmp_path)
    (root / LEAF / "1_甲.docx").write_bytes(b"x")
    with lock.hold(root, "stamp"):
        for args in (["fix", root, "--apply"], ["stamp", root], ["init", root],
                     ["undo", root], ["resume", root]):
            result = run(*args)
            assert result.exit_code == 2, args
            assert "另一个 cwa 正在修改这个档案（cwa stamp，进程" in result.stderr
            assert str(os.getpid()) in result.stderr
        assert run("check", root).exit_code in (0, 1)  # reading needs no lock
    assert run("fix", root, "--apply").exit_code == 0


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    root = archive(tmp_path)
    (root / LEAF / "1_甲.docx").write_bytes(b"x")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (root / ".cwa").mkdir()
    (root / ".cwa" / "lock").write_text(json.dumps({
        "pid": dead.pid, "host": os.uname().nodename, "command": "fix",
        "since": time.time() - 60}), encoding="utf-8")
    assert run("fix", root, "--apply").exit_code == 0
    assert not (root / ".cwa" / "lock").exists()


def test_two_writers_at_once_never_both_write(tmp_path: Path) -> None:
    """Started together: one is refused (2), or runs after the other and finds nothing
    left to do (0) or its planned sources gone (1, skipped) — never both at once, never a
    lost or overwritten file."""
    root = archive(tmp_path)
    for i in range(300):
        (root / LEAF / f"{i}_文件.docx").write_bytes(f"document {i}".encode())
    first = subprocess.Popen([sys.executable, "-m", "cwa", "fix", str(root), "--apply"],
                             env={**os.environ, "PYTHONPATH": str(ROOT)},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = subprocess_cwa("fix", root, "--apply")
    first.communicate(timeout=60)
    assert {first.returncode, second.returncode} <= {0, 1, 2}
    assert 0 in (first.returncode, second.returncode)
    if second.returncode == 2:
        assert "另一个 cwa 正在修改".encode() in second.stderr
    files = list((root / LEAF).iterdir())
    assert sorted(p.read_bytes() for p in files) == sorted(
        f"document {i}".encode() for i in range(300))
    assert all("：" in p.name for p in files)


# -- 5. read-only archives -------------------------------------------------------------

def test_a_read_only_archive_is_a_message(tmp_path: Path, immutable: Immutable) -> None:
    root = archive(tmp_path)
    make_docx(root / LEAF / "1_甲.docx")
    immutable(root, *root.rglob("*"))
    for args in (["fix", root, "--apply"], ["stamp", root], ["init", root],
                 ["check", root, "-o", root / "r.json", "--format", "json", "--allow-inside"],
                 ["catalog", root, "-o", root / "目录.csv"]):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "只读" in result.stderr or "无法写入" in result.stderr, result.stderr
    assert run("check", root).exit_code in (0, 1)


# -- 6. what a name or a rubric says is data, never control ----------------------------

HOSTILE = "x\n::error file=a,line=1::forged\n::add-mask::secret\n::stop-commands::t\x1b]52;c;ZXZpbA==\x07\x1b[2J.docx"


def test_a_name_cannot_forge_ci_commands_or_send_escapes(tmp_path: Path) -> None:
    root = archive(tmp_path)
    (root / LEAF / HOSTILE).write_bytes(b"x")
    for fmt in ("text", "github", "md"):
        result = run("check", root, "--format", fmt)
        no_traceback(result)
        for line in result.stdout.splitlines():  # only cwa's own annotations start a line
            assert not line.lstrip().startswith("::") or (fmt == "github" and line.startswith(
                ("::error file=", "::warning file=", "::notice::")))
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        if fmt == "github":
            forged = [ln for ln in result.stdout.splitlines() if "forged" in ln]
            assert forged and all(ln.startswith(("::error file=", "::warning file="))
                                  for ln in forged)
    junit = run("check", root, "--format", "junit")
    xml.dom.minidom.parseString(junit.stdout_bytes)


def test_markdown_escapes_html_and_backticks(tmp_path: Path) -> None:
    root = archive(tmp_path)
    (root / LEAF / "<img src=x onerror=alert(1)>`|.docx").write_bytes(b"x")
    result = run("check", root, "--format", "md")
    import re

    outside_code = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", result.stdout)
    assert "<img" not in outside_code  # HTML only inside code spans, where it is text
    assert "含有不允许的字符 &lt;&gt;\\|" in outside_code  # escaped in running text
    assert "``01：创建工作机制/01：创建领导机构/<img src=x onerror=alert(1)>`|.docx``" in result.stdout


def test_rubric_strings_with_control_characters_are_errors(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text('rubric: x\nindicators:\n  - {code: "1", name: "a\\n::error::b"}\n',
                      encoding="utf-8")
    result = run("rubric", "validate", rubric)
    assert result.exit_code == 2
    assert "r.yaml:3: 错误：indicators[0].name：含控制字符 U+000A" in result.stderr


def test_a_markup_name_is_text(tmp_path: Path) -> None:
    root = archive(tmp_path)
    name = "01：[red]红[blink]x[link=https:evil]y:warning:.docx"
    make_docx(root / LEAF / name)
    result = run("stamp", root, "--dry-run")  # the plan's lines are messages, not markup
    no_traceback(result)
    assert f"{LEAF}/{name}" in result.stdout


def test_cwa_yaml_unknown_keys_in_github_format_are_escaped(tmp_path: Path) -> None:
    root = archive(tmp_path)
    with (root / "cwa.yaml").open("a", encoding="utf-8") as fh:
        fh.write('"evil\\n::error::forged": 1\n')
    result = run("check", root, "--format", "github")
    no_traceback(result)
    assert result.exit_code == 2  # an unknown key is an error (strict, issue 10)
    lines = result.stderr.splitlines()
    assert "evil\\n::error::forged" in lines[0]  # shown escaped, on one line
    assert not any(ln.startswith("::error::forged") for ln in lines + result.stdout.splitlines())


def test_rubric_and_cwa_yaml_warnings_in_github_format_are_escaped_annotations(
        tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text('rubric: x\nindicators:\n  - {code: "1", name: "::error::forged/x"}\n',
                      encoding="utf-8")
    root = tmp_path / "a"
    assert run("init", root, "--rubric", rubric, "--no-notes").exit_code == 0
    (root / "cwa.yaml").write_bytes((root / "cwa.yaml").read_text(encoding="utf-8")
                                    .encode("gb18030"))  # Notepad's "ANSI": a warning too
    result = run("check", root, "--format", "github")
    no_traceback(result)
    annotations = [ln for ln in result.stdout.splitlines() if "title=警告" in ln]
    assert len(annotations) == 2  # the GB18030 cwa.yaml, the sanitised indicator name
    assert all(ln.startswith("::warning file=") and ",line=" in ln for ln in annotations)
    assert not any(ln.lstrip().startswith("::error::") for ln in result.stdout.splitlines())
    assert result.stderr == ""  # shown as annotations, not twice


# -- 7. bounded resources on hostile input ---------------------------------------------

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
rubric: x
indicators:
  - {code: "1", name: a, note: *i}
"""


@pytest.mark.parametrize(("name", "text", "message"), [
    ("bomb", BOMB, "可能是“YAML 炸弹”"),
    ("deep", "rubric: x\nindicators:\n  - " + "".join(
        f'{{code: "{i}", name: a{i}, children: [' for i in range(330))
     + "{code: x, name: x}" + "]}" * 330 + "\n", "嵌套超过"),
    ("recursive", "rubric: x\nindicators: &l\n  - {code: \"1\", name: a, children: *l}\n",
     "引用了包含它自己的节点"),
    ("width", 'rubric: x\nnaming: {width: 999999999}\nindicators:\n  - {code: "1", name: a}\n',
     "应为 2 到 6 之间的整数"),
    ("years", 'rubric: x\nyears: {from: 2000, to: 999999999}\nindicators:\n'
     '  - {code: "1", name: a}\n', "应为 1900 到 2100 之间的整数"),
])
def test_hostile_rubrics_are_refused_quickly(tmp_path: Path, name: str, text: str,
                                            message: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    done = subprocess_cwa("rubric", "validate", path, timeout=30)
    assert time.monotonic() - started < 20
    assert done.returncode == 2, done.stderr.decode()
    assert message in done.stderr.decode()
    assert b"Traceback" not in done.stderr


def test_an_absurd_catalog_pattern_is_an_error(tmp_path: Path) -> None:
    root = archive(tmp_path)
    with (root / "cwa.yaml").open("a", encoding="utf-8") as fh:
        fh.write('catalog: {code: "{number:999999999d}"}\n')
    result = run("catalog", root, "-o", tmp_path / "x.csv")
    assert result.exit_code == 2
    assert "档号格式“{number:999999999d}”无效" in result.stderr
    (root / "cwa.yaml").write_text((root / "cwa.yaml").read_text(encoding="utf-8").replace(
        "{number:999999999d}", "{number.__class__}"), encoding="utf-8")
    assert run("catalog", root, "-o", tmp_path / "x.csv").exit_code == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("what", ["fifo", "device", "directory"])
def test_a_rubric_or_cwa_yaml_that_is_not_a_file_never_hangs(tmp_path: Path,
                                                             what: str) -> None:
    target = tmp_path / "special"
    if what == "fifo":
        os.mkfifo(target)
    elif what == "device":
        target = Path("/dev/zero")
    else:
        target.mkdir()
    root = archive(tmp_path / "x")
    for args in (["check", root, "--rubric", target], ["rubric", "validate", target]):
        done = subprocess_cwa(*args, timeout=20)
        assert done.returncode == 2, done.stderr.decode()
    (root / "cwa.yaml").unlink()
    if what == "fifo":
        os.mkfifo(root / "cwa.yaml")
        done = subprocess_cwa("check", root, timeout=20)
        assert done.returncode == 2 and "不是普通文件" in done.stderr.decode()


def test_a_file_that_is_not_a_rubric_is_not_echoed(tmp_path: Path) -> None:
    secret = tmp_path / "secrets.env"
    secret.write_text("root:$6$salt$hash:19000:0:99999:7:::\napi_token: s3cr3t\n",
                      encoding="utf-8")
    result = run("rubric", "validate", secret)
    assert result.exit_code == 2
    assert "s3cr3t" not in result.output and "$6$" not in result.output
    assert "这不是测评体系文件" in result.stderr


def test_thousands_of_identical_files_make_one_finding(tmp_path: Path) -> None:
    root = archive(tmp_path)
    folder = root / LEAF
    for i in range(2000):
        (folder / f"{i:04d}：复印件.pdf").write_bytes(b"%PDF-1.4 the same bytes %%EOF")
    result = run("check", root, "--deep", "--format", "json",
                 env={"CWA_CACHE_DIR": str(tmp_path / "cache")})
    no_traceback(result)
    data = json.loads(result.stdout)
    duplicates = [f for f in data["findings"] if f["code"] == "DU001"]
    assert len(duplicates) == 1
    assert duplicates[0]["data"]["count"] == 1999 and len(duplicates[0]["data"]["others"]) == 10
    assert len(result.stdout) < 2000 * 1500  # linear: about a finding's size per file


def zip_bomb_docx(path: Path, inflated: int = 96 * 1024 * 1024) -> Path:
    """A real .docx whose document.xml inflates to ``inflated`` bytes of XML."""
    make_docx(path)
    with zipfile.ZipFile(path) as source:
        parts = {i.filename: source.read(i) for i in source.infolist()}
    filler = b"<w:p/>" * (inflated // 6)
    body = parts["word/document.xml"].replace(b"<w:body>", b"<w:body>" + filler, 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, body if name == "word/document.xml" else data)
    return path


def test_a_zip_bomb_document_is_not_opened(tmp_path: Path) -> None:
    root = archive(tmp_path)
    bomb = zip_bomb_docx(root / LEAF / "01：炸弹.docx")
    assert bomb.stat().st_size < 2 * 1024 * 1024
    before = bomb.read_bytes()
    done = subprocess_cwa("stamp", root, timeout=60)
    assert "解压后过大" in done.stderr.decode()
    assert bomb.read_bytes() == before
    usage = subprocess.run(
        [sys.executable, "-c",
         "import resource,subprocess,sys;"
         "subprocess.run([sys.executable,'-m','cwa','catalog',sys.argv[1],'-o',sys.argv[2]]);"
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
         str(root), str(tmp_path / "目录.csv")],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=120,
        check=True)
    assert int(usage.stdout.split()[-1]) < 300_000  # KiB: the bomb was never inflated


def test_a_document_with_a_doctype_is_left_untouched(tmp_path: Path) -> None:
    root = archive(tmp_path)
    path = make_docx(root / LEAF / "01：实体.docx")
    with zipfile.ZipFile(path) as source:
        parts = {i.filename: source.read(i) for i in source.infolist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"?>", b'?><!DOCTYPE w:document [<!ENTITY e "lol">]>', 1)
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    before = path.read_bytes()
    result = run("stamp", root)
    assert "DOCTYPE" in result.stderr
    assert path.read_bytes() == before


# -- 8. writing outputs safely -----------------------------------------------------------

def test_output_to_dev_stdout_and_a_fifo(tmp_path: Path) -> None:
    root = archive(tmp_path)
    done = subprocess_cwa("check", root, "--format", "json", "-o", "/dev/stdout")
    assert done.returncode == 1
    assert json.loads(done.stdout)["schema_version"] == 1
    if not hasattr(os, "mkfifo"):
        return
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("check", root, "--format", "json", "-o", fifo)
    reader.join(timeout=30)
    assert result.exit_code == 1
    assert json.loads(received[0])["schema_version"] == 1
    assert fifo.is_fifo()  # still a FIFO, not replaced by a file


def test_stamp_never_writes_through_a_link_out_of_the_archive(tmp_path: Path) -> None:
    root = archive(tmp_path / "x")
    outside = make_docx(tmp_path / "outside.docx")
    before = outside.read_bytes()
    (root / LEAF / "01：链接.docx").symlink_to(outside)
    result = run("stamp", root)
    no_traceback(result)
    result = run("stamp", root / LEAF / "01：链接.docx")
    no_traceback(result)
    assert "是链接" in result.stderr
    assert outside.read_bytes() == before
    assert (root / LEAF / "01：链接.docx").is_symlink()


def test_the_journal_is_never_written_through_a_cwa_link(tmp_path: Path) -> None:
    root = archive(tmp_path / "x")
    make_docx(root / LEAF / "01：文件.docx")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".cwa").symlink_to(elsewhere, target_is_directory=True)
    result = run("stamp", root)
    assert result.exit_code == 2
    assert "是链接或文件" in result.stderr
    assert list(elsewhere.iterdir()) == []


# -- 9. the crash handler ----------------------------------------------------------------

def crashing(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """cwa with a bug: the check raises an exception nobody expects. The crash handler is
    what is under test, so the bug is planted (no input makes cwa crash on purpose)."""
    code = ("import sys, cwa.commands.check as c\n"
            "def boom(*a, **k):\n    raise RuntimeError('a bug')\n"
            "c.run_check = boom\n"
            "from cwa.cli import main\n"
            "sys.argv = ['cwa', 'check', sys.argv[1]]\nmain()\n")
    root = archive(tmp_path / "x")
    return subprocess.run([sys.executable, "-c", code, str(root)],
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                          capture_output=True, timeout=60, check=False)


def test_a_crash_log_goes_to_the_users_own_folder(tmp_path: Path) -> None:
    shared_tmp = tmp_path / "tmp"
    shared_tmp.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    (shared_tmp / "cwa-logs").symlink_to(tmp_path)  # another user's trap in /tmp
    done = crashing(tmp_path, {"TMPDIR": str(shared_tmp),
                               "CWA_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 3
    logs = list((tmp_path / "cache" / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and "RuntimeError: a bug" in logs[0].read_text(encoding="utf-8")
    assert oct(logs[0].stat().st_mode & 0o777) == "0o600"
    assert str(logs[0]) in done.stderr.decode()
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_crash_whose_log_cannot_be_written_still_exits_3(tmp_path: Path) -> None:
    trap = tmp_path / "cache"
    trap.mkdir()
    (trap / "logs").symlink_to(tmp_path)  # not the user's own real folder: refused
    done = crashing(tmp_path, {"CWA_CACHE_DIR": str(trap)})
    assert done.returncode == 3
    assert "RuntimeError: a bug" in done.stderr.decode()
    assert "无法写入错误日志" in done.stderr.decode()
    assert not list(tmp_path.glob("crash-*.log"))


# -- 10. smaller -------------------------------------------------------------------------

def test_odd_metadata_is_not_damage(tmp_path: Path) -> None:
    import io
    import struct

    from PIL import Image

    root = archive(tmp_path)
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (100, 120, 140)).save(buffer, "JPEG")
    base = buffer.getvalue()

    def segment(marker: int, payload: bytes) -> bytes:
        return base[:2] + b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) \
            + payload + base[2:]

    mpo = segment(0xE2, b"MPF\x00II*\x00\x08\x00\x00\x00" + b"\xff" * 20)
    tag = segment(0xE1, b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00"
                  + struct.pack("<HHLL", 0x010E, 2, 0x7FFFFFFF, 100) + b"\x00" * 4)
    (root / LEAF / "01：会议照片.jpg").write_bytes(mpo)
    (root / LEAF / "02：会议照片.jpg").write_bytes(tag)
    data = json.loads(run("check", root, "--deep", "--format", "json",
                          env={"CWA_CACHE_DIR": str(tmp_path / "c")}).stdout)
    assert not [f for f in data["findings"] if f["code"] == "CT001"]


def test_fix_refuses_a_name_longer_than_255_bytes(tmp_path: Path) -> None:
    root = archive(tmp_path)
    long = "很" * 83 + ".docx"  # 249 + 5 bytes: fits; "01：" makes it 259
    (root / LEAF / long).write_bytes(b"x")
    result = run("fix", root, "--apply")
    assert result.exit_code == 1
    assert "超过 255 字节" in result.stdout
    assert (root / LEAF / long).exists()
    assert not [p for p in (root / LEAF).iterdir() if p.name.startswith(".cwa-tmp")]


def test_a_thousand_documents_numbered_with_four_digits(tmp_path: Path) -> None:
    root = archive(tmp_path)
    for i in range(1, 1001):
        (root / LEAF / f"{i:04d}：文件.docx").write_bytes(b"x")
    data = json.loads(run("check", root, "--format", "json").stdout)
    names = [f for f in data["findings"] if f["code"] in ("NM001", "NM002", "NM003")]
    assert names == []
    assert run("fix", root).stdout.endswith("命名已符合规范，无需改动。\n")


def test_a_photo_made_here_is_not_damaged(tmp_path: Path) -> None:
    root = archive(tmp_path)
    make_jpeg(root / LEAF / "01：会议照片.jpg")
    data = json.loads(run("check", root, "--deep", "--format", "json",
                          env={"CWA_CACHE_DIR": str(tmp_path / "c")}).stdout)
    assert not [f for f in data["findings"] if f["code"].startswith("CT")]


def test_an_album_never_decodes_a_huge_photo_whole(tmp_path: Path) -> None:
    from PIL import Image

    root = archive(tmp_path)
    folder = root / LEAF
    Image.new("L", (9000, 8000), 128).save(folder / "01：巨幅.png")  # 72 M pixels, ~100 KB
    make_jpeg(folder / "02：会议照片.jpg")
    usage = subprocess.run(
        [sys.executable, "-c",
         "import resource,subprocess,sys;"
         "r=subprocess.run([sys.executable,'-m','cwa','album',sys.argv[1],'-o',sys.argv[2]]);"
         "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
         str(folder), str(tmp_path / "图片汇编.docx")],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=120,
        check=True)
    code, peak = usage.stdout.split()[-2:]
    assert code == b"1"  # made, with the huge one listed as unusable
    assert int(peak) < 300_000  # KiB
    assert (tmp_path / "图片汇编.docx").exists()


# -- found by a new user's hostile sweep -------------------------------------------------

def test_export_keeps_files_whose_names_windows_sees_as_one(tmp_path: Path) -> None:
    import unicodedata

    root = archive(tmp_path)
    folder = root / LEAF
    (folder / "01：Plan文件.docx").write_bytes(b"A")
    (folder / "01：plan文件.docx").write_bytes(b"B")
    (folder / f"02：{unicodedata.normalize('NFC', 'café')}.docx").write_bytes(b"C")
    (folder / f"02：{unicodedata.normalize('NFD', 'café')}.docx").write_bytes(b"D")
    package = tmp_path / "交接.zip"
    result = run("export", root, "-o", package)
    assert result.exit_code == 1
    assert result.stderr.count("在 Windows 上是同一个名称") == 2
    with zipfile.ZipFile(package) as zf:
        contents = sorted(zf.read(i) for i in zf.infolist() if i.filename.endswith(".docx"))
        names = [i.filename.casefold() for i in zf.infolist()]
    assert contents == [b"A", b"B", b"C", b"D"]  # every document is handed over
    assert len(names) == len(set(names))  # and unzips on Windows without one replacing another
    assert run("verify", package).exit_code == 0


def test_an_undo_blocked_by_a_file_in_use_can_be_tried_again(
        tmp_path: Path, immutable: Immutable) -> None:
    root = archive(tmp_path)
    for i in range(1, 4):
        (root / LEAF / f"{i}_文件{i}.docx").write_bytes(f"{i}".encode())
    before = sorted(p.name for p in (root / LEAF).iterdir())
    assert run("fix", root, "--apply").exit_code == 0
    immutable(root / LEAF)  # like files Word holds open: no rename in the folder
    blocked = run("undo", root)
    assert blocked.exit_code == 1 and "没有权限或文件被占用" in blocked.stderr
    immutable.release()
    again = run("undo", root)
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in (root / LEAF).iterdir()) == before
    assert "没有可撤销的改动" in run("undo", root).stdout


def test_a_journal_edited_to_point_outside_never_locks_the_archive(tmp_path: Path) -> None:
    root = archive(tmp_path / "x")
    (root / LEAF / "1_甲.docx").write_bytes(b"x")
    victim = tmp_path / "outside" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("precious", encoding="utf-8")
    journal = root / ".cwa" / "journal"
    journal.mkdir(parents=True)
    (journal / "20991231-000000-000000001-stamp.jsonl").write_text(json.dumps({
        "version": 2, "command": "stamp", "operations": [
            {"op": "write", "rel": "../outside/victim.txt", "sha256": "0" * 64}]}) + "\n",
        encoding="utf-8")
    assert run("fix", root, "--apply").exit_code == 0  # not refused as "unfinished"
    assert run("undo", root).exit_code == 0
    skipped = run("undo", root)
    assert "跳过无法读取的修改记录" in skipped.stderr
    assert victim.read_text(encoding="utf-8") == "precious"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_ctrl_c_while_libreoffice_counts_pages_leaves_nothing_behind(tmp_path: Path) -> None:
    import signal

    root = archive(tmp_path / "x")
    for i in range(1, 13):
        make_docx(root / LEAF / f"{i:02d}：文件{i}.docx", "正文 " * 200)
    temp = tmp_path / "tmp"
    temp.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "cwa", "catalog", str(root), "-o", str(tmp_path / "目录.xlsx"),
         "--pages"], env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while b"LibreOffice" not in (process.stderr.peek() if process.stderr else b"") and \
            time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # LibreOffice at work on the copies
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode in (0, 130), err.decode()  # 0 only if it had already finished
    assert list(temp.iterdir()) == []  # no copies of documents, no LibreOffice leftovers


def test_a_control_character_in_a_caption_or_name_is_no_crash(tmp_path: Path) -> None:
    root = archive(tmp_path)
    make_jpeg(root / LEAF / "01：会议照片.jpg")
    (root / LEAF / "01：会议照片.txt").write_text("事由：学习\x0b会议；时间：2025年3月5日",
                                              encoding="utf-8")
    album = run("album", root / LEAF, "-o", tmp_path / "图片.docx")
    no_traceback(album)
    assert (tmp_path / "图片.docx").exists()
    make_docx(root / LEAF / "02：学习\x07记录.docx")
    (root / LEAF / "03：空.docx").write_bytes(b"")
    stamp = run("stamp", root, "--dry-run")
    no_traceback(stamp)
    assert "控制字符" in stamp.stderr and "空文件" in stamp.stderr


def test_a_reader_that_stops_early_is_no_internal_error(tmp_path: Path) -> None:
    """``cwa check | head -1``: the pipe closes while cwa still writes."""
    root = archive(tmp_path)
    for i in range(3000):
        (root / LEAF / f"{i}_文件.docx").write_bytes(b"x")  # a long report
    process = subprocess.Popen([sys.executable, "-m", "cwa", "check", str(root)],
                               env={**os.environ, "PYTHONPATH": str(ROOT),
                                    "CWA_CACHE_DIR": str(tmp_path / "cache")},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(100)
        process.stdout.close()
        err = process.stderr.read()
        process.wait(timeout=60)
    assert process.returncode in (0, 1), err.decode()
    assert "内部错误".encode() not in err and not list((tmp_path / "cache").glob("logs/*"))


def test_json_writes_bidi_overrides_as_escapes(tmp_path: Path) -> None:
    """A right-to-left override in a name (read as 'x.docx' but named '…gnp.docx') is a
    JSON escape, in check's and in verify's JSON: the same value, never shown reversed."""
    root = archive(tmp_path)
    (root / LEAF / "01：x\u202egnp.docx").write_bytes(b"x")
    data = run("check", root, "--format", "json").stdout
    assert "\u202e" not in data and "\\u202e" in data
    assert "\u202e" in json.dumps(json.loads(data), ensure_ascii=False)  # the same name back
    assert run("manifest", root).exit_code == 0
    (root / LEAF / "02：y\u202egnp.docx").write_bytes(b"y")
    verified = run("verify", root, "--format", "json").stdout
    assert "\u202e" not in verified and "\\u202e" in verified
    for fmt in ("text", "md", "html"):
        assert "\u202e" not in run("verify", root, "--format", fmt).stdout


def test_catalog_and_export_with_a_path_past_the_systems_limit(tmp_path: Path) -> None:
    root = archive(tmp_path)
    here = Path.cwd()
    try:
        os.chdir(root / LEAF)
        for i in range(20):  # 20 folders of 80 汉字: a path past PATH_MAX (4,096 bytes)
            Path(f"{i:02d}" + "深" * 80).mkdir()
            os.chdir(f"{i:02d}" + "深" * 80)
        with open("01：文件.docx", "wb") as fh:
            fh.write(b"PK")
    finally:
        os.chdir(here)
    for args in (["catalog", root, "-o", tmp_path / "目录.csv"],
                 ["catalog", root, "-o", tmp_path / "目录.docx"],
                 ["export", root, "-o", tmp_path / "交接.zip"]):
        result = run(*args)
        no_traceback(result)
    assert run("export", root, "-o", tmp_path / "交接2.zip").exit_code == 1  # said, not lost


def test_the_catalogue_holds_formulas_and_controls_as_text(tmp_path: Path) -> None:
    from docx import Document

    root = archive(tmp_path)
    document = Document()
    document.add_paragraph("x")
    document.core_properties.author = "=1+1"
    document.save(str(root / LEAF / '01：=HYPERLINK("x")领导小组.docx'))
    make_docx(root / LEAF / "02：学习\x07记录.docx")
    for suffix in ("csv", "xlsx", "docx"):
        result = run("catalog", root, "-o", tmp_path / f"目录.{suffix}")
        assert result.exit_code == 0, result.output
    text = (tmp_path / "目录.csv").read_text(encoding="utf-8-sig")
    assert "'=1+1" in text and "'=HYPERLINK" in text and "\x07" not in text
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "目录.xlsx")
    assert not [c for sheet in book for row in sheet.iter_rows() for c in row
                if c.data_type == "f"]


def test_check_reports_names_windows_takes_for_one(tmp_path: Path) -> None:
    import unicodedata

    root = archive(tmp_path)
    (root / LEAF / "01：Plan文件.docx").write_bytes(b"A")
    (root / LEAF / "02：plan文件.docx").write_bytes(b"B")
    (root / LEAF / "02：PLAN文件.docx").write_bytes(b"C")
    (root / LEAF / f"03：{unicodedata.normalize('NFD', 'café')}.docx").write_bytes(b"D")
    (root / LEAF / f"03：{unicodedata.normalize('NFC', 'café')}.docx").write_bytes(b"E")
    data = json.loads(run("check", root, "--format", "json").stdout)
    same = sorted((f["data"]["name"], f["data"]["count"]) for f in data["findings"]
                  if f["code"] == "WN005")
    assert len(same) == 2 and sorted(c for _, c in same) == [1, 1]


def test_an_empty_document_keeps_its_number(tmp_path: Path) -> None:
    root = archive(tmp_path)
    (root / LEAF / "01：甲.docx").write_bytes(b"x")
    (root / LEAF / "02：乙.docx").write_bytes(b"")
    (root / LEAF / "03：丙.docx").write_bytes(b"x")
    codes = [f["code"] for f in json.loads(run("check", root, "--format", "json").stdout)
             ["findings"]]
    assert "FL001" in codes and "NM003" not in codes  # empty, said once; no gap at 02


def test_a_package_carries_the_rubric_and_leaves_tool_files_out(tmp_path: Path) -> None:
    root = archive(tmp_path)  # made with --rubric FILE: the archive carries 测评体系.yaml
    assert (root / "测评体系.yaml").is_file()
    (root / LEAF / "01：领导小组文件.docx").write_bytes(b"x")
    (root / LEAF / ".git").write_text("gitdir: elsewhere", encoding="utf-8")
    package = tmp_path / "交接.zip"
    assert run("export", root, "-o", package).exit_code in (0, 1)
    with zipfile.ZipFile(package) as zf:
        names = [n.split("/", 1)[1] for n in zf.namelist()]
        zf.extractall(tmp_path / "unpacked")
    assert "测评体系.yaml" in names and not any(n.endswith(".git") for n in names)
    manifest = next(n for n in names if n.startswith("manifest-"))
    assert "测评体系.yaml" not in (tmp_path / "unpacked" / package.stem / manifest).read_text(
        encoding="utf-8")
    assert run("check", tmp_path / "unpacked" / package.stem).exit_code in (0, 1)


def test_a_cwa_yaml_linked_out_of_the_archive_is_not_read(tmp_path: Path) -> None:
    root = archive(tmp_path / "x")
    outside = tmp_path / "secret.yaml"
    outside.write_text("rubric: archive-scope\nyears: hunter2-secret\n", encoding="utf-8")
    (root / "cwa.yaml").unlink()
    (root / "cwa.yaml").symlink_to(outside)
    result = run("check", root)
    assert result.exit_code == 2 and "hunter2" not in result.output
    assert "指向档案之外的链接" in result.stderr


def test_stamp_says_a_name_is_not_utf8(tmp_path: Path) -> None:
    root = gbk_archive(tmp_path)
    result = run("stamp", root, "--dry-run")
    no_traceback(result)
    assert "文件名编码不是 UTF-8" in result.output and "控制字符" not in result.output


def test_a_gbk_cwa_yaml_names_a_gbk_named_rubric(tmp_path: Path) -> None:
    """Both from one Chinese Windows zip: cwa.yaml written in GBK names 测评.yaml, whose
    name on disk is GBK bytes too. The name read as GB18030 finds the file."""
    if sys.platform != "linux":
        pytest.skip("names of any bytes: Linux")
    root = archive(tmp_path)
    rubric = os.fsdecode("测评.yaml".encode("gb18030"))
    (root / rubric).write_text(SMALL_RUBRIC, encoding="utf-8")
    (root / "cwa.yaml").write_bytes('rubric: "测评.yaml"\nyears: {from: 2018, to: 2020}\n'
                                    .encode("gb18030"))
    result = run("check", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output  # checked: evidence is missing
    assert "找不到测评体系" not in result.output


def test_a_csv_the_csv_module_refuses_is_a_message(tmp_path: Path) -> None:
    """A field over the csv module's limit (131,072 characters): rubric import and a
    migrate mapping file say they cannot read it, no internal error."""
    table = tmp_path / "测评体系.csv"
    table.write_text("考评项目,考评指标,考评标准\n组织管理,创建规划,\"" + "长" * 140_000 + "\"\n",
                     encoding="utf-8")
    result = run("rubric", "import", table, "-o", tmp_path / "out.yaml")
    no_traceback(result)
    assert result.exit_code == 2 and "无法读取" in result.output
    root = archive(tmp_path / "m")
    mapping = tmp_path / "映射.csv"
    mapping.write_text("旧,新\n\"" + "x" * 140_000 + "\",1\n", encoding="utf-8")
    moved = run("migrate", root, "--to", "city-model", "--map", mapping)
    no_traceback(moved)
    assert moved.exit_code == 2 and "无法读取映射文件" in moved.output


def test_verify_of_a_zip_whose_manifest_is_damaged(tmp_path: Path) -> None:
    root = archive(tmp_path)
    make_docx(root / LEAF / "01：领导小组文件.docx")
    package = tmp_path / "交接.zip"
    assert run("export", root, "-o", package).exit_code in (0, 1)
    data = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as zipped:
        info = next(i for i in zipped.infolist() if i.filename.endswith("manifest-sha256.txt"))
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + 8] = b"\x00" * 8  # the manifest's bytes: its CRC no longer holds
    package.write_bytes(bytes(data))
    result = run("verify", package)
    no_traceback(result)
    assert result.exit_code == 2 and "无法读取清单" in result.output
