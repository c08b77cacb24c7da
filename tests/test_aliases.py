"""Redirect pages: an article's old addresses (``Aliases:`` / ``aliases:``) answer with a page
that sends the reader to it; a real page always wins; bad values are located warnings."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from newsarchive.config import Config
from newsarchive.errors import Problem
from newsarchive.render.pages import REDIRECT_TEMPLATE, PageJob
from newsarchive.render.redirects import RealPaths, Redirect, redirect_jobs
from newsarchive.slugs import site_path_problem

from .conftest import article_text

CONFIG = Config(base_url="https://example.org/news/", timezone="UTC")
NEW = "2023/04/10/a-title/"


@pytest.mark.parametrize(
    "path",
    ["1987/03/12/old-title/", "old.html", "news/old/page.htm", "старое/", "a/b_c~d-e/"],
)
def test_site_paths_that_can_be_redirected(path: str) -> None:
    assert site_path_problem(path) is None


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("", "not a path inside the site"),
        ("/1987/old/", "not a path inside the site"),
        ("https://example.org/old/", "not a path inside the site"),
        ("../outside/", "hidden or '..'"),
        ("a/../../outside/", "hidden or '..'"),
        ("a/./b/", "hidden or '..'"),
        (".git/", "hidden or '..'"),
        ("a//b/", "a space"),
        ("two words/", "a space"),
        ("a\\b/", "a space"),
        ("c:/windows/", "a space"),
        ("old/?p=1", "a space"),
        ("old%2F/", "a space"),
        ("feed.xml/", "clash with the site's own files"),
        ("static/old/", "clash with the site's own files"),
        ("old", "not .html"),
        ("old.php", "not .html"),
    ],
)
def test_site_paths_refused(path: str, why: str) -> None:
    problem = site_path_problem(path)
    assert problem is not None and why in problem


def test_redirect_jobs_refuse_real_pages_and_taken_paths() -> None:
    pages = [
        PageJob("article.html", NEW + "index.html", {}),
        PageJob("tags.html", "tags/index.html", {}),
    ]
    redirects = [
        Redirect("1987/old/", NEW, "A title", "a.txt"),
        Redirect("TAGS/", NEW, "A title", "a.txt"),  # a real page, whatever the case
        Redirect(NEW, NEW, "A title", "a.txt"),
        Redirect("1987/Old/", "2023/04/11/b/", "B", "b.txt"),
        Redirect("../x/", NEW, "A title", "a.txt"),
        Redirect("old.html", NEW),
    ]
    jobs, problems = redirect_jobs(redirects, pages)
    assert jobs == [
        PageJob(REDIRECT_TEMPLATE, "1987/old/index.html", {"target": NEW, "title": "A title"}),
        PageJob(REDIRECT_TEMPLATE, "old.html", {"target": NEW, "title": ""}),
    ]
    assert problems == [
        Problem("a.txt", 1, "alias 'TAGS/' is a page of the site; no redirect written", "warning"),
        Problem("a.txt", 1, f"alias {NEW!r} is this article's URL; no redirect written", "warning"),
        Problem(
            "b.txt",
            1,
            "alias '1987/Old/' is already an alias of another page; no redirect written",
            "warning",
        ),
        Problem(
            "a.txt", 1, "alias '../x/' has a hidden or '..' part; no redirect written", "warning"
        ),
    ]


def _refresh_target(html: str) -> str:
    match = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
    assert match, html
    return match.group(1)


def test_aliases_write_redirect_pages(write_articles, build) -> None:
    source = write_articles(
        {
            "a.txt": article_text(aliases="/1987/03/12/old-title/, 1987/03/13/other, old.html"),
            "b.md": "---\ntitle: B story\ndate: 2023-04-11 10:00\n"
            "aliases:\n  - 1999/01/01/b-old/\n  - b.html\n---\nText.\n",
        }
    )
    result, site = build(source, CONFIG)
    assert result.ok and not result.problems, result.problems
    for old, depth, new in [
        ("1987/03/12/old-title/index.html", 4, NEW),
        ("1987/03/13/other/index.html", 4, NEW),
        ("old.html", 0, NEW),
        ("1999/01/01/b-old/index.html", 4, "2023/04/11/b-story/"),
        ("b.html", 0, "2023/04/11/b-story/"),
    ]:
        html = (site / old).read_text()
        href = "../" * depth + new + "index.html"
        assert _refresh_target(html) == href
        assert f'<link rel="canonical" href="https://example.org/news/{new}">' in html
        assert '<meta name="robots" content="noindex">' in html
        assert f'This page has moved to <a href="{href}">' in html
        assert (site / old).parent.joinpath(href).resolve() == (site / new / "index.html")
    # Not listed for crawlers: the sitemap names the article, never its old addresses.
    sitemap = (site / "sitemap.xml").read_text()
    assert NEW in sitemap and "old-title" not in sitemap and "b.html" not in sitemap


def test_bad_aliases_are_located_warnings_and_the_article_still_builds(
    write_articles, build
) -> None:
    text = article_text(tags="x", aliases="../../etc/, ok/, http://e.org/a/, feed.xml/")
    markdown = (
        "---\ntitle: B story\ndate: 2023-04-11 10:00\n\naliases:\n  - 7\n  - /b/c d/\n---\nText.\n"
    )
    bad_type = "---\ntitle: C story\ndate: 2023-04-12 10:00\naliases: {a: 1}\n---\nText.\n"
    source = write_articles({"a.txt": text, "b.md": markdown, "c.md": bad_type})
    result, site = build(source, CONFIG)
    assert result.ok and result.articles == 3
    shown = [str(p).removeprefix(f"{source}/") for p in result.problems]
    assert shown == [
        "a.txt:3: warning: alias '../../etc/' has a hidden or '..' part; skipped",
        "a.txt:3: warning: alias 'feed.xml/' would clash with the site's own files; skipped",
        "a.txt:3: warning: alias 'http://e.org/a/' is not a path inside the site"
        " (write it like 1987/03/12/old-title/); skipped",
        "b.md:5: warning: alias '/b/c d/' holds a space, '?', '#', '%', ':' or '\\'"
        " (not a plain site path); skipped",
        "b.md:5: warning: alias 7 is not a string; skipped",
        "c.md:4: warning: 'aliases' must be a list of site paths, not a mapping",
    ]
    assert (site / "ok/index.html").is_file()
    assert (site / NEW / "index.html").is_file()
    assert not (site.parent / "etc").exists()


def test_an_alias_naming_a_page_is_refused_and_the_page_wins(write_articles, build) -> None:
    source = write_articles(
        {
            "a.txt": article_text(aliases="2023/04/11/b-story/, tags/, 2023/"),
            "b.txt": article_text(title="B story", posted="11.04.2023 10:00"),
        }
    )
    result, site = build(source, CONFIG)
    assert result.ok
    assert [(Path(p.path).name, p.level, p.message) for p in result.problems] == [
        ("a.txt", "warning", f"alias {old!r} is a page of the site; no redirect written")
        for old in ("2023/", "2023/04/11/b-story/", "tags/")
    ]
    page = (site / "2023/04/11/b-story/index.html").read_text()
    assert "<h1" in page and "http-equiv" not in page
    assert 'http-equiv="refresh"' not in (site / "tags/index.html").read_text()


def test_redirect_page_shows_the_title_escaped(write_articles, build) -> None:
    source = write_articles(
        {"a.txt": article_text(title="<script>alert(1)</script> & co", aliases="old/")}
    )
    result, site = build(source, CONFIG)
    assert result.ok and not result.problems
    html = (site / "old/index.html").read_text()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</a>" in html


def test_serves_real_paths_fold_only_the_pages_that_changed() -> None:
    """RealPaths: rounds of pages coming, going and replaced (some folding alike) answer
    what folding every page does, and the redirects refused are the same."""
    rng = random.Random(3)

    def job() -> PageJob:
        path = rng.choice(("A", "a", "b", "B", "c")) + f"{rng.randrange(900)}/index.html"
        return PageJob("page.html", path, {})

    pages = [job() for _ in range(2_000)]
    memo = RealPaths()
    for _ in range(60):
        for _ in range(rng.randrange(0, 5)):
            at = rng.randrange(len(pages))
            kind = rng.choice(("add", "delete", "replace"))
            if kind == "add":
                pages.insert(at, job())
            elif kind == "delete":
                del pages[at]
            else:
                pages[at] = job()
        assert set(memo.of(pages)) == {page.path.casefold() for page in pages}
        wanted = [Redirect(f"{c}{n}/", "x/") for c in "aB" for n in range(0, 900, 7)]
        assert redirect_jobs(wanted, pages, memo) == redirect_jobs(wanted, pages)
    assert memo.patched > 80  # the fast path ran (up to twice a round)
