"""``cwa fix`` as data: the renames and folders that bring an archive to the convention.

Nothing here touches the disk except reading it. The plan is checked as a whole before
``apply`` runs its first step: a change whose target exists, two changes to one target
(compared as Windows and macOS compare names: case- and normalisation-insensitive), a
target name Windows cannot use, or a path that would grow past 260 characters is refused
and reported; nothing is ever overwritten.
"""

from __future__ import annotations

import os
import unicodedata
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from cwa import kinds, naming
from cwa.match import Layout, Placement
from cwa.plan import Mkdir, Operation, Rename
from cwa.printable import repaired, undecodable
from cwa.rubric.model import Naming
from cwa.scan import Entry


@dataclass(frozen=True)
class Change:
    """One change as the user sees it: ``old → new`` and why."""

    rel: str  # the current path ("" parent for top level)
    to: str  # the new path of the same entry (its parent as it is when the step runs)
    reasons: tuple[str, ...]  # message keys, "fix.why.*"
    kind: str = "rename"  # "rename" | "mkdir"


@dataclass(frozen=True)
class Refusal:
    change: Change
    reason: str  # message key, "fix.refused.*"
    other: str = ""  # the path it collides with, when there is one


@dataclass
class FixPlan:
    changes: list[Change] = field(default_factory=list)  # accepted, in display order
    refused: list[Refusal] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)


def key(name: str) -> str:
    """How Windows and macOS compare names: NFC and case-insensitive."""
    if unicodedata.is_normalized("NFC", name):
        return name.casefold()
    return unicodedata.normalize("NFC", name).casefold()


def plan_fix(archive: Path, layout: Layout, options: Naming, prefix: int) -> FixPlan:
    """The plan for ``archive`` whose scan and match are ``layout``.

    ``prefix`` is the length of the path before the archive's relative paths (see
    ``naming.path_prefix``), for the 260-character limit.
    """
    groups: dict[str, list[Change]] = defaultdict(list)  # parent rel → renames of children
    folders: dict[str, Entry] = {"": layout.root}
    missing: list[tuple[Placement, str]] = []  # (placement, parent's current rel)
    _indicators(layout.placements, layout.root, groups, folders, missing, options,
                str(archive))
    placed = {p.folder.rel: p.indicator.is_leaf for p in layout.walk() if p.folder is not None}
    leaves = {rel for rel, is_leaf in placed.items() if is_leaf}
    _elsewhere(layout.root, groups, folders, leaves, placed)
    plan = FixPlan()
    token = os.urandom(3).hex()  # the plan's temporary names are its own
    accepted: dict[str, list[Change]] = {}
    for parent_rel in sorted(groups, key=lambda r: (-_depth(r), r)):
        ok, keys = _vet(folders[parent_rel], groups[parent_rel], prefix, plan.refused)
        accepted[parent_rel] = ok
        plan.operations += _operations(parent_rel, ok, keys, token, len(plan.operations))
    moved = {c.rel: c.to for changes in accepted.values() for c in changes}
    for placement, parent_rel in missing:
        _mkdir(archive, placement, _rebuild(parent_rel, moved), prefix, plan)
    plan.changes = sorted((c for cs in accepted.values() for c in cs),
                          key=lambda c: c.rel) + [c for c in plan.changes if c.kind == "mkdir"]
    return plan


def _depth(rel: str) -> int:
    return rel.count("/") + 1 if rel else 0


def _join(parent: str, name: str) -> str:
    return f"{parent}/{name}" if parent else name


def _rebuild(rel: str, moved: dict[str, str]) -> str:
    """Where ``rel`` will be once every accepted rename (``moved``: old → new) has run."""
    if not rel:
        return ""
    parent, _, name = rel.rpartition("/")
    new_parent = _rebuild(parent, moved)
    renamed = moved.get(rel)
    new_name = renamed.rpartition("/")[2] if renamed else name
    return _join(new_parent, new_name)


# -- what should change -------------------------------------------------------------------

def _indicators(placements: list[Placement], parent: Entry, groups: dict[str, list[Change]],
                folders: dict[str, Entry], missing: list[tuple[Placement, str]],
                options: Naming, root: str) -> None:
    for placement in placements:
        folder = placement.folder
        if folder is None:
            missing.append((placement, parent.rel))
            continue
        folders[folder.rel] = folder
        if folder.name != placement.expected:
            reasons = _folder_reasons(placement)
            groups[parent.rel].append(
                Change(folder.rel, _join(parent.rel, placement.expected), reasons))
        if placement.indicator.is_leaf:
            _documents(folder, groups, folders, options, root)
        else:
            _indicators(placement.children, folder, groups, folders, missing, options, root)


