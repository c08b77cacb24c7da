"""Scenario 7: axe-core finds no serious or critical accessibility problem on any kind of
page. Every rule runs in the light colour scheme; the dark scheme only changes colours, so
there the contrast rule runs again on the same page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from .conftest import REPO, Served, wait_for_search_results, watched_page

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "home", "article", "newest-article", "long-article", "tags", "tag", "sources", "source",
    "year", "month", "day", "archive", "search", "search-phrase", "404", "data", "places",
    "place-tag",
]  # fmt: skip
BLOCKING = ("serious", "critical")


def run_axe(page: Page, rules: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core (injected once per page from a local file: the page must fetch nothing
    from elsewhere) with every rule, or only ``rules``."""
    if not page.evaluate("typeof window.axe === 'object'"):
        assert AXE.is_file(), f"{AXE} missing: run npm ci (make test does)"
        page.add_script_tag(path=str(AXE))
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return page.evaluate("options => axe.run(document, options)", options)["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    """One block per rule: id, impact, what it means, and where (the first few targets)."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} - {v['helpUrl']}")
        for node in v["nodes"][:5]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:240]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


# The site whose pages are checked: English, and the same articles with Russian ones in a
# Russian-language site (fixtures: served root, served under /news/, its pages).
SITES = {
    "en": ("served_root", "served_subpath", "site_pages"),
    "ru": ("served_russian_root", "served_russian_subpath", "russian_site_pages"),
}


@pytest.mark.corpus  # both sites hold the Reuters sample (fixtures by name: not marked for us)
@pytest.mark.parametrize("language", SITES)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(
    browser: Browser, request: pytest.FixtureRequest, name: str, language: str
) -> None:
    root, subpath, pages = SITES[language]
    site_pages: dict[str, str] = request.getfixturevalue(pages)
    # The 404 page links from base_url's path (/news/): it is served at any depth.
    served: Served = request.getfixturevalue(subpath if name == "404" else root)
    page, watch = watched_page(browser, {served.host}, color_scheme="light")
    try:
        page.goto(served.url + site_pages[name])
        wait_for_search_results(page)
        light = run_axe(page)
        page.emulate_media(color_scheme="dark")
        dark = run_axe(page, ["color-contrast"])
    finally:
        page.context.close()
    report = []
    for scheme, violations in (("light", light), ("dark", dark)):
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking:
            report.append(f"{scheme} colour scheme:\n{describe(blocking)}")
    where = f"{language} {name} page ({site_pages[name]})"
    assert not report, f"axe-core on the {where}:\n" + "\n".join(report)
    watch.assert_clean()
