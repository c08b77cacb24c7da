"""The model stage: slugs, stable URLs, collisions, ordering and grouping."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from newsarchive.model import Article
from newsarchive.placing import build_archive
from newsarchive.slugs import make_slug

UTC = ZoneInfo("UTC")


def art(
    title: str, when: datetime, path: str, tags: tuple[str, ...] = (), slug: str = ""
) -> Article:
    return Article(path, title, when, "", "", "", tags=tags, slug=slug)


def test_slug_transliterates_cyrillic_and_strips_punctuation() -> None:
    assert make_slug("Лукашенко обсудил безопасность с Шойгу", "x") == (
        "lukashenko-obsudil-bezopasnost-s-shoigu"
    )
    assert make_slug("Belarus’ security: “guarantees” & more!", "x") == (
        "belarus-security-guarantees-more"
    )
    assert make_slug("Ünïcödé café", "x") == "unicode-cafe"
    long = make_slug("word " * 40, "x")
    assert len(long) <= 80 and not long.endswith("-")
    assert make_slug("???", "some/path.txt").startswith("a-")


def test_url_from_date_and_slug_override() -> None:
    when = datetime(2023, 4, 10, 13, 13, tzinfo=UTC)
    archive = build_archive(
        [art("Hello World", when, "a.txt"), art("X", when, "b.txt", slug="My Slug")]
    )
    assert {a.url for a in archive.articles} == {"2023/04/10/hello-world/", "2023/04/10/my-slug/"}


def test_url_never_changes_when_articles_are_added() -> None:
    day = datetime(2023, 4, 10, 9, 0, tzinfo=UTC)
    first = build_archive([art("Same title", day, "old.txt")])
    later = datetime(2023, 4, 10, 18, 0, tzinfo=UTC)
    more = [art("Same title", later, "new.txt"), art("Other", later, "z.txt")]
    second = build_archive([art("Same title", day, "old.txt"), *more])
    url = {a.path: a.url for a in second.articles}
    assert url["old.txt"] == first.articles[0].url == "2023/04/10/same-title/"
    # The newcomer gets a suffix derived from its own path, whatever else exists.
    assert url["new.txt"].startswith("2023/04/10/same-title-") and url["new.txt"] != url["old.txt"]
    third = build_archive([*more, art("Same title", day, "old.txt"), art("Q", later, "q.txt")])
    assert {a.path: a.url for a in third.articles}["new.txt"] == url["new.txt"]


def test_collision_warns_and_both_build() -> None:
    day = datetime(2023, 4, 10, tzinfo=UTC)
    archive = build_archive([art("Twin", day, "b.txt"), art("Twin", day, "a.txt")])
    assert len({a.url for a in archive.articles}) == 2
    (warning,) = archive.problems
    assert (
        warning.level == "warning"
        and warning.path == "b.txt"
        and "same URL as a.txt" in warning.message
    )


def test_order_tags_and_periods() -> None:
    a = art("A", datetime(2022, 12, 31, 23, 0, tzinfo=UTC), "a.txt", tags=("Economy", "Belarus"))
    b = art("B", datetime(2023, 1, 1, 8, 0, tzinfo=UTC), "b.txt", tags=("economy",))
    c = art("C", datetime(2023, 1, 1, 9, 0, tzinfo=UTC), "c.txt", tags=("Economy",))
    archive = build_archive([a, c, b])
    assert [x.title for x in archive.articles] == ["C", "B", "A"]
    assert archive.newer(archive.articles[1]).title == "C"
    assert archive.older(archive.articles[1]).title == "A"
    assert archive.newer(archive.articles[0]) is None and archive.older(archive.articles[2]) is None
    tags = {t.name: [x.title for x in t.articles] for t in archive.tags}
    assert tags == {"Belarus": ["A"], "Economy": ["C", "B", "A"]}
    assert archive.tag_slug("ECONOMY") == "economy"
    (y2023, y2022) = archive.years
    assert (y2023.year, y2023.url, len(y2023.articles)) == (2023, "2023/", 2)
    assert [m.url for m in y2023.children] == ["2023/01/"]
    assert [d.url for d in y2023.children[0].children] == ["2023/01/01/"]
    assert y2022.children[0].children[0].url == "2022/12/31/"


def test_early_years_are_zero_padded_consistently() -> None:
    archive = build_archive([art("Old", datetime(999, 3, 1, tzinfo=UTC), "old.txt")])
    assert archive.articles[0].url == "0999/03/01/old/"
    assert archive.years[0].url == "0999/"


def test_order_is_by_the_instant_in_the_hour_clocks_go_back() -> None:
    """01:50 EDT is 05:50Z, 01:10 EST is 06:10Z: one zone's datetimes compare by wall clock."""
    new_york = ZoneInfo("America/New_York")
    early = datetime(2026, 11, 1, 5, 50, tzinfo=UTC).astimezone(new_york)
    late = datetime(2026, 11, 1, 6, 10, tzinfo=UTC).astimezone(new_york)
    archive = build_archive([art("Early", early, "early.txt"), art("Late", late, "late.txt")])
    assert [a.title for a in archive.articles] == ["Late", "Early"]
    assert [a.posted.isoformat() for a in archive.articles] == [
        "2026-11-01T01:10:00-05:00",
        "2026-11-01T01:50:00-04:00",
    ]


