"""``cwa migrate`` as data: the renames and folders that put an archive built on one edition
of its 测评体系 onto the next.

The old edition's folders are found as ``cwa check`` finds them (``match``); each old
indicator is paired with a new one as ``cwa rubric diff`` pairs them (``rubric.pairing``),
or as the clerk's mapping file says. Then, over the new tree from the top:

- a paired folder is renamed (or moved under its new parent) to the name the new edition
  gives it, carrying everything inside; a folder in the way that moves anyway steps aside
  under a temporary name first (a two-phase group, as ``cwa fix`` does);
- a new indicator without a folder gets one (with its ``_归档要求.txt`` when the archive
  has notes); an old folder the clerk maps onto one already paired goes inside it;
- an old indicator the new edition does not have goes, with all its files, to the
  holding folder ``00：待归类（旧版指标）`` under its old path — never deleted;
- notes cwa wrote for the old requirement (unedited) get the new one; cwa.yaml names the
  new rubric (a ``Replace`` step), and a rubric of one's own is copied into the archive.

Everything is one plan applied with the journal: ``cwa undo`` reverts it, ``cwa resume``
finishes it. Cases the pairing cannot decide are listed, and ``--apply`` waits until the
mapping file decides them.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cwa import config, journal, kinds, messages, naming
from cwa.errors import CwaError
from cwa.fix import key
from cwa.match import Layout, Placement, compare_key, expected_name, match
from cwa.messages import t
from cwa.plan import Mkdir, Operation, Rename, Replace, WriteFile, note_text
from cwa.readfile import read_bytes
from cwa.rubric import bundled, pairing
from cwa.rubric.model import Indicator, Naming, Rubric
from cwa.rubric.pairing import Node, Pairing
from cwa.scan import Entry, scan
from cwa.yamlfile import Reader, compose, read_text

HOLDING_TITLE = "待归类（旧版指标）"
HOLD_WORDS = frozenset({"待归类", "holding", "hold", "none", "-", "—", "无"})


def holding_name(options: Naming) -> str:
    """``00：待归类（旧版指标）``: first in Explorer's order, matched by no indicator."""
    return naming.format_name(0, HOLDING_TITLE, options.separator, options.width)


# -- what the clerk sees -------------------------------------------------------------------

@dataclass(frozen=True)
class Move:
    kind: str  # "rename" "move" "mkdir" "reuse" "hold" "merge"
    rel: str  # where the folder is now ("" for a new one)
    to: str  # where it will be
    old: Indicator | None = None
    new: Indicator | None = None
    how: str = ""  # the pairing's reason (pairing.SAME, RENUMBERED…)


@dataclass(frozen=True)
class Ambiguity:
    old: Node
    why: str  # "same_code" | "tie" | "candidates"
    candidates: tuple[tuple[Node, float], ...]
    folder: str | None  # the old folder, when the archive has one


@dataclass(frozen=True)
class Refusal:
    move: Move
    reason: str  # message key, migrate.refused.*
    other: str = ""


@dataclass
class MigratePlan:
    moves: list[Move] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    left_alone: list[str] = field(default_factory=list)
    notes: int = 0  # requirement notes rewritten for the new requirement
    new_notes: int = 0  # requirement notes written into new folders
    config: bool = False  # cwa.yaml names the new rubric
    rubric_copy: str | None = None  # "write" or "replace" of 测评体系.yaml
    dropped: list[str] = field(default_factory=list)  # cwa.yaml answers commented out
    pairing: Pairing | None = None


# -- the mapping file ----------------------------------------------------------------------

