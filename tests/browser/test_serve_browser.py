"""Scenario 5: the editing loop as a person sees it in the browser.

``serve`` (the in-process DevServer, on a free port) runs against a copy of seeds/ plus a
second article. A tab shows that second article; every change is saved to disk the way an
editor does and must show in the same tab by itself within 3 seconds, without anyone
pressing reload: a new title, a broken file (the seed article, which the open article links
to: breaking the open article itself would turn the tab into "Page not found"), the fix, a
broken config and its fix. Every page load is watched for console errors, failed and
foreign requests (scenario 6).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from newsarchive.serve.server import DevServer

from .conftest import SEEDS, watched_page

SOON = 3000  # ms: the promise is "within 3 seconds" of saving
OVERLAY = "#newsarchive-build-error"
OPEN_TITLE = "Minsk opens a new bus station"
# No Slug: the URL comes from the title, so a new title moves the article and the open tab
# must follow it to its new address rather than reload into "Page not found".
OPEN_ARTICLE = f"""Posted: 11.04.2023 09:30:00
Tags: Minsk, Transport
Source: Test desk

{OPEN_TITLE}

The station on the southern edge of the city serves forty routes.

It replaces two older stations.
"""
OPEN_URL = "2023/04/11/minsk-opens-a-new-bus-station/"
MOVED_URL = "2023/04/11/minsk-bus-station-opens-early/"


@dataclass
class Project:
    """A temporary archive: its files on disk and the running dev server."""

    root: Path
    seed: Path
    opened: Path
    config: Path
    server: DevServer
    messages: list[str]


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copyfile(path, articles / path.name)
    seed = articles / sorted(p.name for p in SEEDS.glob("*.txt"))[0]
    opened = articles / "bus-station.txt"
    opened.write_text(OPEN_ARTICLE, encoding="utf-8")
    config = tmp_path / "archive.toml"
    config.write_text(
        'title = "Editing loop"\ntimezone = "Europe/Minsk"\nsource = "articles"\noutput = "site"\n',
        encoding="utf-8",
    )
    messages: list[str] = []
    # Templates and static files are not watched here: they belong to the repository, and
    # someone editing them meanwhile must not set off reloads in this test.
    server = DevServer(config, port=0, on_event=messages.append, watch_dirs=[])
    server.start()
    try:
        yield Project(tmp_path, seed, opened, config, server, messages)
    finally:
        server.stop()


def mark(page: Page) -> None:
    """Tag the loaded document: the tag is gone once the page has reloaded."""
    page.evaluate("window.__sameDocument = true")


def reloaded(page: Page) -> bool:
    return page.evaluate("window.__sameDocument === undefined")


def seed_title(seed: Path) -> str:
    """The title line: the first non-empty line after the header block."""
    return seed.read_text(encoding="utf-8").split("\n\n", 1)[1].strip().split("\n")[0]


def test_edits_show_in_the_open_tab_by_themselves(browser: Browser, project: Project) -> None:
    server, seed = project.server, project.seed
    page, watch = watched_page(browser, {urlsplit(server.url).netloc})
    title = page.locator("h1.article-title")
    older = page.locator(".article-nav a.older")
    overlay = page.locator(OVERLAY)
    original_seed = seed.read_text(encoding="utf-8")
    try:
        page.goto(server.url + OPEN_URL)
        expect(title).to_have_text(OPEN_TITLE)
        expect(older).to_contain_text(seed_title(seed)[:40])

        # 1. A new title: the tab follows the article to its new URL and shows it.
        mark(page)
        project.opened.write_text(
            OPEN_ARTICLE.replace(OPEN_TITLE, "Minsk bus station opens early"), encoding="utf-8"
        )
        expect(title).to_have_text("Minsk bus station opens early", timeout=SOON)
        expect(page).to_have_title("Minsk bus station opens early · Editing loop")
        assert page.url == server.url + MOVED_URL
        assert reloaded(page), "the new title appeared without a reload?"

        # 2. The seed article loses its Posted: line. It is skipped: the open page reloads
        # without its link to it, and the overlay names the file and the problem.
        mark(page)
        broken = "\n".join(
            line for line in original_seed.split("\n") if not line.startswith("Posted:")
        )
        seed.write_text(broken, encoding="utf-8")
        expect(overlay).to_be_visible(timeout=SOON)
        expect(overlay).to_contain_text(seed.name)
        expect(overlay).to_contain_text("missing 'Posted:' header")
        expect(overlay).to_contain_text("1 file was skipped")
        expect(older).to_have_count(0)
        expect(title).to_have_text("Minsk bus station opens early")
        assert reloaded(page)

        # 3. Fixed: the overlay goes and the link comes back, with no manual reload.
        mark(page)
        seed.write_text(original_seed, encoding="utf-8")
        expect(overlay).to_have_count(0, timeout=SOON)
        expect(older).to_contain_text(seed_title(seed)[:40])
        assert reloaded(page)

        # 4. A broken config stops the build: the last good site stays, with the error
        # over it; fixing the config brings the page back.
        mark(page)
        good_config = project.config.read_text(encoding="utf-8")
        project.config.write_text(good_config + "per_page = 'many'\n", encoding="utf-8")
        expect(overlay).to_be_visible(timeout=SOON)
        expect(overlay).to_contain_text("archive.toml")
        expect(overlay).to_contain_text("per_page")
        expect(overlay).to_contain_text("last good site")
        assert not reloaded(page), "a failed rebuild must not reload the page"
        project.config.write_text(good_config, encoding="utf-8")
        expect(overlay).to_have_count(0, timeout=SOON)
        expect(title).to_have_text("Minsk bus station opens early")
        assert reloaded(page)
    finally:
        page.context.close()
    watch.assert_clean()
    assert any(seed.name in m for m in project.messages), project.messages
