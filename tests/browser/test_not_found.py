"""The 404 page as hosts serve it: for any missing address, at any depth, with status 404.

The repository's own ``archive.toml`` (base_url at a host's root) and the same site with a
sub-path base_url, each served the way static hosts serve a 404 page, and the page opened
from disk: styled, and its links lead to the site's pages.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from newsarchive.build import build_site
from newsarchive.config import load_config

from ..conftest import REPO, SEEDS
from .conftest import watched_page


class _HostHandler(SimpleHTTPRequestHandler):
    """Files under ``prefix``; for anything missing there, the site's 404.html with status
    404, as GitHub Pages, Netlify and nginx's ``error_page 404`` do."""

    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = urlsplit(self.path).path
        local = Path(self.directory) / path[len(self.prefix) :].lstrip("/")
        if not path.startswith(self.prefix) or not (
            local.is_file() or (local / "index.html").is_file()
        ):
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        self.path = "/" + path[len(self.prefix) :]
        return super().send_head()


def _host(site: Path, prefix: str) -> Iterator[str]:
    handler = type("Handler", (_HostHandler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seeds site with the shipped archive.toml (a root base_url), and with a sub-path."""
    shipped = load_config(REPO / "archive.toml")
    assert urlsplit(shipped.site_url).path == "/"
    out = {}
    for name, config in (
        ("root", shipped),
        ("subpath", replace(shipped, base_url="https://example.org/news/")),
    ):
        folder = tmp_path_factory.mktemp(f"not-found-{name}")
        result = build_site(config, SEEDS, folder / "site", cache_dir=folder / "cache")
        assert result.ok, result.errors
        out[name] = folder / "site"
    return out


def _check_styled_and_linked(page: Page, home: str) -> None:
    """The theme's stylesheet applies, and the title link leads to the home page."""
    # The search label is hidden off-screen by the stylesheet (position: static without it).
    label = page.locator("label.visually-hidden")
    assert label.evaluate("e => getComputedStyle(e).position") == "absolute"
    title = page.locator("a.site-title")
    assert title.evaluate("a => a.href") == home
    title.click()
    page.wait_for_url(home)
    assert page.locator("h1.page-title").inner_text() == "Latest articles"


@pytest.mark.parametrize(("name", "prefix"), [("root", "/"), ("subpath", "/news/")])
def test_served_404_is_styled_and_its_links_work_at_any_depth(
    browser: Browser, sites: dict[str, Path], name: str, prefix: str
) -> None:
    for base in _host(sites[name], prefix):
        host = urlsplit(base).netloc
        for missing in ("no-such-page", "2023/04/10/no/such/page/", "tags/nobody/page/9/"):
            page, watch = watched_page(browser, {host})
            try:
                response = page.goto(base + missing)
                assert response is not None and response.status == 404
                assert page.locator("h1").inner_text() == "Page not found"
                _check_styled_and_linked(page, base + "index.html")
            finally:
                page.context.close()
            # The page itself is the one expected 404; everything it loads must load.
            watch.failed = [f for f in watch.failed if missing not in f]
            watch.console_errors = [e for e in watch.console_errors if missing not in e]
            watch.assert_clean()


def test_404_opened_from_disk_is_styled_and_links_into_the_site(
    browser: Browser, sites: dict[str, Path]
) -> None:
    for site in sites.values():
        page, watch = watched_page(browser, {"file"})
        try:
            page.goto((site / "404.html").as_uri())
            _check_styled_and_linked(page, (site / "index.html").as_uri())
        finally:
            page.context.close()
        watch.assert_clean()


def test_404_of_a_sub_path_site_tried_at_a_host_root_is_styled(
    browser: Browser, sites: dict[str, Path]
) -> None:
    """Built for /news/ but served at a root (trying a site out locally): the page's <base>
    falls back to the host's root instead of a /news/ that does not exist there."""
    for base in _host(sites["subpath"], "/"):
        page, watch = watched_page(browser, {urlsplit(base).netloc})
        try:
            response = page.goto(base + "2023/04/10/no/such/page/")
            assert response is not None and response.status == 404
            assert page.evaluate("document.baseURI") == base
            _check_styled_and_linked(page, base + "index.html")
        finally:
            page.context.close()
        watch.failed = [f for f in watch.failed if "no/such/page" not in f]
        watch.console_errors = [e for e in watch.console_errors if "no/such" not in e]
        watch.assert_clean()
