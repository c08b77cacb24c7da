"""What ``serve`` keeps of the model stage (the placing, the tags' groups, the date
archives, the related articles by URL): after each change, the archive a build without it
makes."""

from __future__ import annotations

import functools
import operator
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsarchive import dates, placing
from newsarchive import grouping as grouping_module
from newsarchive.model import Article, Period
from newsarchive.placing import Placement, build_archive
from newsarchive.related import RelatedCache, related_articles, related_rows, update

from .test_related import synthetic

START = datetime(2022, 5, 1, tzinfo=UTC)
TAGS = ["Oil", "oil", "Gold", "Bank", "Iran", "Japan"]


def story(n: int, rng: random.Random) -> Article:
    tags = tuple(rng.sample(TAGS, rng.randint(0, 2)))
    when = START + timedelta(hours=rng.randrange(24 * 500), minutes=rng.randrange(60))
    return Article(f"s{n:03d}.txt", f"Story {rng.randrange(40)}", when, "", "text", "", tags=tags)


def relate(placed: Sequence[Article]) -> list[tuple[int, ...]]:
    """Up to three nearest articles sharing a tag: a list that moves when articles do."""
    out = []
    for i, article in enumerate(placed):
        near = sorted(
            (abs(i - j), j)
            for j, other in enumerate(placed)
            if j != i and set(article.tags) & set(other.tags)
        )
        out.append(tuple(j for _, j in near[:3]))
    return out


def test_kept_model_equals_the_model_made_afresh() -> None:
    rng = random.Random(18)
    articles = [story(n, rng) for n in range(50)]
    placement = Placement()
    serial = 100
    last_days: dict[str, Period] = {}
    for step in range(120):
        what = rng.choice(["title", "tags", "new", "gone", "nothing", "nothing"])
        at = rng.randrange(len(articles))
        if what == "title":  # its URL moves, its place in time stays
            articles[at] = replace(articles[at], title=f"Story {rng.randrange(40)}")
        elif what == "tags":
            articles[at] = replace(articles[at], tags=tuple(rng.sample(TAGS, 2)))
        elif what == "new":
            serial += 1
            articles.insert(at, story(serial, rng))
        elif what == "gone" and len(articles) > 10:
            del articles[at]
        kept = build_archive(articles, placement=placement, relate=relate)
        fresh = build_archive(articles, relate=relate)
        assert kept.articles == fresh.articles, (step, what)
        assert kept.tags == fresh.tags, (step, what)
        assert dict(kept.related) == dict(fresh.related), (step, what)
        assert kept.problems == fresh.problems, (step, what)
        assert kept.years == fresh.years, (step, what)
        days = {p.url: p for y in kept.years for m in y.children for p in m.children}
        for url, day in days.items():  # a day none of whose articles changed: the same object
            was = last_days.get(url)
            if was is not None and all(map(operator.is_, was.articles, day.articles)):
                assert len(was.articles) != len(day.articles) or was is day, (step, url)
        last_days = days


def test_kept_related_articles_equal_a_fresh_build_as_articles_come_and_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """serve's related stage says which rows list other articles (related_rows): the model
    stage remakes only those, and the related articles by URL stay a fresh build's through
    publishes, retractions, back-fills, deletes and edits."""
    rng = random.Random(21)
    span = 24 * 60 * 200  # minutes: many articles share a day, and some a title that day
    pool = [
        replace(a, posted=START + timedelta(minutes=rng.randrange(span)), url="")
        for a in synthetic(420, seed=3)
    ]
    articles, pool = pool[:300], pool[300:]
    placement, cache = Placement(), RelatedCache()
    relate = functools.partial(related_rows, cache=cache)
    patched: list[object] = []
    redone = placing._related_redone

    def counted(*args: Any) -> Any:
        patched.append(redone(*args))
        return patched[-1]

    monkeypatch.setattr(placing, "_related_redone", counted)
    # A few hundred articles: one more moves many idf buckets; patch however many rows.
    monkeypatch.setattr(update, "FULL_SHARE", 1.0)
    done = set()
    for step in range(90):
        what = rng.choice(["publish", "retract", "backfill", "delete", "title", "nothing"])
        newest = max(range(len(articles)), key=lambda i: articles[i].posted)
        if what == "publish":
            posted = articles[newest].posted + timedelta(minutes=1)
            articles.insert(rng.randrange(len(articles)), replace(pool.pop(), posted=posted))
        elif what == "retract":
            del articles[newest]
        elif what == "backfill":
            articles.append(pool.pop())
        elif what == "delete":
            del articles[rng.randrange(len(articles))]
        elif what == "title":
            at = rng.randrange(len(articles))
            articles[at] = replace(articles[at], title=f"{articles[at].title} harvest")
        kept = build_archive(articles, placement=placement, relate=relate)
        fresh = build_archive(articles, relate=related_articles)
        assert kept.articles == fresh.articles, (step, what)
        assert dict(kept.related) == dict(fresh.related), (step, what)
        assert kept.tags == fresh.tags and kept.years == fresh.years, (step, what)
        assert kept.problems == fresh.problems, (step, what)
        done.add(what)
    assert done == {"publish", "retract", "backfill", "delete", "title", "nothing"}
    assert sum(found is not None for found in patched) > 70  # patched, not made whole


