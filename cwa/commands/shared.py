"""What the commands share: consoles, the one error handler, the options and arguments
several commands take, and finding the archive a command works on.

The arrows run one way: ``cli`` registers the commands, the commands use this module,
and this module knows neither of them.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import functools
import io
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from cwa import __version__, config, messages
from cwa.config import require_archive
from cwa.errors import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CwaError,
    Problem,
)
from cwa.messages import t
from cwa.rubric.model import Years, years_from_text

F = TypeVar("F", bound=Callable[..., Any])


class Format(str, Enum):
    text = "text"
    json = "json"
    md = "md"
    html = "html"
    junit = "junit"
    sarif = "sarif"
    github = "github"
    xlsx = "xlsx"  # the self-scoring sheet; needs --output


class By(str, Enum):
    owner = "owner"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


def use_streams() -> None:
    """stdout and stderr as a user on Windows needs them. Redirected to a file or a pipe
    they write UTF-8, whatever the system's code page (``CWA_ENCODING`` chooses another,
    for programs that want the code page); on a console, what its code page cannot show
    degrades (✔ → √ or [OK], see ``cwa.fallbacks``) instead of failing."""
    from cwa.fallbacks import register_fallbacks

    fallbacks = register_fallbacks()
    chosen = os.environ.get("CWA_ENCODING")
    try:
        chosen = codecs.lookup(chosen).name if chosen else None
    except LookupError:  # not an encoding: UTF-8 as by default
        chosen = None
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue
        if stream.isatty():
            stream.reconfigure(errors=fallbacks)
        elif chosen:
            stream.reconfigure(encoding=chosen, errors=fallbacks)
        else:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def consoles() -> tuple[Console, Console]:
    """stdout and stderr consoles: no colour codes unless a terminal; NO_COLOR honoured.
    No markup and no emoji codes: a file name like ``[link=…]`` or ``:warning:`` is text."""
    no_color = "NO_COLOR" in os.environ
    out = Console(highlight=False, soft_wrap=True, no_color=no_color, markup=False,
                  emoji=False)
    err = Console(stderr=True, highlight=False, soft_wrap=True, no_color=no_color,
                  markup=False, emoji=False)
    return out, err


def guarded(func: F) -> F:
    """The one place where exceptions become what the user sees."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _, err = consoles()
        try:
            try:
                return func(*args, **kwargs)
            except CwaError as exc:
                text = (t("error.prefix") if exc.prefixed else "") + exc.render()
                err.print(Text(text, style="red"))
                raise typer.Exit(exc.exit_code) from None
        except typer.Exit:
            raise
        except KeyboardInterrupt:
            err.print(t("error.interrupted"))
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:  # ``cwa check | head``: the reader has all it wanted
            with contextlib.suppress(OSError):  # no second error when Python flushes
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(EXIT_FINDINGS) from None
        except OSError as exc:
            if not disk_full(exc):
                _internal_error(exc, err)
                raise typer.Exit(EXIT_INTERNAL) from None
            with contextlib.suppress(Exception):  # stderr may be on the same full disk
                err.print(Text(disk_full_message(exc), style="red"))
            raise typer.Exit(EXIT_USAGE) from None
        except Exception as exc:
            _internal_error(exc, err)
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


#: Writes that failed for want of room: a full disk, a quota, a file-size limit.
_NO_ROOM = {errno.ENOSPC: "error.disk_full", errno.EFBIG: "error.file_too_big"}
if hasattr(errno, "EDQUOT"):
    _NO_ROOM[errno.EDQUOT] = "error.disk_full"


def disk_full(exc: OSError) -> bool:
    """A write that failed for want of room: said as such, not as a bug."""
    return exc.errno in _NO_ROOM


def disk_full_message(exc: OSError) -> str:
    from cwa import wording

    where = wording.paren(str(exc.filename)) if exc.filename else ""
    return t(_NO_ROOM.get(exc.errno or 0, "error.disk_full"), path=where)