def read_mapping(path: Path, old: Rubric, new: Rubric) -> dict[str, str | None]:
    """A mapping file: YAML (``"1.3": "2.1"``, ``思想政治工作: 待归类``) or CSV (two
    columns, 旧 and 新, a header row allowed). Each side by code or by name."""
    shown = str(path)
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        text = read_text(path, shown).text
        try:
            rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
        except csv.Error as exc:  # a field over the csv module's limit, a stray NUL…
            raise CwaError("migrate.map_unreadable", path=shown, error=str(exc)[:200]) from None
        pairs = [(r[0].strip(), r[1].strip() if len(r) > 1 else "") for r in rows]
        if pairs and _find(old, pairs[0][0]) is None and pairs[0][0] in ("旧", "old", "旧指标",
                                                                           "旧版", "from"):
            pairs = pairs[1:]
    else:
        reader = Reader(shown)
        root = compose(path, shown, reader.problems)
        reader.raise_if_errors()
        entries = reader.pairs(root, "") if root is not None else []
        reader.raise_if_errors()
        pairs = [(str(k.value).strip(), str(v.value).strip() if isinstance(
            v, yaml.ScalarNode) else "") for k, v in entries or []]
    out: dict[str, str | None] = {}
    for before, after in pairs:
        found = _find(old, before)
        if found is None:
            raise CwaError("migrate.map_unknown_old", path=shown, value=before)
        if after.lower() in HOLD_WORDS or not after:
            out[found.code] = None
            continue
        target = _find(new, after)
        if target is None:
            raise CwaError("migrate.map_unknown_new", path=shown, value=after)
        out[found.code] = target.code
    return out


def _find(rubric: Rubric, ref: str) -> Indicator | None:
    """An indicator by its code, else by its name (when one has it)."""
    ref = naming.nfc(ref.strip())
    for indicator in rubric.walk():
        if indicator.code == ref:
            return indicator
    folded = naming.fold(naming.parse(ref).title)
    named = [i for i in rubric.walk() if naming.fold(i.wording) == folded
             or naming.fold(i.name) == folded]
    return named[0] if len(named) == 1 else None


# -- the plan ------------------------------------------------------------------------------

class _V:
    """An entry of the archive as it will be after the steps so far (a virtual tree)."""

    __slots__ = ("children", "is_dir", "name", "parent")

    def __init__(self, name: str, parent: _V | None, is_dir: bool) -> None:
        self.name = name
        self.parent = parent
        self.is_dir = is_dir
        self.children: dict[str, _V] = {}
        if parent is not None:
            parent.children[key(name)] = self

    @property
    def rel(self) -> str:
        parts = []
        node: _V | None = self
        while node is not None and node.parent is not None:
            parts.append(node.name)
            node = node.parent
        return "/".join(reversed(parts))

    def get(self, name: str) -> _V | None:
        return self.children.get(key(name))

    def move(self, parent: _V, name: str) -> None:
        assert self.parent is not None
        del self.parent.children[key(self.name)]
        self.parent, self.name = parent, name
        parent.children[key(name)] = self

    def inside(self, other: _V) -> bool:
        node: _V | None = self
        while node is not None:
            if node is other:
                return True
            node = node.parent
        return False


def _virtual(entry: Entry, parent: _V | None, by_rel: dict[str, _V]) -> _V:
    node = _V(entry.name, parent, entry.is_dir)
    by_rel[entry.rel] = node
    for child in entry.children:
        _virtual(child, node, by_rel)
    return node


