"""The search page of an archive in several languages, in Chromium (issue 16): the language
scripts load as the page names them (lunr-languages, search-languages.js), an inflected
Russian query finds and marks the word as the text spells it, and a Chinese query marks its
characters. Built from seeds/ and tests/data/languages, so no corpus needed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from ..langsite import build_language_site
from .conftest import Served, _serve, wait_for_search_results, watched_page


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
