"""The dev server under load and against foreign pages: bursts, idle sockets, Host names."""

from __future__ import annotations

import socket
import threading
import time
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


# --- bursts and idle connections --------------------------------------------------------------


def test_a_burst_of_200_concurrent_requests_is_served_without_errors(served) -> None:
    count = 200
    barrier = threading.Barrier(count)
    results: list[str] = [""] * count

    def one(index: int) -> None:
        try:
            barrier.wait(30)
            status, data = raw(served, host="127.0.0.1")
            results[index] = status if b"<h1>Home</h1>" in data else f"{status} (short)"
        except OSError as exc:
            results[index] = repr(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    failed = [r for r in results if r != "HTTP/1.0 200 OK"]
    assert failed == [], f"{len(failed)} of {count} failed, e.g. {failed[:3]}"


def test_idle_connections_hold_no_more_threads_than_the_bound(served) -> None:
    before = threading.active_count()
    idle = [socket.create_connection(served.server_address[:2]) for _ in range(100)]
    try:
        deadline = time.monotonic() + 3
        while served.threads_in_use < served.workers and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)  # a server without a bound would still be starting threads
        assert threading.active_count() - before <= served.workers
    finally:
        for sock in idle:
            sock.close()
    # Closed sockets free their workers at once: the next request is served.
    assert raw(served, host="localhost")[0] == "HTTP/1.0 200 OK"


def test_a_silent_connection_times_out(site: Path) -> None:
    live = LiveReload()
    server = start(site, live, workers=1, request_timeout=0.3)
    try:
        with socket.create_connection(server.server_address[:2], timeout=5) as silent:
            started = time.monotonic()
            assert silent.recv(1024) == b""  # closed by the server
            assert time.monotonic() - started < 3
        assert raw(server, host="localhost")[0] == "HTTP/1.0 200 OK"
    finally:
        live.close()
        server.shutdown()
        server.server_close()


def read_event(sock: socket.socket, name: bytes, timeout: float = 5) -> None:
    sock.settimeout(timeout)
    data = b""
    while b"event: " + name not in data:
        chunk = sock.recv(4096)
        assert chunk, f"stream closed before {name!r}: {data!r}"
        data += chunk


def test_event_streams_outlive_the_timeout_and_take_no_worker(site: Path) -> None:
    """Streams last as long as their tab: the request timeout does not end them, and two
    open tabs leave the single worker free for page requests."""
    live = LiveReload()
    server = start(site, live, workers=1, streams=2, heartbeat=5, request_timeout=0.2)
    streams = []
    try:
        for _ in range(2):
            sock = socket.create_connection(server.server_address[:2])
            sock.sendall(f"GET {EVENTS_PATH}?since={live.generation} HTTP/1.1\r\n\r\n".encode())
            streams.append(sock)
        deadline = time.monotonic() + 3
        while live.client_count < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert raw(server, host="localhost")[0] == "HTTP/1.0 200 OK"
        assert raw(server, EVENTS_PATH, host="localhost")[0] == "HTTP/1.0 503 Service Unavailable"
        time.sleep(0.6)  # three request timeouts, and no heartbeat yet
        live.built()
        for sock in streams:
            read_event(sock, b"reload")
    finally:
        for sock in streams:
            sock.close()
        live.close()
        server.shutdown()
        server.server_close()


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
