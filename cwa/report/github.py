"""GitHub Actions: workflow-command annotations, within GitHub's per-step caps, and a
Markdown summary in $GITHUB_STEP_SUMMARY when it is set."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from cwa.errors import Problem
from cwa.messages import t
from cwa.printable import printable
from cwa.report import markdown
from cwa.report.model import Report

#: GitHub shows at most 10 error and 10 warning annotations of a step.
CAP = 10
COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def render(report: Report) -> str:
    lines: list[str] = []
    shown = {"error": 0, "warning": 0, "info": 0}
    hidden = {"error": 0, "warning": 0, "info": 0}
    for finding in report.findings:
        severity = finding.severity
        if shown[severity] >= CAP:
            hidden[severity] += 1
            continue
        shown[severity] += 1
        where = printable(f"{report.archive.rstrip('/')}/{finding.path}" if finding.path
                          else report.archive)
        lines.append(f"::{COMMAND[severity]} file={_property(where)},"
                     f"title={_property(finding.code + ' ' + t('rule.' + finding.code))}::"
                     f"{_data(finding.message)}")
    if hidden["error"] or hidden["warning"]:
        lines.append("::notice::" + _data(t("report.more_annotations",
                                             errors=hidden["error"],
                                             warnings=hidden["warning"])))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with Path(summary).open("a", encoding="utf-8") as fh:
            fh.write(markdown.render(report))
    return "\n".join(lines) + "\n"


def problems(found: Sequence[Problem]) -> str:
    """Warnings about a YAML file (rubric, cwa.yaml) as annotations on its line."""
    lines = []
    for problem in found:
        level = "error" if problem.severity == "error" else "warning"
        lines.append(f"::{level} file={_property(problem.file)},line={max(problem.line, 1)},"
                     f"title={_property(t('problem.' + problem.severity))}::"
                     f"{_data(problem.render())}")
    return "".join(line + "\n" for line in lines)


def _data(value: str) -> str:
    """A workflow command's data: a newline in it can never start another command."""
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")
