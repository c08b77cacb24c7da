"""A Russian-language site in Chromium (issue 16): the search page speaks Russian (plural
forms, dates, counts), and article and listing pages read well on a phone (390 px) and a
desktop (1280 px); screenshots go to test-artifacts/screenshots/ (``ru-article-390.png``...)
for a person to look at. Built from seeds/ and tests/data/languages, so no corpus needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from ..langsite import build_language_site
from ..test_lang_site import RU_ARTICLE
from .conftest import Served, _serve, screenshot_dir, wait_for_search_results, watched_page


@pytest.fixture(scope="module")
def served_russian(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    site = build_language_site(tmp_path_factory.mktemp("ru-small"), "ru", per_page=3)
    yield from _serve(site, "/")


@pytest.mark.parametrize(
    ("query", "status", "date"),
    [
        ("?year=2023", "6 статей за 2023 год, показаны 1–3.", "5 октября 2023 г."),
        ("?q=Shoigu", "1 статья по запросу «Shoigu».", "10 апреля 2023 г."),
        ("?q=Shoigu&year=2022", "Ничего не найдено по запросу «Shoigu» за 2022 год.", None),
    ],
)
def test_search_page_in_russian(
    browser: Browser, served_russian: Served, query: str, status: str, date: str | None
) -> None:
    page, watch = watched_page(browser, {served_russian.host})
    try:
        page.goto(served_russian.url + "search/index.html" + query)
        if date:
            wait_for_search_results(page)
        else:
            page.wait_for_function("document.getElementById('search-status').textContent")
        shown = page.locator("#search-status").text_content() or ""
        assert shown.replace("\xa0", " ") == status
        if date:
            first = page.locator(".search-result-meta time").first.text_content() or ""
            assert first.replace("\u202f", " ") == date
            assert page.locator("#search-year option").first.text_content() == "Все годы"
        if "показаны" in status:
            pager = page.locator(".search-pager-current").text_content()
            assert pager == "Страница 1 из 2"
    finally:
        page.context.close()
    watch.assert_clean()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(("name", "path"), [("article", RU_ARTICLE + "/"), ("month", "2023/04/")])
def test_russian_pages_read_well(
    browser: Browser, served_russian: Served, name: str, path: str, width: int
) -> None:
    page, watch = watched_page(browser, {served_russian.host})
    try:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(served_russian.url + path + "index.html")
        sideways = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert sideways <= 0, f"{name} scrolls sideways by {sideways} px at {width} px"
        target: Path = screenshot_dir() / f"ru-{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
    finally:
        page.context.close()
    watch.assert_clean()
