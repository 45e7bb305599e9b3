"""cwa.yaml read from its YAML: every value checked and located by line and key.

``cwa.config`` holds what the settings are and how they combine; this module parses the
file (and loads PyYAML), which a command whose settings are remembered
(``cwa.config_memo``) does not need.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import yaml

from cwa.config import (
    CATALOG_KEYS,
    COVER_KEYS,
    FILENAME,
    KEYS,
    NO,
    YES,
    Config,
    refuse_link_out,
)
from cwa.errors import InvalidFile, Problem
from cwa.messages import t
from cwa.rubric.load import parse_naming, parse_years
from cwa.yamlfile import BOOL, Reader, compose, holds_any, join, line_of


def read(archive: Path, data: bytes | None = None) -> tuple[Config, list[Problem]]:
    """cwa.yaml of ``archive`` (``data``: its bytes, when already read)."""
    path = archive / FILENAME
    refuse_link_out(archive)
    reader = Reader(str(path))
    root = compose(path, str(path), reader.problems, data)
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
