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
from cwa.printable import UNSAFE
from cwa.readfile import read_bytes

#: libyaml's loader when PyYAML has it (the wheels do): the same nodes and marks, ~6x faster.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"


#: Bounds on what a rubric or cwa.yaml may cost: a real rubric of 500 indicators is
#: ~100 KB, ~20,000 nodes and ~25 levels of YAML nesting.
MAX_NODES = 500_000  # counted with every alias expanded, as the reader walks them
MAX_DEPTH = 100


def read_text(path: Path, shown: str) -> decoding.Decoded:
    """A text file as Windows may have saved it (``cwa.decoding``), read safely."""
    return decoding.decode(read_bytes(path, shown), shown)


def compose(path: Path, shown: str, problems: list[Problem] | None = None,
            data: bytes | None = None) -> yaml.Node | None:
    """Compose ``path`` (or ``data``, its bytes as already read), read as Windows may
    have saved it; a syntax error becomes an InvalidFile naming the file and line,
    explained (``cwa.yamlsyntax``). The result is bounded (``MAX_NODES`` with aliases
    expanded, ``MAX_DEPTH``). A file read as GB18030 adds a warning naming the encoding
    to ``problems``."""
    decoded = read_text(path, shown) if data is None else decoding.decode(data, shown)
    if decoded.guessed and problems is not None:
        problems.append(Problem("warning", shown, 1, "", "encoding.guessed",
                                {"encoding": decoded.encoding}))
    try:
        root = yaml.compose(decoded.text, Loader=LOADER)
    except yaml.YAMLError as exc:
        found = yamlsyntax.problem(exc, decoded.text, shown)
        raise InvalidFile([*(problems or []), found]) from None
    except RecursionError:  # the pure-Python composer nests a frame per level
        raise InvalidFile([Problem("error", shown, 1, "", "yaml.too_deep",
                                   {"limit": MAX_DEPTH})]) from None
    if root is not None:
        _bounded(root, shown)
    return root


def _bounded(root: yaml.Node, shown: str) -> None:
    """Refuse a document whose nodes, with aliases expanded, are too many or too deep,
    or that refers to itself: the reader walks every alias as if written out ("billion
    laughs": 12 lines can expand to 10^9 nodes). Each node is visited once."""
    size: dict[int, int] = {}  # expanded size of a finished node
    depth: dict[int, int] = {}  # its expanded depth
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        children = _children(node)
        if finished:
            active.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[key] > MAX_NODES:
                raise InvalidFile([Problem("error", shown, line_of(node), "",
                                           "yaml.too_many_nodes", {"limit": MAX_NODES})])
            if depth[key] > MAX_DEPTH:
                raise InvalidFile([Problem("error", shown, line_of(node), "",
                                           "yaml.too_deep", {"limit": MAX_DEPTH})])
            continue
        if key in size:
            continue
        if key in active:  # an alias to a node that contains it
            raise InvalidFile([Problem("error", shown, line_of(node), "",
                                       "yaml.recursive", {})])
        active.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


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
        """A mapping's values by key; duplicate and unknown keys are errors (a typo must
        never make a rule silently laxer), with "did you mean" where a key is close."""
        pairs = self.pairs(node, keypath)
        if pairs is None:
            return None
        out: dict[str, yaml.Node] = {}
        for key_node, value in pairs:
            key = str(key_node.value)
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
                shown = _clip(key)  # a key is echoed, bounded: the file may be anything
                here = join(keypath, shown)
                if close:
                    self.error(key_node, here, "yaml.unknown_key_hint", key=shown,
                               hint=close[0])
                else:
                    self.error(key_node, here, "yaml.unknown_key", key=shown,
                               known=t("list.sep").join(known))
                continue
            out[key] = value
        return out

    def pairs(self, node: yaml.Node, keypath: str) -> list[tuple[yaml.Node, yaml.Node]] | None:
        """A mapping whose keys are data (years, codes, words): (key node, value node)
        pairs in order; duplicate keys are errors."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, keypath, "yaml.expected_mapping")
            return None
        out: list[tuple[yaml.Node, yaml.Node]] = []
        seen: set[str] = set()
        for key_node, value in node.value:
            key = str(key_node.value)
            if key in seen:
                self.error(key_node, join(keypath, key), "yaml.duplicate_key", key=key,
                           first=line_of(out_key_nodes(node, key)))
                continue
            seen.add(key)
            out.append((key_node, value))
        return out

    def sequence(self, node: yaml.Node, keypath: str) -> list[yaml.Node] | None:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        self.error(node, keypath, "yaml.expected_list")
        return None

    # -- scalars ---------------------------------------------------------------------
    def text(self, node: yaml.Node, keypath: str, lines: bool = False) -> str | None:
        """Any scalar as the text written in the file (``no`` stays ``no``). Control
        characters are refused (a rubric's words are shown to people and CI logs, never
        obeyed); ``lines`` allows line breaks (a note)."""
        if not isinstance(node, yaml.ScalarNode) or (node.tag == NULL and not node.value):
            self.error(node, keypath, "yaml.expected_text")
            return None
        value = str(node.value).strip()
        if not value:
            self.error(node, keypath, "yaml.empty")
            return None
        bad = UNSAFE.search(value.replace("\n", "") if lines else value)
        if bad:
            self.error(node, keypath, "yaml.control_char", char=f"U+{ord(bad.group()):04X}")
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

    def integer(self, node: yaml.Node, keypath: str, minimum: int = 0,
                maximum: int | None = None) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == INT and len(node.value) < 30:
            value = yaml.safe_load(node.value)
            if isinstance(value, int) and minimum <= value <= (maximum or value):
                return value
        if maximum is None:
            self.error(node, keypath, "yaml.expected_integer", minimum=minimum)
        else:
            self.error(node, keypath, "yaml.expected_integer_range", minimum=minimum,
                       maximum=maximum)
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


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def holds_any(node: yaml.Node, keys: tuple[str, ...]) -> bool:
    """Is ``node`` a mapping with one of ``keys`` at its top? A file that is not what was
    asked for (``--rubric /etc/shadow``) is refused whole, without echoing its lines."""
    return isinstance(node, yaml.MappingNode) and any(
        str(k.value) in keys for k, _ in node.value)


def join(keypath: str, key: str) -> str:
    return f"{keypath}.{key}" if keypath else key


def line_of(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 0


def out_key_nodes(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, _ in node.value:
        if str(key_node.value) == key:
            return key_node  # type: ignore[no-any-return]
    return None

