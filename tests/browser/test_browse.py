"""Browsing the archive as a person would, in a real browser (scenarios 1, 3 and 4).

One walk through the site - home, an article, its tag, its day, month and year, the archive
overview, home pagination and an article's previous/next links - runs three ways: served at
the root of a host, opened from disk (file://.../index.html) and served under /news/. The
links are relative, so the same clicks must land on the same pages everywhere; the page
fixtures also fail the test on any console error, broken request or request to another host.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Served

SERVINGS = ["http_page", "file_page", "subpath_page"]
# Every test here runs on the shared site of seeds plus the Reuters sample, some through
# request.getfixturevalue, which the collection hook in tests/conftest.py cannot see.
pytestmark = pytest.mark.corpus


@pytest.fixture(params=SERVINGS)
def site_page(request: pytest.FixtureRequest) -> tuple[Page, Served]:
    """The same test against each way of serving the site (root, file://, sub-path)."""
    return request.getfixturevalue(request.param)


def home_url(served: Served) -> str:
    """Where a person starts: the bare directory over HTTP, index.html from disk."""
    return served.url + "index.html" if served.url.startswith("file:") else served.url


def goto_home(page: Page, served: Served) -> None:
    page.goto(home_url(served))
    expect(page.locator("h1.page-title")).to_have_text("Latest articles")


def click_to(page: Page, link: Locator, served: Served) -> str:
    """Follow a link like a person and return where it led (always inside the site)."""
    target = link.evaluate("a => a.href")
    link.click()
    page.wait_for_url(target)
    assert page.url.startswith(served.url), f"{page.url} left the site at {served.url}"
    return page.url


def entry_titles(page: Page) -> list[str]:
    return page.locator(".entries .entry .entry-title a").all_inner_texts()


def day_titles(page: Page) -> list[str]:
    """A day's articles: a compact list (time of day, headline, tags), not entries."""
    return page.locator(".day-list li .headline").all_inner_texts()


def nav_title(link: Locator) -> str:
    """The article title of a previous/next link, without its "← Older" label."""
    return link.evaluate("a => a.textContent.replace(a.querySelector('span').textContent, '')")


def test_article_tag_and_date_listings(site_page: tuple[Page, Served]) -> None:
    """Home -> article -> tag listing -> the article's day, month and year -> archive."""
    page, served = site_page
    goto_home(page, served)
    expect(page).to_have_title("News Archive")

    # The newest article with tags: it is also the newest of its tag, day, month and year,
    # so it is on the first page of each of those listings.
    entry = page.locator(".entries .entry").filter(has=page.locator(".tags a.tag")).first
    title = entry.locator(".entry-title a").inner_text()
    tag = entry.locator(".tags a.tag").first.inner_text()
    date_text = entry.locator("time").inner_text()  # "2 March 1987"
    day, month, year = date_text.split()

    article_url = click_to(page, entry.locator(".entry-title a"), served)
    assert re.search(r"/\d{4}/\d{2}/\d{2}/[^/]+/index\.html$", article_url), article_url
    expect(page.locator("h1.article-title")).to_have_text(title)
    expect(page).to_have_title(f"{title} · News Archive")
    expect(page.locator(".article-header time")).to_contain_text(date_text)
    expect(page.locator(".article-body p").first).to_be_visible()
    kicker = page.locator(".article-header .kicker a")
    expect(kicker).to_have_text([year, month, day])
    year_href, month_href, day_href = (a.evaluate("a => a.href") for a in kicker.all())

    # One of its tags, and that tag's listing.
    tag_link = page.locator("ul.tag-list a.tag", has_text=re.compile(f"^{re.escape(tag)}$"))
    click_to(page, tag_link, served)
    kind = "(Tag|Person|Place|Organisation|Topic)"  # what the tags stage found it to be
    expect(page.locator("h1.page-title")).to_have_text(re.compile(f"^{kind} {re.escape(tag)}$"))
    expect(page.locator(".lede")).to_contain_text(re.compile(r"^\d+ articles? · Atom feed"))
    assert title in entry_titles(page)
    exact_tag = re.compile(f"^{re.escape(tag)}$")
    for listed in page.locator(".entries .entry").all():  # not the tag of the page again
        expect(listed.locator(".tags a.tag").filter(has_text=exact_tag)).to_have_count(0)

    # Back to the article from the listing, then its day.
    click_to(page, page.locator(".entry-title a", has_text=title).first, served)
    assert page.url == article_url
    click_to(page, page.locator(".article-header .kicker a").nth(2), served)
    assert page.url == day_href
    expect(page.locator("h1.page-title")).to_have_text(date_text)
    day_count = page.locator(".lede").inner_text()
    assert title in day_titles(page)

    # The day's breadcrumb leads to the month, whose calendar shows the day with its count.
    click_to(page, page.locator("p.kicker a", has_text=month), served)
    assert page.url == month_href
    expect(page.locator("h1.page-title")).to_have_text(f"{month} {year}")
    day_cell = page.locator(f'.calendar a[href$="/{int(day):02d}/index.html"]')
    expect(day_cell.locator(".count")).to_have_text(day_count.split()[0])
    assert title in entry_titles(page)

    click_to(page, page.locator("p.kicker a", has_text=year), served)
    assert page.url == year_href
    expect(page.locator("h1.page-title")).to_have_text(year)
    year_count = page.locator(".lede").inner_text().split()[0]
    expect(page.locator(".month-grid li a", has_text=month)).to_be_visible()
    assert title in entry_titles(page)

    # The archive overview: every year with its count, each linking to its listing.
    click_to(page, page.locator("p.kicker a", has_text="Archive"), served)
    expect(page.locator("h1.page-title")).to_have_text("Archive")
    section = page.locator(".archive-year").filter(has=page.locator(f'h2 a:text-is("{year}")'))
    expect(section.locator("h2 .count")).to_have_text(year_count)
    expect(section.locator(".month-grid a", has_text=month)).to_be_visible()
    years = page.locator(".archive-year h2 a").all_inner_texts()
    assert year in years and years == sorted(years, reverse=True), years
    click_to(page, section.locator("h2 a"), served)
    assert page.url == year_href


def test_home_pagination(site_page: tuple[Page, Served]) -> None:
    """Older -> the newest numbered page (pages count from the oldest) shows the next, older
    articles; Newer goes back to the home page."""
    page, served = site_page
    goto_home(page, served)
    first_page = entry_titles(page)
    assert 10 <= len(first_page) < 30  # per_page of the test site, and the newest runs
    expect(page.locator(".page-count")).to_have_text("Latest")
    expect(page.locator(".pagination .disabled")).to_have_text("← Newer")
    # Page buttons say what they hold: the dates of their articles ("2 Mar 1987").
    buttons = page.locator(".page-numbers a")
    labels = buttons.all_inner_texts()
    hrefs = [a.get_attribute("href") or "" for a in buttons.all()]
    # Named by their oldest article's time (page/1987/03/02/0912/), newest first.
    names = [re.search(r"page/(\d{4}/\d\d/\d\d/\d{4}(-\d+)?)/index\.html$", h) for h in hrefs]
    assert all(names), hrefs
    named = [m.group(1) for m in names if m]
    assert named == sorted(named, reverse=True) and len(named) > 2, named
    day = r"\d{1,2}( [A-Z][a-z]{2,3}( \d{4})?)?"  # "2", "2 Mar", "2 Mar 1987"
    times = r"(, \d\d:\d\d(–\d\d:\d\d)?)?"  # pages of one busy day side by side
    label = rf"({day}\u2009–\u2009)?\d{{1,2}} [A-Z][a-z]{{2,3}} \d{{4}}{times}"
    assert all(re.fullmatch(label, text) for text in labels), labels
    last_on_first = page.locator(".entries .entry time").last.get_attribute("datetime")

    click_to(page, page.locator('.pagination a[rel="next"]'), served)
    assert page.url == served.url + hrefs[0]
    expect(page.locator("h1.page-title")).to_have_text(f"Articles, {labels[0]}")
    expect(page.locator(".page-count")).to_have_text(labels[0])
    expect(page.locator('.page-numbers [aria-current="page"]')).to_have_text(labels[0])
    second_page = entry_titles(page)
    assert 1 <= len(second_page) <= 20  # a run of about per_page (see render.page_runs)
    assert not set(first_page) & set(second_page)
    first_on_second = page.locator(".entries .entry time").first.get_attribute("datetime")
    assert first_on_second and last_on_first and first_on_second <= last_on_first

    click_to(page, page.locator('.pagination a[rel="prev"]'), served)
    assert page.url == served.url + "index.html"
    expect(page.locator("h1.page-title")).to_have_text("Latest articles")
    assert entry_titles(page) == first_page

    # The page-number links and the browser's own Back button agree.
    click_to(page, page.locator(f'.page-numbers a[href$="page/{named[1]}/index.html"]'), served)
    expect(page.locator(".page-count")).to_have_text(labels[1])
    page.go_back()
    expect(page.locator("h1.page-title")).to_have_text("Latest articles")


def test_article_previous_next(site_page: tuple[Page, Served]) -> None:
    """Older/Newer on an article lead to the neighbouring articles and back again."""
    page, served = site_page
    goto_home(page, served)
    titles = entry_titles(page)
    # The second newest article has both a newer and an older neighbour.
    click_to(page, page.locator(".entries .entry-title a").nth(1), served)
    start = page.url
    expect(page.locator("h1.article-title")).to_have_text(titles[1])

    newer = page.locator('.article-nav a.newer[rel="next"]')
    older = page.locator('.article-nav a.older[rel="prev"]')
    assert nav_title(newer).strip() == titles[0]
    assert nav_title(older).strip() == titles[2]

    click_to(page, older, served)
    expect(page.locator("h1.article-title")).to_have_text(titles[2])
    click_to(page, page.locator(".article-nav a.newer"), served)
    assert page.url == start
    click_to(page, page.locator(".article-nav a.newer"), served)
    expect(page.locator("h1.article-title")).to_have_text(titles[0])
    # The newest article has nothing newer.
    expect(page.locator(".article-nav a.newer")).to_have_count(0)