def test_a_date_that_comes_again_is_still_one_period() -> None:
    """Sitka's clocks went back a whole day when Alaska became American (18 October 1867):
    in time order the 18th came, then the 19th, then the 18th again."""
    zone = ZoneInfo("America/Sitka")
    times = [datetime(1867, 10, 17, 23, tzinfo=UTC), datetime(1867, 10, 19, 0, tzinfo=UTC)]
    times.append(datetime(1867, 10, 19, 2, tzinfo=UTC))  # 13:58 on the 19th, 16:58 on the 18th
    made = [art(f"T{i}", t.astimezone(zone), f"{i}.txt") for i, t in enumerate(times)]
    days = [d.url for d in build_archive(made).years[0].children[0].children]
    assert days == ["1867/10/19/", "1867/10/18/"]


def test_urls_hash_the_name_below_the_source_folder_not_the_path_as_typed() -> None:
    day = datetime(2023, 4, 10, tzinfo=UTC)

    def urls(folder: str) -> list[str]:
        made = [
            Article(f"{folder}/{n}", t, day, "", "", "", name=n)
            for n, t in [("a.txt", "Twin"), ("b.txt", "Twin"), ("c.txt", "!!! ???")]
        ]
        return sorted(a.url for a in build_archive(made).articles)

    assert (
        urls("/tmp/a/articles")
        == urls("../b/articles")
        == [
            "2023/04/10/c/",
            "2023/04/10/twin-" + hashlib.sha1(b"b.txt").hexdigest()[:6] + "/",
            "2023/04/10/twin/",
        ]
    )


def test_a_title_without_letters_is_named_after_its_file_with_a_warning() -> None:
    day = datetime(2023, 4, 10, tzinfo=UTC)
    made = [art("🙂🔥", day, "x/emoji-post.md"), art("!!!", day, "???.txt")]
    archive = build_archive(made)
    urls = {a.path: a.url for a in archive.articles}
    assert urls["x/emoji-post.md"] == "2023/04/10/emoji-post/"
    assert urls["???.txt"] == "2023/04/10/a-" + hashlib.sha1(b"???.txt").hexdigest()[:6] + "/"
    assert {p.path for p in archive.problems} == set(urls)
    assert all(
        p.level == "warning" and "no letters or digits" in p.message for p in archive.problems
    )


def test_replaced_is_dataclasses_replace() -> None:
    """Article.replaced copies the fields without __init__: equal to dataclasses.replace,
    the original untouched, and a name that is not a field refused as replace refuses it."""
    posted = datetime(2024, 5, 1, 9, 30, tzinfo=ZoneInfo("UTC"))
    article = Article(
        path="a.txt", title="T", posted=posted, html=None, body_text="B", summary="S",
        credits=("photo: x",), tags=("a",), source="s", author="w", lang="en", slug="t",
        meta=(("k", "v"),), url="/u/", found_tags=1, name="a.txt", aliases=("/old/",),
    )  # fmt: skip
    for changes in ({"url": "/v/"}, {"tags": ("a", "b"), "found_tags": 2}, {}):
        copy = article.replaced(**changes)
        assert copy == dataclasses.replace(article, **changes) and copy is not article
        assert vars(copy) == vars(dataclasses.replace(article, **changes))
    assert article.url == "/u/" and article.tags == ("a",)
    with pytest.raises(TypeError):
        article.replaced(colour="red")