class _Planner:
    def __init__(self, archive: Path, old: Rubric, new: Rubric, options: Naming,
                 paired: Pairing, layout: Layout) -> None:
        self.archive = archive
        self.old, self.new, self.options = old, new, options
        self.paired = paired
        self.layout = layout
        self.plan = MigratePlan(pairing=paired)
        self.by_rel: dict[str, _V] = {}
        self.root = _virtual(layout.root, None, self.by_rel)
        self.root.name = ""
        self.folder_of: dict[int, Placement] = {id(p.indicator): p for p in layout.walk()
                                                 if p.folder is not None}
        self.vnode: dict[int, _V] = {id(p.indicator): self.by_rel[p.folder.rel]
                                     for p in layout.walk() if p.folder is not None}
        self.placed: set[int] = set()  # old indicators whose folder has its place
        self.moving = {id(v) for v in self.vnode.values()}  # folders that may move
        self.token = secrets.token_hex(3)
        self.groups: dict[int, int] = {}  # id(vnode) stepped aside → its group
        self.reused: set[int] = set()  # folders of no old indicator, used for new ones
        self.notes = any(self.by_rel.get(f"{p.rel}/{kinds.NOTE_FILE}") is not None
                         for p in layout.walk() if p.folder is not None)

    def run(self) -> MigratePlan:
        olds_of: dict[int, list[Indicator]] = {}
        for p in sorted(self.paired.pairs, key=lambda p: p.how == pairing.MAPPED):
            olds_of.setdefault(id(p.new.indicator), []).append(p.old.indicator)
        self.hows = {id(p.old.indicator): p.how for p in self.paired.pairs}
        self._place(self.new.indicators, self.root, olds_of)
        self._hold()
        self._left_alone()
        return self.plan

    # -- placing the new tree ------------------------------------------------------------
    def _place(self, indicators: tuple[Indicator, ...], parent: _V,
               olds_of: dict[int, list[Indicator]]) -> None:
        for position, indicator in enumerate(indicators, start=1):
            name = expected_name(position, indicator, len(indicators), self.options)
            olds = [o for o in olds_of.get(id(indicator), []) if id(o) in self.vnode]
            here = self._put(indicator, olds[0] if olds else None, parent, name)
            if here is None:
                continue
            for extra in olds[1:]:
                self._merge(extra, indicator, here)
            self._place(indicator.children, here, olds_of)

    def _put(self, indicator: Indicator, old: Indicator | None, parent: _V, name: str
             ) -> _V | None:
        """Put ``old``'s folder — or, for a new indicator, a folder of its name already
        there, or a new one — at ``parent/name``; the folder, or None when there is none."""
        source = self.vnode.get(id(old)) if old is not None else None
        own = source is None and (source := self._reusable(parent, indicator)) is not None
        if own:
            assert source is not None
            self.reused.add(id(source))
        occupant = parent.get(name)
        if source is not None and occupant is source and source.name == name:
            if old is not None:
                self.placed.add(id(old))
                self._note(old, indicator, source)
            else:
                self.plan.moves.append(Move("reuse", source.rel, source.rel, new=indicator))
            return source
        if occupant is not None and occupant is not source:
            if id(occupant) in self.moving and occupant.is_dir and not self._is_placed(
                    occupant):
                self._step_aside(occupant)
            else:
                move = Move("move", source.rel if source else "", _join(parent.rel, name),
                            old, indicator)
                self.plan.refused.append(Refusal(move, "migrate.refused.exists",
                                                 occupant.rel))
                if old is not None:
                    self.placed.add(id(old))  # refused: it stays where it is
                return occupant if occupant.is_dir else source
        if source is None:
            rel = _join(parent.rel, name)
            self.plan.operations.append(Mkdir(rel))
            self.plan.moves.append(Move("mkdir", "", rel, None, indicator))
            node = _V(name, parent, True)
            if self.notes:
                self._write_note(indicator, node)
            return node
        before = self._original(old) if old is not None else source.rel
        self._rename(source, parent, name)
        if old is None:
            self.plan.moves.append(Move("reuse", before, source.rel, None, indicator))
            return source
        self.placed.add(id(old))
        kind = "rename" if source.parent is self._parent_of(old) else "move"
        self.plan.moves.append(Move(kind, before, source.rel, old, indicator,
                                    self.hows.get(id(old), "")))
        self._note(old, indicator, source)
        return source

    def _reusable(self, parent: _V, indicator: Indicator) -> _V | None:
        """A folder of the new indicator's name that matched no old indicator (made by
        hand, or left by an earlier run): used, as ``cwa init`` would use it."""
        wanted = (compare_key(indicator.wording), compare_key(indicator.name))
        for node in parent.children.values():
            if node.is_dir and id(node) not in self.moving and id(node) not in self.reused \
                    and not node.name.startswith(".") \
                    and compare_key(naming.parse(node.name).title) in wanted:
                return node
        return None

    def _parent_of(self, old: Indicator) -> _V | None:
        placement = self.folder_of[id(old)]
        assert placement.folder is not None
        parent_rel = placement.folder.rel.rpartition("/")[0]
        return self.by_rel.get(parent_rel) if parent_rel else self.root

    def _original(self, old: Indicator) -> str:
        placement = self.folder_of[id(old)]
        assert placement.folder is not None
        return placement.folder.rel

    def _is_placed(self, node: _V) -> bool:
        return any(self.vnode.get(i) is node for i in self.placed)

    def _rename(self, node: _V, parent: _V, name: str) -> None:
        group = self.groups.pop(id(node), 0)
        self.plan.operations.append(Rename(node.rel, _join(parent.rel, name), group,
                                           2 if group else 0))
        node.move(parent, name)

    def _step_aside(self, node: _V) -> None:
        """A folder that moves later stands on a name needed now: a temporary name in its
        place first (phase 1 of a group; its own move later is phase 2)."""
        group = len(self.plan.operations) + 1
        temporary = f".cwa-tmp-{self.token}-{group}"
        self.plan.operations.append(Rename(node.rel, _join(node.parent.rel if node.parent
                                                           else "", temporary), group, 1))
        assert node.parent is not None
        node.move(node.parent, temporary)
        self.groups[id(node)] = group

    def _merge(self, extra: Indicator, indicator: Indicator, into: _V) -> None:
        """A second old folder mapped onto one new indicator: inside its folder."""
        source = self.vnode[id(extra)]
        before = self._original(extra)
        name = _free(into, self.folder_of[id(extra)].folder.name  # type: ignore[union-attr]
                     if self.folder_of[id(extra)].folder else source.name)
        self._rename(source, into, name)
        self.placed.add(id(extra))
        self.plan.moves.append(Move("merge", before, source.rel, extra, indicator))

    # -- what the new edition does not have ----------------------------------------------
    def _hold(self) -> None:
        holding: _V | None = None
        held: list[_V] = []
        for placement in self.layout.walk():
            old = placement.indicator
            if placement.folder is None or id(old) in self.placed:
                continue
            if any(self.vnode[id(old)].inside(h) for h in held):
                continue  # it went with its parent
            held.append(self.vnode[id(old)])
            if holding is None:
                holding = self._holding()
            parent = holding
            for part in placement.folder.rel.split("/")[:-1]:
                found = parent.get(part)
                if found is None or not found.is_dir:
                    rel = _join(parent.rel, part if found is None else _free(parent, part))
                    self.plan.operations.append(Mkdir(rel))
                    found = _V(rel.rpartition("/")[2], parent, True)
                parent = found
            source = self.vnode[id(old)]
            name = _free(parent, placement.folder.name)
            before = placement.folder.rel
            self._rename(source, parent, name)
            self.plan.moves.append(Move("hold", before, source.rel, old, None))

    def _holding(self) -> _V:
        name = holding_name(self.options)
        found = self.root.get(name)
        if found is not None and found.is_dir:
            return found
        if found is not None:
            name = _free(self.root, name)
        self.plan.operations.append(Mkdir(name))
        return _V(name, self.root, True)

    def _left_alone(self) -> None:
        matched = {id(self.by_rel[p.folder.rel]) for p in self.layout.walk()
                   if p.folder is not None}
        for placement in [None, *self.layout.walk()]:
            folder = self.layout.root if placement is None else placement.folder
            if folder is None or (placement is not None and not placement.indicator.children):
                continue
            for child in folder.children:
                node = self.by_rel.get(child.rel)
                if child.is_dir and node is not None and id(node) not in matched \
                        and id(node) not in self.reused and not child.name.startswith("."):
                    self.plan.left_alone.append(child.rel)

    # -- requirement notes ---------------------------------------------------------------
    def _note(self, old: Indicator, new: Indicator, folder: _V) -> None:
        """The note cwa wrote for the old requirement, unedited: the new requirement."""
        note = folder.get(kinds.NOTE_FILE)
        if note is None or note.is_dir:
            return
        placement = self.folder_of[id(old)]
        assert placement.folder is not None
        path = self.archive / placement.folder.rel / kinds.NOTE_FILE
        try:
            data = read_bytes(path, str(path), 1 << 20)
        except CwaError:
            return
        lang = _written_in(data, old)
        if lang is None:
            return  # edited by hand, or not cwa's: left as it is
        text = _in_language(lang, lambda: note_text(new))
        content = text.encode("utf-8")
        if content != data:
            rel = _join(folder.rel, kinds.NOTE_FILE)
            self.plan.operations.append(Replace(rel, content, journal.digest(data)))
            self.plan.notes += 1

    def _write_note(self, indicator: Indicator, folder: _V) -> None:
        self.plan.operations.append(WriteFile(_join(folder.rel, kinds.NOTE_FILE),
                                              note_text(indicator)))
        _V(kinds.NOTE_FILE, folder, False)
        self.plan.new_notes += 1


