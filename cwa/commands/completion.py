"""Shell completion: ``cwa --install-completion`` and ``cwa --show-completion``.

Typer's completion machinery does the work (the scripts for bash, zsh, fish and
PowerShell, and answering the shell's ``_CWA_COMPLETE`` requests); cwa brings its own two
options so that what they say is in the user's language.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer
from rich.text import Text

from cwa.commands.shared import consoles
from cwa.messages import t

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
VARIABLE = "_CWA_COMPLETE"  # what the scripts set when they ask cwa for completions


def init() -> None:
    """Register Typer's completion classes (what answers ``_CWA_COMPLETE``)."""
    from typer.completion import get_completion_inspect_parameters

    get_completion_inspect_parameters()


def shell() -> str:
    """The shell cwa was started from (as Typer finds it), else the login shell."""
    import shellingham

    try:
        name = str(shellingham.detect_shell()[0]).lower()
    except shellingham.ShellDetectionFailure:
        name = Path(os.environ.get("SHELL", "")).name.lower()
    if name not in SHELLS:
        _, err = consoles()
        err.print(Text(t("completion.unknown_shell", shell=name or "?"), style="red"))
        raise typer.Exit(2)
    return name


def _install(ctx: typer.Context, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from typer._completion_shared import install  # where Typer keeps it

    init()
    name, path = install(shell=shell(), prog_name=ctx.find_root().info_name or "cwa",
                         complete_var=VARIABLE)
    out, _ = consoles()
    out.print(Text(t("completion.installed", shell=name, path=str(path)), style="green"))
    out.print(t("completion.restart"))
    raise typer.Exit()


def _show(ctx: typer.Context, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from typer._completion_shared import get_completion_script

    init()
    script = get_completion_script(prog_name=ctx.find_root().info_name or "cwa",
                                   complete_var=VARIABLE, shell=shell())
    typer.echo(script)
    raise typer.Exit()


def install_option() -> Any:
    return typer.Option("--install-completion", help=t("help.install_completion"),
                        callback=_install, is_eager=True)


def show_option() -> Any:
    return typer.Option("--show-completion", help=t("help.show_completion"),
                        callback=_show, is_eager=True)
