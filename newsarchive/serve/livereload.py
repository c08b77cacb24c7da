"""Live reload: what browsers are told after a rebuild, over Server-Sent Events, which need
no client library and reconnect by themselves when the server restarts. The reload script
is added to HTML responses as they are sent, so the files on disk, which are what gets
published, never contain it."""

from __future__ import annotations

import json
import queue
import secrets
import threading
from collections.abc import Iterator

PREFIX = "/__newsarchive__/"
EVENTS_PATH = PREFIX + "events"
SCRIPT_PATH = PREFIX + "livereload.js"

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
    """One Server-Sent Event; every line of ``data`` gets its own ``data:`` field.

    Text that cannot be UTF-8 (a file name's undecodable bytes, kept by Python as lone
    surrogates) is sent escaped: raising here would end the browser's stream."""
    lines = data.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body = "".join(f"data: {line}\n" for line in lines)
    return f"event: {event}\n{body}\n".encode("utf-8", "backslashreplace")


def events(client: queue.Queue[tuple[str, str] | None], heartbeat: float) -> Iterator[bytes]:
    while True:
        try:
            item = client.get(timeout=heartbeat)
        except queue.Empty:
            yield b": ping\n\n"
            continue
        if item is None:
            return
        yield sse_message(*item)
