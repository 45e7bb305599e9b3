"""How the command line speaks for itself: usage lines, help pages and option errors,
in the user's language.

Typer (≥ 0.26) carries its own copy of Click as ``typer._click``. Its help headings come
from ``gettext`` with the default domain (``Arguments``, ``Options``, ``Commands``,
``default:``), and its usage line, help option and error messages are English literals
("Usage:", "Show this message and exit.", "No such option", "Invalid value for",
"Missing argument") or Pydantic's words ("Input should be greater than or equal to 1").
A translation for the ``messages`` domain would reach only the first group, and only
through environment variables, so cwa overrides the formatting instead: ``App`` makes
every command a ``Command`` and every group a ``Group``, which write their own help and
usage and show usage errors through the message catalogue. This is the one module that
reaches into ``typer._click``.

It also keeps the command line quick to start: ``Group.lazy`` names commands whose module
is imported only when the command runs or its help is shown, and every parameter of
the simple types cwa uses (text, whole numbers with bounds, paths, choices) is converted
by ``Plain`` instead of the Pydantic model Typer would build for it (Pydantic alone
costs more to import than the rest of the start-up).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from enum import Enum
from pathlib import Path
from typing import Any, ClassVar, TypeVar, get_args, get_origin

import typer
from rich.cells import cell_len
from rich.text import Text
from typer._click import Command as ClickCommand
from typer._click import Context, HelpFormatter, Parameter
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._coercion import RuntimeParam, build_runtime_param, resolve_type_descriptor
from typer._param_types import coerce_cli_choice, coerce_cli_path
from typer.core import TyperCommand, TyperGroup, _TyperParameter

from cwa import wording
from cwa.commands.shared import consoles
from cwa.messages import t

HELP_OPTIONS = ["-h", "--help"]
F = TypeVar("F", bound=Callable[..., Any])
_COLUMN = 30  # the widest first column of a definition list before its text moves below


class App(typer.Typer):
    """A Typer app whose commands and groups speak through the catalogue."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", Group)
        kwargs.setdefault("rich_markup_mode", None)
        kwargs.setdefault("pretty_exceptions_enable", False)
        kwargs.setdefault("add_completion", False)  # cwa's own options: see completion.py
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)


class _Speaks:
    """What commands and groups share: the help option, usage line and help page, and
    parameters converted without Pydantic where they can be."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:  # type: ignore[attr-defined]
            if isinstance(param, _TyperParameter) and param._runtime_param is None:
                param._runtime_param = Plain.of(param)

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = t("help.help")
            if isinstance(option, _TyperParameter) and option._runtime_param is None:
                option._runtime_param = Plain.of(option)
        return option

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write(usage_line(ctx) + "\n")

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write(help_page(ctx, formatter.width))


class Command(_Speaks, TyperCommand):
    pass


class Group(_Speaks, TyperGroup):
    #: Commands whose module is imported when the command runs or its help is shown:
    #: name → (module, the catalogue key of its help). The module's ``register(app)``
    #: adds the command. Listed before the commands registered at once, in this order.
    lazy: ClassVar[Mapping[str, tuple[str, str]]] = {}

    def list_commands(self, ctx: Context) -> list[str]:
        return [*self.lazy, *(name for name in self.commands if name not in self.lazy)]

    def get_command(self, ctx: Context, cmd_name: str) -> ClickCommand | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.commands[cmd_name] = load(self.lazy[cmd_name][0], cmd_name)
        return self.commands.get(cmd_name)

    def summaries(self, ctx: Context) -> list[tuple[str, str]]:
        """Each command and the first sentence of its help, without importing any."""
        rows = []
        for name in self.list_commands(ctx):
            sub = self.commands.get(name)
            if sub is None:
                rows.append((name, _short(t(self.lazy[name][1]))))
            elif not sub.hidden:
                rows.append((name, _short(sub.help or "")))
        return rows

    def resolve_command(self, ctx: Context, args: list[str]) -> Any:
        name = args[0]
        if (self.get_command(ctx, name) is None and not ctx.resilient_parsing
                and not name.startswith("-")):
            close = get_close_matches(name, self.list_commands(ctx))
            hint = t("usage.did_you_mean", names=wording.listing(close)) if close else ""
            ctx.fail(t("usage.no_such_command", name=name) + hint)
        return super().resolve_command(ctx, args)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        """Click's main, with its errors shown through the catalogue."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args,
                                **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, windows_expand_args,
                                  **extra)
        except ClickException as exc:
            show_error(exc)
            sys.exit(exc.exit_code)
        except typer.Abort:
            _, err = consoles()
            err.print(t("error.aborted"))
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def load(module: str, name: str) -> ClickCommand:
    """Command ``name`` as the module's ``register(app)`` defines it."""
    app = App()
    importlib.import_module(module).register(app)
    return typer.main.get_group(app).commands[name]


