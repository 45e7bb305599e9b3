"""YAML → Rubric, with every problem located by file, line and key path."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from cwa import naming
from cwa.errors import InvalidFile, Problem
from cwa.rubric.model import KINDS, Evidence, Indicator, Naming, Rubric, Years
from cwa.yamlfile import STR, Reader, compose, holds_any, join

RUBRIC_KEYS = ("rubric", "edition", "points", "years", "naming", "note", "source",
               "indicators")
INDICATOR_KEYS = ("code", "name", "points", "methods", "owners", "note", "evidence",
                  "children")
EVIDENCE_KEYS = ("title", "kinds", "min", "per_year", "caption", "match", "note", "max_chars")
YEARS_KEYS = ("from", "to")
NAMING_KEYS = ("separator", "width")
KIND_ALIASES = {"text": "text", "文字": "text", "image": "image", "图片": "image",
                "photo": "image", "av": "av", "音像": "av", "audio": "av", "video": "av"}
MAX_COUNT = 10_000  # files an evidence item may ask for
MAX_CHARS = 10_000_000
_YEARS_TEXT = re.compile(r"^\s*(\d{4})\s*[-–—~至到]\s*(\d{4})\s*$")


def load(path: Path, shown: str | None = None) -> tuple[Rubric, list[Problem]]:
    """Load and validate a rubric. Raises InvalidFile; returns the warnings."""
    shown = shown or str(path)
    root = compose(path, shown)
    reader = Reader(shown)
    if root is None:
        reader.error(None, "", "rubric.empty")
        raise InvalidFile(reader.problems)
    if isinstance(root, yaml.MappingNode) and not holds_any(root, ("rubric", "indicators")):
        reader.error(root, "", "rubric.not_a_rubric")
        raise InvalidFile(reader.problems)
    rubric = _rubric(reader, root, shown)
    reader.raise_if_errors()
    assert rubric is not None
    return rubric, reader.warnings


def _rubric(reader: Reader, node: yaml.Node, shown: str) -> Rubric | None:
    top = reader.mapping(node, "", RUBRIC_KEYS)
    if top is None:
        return None
    name = reader.text(top["rubric"], "rubric") if "rubric" in top else None
    if "rubric" not in top:
        reader.error(node, "", "rubric.missing_key", key="rubric")
    if "indicators" not in top:
        reader.error(node, "", "rubric.missing_key", key="indicators")
        return None
    items = reader.sequence(top["indicators"], "indicators")
    if not items and items is not None:
        reader.error(top["indicators"], "indicators", "rubric.no_indicators")
    seen_codes: dict[str, int] = {}
    indicators = _siblings(reader, items or [], "indicators", seen_codes)
    points = reader.number(top["points"], "points") if "points" in top else None
    top_points = [i.points for i in indicators if i.points is not None]
    if points is not None and top_points and sum(top_points) > points + 1e-9:
        reader.warn(top["points"], "points", "rubric.points_exceed",
                    children=_num(sum(top_points)), points=_num(points))
    return Rubric(
        name=name or "",
        indicators=indicators,
        edition=reader.text(top["edition"], "edition") if "edition" in top else None,
        points=points,
        years=parse_years(reader, top["years"], "years") if "years" in top else None,
        naming=parse_naming(reader, top["naming"], "naming") if "naming" in top else Naming(),
        note=reader.text(top["note"], "note", lines=True) if "note" in top else None,
        source=reader.text(top["source"], "source") if "source" in top else None,
        origin=shown,
    )


def _siblings(reader: Reader, nodes: list[yaml.Node], keypath: str,
              seen_codes: dict[str, int]) -> tuple[Indicator, ...]:
    out: list[Indicator] = []
    names: dict[str, int] = {}
    for i, node in enumerate(nodes):
        indicator = _indicator(reader, node, f"{keypath}[{i}]", seen_codes)
        if indicator is None:
            continue
        key = naming.fold(indicator.name)
        if key in names:
            reader.error(node, f"{keypath}[{i}].name", "rubric.duplicate_name",
                         name=indicator.wording, first=names[key])
        else:
            names[key] = indicator.line
        out.append(indicator)
    return tuple(out)


def _indicator(reader: Reader, node: yaml.Node, keypath: str,
               seen_codes: dict[str, int]) -> Indicator | None:
    fields = reader.mapping(node, keypath, INDICATOR_KEYS)
    if fields is None:
        return None
    line = node.start_mark.line + 1
    for key in ("code", "name"):
        if key not in fields:
            reader.error(node, keypath, "rubric.missing_key", key=key)
    code = reader.quoted(fields["code"], join(keypath, "code")) if "code" in fields else None
    if code is not None:
        if code in seen_codes:
            reader.error(fields["code"], join(keypath, "code"), "rubric.duplicate_code",
                         code=code, first=seen_codes[code])
        else:
            seen_codes[code] = line
    wording = reader.text(fields["name"], join(keypath, "name")) if "name" in fields else None
    name = _folder_name(reader, fields.get("name"), join(keypath, "name"), wording)
    points = (reader.number(fields["points"], join(keypath, "points"))
              if "points" in fields else None)
    children: tuple[Indicator, ...] = ()
    if "children" in fields:
        items = reader.sequence(fields["children"], join(keypath, "children")) or []
        children = _siblings(reader, items, join(keypath, "children"), seen_codes)
    evidence: tuple[Evidence, ...] = ()
    if "evidence" in fields:
        items = reader.sequence(fields["evidence"], join(keypath, "evidence")) or []
        evidence = tuple(
            e for j, item in enumerate(items)
            if (e := _evidence(reader, item, f"{keypath}.evidence[{j}]")) is not None
        )
    if points is not None:
        child_points = [c.points for c in children if c.points is not None]
        if child_points and sum(child_points) > points + 1e-9:
            reader.warn(fields["points"], join(keypath, "points"), "rubric.points_exceed",
                        children=_num(sum(child_points)), points=_num(points))
    if code is None or name is None or wording is None:
        return None
    return Indicator(
        code=code,
        name=name,
        wording=wording,
        points=points,
        methods=reader.texts(fields["methods"], join(keypath, "methods"))
        if "methods" in fields else (),
        owners=reader.texts(fields["owners"], join(keypath, "owners"))
        if "owners" in fields else (),
        note=reader.text(fields["note"], join(keypath, "note"), lines=True)
        if "note" in fields else None,
        evidence=evidence,
        children=children,
        line=line,
    )


def _folder_name(reader: Reader, node: yaml.Node | None, keypath: str,
                 wording: str | None) -> str | None:
    """The indicator's name as a folder name; unusable names are errors or sanitised."""
    if wording is None:
        return None
    if wording in (".", "..") or not naming.sanitize(wording):
        reader.error(node, keypath, "rubric.name_unusable", name=wording)
        return None
    safe = naming.sanitize(wording)
    if safe != wording:
        reader.warn(node, keypath, "rubric.name_sanitised", name=wording, safe=safe)
    return safe