def _internal_error(exc: Exception, err: Console) -> None:
    """A bug: the traceback goes to a log file, the user gets its path (exit 3). If the log
    cannot be written, the message says what went wrong instead; either way, exit 3."""
    import traceback

    summary = f"{type(exc).__name__}: {exc}"[:300]
    try:
        log: str | None = crash_log(traceback.format_exc())
    except Exception:  # never a second traceback from the crash handler
        log = None
    with contextlib.suppress(Exception):  # a console that cannot print: the exit code says
        if log is not None:
            err.print(Text(t("error.internal", log=log), style="red"))
        else:
            err.print(Text(t("error.internal_no_log", error=summary), style="red"))


def crash_log(text: str) -> str:
    """Write a crash log into the user's own log folder (beside cwa's cache), made safely:
    a folder only the user can enter, checked not to be a link, and a new file that is
    never opened through a link or over an existing one. No predictable path in a shared
    temporary folder: another user cannot make cwa write where they choose."""
    import secrets
    import time

    from cwa.cachedir import own

    folder = own("logs")
    name = f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{secrets.token_hex(4)}.log"
    path = folder / name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(f"cwa {__version__}\n{' '.join(sys.argv)}\n\n{text}")
    return str(path)


def show_problems(problems: list[Problem] | tuple[Problem, ...], err: Console) -> None:
    for problem in problems:
        err.print(Text(problem.render(), style="yellow"))


def _lang(value: str | None) -> str | None:
    if value is not None:
        lang = messages.normalise_lang(value)
        if lang is None:
            raise typer.BadParameter(t("error.bad_lang", value=value))
        messages.set_lang(lang)
    return value


def _complete_lang(incomplete: str) -> list[str]:
    return [lang for lang in messages.LANGUAGES if lang.startswith(incomplete)]


def lang_option() -> Any:
    """``--lang`` for the app and for every command, so it may stand anywhere. A string,
    not a choice: ``CWA_LANG=zh_CN.UTF-8`` is understood too."""
    return typer.Option("--lang", help=t("help.lang"), envvar="CWA_LANG", callback=_lang,
                        is_eager=True, metavar="[" + "|".join(messages.LANGUAGES) + "]",
                        autocompletion=_complete_lang)


def dir_argument() -> Any:
    """The archive folder every archive command takes first (default: found from here)."""
    return typer.Argument(help=t("help.dir"), show_default=False, metavar=t("metavar.dir"))


def rubric_option() -> Any:
    return typer.Option("--rubric", "-r", help=t("help.rubric"), metavar=t("metavar.rubric"))


def years_option() -> Any:
    return typer.Option("--years", help=t("help.years"), metavar=t("metavar.years"))


def parse_years(value: str | None) -> Years | None:
    if value is None:
        return None
    years = years_from_text(value)
    if years is None:
        raise CwaError("error.bad_years_option", value=value)
    return years


def locate(directory: Path | None, err: Console) -> Path:
    """The archive a command works on. Given a folder, that folder. Given none, the
    current folder's archive found as git finds a repository — the nearest folder at or
    above it with cwa.yaml — said on stderr when it is not the current folder itself;
    else the current folder."""
    if directory is not None:
        return directory
    here = Path.cwd()
    found = config.archive_of(here)
    if found is None or found == here.resolve():
        return Path()
    err.print(Text(t("archive.found_above", path=str(found)), style="dim"))
    return found


def archive_settings(directory: Path, rubric: str | None, err: Console,
                     years: Years | None = None, show: bool = True,
                     cache: bool = True) -> config.Settings:
    """What every archive command starts with: the folder must be there, then its
    settings (cwa.yaml and --rubric/--years; read again, and not remembered, without
    ``cache``), their warnings shown unless ``show`` is off (a format that shows them its
    own way)."""
    require_archive(directory)
    settings = config.settings(directory, rubric, years, cache)
    if show:
        show_problems(settings.warnings, err)
    return settings
