"""The map of places in a built site: /places/ with a mark per place tag that has a point,
linking to its tag page; the small map on a place's tag page; the outline file; determinism."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from newsarchive.build import build_site
from newsarchive.config import Config, TagRules
from newsarchive.render.worldmap import outline_svg, project

from .conftest import article_text
from .linkcheck import broken_links

# West Germany is a place by tags.toml: the gazetteer has no point for it.
RULES = TagRules(kinds=(("West Germany", "place"),))
CONFIG = Config(base_url="https://example.org/news/", per_page=2, timezone="UTC", tag_rules=RULES)
# Explicit tags: a country, a city, a place with no point on the map and a topic (not a
# place). Tags as feeds write them ("usa", "hong-kong") are tests/test_worldmap.py's.
TAGS = [
    "United States, Economy",
    "United States, Japan",
    "Japan, Chicago",
    "United States, West Germany",
    "United States, Chicago",
]


def source(write_articles) -> Path:
    return write_articles(
        {
            f"a{i}.txt": article_text(
                title=f"Story {i}", posted=f"0{i + 1}.03.1987 10:00", body="Words.", tags=tags
            )
            for i, tags in enumerate(TAGS)
        }
    )


def marks(html: str) -> list[tuple[str, str, float]]:
    """(href, title, radius) of each mark, in drawing order."""
    found = re.findall(
        r'<a href="([^"]+)" tabindex="-1"><title>([^<]+)</title><circle cx="[\d.]+" '
        r'cy="[\d.]+" r="([\d.]+)"/></a>',
        html,
    )
    return [(href, title, float(r)) for href, title, r in found]


def test_places_page_marks_each_place_with_a_point(tmp_path: Path, write_articles) -> None:
    result = build_site(CONFIG, source(write_articles), tmp_path / "site")
    assert result.ok, result.errors
    site = tmp_path / "site"
    html = (site / "places/index.html").read_text("utf-8")
    drawn = marks(html)
    # The United States (4 articles) are drawn first, under the smaller marks.
    assert [(href, title) for href, title, _ in drawn] == [
        ("../tags/united-states/index.html", "United States: 4 articles"),
        ("../tags/chicago/index.html", "Chicago: 2 articles"),
        ("../tags/japan/index.html", "Japan: 2 articles"),
    ]
    assert drawn[0][2] > drawn[1][2] == drawn[2][2]
    assert '<img src="../places/world.svg" alt="" width="1000" height="435">' in html
    # The text list: the same places and numbers; West Germany is listed as not on the map.
    lists = html.split("Not on the map")
    assert lists[0].count('class="count">4</span>') == 1
    assert '<a href="../tags/west-germany/index.html">West Germany</a>' in lists[1]
    assert "Economy" not in html  # a topic, not a place
    assert (site / "places/world.svg").read_bytes() == outline_svg()
    assert broken_links(site, "https://example.org/news/") == []
    # Reached from the header of every page and from the places on /tags/.
    assert '<a href="../places/index.html">Places</a>' in (site / "tags/index.html").read_text()
    assert 'class="see-map"><a href="../places/index.html">' in (
        site / "tags/index.html"
    ).read_text("utf-8")


def test_a_place_tag_page_shows_the_place_small(tmp_path: Path, write_articles) -> None:
    # One article a page: every listing of several articles has older pages, wherever the
    # content-defined cuts fall (render.paging).
    build_site(replace(CONFIG, per_page=1), source(write_articles), tmp_path / "site")
    site = tmp_path / "site"
    front = (site / "tags/united-states/index.html").read_text("utf-8")
    assert front.count('<circle class="here"') == 1
    assert 'src="../../places/world.svg" alt="United States on the map' in front
    assert '<a href="../../places/index.html"' in front
    for page in ("tags/chicago/index.html", "tags/japan/index.html"):
        assert '<circle class="here"' in (site / page).read_text("utf-8"), page
    # Not on older pages, not for a place without a point, not for other kinds.
    older = next(
        p
        for p in (site / "tags/united-states").rglob("index.html")
        if p.parent.name != "united-states"
    )
    for page in (older, site / "tags/west-germany/index.html", site / "tags/economy/index.html"):
        assert "world.svg" not in page.read_text("utf-8"), page


def test_a_mark_is_where_the_united_states_are(tmp_path: Path, write_articles) -> None:
    build_site(CONFIG, source(write_articles), tmp_path / "site")
    html = (tmp_path / "site/places/index.html").read_text("utf-8")
    found = re.search(r'United States: 4 articles</title><circle cx="([\d.]+)" cy="([\d.]+)"', html)
    assert found is not None
    x, y = project(-97.0, 38.0)  # countryinfo's point for the United States
    assert (float(found[1]), float(found[2])) == (round(x, 1), round(y, 1))
    assert 200 < x < 300 and 80 < y < 130  # North America's middle on a 1000 x 435 map


def test_places_page_without_places(tmp_path: Path, write_articles) -> None:
    articles = write_articles({"a.txt": article_text(tags="Economy")})
    build_site(CONFIG, articles, tmp_path / "site")
    html = (tmp_path / "site/places/index.html").read_text("utf-8")
    assert "No article names a place yet." in html and "<svg" not in html
    assert 'class="see-map"' not in (tmp_path / "site/tags/index.html").read_text("utf-8")


def test_two_builds_are_byte_identical(tmp_path: Path, write_articles) -> None:
    articles = source(write_articles)
    build_site(CONFIG, articles, tmp_path / "one")
    build_site(CONFIG, articles, tmp_path / "two", jobs=2)
    for name in ("places/index.html", "places/world.svg", "tags/united-states/index.html"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    one = {p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*")}
    assert one == {p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*")}
