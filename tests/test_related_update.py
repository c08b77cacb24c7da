"""Related articles in serve: made again only where their inputs changed, always exactly the
lists a fresh computation gives (edits, publishes, back-fills, deletes, in any sequence)."""

from __future__ import annotations

import dataclasses
import operator
import random
from pathlib import Path

import numpy as np
import pytest

from newsarchive.model import Article
from newsarchive.related import RelatedCache, related_articles, related_rows, tfidf, update

from .test_related import art, synthetic


def step(current: list[Article], pool: list[Article], rng: random.Random, op: str) -> None:
    """Change ``current`` in place as an editor would: one article edited (a new object),
    published (first), back-filled (anywhere) or deleted."""
    k = rng.randrange(len(current))
    old = current[k]
    if op == "body":
        word = rng.choice(["oil", "wheat", "crude", f"w{rng.randrange(400)}x", f"new{k}"])
        current[k] = dataclasses.replace(old, body_text=f"{old.body_text} {word}")
    elif op == "title":
        current[k] = dataclasses.replace(old, title=f"{old.title} harvest")
    elif op == "tags":
        current[k] = dataclasses.replace(old, tags=(*old.tags, rng.choice(["grain", "tag3"])))
    elif op == "publish":
        current.insert(0, pool.pop())
    elif op == "backfill":
        current.insert(k, pool.pop())
    else:
        del current[k]


OPS = ("body", "title", "tags", "publish", "backfill", "delete")


def test_edits_publishes_backfills_deletes_match_a_fresh_computation() -> None:
    rng = random.Random(4)
    articles = synthetic(700, seed=17)
    current, pool = articles[:420], articles[420:]
    cache = RelatedCache()
    assert related_articles(current, cache=cache) == related_articles(current)
    assert cache.recomputed == len(current)  # the first build computes every row
    partial = 0
    for n in range(120):
        op = rng.choice(OPS)
        step(current, pool, rng, op)
        assert related_articles(current, cache=cache) == related_articles(current), (n, op)
        partial += cache.recomputed < len(current)
    assert partial > 90  # most steps made only a few rows again


def test_several_changes_at_once_and_other_limits() -> None:
    rng = random.Random(8)
    articles = synthetic(500, seed=23)
    current, pool = articles[:380], articles[380:]
    for limit in (1, 3, 8):
        cache = RelatedCache()
        related_articles(current, limit, cache=cache)
        for n in range(15):
            for op in rng.sample(OPS, 3):
                step(current, pool, rng, op)
            found = related_articles(current, limit, cache=cache)
            assert found == related_articles(current, limit), (limit, n)


