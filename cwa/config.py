"""``cwa.yaml``: which rubric an archive follows, its years and naming options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from cwa import decoding, wording
from cwa.errors import CwaError, InvalidFile, Problem
from cwa.rubric import bundled
from cwa.rubric.load import parse_naming, parse_years
from cwa.rubric.model import Naming, Rubric, Years
from cwa.yamlfile import Reader, compose

FILENAME = "cwa.yaml"
#: Where ``cwa init --rubric FILE`` keeps a copy of a rubric of one's own, so that the
#: archive carries it wherever it is copied; cwa.yaml names it relatively.
RUBRIC_FILENAME = "测评体系.yaml"
#: Files cwa itself reads or writes at the archive's top level (never evidence).
OWN_FILES = frozenset({FILENAME, RUBRIC_FILENAME})
KEYS = ("rubric", "years", "naming", "catalog")
CATALOG_KEYS = ("code", "unit")


@dataclass(frozen=True)
class Config:
    rubric: str
    years: Years | None = None
    naming: Naming | None = None
    catalog_code: str | None = None  # 档号 pattern, e.g. "QH-{year}-{indicator}-{number:03d}"
    catalog_unit: str | None = None  # 责任者 where a document names none


def read(archive: Path) -> tuple[Config, list[Problem]]:
    path = archive / FILENAME
    reader = Reader(str(path))
    root = compose(path, str(path), reader.problems)
    if root is None:
        reader.error(None, "", "rubric.missing_key", key="rubric")
        raise InvalidFile(reader.problems)
    fields = reader.mapping(root, "", KEYS)
    if fields is not None and "rubric" not in fields:
        reader.error(root, "", "rubric.missing_key", key="rubric")
    reader.raise_if_errors()
    assert fields is not None
    rubric = reader.text(fields["rubric"], "rubric")
    years = parse_years(reader, fields["years"], "years") if "years" in fields else None
    naming = parse_naming(reader, fields["naming"], "naming") if "naming" in fields else None
    code = unit = None
    if "catalog" in fields:
        catalog = reader.mapping(fields["catalog"], "catalog", CATALOG_KEYS) or {}
        code = reader.text(catalog["code"], "catalog.code") if "code" in catalog else None
        unit = reader.text(catalog["unit"], "catalog.unit") if "unit" in catalog else None
    reader.raise_if_errors()
    assert rubric is not None
    return Config(rubric, years, naming, code, unit), reader.warnings


def render(config: Config) -> str:
    """The text of a cwa.yaml, with comments for the clerk who opens it."""
    naming = config.naming or Naming()
    lines = [
        "# cwa 档案配置：本档案遵循的测评体系、年度范围和命名规则（UTF-8 编码）",
        "# cwa archive settings: the rubric this archive follows, its years and naming (UTF-8)",
        f"rubric: {_quote(config.rubric)}",
    ]
    if config.years:
        lines.append(f"years: {{from: {config.years.start}, to: {config.years.end}}}")
    lines += [
        "naming:",
        f"  separator: {_quote(naming.separator)}",
        f"  width: {naming.width}",
    ]
    return "\n".join(lines) + "\n"


def rubric_for_new(archive: Path, ref: str) -> tuple[str, str | None]:
    """How a new archive's cwa.yaml names the rubric ``ref``, and the text to copy into
    the archive, if any: a bundled name stays a name; a file inside the archive is named
    by its path relative to it; a file outside is copied in as ``RUBRIC_FILENAME`` (its
    text, written as UTF-8), so that the archive checks the same wherever it goes."""
    if bundled.is_bundled(ref):
        return ref, None
    path, _ = bundled.resolve(ref)
    inside = _relative(path, archive)
    if inside is not None:
        return inside, None
    text = decoding.read(path, ref).text
    copy = archive / RUBRIC_FILENAME
    if copy.exists():
        if copy.is_file() and decoding.read(copy, str(copy)).text == text:
            return RUBRIC_FILENAME, None  # copied before
        raise CwaError("error.embed_exists", path=str(copy), rubric=ref)
    return RUBRIC_FILENAME, text


def rubric_outside(archive: Path, config: Config | None) -> str | None:
    """cwa.yaml's rubric when it is a file outside the archive (made before archives
    carried their rubric): found here, lost when the archive is copied elsewhere."""
    if config is None or bundled.is_bundled(config.rubric):
        return None
    path = Path(config.rubric).expanduser()
    if _relative(path if path.is_absolute() else archive / path, archive) is not None:
        return None
    return config.rubric


def embedded_config(archive: Path) -> str:
    """cwa.yaml's text with its rubric pointing at ``RUBRIC_FILENAME``: the rest of the
    file (comments, layout) as it was."""
    path = archive / FILENAME
    text = decoding.read(path, str(path)).text
    root = compose(path, str(path))
    assert isinstance(root, yaml.MappingNode)
    value = next(v for k, v in root.value if k.value == "rubric")
    start, end = value.start_mark.index, value.end_mark.index
    return text[:start] + _quote(RUBRIC_FILENAME) + text[end:]


def _relative(path: Path, archive: Path) -> str | None:
    """``path`` relative to ``archive`` (with /), or None when it lies outside."""
    try:
        return path.resolve().relative_to(archive.resolve()).as_posix()
    except ValueError:
        return None


def archive_of(path: Path) -> Path | None:
    """The archive ``path`` lies in: the nearest folder at or above it with cwa.yaml."""
    start = path.resolve() if path.is_dir() else path.resolve().parent
    for folder in (start, *start.parents):
        if (folder / FILENAME).is_file():
            return folder
    return None


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Settings:
    """What a command works with: the rubric plus the archive's own choices."""

    rubric: Rubric
    years: Years | None
    naming: Naming
    warnings: tuple[Problem, ...] = ()
    config: Config | None = None


def settings(archive: Path, rubric_ref: str | None = None,
             years: Years | None = None) -> Settings:
    """Combine ``--rubric``/``--years`` with cwa.yaml and the rubric's own defaults."""
    warnings: list[Problem] = []
    config: Config | None = None
    if (archive / FILENAME).is_file():
        config, warnings = read(archive)
    elif rubric_ref is None:
        above = archive_of(archive.resolve().parent)
        if above is not None:
            raise CwaError("error.no_config_inside", path=str(archive.resolve()),
                           archive=str(above))
        raise CwaError("error.no_config", path=str(archive.resolve()),
                       names=wording.listing(bundled.names()))
    if rubric_ref is not None:
        rubric, more = bundled.load_ref(rubric_ref)
    else:
        assert config is not None
        rubric, more = bundled.load_ref(config.rubric, archive)
    warnings += more
    chosen_years = years or (config.years if config else None) or rubric.years
    naming = (config.naming if config and config.naming else None) or rubric.naming
    return Settings(rubric, chosen_years, naming, tuple(warnings), config)

