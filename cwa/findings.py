"""Findings: what a check found, with a stable code, a severity and where it is."""

from __future__ import annotations

from typing import Any, NamedTuple

from cwa.messages import fill

SEVERITIES = ("error", "warning", "info")
RANK = {"error": 3, "warning": 2, "info": 1}

#: Stable codes (machine outputs rely on them) and their severity.
CODES: dict[str, str] = {
    "EV001": "error",    # evidence item: fewer files than required
    "EV002": "error",    # per-year evidence item: a year without enough files
    "EV003": "error",    # indicator folder missing
    "EV004": "info",     # file in an indicator folder not attributed to any evidence item
    "NM001": "warning",  # name without a serial number
    "NM002": "warning",  # serial number / separator written another way
    "NM003": "warning",  # gap in the numbering
    "NM004": "warning",  # the same number twice
    "NM005": "warning",  # folder name differs from the rubric's wording
    "NM006": "warning",  # folder number differs from the indicator's position
    "NM007": "warning",  # file name without the date the rubric asks for (dated)
    "UX001": "warning",  # folder that matches no indicator
    "UX002": "warning",  # file where the rubric expects sub-folders
    "FL001": "error",    # empty (0-byte) file
    "FL002": "warning",  # lock or system file
    "FL003": "warning",  # link or shortcut: not evidence
    "FL004": "warning",  # unknown file format: not evidence
    "WN001": "error",    # name illegal on Windows
    "WN002": "warning",  # path longer than 260 characters
    "WN003": "warning",  # name stored decomposed (NFD)
    "WN004": "error",    # name that is not valid Unicode (bytes from a GBK zip)
    "WN005": "error",    # names that differ only in case or Unicode form: one on Windows
    "YR001": "info",     # year unknown
    "YR002": "warning",  # year outside the archive's years
    "SC001": "error",    # folder or file that cannot be read
    "FM001": "warning",  # old binary office format (.doc .xls .ppt .wps…)
    "FM002": "warning",  # HEIC/HEIF photo
    "FM003": "error",    # executable, script or macro document: not evidence
    # --deep
    "CT001": "error",    # does not open: damaged, truncated, unreadable
    "CT002": "warning",  # content does not match the extension
    "CT003": "error",    # encrypted or password-protected
    "CT004": "error",    # image too large to open safely (decompression bomb)
    "CT005": "error",    # probing timed out or crashed: damaged or hostile
    "CT006": "warning",  # document without content
    "CT007": "error",    # content is an executable program
    "PH001": "warning",  # photo without the caption the rubric asks for
    "PH002": "warning",  # image too small to be useful
    "PH003": "warning",  # caption lacks required elements, or is no caption (IMG_…, mojibake)
    "DU001": "warning",  # byte-identical to files elsewhere in the archive
    "DU002": "warning",  # near-identical photo (同一场景只归档一张)
    "WD001": "warning",  # .docx without its name in the footer
    "WD002": "warning",  # text longer than the rubric allows (max_chars)
    "WD003": "warning",  # formal document without a 文号 on its first page (formal)
    "YR003": "info",     # year known only from the modification time
    # issue 10: rubrics that hold a real 测评体系
    "EV005": "error",    # cadence item: months / quarters / halves without enough files
    "EV007": "warning",  # an activity's folder lacks part of its bundle
    "YR004": "warning",  # file outside its item's year window: does not count
    "AP001": "info",     # indicator for some unit types only; cwa.yaml says no unit_type
    "VT001": "warning",  # 一票否决 / 负面清单 item not answered in cwa.yaml
    "VT002": "error",    # 一票否决 item declared: the unit may not apply
    "VT003": "warning",  # 负面清单 item with a deduction declared
    # fixity: cwa verify (and FX001 in check --deep where a manifest exists)
    "FX001": "error",    # content differs from the manifest's digest
    "FX002": "error",    # listed in the manifest, missing
    "FX003": "warning",  # not in the manifest: added since
    "FX004": "warning",  # an added file with a missing one's content: renamed or moved
    "FX005": "error",    # cannot be read, so not verified
}


class Finding(NamedTuple):
    """A tuple, not a dataclass: a messy archive has one or more per file, made in the
    checks' inner loops and sent back from worker processes. ``args`` (the message's
    arguments and the JSON ``data``) is never changed once the finding is made."""

    code: str
    path: str  # relative to the archive, "/" separators; "" for the archive itself
    indicator: str | None = None  # the indicator's code
    args: dict[str, Any] = {}  # noqa: RUF012 - shared by findings without arguments, never changed

    @property
    def severity(self) -> str:
        return CODES[self.code]

    @property
    def message(self) -> str:
        return fill(KEYS[self.code][0], self.args)

    @property
    def hint(self) -> str:
        return fill(KEYS[self.code][1], self.args)


#: Each code's message and hint keys in the catalogue.
KEYS = {code: (f"finding.{code}", f"hint.{code}") for code in CODES}


def at_least(findings: list[Finding], level: str) -> list[Finding]:
    floor = RANK[level]
    return [f for f in findings if RANK[f.severity] >= floor]
