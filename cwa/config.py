"""``cwa.yaml``: which rubric an archive follows, its years and naming options."""

from __future__ import annotations

import difflib
import os
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cwa import wording
from cwa.errors import CwaError, InvalidFile, Problem
from cwa.messages import t
from cwa.rubric import bundled
from cwa.rubric.load import parse_naming, parse_years
from cwa.rubric.model import Naming, Rubric, Years
from cwa.yamlfile import BOOL, Reader, compose, holds_any, join, line_of, read_text

FILENAME = "cwa.yaml"
#: Where ``cwa init --rubric FILE`` keeps a copy of a rubric of one's own, so that the
#: archive carries it wherever it is copied; cwa.yaml names it relatively.
RUBRIC_FILENAME = "测评体系.yaml"
#: Files cwa itself reads or writes at the archive's top level (never evidence).
OWN_FILES = frozenset({FILENAME, RUBRIC_FILENAME})
KEYS = ("rubric", "years", "naming", "catalog", "unit_type", "vetoes")
CATALOG_KEYS = ("code", "unit", "fonds", "fonds_name", "retention", "organ")
#: cwa.yaml's catalog keys that fill the 目录封面 (DA/T 22-2015): 全宗号、全宗名称、保管期限、
#: 机构（问题）; the 年度 comes from ``years``.
COVER_KEYS = ("fonds", "fonds_name", "retention", "organ")
#: How a unit answers a 一票否决 / 负面清单 item: did it happen?
YES = frozenset({"是", "有", "发生", "已发生", "yes", "true", "y"})
NO = frozenset({"否", "无", "没有", "未发生", "no", "false", "n"})


@dataclass(frozen=True)
class Config:
    rubric: str
    years: Years | None = None
    naming: Naming | None = None
    catalog_code: str | None = None  # 档号 pattern, e.g. "QH-{year}-{indicator}-{number:03d}"
    catalog_unit: str | None = None  # 责任者 where a document names none
    catalog_cover: tuple[tuple[str, str], ...] = ()  # (COVER_KEYS key, value) for 目录封面
    unit_types: tuple[str, ...] | None = None  # what kind of unit this is (applies_to)
    vetoes: dict[str, bool] = field(default_factory=dict)  # veto code → it happened
    lines: dict[str, int] = field(default_factory=dict)  # "unit_type" / veto code → line


def read(archive: Path) -> tuple[Config, list[Problem]]:
    path = archive / FILENAME
    if path.is_symlink() and not path.resolve().is_relative_to(archive.resolve()):
        raise CwaError("error.config_link", path=str(path))  # links are never followed out
    reader = Reader(str(path))
    root = compose(path, str(path), reader.problems)
    if root is None:
        reader.error(None, "", "rubric.missing_key", key="rubric")
        raise InvalidFile(reader.problems)
    if isinstance(root, yaml.MappingNode) and not holds_any(root, KEYS):
        reader.error(root, "", "config.not_config")
        raise InvalidFile(reader.problems)
    fields = reader.mapping(root, "", KEYS)
    if fields is not None and "rubric" not in fields:
        reader.error(root, "", "rubric.missing_key", key="rubric")
    if fields is None or "rubric" not in fields:
        raise InvalidFile(reader.problems)
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
    lines: dict[str, int] = {}
    unit_types = None
    if "unit_type" in fields:
        unit_types = reader.texts(fields["unit_type"], "unit_type")
        lines["unit_type"] = line_of(fields["unit_type"])
    vetoes = _answers(reader, fields["vetoes"], lines) if "vetoes" in fields else {}
    reader.raise_if_errors()
    assert rubric is not None
    return Config(rubric, years, naming, code, unit, tuple(cover), unit_types, vetoes,
                  lines), reader.warnings


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
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PATTERN_FIELDS or conversion:
            reader.error(node, "catalog.code", "config.bad_pattern", pattern=pattern,
                         why=t("config.pattern_field", field=name,
                               known=t("list.sep").join(PATTERN_FIELDS)))
            return False
        m = _SPEC.match(spec or "")
        if m is None or (m.group(1) and int(m.group(1)) > 20):
            reader.error(node, "catalog.code", "config.bad_pattern", pattern=pattern,
                         why=t("config.pattern_spec", spec=spec))
            return False
    return True