def _written_in(data: bytes, old: Indicator) -> str | None:
    for lang in ("zh", "en"):
        if _in_language(lang, lambda: note_text(old)).encode("utf-8") == data:
            return lang
    return None


def _in_language(lang: str, make: Callable[[], str]) -> str:
    current = messages.current()
    messages.set_lang(lang)
    try:
        return str(make())
    finally:
        messages.set_lang(current)


def _free(parent: _V, name: str) -> str:
    """``name``, or ``name（2）``… when the folder already holds it."""
    if parent.get(name) is None:
        return name
    for n in range(2, 1000):
        candidate = f"{name}（{n}）"
        if parent.get(candidate) is None:
            return candidate
    raise CwaError("migrate.no_free_name", name=name)


def _join(parent: str, name: str) -> str:
    return f"{parent}/{name}" if parent else name


# -- ambiguity -----------------------------------------------------------------------------

def ambiguities(paired: Pairing, layout: Layout) -> list[Ambiguity]:
    folders = {id(p.indicator): p.folder for p in layout.walk() if p.folder is not None}
    out = []
    for p in paired.pairs:
        if p.how == pairing.SAME_CODE:
            folder = folders.get(id(p.old.indicator))
            out.append(Ambiguity(p.old, "same_code", ((p.new, p.score),),
                                 folder.rel if folder else None))
    for old in paired.removed:
        folder = folders.get(id(old.indicator))
        if old.code in paired.ties:
            out.append(Ambiguity(old, "tie", tuple(paired.ties[old.code]),
                                 folder.rel if folder else None))
        elif old.code in paired.candidates and folder is not None and _holds_files(folder):
            out.append(Ambiguity(old, "candidates", tuple(paired.candidates[old.code]),
                                 folder.rel))
    return out


