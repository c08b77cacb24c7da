"""The development HTTP server: serves the built site (and nothing else) with live reload.

Stdlib only (``http.server``).
"""

from __future__ import annotations

import mimetypes
import socket
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import ArchiveError
from .hosts import allowed_names, host_allowed
from .livereload import (
    EVENTS_PATH,
    JS_TYPE,
    LIVERELOAD_JS,
    SCRIPT_PATH,
    LiveReload,
    events,
    inject_script,
    script_tag,
)

TEXT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}


def content_type(path: Path) -> str:
    kind = TEXT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    kind = kind or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith(("json", "xml")):
        return f"{kind}; charset=utf-8"
    return kind


def resolve_request(root: Path, url_path: str) -> Path | None:
    """The file or folder a URL path names below ``root``, or None if it would leave it.

    The path is decoded once, so ``%2e%2e`` counts as ``..``; ``..`` segments, backslashes
    and NUL are refused outright, and the result is resolved (symlinks included) and must
    still be inside ``root``.
    """
    decoded = unquote(url_path, errors="strict") if "%" in url_path else url_path
    if "\\" in decoded or "\x00" in decoded:
        return None
    parts = [p for p in decoded.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    base = root.resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        return None
    return target


class DevHTTPServer(ThreadingHTTPServer):
    """Serves ``root`` with live reload, to local names only (see :mod:`.hosts`).

    A burst of connections waits in a deep listen backlog instead of being refused, and at
    most ``workers`` threads handle requests: the accept loop waits for a free one, so
    idle sockets cannot pile up threads, and each connection times out after
    ``request_timeout`` seconds of silence. An event stream lasts as long as its tab, so it
    gives its worker back and counts against ``streams`` instead.

    ``block_on_close`` is off because event streams stay open for as long as a tab does;
    ``LiveReload.close()`` ends them, and daemon threads cannot keep the process alive.
    """

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = socket.SOMAXCONN  # the system's maximum: 5 dropped bursts

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        live: LiveReload,
        *,
        heartbeat: float = 15.0,
        base_path: str = "/",
        report: Callable[[str], None] | None = None,
        workers: int = 32,
        streams: int = 32,
        request_timeout: float = 10.0,
    ) -> None:
        self.root = root
        self.report = report
        self.live = live
        self.heartbeat = heartbeat
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self.workers, self.streams, self.request_timeout = workers, streams, request_timeout
        self._slots = threading.Condition()
        self._busy = self._streaming = 0
        self._closing = False
        self._local = threading.local()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        try:
            super().__init__(address, DevRequestHandler)
        except OSError as exc:
            host, port = address
            raise ArchiveError(
                f"cannot serve on {host}:{port}: {exc.strerror or exc} "
                "(is another server using that port? try --port)"
            ) from exc
        self.host_names = allowed_names(address[0], str(self.server_address[0]))

    def process_request(self, request: Any, client_address: Any) -> None:
        """Wait for a free worker before starting a thread; meanwhile further connections
        wait in the listen backlog."""
        with self._slots:
            while self._busy >= self.workers:
                if self._closing:
                    self.shutdown_request(request)
                    return
                self._slots.wait(0.2)
            self._busy += 1
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._free(streaming=False)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._free(streaming=getattr(self._local, "streaming", False))
            self._local.streaming = False

    def open_stream(self) -> bool:
        """Move the calling handler from the workers to the event streams; False if too
        many streams are open."""
        with self._slots:
            if self._streaming >= self.streams:
                return False
            self._streaming += 1
            self._busy -= 1
            self._slots.notify()
        self._local.streaming = True
        return True

    def _free(self, streaming: bool) -> None:
        with self._slots:
            if streaming:
                self._streaming -= 1
            else:
                self._busy -= 1
            self._slots.notify()

    @property
    def threads_in_use(self) -> int:
        with self._slots:
            return self._busy + self._streaming

    def shutdown(self) -> None:
        with self._slots:
            self._closing = True
            self._slots.notify_all()
        super().shutdown()

    def handle_error(self, request: object, client_address: Any) -> None:
        """A browser dropping a connection is routine; anything else goes to ``report``."""
        exc = sys.exc_info()[1]
        if self.report is not None and not isinstance(exc, ConnectionError):
            self.report(f"dev server: request from {client_address[0]} failed: {exc!r}")

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/"


class DevRequestHandler(BaseHTTPRequestHandler):
    """GET/HEAD of files below the server's root, plus the live-reload endpoints."""

    server: DevHTTPServer
    server_version = "newsarchive"

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def setup(self) -> None:
        self.timeout = self.server.request_timeout  # a silent client frees its worker
        super().setup()

    def log_message(self, format: str, *args: object) -> None:
        """Request logs would drown the build messages the user is watching."""

    def _respond(self, head: bool) -> None:
        parts = urlsplit(self.path)
        if not host_allowed(self.headers.get("Host"), self.server.host_names):
            body = b"Misdirected request: this development server answers only local names\n"
            self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain; charset=utf-8", body, head)
        elif parts.path == EVENTS_PATH and not head:
            self._stream_events(parse_qs(parts.query).get("since", [""])[0])
        elif parts.path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, JS_TYPE, LIVERELOAD_JS.encode(), head)
        else:
            self._serve_file(parts.path, parts.query, head)

    def _serve_file(self, url_path: str, query: str, head: bool) -> None:
        try:
            self._serve_path(url_path, query, head)
        except UnicodeDecodeError:
            self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"Bad request\n", head)
        except OSError as exc:  # e.g. a name too long for the file system
            if isinstance(exc, ConnectionError):
                raise
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found\n", head)

    def _serve_path(self, url_path: str, query: str, head: bool) -> None:
        target = self._locate(url_path)
        if target is None:
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", b"Forbidden\n", head)
            return
        if target.is_dir():
            if not url_path.endswith("/"):
                # Pages link relatively, so a folder must be addressed with its slash.
                # Leading slashes collapsed: "//host/x" must not become an off-site redirect.
                location = "/" + url_path.lstrip("/") + "/" + (f"?{query}" if query else "")
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                return
            target = target / "index.html"
        status = HTTPStatus.OK
        if not target.is_file():
            status = HTTPStatus.NOT_FOUND
            target = self.server.root / "404.html"
        try:
            data = target.read_bytes()
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found\n", head)
            return
        kind = content_type(target)
        if kind.startswith("text/html"):
            data = inject_script(data, script_tag(self.server.live.generation))
        self._send(status, kind, data, head)

    def _locate(self, url_path: str) -> Path | None:
        """Map the URL to a path; under a sub-path ``base_url`` the prefix also works.

        The 404 page links from ``base_url``'s path because it is served at any depth.
        """
        root = self.server.root
        target = resolve_request(root, url_path)
        base = self.server.base_path
        if target is not None and not target.exists() and url_path.startswith(base) and base != "/":
            stripped = resolve_request(root, "/" + url_path[len(base) :])
            if stripped is not None and stripped.exists():
                return stripped
        return target

    def _send(self, status: HTTPStatus, kind: str, data: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _stream_events(self, since: str) -> None:
        live = self.server.live
        if not self.server.open_stream():
            body = b"Too many open event streams\n"
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", body, False)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Accel-Buffering", "no")
        self.end_headers()
        client = live.connect(since)
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            for chunk in events(client, self.server.heartbeat):
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:
            pass  # The tab was closed; a heartbeat write is what notices it.
        finally:
            live.disconnect(client)
            self.close_connection = True