def _answers(reader: Reader, node: yaml.Node, lines: dict[str, int]) -> dict[str, bool]:
    """``vetoes: {"1": 否, "2": 否}``: for each item, whether it happened."""
    out: dict[str, bool] = {}
    for key_node, value in reader.pairs(node, "vetoes") or []:
        code = str(key_node.value)
        here = join("vetoes", code)
        lines[code] = line_of(key_node)
        if isinstance(value, yaml.ScalarNode) and value.tag == BOOL:
            out[code] = bool(yaml.safe_load(value.value))
            continue
        text = reader.text(value, here)
        if text is None:
            continue
        if text.lower() in YES:
            out[code] = True
        elif text.lower() in NO:
            out[code] = False
        else:
            reader.error(value, here, "config.bad_answer", value=text)
    return out


def verify(config: Config, rubric: Rubric, shown: str) -> None:
    """What cwa.yaml says against what the rubric knows: veto codes and unit types."""
    problems = []
    codes = tuple(v.code for v in rubric.vetoes)
    for code in config.vetoes:
        if code not in codes:
            problems.append(Problem("error", shown, config.lines.get(code, 0),
                                    join("vetoes", code), "config.unknown_veto",
                                    {"value": code, "hint": _hint(code, codes)}))
    if rubric.unit_types:
        for value in config.unit_types or ():
            if value not in rubric.unit_types:
                problems.append(Problem("error", shown, config.lines.get("unit_type", 0),
                                        "unit_type", "config.unknown_unit_type",
                                        {"value": value, "hint": _hint(value,
                                                                       rubric.unit_types)}))
    if problems:
        raise InvalidFile(problems)


def _hint(value: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
    if close:
        return t("yaml.did_you_mean", hint=close[0])
    return t("yaml.known", known=t("list.sep").join(known) or "—")


def render(config: Config, rubric: Rubric | None = None) -> str:
    """The text of a cwa.yaml, with comments for the clerk who opens it; where the rubric
    has applicability or 一票否决 items, the lines to answer them, commented out."""
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
    if rubric is not None:
        lines += _questions(rubric)
    return "\n".join(lines) + "\n"


def _questions(rubric: Rubric) -> list[str]:
    lines = []
    types = rubric.unit_types or tuple(dict.fromkeys(
        u for i in rubric.walk() for u in i.applies_to))
    if types:
        lines += ["", t("config.unit_type_comment", types=wording.listing(types)),
                  f"# unit_type: {_quote(types[0])}"]
    if rubric.vetoes:
        lines += ["", t("config.vetoes_comment"), "# vetoes:"]
        lines += [f"#   {_quote(v.code)}: 否    # {v.text}" for v in rubric.vetoes]
    return lines


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
    text = read_text(path, ref).text
    copy = archive / RUBRIC_FILENAME
    if copy.exists():
        if copy.is_file() and read_text(copy, str(copy)).text == text:
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
    text = read_text(path, str(path)).text
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


def require_archive(archive: Path, shown: str | None = None) -> None:
    """``archive`` must be a folder (``shown``: how the user wrote it)."""
    if not archive.exists():
        raise CwaError("error.archive_not_found", path=shown or str(archive))
    if not archive.is_dir():
        raise CwaError("error.archive_not_dir", path=shown or str(archive))


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
    if config is not None:
        verify(config, rubric, str(archive / FILENAME))
    chosen_years = years or (config.years if config else None) or rubric.years
    naming = (config.naming if config and config.naming else None) or rubric.naming
    return Settings(rubric, chosen_years, naming, tuple(warnings), config)

