"""Which ``Host:`` names the dev server answers: its guard against DNS rebinding.

A page on a name its owner controls (``evil.example``) can re-point that name at 127.0.0.1;
the browser then treats the dev server as the page's own origin and lets it read the error
overlay and the event stream. Its requests still say ``Host: evil.example``. So the server
answers only names nobody else can point at it: ``localhost`` and its subdomains (browsers
resolve them to loopback themselves), IP literals (no DNS involved), the name given with
``--host``, and, when that is a wildcard address, the machine's own name.
"""

from __future__ import annotations

import ipaddress
import socket

WILDCARDS = frozenset({"", "0.0.0.0", "::"})


def host_name(header: str) -> str | None:
    """The name part of a Host header, lower case, without port, brackets or trailing dot;
    None if it is malformed."""
    value = header.strip().lower()
    if value.startswith("["):
        name, bracket, port = value[1:].partition("]")
        if not bracket or (port and not (port[0] == ":" and port[1:].isdigit())):
            return None
        return name
    name, colon, port = value.partition(":")
    if colon and (":" in port or not port.isdigit()):
        return None
    return name.rstrip(".") or None


def is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def allowed_names(host: str, bound: str) -> frozenset[str]:
    """The names, besides localhost's and IP literals, that a server started with
    ``--host host`` and bound to ``bound`` answers to."""
    names = {host.strip("[]").lower().rstrip("."), bound.lower()}
    if host in WILDCARDS:
        names.add(socket.gethostname().lower())
    return frozenset(names - {""})


def host_allowed(header: str | None, names: frozenset[str]) -> bool:
    """May a request with this Host header be answered? A request without one (HTTP/1.0)
    does not come from a browser, so it cannot be a rebinding page's."""
    if header is None or not header.strip():
        return True
    name = host_name(header)
    if name is None:
        return False
    return (
        name == "localhost" or name.endswith(".localhost") or is_ip_literal(name) or name in names
    )
