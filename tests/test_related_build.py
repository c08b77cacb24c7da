"""Related articles on article pages: built from the archive, safe, and switchable."""

from __future__ import annotations

import re
from pathlib import Path

from newsarchive.config import Config

from .conftest import article_text

RELATED = re.compile(r'<section class="related".*?</section>', re.S)
LINK = re.compile(r'<li><a href="([^"]+)">([^<]*)</a> <time')


def related_links(page: Path) -> list[tuple[str, str]]:
    section = RELATED.search(page.read_text("utf-8"))
    return LINK.findall(section.group()) if section else []


def test_article_pages_list_related_articles(reuters_source: Path, build) -> None:
    result, out = build(reuters_source)
    assert result.ok
    pages = sorted(out.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"))
    with_related = 0
    for page in pages:
        links = related_links(page)
        assert len(links) <= 5
        targets = [(page.parent / href).resolve() for href, _ in links]
        assert page.resolve() not in targets  # never itself
        assert all(t.is_file() for t in targets) and len(set(targets)) == len(targets)
        with_related += bool(links)
    assert with_related > 0.9 * len(pages)


def test_near_duplicates_are_each_others_first_related(write_articles, build) -> None:
    story = "The central bank raised its discount rate to curb inflation in the coffee market."
    source = write_articles(
        {
            "a.txt": article_text("Bank raises rate", body=story + " Traders expected it."),
            "b.txt": article_text(
                "Bank lifts rate", posted="11.04.2023 09:00:00", body=story + " Markets fell."
            ),
            "c.txt": article_text(
                "Football results",
                posted="12.04.2023 10:00:00",
                body="The home team won the cup final on penalties.",
            ),
            "d.txt": article_text(
                "<script>alert(1)</script> & rate",
                posted="13.04.2023 10:00:00",
                body="The bank rate story again: discount rate, inflation.",
            ),
        }
    )
    result, out = build(source)
    assert result.ok
    a = related_links(out / "2023/04/10/bank-raises-rate/index.html")
    assert a[0][1] == "Bank lifts rate"
    b = related_links(out / "2023/04/11/bank-lifts-rate/index.html")
    assert b[0][1] == "Bank raises rate"
    assert not related_links(out / "2023/04/12/football-results/index.html")
    page = (out / "2023/04/10/bank-raises-rate/index.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in page  # titles are escaped in the list
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; rate" in page

    _, off = build(
        source, Config(base_url="https://example.org/", related=0), out=out.parent / "off"
    )
    assert not related_links(off / "2023/04/10/bank-raises-rate/index.html")
