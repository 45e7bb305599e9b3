"""The naming convention within one folder: ``NN：主题``, numbers 01…N without gaps.

连续编号无漏号 (DA/T 70): numbers run from 1 without gaps or repeats.
"""

from __future__ import annotations

from collections import defaultdict

from cwa import naming, wording
from cwa.findings import Finding
from cwa.match import Placement
from cwa.rubric.model import Naming
from cwa.scan import Entry

#: An entry of a folder inside an indicator, its parsed name and its extension.
Named = tuple[Entry, naming.ParsedName, str]


def documents(folder: Entry, entries: list[Named], indicator: str, options: Naming,
              out: list[Finding]) -> None:
    """Documents (files and sub-folders) of one folder inside an indicator."""
    width = max(options.width, naming.width_for(len(entries)))
    if width > 3:  # a folder of 1,000 or more: 1000：… is a serial number here
        entries = [(e, naming.parse(e.stem, width), x) if p.number is None else (e, p, x)
                   for e, p, x in entries]
    numbered: dict[int, list[str]] = defaultdict(list)
    separator, conforms = options.separator, naming.conforms
    for entry, parsed, ext in entries:  # every document of the archive comes through here
        number = parsed.number
        if number is None:
            out.append(Finding("NM001", entry.rel, indicator,
                               {"name": entry.name, "sep": separator}))
            continue
        numbered[number].append(entry.name)
        if not conforms(parsed, separator, width):  # the rule cwa fix follows too
            fixed = naming.format_name(number, parsed.title, separator, width) + ext
            out.append(Finding("NM002", entry.rel, indicator,
                               {"name": entry.name, "fixed": fixed}))
    _sequence(folder, numbered, indicator, out)


def _sequence(folder: Entry, numbered: dict[int, list[str]], indicator: str,
              out: list[Finding]) -> None:
    if not numbered:
        return
    present = {n for n in numbered if n > 0}
    top = max(present, default=0)
    if len(present) < top:  # 1…top, each once, is the common case: nothing to sort
        missing = sorted(set(range(1, top + 1)) - present)
        out.append(Finding("NM003", folder.rel, indicator, {
            "missing": missing, "numbers": wording.listing(f"{n:02d}" for n in missing)}))
    if len(numbered) < sum(len(names) for names in numbered.values()):
        for number, names in sorted(numbered.items()):
            if len(names) > 1:
                out.append(Finding("NM004", folder.rel, indicator, {
                    "number": f"{number:02d}", "names": names}))


def indicator_folder(placement: Placement, options: Naming, out: list[Finding]) -> None:
    """A matched indicator folder against the name the rubric gives it."""
    folder, parsed, indicator = placement.folder, placement.parsed, placement.indicator
    if folder is None or parsed is None or folder.nfc_name == placement.expected:
        return
    code = indicator.code
    args = {"name": folder.name, "expected": placement.expected}
    if parsed.number is None:
        out.append(Finding("NM001", folder.rel, code, {**args, "sep": options.separator}))
    else:
        if parsed.number != placement.position:
            out.append(Finding("NM006", folder.rel, code,
                               {**args, "number": parsed.number,
                                "position": placement.position}))
        elif naming.fold(parsed.title) == naming.fold(indicator.name):
            out.append(Finding("NM002", folder.rel, code, {**args, "fixed":
                                                          placement.expected}))
    if naming.fold(parsed.title) not in (naming.fold(indicator.name),
                                         naming.fold(indicator.wording)):
        out.append(Finding("NM005", folder.rel, code, {**args, "wording": indicator.wording}))
