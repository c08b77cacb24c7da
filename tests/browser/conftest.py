"""Real-browser fixtures: one site (seeds + Reuters sample), served three ways, and a
Chromium page that records every console error, failed request and foreign request.

The site needs the Reuters corpus: a test using it is marked ``corpus`` (tests/conftest.py)
and skips without it. Pagination, the busiest listings and the search flows need hundreds of
articles, which seeds/ alone does not have; the checks of seeds/ alone (valid HTML of its
site, the serve editing loop) build their own site and run anywhere.

Chromium is Debian's (``/usr/bin/chromium``, or $CHROMIUM), driven by Playwright for Python;
Playwright's own browser download is never used.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, sync_playwright

from newsarchive.build import build_site
from newsarchive.config import Config

from ..conftest import REPO, SEEDS
from ..langsite import LANGUAGE_ARTICLES

BROWSER_SAMPLE = 300  # Reuters articles added to the seed article
REDIRECTS = ("old-news/lukashenko-meets-shoigu/", "old-news/shoigu.html")  # the seed's aliases
ARTIFACTS = REPO / "test-artifacts"
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


@pytest.fixture(scope="session")
def browser_source(reuters_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/ plus a few hundred Reuters articles (by NEWID), as one source folder."""
    source = tmp_path_factory.mktemp("browser-source")
    for path in SEEDS.glob("*.txt"):  # with old addresses: redirect pages (REDIRECTS)
        text = path.read_text("utf-8").replace("\n", f"\nAliases: {', '.join(REDIRECTS)}\n", 1)
        (source / path.name).write_text(text, "utf-8")
    files = sorted(reuters_dir.glob("*.txt"), key=lambda p: int(p.stem.split("-")[1]))
    for path in files[:BROWSER_SAMPLE]:
        shutil.copyfile(path, source / path.name)
    return source


