"""The command line: each command parses, calls the library, renders, exits."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from enum import Enum
from pathlib import Path
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
    """stdout and stderr consoles: no colour codes unless a terminal; NO_COLOR honoured."""
    no_color = "NO_COLOR" in os.environ
    out = Console(highlight=False, soft_wrap=True, no_color=no_color)
    err = Console(stderr=True, highlight=False, soft_wrap=True, no_color=no_color)
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
        except Exception:
            log = _crash_log(traceback.format_exc())
            err.print(Text(t("error.internal", log=log), style="red"))
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def _crash_log(text: str) -> str:
    folder = Path(tempfile.gettempdir()) / "cwa-logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    path.write_text(f"cwa {__version__}\n{' '.join(sys.argv)}\n\n{text}", encoding="utf-8")
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

