"""The search page's phrases, stop-word message, date range and layout, in Chromium.

Phrases are checked against the article pages on disk (an oracle that does not use the
search code): the results are exactly the articles that lunr's terms put in (both words)
and whose title, body or tags, as the page shows them, hold the phrase.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from newsarchive.search.textpipe import ENGLISH

from .conftest import Served
from .test_search_ui import (
    SERVINGS,
    Shown,
    _ArticleText,
    all_result_folders,
    matching,
    result_dates,
    settled,
    shown,  # noqa: F401 (a fixture)
    start_url,
    wait_for_results,
)

pytestmark = pytest.mark.corpus
PHRASE = "oil prices"


@pytest.fixture(params=SERVINGS)
def site_page(request: pytest.FixtureRequest) -> tuple[Page, Served]:
    return request.getfixturevalue(request.param)


def words(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


@pytest.fixture(scope="module")
def holding(site: Path) -> set[str]:
    """Folders of the articles whose title, body or a tag holds PHRASE."""
    out = set()
    for path in site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"):
        if path.parent.name == "page":
            continue
        parser = _ArticleText()
        parser.feed(path.read_text(encoding="utf-8"))
        texts = ["".join(parser.title), "".join(parser.body), *(n for n, _ in parser.tags)]
        if any(f" {PHRASE} " in f" {words(text)} " for text in texts):
            out.add(path.parent.relative_to(site).as_posix() + "/")
    return out


def open_search(page: Page, served: Served, query: str = "") -> None:
    page.goto(start_url(served, "search/index.html" + query))
    settled(page)


def test_phrase_shows_only_articles_with_the_phrase(
    site_page: tuple[Page, Served],
    shown: dict[str, Shown],  # noqa: F811 (the fixture)
    holding: set[str],
) -> None:
    page, served = site_page
    open_search(page, served)
    box = page.locator("#search-q")
    box.fill(f'"{PHRASE}"')
    box.press("Enter")
    total = wait_for_results(page, PHRASE)
    status = page.locator("#search-status")
    expect(status).to_contain_text(f"Showing articles containing the phrase “{PHRASE}”.")
    words_match = matching(shown, lambda a: set(ENGLISH.terms(PHRASE)) <= a.terms)
    expected = words_match & holding
    assert 0 < len(expected) < len(words_match)  # the phrase leaves some out
    folders = all_result_folders(page, served, total)
    assert set(folders) == expected and len(folders) == len(expected)
    assert parse_qs(urlsplit(page.url).query)["q"] == [f'"{PHRASE}"']


def test_stop_words_only_say_so(http_page: tuple[Page, Served]) -> None:
    page, served = http_page
    for query, words_shown in (("?q=the", "the"), ("?q=of+the", "of the")):
        open_search(page, served, query)
        expect(page.locator("#search-status")).to_have_text(
            f"“{words_shown}” is too common to search for; try other words."
        )
        expect(page.locator("#search-results > li")).to_have_count(0)
        expect(page.locator("#search-error")).to_be_hidden()


def year_counts(page: Page) -> dict[str, int]:
    labels = page.locator("#search-year option").all_inner_texts()
    counts = {}
    for label in labels[1:]:
        match = re.fullmatch(r"(\d{4}) \(([\d,]+)\)", label)
        assert match, label
        counts[match.group(1)] = int(match.group(2).replace(",", ""))
    return counts


def test_date_range_narrows_and_survives_reload(site_page: tuple[Page, Served]) -> None:
    page, served = site_page
    open_search(page, served, "?q=oil")
    everything = wait_for_results(page, "oil")
    counts = year_counts(page)
    assert sum(counts.values()) == everything  # "1987 (412)": this query's counts
    page.locator("#search-from").fill("1987-03-01")
    page.locator("#search-to").fill("1987-03-31")
    page.locator("#search-to").dispatch_event("change")
    expect(page.locator("#search-status")).to_contain_text("until 31 March 1987")
    narrowed = wait_for_results(page, "oil")
    assert 0 < narrowed < everything
    assert sum(year_counts(page).values()) == narrowed
    query = parse_qs(urlsplit(page.url).query)
    assert query["from"] == ["1987-03-01"] and query["to"] == ["1987-03-31"]
    # The articles' own days, as the results show them (not UTC days).
    dates = result_dates(page)
    assert dates and all(date(1987, 3, 1) <= d.date() <= date(1987, 3, 31) for d in dates)
    page.reload()
    assert wait_for_results(page, "oil") == narrowed
    expect(page.locator("#search-from")).to_have_value("1987-03-01")
    expect(page.locator("#search-to")).to_have_value("1987-03-31")
    page.go_back()  # each date's change was a step: back to "from" alone, then to none
    expect(page.locator("#search-to")).to_have_value("")
    expect(page.locator("#search-from")).to_have_value("1987-03-01")
    page.go_back()
    expect(page.locator("#search-from")).to_have_value("")
    assert wait_for_results(page, "oil") == everything


def test_one_search_box_of_one_height(http_page: tuple[Page, Served]) -> None:
    page, served = http_page
    open_search(page, served, "?q=oil")
    expect(page.locator(".site-search")).to_be_hidden()
    expect(page.locator("#search-q")).to_be_visible()
    for box, button in (("#search-q", ".search-query button"),):
        a, b = page.locator(box).bounding_box(), page.locator(button).bounding_box()
        assert a and b and abs(a["height"] - b["height"]) < 0.5 and abs(a["y"] - b["y"]) < 0.5
    page.goto(start_url(served))
    expect(page.locator(".site-search")).to_be_visible()
    a = page.locator("#site-search-q").bounding_box()
    b = page.locator(".site-search button").bounding_box()
    assert a and b and abs(a["height"] - b["height"]) < 0.5


CHIP = ["backgroundColor", "color", "borderRadius", "fontSize", "paddingLeft", "display"]


def chip_style(page: Page, selector: str) -> list[str]:
    return page.locator(selector).first.evaluate(
        f"e => {{ const s = getComputedStyle(e); return {CHIP!r}.map(k => s[k]) }}"
    )


def test_result_tags_are_chips(http_page: tuple[Page, Served]) -> None:
    page, served = http_page
    page.goto(start_url(served))
    listing = chip_style(page, ".entry .tag")
    open_search(page, served, "?q=oil")
    expect(page.locator("#search-results .search-result-tags a.tag").first).to_be_visible()
    assert chip_style(page, "#search-results .search-result-tags a.tag") == listing
    assert listing[0] != "rgba(0, 0, 0, 0)"  # a chip has a background


@pytest.mark.parametrize("size", [(390, 844), (1280, 900), (1280, 2000)])
def test_footer_at_the_bottom_and_one_left_edge(
    http_page: tuple[Page, Served], size: tuple[int, int]
) -> None:
    page, served = http_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    for path in ("404.html", "search/index.html", "tags/index.html"):
        page.goto(served.url + path)
        footer = page.locator(".site-footer").bounding_box()
        height = page.evaluate("document.documentElement.scrollHeight")
        assert footer and abs(footer["y"] + footer["height"] - max(height, size[1])) < 1, path
        title = page.locator(".site-title").bounding_box()
        heading = page.locator("main h1").bounding_box()
        assert title and heading and abs(title["x"] - heading["x"]) < 1, path
