"""One module per command; each registers itself on the app and stays thin."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from cwa import config
from cwa.check import require_archive
from cwa.cli import show_problems
from cwa.rubric.model import Years


def archive_settings(directory: Path, rubric: str | None, err: Console,
                     years: Years | None = None, show: bool = True) -> config.Settings:
    """What every archive command starts with: the folder must be there, then its
    settings (cwa.yaml and --rubric/--years), their warnings shown unless ``show`` is
    off (a format that shows them its own way)."""
    require_archive(directory)
    settings = config.settings(directory, rubric, years)
    if show:
        show_problems(settings.warnings, err)
    return settings
