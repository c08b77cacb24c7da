"""A site built with a tiny folder limit (the search index fanned out into hash-prefix
sub-folders, listing pages in folders of their dates) searches and pages exactly as the usual
one, from a host's root, a sub-path and file://."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from newsarchive import folders
from newsarchive.build import build_site
from newsarchive.config import Config
from newsarchive.search import tables

from .conftest import Served, _serve, watched_page
from .test_search_ui import result_folders, start_url, wait_for_results

pytestmark = pytest.mark.corpus
TINY = 16  # one hex digit a level; the 30 listing pages pass it
SEARCHES = [
    ("search/index.html?q=oil", "oil"),  # posting shards, metadata and snippet texts
    ("search/index.html?q=%22oil+prices%22", "oil prices"),  # every candidate's text
    ("search/index.html?q=oil&tag=crude", "oil"),  # a tag's documents
    ("search/index.html?q=-oil", "-oil"),  # every year's documents
]


@pytest.fixture(scope="module")
def fanned_site(browser_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared site's articles and settings, built with FOLDER_LIMIT = TINY."""
    out = tmp_path_factory.mktemp("fanned-site") / "site"
    config = Config(base_url="https://example.org/news/", timezone="Europe/Minsk", per_page=10)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(folders, "FOLDER_LIMIT", TINY)
        patch.setattr(tables, "TABLE_INLINE", TINY)  # the entry's tables in pieces too
        result = build_site(config, browser_source, out, cache_dir=out.parent / "cache")
    assert result.ok, result.errors
    assert any(p.is_dir() for p in (out / "search" / "m").iterdir()), "not fanned out"
    deep = [p.relative_to(out).as_posix() for p in (out / "page").rglob("index.html")]
    assert deep and all(
        re.fullmatch(r"page/\d{4}/\d\d/\d\d/\d{4}(-\d+)?/index.html", p) for p in deep
    )
    assert any((out / "search" / "r").iterdir()), "no pieces of the entry's tables"
    return out


@pytest.fixture(scope="module", params=["root", "subpath", "file"])
def fanned(request: pytest.FixtureRequest, fanned_site: Path) -> Iterator[Served]:
    if request.param == "file":
        yield Served(fanned_site.as_uri() + "/", "file")
    else:
        yield from _serve(fanned_site, "/" if request.param == "root" else "/news/")


@pytest.fixture
def fanned_page(browser: Browser, fanned: Served) -> Iterator[tuple[Page, Served]]:
    page, watch = watched_page(browser, {fanned.host})
    yield page, fanned
    page.context.close()
    watch.assert_clean()  # no missing file, no console error


def results(page: Page, served: Served, path: str, query: str) -> tuple[int, list[str]]:
    page.goto(start_url(served, path))
    total = wait_for_results(page, query)
    return total, result_folders(page, served)


def test_search_finds_the_same_in_fanned_folders(
    fanned_page: tuple[Page, Served], file_page: tuple[Page, Served]
) -> None:
    page, served = fanned_page
    usual_page, usual = file_page  # the shared site, built with the usual limit
    for path, query in SEARCHES:
        total, found = results(page, served, path, query)
        assert total > 0 and found, path
        assert (total, found) == results(usual_page, usual, path, query), path
        snippets = page.locator("#search-results .search-result-snippet").all_inner_texts()
        assert snippets and all(s.strip() for s in snippets), path


def test_deep_listing_pages_are_linked(fanned_page: tuple[Page, Served]) -> None:
    """The front page links to the newest numbered pages, which live in folders of their
    dates; from there the pager leads on, every page found (the watch fails on any 404)."""
    page, served = fanned_page
    page.goto(start_url(served))
    hrefs = page.locator("a[href]").evaluate_all(
        "links => links.filter(a => typeof a.href === 'string').map(a => a.href)"
    )
    deep = [h for h in hrefs if re.search(r"/page/\d{4}/\d\d/\d\d/\d{4}(-\d+)?/", h)]
    assert deep, hrefs
    for href in deep:
        page.goto(href)
        expect(page.locator(".entry-title a").first).to_be_visible()
        older = page.locator('a[rel="prev"], a[rel="next"]')
        assert older.count() > 0
        for link in older.evaluate_all("links => links.map(a => a.href)"):
            page.goto(link)
            expect(page.locator(".entry-title a").first).to_be_visible()


def test_the_rest_of_the_tables_load_after_the_results(
    fanned_page: tuple[Page, Served], fanned_site: Path
) -> None:
    """Once a query's results are all shown, the page loads every other piece of the entry's
    tables (search-ui.js's loadTables), so that a next query waits for none of them; before
    its results, it loads only those it needs."""
    page, served = fanned_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    pieces = {p.name for p in (fanned_site / "search" / "r").iterdir()}

    def pieces_loaded() -> set[str]:
        return {url.rsplit("/", 1)[-1] for url in requested if "/search/r/" in url}

    page.goto(start_url(served, "search/index.html?q=wheat"))
    page.wait_for_selector("#search-results .search-result")
    page.wait_for_timeout(50)
    deadline = time.monotonic() + 10
    while pieces_loaded() != pieces and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert pieces_loaded() == pieces and len(pieces) > 3
