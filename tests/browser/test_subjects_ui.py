"""The /tags/ page's filter box, sort and A–Z jump, and an old tag URL's redirect page, in
Chromium on the three servings (root, file://, sub-path); axe-core and the Nu checker on the
authors' pages (the shared site's Reuters articles have sources but no authors)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from newsarchive.build import build_site
from newsarchive.config import Config

from ..conftest import article_text
from .conftest import Served, _serve, watched_page
from .test_a11y import BLOCKING, describe, run_axe
from .test_html_valid import check

SERVINGS = ["http_page", "file_page", "subpath_page"]


@pytest.fixture(params=SERVINGS)
def site_page(request: pytest.FixtureRequest) -> tuple[Page, Served]:
    return request.getfixturevalue(request.param)


def visible_tags(page: Page) -> list[str]:
    return page.locator(".all-tags li:visible > a").all_inner_texts()


@pytest.mark.corpus
def test_filter_sort_and_jump(site_page: tuple[Page, Served]) -> None:
    page, served = site_page
    page.goto(served.url + "tags/index.html")
    expect(page.locator(".tag-tools")).to_be_visible()  # the script shows its tools
    every = visible_tags(page)
    assert len(every) > 100 and "United States" in every and "usa" not in every
    page.locator("#tag-filter").press_sequentially("unit")
    narrowed = visible_tags(page)
    assert narrowed and len(narrowed) < len(every) // 10
    assert all("unit" in name.lower() for name in narrowed) and "United States" in narrowed
    expect(page.locator(".tag-shown")).to_have_text(f"{len(narrowed)} tags shown")
    expect(page.locator(".az-jump a:visible", has_text="U")).to_have_count(1)
    expect(page.locator(".az-jump a:visible", has_text="B")).to_have_count(0)  # no B left
    page.locator("#tag-filter").fill("")
    # Most articles first: the counts fall down the list; back to A-Z restores the order.
    page.get_by_role("button", name="Most articles").click()
    counts = [
        int(c.replace(",", "")) for c in page.locator(".tag-by-count .count").all_inner_texts()
    ]
    assert len(counts) == len(every) and counts == sorted(counts, reverse=True)
    assert page.locator(".tag-by-count li > a").first.inner_text() == "United States"
    expect(page.locator(".az-jump")).to_be_hidden()
    page.get_by_role("button", name="A–Z").click()
    assert visible_tags(page) == every
    # The A–Z jump lands on the letter's tags.
    page.locator(".az-jump a", has_text="W").click()
    assert page.url.endswith("#tags-w")
    expect(page.locator("#tags-w")).to_be_in_viewport()
    expect(page.locator("#tags-w li > a", has_text="West Germany")).to_be_visible()


@pytest.mark.corpus
def test_old_tag_url_arrives_at_the_tag(site_page: tuple[Page, Served]) -> None:
    page, served = site_page
    page.goto(served.url + "tags/usa/index.html")
    page.wait_for_url("**/tags/united-states/index.html")
    assert page.url.startswith(served.url)
    expect(page.locator("h1.page-title")).to_contain_text("United States")


@pytest.mark.corpus
def test_tag_page_often_with_links(site_page: tuple[Page, Served]) -> None:
    page, served = site_page
    page.goto(served.url + "tags/united-states/index.html")
    often = page.locator(".often-with a")
    assert 3 <= often.count() <= 8
    name = often.first.inner_text()
    often.first.click()
    expect(page.locator("h1.page-title")).to_contain_text(name)
    # Entries on a tag page do not repeat the tag's own chip.
    page.goto(served.url + "tags/united-states/index.html")
    expect(page.locator(".entries a.tag", has_text="United States")).to_have_count(0)


def test_authors_and_sources_pages_are_accessible_and_valid(
    browser: Browser, tmp_path: Path
) -> None:
    source = tmp_path / "articles"
    source.mkdir()
    for i, (author, agency) in enumerate(
        [("Jane Roe", "AP"), ("Ян Ков", "BelTA"), ("Jane Roe", "")]
    ):
        text = article_text(f"Story {i}", f"0{i + 1}.01.2023 10:00", tags="usa", author=author)
        if agency:
            text = text.replace("\n", f"\nSource: {agency}\n", 1)
        (source / f"a{i}.txt").write_text(text, "utf-8")
    out = tmp_path / "site"
    result = build_site(Config(base_url="https://example.org/"), source, out)
    assert result.ok, result.errors
    pages = ["authors/index.html", "authors/jane-roe/index.html", "sources/index.html"]
    served = contextlib.contextmanager(_serve)(out, "/")
    with served as at:
        page, watch = watched_page(browser, {at.host}, color_scheme="light")
        try:
            for path in pages:
                page.goto(at.url + path)
                blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
                assert not blocking, f"{path}:\n{describe(blocking)}"
        finally:
            page.context.close()
        watch.assert_clean()
    check([out / p for p in [*pages, "tags/usa/index.html"]], tmp_path, out.resolve())
