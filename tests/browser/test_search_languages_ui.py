"""The search page of an archive in several languages, in Chromium (issue 16): the language
scripts load as the page names them (lunr-languages, search-languages.js), an inflected
Russian query finds and marks the word as the text spells it, and a Chinese query marks its
characters; a Cyrillic query typed into the header box shows the Russian article first, its
words marked as Russian. Built from seeds/ and tests/data/languages, so no corpus needed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from ..langsite import build_language_site
from .conftest import Served, _serve, screenshot_dir, wait_for_search_results, watched_page


@pytest.fixture(scope="module", params=["sharded", "monolithic"])
def served_mixed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """English by default, with Russian, Belarusian and Chinese articles."""
    folder = tmp_path_factory.mktemp(f"mixed-{request.param}")
    site = build_language_site(folder, "en", search_index=request.param)
    yield from _serve(site, "/")


@pytest.mark.parametrize(
    ("query", "marked"),
    [("Путина", "Путин"), ("санкция", "санкции"), ("经济", "经济"), ("Shoigu", "Shoigu")],
)
def test_search_marks_words_in_their_language(
    browser: Browser, served_mixed: Served, query: str, marked: str
) -> None:
    page, watch = watched_page(browser, {served_mixed.host})
    try:
        page.goto(served_mixed.url + "search/index.html?q=" + query)
        wait_for_search_results(page)
        marks = page.locator("#search-results mark").all_text_contents()
        assert marked in marks, marks
    finally:
        page.context.close()
    watch.assert_clean()


@pytest.mark.parametrize(
    ("query", "title", "stem"),
    [
        ("Путина", "Путин и Лукашенко обсудили в Минске", "путин"),
        ("санкция", "Евросоюз утвердил десятый пакет санкций", "санкц"),
    ],
)
def test_cyrillic_query_typed_into_the_header_box(
    browser: Browser, served_mixed: Served, query: str, title: str, stem: str
) -> None:
    page, watch = watched_page(browser, {served_mixed.host})
    try:
        page.goto(served_mixed.url)
        box = page.locator("form.site-search input[name=q]")
        box.press_sequentially(query)  # key by key, as a person types Cyrillic
        box.press("Enter")
        expect(page.locator("#search-status")).to_contain_text(f"“{query}”")
        wait_for_search_results(page)
        first = page.locator("#search-results .search-result").first
        expect(first.locator(".search-result-title")).to_contain_text(title)
        # Its words say they are Russian (screen readers, hyphenation); the page is English.
        expect(first.locator(".search-result-title")).to_have_attribute("lang", "ru")
        expect(first.locator(".search-result-snippet")).to_have_attribute("lang", "ru")
        marks = first.locator("mark").all_text_contents()
        assert marks and all(m.lower().startswith(stem) for m in marks), marks
        page.screenshot(path=screenshot_dir() / f"search-cyrillic-{stem}.png")
    finally:
        page.context.close()
    watch.assert_clean()
