"""Running the application: waitress, a production WSGI server in pure Python.

Chosen because it runs the same on Windows as on Linux (no fork, no C extension, no
reverse proxy needed), serves requests from a fixed pool of threads — the checks and the
database calls the pages make are ordinary blocking code — streams files with the WSGI
file wrapper, and is the server Flask's own deployment guide names for Windows.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from typing import Any

from cwa.errors import CwaError

THREADS = 8


def is_loopback(host: str) -> bool:
    """Does ``host`` name this machine only (127.0.0.0/8, ::1, localhost)? A name is
    resolved, and every address it has must be a loopback one."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None)
    except OSError:
        return False
    addresses = {info[4][0] for info in found}
    return bool(addresses) and all(ipaddress.ip_address(str(a).split("%")[0]).is_loopback
                                   for a in addresses)


def check_binding(host: str, auth: bool) -> None:
    if not auth and not is_loopback(host):
        raise CwaError("serve.no_auth_loopback", host=host)


def make_server(app: Any, host: str, port: int, proxy: str | None = None) -> Any:
    """A waitress server bound to ``host:port`` (port 0: any free one). ``proxy``: the
    address of a reverse proxy that terminates HTTPS and is trusted for
    ``X-Forwarded-Proto`` and ``X-Forwarded-For``."""
    from waitress.server import create_server

    options: dict[str, Any] = {"threads": THREADS, "ident": "cwa",
                               "max_request_body_size": 1024 * 1024,
                               "clear_untrusted_proxy_headers": True}
    if proxy:
        options.update(trusted_proxy=proxy, trusted_proxy_count=1,
                       trusted_proxy_headers={"x-forwarded-proto", "x-forwarded-for"})
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        return create_server(app, host=host, port=port, **options)
    except OSError as exc:
        raise CwaError("serve.cannot_bind", host=host, port=port, error=exc.strerror
                       or str(exc)) from None