@dataclass(frozen=True)
class Plain(RuntimeParam):
    """Typer's conversion of a parameter's text, for the types cwa's parameters have,
    without a Pydantic model; its refusals say the same as ``_problem`` says for
    Pydantic's."""

    @staticmethod
    def of(param: _TyperParameter) -> Plain | None:
        """The conversion for ``param``, or None for a type left to Typer."""
        descriptor = param.type_descriptor
        annotation: Any = descriptor.annotation
        info = descriptor.parameter_info
        if info.parser is not None or info.clamp or descriptor.file_annotation is not None:
            return None
        inner = get_args(annotation)[0] if get_origin(annotation) is list else annotation
        if inner in (str, int, bool, Path) or (isinstance(inner, type)
                                                and issubclass(inner, Enum)):
            return Plain(info, annotation)
        return None

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        annotation: Any = self.annotation
        if get_origin(annotation) is list:
            inner = get_args(annotation)[0]
            items = value if isinstance(value, (list, tuple)) else [value]
            return [self._one(inner, item, param, ctx) for item in items]
        return self._one(annotation, value, param, ctx)

    def _one(self, kind: Any, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        if isinstance(value, bytes):
            value = os.fsdecode(value)
        if kind is str:
            return str(value)
        if kind is bool and not isinstance(value, bool):  # not a flag's own value
            return build_runtime_param(resolve_type_descriptor(bool, self.parameter_info)
                                       )._coerce_value(value, param=param, ctx=ctx)
        if kind is bool:
            return value
        if kind is Path:
            path = value if isinstance(value, Path) else Path(value)
            return coerce_cli_path(path, self.parameter_info, path_type=Path, param=param,
                                   ctx=ctx)
        if kind is int:
            return self._integer(value, param, ctx)
        try:
            return coerce_cli_choice(value, choices=list(kind),
                                     case_sensitive=self.parameter_info.case_sensitive,
                                     ctx=ctx)
        except ValueError:
            raise BadParameter(t("usage.not_a_choice", value=value, choices=wording.listing(
                _choices(param))), ctx=ctx, param=param) from None

    def _integer(self, value: Any, param: _TyperParameter, ctx: Context) -> int:
        text = str(value).strip()
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif re.fullmatch(r"[+-]?[0-9]+", text):
            number = int(text)
        else:
            raise BadParameter(t("usage.not_an_integer", value=value), ctx=ctx, param=param)
        low, high = self.parameter_info.min, self.parameter_info.max
        if low is not None and number < low:
            raise BadParameter(t("usage.at_least", min=low), ctx=ctx, param=param)
        if high is not None and number > high:
            raise BadParameter(t("usage.at_most", max=high), ctx=ctx, param=param)
        return number


# -- usage lines and help pages -------------------------------------------------------

def usage_line(ctx: Context) -> str:
    command = ctx.command
    pieces = [t("metavar.options")]
    for param in command.get_params(ctx):
        if param.param_type_name == "argument" and not getattr(param, "hidden", False):
            name = _metavar(param)
            name += "..." if param.nargs != 1 else ""
            pieces.append(name if param.required else f"[{name}]")
    if isinstance(command, TyperGroup):
        pieces.append(t("metavar.command"))
    return t("usage.usage") + " ".join([ctx.command_path, *pieces])


def help_page(ctx: Context, width: int) -> str:
    command = ctx.command
    lines = [usage_line(ctx)]
    if command.help:
        lines.append("")
        lines += ["  " + line for line in wrap(command.help, width - 2)]
    arguments: list[tuple[str, str]] = []
    options: list[tuple[str, str]] = []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            arguments.append((_metavar(param), _explained(param, ctx)))
        else:
            options.append((_option_names(param, ctx), _explained(param, ctx)))
    sections = [(t("usage.arguments"), arguments), (t("usage.options"), options)]
    if isinstance(command, Group):
        sections.append((t("usage.commands"), command.summaries(ctx)))
    elif isinstance(command, TyperGroup):
        rows = [(name, _short(sub.help or "")) for name, sub in command.commands.items()
                if not sub.hidden]
        sections.append((t("usage.commands"), rows))
    for heading, rows in sections:
        if rows:
            lines += ["", t("usage.heading", name=heading)]
            lines += definition_list(rows, width)
    return "\n".join(lines) + "\n"


def definition_list(rows: Sequence[tuple[str, str]], width: int, indent: int = 2) -> list[str]:
    """Two columns; a first cell too wide for the column puts its text on the next line.
    Widths are counted in terminal cells: a Chinese character takes two."""
    column = min(max(cell_len(first) for first, _ in rows), _COLUMN) + 2
    text_width = max(width - indent - column, 20)
    out: list[str] = []
    for first, second in rows:
        wrapped = wrap(second, text_width) if second else []
        if cell_len(first) > column - 2 or not wrapped:
            out.append(" " * indent + first)
        else:
            out.append(" " * indent + first + " " * (column - cell_len(first)) + wrapped.pop(0))
        out += [" " * (indent + column) + line for line in wrapped]
    return out


_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f"
#: A token of wrapping: a bracketed note ("[默认：text]"), one Chinese character, or a run
#: of other non-space characters, with opening punctuation kept on its right and closing
#: punctuation on its left.
#: (Compiled on first use: most runs print no help.)
_TOKEN = (
    rf"\[[^\]]*\]\s*|[（“‘《「『【(]*(?:[{_CJK}]|[^\s{_CJK}]+)[）”’》」』】。，、；：！？)]*\s*")


def wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` terminal cells: between words, and
    between Chinese characters anywhere but before closing or after opening punctuation."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in re.findall(_TOKEN, paragraph.strip()):
            if line and cell_len(line + token.rstrip()) > width:
                lines.append(line.rstrip())
                line = ""
            line += token
        lines.append(line.rstrip())
    return lines


def _short(text: str) -> str:
    """A command's help in a command list: its first sentence."""
    first = re.split(r"(?<=。)|(?<=\.)\s", text.strip(), maxsplit=1)[0]
    return first.strip()


def _option_names(param: Parameter, ctx: Context) -> str:
    names = ", ".join(sorted(param.opts, key=lambda o: (o.startswith("--"), o)))
    if param.secondary_opts:
        names += " / " + ", ".join(param.secondary_opts)
    if not getattr(param, "is_flag", False):
        names += " " + _metavar(param)
    return names


def _metavar(param: Parameter) -> str:
    """What a value looks like: the parameter's own metavar, its choices, or its type."""
    if param.metavar:
        return param.metavar
    choices = _choices(param)
    if choices:
        return "[" + "|".join(choices) + "]"
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return t("metavar.bool")
        if issubclass(annotation, int):
            return t("metavar.integer")
        if issubclass(annotation, float):
            return t("metavar.number")
        if issubclass(annotation, Path):
            return t("metavar.path")
    return t("metavar.text")


def _choices(param: Parameter) -> list[str]:
    choices = getattr(getattr(param, "type_descriptor", None), "choices", None) or ()
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in choices]


def _explained(param: Parameter, ctx: Context) -> str:
    """The parameter's help, then in brackets its environment variable, default, range,
    and whether it is required."""
    text = param.help or ""  # type: ignore[attr-defined]
    extra = []
    if getattr(param, "show_envvar", False) and isinstance(param.envvar, str):
        extra.append(t("usage.envvar", name=param.envvar))
    default = _default(param, ctx)
    if default and t("usage.default_word") not in text:
        extra.append(t("usage.default", value=default))
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        extra.append(t("usage.range", min=low, max=high))
    elif low is not None:
        extra.append(t("usage.at_least_bracket", min=low))
    elif high is not None:
        extra.append(t("usage.at_most_bracket", max=high))
    if param.required:
        extra.append(t("usage.required"))
    if extra:
        text += ("  " if text else "") + "[" + t("usage.extra_sep").join(extra) + "]"
    return text


def _default(param: Parameter, ctx: Context) -> str:
    if param.param_type_name != "option" or getattr(param, "show_default", None) is False:
        return ""
    value = param.default
    if value is None or value is False or callable(value):
        return ""
    if value is True:  # --notes/--no-notes: name the side that is on
        return param.opts[0].lstrip("-") if param.secondary_opts else ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (list, tuple)):
        return wording.listing(str(v) for v in value)
    return str(value)


# -- usage errors ---------------------------------------------------------------------

def show_error(exc: ClickException) -> None:
    """A usage error as the user reads it: the usage line, where to find help, and what
    went wrong, in the user's language."""
    _, err = consoles()
    if isinstance(exc, NoArgsIsHelpError):
        err.print(Text(exc.format_message()))
        return
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, UsageError) and ctx is not None:
        err.print(Text(usage_line(ctx)))
        if ctx.command.get_help_option(ctx) is not None:
            err.print(Text(t("usage.try_help", command=f"{ctx.command_path} --help")))
        err.print()
    err.print(Text(t("error.prefix") + explain(exc), style="red"))


def explain(exc: ClickException) -> str:
    """What a usage error says, in the user's language; Click's own words where cwa does
    not know the kind of error (never an error about the error)."""
    message = exc.format_message()
    if isinstance(exc, NoSuchOption):
        text = t("usage.no_such_option", name=exc.option_name)
        if exc.possibilities:
            text += t("usage.did_you_mean", names=wording.listing(sorted(exc.possibilities)))
        return text
    if isinstance(exc, MissingParameter) and exc.param is not None:
        text = t(f"usage.missing_{exc.param.param_type_name}", name=_named(exc.param))
        choices = _choices(exc.param)
        return text + (t("usage.choose_from", choices=wording.listing(choices))
                       if choices else "")
    if isinstance(exc, BadParameter) and exc.param is not None:
        return t("usage.invalid_value", name=_named(exc.param),
                 problem=_problem(exc, exc.param))
    if isinstance(exc, BadOptionUsage):
        key = "usage.takes_no_value" if "does not take" in message else "usage.needs_value"
        return t(key, name=exc.option_name)
    extra = re.fullmatch(r"Got unexpected extra arguments? ?(?:\(s\))? \((.*)\)", message)
    if extra:
        return t("usage.extra_arguments", args=extra.group(1))
    return message


def _named(param: Parameter) -> str:
    if param.param_type_name == "argument":
        return _metavar(param)
    return "/".join(sorted(param.opts, key=lambda o: (not o.startswith("--"), o)))


def _problem(exc: BadParameter, param: Parameter) -> str:
    """Pydantic's reason for refusing a value, said again in the user's words."""
    listed = getattr(exc.__cause__, "errors", None)  # a pydantic ValidationError's
    errors: Iterable[dict[str, Any]] = listed() if callable(listed) else ()
    for error in errors:
        kind, context, value = error.get("type"), error.get("ctx") or {}, error.get("input")
        choices = _choices(param)
        if kind == "value_error" and choices:
            return t("usage.not_a_choice", value=value, choices=wording.listing(choices))
        if kind in ("greater_than_equal", "greater_than"):
            return t("usage.at_least", min=context.get("ge", context.get("gt")))
        if kind in ("less_than_equal", "less_than"):
            return t("usage.at_most", max=context.get("le", context.get("lt")))
        if kind in ("int_parsing", "int_from_float"):
            return t("usage.not_an_integer", value=value)
        if kind == "float_parsing":
            return t("usage.not_a_number", value=value)
    return exc.message
