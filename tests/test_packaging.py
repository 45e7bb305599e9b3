"""cwa as a package: what the sdist and the wheel carry, its metadata, a README a package
index can render, and the CI recipes in examples/ci run as written against the wheel."""

from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
import yaml

from cwa import __version__
from tests.conftest import EXAMPLE, ROOT


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sdist and the wheel, built from this checkout by its build backend."""
    pytest.importorskip("hatchling")
    folder = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-d", str(folder)],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    yield folder


def wheel(dist: Path) -> Path:
    (found,) = dist.glob("cwa-*.whl")
    return found


def metadata(dist: Path) -> Message:
    with zipfile.ZipFile(wheel(dist)) as zf:
        text = zf.read(f"cwa-{__version__}.dist-info/METADATA").decode("utf-8")
    return email.message_from_string(text)


def test_the_licence_travels_in_the_sdist_and_the_wheel(dist: Path) -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n")
    with zipfile.ZipFile(wheel(dist)) as zf:
        assert zf.read(f"cwa-{__version__}.dist-info/licenses/LICENSE").decode() == licence
        assert "cwa/py.typed" in zf.namelist()  # the Python API is typed
        assert "cwa/rubrics/archive-scope.yaml" in zf.namelist()
    (sdist,) = dist.glob("cwa-*.tar.gz")
    with tarfile.open(sdist) as tf:
        assert f"cwa-{__version__}/LICENSE" in tf.getnames()


def test_metadata_says_what_the_project_is(dist: Path) -> None:
    meta = metadata(dist)
    assert meta["Version"] == __version__
    assert meta["License-Expression"] == "MIT"
    assert meta["Requires-Python"] == ">=3.10"
    classifiers = meta.get_all("Classifier") or []
    for wanted in ("Environment :: Console", "Natural Language :: Chinese (Simplified)",
                   "Operating System :: OS Independent", "Programming Language :: Python :: 3.10",
                   "Typing :: Typed"):
        assert wanted in classifiers
    assert "文明单位" in meta["Keywords"]


def test_the_version_is_kept_in_one_place() -> None:
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version", "readme"]' in project
    assert not re.search(r'(?m)^version\s*=', project)
    assert re.findall(r'__version__ = "([^"]+)"',
                      (ROOT / "cwa" / "__init__.py").read_text(encoding="utf-8")) == [__version__]


def test_the_readme_renders_on_a_package_index(dist: Path) -> None:
    """The package's description is the README without its pictures (they live in docs/,
    which an index does not have), rendered as the index renders it."""
    markdown = pytest.importorskip("readme_renderer.markdown")
    meta = metadata(dist)
    assert meta["Description-Content-Type"] == "text/markdown"
    description = meta.get_payload()
    html = markdown.render(description, variant="GFM")
    assert html is not None and "在 Windows 上" in html and "cwa check" in html
    assert re.findall(r'<img[^>]+src="([^"]+)"', html) == []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r'(?:\]\(|src=")(docs/[^)"]+)', readme)
    assert pictures and all((ROOT / picture).is_file() for picture in pictures)
    assert "docs/" not in description


# -- the CI recipes, run as written ---------------------------------------------------

def dependencies_without_cwa(tmp_path: Path) -> Path:
    """This environment's installed packages, cwa itself left out: what a fresh venv needs
    to install the wheel without a package index."""
    site = Path(sysconfig.get_paths()["purelib"])
    farm = tmp_path / "deps"
    farm.mkdir()
    for entry in site.iterdir():
        name = entry.name.lower()
        if name.startswith(("cwa", "__editable__", "_cwa")) or name.endswith(".pth"):
            continue
        (farm / entry.name).symlink_to(entry)
    return farm


def recipe_commands() -> dict[str, list[str]]:
    github = yaml.safe_load((ROOT / "examples/ci/github-actions.yml").read_text("utf-8"))
    gitlab = yaml.safe_load((ROOT / "examples/ci/gitlab-ci.yml").read_text("utf-8"))
    steps = [step["run"] for step in github["jobs"]["check"]["steps"] if "run" in step]
    return {"github": steps, "gitlab": gitlab["archive-check"]["script"]}


@pytest.mark.skipif(os.name == "nt", reason="runs the recipes' commands in bash")
def test_the_ci_recipes_work_as_written(dist: Path, tmp_path: Path) -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    recipes = recipe_commands()
    installs = [c for steps in recipes.values() for c in steps if "pip install" in c]
    assert installs == ["pip install tools/cwa-*.whl"] * 2  # never an unpublished name
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    (purelib,) = venv.glob("lib/python*/site-packages")
    (purelib / "deps.pth").write_text(str(dependencies_without_cwa(tmp_path)) + "\n")
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("CWA_LANG", "VIRTUAL_ENV", "PYTHONPATH")}
    environment.update({"PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
                        "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")})
    for name, commands in recipes.items():
        repository = tmp_path / name
        shutil.copytree(EXAMPLE, repository / "创建档案")
        (repository / "tools").mkdir()
        shutil.copy(wheel(dist), repository / "tools")
        statuses = []
        for command in commands:
            done = subprocess.run(["bash", "-e", "-c", command], cwd=repository,
                                  env=environment, capture_output=True, text=True,
                                  timeout=600, check=False)
            assert "Traceback" not in done.stderr, done.stderr
            statuses.append(done.returncode)
        where = subprocess.run(["python", "-c", "import cwa; print(cwa.__file__)"],
                               cwd=repository, env=environment, capture_output=True,
                               text=True, check=True)
        assert where.stdout.startswith(str(venv))  # the wheel's cwa, not this checkout's
        if name == "github":  # install, check (fails on findings), reports
            assert statuses == [0, 1, 0]
            assert (repository / "cwa.sarif").is_file()
        else:  # install, junit, html, check
            assert statuses == [0, 0, 0, 1]
            assert (repository / "cwa-junit.xml").is_file()
        assert (repository / "report.html").is_file()
    assert "::error" not in (tmp_path / "summary.md").read_text(encoding="utf-8")
