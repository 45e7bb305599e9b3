"""YAML → Rubric, with every problem located by file, line and key path.

Strict: an unknown key, method word, cadence or unit type is an error with "did you
mean"; ``cwa rubric validate`` lists every problem of a file at once.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import yaml

from cwa import naming
from cwa.errors import CwaError, InvalidFile, Problem
from cwa.messages import t
from cwa.rubric import methods as vocab
from cwa.rubric.model import (
    ALL_KINDS,
    CADENCES,
    KINDS,
    Clause,
    Evidence,
    Grading,
    Indicator,
    Naming,
    Rubric,
    Veto,
    Window,
    Years,
    years_from_text,
)
from cwa.rubric.schema import keys
from cwa.yamlfile import BOOL, STR, Reader, compose, holds_any, join

YEARS_KEYS = keys("years")
NAMING_KEYS = keys("naming")
KIND_ALIASES = {"text": "text", "文字": "text", "image": "image", "图片": "image",
                "photo": "image", "av": "av", "音像": "av", "audio": "av", "video": "av",
                "link": "link", "链接": "link", "网址": "link"}
CADENCE_ALIASES = {**{c: c for c in CADENCES}, "每月": "monthly", "月度": "monthly",
                   "每季度": "quarterly", "季度": "quarterly", "每半年": "half-yearly",
                   "半年": "half-yearly", "每年": "yearly", "年度": "yearly"}
MAX_COUNT = 10_000  # files (or activities) an evidence item may ask for
MAX_CHARS = 10_000_000
#: ``近两年（不含当年）``, ``近3年(含当年)``
_WINDOW_TEXT = (  # compiled on first use
    r"^\s*近\s*([一二两三四五六七八九十\d]+)\s*年\s*[（(]\s*(不含|含)\s*当年\s*[）)]\s*$")
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10}


#: What a 测评体系 arrives as, which ``cwa rubric import`` reads into a rubric.
TABLES = frozenset({".docx", ".doc", ".wps", ".xlsx", ".xls", ".et", ".csv", ".pdf", ".zip"})


def load(path: Path, shown: str | None = None, data: bytes | None = None
         ) -> tuple[Rubric, list[Problem]]:
    """Load and validate a rubric (``data``: its bytes, when already read). Raises
    InvalidFile; returns the warnings."""
    shown = shown or str(path)
    if path.suffix.lower() in TABLES:  # a 测评体系 as published: import it first
        raise CwaError("rubric.is_a_table", path=shown)
    reader = Reader(shown)
    root = compose(path, shown, reader.problems, data)
    if root is None:
        reader.error(None, "", "rubric.empty")
        raise InvalidFile(reader.problems)
    if isinstance(root, yaml.MappingNode) and not holds_any(root, ("rubric", "indicators")):
        reader.error(root, "", "rubric.not_a_rubric")
        raise InvalidFile(reader.problems)
    rubric = _Loader(reader).rubric(root, shown)
    reader.raise_if_errors()
    assert rubric is not None
    return rubric, reader.warnings


class _Loader:
    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.vocabulary = vocab.vocabulary()
        self.unit_types: tuple[str, ...] = ()
        self.seen_codes: dict[str, int] = {}

    # -- the rubric ----------------------------------------------------------------
    def rubric(self, node: yaml.Node, shown: str) -> Rubric | None:
        r = self.r
        top = r.mapping(node, "", keys("rubric"))
        if top is None:
            return None
        name = r.text(top["rubric"], "rubric") if "rubric" in top else None
        if "rubric" not in top:
            r.error(node, "", "rubric.missing_key", key="rubric")
        own_methods = self._methods(top["methods"]) if "methods" in top else ()
        if "unit_types" in top:
            self.unit_types = r.texts(top["unit_types"], "unit_types")
        if "indicators" not in top:
            r.error(node, "", "rubric.missing_key", key="indicators")
            return None
        items = r.sequence(top["indicators"], "indicators")
        if not items and items is not None:
            r.error(top["indicators"], "indicators", "rubric.no_indicators")
        indicators = self.siblings(items or [], "indicators")
        points = r.number(top["points"], "points") if "points" in top else None
        top_points = [i.points for i in indicators if i.points is not None and not i.bonus]
        if points is not None and top_points and sum(top_points) > points + 1e-9:
            r.warn(top["points"], "points", "rubric.points_exceed",
                   children=_num(sum(top_points)), points=_num(points))
        by_year = self._points_by_year(top["points_by_year"]) if "points_by_year" in top else ()
        return Rubric(
            name=name or "",
            indicators=indicators,
            edition=r.text(top["edition"], "edition") if "edition" in top else None,
            points=points,
            years=parse_years(r, top["years"], "years") if "years" in top else None,
            naming=parse_naming(r, top["naming"], "naming") if "naming" in top else Naming(),
            note=r.text(top["note"], "note", lines=True) if "note" in top else None,
            source=r.text(top["source"], "source") if "source" in top else None,
            origin=shown,
            vetoes=self._vetoes(top["vetoes"]) if "vetoes" in top else (),
            unit_types=self.unit_types,
            points_by_year=by_year,
            pass_mark=r.number(top["pass"], "pass") if "pass" in top else None,
            methods=own_methods,
        )

    def _methods(self, node: yaml.Node) -> tuple[tuple[str, str], ...]:
        """The rubric's own method words: ``{现场核查: field}``."""
        out = []
        for key_node, value in self.r.pairs(node, "methods") or []:
            word = str(key_node.value).strip()
            cls = self.r.text(value, join("methods", word))
            if cls is None:
                continue
            if cls not in vocab.CLASSES:
                self._unknown(value, join("methods", word), "rubric.bad_method_class", cls,
                              vocab.CLASSES)
                continue
            self.vocabulary[word] = cls
            out.append((word, cls))
        return tuple(out)

    def _points_by_year(self, node: yaml.Node) -> tuple[tuple[int, float], ...]:
        out = []
        for key_node, value in self.r.pairs(node, "points_by_year") or []:
            year = str(key_node.value)
            here = join("points_by_year", year)
            if not (year.isdigit() and len(year) == 4):
                self.r.error(key_node, here, "rubric.bad_year_key", value=year)
                continue
            points = self.r.number(value, here)
            if points is not None:
                out.append((int(year), points))
        return tuple(out)

    def _vetoes(self, node: yaml.Node) -> tuple[Veto, ...]:
        out: list[Veto] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(self.r.sequence(node, "vetoes") or []):
            here = f"vetoes[{i}]"
            fields = self.r.mapping(item, here, keys("veto"))
            if fields is None:
                continue
            for key in ("code", "text"):
                if key not in fields:
                    self.r.error(item, here, "rubric.missing_key", key=key)
            code = self.r.quoted(fields["code"], join(here, "code")) if "code" in fields else None
            text = self.r.text(fields["text"], join(here, "text")) if "text" in fields else None
            deduct = (self.r.number(fields["deduct"], join(here, "deduct"))
                      if "deduct" in fields else None)
            line = item.start_mark.line + 1
            if code is not None and code in seen:
                self.r.error(fields["code"], join(here, "code"), "rubric.duplicate_code",
                             code=code, first=seen[code])
                continue
            if code is None or text is None:
                continue
            seen[code] = line
            out.append(Veto(code, text, deduct, line))
        return tuple(out)

    # -- indicators ----------------------------------------------------------------
    def siblings(self, nodes: list[yaml.Node], keypath: str) -> tuple[Indicator, ...]:
        out: list[Indicator] = []
        names: dict[str, int] = {}
        for i, node in enumerate(nodes):
            indicator = self.indicator(node, f"{keypath}[{i}]")
            if indicator is None:
                continue
            key = naming.fold(indicator.name)
            if key in names:
                self.r.error(node, f"{keypath}[{i}].name", "rubric.duplicate_name",
                             name=indicator.wording, first=names[key])
            else:
                names[key] = indicator.line
            out.append(indicator)
        return tuple(out)

    def indicator(self, node: yaml.Node, keypath: str) -> Indicator | None:
        r = self.r
        fields = r.mapping(node, keypath, keys("indicator"))
        if fields is None:
            return None
        line = node.start_mark.line + 1
        for key in ("code", "name"):
            if key not in fields:
                r.error(node, keypath, "rubric.missing_key", key=key)
        code = r.quoted(fields["code"], join(keypath, "code")) if "code" in fields else None
        if code is not None:
            if code in self.seen_codes:
                r.error(fields["code"], join(keypath, "code"), "rubric.duplicate_code",
                        code=code, first=self.seen_codes[code])
            else:
                self.seen_codes[code] = line
        wording = r.text(fields["name"], join(keypath, "name")) if "name" in fields else None
        name = _folder_name(r, fields.get("name"), join(keypath, "name"), wording)
        points = r.number(fields["points"], join(keypath, "points")) if "points" in fields \
            else None
        bonus = bool(r.boolean(fields["bonus"], join(keypath, "bonus"))) \
            if "bonus" in fields else False
        children: tuple[Indicator, ...] = ()
        if "children" in fields:
            items = r.sequence(fields["children"], join(keypath, "children")) or []
            children = self.siblings(items, join(keypath, "children"))
        evidence = self.evidence_list(fields, keypath)
        entries = r.texts(fields["methods"], join(keypath, "methods")) \
            if "methods" in fields else ()
        own, per_clause = self._method_entries(fields.get("methods"), join(keypath, "methods"),
                                               entries)
        clauses = self._clauses(fields, keypath, own, per_clause)
        if per_clause and not clauses:
            r.error(fields["methods"], join(keypath, "methods"), "rubric.method_no_clauses")
        if clauses and children:
            r.error(fields["clauses"], join(keypath, "clauses"), "rubric.clauses_on_parent")
        if points is not None and not bonus:
            parts = [c.points for c in children if c.points is not None] or \
                [c.points for c in clauses if c.points is not None]
            if parts and sum(parts) > points + 1e-9:
                r.warn(fields["points"], join(keypath, "points"), "rubric.points_exceed",
                       children=_num(sum(parts)), points=_num(points))
        grading = self._grading(fields["grading"], join(keypath, "grading"), clauses) \
            if "grading" in fields else None
        applies_to = self._unit_types(fields["applies_to"], join(keypath, "applies_to")) \
            if "applies_to" in fields else ()
        if code is None or name is None or wording is None:
            return None
        return Indicator(
            code=code,
            name=name,
            wording=wording,
            points=points,
            methods=entries,
            classes=tuple(self.vocabulary[w] for w in own),
            owners=r.texts(fields["owners"], join(keypath, "owners")) if "owners" in fields
            else (),
            note=r.text(fields["note"], join(keypath, "note"), lines=True)
            if "note" in fields else None,
            evidence=evidence,
            children=children,
            line=line,
            standard=r.text(fields["standard"], join(keypath, "standard"), lines=True)
            if "standard" in fields else None,
            clauses=clauses,
            bonus=bonus,
            applies_to=applies_to,
            na_note=bool(r.boolean(fields["na_note"], join(keypath, "na_note")))
            if "na_note" in fields else False,
            grading=grading,
        )

    def _method_entries(self, node: yaml.Node | None, keypath: str, entries: tuple[str, ...]
                        ) -> tuple[list[str], dict[str, list[str]]]:
        """An indicator's method entries → (its own words, clause number → words)."""
        own: list[str] = []
        per_clause: dict[str, list[str]] = {}
        for entry in entries:
            numbers, raw = vocab.split(entry)
            found = []
            for word in raw:
                parts = vocab.words(word, self.vocabulary)
                if parts is None:
                    self._unknown(node, keypath, "rubric.unknown_method", word,
                                  tuple(self.vocabulary), listing=t("rubric.method_classes"))
                else:
                    found += parts
            if numbers:
                for n in numbers:
                    per_clause.setdefault(n, []).extend(found)
            else:
                own += found
        return own, per_clause

    def _method_words(self, node: yaml.Node, keypath: str) -> list[str]:
        entries = self.r.texts(node, keypath)
        own, per_clause = self._method_entries(node, keypath, entries)
        if per_clause:
            self.r.error(node, keypath, "rubric.method_no_clauses")
        return own

    def _clauses(self, fields: dict[str, yaml.Node], keypath: str, inherited: list[str],
                 per_clause: dict[str, list[str]]) -> tuple[Clause, ...]:
        if "clauses" not in fields:
            return ()
        here = join(keypath, "clauses")
        out: list[Clause] = []
        codes: dict[str, int] = {}
        for i, node in enumerate(self.r.sequence(fields["clauses"], here) or []):
            clause = self.clause(node, f"{here}[{i}]", i, inherited, per_clause)
            if clause is None:
                continue
            if clause.code in codes:
                self.r.error(node, f"{here}[{i}].code", "rubric.duplicate_code",
                             code=clause.code, first=codes[clause.code])
                continue
            codes[clause.code] = clause.line
            out.append(clause)
        numbers = {_digits(c.code) for c in out}
        for n in per_clause:
            if n not in numbers:
                self.r.error(fields.get("methods"), join(keypath, "methods"),
                             "rubric.method_clause_missing", number=n)
        return tuple(out)

    def clause(self, node: yaml.Node, keypath: str, index: int, inherited: list[str],
               per_clause: dict[str, list[str]]) -> Clause | None:
        r = self.r
        if isinstance(node, yaml.ScalarNode) and node.tag == STR:  # a bare text
            fields: dict[str, yaml.Node] | None = {"text": node}
        else:
            fields = r.mapping(node, keypath, keys("clause"))
        if fields is None:
            return None
        if "text" not in fields:
            r.error(node, keypath, "rubric.missing_key", key="text")
            return None
        code = (r.quoted(fields["code"], join(keypath, "code")) if "code" in fields
                else str(index + 1))
        text = r.text(fields["text"], join(keypath, "text"))
        words = self._method_words(fields["methods"], join(keypath, "methods")) \
            if "methods" in fields else []
        words += per_clause.get(_digits(code or ""), [])
        if not words:
            words = list(inherited)
        evidence = self.evidence_list(fields, keypath)
        points = r.number(fields["points"], join(keypath, "points")) if "points" in fields \
            else None
        deduct = r.number(fields["deduct"], join(keypath, "deduct")) if "deduct" in fields \
            else None
        if code is None or text is None:
            return None
        return Clause(
            code=code, text=text, points=points, methods=tuple(dict.fromkeys(words)),
            classes=tuple(dict.fromkeys(self.vocabulary[w] for w in words)),
            evidence=evidence, deduct=deduct,
            note=r.text(fields["note"], join(keypath, "note"), lines=True)
            if "note" in fields else None,
            line=node.start_mark.line + 1)

    def _grading(self, node: yaml.Node, keypath: str,
                 clauses: tuple[Clause, ...]) -> Grading | None:
        fields = self.r.mapping(node, keypath, keys("grading"))
        if fields is None:
            return None
        if not clauses:
            self.r.error(node, keypath, "rubric.grading_no_clauses")
            return None
        out = []
        for grade in ("A", "B", "C"):
            if grade in fields:
                needed = self.r.integer(fields[grade], join(keypath, grade), 0)
                if needed is not None:
                    if needed > len(clauses):
                        self.r.error(fields[grade], join(keypath, grade),
                                     "rubric.grading_too_many", needed=needed,
                                     clauses=len(clauses))
                    out.append((grade, needed))
        if [n for _, n in out] != sorted((n for _, n in out), reverse=True):
            self.r.error(node, keypath, "rubric.grading_order")
        return Grading(tuple(out)) if out else None

    def _unit_types(self, node: yaml.Node, keypath: str) -> tuple[str, ...]:
        values = self.r.texts(node, keypath)
        if self.unit_types:
            for value in values:
                if value not in self.unit_types:
                    self._unknown(node, keypath, "rubric.unknown_unit_type", value,
                                  self.unit_types)
        return values

    # -- evidence ------------------------------------------------------------------
    def evidence_list(self, fields: dict[str, yaml.Node], keypath: str,
                      key: str = "evidence") -> tuple[Evidence, ...]:
        if key not in fields:
            return ()
        here = join(keypath, key)
        items = self.r.sequence(fields[key], here) or []
        return tuple(e for j, item in enumerate(items)
                     if (e := self.evidence(item, f"{here}[{j}]")) is not None)

    def evidence(self, node: yaml.Node, keypath: str, in_bundle: bool = False
                 ) -> Evidence | None:
        r = self.r
        if isinstance(node, yaml.ScalarNode) and node.tag == STR:  # a bare title
            title = r.text(node, keypath)
            return Evidence(title=title) if title else None
        fields = r.mapping(node, keypath, keys("evidence"))
        if fields is None:
            return None
        if "title" not in fields:
            r.error(node, keypath, "rubric.missing_key", key="title")
            return None
        title = r.text(fields["title"], join(keypath, "title"))
        kinds: tuple[str, ...] = KINDS
        if "kinds" in fields:
            kinds = tuple(_kinds(r, fields["kinds"], join(keypath, "kinds")))
        values: dict[str, Any] = {}
        for key, most in (("min", MAX_COUNT), ("max_chars", MAX_CHARS),
                          ("activities", MAX_COUNT)):
            if key in fields:
                values[key] = r.integer(fields[key], join(keypath, key), 1, most)
        for key in ("start", "deadline"):
            if key in fields:
                month = r.integer(fields[key], join(keypath, key), 1)
                if month is not None and month > 12:
                    r.error(fields[key], join(keypath, key), "rubric.bad_month", value=month)
                    month = None
                values[key] = month
        per_year = (r.boolean(fields["per_year"], join(keypath, "per_year"))
                    if "per_year" in fields else False)
        formal = (r.boolean(fields["formal"], join(keypath, "formal"))
                  if "formal" in fields else False)
        dated = r.boolean(fields["dated"], join(keypath, "dated")) if "dated" in fields \
            else False
        caption, elements = _caption(r, fields["caption"], join(keypath, "caption")) \
            if "caption" in fields else (False, ())
        cadence = self._cadence(fields["cadence"], join(keypath, "cadence")) \
            if "cadence" in fields else None
        window = self._window(fields["window"], join(keypath, "window")) \
            if "window" in fields else None
        deduct = r.number(fields["deduct"], join(keypath, "deduct")) if "deduct" in fields \
            else None
        bundle: tuple[Evidence, ...] = ()
        if "bundle" in fields:
            if in_bundle:
                r.error(fields["bundle"], join(keypath, "bundle"), "rubric.nested_bundle")
            else:
                items = r.sequence(fields["bundle"], join(keypath, "bundle")) or []
                bundle = tuple(
                    e for j, item in enumerate(items)
                    if (e := self.evidence(item, f"{keypath}.bundle[{j}]", True)) is not None)
            if "activities" not in fields:
                r.error(fields["bundle"], join(keypath, "bundle"), "rubric.bundle_alone")
        if ("start" in fields or "deadline" in fields) and cadence is None and not per_year:
            r.error(node, keypath, "rubric.month_without_cadence")
        if title is None:
            return None
        return Evidence(
            title=title,
            kinds=kinds or KINDS,
            min=values.get("min") or 1,
            per_year=bool(per_year),
            caption=caption,
            caption_elements=elements,
            match=r.texts(fields["match"], join(keypath, "match")) if "match" in fields else (),
            note=r.text(fields["note"], join(keypath, "note"), lines=True)
            if "note" in fields else None,
            max_chars=values.get("max_chars"),
            formal=bool(formal),
            dated=bool(dated),
            window=window,
            cadence=cadence,
            start=values.get("start") or 1,
            deadline=values.get("deadline"),
            deduct=deduct,
            activities=values.get("activities"),
            bundle=bundle,
        )

    def _cadence(self, node: yaml.Node, keypath: str) -> str | None:
        value = self.r.text(node, keypath)
        if value is None:
            return None
        cadence = CADENCE_ALIASES.get(value.lower())
        if cadence is None:
            self._unknown(node, keypath, "rubric.bad_cadence", value, tuple(CADENCE_ALIASES))
        return cadence

    def _window(self, node: yaml.Node, keypath: str) -> Window | None:
        if isinstance(node, yaml.ScalarNode):
            text = str(node.value)
            m = re.match(_WINDOW_TEXT, text)
            if m is None:
                self.r.error(node, keypath, "rubric.bad_window", value=text)
                return None
            count = m.group(1)
            years = int(count) if count.isdigit() else _CN_DIGITS.get(count, 0)
            return Window(years, m.group(2) == "含") if years else None
        fields = self.r.mapping(node, keypath, keys("window"))
        if fields is None:
            return None
        if "years" not in fields:
            self.r.error(node, keypath, "rubric.missing_key", key="years")
            return None
        count_ = self.r.integer(fields["years"], join(keypath, "years"), 1)
        current = True
        if "current" in fields:
            current = bool(self.r.boolean(fields["current"], join(keypath, "current")))
        return Window(count_, current) if count_ else None

    def _unknown(self, node: yaml.Node | None, keypath: str, message: str, value: str,
                 known: tuple[str, ...], listing: str | None = None) -> None:
        """An unknown word: "did you mean" when one is close, else the words known."""
        close = difflib.get_close_matches(value, known, n=2, cutoff=0.5)
        hint = t("yaml.did_you_mean", hint=t("yaml.or").join(close)) if close else \
            t("yaml.known", known=listing or t("list.sep").join(known))
        self.r.error(node, keypath, message, value=value, hint=hint)


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


def _digits(code: str) -> str:
    found = re.findall(r"\d+", code)
    return (found[-1].lstrip("0") or "0") if found else code


def _kinds(reader: Reader, node: yaml.Node, keypath: str) -> list[str]:
    out: list[str] = []
    for value in reader.texts(node, keypath):
        kind = KIND_ALIASES.get(value.lower())
        if kind is None:
            reader.error(node, keypath, "rubric.bad_kind", kind=value,
                         known=t("list.sep").join(ALL_KINDS))
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
    if isinstance(node, yaml.ScalarNode) and node.tag == BOOL:
        return bool(yaml.safe_load(node.value)), ()
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
    width: int = Naming.width
    if "width" in fields:
        width = reader.integer(fields["width"], join(keypath, "width"), 2,
                               naming.MAX_WIDTH) or Naming.width
    return Naming(separator, width)


def _num(value: float) -> str:
    return f"{value:g}"