@pytest.fixture(scope="session")
def site(browser_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site. Links are relative, so the same files serve every scenario."""
    out = tmp_path_factory.mktemp("browser-site") / "site"
    config = Config(base_url="https://example.org/news/", timezone="Europe/Minsk", per_page=10)
    result = build_site(config, browser_source, out, cache_dir=out.parent / "cache")
    assert result.ok, result.errors
    return out


@pytest.fixture(scope="session")
def russian_site(browser_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same articles (marked ``Lang: en``) and tests/data/languages' in a site whose
    language is Russian: its interface is checked as the English one is (issue 16)."""
    source = tmp_path_factory.mktemp("browser-source-ru")
    for path in browser_source.glob("*.txt"):
        text = path.read_text("utf-8")
        (source / path.name).write_text(text.replace("\n", "\nLang: en\n", 1), "utf-8")
    for path in LANGUAGE_ARTICLES.glob("*.txt"):
        shutil.copyfile(path, source / path.name)
    out = tmp_path_factory.mktemp("browser-site-ru") / "site"
    config = Config(
        base_url="https://example.org/news/", timezone="Europe/Minsk", per_page=10, language="ru"
    )
    result = build_site(config, source, out, cache_dir=out.parent / "cache")
    assert result.ok, result.errors
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static files under an optional prefix (``/news/``); anything else is a 404."""

    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        url_path = urlsplit(path).path
        if not url_path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + url_path[len(self.prefix) :])


@dataclass
class Served:
    """A site served over HTTP on 127.0.0.1: ``url`` ends with the prefix (``/`` or ``/news/``)."""

    url: str
    host: str


def _serve(site: Path, prefix: str) -> Iterator[Served]:
    handler = type("Handler", (_QuietHandler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host = f"127.0.0.1:{server.server_address[1]}"
    try:
        yield Served(f"http://{host}{prefix}", host)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_root(site: Path) -> Iterator[Served]:
    yield from _serve(site, "/")


@pytest.fixture(scope="session")
def served_subpath(site: Path) -> Iterator[Served]:
    yield from _serve(site, "/news/")


@pytest.fixture(scope="session")
def served_russian_root(russian_site: Path) -> Iterator[Served]:
    yield from _serve(russian_site, "/")


@pytest.fixture(scope="session")
def served_russian_subpath(russian_site: Path) -> Iterator[Served]:
    yield from _serve(russian_site, "/news/")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    assert Path(executable).exists(), f"{executable} missing: make test installs Debian's chromium"
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Watch:
    """What a page did that a person would notice or that breaks the promise of no tracking."""

    allowed_hosts: set[str]
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} @ {message.location.get('url')}")

    def on_page_error(self, error: Exception) -> None:
        self.console_errors.append(f"uncaught: {error}")

    def on_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.scheme == "file":
            if "file" not in self.allowed_hosts:
                self.foreign.append(request.url)
        elif parts.netloc not in self.allowed_hosts:
            self.foreign.append(request.url)

    def on_request_failed(self, request: Request) -> None:
        # Navigating away cancels requests still in flight (often the favicon): not a broken
        # resource. A missing file still shows up, as an HTTP error response or load error.
        if request.failure != "net::ERR_ABORTED":
            self.failed.append(f"{request.url}: {request.failure}")

    def on_response(self, response) -> None:  # type: ignore[no-untyped-def]
        if response.status >= 400:
            self.failed.append(f"{response.url}: HTTP {response.status}")

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.failed == [], self.failed
        assert self.foreign == [], self.foreign


def watched_page(
    browser: Browser, allowed_hosts: set[str], **context_options: object
) -> tuple[Page, Watch]:
    """A fresh context and page with every listener attached (scenario 6 on every page)."""
    context = browser.new_context(**context_options)  # type: ignore[arg-type]
    page = context.new_page()
    watch = Watch(set(allowed_hosts))
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)
    page.on("request", watch.on_request)
    page.on("requestfailed", watch.on_request_failed)
    page.on("response", watch.on_response)
    return page, watch


@pytest.fixture
def http_page(browser: Browser, served_root: Served) -> Iterator[tuple[Page, Served]]:
    """A watched page for the site at the root of a host; checked clean after the test."""
    page, watch = watched_page(browser, {served_root.host})
    yield page, served_root
    page.context.close()
    watch.assert_clean()


@pytest.fixture
def subpath_page(browser: Browser, served_subpath: Served) -> Iterator[tuple[Page, Served]]:
    """A watched page for the site served under ``/news/``."""
    page, watch = watched_page(browser, {served_subpath.host})
    yield page, served_subpath
    page.context.close()
    watch.assert_clean()


@pytest.fixture
def file_page(browser: Browser, site: Path) -> Iterator[tuple[Page, Served]]:
    """A watched page for the site opened from disk; ``url`` is the folder's file:// URL."""
    page, watch = watched_page(browser, {"file"})
    yield page, Served(site.as_uri() + "/", "file")
    page.context.close()
    watch.assert_clean()


def screenshot_dir() -> Path:
    """Screenshots for people to look at (not committed: test-artifacts/ is git-ignored)."""
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- a sample of the site's pages (a11y, valid HTML, layout) --------------------------------


def _busiest(folders: list[Path]) -> Path:
    """The listing with the most pages (then the earliest): the one that shows pagination."""
    return max(sorted(folders), key=lambda f: len(list((f / "page").glob("*"))))


def _front(folder: Path) -> str:
    page = folder / "index.html"
    return page.read_text("utf-8") if page.is_file() else ""


def pick_pages(site: Path) -> dict[str, str]:
    """One page of each kind, as ``{name: path relative to the site root}``.

    Chosen from the built files, not hard-coded, so a different sample still works: the
    busiest tag and year/month/day (so pagination and child lists show), an article with
    tags and both neighbours, the newest (the seed: credits, Unicode quotes, a long title),
    the longest, and a search with many results (filled in by JavaScript from the query).
    """
    years = [p for p in site.iterdir() if p.is_dir() and p.name.isdigit()]
    year = _busiest(years)
    month = _busiest([p for p in year.iterdir() if p.name.isdigit()])
    day = _busiest([p for p in month.iterdir() if p.name.isdigit()])
    articles = sorted(p.parent for p in day.glob("*/index.html") if p.parent.name != "page")
    tagged = [a for a in articles if 'rel="tag"' in (a / "index.html").read_text("utf-8")]
    article = (tagged or articles)[len(tagged or articles) // 2]
    every = [p for p in site.glob("[0-9]*/[0-9]*/[0-9]*/*/index.html") if p.parent.name != "page"]
    longest = max(sorted(every), key=lambda p: p.stat().st_size).parent
    tag = _busiest([p for p in (site / "tags").iterdir() if p.is_dir()])
    # The place with the most articles that has a small map on its tag page.
    mapped = [p for p in (site / "tags").iterdir() if 'class="here"' in _front(p)]
    place = _busiest(mapped) if mapped else tag
    home = (site / "index.html").read_text("utf-8")
    newest = re.search(r'class="entry-title"><a href="([^"]+)index\.html"', home)
    assert newest, "no article listed on the home page"

    def rel(folder: Path) -> str:
        return folder.relative_to(site).as_posix() + "/index.html"

    return {
        "home": "index.html",
        "article": rel(article),
        "newest-article": newest.group(1) + "index.html",
        "long-article": rel(longest),
        "tags": "tags/index.html",
        "tag": rel(tag),
        "sources": "sources/index.html",
        "source": rel(_busiest([p for p in (site / "sources").iterdir() if p.is_dir()])),
        "places": "places/index.html",
        "place-tag": rel(place),
        "year": rel(year),
        "month": rel(month),
        "day": rel(day),
        "archive": "archive/index.html",
        "search": "search/index.html?q=oil",
        # A phrase, a date range and the notices they add.
        "search-phrase": "search/index.html?q=%22oil+prices%22&from=1987-03-01",
        "404": "404.html",
        "data": "data/index.html",
        "redirect": REDIRECTS[0] + "index.html",
    }


@pytest.fixture(scope="session")
def site_pages(site: Path) -> dict[str, str]:
    """``pick_pages`` of the shared site."""
    return pick_pages(site)


@pytest.fixture(scope="session")
def russian_site_pages(russian_site: Path) -> dict[str, str]:
    """``pick_pages`` of the Russian-language site."""
    return pick_pages(russian_site)


def wait_for_search_results(page: Page) -> None:
    """On the search page, wait until results and their snippets are in (they load as
    scripts after the page); other pages are complete once loaded."""
    if page.locator("#search-app").count():
        page.wait_for_selector("#search-results > li")
        page.wait_for_function("!document.querySelector('#search-results [aria-busy]')")