def _holds_files(folder: Entry) -> bool:
    for child in folder.children:
        if child.is_dir:
            if _holds_files(child):
                return True
        elif child.name != kinds.NOTE_FILE and not kinds.is_junk(child.name):
            return True
    return False


def without(paired: Pairing, unsure: list[Ambiguity]) -> Pairing:
    """The pairing with the pairs a clerk must confirm taken out (their old folders go to
    holding until then; their new indicators get new folders)."""
    drop = {id(a.old.indicator) for a in unsure if a.why == "same_code"}
    kept = [p for p in paired.pairs if id(p.old.indicator) not in drop]
    gone = [p for p in paired.pairs if id(p.old.indicator) in drop]
    return Pairing(kept, [*paired.removed, *(p.old for p in gone)],
                   [*paired.added, *(p.new for p in gone)], paired.held,
                   paired.candidates, paired.ties)


# -- the whole ------------------------------------------------------------------------------

def plan_migrate(archive: Path, old: Rubric, new: Rubric, new_ref: str,
                 options: Naming, mapping: dict[str, str | None] | None = None
                 ) -> MigratePlan:
    layout = match(old, scan(archive).tree, options)
    paired = pairing.pair(old, new, mapping)
    unsure = ambiguities(paired, layout)
    planner = _Planner(archive, old, new, options, without(paired, unsure), layout)
    plan = planner.run()
    plan.pairing = paired
    plan.ambiguous = unsure
    plan.operations += _settings(archive, new_ref, new, plan)
    return plan


