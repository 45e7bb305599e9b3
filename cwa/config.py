"""``cwa.yaml``: which rubric an archive follows, its years and naming options."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from cwa import wording
from cwa.errors import CwaError, InvalidFile, Problem
from cwa.messages import t
from cwa.rubric import bundled
from cwa.rubric.model import Naming, Rubric, Years

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


def read(archive: Path, data: bytes | None = None) -> tuple[Config, list[Problem]]:
    """cwa.yaml as written (``cwa.configfile``; ``data``: its bytes, when already read),
    and its warnings."""
    from cwa import configfile  # PyYAML is loaded only when a file is parsed

    return configfile.read(archive, data)


def verify(config: Config, rubric: Rubric, shown: str) -> None:
    """What cwa.yaml says against what the rubric knows: veto codes and unit types."""
    problems = []
    codes = tuple(v.code for v in rubric.vetoes)
    for code in config.vetoes:
        if code not in codes:
            problems.append(Problem("error", shown, config.lines.get(code, 0),
                                    f"vetoes.{code}", "config.unknown_veto",
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
    from cwa.yamlfile import read_text

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
    import yaml

    from cwa.yamlfile import compose, read_text

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
             years: Years | None = None, cache: bool = True) -> Settings:
    """Combine ``--rubric``/``--years`` with cwa.yaml and the rubric's own defaults.

    cwa.yaml and the rubric as read last time are used again when neither file has
    changed by a byte (``cwa.config_memo``): no YAML is parsed then. Without ``cache``
    (``--no-cache``) both are read, and nothing is remembered."""
    from cwa import config_memo

    present = os.path.lexists(archive / FILENAME)  # a FIFO or folder there is an error
    if present:
        refuse_link_out(archive)
    elif rubric_ref is None:
        above = archive_of(archive.resolve().parent)
        if above is not None:
            raise CwaError("error.no_config_inside", path=str(archive.resolve()),
                           archive=str(above))
        raise CwaError("error.no_config", path=str(archive.resolve()),
                       names=wording.listing(bundled.names()))
    memo = config_memo.Memo(archive, rubric_ref, present)
    found = memo.recall() if cache else None
    if found is None:
        # parsed from the very bytes the memo's key and digest are made of: a file saved
        # while this runs is read again next time, never remembered under its new bytes
        found = _read(archive, rubric_ref, memo.config_bytes() if present else None)
        if cache:
            memo.keep(found)
    config, rubric, warnings = found.config, found.rubric, found.warnings
    chosen_years = years or (config.years if config else None) or rubric.years
    naming = (config.naming if config and config.naming else None) or rubric.naming
    return Settings(rubric, chosen_years, naming, warnings, config)


@dataclass(frozen=True)
class Read:
    """cwa.yaml and the rubric as read, with what was read for the rubric."""

    config: Config | None
    rubric: Rubric
    warnings: tuple[Problem, ...]
    rubric_path: str  # the file the rubric was read from
    rubric_digest: str  # of the bytes it was parsed from (``config_memo.digest``)


def _read(archive: Path, rubric_ref: str | None, config_bytes: bytes | None) -> Read:
    """cwa.yaml (``config_bytes``: its bytes; None: there is none) and the rubric it or
    ``rubric_ref`` names, each parsed from bytes read once."""
    from cwa.config_memo import digest
    from cwa.readfile import read_bytes
    from cwa.rubric import load  # PyYAML only when a file is parsed

    warnings: list[Problem] = []
    config: Config | None = None
    if config_bytes is not None:
        config, warnings = read(archive, config_bytes)
    ref = rubric_ref if rubric_ref is not None else config.rubric if config else ""
    path, shown = bundled.resolve(ref, None if rubric_ref is not None else archive)
    # (a table is refused by load before its bytes would be used: not read, however big)
    data = read_bytes(path, shown) if path.suffix.lower() not in load.TABLES else b""
    rubric, more = load.load(path, shown, data)
    warnings += more
    if config is not None:
        verify(config, rubric, str(archive / FILENAME))
    return Read(config, rubric, tuple(warnings), str(path), digest(data))


def refuse_link_out(archive: Path) -> None:
    """cwa.yaml may be a link only to a file inside the archive: links are never followed
    out."""
    path = archive / FILENAME
    if path.is_symlink() and not path.resolve().is_relative_to(archive.resolve()):
        raise CwaError("error.config_link", path=str(path))
