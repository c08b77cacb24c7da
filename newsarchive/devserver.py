"""The development HTTP server: serves the built site and pushes live-reload events.

Stdlib only (``http.server``). The reload script is added to HTML responses as they are
sent, so the files on disk, which are what gets published, never contain it. Browsers
learn about rebuilds over Server-Sent Events, which need no client library and reconnect
by themselves when the server restarts.
"""

from __future__ import annotations

import json
import mimetypes
import queue
import secrets
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import ArchiveError

PREFIX = "/__newsarchive__/"
EVENTS_PATH = PREFIX + "events"
SCRIPT_PATH = PREFIX + "livereload.js"

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

JS_TYPE = "text/javascript; charset=utf-8"

# Served as a file (not inline) so a site's Content-Security-Policy of 'self' still allows it.
# "error" is also the name of EventSource's own connection-error event; those carry no data.
LIVERELOAD_JS = """\
(function () {
  "use strict";
  var me = document.currentScript;
  var since = me ? new URL(me.src).searchParams.get("since") || "" : "";
  var box = null;
  function show(text) {
    if (!box) {
      box = document.createElement("pre");
      box.id = "newsarchive-build-error";
      box.title = "Click to hide until the next rebuild";
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;margin:0;padding:1.5em;" +
        "overflow:auto;background:rgba(60,0,0,.94);color:#fff;font:14px/1.5 monospace;" +
        "white-space:pre-wrap;cursor:pointer";
      box.addEventListener("click", function () { box.remove(); box = null; });
      (document.body || document.documentElement).appendChild(box);
    }
    box.textContent = text;
  }
  var target = null;
  var source = new EventSource("__EVENTS__?since=" + encodeURIComponent(since));
  source.addEventListener("moved", function (event) {
    var moved = JSON.parse(event.data);
    var path = location.pathname.replace(/index\\.html$/, "");
    Object.keys(moved).forEach(function (old) {
      if (path.slice(-old.length) === old) {
        target = path.slice(0, path.length - old.length) + moved[old] + location.search;
      }
    });
  });
  source.addEventListener("reload", function () {
    source.close();
    if (target) location.replace(target);
    else location.reload();
  });
  source.addEventListener("error", function (event) {
    if (typeof event.data === "string") show(event.data);
  });
})();
""".replace("__EVENTS__", EVENTS_PATH)


def inject_script(html: bytes, tag: bytes) -> bytes:
    """Insert ``tag`` before the last ``</body>`` (or append it): the page stays valid HTML."""
    at = html.lower().rfind(b"</body")
    if at < 0:
        return html + tag
    return html[:at] + tag + html[at:]


def script_tag(generation: str) -> bytes:
    return f'<script src="{SCRIPT_PATH}?since={generation}"></script>'.encode("ascii")


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


class LiveReload:
    """The state browsers are told about, and the queues of the connected ones.

    ``generation`` changes with every successful build (and every server start), so a page
    that connects with an older one missed a rebuild and is told to reload at once. The
    current message (failed build or skipped files) is re-sent to every new connection,
    so the overlay survives a manual reload until the problem is fixed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: list[queue.Queue[tuple[str, str] | None]] = []
        self._token = secrets.token_hex(4)
        self._builds = 0
        self.generation = f"{self._token}-0"
        self.message: str | None = None
        self.closed = False

    def built(self, message: str | None = None, moved: dict[str, str] | None = None) -> None:
        """A new site is being served: reload every page, then show ``message`` if any.

        ``moved`` (old URL path -> new) lets a page whose article changed URL go there.
        """
        with self._lock:
            self._builds += 1
            self.generation = f"{self._token}-{self._builds}"
            self.message = message
            if moved:
                self._send(("moved", json.dumps(moved, sort_keys=True)))
            self._send(("reload", self.generation))
            if message:
                self._send(("error", message))

    def failed(self, message: str) -> None:
        """The rebuild failed and the old site is still served: show ``message`` over it."""
        with self._lock:
            self.message = message
            self._send(("error", message))

    def connect(self, since: str) -> queue.Queue[tuple[str, str] | None]:
        """Register a client; its queue starts with what it needs to catch up."""
        client: queue.Queue[tuple[str, str] | None] = queue.Queue()
        with self._lock:
            if self.closed:
                client.put(None)
            elif since != self.generation:
                client.put(("reload", self.generation))
            elif self.message:
                client.put(("error", self.message))
            self._clients.append(client)
        return client

    def disconnect(self, client: queue.Queue[tuple[str, str] | None]) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)

    def close(self) -> None:
        """End every stream so no handler thread outlives the server."""
        with self._lock:
            self.closed = True
            for client in self._clients:
                client.put(None)

    @property
    def client_count(self) -> int:
        with self._lock:
            return len(self._clients)

    def _send(self, event: tuple[str, str]) -> None:
        for client in self._clients:
            client.put(event)


def sse_message(event: str, data: str) -> bytes:
    """One Server-Sent Event; every line of ``data`` gets its own ``data:`` field."""
    lines = data.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body = "".join(f"data: {line}\n" for line in lines)
    return f"event: {event}\n{body}\n".encode()


class DevHTTPServer(ThreadingHTTPServer):
    """Serves ``root`` with live reload; one daemon thread per connection.

    ``block_on_close`` is off because event streams stay open for as long as a tab does;
    ``LiveReload.close()`` ends them, and daemon threads cannot keep the process alive.
    """

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        live: LiveReload,
        *,
        heartbeat: float = 15.0,
        base_path: str = "/",
        report: Callable[[str], None] | None = None,
    ) -> None:
        self.root = root
        self.report = report
        self.live = live
        self.heartbeat = heartbeat
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
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

    def log_message(self, format: str, *args: object) -> None:
        """Request logs would drown the build messages the user is watching."""

    def _respond(self, head: bool) -> None:
        parts = urlsplit(self.path)
        if parts.path == EVENTS_PATH and not head:
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
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Accel-Buffering", "no")
        self.end_headers()
        client = live.connect(since)
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            for chunk in _events(client, self.server.heartbeat):
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:
            pass  # The tab was closed; a heartbeat write is what notices it.
        finally:
            live.disconnect(client)
            self.close_connection = True


def _events(client: queue.Queue[tuple[str, str] | None], heartbeat: float) -> Iterator[bytes]:
    while True:
        try:
            item = client.get(timeout=heartbeat)
        except queue.Empty:
            yield b": ping\n\n"
            continue
        if item is None:
            return
        yield sse_message(*item)