def _evidence(reader: Reader, node: yaml.Node, keypath: str) -> Evidence | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == STR:  # a bare title
        title = reader.text(node, keypath)
        return Evidence(title=title) if title else None
    fields = reader.mapping(node, keypath, EVIDENCE_KEYS)
    if fields is None:
        return None
    if "title" not in fields:
        reader.error(node, keypath, "rubric.missing_key", key="title")
        return None
    title = reader.text(fields["title"], join(keypath, "title"))
    kinds: tuple[str, ...] = KINDS
    if "kinds" in fields:
        kinds = tuple(_kinds(reader, fields["kinds"], join(keypath, "kinds")))
    minimum = (reader.integer(fields["min"], join(keypath, "min"), 1, MAX_COUNT)
               if "min" in fields else 1)
    per_year = (reader.boolean(fields["per_year"], join(keypath, "per_year"))
                if "per_year" in fields else False)
    caption = False
    elements: tuple[str, ...] = ()  # what a caption must say; () = cwa.caption's default
    if "caption" in fields:
        caption, elements = _caption(reader, fields["caption"], join(keypath, "caption"))
    max_chars = (reader.integer(fields["max_chars"], join(keypath, "max_chars"), 1,
                                 MAX_CHARS)
                 if "max_chars" in fields else None)
    if title is None:
        return None
    return Evidence(
        title=title,
        kinds=kinds or KINDS,
        min=minimum or 1,
        per_year=bool(per_year),
        caption=caption,
        caption_elements=elements,
        match=reader.texts(fields["match"], join(keypath, "match")) if "match" in fields else (),
        note=reader.text(fields["note"], join(keypath, "note"), lines=True)
        if "note" in fields else None,
        max_chars=max_chars,
    )