def _settings(archive: Path, new_ref: str, new: Rubric, plan: MigratePlan
              ) -> list[Operation]:
    """cwa.yaml names the new rubric; a rubric file of one's own is copied in (over the
    old copy, whose bytes the journal keeps)."""
    ops: list[Operation] = []
    ref = new_ref
    if not bundled.is_bundled(new_ref):
        path, _ = bundled.resolve(new_ref)
        inside = config._relative(path, archive)
        if inside is not None:
            ref = inside
        else:
            text = read_text(path, new_ref).text
            copy = archive / config.RUBRIC_FILENAME
            ref = config.RUBRIC_FILENAME
            if not copy.exists():
                ops.append(WriteFile(config.RUBRIC_FILENAME, text))
                plan.rubric_copy = "write"
            elif copy.is_file():
                before = copy.read_bytes()
                if before != text.encode("utf-8"):
                    ops.append(Replace(config.RUBRIC_FILENAME, text.encode("utf-8"),
                                       journal.digest(before)))
                    plan.rubric_copy = "replace"
            else:
                raise CwaError("error.embed_exists", path=str(copy), rubric=new_ref)
    path = archive / config.FILENAME
    before_bytes = path.read_bytes()
    text, plan.dropped = config_with(archive, ref, new)
    if text.encode("utf-8") != before_bytes:
        ops.append(Replace(config.FILENAME, text.encode("utf-8"), journal.digest(before_bytes)))
        plan.config = config.read(archive)[0].rubric != ref
    return ops


def config_with(archive: Path, ref: str, new: Rubric) -> tuple[str, list[str]]:
    """cwa.yaml's text naming ``ref`` as its rubric, its comments and layout kept; answers
    the new edition cannot take (a 一票否决 code it does not have, a unit type it does not
    know) commented out, and returned."""
    path = archive / config.FILENAME
    text = read_text(path, str(path)).text
    root = compose(path, str(path))
    assert isinstance(root, yaml.MappingNode)
    entries = {str(k.value): (k, v) for k, v in root.value}
    value = entries["rubric"][1]
    edits: list[tuple[int, int, str]] = [(value.start_mark.index, value.end_mark.index,
                                          config._quote(ref))]
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    dropped: list[str] = []

    def comment_out(first: yaml.Node, last: yaml.Node) -> None:
        end = last.end_mark.line - (1 if last.end_mark.column == 0 else 0)
        for line in range(first.start_mark.line, min(end, len(starts) - 1) + 1):
            edits.append((starts[line], starts[line], "# "))

    if "vetoes" in entries and isinstance(entries["vetoes"][1], yaml.MappingNode):
        key_node, answers = entries["vetoes"]
        codes = {v.code for v in new.vetoes}
        gone = [(k, v) for k, v in answers.value if str(k.value) not in codes]
        kept = [(k, v) for k, v in answers.value if str(k.value) in codes]
        dropped += [t("migrate.dropped_veto", code=str(k.value)) for k, _ in gone]
        if gone and not kept:
            comment_out(key_node, answers)
        elif gone and answers.flow_style:
            edits.append((answers.start_mark.index, answers.end_mark.index, "{" + ", ".join(
                f"{config._quote(str(k.value))}: {v.value}" for k, v in kept) + "}"))
        else:
            for k, v in gone:
                comment_out(k, v)
    if "unit_type" in entries and new.unit_types:
        key_node, values = entries["unit_type"]
        said = [str(n.value) for n in (values.value if isinstance(values, yaml.SequenceNode)
                                       else [values])]
        if any(v not in new.unit_types for v in said):
            comment_out(key_node, values)
            dropped.append(t("migrate.dropped_unit_type", value="、".join(said)))
    for start, end, replacement in sorted(edits, key=lambda e: (-e[0], -e[1])):
        text = text[:start] + replacement + text[end:]
    return text, dropped
