"""A progress bar in bytes for work that reads whole files (digests, packing): on a
terminal only, on stderr, gone when done."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)


class BytesBar:
    """Told the files and bytes to come, then each batch done (``digest.Progress``)."""

    def __init__(self, console: Console, label: str) -> None:
        self.bar: Progress | None = None
        if console.is_terminal:
            self.bar = Progress(TextColumn(label), BarColumn(), DownloadColumn(),
                                TransferSpeedColumn(), TimeRemainingColumn(),
                                console=console, transient=True)
        self.task: TaskID | None = None

    def __enter__(self) -> BytesBar:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def start(self, files: int, size: int) -> None:
        if self.bar is not None:
            self.task = self.bar.add_task("", total=max(size, 1))

    def advance(self, files: int, size: int) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task, size)
