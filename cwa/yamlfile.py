"""Read a YAML file as nodes, so every value keeps its line for messages.

PyYAML's YAML 1.1 resolver turns ``1.10`` into ``1.1``, ``01`` into ``1`` and ``no`` into
``False``, and keeps the last of duplicate keys. Reading the composed nodes lets us
refuse those silently-changed values and duplicate keys, and name the file and line.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml

from cwa import decoding, yamlsyntax
from cwa.errors import InvalidFile, Problem
from cwa.messages import t

#: libyaml's loader when PyYAML has it (the wheels do): the same nodes and marks, ~6x faster.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"


def compose(path: Path, shown: str,
            problems: list[Problem] | None = None) -> yaml.Node | None:
    """Compose ``path``, read as Windows may have saved it (``cwa.decoding``); a syntax
    error becomes an InvalidFile naming the file and line. A file read as GB18030 adds a
    warning naming the encoding to ``problems``."""
    decoded = decoding.read(path, shown)
    if decoded.guessed and problems is not None:
        problems.append(Problem("warning", shown, 1, "", "encoding.guessed",
                                {"encoding": decoded.encoding}))
    try:
        return yaml.compose(decoded.text, Loader=LOADER)
    except yaml.YAMLError as exc:
        found = yamlsyntax.problem(exc, decoded.text, shown)
        raise InvalidFile([*(problems or []), found]) from None


class Reader:
    """Typed access to composed nodes, collecting problems instead of stopping at one."""

    def __init__(self, shown: str) -> None:
        self.file = shown
        self.problems: list[Problem] = []

    # -- reporting -------------------------------------------------------------------
    def error(self, node: yaml.Node | None, keypath: str, message: str, /,
              **args: Any) -> None:
        self.problems.append(Problem("error", self.file, line_of(node), keypath, message, args))

    def warn(self, node: yaml.Node | None, keypath: str, message: str, /,
             **args: Any) -> None:
        self.problems.append(Problem("warning", self.file, line_of(node), keypath, message,
                                     args))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InvalidFile(self.problems)

    # -- structure -------------------------------------------------------------------
    def mapping(self, node: yaml.Node, keypath: str,
                known: tuple[str, ...]) -> dict[str, yaml.Node] | None:
        """A mapping's values by key; duplicate keys are errors, unknown keys warnings."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, keypath, "yaml.expected_mapping")
            return None
        out: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            key = str(key_node.value)
            here = join(keypath, key)
            if key in out:
                self.error(key_node, here, "yaml.duplicate_key", key=key,
                           first=line_of(out_key_nodes(node, key)))
                continue
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
                if close:
                    self.warn(key_node, here, "yaml.unknown_key_hint", key=key, hint=close[0])
                else:
                    self.warn(key_node, here, "yaml.unknown_key", key=key,
                              known=t("list.sep").join(known))
                continue
            out[key] = value
        return out

    def sequence(self, node: yaml.Node, keypath: str) -> list[yaml.Node] | None:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        self.error(node, keypath, "yaml.expected_list")
        return None

    # -- scalars ---------------------------------------------------------------------
    def text(self, node: yaml.Node, keypath: str) -> str | None:
        """Any scalar as the text written in the file (``no`` stays ``no``)."""
        if not isinstance(node, yaml.ScalarNode) or (node.tag == NULL and not node.value):
            self.error(node, keypath, "yaml.expected_text")
            return None
        value = str(node.value).strip()
        if not value:
            self.error(node, keypath, "yaml.empty")
            return None
        return value

    def quoted(self, node: yaml.Node, keypath: str) -> str | None:
        """A string that YAML must not reinterpret: unquoted numbers are refused."""
        if isinstance(node, yaml.ScalarNode) and node.tag in (INT, FLOAT) and not node.style:
            raw = str(node.value)
            loaded = yaml.safe_load(raw)
            self.error(node, keypath, "yaml.unquoted_code", raw=raw, loaded=loaded)
            return None
        return self.text(node, keypath)

    def number(self, node: yaml.Node, keypath: str) -> float | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in (INT, FLOAT):
            value = yaml.safe_load(node.value)
            if isinstance(value, (int, float)) and value >= 0:
                return float(value)
        self.error(node, keypath, "yaml.expected_number")
        return None

    def integer(self, node: yaml.Node, keypath: str, minimum: int = 0) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == INT:
            value = yaml.safe_load(node.value)
            if isinstance(value, int) and value >= minimum:
                return value
        self.error(node, keypath, "yaml.expected_integer", minimum=minimum)
        return None

    def boolean(self, node: yaml.Node, keypath: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL:
            return bool(yaml.safe_load(node.value))
        self.error(node, keypath, "yaml.expected_bool")
        return None

    def texts(self, node: yaml.Node, keypath: str) -> tuple[str, ...]:
        """A list of strings; a single string is taken as a list of one."""
        if isinstance(node, yaml.ScalarNode):
            one = self.text(node, keypath)
            return (one,) if one else ()
        items = self.sequence(node, keypath)
        if items is None:
            return ()
        out = []
        for i, item in enumerate(items):
            value = self.text(item, f"{keypath}[{i}]")
            if value:
                out.append(value)
        return tuple(out)


def join(keypath: str, key: str) -> str:
    return f"{keypath}.{key}" if keypath else key


def line_of(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 0


def out_key_nodes(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, _ in node.value:
        if str(key_node.value) == key:
            return key_node  # type: ignore[no-any-return]
    return None

