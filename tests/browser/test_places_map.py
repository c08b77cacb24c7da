"""The map of places in a real browser, served three ways (root, file://, /news/): a mark
is a link that takes a click to its tag page, and the small map there leads back."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import Served

SERVINGS = ["http_page", "file_page", "subpath_page"]
pytestmark = pytest.mark.corpus  # the shared site holds the Reuters sample

# The marks whose centre is their own (not under a smaller mark drawn over it): their
# href, title and centre in the window.
CLICKABLE_JS = """
() => [...document.querySelectorAll('.world-map svg a')].map(a => {
  const r = a.querySelector('circle').getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  return {href: new URL(a.getAttribute('href'), document.baseURI).href,
          title: a.querySelector('title').textContent, x, y,
          own: !!hit && hit.closest('a') === a};
}).filter(m => m.own)
"""


@pytest.fixture(params=SERVINGS)
def site_page(request: pytest.FixtureRequest) -> tuple[Page, Served]:
    return request.getfixturevalue(request.param)


def test_clicking_a_mark_opens_its_place(site_page: tuple[Page, Served]) -> None:
    page, served = site_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served.url + "places/index.html")
    expect(page.locator(".world-map img")).to_be_visible()
    assert page.evaluate("document.querySelector('.world-map img').naturalWidth") == 1000
    marks = page.evaluate(CLICKABLE_JS)
    assert len(marks) >= 10, marks
    biggest = marks[0]  # drawn first: the place with the most articles
    name, count = biggest["title"].rsplit(": ", 1)
    assert count.endswith(" articles")
    page.mouse.click(biggest["x"], biggest["y"])
    page.wait_for_url(biggest["href"])
    assert page.url.startswith(served.url) and "/tags/" in page.url
    expect(page.locator("h1.page-title")).to_contain_text(name)
    expect(page.locator(".lede")).to_contain_text(count)
    # The small map: this place marked, and a way back to every place.
    expect(page.locator(".place-map circle.here")).to_have_count(1)
    page.locator(".place-map a").click()
    page.wait_for_url("**/places/index.html")
    expect(page.locator("h1.page-title")).to_have_text("Places")


def test_marks_and_list_agree_on_a_phone(site_page: tuple[Page, Served]) -> None:
    page, served = site_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(served.url + "places/index.html")
    box = page.locator(".world-map").bounding_box()
    assert box is not None and box["width"] <= 390 - 2 * 8
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    titles = page.locator(".world-map svg a title").all_text_contents()
    listed = page.locator(".place-list").first.locator("li").all_inner_texts()
    assert len(titles) == len(listed) > 10
    # The same places with the same numbers, in the same order (most articles first).
    for title, item in zip(titles, listed, strict=True):
        name, count = title.rsplit(": ", 1)
        assert item.split("\n")[0].strip() == name and count.split()[0] in item
