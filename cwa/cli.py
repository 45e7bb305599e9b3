"""The command line: the app, its commands registered, and the process's entry point.

What the commands share lives in ``cwa.commands.shared``; how the command line speaks
(help, usage, option errors) in ``cwa.commands.usage``. The arrows run one way: this
module uses the commands, the commands never use this module.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping
from typing import Annotated, ClassVar

import typer

from cwa import __version__, messages
from cwa.commands import completion
from cwa.commands.shared import disk_full, disk_full_message, lang_option, use_streams
from cwa.commands.usage import HELP_OPTIONS, App, Group
from cwa.errors import EXIT_INTERRUPTED, EXIT_USAGE
from cwa.messages import t


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cwa {__version__}")
        raise typer.Exit()


class Commands(Group):
    """cwa's commands: each module is imported when its command runs or its help is
    shown (``cwa check`` does not load what ``cwa album`` needs). Name → (module, the
    catalogue key of its help); a module's ``register(app)`` adds its command."""

    lazy: ClassVar[Mapping[str, tuple[str, str]]] = {
        "init": ("cwa.commands.init", "help.init"),
        "check": ("cwa.commands.check", "help.check"),
        "fix": ("cwa.commands.fix", "help.fix"),
        "undo": ("cwa.commands.undo", "help.undo"),
        "resume": ("cwa.commands.resume", "help.resume_command"),
        "todo": ("cwa.commands.todo", "help.todo"),
        "stamp": ("cwa.commands.stamp", "help.stamp"),
        "album": ("cwa.commands.album", "help.album"),
        "catalog": ("cwa.commands.catalog", "help.catalog"),
        "migrate": ("cwa.commands.migrate", "help.migrate"),
        "manifest": ("cwa.commands.manifest", "help.manifest"),
        "verify": ("cwa.commands.verify", "help.verify"),
        "export": ("cwa.commands.export", "help.export"),
        "summary": ("cwa.commands.summary", "help.summary"),
        "serve": ("cwa.commands.serve", "help.serve"),
        "rubric": ("cwa.commands.rubric", "help.rubric_group"),
    }


def build_app() -> typer.Typer:
    """The Typer app; built after the language is known so help texts are translated."""
    app = App(cls=Commands, help=t("help.app"), no_args_is_help=True,
              context_settings={"help_option_names": HELP_OPTIONS})

    @app.callback()
    def _main(
        lang: Annotated[str | None, lang_option()] = None,
        version: Annotated[bool, typer.Option("--version", help=t("help.version"),
                                              callback=_version, is_eager=True)] = False,
        install_completion: Annotated[bool, completion.install_option()] = False,
        show_completion: Annotated[bool, completion.show_option()] = False,
    ) -> None:
        pass

    if completion.VARIABLE in os.environ:  # the shell asks what to complete
        completion.init()
    return app


def main() -> None:
    use_streams()
    messages.set_lang(messages.detect(sys.argv[1:], os.environ))
    try:
        build_app()(prog_name="cwa")
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)


def run() -> None:
    """The ``cwa`` program: ``main``, then the process ends at once (``leave``)."""
    try:
        main()
    except SystemExit as done:  # how the command line always ends
        code = done.code
        if code is not None and not isinstance(code, int):
            _say(f"{code}\n")  # as Python prints a message it exits with
            code = 1
        leave(code or 0)
    except OSError as exc:  # writing what no command's handler sees (--version, --help)
        leave(_unwritten(exc))
    leave(0)


def leave(code: int) -> None:
    """End the process now that the command has finished: its output flushed, every file
    it wrote already closed (each command closes what it opens), without Python taking
    apart, object by object, the 100,000 entries of a scan, a plan or a report it no
    longer needs (tens of milliseconds at the end of a large check or fix)."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # closed when cwa started (``cwa … >&-``)
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # ``cwa check | head``: the reader has all it wanted
            pass
        except ValueError:  # closed since
            pass
        except OSError as exc:  # the output did not all arrive: never a silent success
            if stream is sys.stdout:
                code = _unwritten(exc)
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # under a profiler or coverage: let it write what it measured
    os._exit(code)


def _unwritten(exc: OSError) -> int:
    """Say that the output could not be written (on stderr, if it can); exit 2."""
    if disk_full(exc):
        _say(disk_full_message(exc) + "\n")
    else:
        _say(t("error.stdout_failed", error=exc.strerror or type(exc).__name__) + "\n")
    return EXIT_USAGE


def _say(text: str) -> None:
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(text)
            sys.stderr.flush()
