"""What ``serve`` keeps between builds beyond articles: page jobs by their inputs, tag pairs
for "often with". Each must give exactly what a build without it gives."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from newsarchive.config import Config
from newsarchive.memo import InputMemo
from newsarchive.model import Article
from newsarchive.placing import build_archive
from newsarchive.render.keys import PageKeys
from newsarchive.render.pages import ArticleJobs, page_jobs
from newsarchive.render.tagindex import PairCounts, often_with

CONFIG = Config(base_url="https://example.org/", per_page=4, timezone="UTC")
START = datetime(2020, 1, 1, tzinfo=UTC)


def article(n: int, tags: tuple[str, ...], title: str = "") -> Article:
    when = START + timedelta(hours=7 * n)
    return Article(f"a{n:03d}.txt", title or f"Story {n}", when, "", "body", "", tags=tags)


def random_tags(rng: random.Random) -> tuple[str, ...]:
    names = ["Oil", "oil", "Gold", "Bank", "Iran", "Japan", "Trade", "Rates", "Grain", "Ships"]
    return tuple(rng.sample(names, rng.randint(0, 5)))


def test_input_memo_takes_a_value_again_only_for_the_same_inputs() -> None:
    memo: InputMemo[list[str]] = InputMemo()
    a, b = article(1, ()), article(2, ())
    made: list[str] = []

    def make(label: str) -> list[str]:
        made.append(label)
        return [label]

    first = memo.get("x", ((a, b), "s", 1), make, "first")
    memo.next_build()
    assert memo.get("x", ((a, b), "s", 1), make, "again") is first  # same objects, equal values
    memo.next_build()
    copy = article(1, ())  # equal to a, not the same object
    assert memo.get("x", ((copy, b), "s", 1), make, "copy") == ["copy"]
    memo.next_build()
    assert memo.get("x", ((copy, b), "s", 2), make, "number") == ["number"]
    memo.next_build()
    memo.next_build()  # a build that did not ask for "x" forgets it
    assert memo.get("x", ((copy, b), "s", 2), make, "forgotten") == ["forgotten"]
    assert made == ["first", "copy", "number", "forgotten"]
    one_off: InputMemo[list[str]] = InputMemo(keep=False)
    one_off.get("x", (), make, "1")
    one_off.next_build()
    assert one_off.get("x", (), make, "2") == ["2"]


def test_pair_counts_kept_between_builds_equal_a_fresh_count() -> None:
    rng = random.Random(18)
    articles = [article(n, random_tags(rng)) for n in range(120)]
    kept = PairCounts()
    for _round in range(40):
        change = rng.choice(["edit", "add", "delete", "rename"])
        if change == "edit":
            i = rng.randrange(len(articles))
            articles[i] = article(int(articles[i].path[1:4]), random_tags(rng))
        elif change == "add":
            articles.append(article(1000 + _round, random_tags(rng)))
        elif change == "delete":
            articles.pop(rng.randrange(len(articles)))
        else:  # the most used spelling of a tag moves: "oil" and "Oil" are one tag
            i = rng.randrange(len(articles))
            articles[i] = article(int(articles[i].path[1:4]), ("oil", "oil2", "Gold"))
        archive = build_archive(articles)
        got = kept.often_with(archive.tags, archive.articles)
        assert got == often_with(archive.tags, archive.articles)
    assert kept._counted and kept._pairs  # really kept, not counted afresh


def test_page_jobs_kept_give_the_keys_of_a_fresh_build() -> None:
    rng = random.Random(5)
    articles = [article(n, random_tags(rng)) for n in range(80)]
    memo: InputMemo = InputMemo()
    pairs, before, kept_jobs = PairCounts(), None, ArticleJobs()
    for step in range(12):
        i = rng.randrange(len(articles))
        if step % 3 == 0:
            articles[i] = article(int(articles[i].path[1:4]), articles[i].tags, f"Edited {step}")
        elif step % 3 == 1:
            articles.append(article(500 + step, random_tags(rng)))
        else:
            articles.pop(i)
        archive = build_archive(articles)
        digests = {a.path: "d" for a in archive.articles}
        jobs = page_jobs(archive, CONFIG, memo, pairs, kept_jobs)
        fresh = page_jobs(archive, CONFIG)
        assert [j.path for j in jobs] == [j.path for j in fresh]
        keys, before = PageKeys(archive, "salt", digests).keys(jobs, before)
        fresh_keys, _ = PageKeys(archive, "salt", digests).keys(fresh)
        assert keys == fresh_keys
        again = page_jobs(
            archive, CONFIG, memo, pairs, kept_jobs
        )  # nothing changed: every job kept
        listed = {"index.html", "article.html", "tag.html", "period.html", "byline.html"}
        kept = [a is b for a, b in zip(jobs, again, strict=True) if a.template in listed]
        assert all(kept) and len(kept) > len(archive.articles)
        memo_keys, before = PageKeys(archive, "salt", digests).keys(again, before)
        assert memo_keys == fresh_keys


def test_serve_renders_again_only_the_feeds_of_a_changed_article(write_articles, tmp_path) -> None:
    """A feed is kept while its newest articles are the same objects: an edit renders the
    site's feed and its tags' feeds again, and the result is a fresh build's."""
    from newsarchive.build import build_site
    from newsarchive.incremental import BuildCache
    from newsarchive.render import feeds

    from .conftest import article_text

    source = write_articles(
        {
            f"a{n}.txt": article_text(f"Story {n}", f"{n + 1:02d}.04.2023 10:00:00", Tags=tag)
            for n, tag in enumerate(["Oil", "Gold", "Oil, Bank", "Gold"])
        }
    )
    config = Config(timezone="UTC")
    cache, site = BuildCache(), tmp_path / "site"
    build_site(config, source, site, cache=cache)
    rendered: list[str] = []
    render = feeds.Feed.render

    def counted(feed: feeds.Feed, config: Config) -> bytes:
        rendered.append(feed.path)
        return render(feed, config)

    feeds.Feed.render = counted  # type: ignore[method-assign]
    try:
        build_site(config, source, site, cache=cache)
        assert rendered == []  # nothing changed
        edited = article_text("Edited", "03.04.2023 10:00:00", Tags="Oil, Bank")
        (source / "a2.txt").write_text(edited, encoding="utf-8")
        cache.changed = {source / "a2.txt"}  # as serve's watcher tells it
        build_site(config, source, site, cache=cache)
    finally:
        feeds.Feed.render = render  # type: ignore[method-assign]
    assert sorted(rendered) == ["feed.xml", "tags/bank/feed.xml", "tags/oil/feed.xml"]
    fresh = tmp_path / "fresh"
    build_site(config, source, fresh)
    for name in rendered:
        assert (site / name).read_bytes() == (fresh / name).read_bytes()