def _elsewhere(folder: Entry, groups: dict[str, list[Change]], folders: dict[str, Entry],
               leaves: set[str], placed: Collection[str]) -> None:
    """Names that are not UTF-8 outside the leaf indicators' folders — at the archive's
    top level, in a folder that matches no indicator, beside sub-indicators' folders —
    given their GB18030 reading, as names inside them are (WN004 is found everywhere)."""
    for child in folder.children:
        if child.kind not in ("file", "dir") or child.rel in leaves:
            continue  # a leaf's folder: its names are renumbered with its documents
        if child.rel not in placed and undecodable(child.name):
            groups[folder.rel].append(Change(child.rel, _join(folder.rel, repaired(child.name)),
                                             ("fix.why.encoding",)))
        if child.kind == "dir":
            folders[child.rel] = child
            _elsewhere(child, groups, folders, leaves, placed)


def _folder_reasons(placement: Placement) -> tuple[str, ...]:
    parsed, folder, indicator = placement.parsed, placement.folder, placement.indicator
    assert parsed is not None and folder is not None
    reasons = []
    if parsed.number is None:
        reasons.append("fix.why.unnumbered")
    elif parsed.number != placement.position:
        reasons.append("fix.why.number")
    if naming.fold(parsed.title) != naming.fold(indicator.name):
        reasons.append("fix.why.wording")
    if folder.name != folder.nfc_name:
        reasons.append("fix.why.nfc")
    if undecodable(folder.name):
        reasons.append("fix.why.encoding")
    return tuple(reasons) or ("fix.why.format",)  # separator, width, spaces, full width


def _documents(folder: Entry, groups: dict[str, list[Change]], folders: dict[str, Entry],
               options: Naming, root: str) -> None:
    """Renumber one folder inside a leaf indicator, and the folders below it."""
    numbered: list[tuple[Entry, naming.ParsedName]] = []
    images = {c.nfc_name.casefold() for c in folder.children if c.ext in kinds.IMAGE}
    sidecars: dict[str, Entry] = {}  # a photo's caption .txt moves with the photo
    for child in folder.children:
        if (child.kind not in ("file", "dir") or kinds.is_junk(child.name)
                or child.name == kinds.NOTE_FILE or child.name.startswith(".")):
            continue
        if images and kinds.is_sidecar(child, images):
            sidecars[child.stem.casefold()] = child
            continue
        if child.kind == "dir":
            folders[child.rel] = child
            _documents(child, groups, folders, options, root)
            if naming.year_folder(child.name) is not None:
                continue  # year folders keep their names; their contents are numbered
        numbered.append((child, naming.parse(repaired(child.stem))))
    width = max(options.width, naming.width_for(len(numbered)))
    if width > 3:  # a folder of 1,000 or more: 1000：… is a serial number here
        numbered = [(e, naming.parse(repaired(e.stem), width)) if p.number is None else (e, p)
                    for e, p in numbered]
    numbered = _in_order(numbered, root)
    changes = groups[folder.rel]
    here = f"{folder.rel}/" if folder.rel else ""
    sanitize, separator, image = naming.sanitize, options.separator, kinds.IMAGE
    for number, (entry, parsed) in enumerate(numbered, start=1):
        title = sanitize(parsed.title) or parsed.title
        ext = repaired(entry.name[len(entry.name) - len(entry.ext):]) if entry.ext else ""
        name = naming.format_name(number, title, separator, width) + ext
        if name != entry.name:
            reasons = _document_reasons(entry, parsed, number, title, options, width)
            changes.append(Change(entry.rel, here + name, reasons))
            sidecar = sidecars.get(entry.stem.casefold()) if entry.ext in image else None
            if sidecar is not None:
                caption = name[: len(name) - len(ext)] + sidecar.name[-len(sidecar.ext):]
                changes.append(Change(sidecar.rel, here + caption, ("fix.why.caption",)))
    if not changes:
        del groups[folder.rel]  # nothing renamed here: no empty group to vet


def _in_order(numbered: list[tuple[Entry, naming.ParsedName]], root: str
              ) -> list[tuple[Entry, naming.ParsedName]]:
    """``numbered`` in the order their numbers are given: an existing number first, then
    the name in natural order; names that sort as one (``会议01`` and ``会议1``) by
    modification time, older first — read for them only (the plan's scan reads names)."""
    natural = naming.natural_key
    keys: list[list[str | int]] = []
    for entry, parsed in numbered:
        key_ = natural(entry.nfc_name)  # a new list: the two leading fields go in front
        key_[0:0] = (0, parsed.number) if parsed.number is not None else (1, 0)
        keys.append(key_)
    order = sorted(range(len(numbered)), key=keys.__getitem__)
    out: list[tuple[Entry, naming.ParsedName]] = []
    start = 0
    for end in range(1, len(order) + 1):
        if end < len(order) and keys[order[end]] == keys[order[start]]:
            continue
        run = [numbered[index] for index in order[start:end]]
        if len(run) > 1:
            run.sort(key=lambda item: _mtime(root, item[0]))
        out += run
        start = end
    return out


def _mtime(root: str, entry: Entry) -> int:
    if entry.mtime_ns:
        return entry.mtime_ns
    try:
        return os.lstat(root + os.sep + entry.rel.replace("/", os.sep)).st_mtime_ns
    except OSError:
        return 0


