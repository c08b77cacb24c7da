"""The archive as data and redirect pages, in a real browser, served three ways (root,
file://, /news/): the links to /data/, its downloads, and an old address arriving at its
article; axe on a redirect page (the /data/ page is in test_a11y's PAGES)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from .conftest import REDIRECTS, Served, watched_page
from .test_a11y import BLOCKING, describe, run_axe
from .test_browse import SERVINGS, click_to, goto_home

pytestmark = pytest.mark.corpus
SEED_TITLE = "Lukashenko discussed Belarus’ security guarantees with Shoigu in Minsk"


@pytest.fixture(params=SERVINGS)
def site_page(request: pytest.FixtureRequest) -> tuple[Page, Served]:
    return request.getfixturevalue(request.param)


def _download(page: Page, name: str) -> bytes:
    """The file a click on the /data/ page's link ``name`` gives."""
    link = page.get_by_role("link", name=name, exact=True)
    href = link.evaluate("a => a.href")
    assert href.endswith(f"/data/{name}")
    if href.startswith("file:"):
        return Path(unquote(urlsplit(href).path)).read_bytes()
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert path is not None
    return Path(path).read_bytes()


def test_data_page_from_home_and_archive_and_its_downloads(
    site_page: tuple[Page, Served], site: Path
) -> None:
    page, served = site_page
    goto_home(page, served)
    url = click_to(page, page.locator(".data-link a"), served)
    assert url == served.url + "data/index.html"
    expect(page.locator("h1")).to_have_text("The archive as data")
    click_to(
        page,
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Archive"),
        served,
    )
    assert click_to(page, page.locator(".data-link a"), served) == url
    kind = '<meta property="og:type" content="article">'
    articles = sum(kind in p.read_text("utf-8") for p in site.glob("[0-9]*/**/index.html"))
    rows = list(csv.DictReader(io.StringIO(_download(page, "articles.csv").decode(), newline="")))
    assert len(rows) == articles == 301
    lines = _download(page, "articles.jsonl").decode().split("\n")
    assert lines[-1] == "" and len(lines) == articles + 1
    assert [json.loads(line)["url"] for line in lines[:-1]] == [row["url"] for row in rows]
    tags = list(csv.DictReader(io.StringIO(_download(page, "tags.csv").decode(), newline="")))
    # Every tag page, not the redirect pages of renamed tags (tags/usa/ -> united-states).
    pages = (p.read_text("utf-8") for p in (site / "tags").glob("*/index.html"))
    assert len(tags) == sum('http-equiv="refresh"' not in text for text in pages)
    meta = page.locator(".data-files .meta").all_inner_texts()
    assert meta[0].startswith("301 rows · ") and meta[1].startswith("301 rows · ")
    assert meta[2].startswith(f"{len(tags)} rows · ")


@pytest.mark.parametrize("old", REDIRECTS)
def test_an_old_address_arrives_at_its_article(site_page: tuple[Page, Served], old: str) -> None:
    page, served = site_page
    page.goto(served.url + (old + "index.html" if old.endswith("/") else old))
    page.wait_for_url(re.compile(r"/2023/04/10/lukashenko-[^/]+/index\.html$"))
    assert page.url.startswith(served.url)
    expect(page.locator("h1")).to_contain_text(SEED_TITLE)


def test_a_redirect_page_is_accessible(browser: Browser, served_root: Served) -> None:
    """Checked as it shows when a browser does not follow the refresh (it is taken out)."""
    page, watch = watched_page(browser, {served_root.host})
    url = served_root.url + REDIRECTS[0] + "index.html"

    def without_refresh(route: Route) -> None:
        body = route.fetch().text()
        assert 'http-equiv="refresh"' in body
        route.fulfill(
            body=re.sub(r'<meta http-equiv="refresh"[^>]*>', "", body), content_type="text/html"
        )

    try:
        page.route(url, without_refresh)
        page.goto(url)
        expect(page.locator("h1")).to_have_text("Moved")
        link = page.locator("main a")
        expect(link).to_contain_text(SEED_TITLE)
        violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
        assert not violations, describe(violations)
        link.click()
        page.wait_for_url(re.compile(r"/2023/04/10/lukashenko-[^/]+/index\.html$"))
    finally:
        page.context.close()
    watch.assert_clean()
