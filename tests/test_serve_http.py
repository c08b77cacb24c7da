"""The dev server against foreign pages: Host names."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarchive.serve.hosts import allowed_names, host_allowed, host_name
from newsarchive.serve.http import DevHTTPServer
from newsarchive.serve.livereload import EVENTS_PATH, LiveReload


def start(root: Path, live: LiveReload, **options: float) -> DevHTTPServer:
    server = DevHTTPServer(("127.0.0.1", 0), root, live, **options)  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}).start()
    return server


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text("<html><body><h1>Home</h1></body></html>")
    return root


@pytest.fixture
def served(site: Path) -> Iterator[DevHTTPServer]:
    """A server with the defaults ``serve`` uses; the live reload already has a message."""
    live = LiveReload()
    live.failed("the overlay: private build output")
    server = start(site, live, heartbeat=0.2)
    yield server
    live.close()
    server.shutdown()
    server.server_close()


def raw(server: DevHTTPServer, path: str = "/", host: str | None = None, until: bytes = b""):
    """Send a request exactly as given; the status line and the response (an event stream's
    up to ``until``)."""
    port = server.server_address[1]
    headers = f"Host: {host}\r\n" if host is not None else ""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n".encode())
        data = b""
        try:
            while not (until and until in data) and (chunk := sock.recv(65536)):
                data += chunk
        except TimeoutError:
            pass
    return data.split(b"\r\n", 1)[0].decode(), data


# --- Host names: no DNS rebinding ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("localhost", "localhost"),
        ("LocalHost:8000", "localhost"),
        ("localhost.:8000", "localhost"),
        ("127.0.0.1:8000", "127.0.0.1"),
        ("[::1]:8000", "::1"),
        ("[::1]", "::1"),
        ("[::1]x", None),
        ("evil.example:80:80", None),
        ("evil.example:port", None),
        ("::1", None),
    ],
)
def test_host_name(header: str, name: str | None) -> None:
    assert host_name(header) == name


@pytest.mark.parametrize(
    "header",
    ["localhost", "localhost:8000", "app.localhost:8000", "127.0.0.1:8000", "[::1]:8000",
     "192.168.1.20:8000", "", None],
)  # fmt: skip
def test_local_names_and_ip_literals_are_answered(header: str | None) -> None:
    assert host_allowed(header, allowed_names("127.0.0.1", "127.0.0.1"))


@pytest.mark.parametrize(
    "header",
    ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.evil.example",
     "[evil]", "evil.example:x"],
)  # fmt: skip
def test_other_names_are_refused(header: str) -> None:
    assert not host_allowed(header, allowed_names("127.0.0.1", "127.0.0.1"))


def test_the_name_given_with_host_is_answered() -> None:
    names = allowed_names("devbox.lan", "192.168.1.20")
    assert host_allowed("DevBox.lan:8080", names)
    assert not host_allowed("other.lan:8080", names)
    wildcard = allowed_names("0.0.0.0", "0.0.0.0")
    assert host_allowed(f"{socket.gethostname()}:8000", wildcard)
    assert not host_allowed("evil.example:8000", wildcard)


@pytest.mark.parametrize("path", ["/", "/index.html", "/missing", "/__newsarchive__/livereload.js"])
def test_a_foreign_host_gets_421_for_every_path(served, path: str) -> None:
    port = served.server_address[1]
    for host in ("evil.example", f"evil.example:{port}", f"EVIL.example.:{port}"):
        status, data = raw(served, path, host=host)
        assert status == "HTTP/1.0 421 Misdirected Request", (host, path)
        assert b"Home" not in data and b"overlay" not in data
    assert raw(served, path, host=f"localhost:{port}")[0] != "HTTP/1.0 421 Misdirected Request"


def test_a_foreign_host_cannot_read_the_event_stream(served) -> None:
    path = f"{EVENTS_PATH}?since={served.live.generation}"
    status, data = raw(served, path, host="evil.example")
    assert status == "HTTP/1.0 421 Misdirected Request"
    assert b"overlay" not in data
    assert served.live.client_count == 0
    # The same request with a local name gets the stream and the overlay's text.
    status, data = raw(served, path, host="localhost", until=b"overlay")
    assert status == "HTTP/1.0 200 OK" and b"overlay" in data
