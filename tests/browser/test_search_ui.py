"""The search page in a real browser (scenarios 2, 3, 4 and keyboard-only search from 7).

What a person sees is checked against an oracle that does not use the search code: the
article pages on disk, read as text and split into terms by the project's lunr.js-exact
text pipeline (textpipe.ENGLISH, itself checked against lunr.js in tests/test_textpipe.py).
So ``+oil -opec`` must list exactly the articles whose text has the term ``oil`` and not
``opec``, whatever the ranking. Every flow runs three ways: served at the root of a host,
opened from disk and served under /news/ (the page fixtures also fail on any console error,
broken request or request to another host).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from newsarchive.search.query import run_search
from newsarchive.search.textpipe import ENGLISH

from .conftest import Served, screenshot_dir

SERVINGS = ["http_page", "file_page", "subpath_page"]
# Every test here runs on the shared site of seeds plus the Reuters sample, some through
# request.getfixturevalue, which the collection hook in tests/conftest.py cannot see.
pytestmark = pytest.mark.corpus
PER_PAGE = 10  # the test site's per_page
MALFORMED = {
    # query -> lunr.js 2.3.9's own QueryParseError message
    "title:": "expecting term, found nothing",
    "foo~": "edit distance must be numeric",
    "+": "expecting term or field, found nothing",
}


@pytest.fixture(params=SERVINGS)
def site_page(request: pytest.FixtureRequest) -> tuple[Page, Served]:
    """The same test against each way of serving the site (root, file://, sub-path)."""
    return request.getfixturevalue(request.param)


# --- the oracle: articles as their pages show them ------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One article as a reader sees it, with the lunr terms of each indexed field."""

    year: str
    tags: dict[str, str]  # slug -> name
    title: frozenset[str]
    body: frozenset[str]
    tag_terms: frozenset[str]

    @property
    def terms(self) -> frozenset[str]:
        return self.title | self.body | self.tag_terms


class _ArticleText(HTMLParser):
    """Title, body text and tags of a rendered article page."""

    VOID = frozenset({"br", "img", "hr", "wbr", "input", "meta", "link", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.body: list[str] = []
        self.tags: list[tuple[str, str]] = []  # (name, slug)
        self._field: str | None = None
        self._depth = 0
        self._tag_href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._field == "body":
            if tag not in self.VOID:
                self._depth += 1
            self.body.append(" ")  # block and line breaks separate words
        elif tag == "h1" and "article-title" in classes:
            self._field, self._depth = "title", 1
        elif tag == "div" and "article-body" in classes:
            self._field, self._depth = "body", 1
        elif tag == "a" and dict(attrs).get("rel") == "tag":
            self._field, self._depth = "tag", 1
            self._tag_href = dict(attrs).get("href") or ""
            self.tags.append(("", ""))

    def handle_endtag(self, tag: str) -> None:
        if self._field and tag not in self.VOID:
            self._depth -= 1
            if self._depth == 0:
                self._field = None

    def handle_data(self, data: str) -> None:
        if self._field == "title":
            self.title.append(data)
        elif self._field == "body":
            self.body.append(data)
        elif self._field == "tag":
            slug = (self._tag_href or "").rstrip("/").removesuffix("/index.html").split("/")[-1]
            name = self.tags[-1][0] + data
            self.tags[-1] = (name, slug)


@pytest.fixture(scope="module")
def shown(site: Path) -> dict[str, Shown]:
    """Every article page of the site, by its folder (``1987/03/02/slug/``)."""
    articles: dict[str, Shown] = {}
    for path in site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"):
        if path.parent.name == "page":
            continue
        parser = _ArticleText()
        parser.feed(path.read_text(encoding="utf-8"))
        folder = path.parent.relative_to(site).as_posix() + "/"
        articles[folder] = Shown(
            year=folder[:4],
            tags={slug: name for name, slug in parser.tags},
            title=frozenset(ENGLISH.terms("".join(parser.title))),
            body=frozenset(ENGLISH.terms("".join(parser.body))),
            tag_terms=frozenset(ENGLISH.terms(", ".join(name for name, _ in parser.tags))),
        )
    assert len(articles) > 300
    return articles


def matching(shown: dict[str, Shown], test: Callable[[Shown], bool]) -> set[str]:
    return {folder for folder, article in shown.items() if test(article)}


def most_common(counts: Counter[str]) -> str:
    """The most frequent value; ties go to the first in sort order (no file-order luck)."""
    return min(counts, key=lambda value: (-counts[value], value))


# --- the page --------------------------------------------------------------------------------


def start_url(served: Served, path: str = "") -> str:
    """A page of the site as a person opens it: a bare folder over HTTP, index.html on disk."""
    if served.url.startswith("file:") or path:
        return served.url + (path or "index.html")
    return served.url


def serving_name(served: Served) -> str:
    if served.url.startswith("file:"):
        return "file"
    return "subpath" if served.url.endswith("/news/") else "root"


def params(page: Page) -> dict[str, list[str]]:
    """The search state in the address bar."""
    parts = urlsplit(page.url)
    assert parts.path.endswith("/search/index.html"), page.url
    return parse_qs(parts.query)


def settled(page: Page) -> None:
    """Wait until the results list is complete: the page loads index parts and titles on
    demand, shows each result as soon as it can and marks the list aria-busy until the page
    is complete (at once when all is loaded already)."""
    expect(page.locator("#search-results[aria-busy]")).to_have_count(0)


def wait_for_results(page: Page, query: str) -> int:
    """Wait until the page shows the results for ``query``; return the total it states."""
    status = page.locator("#search-status")
    settled(page)
    expect(status).to_contain_text(f"for “{query.strip()}”")
    expect(page.locator("#search-results .search-result-snippet[aria-busy]")).to_have_count(0)
    match = re.match(r"(\d+) articles?", status.inner_text())
    return int(match.group(1)) if match else 0


def search_from(page: Page, selector: str, query: str) -> int:
    """Type a query into a search box and press Enter, as a person does."""
    box = page.locator(selector)
    box.fill(query)
    box.press("Enter")
    return wait_for_results(page, query)


def result_folders(page: Page, served: Served) -> list[str]:
    """The article folders the results on screen link to, in order."""
    settled(page)
    hrefs = page.locator("#search-results .search-result-title a").evaluate_all(
        "links => links.map(a => a.href)"
    )
    folders = []
    for href in hrefs:
        assert href.startswith(served.url) and href.endswith("/index.html"), href
        folders.append(href[len(served.url) : -len("index.html")])
    return folders


def all_result_folders(page: Page, served: Served, total: int) -> list[str]:
    """Every result, following the pager's Next link page by page."""
    folders = result_folders(page, served)
    pages = -(-total // PER_PAGE)
    for number in range(2, pages + 1):
        page.locator('#search-pager a[rel="next"]').click()
        first = (number - 1) * PER_PAGE + 1
        expect(page.locator("#search-status")).to_contain_text(f"showing {first}")
        expect(page.locator("#search-pager .search-pager-current")).to_have_text(
            f"Page {number} of {pages}"
        )
        folders += result_folders(page, served)
    if pages <= 1:
        expect(page.locator("#search-pager")).to_be_hidden()
    assert len(folders) == total
    return folders


def result_dates(page: Page) -> list[datetime]:
    settled(page)
    values = page.locator("#search-results .search-result-meta time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime'))"
    )
    return [datetime.fromisoformat(value) for value in values]


def mark_terms(page: Page, scope: str) -> list[list[str]]:
    """The lunr terms of every highlighted word within ``scope``."""
    return [ENGLISH.terms(text) for text in page.locator(f"{scope} mark").all_inner_texts()]


# --- tests -----------------------------------------------------------------------------------


def test_search_filter_sort_history(
    site_page: tuple[Page, Served], shown: dict[str, Shown]
) -> None:
    """Header search -> highlighted results -> year and tag filters -> sort, all in the URL;
    reload restores the results, Back the previous state; the pager moves through them."""
    page, served = site_page
    query, term = "security", "secur"
    everywhere = matching(shown, lambda a: term in a.terms)
    years = Counter(shown[f].year for f in everywhere)
    assert len(years) > 1, "the query should find articles from more than one year"
    year = most_common(years)
    in_year = {f for f in everywhere if shown[f].year == year}
    tag = most_common(Counter(t for f in in_year for t in shown[f].tags))
    in_tag = {f for f in in_year if tag in shown[f].tags}
    tag_name = shown[min(in_tag)].tags[tag]
    assert len(everywhere) > len(in_year) > len(in_tag) > PER_PAGE

    page.goto(start_url(served))
    total = search_from(page, "form.site-search input[name=q]", query)
    assert params(page) == {"q": [query]}
    assert total == len(everywhere)
    expect(page).to_have_title(f"{query} – Search – News Archive")
    expect(page.locator("#search-q")).to_have_value(query)
    expect(page.locator("#search-results .search-result")).to_have_count(PER_PAGE)
    assert set(result_folders(page, served)) <= everywhere
    expect(page.locator("#search-status")).to_have_text(
        f"{total} articles for “{query}”, showing 1–{PER_PAGE}."
    )
    # Highlighting: only the words that matched, and in the snippets a person reads.
    assert page.locator("#search-results .search-result-snippet mark").count() > 0
    assert {tuple(t) for t in mark_terms(page, "#search-results")} == {(term,)}
    page.screenshot(path=screenshot_dir() / f"search-results-{serving_name(served)}.png")

    page.select_option("#search-year", year)
    expect(page.locator("#search-status")).to_contain_text(f"{len(in_year)} articles")
    expect(page.locator("#search-status")).to_contain_text(f"from {year}")
    assert params(page) == {"q": [query], "year": [year]}
    assert {d.year for d in result_dates(page)} == {int(year)}
    assert set(result_folders(page, served)) <= in_year

    page.select_option("#search-tag", tag)
    expect(page.locator("#search-status")).to_contain_text(f"{len(in_tag)} articles")
    expect(page.locator("#search-status")).to_contain_text(f"tagged “{tag_name}”")
    assert params(page) == {"q": [query], "tag": [tag], "year": [year]}
    expect(page.locator("#search-tag option:checked")).to_have_text(f"{tag_name} ({len(in_tag)})")
    relevance = result_folders(page, served)
    assert set(relevance) <= in_tag
    for result in page.locator("#search-results .search-result").all():
        expect(
            result.locator(
                ".search-result-tags .tag", has_text=re.compile(f"^{re.escape(tag_name)}$")
            )
        ).to_be_visible()

    page.select_option("#search-sort", "oldest")
    settled(page)
    expect(page.locator("#search-sort")).to_have_value("oldest")
    assert params(page)["sort"] == ["oldest"]
    oldest = result_dates(page)
    assert oldest == sorted(oldest)
    page.select_option("#search-sort", "newest")
    settled(page)
    assert params(page) == {"q": [query], "tag": [tag], "year": [year], "sort": ["newest"]}
    newest_dates = result_dates(page)
    assert newest_dates == sorted(newest_dates, reverse=True)
    assert newest_dates[0] >= oldest[-1]
    newest = result_folders(page, served)

    # Reloading the page shows the same results with the same controls.
    url = page.url
    page.reload()
    wait_for_results(page, query)
    assert page.url == url
    assert result_folders(page, served) == newest
    expect(page.locator("#search-q")).to_have_value(query)
    expect(page.locator("form.site-search input[name=q]")).to_have_value(query)
    expect(page.locator("#search-tag")).to_have_value(tag)
    expect(page.locator("#search-year")).to_have_value(year)
    expect(page.locator("#search-sort")).to_have_value("newest")

    # Back: the previous sort, then relevance with both filters.
    page.go_back()
    expect(page.locator("#search-sort")).to_have_value("oldest")
    page.go_back()
    expect(page.locator("#search-sort")).to_have_value("relevance")
    assert params(page) == {"q": [query], "tag": [tag], "year": [year]}
    wait_for_results(page, query)
    assert result_folders(page, served) == relevance

    # The pager: Next shows results 11-20 and moves focus to the status; Previous goes back.
    page.locator('#search-pager a[rel="next"]').click()
    expect(page.locator("#search-status")).to_contain_text(f"showing {PER_PAGE + 1}–")
    expect(page.locator("#search-status")).to_be_focused()
    assert params(page)["page"] == ["2"]
    expect(page.locator("#search-results")).to_have_attribute("start", str(PER_PAGE + 1))
    second = result_folders(page, served)
    assert second and not set(second) & set(relevance)
    page.locator('#search-pager a[rel="prev"]').click()
    expect(page.locator("#search-status")).to_contain_text(f"showing 1–{PER_PAGE}")
    assert "page" not in params(page)
    assert result_folders(page, served) == relevance


def test_lunr_query_syntax(
    site_page: tuple[Page, Served], shown: dict[str, Shown], site: Path
) -> None:
    """+must -not, field:term and prefix* find exactly the articles lunr's rules select."""
    page, served = site_page
    page.goto(start_url(served, "search/index.html"))
    expect(page.locator("#search-status")).to_have_text(
        "Type words to search the archive, or choose a tag or year."
    )
    # (query, which articles lunr must find, what every highlighted word must be)
    cases: list[tuple[str, Callable[[Shown], bool], Callable[[str], bool]]] = [
        (
            "+oil -opec",
            lambda a: "oil" in a.terms and "opec" not in a.terms,
            lambda word: ENGLISH.terms(word) == ["oil"],
        ),
        (
            "title:wheat",
            lambda a: "wheat" in a.title,
            lambda word: ENGLISH.terms(word) == ["wheat"],
        ),
        (
            "export*",
            lambda a: any(t.startswith("export") for t in a.terms),
            lambda word: word.lower().startswith("export"),
        ),
    ]
    for query, rule, highlighted in cases:
        expected = matching(shown, rule)
        assert len(expected) > 2, query
        total = search_from(page, "#search-q", query)
        assert params(page) == {"q": [query]}
        marks = page.locator("#search-results mark").all_inner_texts()
        assert marks and all(highlighted(word) for word in marks), (query, marks)
        if query.startswith("title:"):
            for title in page.locator("#search-results .search-result-title").all():
                expect(title.locator("mark").first).to_be_visible()
        folders = all_result_folders(page, served, total)
        assert set(folders) == expected, query
        # In the same order as the documented command line (the same scripts under Node).
        assert folders == [hit.url.lstrip("/") for hit in run_search(site, query)], query


def test_malformed_queries_explain(site_page: tuple[Page, Served]) -> None:
    """A query lunr cannot parse shows a friendly message and the tips, never a blank page."""
    page, served = site_page
    page.goto(start_url(served))
    box = "form.site-search input[name=q]"
    for query, message in MALFORMED.items():
        page.locator(box).fill(query)
        page.locator(box).press("Enter")
        expect(page.locator("#search-status")).to_have_text("Your search could not be understood.")
        error = page.locator("#search-error")
        expect(error).to_be_visible()
        expect(error).to_contain_text(f"The search engine reports: {message}")
        expect(error).to_contain_text("See the search tips")
        expect(page.locator("details.search-help")).to_have_attribute("open", "")
        expect(page.locator("#search-results > li")).to_have_count(0)
        expect(page.locator("#search-pager")).to_be_hidden()
        expect(page.locator("h1")).to_have_text("Search")
        expect(page.locator("#search-q")).to_have_value(query)
        assert params(page) == {"q": [query]}
        box = "#search-q"  # the rest from the search page's own box
    # A good query afterwards clears the message.
    search_from(page, "#search-q", "wheat")
    expect(page.locator("#search-error")).to_be_hidden()
    expect(page.locator("#search-results > li").first).to_be_visible()


def test_result_without_text(http_page: tuple[Page, Served], shown: dict[str, Shown]) -> None:
    """An article with a title and no body (common in Reuters) is listed without a snippet,
    and the page does not stay "busy" waiting for one."""
    page, served = http_page
    empty = sorted(f for f, a in shown.items() if not a.body and a.title)
    assert empty, "the sample should hold a title-only article"
    folder = empty[0]

    def titles_with(term: str) -> int:
        return sum(1 for a in shown.values() if any(t.startswith(term) for t in a.title))

    term = min(sorted(shown[folder].title), key=titles_with)
    query = f"title:{term}*"  # a wildcard skips the stemmer, so the indexed term matches as is
    page.goto(start_url(served, "search/index.html?q=" + quote(query)))
    total = wait_for_results(page, query)
    assert 0 < total <= PER_PAGE
    assert folder in result_folders(page, served)
    link = page.locator(f'.search-result-title a[href$="{folder}index.html"]')
    result = page.locator("#search-results .search-result").filter(has=link)
    expect(result.locator(".search-result-title mark").first).to_be_visible()
    expect(result.locator(".search-result-snippet")).to_be_hidden()
    expect(page.locator("#search-results [aria-busy]")).to_have_count(0)


def test_keyboard_only_search(http_page: tuple[Page, Served]) -> None:
    """Tab past the skip link to the header search, type, Enter; Tab to the first result, Enter."""
    page, served = http_page
    page.goto(served.url)
    page.keyboard.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused()
    header_box = page.locator("form.site-search input[name=q]")
    for _ in range(10):
        if header_box.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(header_box).to_be_focused()
    page.keyboard.type("wheat")
    page.keyboard.press("Enter")
    wait_for_results(page, "wheat")
    first = page.locator("#search-results .search-result-title a").first
    title = first.inner_text()
    for _ in range(30):
        if first.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1.article-title")).to_have_text(title)
    assert page.url.startswith(served.url + "1987/")
