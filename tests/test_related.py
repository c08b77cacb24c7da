"""Related articles: properties on synthetic and real archives, cache equivalence, ranking."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from newsarchive.model import Article
from newsarchive.related import RelatedCache, related_articles
from newsarchive.related import tfidf as related

REPO = Path(__file__).resolve().parents[1]
T0 = datetime(2024, 1, 1, 12, 0)


def art(n: int, title: str, body: str, tags: tuple[str, ...] = ()) -> Article:
    return Article(
        path=f"a{n}.txt",
        title=title,
        posted=T0 - timedelta(hours=n),
        html="",
        body_text=body,
        summary="",
        tags=tags,
        url=f"2024/01/01/a{n}/",
    )


TOPICS = {
    "grain": "wheat corn harvest tonnes export farmers drought soybean silo barley",
    "oil": "crude barrel opec refinery pipeline brent drilling output saudi gasoline",
    "bank": "interest rate deposit loan central inflation bond yield credit lender",
    "tech": "software chip computer network startup cloud laptop server data code",
    "sport": "match goal league striker coach season stadium penalty trophy referee",
}


def synthetic(count: int, seed: int = 7) -> list[Article]:
    """Articles mixing a topic's words with filler words (some rare), topic tags and
    a few shared ones, plus a share of near-duplicates."""
    rng = random.Random(seed)
    names = sorted(TOPICS)
    filler = [f"w{i}x" for i in range(400)]
    out: list[Article] = []
    for n in range(count):
        if out and rng.random() < 0.05:  # a near-duplicate of an earlier article
            old = rng.choice(out)
            out.append(art(n, old.title, old.body_text + " update", old.tags))
            continue
        topic = rng.choice(names)
        words = TOPICS[topic].split()
        body = " ".join(
            rng.choice(words) if rng.random() < 0.4 else rng.choice(filler)
            for _ in range(rng.randint(5, 60))
        )
        paragraphs = f"{body}\n\nThe {n} of 2024 said it was."
        tags = (topic.upper() if rng.random() < 0.5 else topic,)
        if rng.random() < 0.3:
            tags += (f"tag{rng.randint(0, 20)}",)
        title = " ".join(rng.choice(words) for _ in range(3))
        out.append(art(n, title, paragraphs, tags))
    return out


def scores(articles: Sequence[Article]) -> np.ndarray:
    """The full similarity matrix, as the module computes it (for checking order)."""
    features, vocabulary = related._all_features(articles, None)
    x = related._matrix(features, vocabulary)
    return (x @ x.T).toarray()


def check_properties(articles: Sequence[Article], found: list[tuple[int, ...]], limit: int) -> None:
    assert len(found) == len(articles)
    s = scores(articles)
    q = np.rint(s.astype(np.float64) * related.ROUND).astype(np.int64)
    for i, row in enumerate(found):
        assert len(row) <= limit
        assert i not in row
        assert len(set(row)) == len(row)
        assert all(0 <= j < len(articles) for j in row)
        assert all(q[i, j] > 0 for j in row)
        ranked = [(-q[i, j], j) for j in row]
        assert ranked == sorted(ranked)  # best first, ties to the lower index
        # Nothing left out beats the last one listed; a short list means nothing else scores.
        others = [(-q[i, j], j) for j in range(len(articles)) if j != i and j not in row]
        if len(row) == limit and others:
            assert min(others) > ranked[-1]
        elif len(row) < limit:
            assert all(-o[0] <= 0 for o in others)


@pytest.fixture(scope="module")
def reuters(reuters_dir: Path) -> list[Article]:
    from newsarchive.build import load_archive
    from newsarchive.config import Config

    return list(load_archive(Config(), reuters_dir).articles)


@pytest.mark.parametrize("limit", [1, 5, 8])
def test_properties_synthetic(limit: int) -> None:
    articles = synthetic(300)
    found = related_articles(articles, limit)
    check_properties(articles, found, limit)
    assert sum(map(bool, found)) > 250  # most articles find something


def test_properties_reuters(reuters: list[Article]) -> None:
    some = reuters[:1500]
    found = related_articles(some)
    check_properties(some, found, 5)
    assert found == related_articles(some)


def test_reuters_duplicates_rank_first(reuters: list[Article]) -> None:
    """Every article that has exact copies lists them first (or articles that score as
    high: near-copies that differ only in features pruned away)."""
    found = related_articles(reuters)
    features, vocabulary = related._all_features(reuters, None)
    x = related._matrix(features, vocabulary)
    groups: dict[tuple[str, str, tuple[str, ...]], list[int]] = {}
    for i, a in enumerate(reuters):
        key = (a.title.lower(), a.body_text, tuple(sorted(t.casefold() for t in a.tags)))
        groups.setdefault(key, []).append(i)
    checked = 0
    for group in groups.values():
        for i in group if len(group) > 1 else ():
            copies = min(len(group) - 1, 5)
            first = found[i][:copies]
            score = [float(x[i].multiply(x[j]).sum()) for j in first]
            assert all(s > 0.999 for s in score), (reuters[i].title, first, group)
            checked += 1
    assert checked > 100


def test_blocks_and_threads_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = synthetic(300, seed=3)
    whole = related_articles(articles)
    monkeypatch.setattr(related, "BLOCK_PRODUCTS", 50)
    for threads in (1, 3):
        monkeypatch.setattr(related, "THREADS", threads)
        assert related_articles(articles) == whole


def test_vectors_made_in_pieces_are_the_whole_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows made VECTOR_ROWS at a time (the bound on the stage's peak memory) are the rows
    made all at once, bit for bit, and so are the related lists."""
    articles = synthetic(300, seed=5)
    features, vocabulary = related._all_features(articles, None)
    whole = related._matrix(features, vocabulary)
    lists = related_articles(articles)
    for rows in (1, 7, 64):
        monkeypatch.setattr(related, "VECTOR_ROWS", rows)
        pieces = related._matrix(features, vocabulary)
        assert (pieces.indptr.tolist(), pieces.indices.tolist()) == (
            whole.indptr.tolist(),
            whole.indices.tolist(),
        )
        assert pieces.data.tobytes() == whole.data.tobytes()
        assert related_articles(articles) == lists