def _kinds(reader: Reader, node: yaml.Node, keypath: str) -> list[str]:
    out: list[str] = []
    for value in reader.texts(node, keypath):
        kind = KIND_ALIASES.get(value.lower())
        if kind is None:
            reader.error(node, keypath, "rubric.bad_kind", kind=value, known="text、image、av")
        elif kind not in out:
            out.append(kind)
    return out


def _caption(reader: Reader, node: yaml.Node, keypath: str) -> tuple[bool, tuple[str, ...]]:
    """``required`` / ``optional``, or the list of elements a caption must give
    (``[事由, 时间, 地点]``): a list means required."""
    from cwa.caption import element

    if isinstance(node, yaml.SequenceNode):
        elements: list[str] = []
        for name in reader.texts(node, keypath):
            found = element(name)
            if found is None:
                reader.error(node, keypath, "rubric.bad_caption_element", name=name)
            elif found not in elements:
                elements.append(found)
        return True, tuple(elements)
    value = reader.text(node, keypath) if isinstance(node, yaml.ScalarNode) else None
    if value in ("required", "必填", "true", "True", "yes"):
        return True, ()
    if value in ("optional", "可选", "false", "False", "no"):
        return False, ()
    reader.error(node, keypath, "rubric.bad_caption")
    return False, ()


def parse_years(reader: Reader, node: yaml.Node, keypath: str) -> Years | None:
    """``{from: 2018, to: 2020}`` or ``"2018-2020"``."""
    if isinstance(node, yaml.ScalarNode):
        years = years_from_text(str(node.value))
        if years is None:
            reader.error(node, keypath, "rubric.bad_years", value=node.value)
        return years
    fields = reader.mapping(node, keypath, YEARS_KEYS)
    if fields is None:
        return None
    for key in YEARS_KEYS:
        if key not in fields:
            reader.error(node, keypath, "rubric.missing_key", key=key)
    start = reader.integer(fields["from"], join(keypath, "from"), 1900, 2100) if "from" in fields \
        else None
    end = reader.integer(fields["to"], join(keypath, "to"), 1900, 2100) if "to" in fields else None
    if start is None or end is None:
        return None
    if start > end:
        reader.error(node, keypath, "rubric.bad_years", value=f"{start}-{end}")
        return None
    return Years(start, end)


def years_from_text(text: str) -> Years | None:
    m = _YEARS_TEXT.match(text)
    if m:
        start, end = int(m.group(1)), int(m.group(2))
        return Years(start, end) if start <= end else None
    if text.strip().isdigit() and len(text.strip()) == 4:
        return Years(int(text), int(text))
    return None


def parse_naming(reader: Reader, node: yaml.Node, keypath: str) -> Naming:
    fields = reader.mapping(node, keypath, NAMING_KEYS)
    if fields is None:
        return Naming()
    separator = Naming.separator
    if "separator" in fields:
        sep_node = fields["separator"]
        value = str(sep_node.value) if isinstance(sep_node, yaml.ScalarNode) else None
        if value not in naming.ALLOWED_SEPARATORS:
            reader.error(sep_node, join(keypath, "separator"), "rubric.bad_separator",
                         value=value, allowed=" ".join(repr(s) for s in
                                                       naming.ALLOWED_SEPARATORS))
        else:
            separator = value
    width = Naming.width
    if "width" in fields:
        width = reader.integer(fields["width"], join(keypath, "width"), 2,
                               naming.MAX_WIDTH) or Naming.width
    return Naming(separator, width)


def _num(value: float) -> str:
    return f"{value:g}"
