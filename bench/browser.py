"""Search as a reader meets it: headless Chromium on our search page and on Pagefind's UI.

For each query: a new browser context (an empty cache) opens the search page with the query
in the URL. We record the time from navigation start until the first result title is on the
page, and the bytes served until then and until the network is idle. Then, in the same
page, the next query of the list runs ("warm": everything already loaded).

Bytes are counted by the static server itself (so requests from Pagefind's web worker count
too) as the raw bytes of each file served; each file's ``gzip -6`` size is reported beside
it, because a real host compresses and Pagefind's own index files are already compressed.
Both sites are served by the same plain static server, from the same machine.
"""

from __future__ import annotations

import json
import re
import statistics
import threading
import time
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from .measure import gzip_size
from .tools import CHROMIUM

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


@dataclass(frozen=True)
class Query:
    """One search. ``ours`` and ``pagefind`` are the same intent in each engine's syntax
    (lunr wants ``export*`` for a prefix; Pagefind matches prefixes by itself)."""

    kind: str
    ours: str
    pagefind: str
    tag: str = ""

    @property
    def label(self) -> str:
        return self.ours + (f" [tag {self.tag}]" if self.tag else "")


def _q(kind: str, text: str, tag: str = "") -> Query:
    return Query(kind, text, text, tag)


# Frequencies among the first 1,000 articles (in every size set): common words are in
# 60-240 of them, rare ones in 1-7.
QUERIES: tuple[Query, ...] = (
    _q("common", "oil"),
    _q("common", "bank"),
    _q("common", "company"),
    _q("common", "market"),
    _q("common", "shares"),
    _q("common", "prices"),
    _q("common", "trade"),
    _q("rare", "cocoa"),
    _q("rare", "zinc"),
    _q("rare", "temporao"),
    _q("rare", "uruguay"),
    _q("rare", "ecuador"),
    _q("rare", "rubber"),
    _q("rare", "copper"),
    _q("two words", "oil prices"),
    _q("two words", "interest rates"),
    _q("two words", "trade deficit"),
    _q("two words", "money supply"),
    _q("two words", "crude oil"),
    Query("prefix", "export*", "export"),
    Query("prefix", "petro*", "petro"),
    _q("tag filter", "oil", "crude"),
    _q("tag filter", "prices", "grain"),
    _q("tag filter", "shares", "acq"),
)


@dataclass(frozen=True)
class Engine:
    """How to drive one search page: its URL, what a shown result and "no results" look like,
    and the in-page code that runs a second query."""

    name: str
    path: str  # the search page, relative to the site root
    result: str  # CSS selector of a result title that is on screen
    message: str  # CSS selector of the status line
    empty: str  # regular expression for "no results" in the status line
    warm: str  # JavaScript: async ({q, tag}) => milliseconds

    def url(self, base: str, query: Query) -> str:
        text = query.ours if self.name == "newsarchive" else query.pagefind
        params = {"q": text, **({"tag": query.tag} if query.tag else {})}
        return f"{base}{self.path}?{urlencode(params)}"

    def text(self, query: Query) -> str:
        return query.ours if self.name == "newsarchive" else query.pagefind


# Resolves once check() is true, re-checking after every DOM change.
# (page.evaluate has no timeout of its own, so this one gives up after WARM_TIMEOUT_MS.)
_WAIT_JS = """
function benchWaitFor (check) {
  return new Promise(function (resolve, reject) {
    if (check()) return resolve()
    var observer = new MutationObserver(function () {
      if (check()) { observer.disconnect(); clearTimeout(timer); resolve() }
    })
    var timer = setTimeout(function () {
      observer.disconnect()
      reject(new Error('no results within WARM_TIMEOUT_MS ms'))
    }, WARM_TIMEOUT_MS)
    observer.observe(document.body, { childList: true, subtree: true, characterData: true })
  })
}
""".replace("WARM_TIMEOUT_MS", "120000")

OURS = Engine(
    name="newsarchive",
    path="search/index.html",
    result="#search-results .search-result .search-result-title a",
    message="#search-status",
    empty=r"^(No articles found|There is no tag)",
    # The page keeps its state in the URL and renders on popstate: the same code path as the
    # search form, and it can also set the tag filter.
    warm="""async ({q, tag}) => {
  WAIT_FOR
  var list = document.getElementById('search-results')
  var status = document.getElementById('search-status')
  var params = new URLSearchParams()
  params.set('q', q)
  if (tag) params.set('tag', tag)
  var t0 = performance.now()
  history.pushState(null, '', '?' + params.toString())
  window.dispatchEvent(new PopStateEvent('popstate'))
  await benchWaitFor(function () {
    var text = status.textContent
    return text.indexOf('\\u201c' + q + '\\u201d') >= 0 &&
      (list.querySelector('.search-result-title a') !== null || /^No articles/.test(text))
  })
  return performance.now() - t0
}""".replace("WAIT_FOR", _WAIT_JS),
)