def _document_reasons(entry: Entry, parsed: naming.ParsedName, number: int, title: str,
                      options: Naming, width: int) -> tuple[str, ...]:
    reasons = []
    if parsed.number is None:
        reasons.append("fix.why.unnumbered")
    elif parsed.number != number:
        reasons.append("fix.why.renumber")
    elif not naming.conforms(parsed, options.separator, width):
        reasons.append("fix.why.format")
    if title != parsed.title:
        reasons.append("fix.why.unsafe")
    if undecodable(entry.name):
        reasons.append("fix.why.encoding")
    if entry.name != entry.nfc_name:
        reasons.append("fix.why.nfc")
    return tuple(reasons) or ("fix.why.format",)


# -- is it safe ---------------------------------------------------------------------------

def _vet(folder: Entry, changes: list[Change], prefix: int, refused: list[Refusal]
         ) -> tuple[list[Change], dict[int, tuple[str, str]]]:
    """The changes of one folder's entries that are safe, the rest going to ``refused``;
    and for each safe one (by ``id``), its source's and its target's name as compared
    (``key``)."""
    active: list[Change] = []
    for change in changes:
        name = change.to.rpartition("/")[2]
        if naming.windows_problems(name):
            refused.append(Refusal(change, "fix.refused.windows"))
        elif naming.too_many_bytes(name):
            refused.append(Refusal(change, "fix.refused.name_bytes"))
        elif prefix + len(change.to) > naming.MAX_PATH and len(change.to) > len(change.rel):
            refused.append(Refusal(change, "fix.refused.too_long"))
        else:
            active.append(change)
    target = {id(c): key(c.to.rpartition("/")[2]) for c in active}  # each computed once
    by_target: dict[str, list[Change]] = defaultdict(list)
    for change in active:
        by_target[target[id(change)]].append(change)
    same_target = {id(c) for same in by_target.values() if len(same) > 1 for c in same}
    for same in by_target.values():
        if len(same) > 1:  # two sources, one target: refuse them all
            for change in same:
                others = [c.rel for c in same if c is not change]
                refused.append(Refusal(change, "fix.refused.same_target", others[0]))
    active = [c for c in active if id(c) not in same_target]
    names = {c.rel: key(c.name) for c in folder.children}
    while True:  # a target taken by an entry that stays where it is
        moving = {change.rel for change in active}
        staying = {name: rel for rel, name in names.items() if rel not in moving}
        blocked = [(c, staying[target[id(c)]]) for c in active
                   if staying.get(target[id(c)], c.rel) != c.rel]
        if not blocked:
            return active, {id(c): (names.get(c.rel) or key(c.rel.rpartition("/")[2]),
                                    target[id(c)]) for c in active}
        gone = {id(c) for c, _ in blocked}
        for change, other in blocked:
            refused.append(Refusal(change, "fix.refused.exists", other))
        active = [c for c in active if id(c) not in gone]


def _operations(parent_rel: str, changes: list[Change], keys: dict[int, tuple[str, str]],
                token: str, start: int) -> list[Operation]:
    """Direct renames, or through temporary names when a target is another's source."""
    pairs = [keys[id(c)] for c in changes]
    sources: dict[str, int] = {}  # a name as compared → how many changes move it away
    for source, _ in pairs:
        sources[source] = sources.get(source, 0) + 1
    # a target that is another change's source (``01：café`` spelt NFD and NFC are one
    # name compared, two on disk: one moving onto the other's name is still a chain)
    chained = any(sources.get(target, 0) > (target == source) for source, target in pairs)
    ops: list[Operation] = []
    if not chained:
        ops += [Rename(c.rel, c.to) for c in changes]
        return ops
    group = start + 1
    temps = [_join(parent_rel, f".cwa-tmp-{token}-{i}") for i in range(len(changes))]
    ops += [Rename(c.rel, tmp, group, 1) for c, tmp in zip(changes, temps, strict=True)]
    ops += [Rename(tmp, c.to, group, 2) for c, tmp in zip(changes, temps, strict=True)]
    return ops


def _mkdir(archive: Path, placement: Placement, parent_rel: str, prefix: int,
           plan: FixPlan) -> None:
    """A missing indicator folder and its sub-indicators, as ``init`` would make them."""
    rel = _join(parent_rel, placement.expected)
    change = Change("", rel, ("fix.why.missing",), "mkdir")
    if os.path.lexists(archive / rel):
        plan.refused.append(Refusal(change, "fix.refused.exists", rel))
        return
    if prefix + len(rel) > naming.MAX_PATH:
        plan.refused.append(Refusal(change, "fix.refused.too_long"))
        return
    if naming.too_many_bytes(placement.expected):
        plan.refused.append(Refusal(change, "fix.refused.name_bytes"))
        return
    plan.operations.append(Mkdir(rel))
    plan.changes.append(change)
    for child in placement.children:
        _mkdir(archive, child, rel, prefix, plan)