def test_an_edit_makes_few_rows_again() -> None:
    current = synthetic(420, seed=17)
    cache = RelatedCache()
    related_articles(current, cache=cache)
    counts = []
    for k in range(0, 400, 40):
        old = current[k]
        current[k] = dataclasses.replace(old, body_text=old.body_text + " edited")
        assert related_articles(current, cache=cache) == related_articles(current)
        counts.append(cache.recomputed)
    # The edited row, the rows that listed it, and the few holding a feature that moved.
    assert max(counts) < 60 and sorted(counts)[len(counts) // 2] <= 15, counts
    assert all(c >= 1 for c in counts)


def test_an_unchanged_archive_makes_no_row_again() -> None:
    current = synthetic(300, seed=2)
    cache = RelatedCache()
    first = related_rows(current, cache=cache)
    assert first.since is None  # nothing to compare with: any row may differ
    again = related_rows(list(current), cache=cache)
    assert list(again.rows) == list(first.rows) and cache.recomputed == 0
    assert again.redone == [] and again.since is current  # every row lists the same articles


def test_n_leaving_its_bucket_limit_and_order_changes_compute_all() -> None:
    bound = int(tfidf._BOUNDS[33])  # 1 + N reaches it: N moves to the next bucket
    articles = synthetic(bound + 5, seed=6)
    current = articles[: bound - 2]  # 1 + N = bound - 1
    cache = RelatedCache()
    related_articles(current, cache=cache)
    current.insert(7, articles[-1])  # 1 + N = bound: the next bucket
    assert related_articles(current, cache=cache) == related_articles(current)
    assert cache.recomputed == len(current)
    current.insert(9, articles[-2])
    assert related_articles(current, cache=cache) == related_articles(current)
    assert cache.recomputed < len(current)
    assert related_articles(current, 4, cache=cache) == related_articles(current, 4)
    assert cache.recomputed == len(current)  # another limit
    current[3], current[4] = current[4], current[3]
    assert related_articles(current, 4, cache=cache) == related_articles(current, 4)
    assert cache.recomputed == len(current)  # two articles swapped places
    current.append(current[0])  # one object twice (never in an archive): computed whole
    assert related_articles(current, 4, cache=cache) == related_articles(current, 4)


def test_many_changes_compute_all(monkeypatch: pytest.MonkeyPatch) -> None:
    current = synthetic(300, seed=3)
    cache = RelatedCache()
    related_articles(current, cache=cache)
    fewer = current[: 300 - 100]
    assert related_articles(fewer, cache=cache) == related_articles(fewer)
    assert cache.recomputed == len(fewer)
    monkeypatch.setattr(update, "FULL_SHARE", 0.0)
    fewer[5] = dataclasses.replace(fewer[5], title="changed")
    assert related_articles(fewer, cache=cache) == related_articles(fewer)
    assert cache.recomputed == len(fewer)


def test_slots_of_gone_articles_are_given_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(update, "SPARE_SLOTS", -150)  # renumber past 2 n - 150 slots
    rng = random.Random(2)
    articles = synthetic(300, seed=29)
    current, pool = articles[:200], articles[200:]
    cache = RelatedCache()
    related_articles(current, cache=cache)
    sizes = []
    for n in range(40):
        step(current, pool, rng, ("body", "delete", "title")[n % 3])
        assert related_articles(current, cache=cache) == related_articles(current), n
        assert cache.state is not None
        sizes.append(len(cache.state.slots.held) - len(current))
        assert all(cache.features_of(a) is not None for a in current)
    assert max(sizes) > 0 and sizes.count(0) >= 2  # renumbered (more than once)


def test_short_lists_lose_deleted_members_without_a_product() -> None:
    a = art(0, "Wheat harvest", "wheat harvest grows", ("grain",))
    b = art(1, "Wheat crop", "wheat crop grows", ("grain",))
    c = art(2, "Quantum", "photons tangle")
    d = art(3, "Photons", "photons entangle quantum")
    e = art(4, "Barley", "barley grows")
    current = [a, b, c, d, e]
    cache = RelatedCache()
    assert related_articles(current, cache=cache) == related_articles(current)
    del current[1]
    assert related_articles(current, cache=cache) == related_articles(current)
    current.insert(0, art(5, "Wheat again", "wheat grows again", ("grain",)))
    assert related_articles(current, cache=cache) == related_articles(current)
    assert related_articles(current[:1], cache=cache) == [()]  # one article: nothing kept
    assert cache.state is None
    assert related_articles(current, cache=cache) == related_articles(current)


def test_buckets_are_exact() -> None:
    x = np.arange(1, 70_000)
    k = tfidf.buckets(x)
    assert all(
        2 ** int(b) <= int(v) ** tfidf.STEPS < 2 ** (int(b) + 1) for v, b in zip(x, k, strict=True)
    )
    big = np.array([10**6, 10**6 + 1, 2**30])
    assert tfidf.buckets(big).tolist() == [79, 79, 120]


def test_one_article_more_rarely_moves_the_weighting() -> None:
    moves = [n for n in range(15_000, 25_000) if tfidf.Weighting.of(n) != tfidf.Weighting.of(n + 1)]
    assert moves == [16_382, 19_482, 23_169]  # 2 + N reaches 2 ** 14, 2 ** 14.25, 2 ** 14.5
    w = tfidf.Weighting.of(20_000)
    assert 1948 < w.most < 1949  # a tenth of the bucket's least N (19,483)
    df = np.array([0, 1, 2, 3, 1000, 1948, 1949])
    idf = w.idf(df)
    assert idf[:2].tolist() == [0.0, 0.0] and idf[-1] == 0.0  # in one article; in too many
    assert np.all(np.diff(idf[2:-1]) < 0)
    exact = np.log((1 + 20_000) / (1 + df[2:-1])) + 1
    assert np.all(np.abs(idf[2:-1] - exact) < np.log(2) / tfidf.STEPS)


@pytest.mark.corpus
def test_reuters_sequence_matches_a_fresh_computation(reuters_dir: Path) -> None:
    from newsarchive.build import load_archive
    from newsarchive.config import Config

    articles = list(load_archive(Config(), reuters_dir).articles)[:4000]
    current, pool = articles[:3700], articles[3700:]
    rng = random.Random(12)
    cache = RelatedCache()
    related_articles(current, cache=cache)
    edits = []
    for n in range(24):
        op = OPS[n % len(OPS)]
        step(current, pool, rng, op)
        assert related_articles(current, cache=cache) == related_articles(current), (n, op)
        if op in ("body", "title", "tags"):
            edits.append(cache.recomputed)
    assert max(edits) < 150 and sorted(edits)[len(edits) // 2] < 40, edits


def test_rows_not_redone_list_the_very_same_articles() -> None:
    """related_rows names the rows that may list other articles than at the last call;
    every other row's article was there and lists the very same articles, however far
    publishes, back-fills and deletes moved the positions."""
    rng = random.Random(12)
    articles = synthetic(600, seed=31)
    current, pool = articles[:380], articles[380:]
    cache = RelatedCache()
    last = list(current)
    found = related_rows(last, cache=cache)
    few = 0
    for n in range(100):
        op = rng.choice(OPS)
        step(current, pool, rng, op)
        now = list(current)
        rows = related_rows(now, cache=cache)
        fresh = related_articles(now)
        assert list(rows.rows) == fresh, (n, op)
        assert [rows.rows[i] for i in range(len(now))] == fresh, (n, op)
        if rows.since is None:  # computed whole: any row may differ
            assert cache.recomputed == len(now), (n, op)
        else:
            assert rows.since is last, (n, op)
            then = {id(a): [last[j] for j in row] for a, row in zip(last, found.rows, strict=True)}
            redone = set(rows.redone)
            assert redone <= set(range(len(now))), (n, op)
            for i, (article, row) in enumerate(zip(now, fresh, strict=True)):
                if i not in redone:
                    was = then[id(article)]  # KeyError: a new article's row not redone
                    assert len(was) == len(row), (n, op, i)
                    assert all(map(operator.is_, was, [now[j] for j in row])), (n, op, i)
            assert len(redone) < len(now) // 2, (n, op)  # not every row a shift moved
            few += len(redone) < len(now) // 4
        last, found = now, rows
    assert few > 70  # most changes redo a few rows only