def test_empty_and_single() -> None:
    assert related_articles([]) == []
    assert related_articles([art(0, "Wheat exports", "Wheat exports rose.")]) == [()]
    assert related_articles([art(0, "Wheat", "wheat"), art(1, "Wheat", "wheat")], 0) == [(), ()]


def test_never_self_and_two_articles() -> None:
    a = art(0, "Wheat exports rise", "Wheat exports rose in March.", ("grain",))
    b = art(1, "Wheat exports fall", "Wheat exports fell in April.", ("grain",))
    assert related_articles([a, b]) == [(1,), (0,)]


def test_near_duplicate_ranks_first() -> None:
    base = synthetic(120, seed=11)
    original = art(500, "Opec cuts crude output", TOPICS["oil"] + " quota ministers vienna")
    twin = art(501, "Opec cuts crude output", TOPICS["oil"] + " quota ministers geneva")
    articles = [*base[:60], original, *base[60:], twin]
    found = related_articles(articles)
    i, j = articles.index(original), articles.index(twin)
    assert found[i][0] == j and found[j][0] == i


def test_exact_duplicates_rank_first_lower_index_first() -> None:
    base = synthetic(80, seed=5)
    dup = art(900, "Barley silo fire", "Barley silo fire near the harbour. wheat", ("grain",))
    articles = [dup, *base, dataclasses.replace(dup, path="b.txt"), dataclasses.replace(dup)]
    found = related_articles(articles)
    last = len(articles) - 1
    assert found[0][:2] == (last - 1, last)
    assert found[last][:2] == (0, last - 1)


def test_rare_shared_tag_beats_common_one() -> None:
    filler = [art(10 + n, f"filler{n}a", f"filler{n}b filler{n}c", ("common",)) for n in range(30)]
    a = art(0, "alpha", "alpha one", ("Rare", "Common"))
    b = art(1, "beta", "beta two", ("common",))
    c = art(2, "gamma", "gamma three", ("RARE",))
    articles = [a, b, c, *filler]
    found = related_articles(articles)
    assert found[0][0] == 2  # the rare tag, matched case-insensitively
    assert found[0][1] == 1
    assert found[2][0] == 0


