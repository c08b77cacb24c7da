"""Subjects: one subject one tag (own slugs named as found tags are), the /tags/ index, the
"often with" tags, sources and authors, and old tag URLs that redirect."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from newsarchive.config import Config, TagRules
from newsarchive.model import Article, Tag
from newsarchive.placing import build_archive
from newsarchive.render.bylines import bylines
from newsarchive.render.tagindex import OFTEN_WITH, often_with, tag_index
from newsarchive.tags.gazetteer import gazetteer
from newsarchive.tags.stage import tag_articles
from newsarchive.tags.subjects import Subjects, display_name

from .conftest import SEEDS, article_text
from .linkcheck import broken_links

CONFIG = Config(base_url="https://example.org/news/", per_page=3, timezone="UTC")


def art(path: str, title: str, body: str, tags: tuple[str, ...] = (), **more: str) -> Article:
    when = datetime(2023, 1, int(re.sub(r"\D", "", path) or 0) % 28 + 1, tzinfo=UTC)
    return Article(path, title, when, "", body, "", tags=tags, **more)


REAGAN = "President Ronald Reagan spoke in the United States. Reagan said taxes would fall."


NO_RULES = TagRules()


def subjects(people: tuple[str, ...] = (), rules: TagRules = NO_RULES) -> Subjects:
    return Subjects(rules, people, lambda word: word.lower() in {"gold", "baker"}, lambda _t: [])


def test_country_codes_and_names_become_the_gazetteers_place() -> None:
    s = subjects()
    assert s.name("usa") == s.name("USA") == "United States"
    assert s.name("uk") == "United Kingdom"
    assert s.name("japan") == "Japan"
    assert s.name("ussr") == "Soviet Union"  # a former country the gazetteer now knows
    assert s.name("west-germany") == "West Germany"


def test_slugs_display_as_names_their_articles_write() -> None:
    texts = {
        "de-la-madrid": ["President Miguel de la Madrid said. De la Madrid added."],
        "leigh-pemberton": ["Governor Robin Leigh-Pemberton said."],
        "palm-oil": ["palm oil prices rose; palm oil fell. PALM OIL"],
        "money-fx": ["money markets"],
    }
    s = Subjects(TagRules(), (), lambda _w: False, lambda tag: texts.get(tag, []))
    assert s.name("de-la-madrid") == "De la Madrid"
    assert s.name("leigh-pemberton") == "Leigh-Pemberton"
    assert s.name("palm-oil") == "palm-oil"  # written in lower case: a topic, kept
    assert s.name("money-fx") == "money-fx"  # never written as words: kept
    assert s.name("earn") == "earn" and s.name("Putin") == "Putin"
    assert display_name("de-la-madrid") == "De la Madrid"
    assert display_name("bank-of-japan") == "Bank of Japan"


def test_a_surname_slug_joins_the_one_person_the_archive_names() -> None:
    s = subjects(("Ronald Reagan", "James Baker", "Howard Baker", "John Gold"))
    assert s.name("reagan") == "Ronald Reagan"
    assert s.name("baker") == "baker"  # two Bakers (and a common word): no guess
    assert s.name("gold") == "gold"  # the archive writes "gold" in lower case: no surname
    assert s.name("james-baker") == "James Baker"


def test_tags_toml_aliases_and_names_win() -> None:
    rules = TagRules(
        aliases=(("usa", "America"), ("reagan", "The President")),
        kinds=(("west-germany", "place"),),
    )
    s = subjects(("Ronald Reagan",), rules)
    assert s.name("usa") == "America" and s.name("USA") == "America"
    assert s.name("reagan") == "The President"
    assert s.name("west-germany") == "west-germany"  # named in tags.toml: kept as written


def test_own_and_found_tags_of_one_subject_are_one_tag() -> None:
    own = art("a1", "Budget", "The budget.", tags=("usa", "uk", "reagan", "usa"))
    found = [art(f"a{i}", "Talks", REAGAN + " The United Kingdom agreed.") for i in (2, 3)]
    articles, kinds, renamed = tag_articles([own, *found], TagRules(), "missing")
    assert articles[0].tags == ("United States", "United Kingdom", "Ronald Reagan")
    assert articles[0].found_tags == 0
    assert {"United States", "Ronald Reagan"} <= set(articles[1].tags)
    assert kinds["united states"] == "place" and kinds["ronald reagan"] == "person"
    assert renamed == {"usa": "United States", "uk": "United Kingdom", "reagan": "Ronald Reagan"}
    archive = build_archive(articles, kinds=kinds, renamed=renamed)
    by_name = {tag.name: tag for tag in archive.tags}
    assert len(by_name["United States"].articles) == 3 and "usa" not in by_name
    assert by_name["United States"].kind == "place"


def test_soviet_union_is_a_place_not_an_organisation() -> None:
    body = "The Soviet Union said. Moscow and the Soviet Union agreed on grain."
    articles, kinds, _ = tag_articles(
        [art("a1", "Grain", body), art("a2", "Grain", body)], TagRules(), "always"
    )
    assert kinds["soviet union"] == "place" and "Soviet Union" in articles[0].tags
    assert gazetteer().names["Soviet Union"].kind == "country"
    assert gazetteer().names["Yugoslavia"].name == "Yugoslavia"


def _tags(spec: dict[str, int]) -> list[Tag]:
    return [
        Tag(name, name.lower(), tuple(art(f"x{i}", "t", "b") for i in range(n)), kind)
        for (name, kind), n in ((tuple(k.split(":")), v) for k, v in spec.items())
    ]


def test_tag_index_most_used_by_kind_and_initials() -> None:
    tags = _tags(
        {"Äpfel:topic": 3, "apple:topic": 9, "Berlin:place": 2, "1987:": 1, "Минск:place": 4}
    )
    index = tag_index(sorted(tags, key=lambda t: t.name.casefold()))
    assert [(kind, [t.name for t in group], n) for kind, group, n in index.top] == [
        ("place", ["Минск", "Berlin"], 2),
        ("topic", ["apple", "Äpfel"], 2),
        ("", ["1987"], 1),
    ]
    labels = [(i.label, i.anchor, [t.name for t in i.tags]) for i in index.initials]
    assert labels == [
        ("#", "tags-other", ["1987"]),
        ("A", "tags-a", ["apple", "Äpfel"]),  # "Ä" under A
        ("B", "tags-b", ["Berlin"]),
        ("М", "tags-u043c", ["Минск"]),
    ]


def test_often_with_counts_pairs_most_first() -> None:
    tagged = [("a", "b", "c"), ("a", "b"), ("a", "c"), ("a", "b"), ("d",)]
    articles = [art(f"a{i}", "t", "b", tags=t) for i, t in enumerate(tagged, 1)]
    archive = build_archive(articles)
    often = often_with(archive.tags, archive.articles)
    assert [t.name for t in often["a"]] == ["b", "c"]  # b 3 times, c twice
    assert [t.name for t in often["b"]] == ["a", "c"]
    assert often["d"] == ()
    many = [art("a1", "t", "b", tags=tuple(f"t{i:02d}" for i in range(20)))]
    assert len(often_with(build_archive(many).tags, many)["t00"]) == OFTEN_WITH


def test_bylines_grouped_case_insensitively() -> None:
    articles = [
        art("a1", "t", "b", source="Reuters", author="Jane Roe"),
        art("a2", "t", "b", source="reuters"),
        art("a3", "t", "b", source="AP"),
        art("a4", "t", "b", source="Reuters"),
    ]
    sources = bylines(articles, "sources")
    assert [(b.name, b.url, len(b.articles)) for b in sources] == [
        ("AP", "sources/ap/", 1),
        ("Reuters", "sources/reuters/", 3),
    ]
    assert [(b.name, b.url) for b in bylines(articles, "authors")] == [
        ("Jane Roe", "authors/jane-roe/")
    ]


def test_site_pages_for_subjects(build, write_articles) -> None:
    source = write_articles(
        {
            "a1.txt": article_text(
                "Budget", "01.01.2023 10:00", tags="usa, earn, grain, gold, oil, fx"
            ),
            "a2.txt": article_text("Talks", "02.01.2023 10:00", tags="usa, earn", source="Reuters"),
            "a3.txt": article_text("More", "03.01.2023 10:00", tags="USA", author="Jane Roe"),
            "a4.txt": article_text("Four", "04.01.2023 10:00", tags="United States"),
        }
    )
    result, site = build(source, CONFIG)
    assert result.ok and not result.problems
    assert broken_links(site, "http://h/news/") == []
    assert broken_links(site, "file:///srv/archive/") == []
    # The old tag URL answers with a redirect page: relative, so it works from file://.
    moved = (site / "tags/usa/index.html").read_text()
    href = "../../tags/united-states/index.html"
    assert f'<meta http-equiv="refresh" content="0; url={href}">' in moved
    assert f'<a href="{href}">United States</a>' in moved
    assert '<link rel="canonical" href="https://example.org/news/tags/united-states/">' in moved
    assert not (site / "tags/usa/feed.xml").exists()
    # One tag for the four spellings; its page names what comes with it, not itself.
    page = (site / "tags/united-states/index.html").read_text()
    assert "4 articles" in page
    often = re.search(r'<nav class="often-with".*?</nav>', page, re.S).group()
    assert re.findall(r">([^<>]+)</a>", often) == ["earn", "fx", "gold", "grain", "oil"]
    entries = page.split('<div class="entries">')[1]
    assert "tags/united-states/" not in entries and 'href="../../tags/earn/index.html"' in entries
    assert ' · <span class="tags"></span>' not in entries
    # Sources and authors: listed, and linked from their articles.
    assert "Reuters" in (site / "sources/index.html").read_text()
    assert "Talks" in (site / "sources/reuters/index.html").read_text()
    assert "More" in (site / "authors/jane-roe/index.html").read_text()
    talks = next(site.glob("2023/01/02/*/index.html")).read_text()
    assert '<a class="source" href="../../../../sources/reuters/index.html">Reuters</a>' in talks


def test_more_tags_link_to_the_articles_tag_list(build) -> None:
    _result, site = build(SEEDS, CONFIG)
    home = (site / "index.html").read_text()
    more = re.search(r'<a class="more-tags" href="([^"]+)">\+(\d+)<span', home)
    assert more and more.group(1).endswith("/index.html#tags") and int(more.group(2)) > 0
    article = (site / more.group(1).split("#")[0]).read_text()
    assert '<dl class="tag-groups" id="tags">' in article


def test_no_source_no_author_no_pages(build, write_articles) -> None:
    source = write_articles({"a1.txt": article_text("Budget", tags="usa")})
    result, site = build(source, CONFIG)
    assert result.ok and not (site / "sources").exists() and not (site / "authors").exists()


def test_tags_page_lists_all_by_initial_with_tools_hidden_without_js(build, write_articles) -> None:
    names = ["alpha", "Beta", "Ärger", "42nd", "Минск"]
    source = write_articles(
        {f"a{i}.txt": article_text(f"T{i}", tags=", ".join(names)) for i in range(3)}
    )
    _result, site = build(source, CONFIG)
    html = (site / "tags/index.html").read_text()
    assert '<div class="tag-tools" hidden>' in html and "static/tags.js" in html
    jump = re.search(r'<nav class="az-jump".*?</nav>', html, re.S).group()
    assert re.findall(r'href="#([^"]+)">([^<]+)<', jump) == [
        ("tags-other", "#"),
        ("tags-a", "A"),
        ("tags-b", "B"),
        ("tags-u043c", "М"),
    ]
    letters = html.split('<div class="tag-letters">')[1]
    assert letters.count('<li data-count="3">') == 5
    assert Path(site / "static/tags.js").exists()


def test_datelines_tables_and_possessives_make_no_names() -> None:
    from newsarchive.tags.entities import extract

    body = (
        "NEW YORK - Texaco Inc said it would appeal. Texaco Inc said more.\n"
        "Lou Gulf 1.81 --- --- 5.29 3.26\n"
        "MAIZE - Argentine Plate Apl/Jne 95.50 unch Jly 96.50 unch\n"
        "Senior members of Prime Minister Thatcher's Conservative party met."
    )
    m = extract("Oil", body, NO_RULES)
    assert "YORK" not in m.orgs and "Texaco Inc" in m.orgs
    assert not [n for n in (*m.names, *m.persons) if "Gulf" in n or "Plate" in n]
    assert "Thatcher Conservative" not in m.persons and "Thatcher" in m.singles
