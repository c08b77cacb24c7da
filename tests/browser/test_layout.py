"""Scenario 9: on a phone (375 px) and a desktop (1280 px) no page scrolls sideways, nothing
sticks out of the window and no two blocks a reader looks at overlap. Full-page screenshots
go to test-artifacts/screenshots/ (``home-375.png`` ...) for a person to look at.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from .conftest import Served, screenshot_dir, wait_for_search_results, watched_page

PAGES = [
    "home", "article", "newest-article", "long-article", "tags", "tag", "year", "month", "day",
    "archive", "search", "search-phrase", "404", "data", "places", "place-tag",
]  # fmt: skip

# The blocks a reader sees, from the header down to the footer. Containers and their own
# children are both listed; pairs where one contains the other are never compared.
BLOCKS = """
.header-inner > *, .site-nav a, .site-search input, .site-search button,
main h1, main h2, .kicker, .lede, .empty, .meta, .tag, .entry, .summary,
.pagination > *, .page-numbers > *, .tag-index li, .period-index li, .count, .tag-list li,
.article-body > *, .credits, .prev-next a, .same-day, .world-map, .place-map,
.search-query > *, .search-filter > *, .search-help summary, .search-status, .search-error,
.search-result, .search-result-meta, .search-result-snippet, .search-pager > *,
.site-footer p,
.timeline-chart, .archive-span, .month-grid li, .calendar, .period-nav a, .day-list li
"""

# Returns {scrollWidth, clientWidth, outside: [...], overlaps: [...]}. Inline elements are
# measured per line box (getClientRects), so a link wrapped over two lines is two boxes, not
# one box spanning both lines. Boxes under 2 px (visually hidden labels) are ignored, and a
# 1 px tolerance absorbs sub-pixel rounding between neighbours.
LAYOUT_JS = """
selector => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const describe = el => {
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    const text = (el.textContent || el.value || el.placeholder || '').trim();
    return `${el.tagName.toLowerCase()}${cls} "${text.replace(/\\s+/g, ' ').slice(0, 40)}"`;
  };
  const boxes = el => {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || +style.opacity === 0) return [];
    const rects = style.display === 'inline'
      ? [...el.getClientRects()] : [el.getBoundingClientRect()];
    return rects.filter(r => r.width >= 2 && r.height >= 2).map(r => ({
      left: r.left + scrollX, right: r.right + scrollX,
      top: r.top + scrollY, bottom: r.bottom + scrollY,
    }));
  };
  const items = [...document.querySelectorAll(selector)]
    .map(el => ({el, boxes: boxes(el)})).filter(item => item.boxes.length);
  const round = b => `${Math.round(b.left)},${Math.round(b.top)} `
    + `${Math.round(b.right - b.left)}x${Math.round(b.bottom - b.top)}`;
  const outside = [];
  for (const {el, boxes: bs} of items) {
    for (const b of bs) {
      if (b.left < -1 || b.right > width + 1) outside.push(`${describe(el)} at ${round(b)}`);
    }
  }
  const overlaps = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i], b = items[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      found: for (const p of a.boxes) {
        for (const q of b.boxes) {
          const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
          const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
          if (w > 1 && h > 1) {
            overlaps.push(`${describe(a.el)} ${round(p)} overlaps ${describe(b.el)} ${round(q)}`);
            break found;
          }
        }
      }
    }
  }
  return {scrollWidth: doc.scrollWidth, clientWidth: width, count: items.length, outside, overlaps};
}
"""


@pytest.mark.parametrize("width", [375, 1280])
def test_no_sideways_scrolling_or_overlap(
    browser: Browser, served_subpath: Served, site_pages: dict[str, str], width: int
) -> None:
    # Served under /news/ (the base_url's path) so the 404 page's links resolve too.
    phone = width < 600
    page, watch = watched_page(
        browser,
        {served_subpath.host},
        viewport={"width": width, "height": 800 if phone else 900},
        is_mobile=phone,
        has_touch=phone,
    )
    problems: list[str] = []
    try:
        for name in PAGES:
            page.goto(served_subpath.url + site_pages[name])
            wait_for_search_results(page)
            page.screenshot(path=screenshot_dir() / f"{name}-{width}.png", full_page=True)
            layout: dict[str, Any] = page.evaluate(LAYOUT_JS, " ".join(BLOCKS.split()))
            assert layout["count"] > 10, f"{name}: the block selectors matched almost nothing"
            where = f"{name} at {width} px ({site_pages[name]})"
            if layout["scrollWidth"] > layout["clientWidth"]:
                problems.append(
                    f"{where}: scrolls sideways, {layout['scrollWidth']} px of content "
                    f"in {layout['clientWidth']} px"
                )
            problems += [f"{where}: sticks out: {o}" for o in layout["outside"][:10]]
            problems += [f"{where}: {o}" for o in layout["overlaps"][:10]]
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)
    watch.assert_clean()