PAGEFIND = Engine(
    name="pagefind",
    path="search/",
    result=".pagefind-ui__result-link",
    message=".pagefind-ui__message",
    empty=r"^No results",
    warm="""async ({q, tag}) => {
  WAIT_FOR
  var ui = window.benchSearchUI
  var t0 = performance.now()
  ui.triggerFilters(tag ? { tag: [tag] } : {})
  ui.triggerSearch(q)
  await benchWaitFor(function () {
    var message = document.querySelector('.pagefind-ui__message')
    if (!message) return false
    var text = message.textContent.trim()
    if (/^No results/.test(text)) return text.slice(-q.length) === q
    if (!/ for /.test(text) || text.slice(-(q.length + 5)) !== ' for ' + q) return false
    return document.querySelector(
      '.pagefind-ui__results > li:first-child .pagefind-ui__result-link') !== null
  })
  return performance.now() - t0
}""".replace("WAIT_FOR", _WAIT_JS),
)

# Installed in every document before its own scripts: notes when the first result title
# (or the "no results" message) enters the page, relative to navigation start. Insertions
# are caught synchronously by wrapping appendChild/insertBefore (what both UIs use), so the
# time is not that of the end of the task that rendered the results (a MutationObserver's),
# when requests made later in the same task (our snippet texts) may already be done. The
# observer stays as a fallback and catches the "no results" text.
_FIRST_RESULT_JS = """
(function (spec) {
  window.__bench = { done: false }
  var empty = new RegExp(spec.empty)
  function finish (found) {
    var now = performance.now()
    window.__bench = { done: true, ms: now, found: found, epoch: performance.timeOrigin + now }
  }
  function wrap (proto, name) {
    var original = proto[name]
    proto[name] = function () {
      var result = original.apply(this, arguments)
      var node = arguments[0]
      if (!window.__bench.done && node && node.nodeType === 1 && node.isConnected &&
          (node.matches(spec.result) || node.querySelector(spec.result))) finish(true)
      return result
    }
  }
  wrap(Node.prototype, 'appendChild')
  wrap(Node.prototype, 'insertBefore')
  function check () {
    if (window.__bench.done) return
    var message = document.querySelector(spec.message)
    var text = message ? message.textContent.trim() : ''
    if (document.querySelector(spec.result)) finish(true)
    else if (text && empty.test(text)) finish(false)
  }
  new MutationObserver(check).observe(document, { childList: true, subtree: true,
                                                   characterData: true })
})(SPEC)
"""


@dataclass
class Served:
    """One response body the static server sent: when it finished and which file."""

    finished: float  # time.time(), comparable with the page's performance.timeOrigin
    path: Path
    bytes: int


