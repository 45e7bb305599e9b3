"""Errors a user can cause. One handler (``cwa.cli.guarded``) turns them into messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cwa.messages import t

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class CwaError(Exception):
    """A problem with the user's input: shown as a message, exit code 2."""

    exit_code = EXIT_USAGE
    prefixed = True  # shown after "错误："

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args

    def render(self) -> str:
        return t(self.key, **self.args_)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a YAML file, located by file, line and key path."""

    severity: str  # "error" | "warning"
    file: str
    line: int
    keypath: str
    key: str
    args: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        return t("problem.format", where=f"{self.file}:{max(self.line, 1)}",
                 label=t(f"problem.{self.severity}"),
                 path=t("problem.path", keypath=self.keypath) if self.keypath else "",
                 message=t(self.key, **self.args))


class InvalidFile(CwaError):
    """A rubric or cwa.yaml with errors; carries every problem found, not only the first."""

    prefixed = False  # every line names its file, line and severity

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("error.invalid_file")
        self.problems = list(problems)

    def render(self) -> str:
        return "\n".join(p.render() for p in self.problems)
