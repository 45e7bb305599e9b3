"""``cwa serve ROOT``: the archives as a web site with accounts; ``cwa serve user …``:
the accounts. ``cwa serve ROOT`` runs the hidden command ``start``: whatever is not a
sub-command's name is the root to serve."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from cwa import wording
from cwa.commands.shared import consoles, guarded, lang_option
from cwa.commands.usage import HELP_OPTIONS, App, Command, Group, definition_list, help_page
from cwa.errors import CwaError
from cwa.messages import t

START = "start"


class ServeGroup(Group):
    """``cwa serve ROOT …`` or ``cwa serve user …``: a first word that names no
    sub-command starts the server; the help page shows both."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in HELP_OPTIONS:
            args = [START, *args]
        return super().parse_args(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        start = self.commands[START]
        page = help_page(start.make_context(ctx.info_name, [], parent=ctx.parent,
                                            resilient_parsing=True), formatter.width)
        rows = [(name, sub.help or "") for name, sub in self.commands.items()
                if not sub.hidden]
        page += "\n" + t("usage.heading", name=t("usage.commands")) + "\n"
        page += "\n".join(definition_list(rows, formatter.width)) + "\n"
        formatter.write(page)


class StartCommand(Command):
    """Runs as ``cwa serve`` itself (its usage line and errors say so)."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None,
                     **extra: Any) -> Any:
        if parent is not None and parent.info_name and info_name == START:
            info_name, parent = parent.info_name, parent.parent
        return super().make_context(info_name, args, parent=parent, **extra)


class Role(str, Enum):
    unit = "unit"
    inspector = "inspector"
    office = "office"


def user_argument() -> Any:
    return typer.Argument(help=t("help.serve_user_name"), show_default=False,
                          metavar=t("metavar.user"))


def password_stdin_option() -> Any:
    return typer.Option("--password-stdin", help=t("help.serve_password_stdin"))


def data_option() -> Any:
    return typer.Option("--data", help=t("help.serve_data"), envvar="CWA_SERVE_DATA",
                        show_default=False, metavar=t("metavar.path"))


def db_option() -> Any:
    return typer.Option("--db", help=t("help.serve_db"), envvar="CWA_SERVE_DB",
                        show_default=False, metavar="URL")


def open_store(data: Path | None, db: str | None, archives: list[Path] | None = None) -> Any:
    from cwa.serve.store import Store, default_data, prepare_data

    if db:
        return Store(db)
    folder = data or default_data()
    prepare_data(folder, archives or [])
    return Store.in_folder(folder)


def register(app: typer.Typer) -> None:
    group = App(help=t("help.serve"), no_args_is_help=True, cls=ServeGroup)
    app.add_typer(group, name="serve")

    @group.command(START, help=t("help.serve"), hidden=True, cls=StartCommand)
    @guarded
    def start(
        root: Annotated[Path, typer.Argument(help=t("help.serve_root"), show_default=False,
                                             metavar=t("metavar.root"))],
        host: Annotated[str, typer.Option("--host", help=t("help.serve_host"))] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=0, max=65535,
                                          help=t("help.serve_port"))] = 8000,
        data: Annotated[Path | None, data_option()] = None,
        db: Annotated[str | None, db_option()] = None,
        no_auth: Annotated[bool, typer.Option("--no-auth", help=t("help.serve_no_auth"))]
        = False,
        proxy: Annotated[str | None, typer.Option("--proxy", help=t("help.serve_proxy"),
                                                  show_default=False)] = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        from cwa import messages
        from cwa.serve.app import create_app
        from cwa.serve.server import check_binding, make_server
        from cwa.serve.units import Registry

        out, err = consoles()
        check_binding(host, auth=not no_auth)
        if not root.is_dir():
            raise CwaError("error.archive_not_found" if not root.exists()
                           else "error.archive_not_dir", path=str(root))
        registry = Registry(root)
        units = registry.units()
        if not units:
            raise CwaError("serve.no_archives", path=str(root))
        store = None if no_auth else open_store(data, db, [u.path for u in units])
        if store is not None:
            from cwa.serve import accounts

            if not accounts.everyone(store):
                err.print(Text(t("serve.no_accounts"), style="yellow"))
        application = create_app(root, store, messages.current(), registry)
        server = make_server(application, host, port, proxy)
        shown_host = f"[{host}]" if ":" in host else host
        bound = getattr(server, "effective_port", port)
        out.print(Text(t("serve.listening", url=f"http://{shown_host}:{bound}/",
                         count=len(units), units=wording.listing(u.shown for u in units[:5])
                         + ("…" if len(units) > 5 else ""))))
        out.print(Text(t("serve.no_auth_note" if no_auth else "serve.stop_note"), style="dim"))
        out.file.flush()  # the address reaches a log or a pipe before serving starts
        try:
            server.run()
        finally:
            server.close()

    users = App(help=t("help.serve_user"), no_args_is_help=True)
    group.add_typer(users, name="user")

    @users.command("add", help=t("help.serve_user_add"))
    @guarded
    def add(
        name: Annotated[str, user_argument()],
        role: Annotated[Role, typer.Option("--role", help=t("help.serve_role"))],
        unit: Annotated[list[str] | None, typer.Option("--unit", help=t("help.serve_unit"),
                                                       show_default=False)] = None,
        password_stdin: Annotated[bool, password_stdin_option()] = False,
        data: Annotated[Path | None, data_option()] = None,
        db: Annotated[str | None, db_option()] = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        from cwa.serve import accounts

        out, _ = consoles()
        from cwa.serve.units import key_of

        accounts.valid_name(name)
        units = tuple(key_of((u,)) for u in unit or ())  # a GBK folder name: its key
        if role is Role.unit and len(units) != 1:
            raise CwaError("serve.unit_needs_one")
        if role is Role.office and units:
            raise CwaError("serve.office_no_units")
        password = _password(password_stdin)
        store = open_store(data, db)
        accounts.add(store, name, role.value, password, units)
        out.print(Text(t("serve.user_added", name=name, role=t(f"serve.role_{role.value}"),
                         units=wording.listing(units) if units else "—")))

    @users.command("list", help=t("help.serve_user_list"))
    @guarded
    def list_(
        data: Annotated[Path | None, data_option()] = None,
        db: Annotated[str | None, db_option()] = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        from cwa.serve import accounts

        out, _ = consoles()
        everyone = accounts.everyone(open_store(data, db))
        for user in everyone:
            out.print(Text(f"{user.name}  {t(f'serve.role_{user.role}')}"
                           + (f"  {wording.listing(user.units)}" if user.units else "")))
        if not everyone:
            out.print(Text(t("serve.no_accounts")))

    @users.command("remove", help=t("help.serve_user_remove"))
    @guarded
    def remove(
        name: Annotated[str, user_argument()],
        data: Annotated[Path | None, data_option()] = None,
        db: Annotated[str | None, db_option()] = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        from cwa.serve import accounts

        out, _ = consoles()
        accounts.remove(open_store(data, db), name)
        out.print(Text(t("serve.user_removed", name=name)))

    @users.command("passwd", help=t("help.serve_user_passwd"))
    @guarded
    def passwd(
        name: Annotated[str, user_argument()],
        password_stdin: Annotated[bool, password_stdin_option()] = False,
        data: Annotated[Path | None, data_option()] = None,
        db: Annotated[str | None, db_option()] = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        from cwa.serve import accounts

        out, _ = consoles()
        store = open_store(data, db)
        if accounts.get(store, name) is None:
            raise CwaError("serve.no_such_user", name=name)
        accounts.set_password(store, name, _password(password_stdin))
        out.print(Text(t("serve.password_set", name=name)))

    @users.command("assign", help=t("help.serve_user_assign"))
    @guarded
    def assign(
        name: Annotated[str, user_argument()],
        unit: Annotated[list[str], typer.Option("--unit", help=t("help.serve_assign_unit"),
                                                show_default=False)],
        remove_: Annotated[bool, typer.Option("--remove", help=t("help.serve_unassign"))]
        = False,
        data: Annotated[Path | None, data_option()] = None,
        db: Annotated[str | None, db_option()] = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        from cwa.serve import accounts
        from cwa.serve.units import key_of

        out, _ = consoles()
        store = open_store(data, db)
        unit = [key_of((u,)) for u in unit]  # a GBK folder name: its key, as the server's
        for one in unit:
            accounts.assign(store, name, one, not remove_)
        out.print(Text(t("serve.unassigned" if remove_ else "serve.assigned_to", name=name,
                         units=wording.listing(unit))))


def _password(from_stdin: bool) -> str:
    """The new password: one line of standard input, or typed twice at a prompt."""
    from cwa.serve.accounts import valid_password

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(t("serve.password_prompt"), hide_input=True,
                                confirmation_prompt=t("serve.password_again"),
                                prompt_suffix=t("serve.prompt_suffix"))
    valid_password(password)
    return password