class _Handler(SimpleHTTPRequestHandler):
    """Plain static files over HTTP/1.1 keep-alive, no compression, every body logged."""

    protocol_version = "HTTP/1.1"
    # Without TCP_NODELAY a small body written after its headers waits for the browser's
    # delayed ACK (about 40 ms on Linux): every dependent request of a page would pay it.
    disable_nagle_algorithm = True
    served: list[Served]
    lock: threading.Lock

    def log_message(self, format: str, *args: object) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        super().copyfile(source, outputfile)
        path = Path(self.translate_path(urlsplit(self.path).path))
        if path.is_dir():
            path = path / "index.html"
        with self.lock:
            self.served.append(Served(time.time(), path, source.tell()))


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser closing a keep-alive connection (context closed) is not an error."""


class StaticServer:
    """A static server for one site folder on a free port, in a thread of this process."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.served: list[Served] = []
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"served": self.served, "lock": self.lock})
        self.httpd = _Server(("127.0.0.1", 0), partial(handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def take(self) -> list[Served]:
        """The responses since the last call (handler threads append concurrently)."""
        with self.lock:
            items = list(self.served)
            self.served.clear()
        return items

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class GzipCache:
    """``gzip -6`` size of each served file, computed once per file."""

    def __init__(self) -> None:
        self.sizes: dict[Path, int] = {}

    def __call__(self, path: Path) -> int:
        if path not in self.sizes:
            self.sizes[path] = gzip_size(path.read_bytes()) if path.is_file() else 0
        return self.sizes[path]


def _count(entries: list[Served], gz: GzipCache) -> dict[str, int]:
    return {
        "requests": len(entries),
        "bytes": sum(e.bytes for e in entries),
        "gzip": sum(gz(e.path) for e in entries),
    }


_COUNT_RE = re.compile(r"(\d[\d,]*)\s+(?:articles?|results?)")


def _shown_count(text: str) -> int | None:
    match = _COUNT_RE.search(text)
    return int(match.group(1).replace(",", "")) if match else None


def one_query(
    browser: Any,
    server: StaticServer,
    engine: Engine,
    query: Query,
    warm_query: Query,
    gz: GzipCache,
    timeout: float,
) -> dict[str, Any]:
    """A cold load of ``query`` in a fresh context, then ``warm_query`` in the same page."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(timeout * 1000)
        spec = {"result": engine.result, "message": engine.message, "empty": engine.empty}
        page.add_init_script(_FIRST_RESULT_JS.replace("SPEC", json.dumps(spec)))
        server.take()
        page.goto(engine.url(server.url, query), wait_until="commit")
        page.wait_for_function("window.__bench && window.__bench.done")
        first = page.evaluate("window.__bench")
        page.wait_for_load_state("networkidle")
        served = server.take()
        message = page.evaluate(
            "(s) => { var m = document.querySelector(s); return m ? m.textContent : '' }",
            engine.message,
        )
        before = [e for e in served if e.finished * 1000 <= first["epoch"]]
        warm: dict[str, Any] = {"warm_query": warm_query.label}
        try:
            arg = {"q": engine.text(warm_query), "tag": warm_query.tag}
            warm["warm_ms"] = page.evaluate(engine.warm, arg)
            warm["warm_bytes"] = sum(e.bytes for e in server.take())
        except Exception as exc:  # keep the cold figures
            warm["warm_ms"] = None
            warm["warm_error"] = str(exc)[:300]
        return {
            "query": query.label,
            "kind": query.kind,
            "found": bool(first["found"]),
            "shown": _shown_count(message),
            "first_results_ms": first["ms"],
            "until_first": _count(before, gz),
            "until_idle": _count(served, gz),
            **warm,
        }
    finally:
        context.close()


def measure_search(
    sites: dict[str, Path], queries: tuple[Query, ...] = QUERIES, timeout: float = 300.0
) -> dict[str, Any]:
    """Every query on every site (``{"newsarchive": folder, "pagefind": folder}``)."""
    from playwright.sync_api import sync_playwright

    engines = {"newsarchive": OURS, "pagefind": PAGEFIND}
    results: dict[str, Any] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results["chromium"] = browser.version
        try:
            for name, folder in sites.items():
                engine = engines[name]
                server = StaticServer(folder)
                gz = GzipCache()
                rows = []
                try:
                    for i, query in enumerate(queries):
                        warm = queries[(i + 1) % len(queries)]
                        try:
                            rows.append(
                                one_query(browser, server, engine, query, warm, gz, timeout)
                            )
                        except Exception as exc:  # one stuck query must not lose the others
                            error = {"query": query.label, "kind": query.kind}
                            rows.append({**error, "error": str(exc)[:300]})
                finally:
                    server.close()
                results[name] = {"queries": rows, "summary": summarize(rows)}
        finally:
            browser.close()
    return results


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the queries that showed results (the table's headline figures)."""
    ok = [r for r in rows if "error" not in r and r["found"]]
    if not ok:
        return {"queries": 0, "errors": len(rows)}

    def med(values: list[float]) -> float:
        return statistics.median(values)

    warm = [r["warm_ms"] for r in ok if r.get("warm_ms") is not None]
    return {
        "queries": len(ok),
        "no_results": sum(1 for r in rows if "error" not in r and not r["found"]),
        "errors": sum(1 for r in rows if "error" in r),
        "first_results_ms": med([r["first_results_ms"] for r in ok]),
        "first_results_ms_max": max(r["first_results_ms"] for r in ok),
        "bytes_until_first": med([r["until_first"]["bytes"] for r in ok]),
        "gzip_until_first": med([r["until_first"]["gzip"] for r in ok]),
        "bytes_until_idle": med([r["until_idle"]["bytes"] for r in ok]),
        "gzip_until_idle": med([r["until_idle"]["gzip"] for r in ok]),
        "warm_ms": med(warm) if warm else None,
        "warm_ms_max": max(warm) if warm else None,
    }
