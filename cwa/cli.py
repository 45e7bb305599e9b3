"""The command line: each command parses, calls the library, renders, exits."""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import stat
import sys
import time
import traceback
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from cwa import __version__, messages
from cwa.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, CwaError, Problem
from cwa.messages import t

F = TypeVar("F", bound=Callable[..., Any])


class Format(str, Enum):
    text = "text"
    json = "json"
    md = "md"
    html = "html"
    junit = "junit"
    sarif = "sarif"
    github = "github"


class By(str, Enum):
    owner = "owner"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


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
        except Exception as exc:
            _internal_error(exc, err)
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def _internal_error(exc: Exception, err: Console) -> None:
    """A bug: the traceback goes to a log file, the user gets its path (exit 3). If the log
    cannot be written, the message says what went wrong instead; either way, exit 3."""
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
    from cwa.cache import directory

    folder = directory() / "logs"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = folder.lstat()
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        raise PermissionError(f"{folder} is not the user's own folder")
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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cwa {__version__}")
        raise typer.Exit()


def _lang(value: str | None) -> str | None:
    if value is not None:
        lang = messages.normalise_lang(value)
        if lang is None:
            raise typer.BadParameter(t("error.bad_lang", value=value))
        messages.set_lang(lang)
    return value


def lang_option() -> Any:
    """``--lang`` for the app and for every command, so it may stand anywhere."""
    return typer.Option("--lang", help=t("help.lang"), envvar="CWA_LANG", callback=_lang,
                        is_eager=True)


def dir_argument() -> Any:
    """The archive folder every archive command takes first."""
    return typer.Argument(help=t("help.dir"), show_default=False)


def rubric_option() -> Any:
    return typer.Option("--rubric", "-r", help=t("help.rubric"))


def years_option() -> Any:
    return typer.Option("--years", help=t("help.years"))


def build_app() -> typer.Typer:
    """The Typer app; built after the language is known so help texts are translated."""
    from cwa.commands import (
        album,
        catalog,
        check,
        export,
        fix,
        init,
        manifest,
        resume,
        rubric,
        stamp,
        todo,
        undo,
        verify,
    )

    app = typer.Typer(help=t("help.app"), no_args_is_help=True, add_completion=False,
                      pretty_exceptions_enable=False, rich_markup_mode=None)

    @app.callback()
    def _main(
        lang: Annotated[str | None, lang_option()] = None,
        version: Annotated[bool, typer.Option("--version", help=t("help.version"),
                                              callback=_version, is_eager=True)] = False,
    ) -> None:
        pass

    init.register(app)
    check.register(app)
    fix.register(app)
    undo.register(app)
    resume.register(app)
    todo.register(app)
    stamp.register(app)
    album.register(app)
    catalog.register(app)
    rubric.register(app)
    manifest.register(app)
    verify.register(app)
    export.register(app)
    return app


def main() -> None:
    messages.set_lang(messages.detect(sys.argv[1:], os.environ))
    try:
        build_app()(prog_name="cwa")
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)