def test_nothing_in_common_lists_nothing() -> None:
    articles = [
        art(0, "Wheat harvest", "Wheat harvest grows.", ("grain",)),
        art(1, "Wheat crop", "Wheat crop grows.", ("grain",)),
        art(2, "Quantum entanglement", "Photons tangle in 2024, the lab said."),
        # With 2, only stop words and a number in common; with 0 and 1, the word "grows".
        art(3, "The 2024 of it", "It was the 2024 grows"),
    ]
    found = related_articles(articles)
    # Features in one article only link nothing ("harvest", "crop", 2's own words), stop
    # words ("the", "in", "said", ...) and numbers ("2024") are no features at all. So:
    # - 0 and 1 keep "wheat", "grows" and the tag "grain", the same weights in both: each is
    #   the other's best match (cosine 1), and 3 (which shares "grows") comes second;
    # - 3's one feature is "grows", weighted alike in 0 and 1: a tie, the lower index first;
    # - 2 shares only "2024" and stop words with 3, nothing with 0 and 1: it lists nothing
    #   and no one lists it.
    assert found == [(1, 3), (0, 3), (), (0, 1)]


def test_numbers_and_stop_words_do_not_link() -> None:
    a = art(0, "The 1987 report", "It was the 1987 report, 15 pct.")
    b = art(1, "In 1987", "It was in 1987, 15 pct.")
    c = art(2, "Nothing", "Zebra")
    found = related_articles([a, b, c])
    # "report" is only in a; "pct" links a and b; the numbers and stop words do not.
    assert found == [(1,), (0,), ()]
    d = art(3, "The 1987", "1987 the it was")
    assert related_articles([d, dataclasses.replace(d, path="x.txt", title="In 1987")]) == [(), ()]


def test_cache_gives_identical_results_through_edits() -> None:
    rng = random.Random(1)
    pool = synthetic(400, seed=2)
    cache = RelatedCache()
    current = pool[:250]
    for step in range(8):
        assert related_articles(current, cache=cache) == related_articles(current), step
        current = list(current)
        # Edit a few (new objects), remove some, add some, reorder a little.
        for _ in range(3):
            k = rng.randrange(len(current))
            current[k] = dataclasses.replace(current[k], body_text=current[k].body_text + " oil")
        for _ in range(2):
            del current[rng.randrange(len(current))]
        start = 250 + step * 15
        current[rng.randrange(len(current)) :][:0] = pool[start : start + 15]
        if step % 3 == 2:
            current.reverse()
    assert related_articles(current, cache=cache) == related_articles(current)


def test_cache_that_saw_other_archives() -> None:
    articles = synthetic(200, seed=9)
    cache = RelatedCache()
    related_articles(synthetic(300, seed=4), cache=cache)  # other words first in its vocabulary
    related_articles(list(reversed(articles)), cache=cache)
    assert related_articles(articles, cache=cache) == related_articles(articles)
    assert related_articles(articles, cache=cache) == related_articles(articles)


def test_cache_reuses_unchanged_articles() -> None:
    articles = synthetic(50)
    cache = RelatedCache()
    related_articles(articles, cache=cache)
    kept = [cache.features_of(a) for a in articles]
    assert all(k is not None for k in kept)
    edited = [dataclasses.replace(articles[0], title="new"), *articles[1:]]
    related_articles(edited, cache=cache)
    assert cache.features_of(edited[0]) not in (None, kept[0])
    assert all(cache.features_of(a) is k for a, k in zip(articles[1:], kept[1:], strict=True))


def test_unicode_words() -> None:
    a = art(0, "Лукашенко обсудил безопасность", "Встреча в Минске. Ünïcödé café")
    b = art(1, "Безопасность Минске", "встреча, café")
    c = art(2, "Other", "nothing here")
    assert related_articles([a, b, c]) == [(1,), (0,), ()]


SCRIPT = """
import json, sys
sys.path.insert(0, {repo!r})
from tests.test_related import synthetic
from newsarchive.related import related_articles
print(json.dumps(related_articles(synthetic(300, seed=13))))
"""


def test_deterministic_across_hash_seeds() -> None:
    outputs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT.format(repo=str(REPO))],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0] == [list(r) for r in related_articles(synthetic(300, seed=13))]