def test_articles_retagged_in_a_run_of_one_title_keep_their_suffixed_urls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An article given new tags (a new object, as the tags stage makes when the archive's
    found tags move) is placed in its old place, suffix and warnings included, without
    placing every article again; articles that come and go among them still do."""
    rng = random.Random(7)
    day = datetime(2022, 5, 1, tzinfo=UTC)

    def one(n: int) -> Article:
        when = day + timedelta(hours=rng.randrange(72), minutes=rng.randrange(60))
        title = rng.choice(["Oil prices", "Oil prices", "Gold", "!!!"])
        return Article(f"r{n:03d}.txt", title, when, "", "text", "", tags=("Oil",))

    articles = [one(n) for n in range(60)]
    placement = Placement()
    whole = []
    place_all = placing._place_all
    monkeypatch.setattr(placing, "_place_all", lambda *a: whole.append(1) or place_all(*a))
    serial, swaps = 100, 0
    for step in range(80):
        what = rng.choice(["tags", "tags", "tags", "new", "gone"])
        at = rng.randrange(len(articles))
        if what == "tags":
            articles[at] = replace(articles[at], tags=tuple(rng.sample(TAGS, 2)))
        elif what == "new":
            serial += 1
            articles.insert(at, one(serial))
        else:
            del articles[at]
        calls = len(whole)
        kept = build_archive(articles, placement=placement)
        swaps += what == "tags" and len(whole) == calls
        fresh = build_archive(articles)
        assert kept.articles == fresh.articles, (step, what)
        assert kept.problems == fresh.problems, (step, what)
    assert any("same URL as" in p.message for p in kept.problems)
    assert any("no letters or digits" in p.message for p in kept.problems)
    assert swaps > 30  # a new tag never placed every article again


def test_scattered_changes_at_once_keep_the_model_made_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Several articles retagged far apart while one comes or goes (a new untagged article
    moves the found tags of others): the placing, groups, periods and related articles are
    patched for those articles alone and equal a fresh build's."""
    rng = random.Random(40)
    articles = [story(n, rng) for n in range(300)]
    placement, cache = Placement(), RelatedCache()
    relate = functools.partial(related_rows, cache=cache)
    build_archive(articles, placement=placement, relate=relate)
    whole: list[str] = []
    for module, name in ((placing, "_place_all"), (grouping_module, "_group_all")):
        made = getattr(module, name)
        monkeypatch.setattr(
            module, name, lambda *a, made=made, name=name: [whole.append(name), made(*a)][1]
        )
    patch_periods = dates._patched
    monkeypatch.setattr(dates, "_patched", lambda *a: patch_periods(*a) or whole.append("periods"))
    serial, placed_again = 1000, 0
    for step in range(40):
        for _ in range(rng.randint(2, 5)):
            at = rng.randrange(len(articles))
            articles[at] = replace(articles[at], tags=tuple(rng.sample(TAGS, 2)))
        if step % 2:
            serial += 1
            articles.insert(rng.randrange(len(articles)), story(serial, rng))
        else:
            del articles[rng.randrange(len(articles))]
        kept = build_archive(articles, placement=placement, relate=relate)
        placed_again += whole.count("_place_all")  # when a new URL may move another's
        assert set(whole) <= {"_place_all"}, step  # groups and periods patched
        fresh = build_archive(articles, relate=related_articles)
        whole.clear()
        assert kept.articles == fresh.articles, step
        assert kept.tags == fresh.tags and kept.years == fresh.years, step
        assert dict(kept.related) == dict(fresh.related), step
        assert kept.problems == fresh.problems, step
    assert placed_again < 5
