"""Which files a manifest covers: every evidence file, and the rules that left others out.

Left out, by rule (the manifest's header lists each with its count): lock and system
files (``kinds.is_junk``), cwa's own files (``cwa.yaml`` at the top, the ``_归档要求.txt``
notes, and at the top of an unpacked hand-over package its manifest, report and
catalogue), links and special files (never followed), and what could not be read. The
folders of tools (``.cwa``, ``.git``, ``.svn``, ``.hg``) are not read at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cwa import config, kinds
from cwa.scan import SKIPPED_DIRS, Entry, ScanProblem, scan

#: The rules, in the order a header lists them.
RULES = ("junk", "own", "links", "unreadable")
#: What a hand-over package holds beside the evidence, at its top level (``cwa export``).
REPORT_NAME = "检查报告.html"
CATALOG_NAME = "归档文件目录.xlsx"
PACKAGE_FILES = frozenset({REPORT_NAME, CATALOG_NAME, *config.OWN_FILES})


@dataclass
class Selection:
    files: list[Entry] = field(default_factory=list)  # in manifest order
    others: list[Entry] = field(default_factory=list)  # regular files left out by a rule
    left_out: dict[str, list[str]] = field(default_factory=lambda: {r: [] for r in RULES})
    problems: list[ScanProblem] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(e.size for e in self.files)


def select(root: Path, top_own: frozenset[str] = frozenset()) -> Selection:
    """The files of ``root`` a manifest covers. ``top_own``: more names that are cwa's
    own at the top level (a package's manifest, report and catalogue)."""
    snapshot = scan(root)
    chosen = Selection(problems=list(snapshot.problems))
    chosen.left_out["unreadable"] = [p.rel for p in snapshot.problems]
    own_at_top = top_own | config.OWN_FILES  # cwa.yaml and the rubric the archive carries
    stack = [snapshot.tree]
    while stack:
        folder = stack.pop()
        for entry in folder.children:
            if entry.kind == "dir":
                stack.append(entry)
                continue
            rule = rule_for(entry, own_at_top if folder is snapshot.tree else frozenset())
            if rule is None:
                chosen.files.append(entry)
            else:
                chosen.left_out[rule].append(entry.rel)
                if entry.kind == "file":
                    chosen.others.append(entry)
    chosen.files.sort(key=lambda e: e.rel)
    for rels in chosen.left_out.values():
        rels.sort()
    return chosen


def rule_for(entry: Entry, own: frozenset[str]) -> str | None:
    """The rule that leaves ``entry`` out of a manifest, or None when it is covered."""
    if entry.kind != "file":
        return "links"
    if kinds.is_junk(entry.name):
        return "junk"
    if entry.name == kinds.NOTE_FILE or entry.name in own or entry.name in SKIPPED_DIRS:
        return "own"  # (a file named .cwa or .git is a tool's, like the folders)
    return None


TOOL_DIRS = tuple(sorted(SKIPPED_DIRS))
