"""serve's search stage after articles come and go (publish, retract, back-fill, delete): the
documents, postings, heads and files are patched around the run that changed, and after
every such change the files must equal a fresh build's."""

from __future__ import annotations

import dataclasses
import operator
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from newsarchive.config import Config
from newsarchive.model import Article
from newsarchive.placing import Placement, build_archive
from newsarchive.search import metadata, postings, shards, slots
from newsarchive.search.sharded import ShardState, sharded_assets

CONFIG = Config(timezone="UTC")
START = datetime(2021, 3, 1, 9, tzinfo=UTC)
WORDS = "oil wheat gold bank rates trade ships grain iran japan opec crude said".split()
TAGS = ["Oil", "Wheat", "Gold", "Banks", "Iran", "Japan", "Trade"]


def _article(n: int, rng: random.Random, posted: datetime) -> Article:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 60)))
    tags = tuple(rng.sample(TAGS, rng.randint(0, 3)))
    title = f"Story {n} on {' '.join(rng.sample(WORDS, rng.randint(1, 4)))}"
    return Article(f"a{n:04d}.txt", title, posted, None, words, "", tags=tags)


Articles = dict[str, Article]


def _newest(articles: Articles) -> Article:
    return max(articles.values(), key=lambda a: (a.posted, a.path))


def _oldest(articles: Articles) -> Article:
    return min(articles.values(), key=lambda a: (a.posted, a.path))


def _publish(articles: Articles, rng: random.Random, n: int) -> None:
    posted = _newest(articles).posted + timedelta(minutes=rng.randint(1, 90))
    articles[f"p{n:04d}.txt"] = dataclasses.replace(_article(n, rng, posted), path=f"p{n:04d}.txt")


def _retract(articles: Articles, rng: random.Random, n: int) -> None:
    del articles[_newest(articles).path]


def _backfill(articles: Articles, rng: random.Random, n: int) -> None:
    low, high = _oldest(articles).posted, _newest(articles).posted
    posted = low + (high - low) * rng.random()
    posted = posted.replace(microsecond=0)
    articles[f"b{n:04d}.txt"] = dataclasses.replace(_article(n, rng, posted), path=f"b{n:04d}.txt")


def _delete(articles: Articles, rng: random.Random, n: int) -> None:
    del articles[rng.choice(sorted(articles))]


def _same_second(articles: Articles, rng: random.Random, n: int) -> None:
    """An article of the same second as another: the slots of that second pack."""
    other = articles[rng.choice(sorted(articles))]
    articles[f"s{n:04d}.txt"] = dataclasses.replace(
        _article(n, rng, other.posted), path=f"s{n:04d}.txt"
    )


def _new_oldest(articles: Articles, rng: random.Random, n: int) -> None:
    """Older than every other, sometimes in an earlier decade (every slot moves)."""
    posted = _oldest(articles).posted - timedelta(days=rng.choice([1, 3000]))
    articles[f"o{n:04d}.txt"] = dataclasses.replace(_article(n, rng, posted), path=f"o{n:04d}.txt")


def _delete_oldest(articles: Articles, rng: random.Random, n: int) -> None:
    del articles[_oldest(articles).path]


def _several(articles: Articles, rng: random.Random, n: int) -> None:
    """Two back-fills and a deletion in one rebuild (one run spans them)."""
    _backfill(articles, rng, n)
    _backfill(articles, rng, n + 50_000)
    _delete(articles, rng, n)


