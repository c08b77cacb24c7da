"""What ``serve`` keeps of the model stage (the placing, the tags' groups, the date
archives, the related articles by URL): after each change, the archive a build without it
makes."""

from __future__ import annotations

import operator
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from newsarchive.grouping import Grouping
from newsarchive.model import Article, Period
from newsarchive.placing import Placement, build_archive

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
    placement, grouping = Placement(), Grouping()
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
        kept = build_archive(articles, placement=placement, relate=relate, grouping=grouping)
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
