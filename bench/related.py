"""Related articles on the Reuters corpus: cold time, warm (serve) time after one edit, peak
memory, a quality check against the unpruned computation, and example pairs to judge.

    PYTHONPATH=. .venv/bin/python -m bench.related [--size 20000] [--compare] [--examples 8]

Sizes above the corpus (21,578 articles, 20,841 with a body) repeat it as bench/corpus.py
does (dates shifted by whole years, titles suffixed "(copy N)"), so in such sets every
article has exact copies, which rank first.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC
from typing import Any

import numpy as np

from bench.corpus import load_corpus, make_set
from newsarchive.model import Article
from newsarchive.placing import build_archive
from newsarchive.related import RelatedCache, related_articles
from newsarchive.related import tfidf as related


def load(size: int) -> list[Article]:
    """``size`` Reuters articles read with newsarchive's parser, in the archive's order."""
    docs = make_set(load_corpus(), size)
    articles = [
        Article(
            path=f"a{doc.number:06d}.txt",
            title=doc.title,
            posted=doc.posted.astimezone(UTC),
            html="",
            body_text=doc.body,
            summary="",
            tags=doc.tags,
            slug=doc.slug,
        )
        for doc in docs
    ]
    return list(build_archive(articles).articles)


def timed(action: Callable[[], Any], repeat: int = 1) -> tuple[Any, list[float]]:
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return result, times


def peak_memory(action: Callable[[], Any]) -> int:
    """Peak bytes allocated (Python and numpy) while ``action`` runs, beyond what was live."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def exact_idf(n: int) -> Callable[[Any, np.ndarray], np.ndarray]:
    """The idf without buckets: ``ln((1 + N) / (1 + df)) + 1``, bounds from N itself."""

    def idf(self: Any, df: np.ndarray) -> np.ndarray:
        most = max(min(related.MAX_DF * n, related.MAX_DF_MOST), related.MAX_DF_FLOOR)
        return np.where((df >= 2) & (df <= most), np.log((1.0 + n) / (1.0 + df)) + 1.0, 0.0)

    return idf


def reference(
    articles: Sequence[Article], prune: bool = False
) -> tuple[list[tuple[int, ...]], Any]:
    """The same similarity with the exact idf, and (unless ``prune``) without pruning each
    article to its strongest features, and with only the words in more than a fifth of the
    articles left out."""
    saved = related.TOP_FEATURES, related.MAX_DF, related.MAX_DF_MOST, related.Weighting.idf
    if not prune:
        related.TOP_FEATURES, related.MAX_DF, related.MAX_DF_MOST = 0, 0.2, len(articles)
    related.Weighting.idf = exact_idf(len(articles))  # type: ignore[method-assign]
    try:
        found = related_articles(articles)
        features, vocabulary = related._all_features(articles, None)
        return found, related._matrix(features, vocabulary)
    finally:
        related.TOP_FEATURES, related.MAX_DF, related.MAX_DF_MOST, related.Weighting.idf = saved


def pair_scores(x: Any, found: Sequence[tuple[int, ...]]) -> float:
    rows = [i for i, row in enumerate(found) for _ in row]
    cols = [j for row in found for j in row]
    if not rows:
        return 0.0
    return float(np.asarray(x[rows].multiply(x[cols]).sum(axis=1)).sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--examples", type=int, default=8)
    parser.add_argument("--compare", action="store_true", help="quality against no pruning")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    articles = load(args.size)
    print(f"{len(articles)} articles loaded in {time.perf_counter() - start:.1f} s")
    related_articles(articles[:50])  # imports and first calls out of the way

    found, cold = timed(lambda: related_articles(articles), args.repeat)
    print(
        f"cold (no cache): median {statistics.median(cold):.3f} s, "
        f"runs {', '.join(f'{t:.3f}' for t in cold)}"
    )

    cache = RelatedCache()
    first, (with_cache,) = timed(lambda: related_articles(articles, cache=cache))
    assert first == found
    print(f"first build with a cache: {with_cache:.3f} s")
    warm_times, rows = [], []
    edited = list(articles)
    for step in range(args.repeat):
        k = (step * 7919) % len(edited)
        edited[k] = dataclasses.replace(
            edited[k], body_text=edited[k].body_text + f"\n\nEdited {step}: wheat harvest."
        )
        now = list(edited)
        warm, (seconds,) = timed(lambda now=now: related_articles(now, cache=cache))
        warm_times.append(seconds)
        rows.append(cache.recomputed)
    assert warm == related_articles(edited), "cache changed the result"
    print(
        f"warm (serve, one article edited): median {statistics.median(warm_times):.3f} s, "
        f"runs {', '.join(f'{t:.3f}' for t in warm_times)}; rows made again "
        f"{', '.join(map(str, rows))}; equal to a clean run: yes"
    )
    for what in ("delete", "back-fill", "publish"):
        if what == "delete":
            gone = edited.pop(len(edited) // 3)
        elif what == "back-fill":
            edited.insert(len(edited) // 3, gone)
        else:
            top = edited[0]
            edited.insert(0, dataclasses.replace(top, path="new.txt", title=top.title + " (new)"))
        now = list(edited)
        changed, (seconds,) = timed(lambda now=now: related_articles(now, cache=cache))
        assert changed == related_articles(now), "cache changed the result"
        print(f"warm ({what}): {seconds:.3f} s, rows made again {cache.recomputed}")

    peak = peak_memory(lambda: related_articles(articles))
    print(f"peak extra memory, cold (tracemalloc): {peak / 2**20:.0f} MiB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"process max RSS so far: {rss / 2**10:.0f} MiB")

    features, vocabulary = related._all_features(articles, None)
    x = related._matrix(features, vocabulary)
    empty = sum(1 for row in found if not row)
    print(
        f"matrix: {x.shape[0]} x {x.shape[1]} features, {x.nnz} entries; "
        f"articles with no related one: {empty}; with fewer than 5: "
        f"{sum(1 for row in found if len(row) < 5)}"
    )

    if args.compare:
        (ref, ref_x), (ref_time,) = timed(lambda: reference(articles))
        total = sum(len(r) for r in ref)
        same = sum(len(set(a) & set(b)) for a, b in zip(found, ref, strict=True))
        top1 = sum(1 for a, b in zip(found, ref, strict=True) if b and a and a[0] == b[0])
        with_ref = sum(1 for b in ref if b)
        recall = pair_scores(ref_x, found) / pair_scores(ref_x, ref)
        print(
            f"against no pruning ({ref_time:.1f} s): overlap of the lists {same / total:.3f}, "
            f"same first {top1 / with_ref:.3f}, "
            f"unpruned similarity of the chosen / of the best {recall:.3f}"
        )
        exact, _ = reference(articles, prune=True)
        same = sum(len(set(a) & set(b)) for a, b in zip(found, exact, strict=True))
        total = sum(len(b) for b in exact)
        print(f"against the exact idf (same pruning): overlap of the lists {same / total:.3f}")

    print("\nexamples (title -> related titles, best first):")
    for e in range(args.examples):
        i = (e * 2_654_435_761) % len(articles)
        print(f"* {articles[i].title}  [{', '.join(articles[i].tags)}]")
        for j in found[i]:
            print(f"    -> {articles[j].title}  [{', '.join(articles[j].tags)}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