Change = Callable[[Articles, random.Random, int], None]
CHANGES: list[tuple[str, Change]] = [
    ("publish", _publish),
    ("retract", _retract),
    ("backfill", _backfill),
    ("delete", _delete),
    ("same second", _same_second),
    ("new oldest", _new_oldest),
    ("delete oldest", _delete_oldest),
    ("several", _several),
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_articles_that_come_and_go_give_a_fresh_builds_files(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Random rounds of every change that adds or removes articles; many small shards with
    heads (a term in most of 450 articles has one), records patched by field (seed > 1),
    many small metadata groups, some cut at their longest (seed 3)."""
    monkeypatch.setattr(shards, "SHARD_TARGET_MIN", 128)
    if seed > 1:
        monkeypatch.setattr(postings, "REENCODE_WHOLE", 0)
    if seed > 2:
        monkeypatch.setattr(metadata, "META_GROUP", 6)
        monkeypatch.setattr(metadata, "META_GROUP_MIN", 2)
        monkeypatch.setattr(metadata, "META_GROUP_MAX", 9)
    rng = random.Random(seed)
    articles = {
        a.path: a
        for a in (
            _article(n, rng, START + timedelta(minutes=37 * n + rng.randint(0, 3) * 1440 * 200))
            for n in range(450)
        )
    }
    placement, state = Placement(), ShardState()
    sharded_assets(build_archive(articles.values(), placement=placement), CONFIG, state)
    spliced = 0
    heads_made = 0
    for n in range(40):
        what, change = rng.choice(CHANGES)
        change(articles, rng, 1000 + n)
        archive = build_archive(articles.values(), placement=placement)
        kept = sharded_assets(archive, CONFIG, state)
        fresh = sharded_assets(archive, CONFIG)
        assert kept.files == fresh.files, (n, what)
        assert kept.scripts == fresh.scripts, (n, what)
        now = state.documents.last
        assert now is not None
        spliced += now.span is not None
        heads_made += any(path.startswith(shards.HEAD_DIR) for path in kept.files)
    assert spliced >= 35, spliced  # the documents were patched, not made again
    assert heads_made == 40, heads_made  # and heads were chosen again each time
    assert state.years.followed >= 30, state.years.followed  # year files kept around the run
    assert len(state.years.years) > 2  # (more than one year to keep)


def test_spliced_slots_and_years_equal_fresh_ones() -> None:
    """Slots and year runs made again only around a run of articles that came and went
    (docstate's splice) equal those of every article, over many years, same-second
    articles and runs at either end."""
    rng = random.Random(7)
    within = 0
    for _ in range(300):
        days = [rng.randint(0, 2000) for _ in range(rng.randint(2, 60))]
        times = [START + timedelta(days=d, seconds=n % 3) for n, d in enumerate(days)]
        made = (_article(n, rng, t) for n, t in enumerate(times))
        old = sorted(made, key=lambda a: a.posted)
        old_slots = slots.document_slots(old)
        old_years = slots.year_ranges(old, old_slots)
        start = rng.randint(1, len(old) - 1)
        old_stop = rng.randint(start, min(len(old), start + 3))
        low = old[start - 1].posted
        high = old[old_stop].posted if old_stop < len(old) else low + timedelta(days=400)
        came = [
            _article(900 + k, rng, low + (high - low) * rng.random())
            for k in range(rng.randint(0, 3))
        ]
        came.sort(key=lambda a: a.posted)
        new = [*old[:start], *came, *old[old_stop:]]
        if len(new) == len(old) or not new:
            continue
        stop = start + len(came)
        got = slots.spliced_slots(new, old_slots, start, stop, old_stop)
        assert got == slots.document_slots(new)
        end, old_end = stop, old_stop
        while end < len(new) and got[end] != old_slots[old_end]:
            end, old_end = end + 1, old_end + 1
        years = slots.spliced_years(new, got, old_years, start, end)
        assert years == slots.year_ranges(new, got)
        # Inside a run: the very runs kept, none made again (slots.spliced_years' fast path).
        within += len(years) == len(old_years) and all(map(operator.is_, years, old_years))
    assert within > 20, within


def _retag(articles: Articles, rng: random.Random) -> None:
    """A few articles far apart get other tags (what the archive-wide tags pass does to
    old articles when a new untagged one moves a share past its cut)."""
    for path in rng.sample(sorted(articles), 3):
        tags = tuple(rng.sample(TAGS, rng.randint(0, 3)))
        articles[path] = dataclasses.replace(articles[path], tags=tags)


def test_a_new_article_that_retags_old_ones_far_apart_patches_the_postings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An article comes or goes and a few old ones far from it change: the run between the
    unchanged ends is long, so the changed documents are found by merging the slots (not
    by collecting every posting again), and the files equal a fresh build's."""
    monkeypatch.setattr(shards, "SHARD_TARGET_MIN", 128)
    monkeypatch.setattr(postings, "UPDATE_LIMIT", 40)  # the run below spans far more
    rng = random.Random(5)
    start = START + timedelta(days=10)
    articles = {
        a.path: a for a in (_article(n, rng, start + timedelta(hours=n)) for n in range(300))
    }
    placement, state = Placement(), ShardState()
    sharded_assets(build_archive(articles.values(), placement=placement), CONFIG, state)
    for n in range(12):
        change = (_publish, _retract, _backfill, _delete)[n % 4]
        change(articles, rng, 2000 + n)
        _retag(articles, rng)
        archive = build_archive(articles.values(), placement=placement)
        kept = sharded_assets(archive, CONFIG, state)
        assert state.postings.changed is not None, n  # patched, not collected afresh
        fresh = sharded_assets(archive, CONFIG)
        assert kept.files == fresh.files, n
        assert kept.scripts == fresh.scripts, n
