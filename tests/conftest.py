"""Shared fixtures: run the real CLI, build real archives, take listings of trees."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cwa import messages
from cwa.cli import build_app

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "examples" / "qinghe-tax"

SMALL_RUBRIC = """\
rubric: 测试体系
edition: "2020"
years: {from: 2018, to: 2020}
indicators:
  - code: "1"
    name: 创建工作机制
    points: 6
    children:
      - code: "1.1"
        name: 创建领导机构
        points: 2
        methods: [材料审核]
        owners: [办公室]
        evidence:
          - title: 领导小组成立文件
            kinds: [text]
            match: [领导小组]
          - title: 专题会议照片
            kinds: [image]
            min: 3
            per_year: true
            caption: required
      - code: "1.2"
        name: 年度实施方案
        points: 1
        methods: [材料审核]
        owners: [办公室]
      - code: "1.3"
        name: 实地查看
        points: 1
        methods: [实地考察]
  - code: "2"
    name: 理想信念教育
    points: 8
    children:
      - code: "2.1"
        name: 中心组学习
        points: 3
        evidence:
          - {title: 中心组学习记录, kinds: [text], min: 2}
"""


@pytest.fixture(autouse=True, scope="session")
def _no_home_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Fixtures built once per module or session check archives too: they get a cache
    folder of their own, never the user's (each test then gets its own, below)."""
    before = os.environ.get("CWA_CACHE_DIR")
    os.environ["CWA_CACHE_DIR"] = str(tmp_path_factory.mktemp("cwa-cache-session"))
    yield
    if before is None:
        os.environ.pop("CWA_CACHE_DIR", None)
    else:
        os.environ["CWA_CACHE_DIR"] = before


@pytest.fixture(autouse=True)
def _chinese(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[None]:
    """Every test starts in Chinese, with no colour settings from outside, at one fixed
    time of check (outputs compared between runs must not differ by their timestamp),
    with a cache folder of its own (nothing from another test, nothing in the home)."""
    monkeypatch.setenv("CWA_CACHE_DIR", str(tmp_path_factory.mktemp("cwa-cache")))
    monkeypatch.delenv("CWA_LANG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    messages.set_lang("zh")
    yield
    messages.set_lang("zh")


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    """The CLI as ``cwa.cli.main`` runs it: the language known before the app is built."""
    argv = [str(a) for a in args]
    messages.set_lang(messages.detect(argv, {**os.environ, **(env or {})}))
    return CliRunner().invoke(build_app(), argv, env=env, prog_name="cwa")


@pytest.fixture
def cli() -> Callable[..., Result]:
    return run


@pytest.fixture
def small_rubric(tmp_path: Path) -> Path:
    path = tmp_path / "rubric.yaml"
    path.write_text(SMALL_RUBRIC, encoding="utf-8")
    return path


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the bundled example archive."""
    target = tmp_path / "qinghe-tax"
    shutil.copytree(EXAMPLE, target)
    return target


def listing(root: Path) -> dict[str, tuple[str, int, int, str]]:
    """Every entry below root (and root itself): kind, size, mtime and content hash."""
    out: dict[str, tuple[str, int, int, str]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [".", *dirnames, *filenames]:
            path = Path(dirpath) / name
            st = path.lstat()
            rel = path.relative_to(root).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
            out[rel] = ("d" if path.is_dir() else "f", st.st_size, st.st_mtime_ns, digest)
    return out


class Immutable:
    """Entries the system itself refuses to change (``chattr +i``): a real "file in use"
    or read-only medium, which even root cannot rename, write or delete. Skips the test
    where the flag cannot be set (not root, a file system without it)."""

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def __call__(self, *paths: Path) -> None:
        import subprocess

        if shutil.which("chattr") is None or os.geteuid() != 0:
            pytest.skip("needs chattr as root to make files immutable")
        done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True,
                              check=False)
        if done.returncode != 0:
            pytest.skip(f"chattr +i failed here: {done.stderr.decode(errors='replace')}")
        self.paths += paths

    def release(self) -> None:
        import subprocess

        if self.paths:
            subprocess.run(["chattr", "-i", *map(str, self.paths)], check=False)
            self.paths.clear()


@pytest.fixture
def immutable() -> Iterator[Immutable]:
    holder = Immutable()
    yield holder
    holder.release()


def make_docx(path: Path, text: str = "正文") -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def make_jpeg(path: Path, size: tuple[int, int] = (800, 600)) -> Path:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (120, 140, 160)).save(path, "JPEG")
    return path
