"""Progress bars for long work: on a terminal only, on stderr, gone when done; nothing
elsewhere. ``rich.progress`` is imported only when a bar is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class _Bar:
    """A bar shown only where ``console`` is a terminal (and ``wanted``)."""

    def __init__(self, console: Console, label: str, wanted: bool = True) -> None:
        self.label = label
        self.bar: Progress | None = None
        if console.is_terminal and wanted:
            from rich.progress import Progress

            self.bar = Progress(*self.columns(), console=console, transient=True)
        self.task: TaskID | None = None

    def columns(self) -> list[Any]:
        raise NotImplementedError

    def __enter__(self) -> Any:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def _start(self, total: int) -> None:
        if self.bar is not None:
            self.task = self.bar.add_task("", total=total)

    def _advance(self, amount: int) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task, amount)


class FilesBar(_Bar):
    """Files opened one by one (``cwa.deep.Progress``): told how many, then each done."""

    def columns(self) -> list[Any]:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

        return [TextColumn(self.label), BarColumn(), MofNCompleteColumn(),
                TimeRemainingColumn()]

    def start(self, total: int) -> None:
        self._start(total)

    def advance(self) -> None:
        self._advance(1)


class BytesBar(_Bar):
    """Told the files and bytes to come, then each batch done (``digest.Progress``)."""

    def columns(self) -> list[Any]:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        return [TextColumn(self.label), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                TimeRemainingColumn()]

    def start(self, files: int, size: int) -> None:
        self._start(max(size, 1))

    def advance(self, files: int, size: int) -> None:
        self._advance(size)
