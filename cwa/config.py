"""``cwa.yaml``: which rubric an archive follows, its years and naming options."""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass
from pathlib import Path

import yaml

from cwa import wording
from cwa.errors import CwaError, InvalidFile, Problem
from cwa.messages import t
from cwa.rubric import bundled
from cwa.rubric.load import parse_naming, parse_years
from cwa.rubric.model import Naming, Rubric, Years
from cwa.yamlfile import Reader, compose, holds_any

FILENAME = "cwa.yaml"
KEYS = ("rubric", "years", "naming", "catalog")
CATALOG_KEYS = ("code", "unit", "fonds", "fonds_name", "retention", "organ")
#: cwa.yaml's catalog keys that fill the 目录封面 (DA/T 22-2015): 全宗号、全宗名称、保管期限、
#: 机构（问题）; the 年度 comes from ``years``.
COVER_KEYS = ("fonds", "fonds_name", "retention", "organ")


@dataclass(frozen=True)
class Config:
    rubric: str
    years: Years | None = None
    naming: Naming | None = None
    catalog_code: str | None = None  # 档号 pattern, e.g. "QH-{year}-{indicator}-{number:03d}"
    catalog_unit: str | None = None  # 责任者 where a document names none
    catalog_cover: tuple[tuple[str, str], ...] = ()  # (COVER_KEYS key, value) for 目录封面


def read(archive: Path) -> tuple[Config, list[Problem]]:
    path = archive / FILENAME
    root = compose(path, str(path))
    reader = Reader(str(path))
    if root is None:
        reader.error(None, "", "rubric.missing_key", key="rubric")
        raise InvalidFile(reader.problems)
    if isinstance(root, yaml.MappingNode) and not holds_any(root, KEYS):
        reader.error(root, "", "config.not_config")
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
    cover: list[tuple[str, str]] = []
    if "catalog" in fields:
        catalog = reader.mapping(fields["catalog"], "catalog", CATALOG_KEYS) or {}
        code = reader.text(catalog["code"], "catalog.code") if "code" in catalog else None
        if code is not None and not _pattern_ok(reader, catalog["code"], code):
            code = None
        unit = reader.text(catalog["unit"], "catalog.unit") if "unit" in catalog else None
        for key in COVER_KEYS:
            value = reader.text(catalog[key], f"catalog.{key}") if key in catalog else None
            if value:
                cover.append((key, value))
    reader.raise_if_errors()
    assert rubric is not None
    return Config(rubric, years, naming, code, unit, tuple(cover)), reader.warnings


#: The fields a 档号 pattern may use (cwa.office.catalog fills them).
PATTERN_FIELDS = ("indicator", "number", "year", "seq")
_SPEC = re.compile(r"^(?:.?[<>=^])?[+\- ]?#?0?(\d{0,2})(?:\.\d{1,2})?[dsx]?$")


def _pattern_ok(reader: Reader, node: yaml.Node, pattern: str) -> bool:
    """A 档号 pattern with known fields and narrow format specs only: ``{number:03d}``
    yes, ``{number:999999999d}`` (a gigabyte per row) or ``{0.__class__}`` no."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        reader.error(node, "catalog.code", "config.bad_pattern", pattern=pattern, why=str(exc))
        return False
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in PATTERN_FIELDS or conversion:
            reader.error(node, "catalog.code", "config.bad_pattern", pattern=pattern,
                         why=t("config.pattern_field", field=field,
                               known=t("list.sep").join(PATTERN_FIELDS)))
            return False
        m = _SPEC.match(spec or "")
        if m is None or (m.group(1) and int(m.group(1)) > 20):
            reader.error(node, "catalog.code", "config.bad_pattern", pattern=pattern,
                         why=t("config.pattern_spec", spec=spec))
            return False
    return True


def render(config: Config) -> str:
    """The text of a cwa.yaml, with comments for the clerk who opens it."""
    naming = config.naming or Naming()
    lines = [
        "# cwa 档案配置：本档案遵循的测评体系、年度范围和命名规则",
        "# cwa archive settings: the rubric this archive follows, its years and naming",
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
    if os.path.lexists(archive / FILENAME):  # a FIFO or folder there is an error, not "none"
        config, warnings = read(archive)
    elif rubric_ref is None:
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

