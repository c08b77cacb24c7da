"""The archive over time in a browser, served three ways (root, file://, sub-path): a
timeline bar leads to its period, a calendar day to its day page, and a day's previous and
next links to the nearest days with articles (issue 17, "Time")."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Served
from .test_browse import home_url

SERVINGS = ["http_page", "file_page", "subpath_page"]
pytestmark = pytest.mark.corpus  # the shared site holds the Reuters sample


@pytest.fixture(params=SERVINGS)
def site_page(request: pytest.FixtureRequest) -> tuple[Page, Served]:
    return request.getfixturevalue(request.param)


def follow(page: Page, link: Locator, served: Served) -> str:
    """Click an HTML or SVG link (an SVG <a>'s href is not a string) and wait to land."""
    target = link.evaluate("a => new URL(a.getAttribute('href'), document.baseURI).href")
    link.click()
    page.wait_for_url(target)
    assert page.url.startswith(served.url), (page.url, served.url)
    return page.url


def test_timeline_bars_lead_to_their_periods(site_page: tuple[Page, Served]) -> None:
    """The archive spans 1987 (Reuters) to 2023 (the seeds): one bar a year, each with its
    count in its title and in the table; a tag of 1987 alone has one bar a month."""
    page, served = site_page
    page.goto(home_url(served))
    follow(page, page.locator(".site-nav a", has_text="Archive"), served)
    bar = page.locator(".timeline-chart a").first
    title = bar.locator("title").text_content() or ""
    found = re.fullmatch(r"(\d{4}): ([\d,]+) articles?", title)
    assert found, title
    row = page.locator(".timeline table tr").filter(has=page.get_by_text(found[1], exact=True))
    expect(row.locator("td")).to_have_text(found[2])
    follow(page, bar, served)
    assert page.url.endswith(f"/{found[1]}/index.html")
    expect(page.locator("h1.page-title")).to_have_text(found[1])
    expect(page.locator(".lede")).to_have_text(re.compile(f"^{found[2]} articles?$"))

    # The home page's small timeline and a tag's (its own months).
    page.goto(home_url(served))
    expect(page.locator(".home-time .timeline-small .timeline-chart a")).not_to_have_count(0)
    follow(page, page.locator(".home-time .archive-span a"), served)
    expect(page.locator("h1.page-title")).to_have_text("Archive")
    page.goto(served.url + "tags/usa/index.html")
    bar = page.locator(".tag-time .timeline-chart a").first
    title = bar.locator("title").text_content() or ""
    found = re.fullmatch(r"(\w+ 1987): ([\d,]+) articles?", title)
    assert found, title
    follow(page, bar, served)
    assert re.search(r"/1987/\d\d/index\.html$", page.url), page.url
    expect(page.locator("h1.page-title")).to_have_text(found[1])


def test_calendar_day_and_day_neighbours(site_page: tuple[Page, Served]) -> None:
    """Month -> a calendar day (its count on the day's page); next and previous day skip
    days without articles and come back."""
    page, served = site_page
    page.goto(served.url + "1987/03/index.html")
    headers = page.locator(".calendar thead th").all_inner_texts()
    assert headers == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]  # en is en_GB
    days = page.locator(".calendar td a")
    assert days.count() >= 2
    cell = days.first
    day, count = cell.locator(".day").inner_text(), cell.locator(".count").inner_text()
    # Days without articles are in the calendar, not linked.
    assert page.locator(".calendar td.empty").count() + days.count() == 31
    follow(page, cell, served)
    assert page.url.endswith(f"/1987/03/{int(day):02d}/index.html")
    expect(page.locator("h1.page-title")).to_have_text(f"{day} March 1987")
    expect(page.locator(".lede")).to_have_text(re.compile(f"^{count} articles?$"))
    expect(page.locator(".day-list li time").first).to_have_text(re.compile(r"^\d\d:\d\d$"))

    here = page.url
    following = page.locator(".period-nav a.next")
    name = following.inner_text().removesuffix(" →")
    follow(page, following, served)
    expect(page.locator("h1.page-title")).to_have_text(name)
    assert page.locator(".day-list li").count() > 0  # a day with articles, however far
    back = page.locator(".period-nav a.previous")
    expect(back).to_have_text(f"← {day} March 1987")
    follow(page, back, served)
    assert page.url == here
