"""Related articles for a whole archive, and again after a few articles change (``serve``).

A clean computation makes every row and every row's best matches (:mod:`.tfidf`). ``serve``
keeps that state (:class:`RelatedCache`) and, when the last build's articles are still
there in the same relative order and N stayed in its bucket, makes again only

- the rows of the added articles (an edited article is a new object: removed and added)
  and of the articles holding a feature whose idf or left-out decision moved (a document
  frequency crossed a bucket's edge or the 2 / ``most`` bounds);
- the best matches of those rows, and of each row that listed a row now gone or changed
  (one sparse product each);
- every other row's list by merging in the changed rows' scores against it: a row's list
  only changes if one of them now beats the weakest it keeps (ties to the lower index, as
  everywhere; the kept rows keep their relative order, so their ties stay decided).

A row and a score made alone are bit for bit those of a whole computation (see
:mod:`.tfidf`), so the lists are exactly those of a clean build. Otherwise (first build,
another ``limit``, N in another bucket, articles reordered, more than ``FULL_SHARE`` of the
rows to make again) it computes everything, as a clean build does.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..model import Article
from .tfidf import (
    FeatureCache,
    Top,
    Weighting,
    _all_features,
    _Features,
    _Vocabulary,
    as_lists,
    best,
    document_frequencies,
    quantize,
    sorted_columns,
    top,
    vectors,
)

FULL_SHARE = 0.25  # past this share of rows to make again, computing all is as quick


@dataclass(frozen=True)
class _State:
    """One build's related articles and what they were made from, by row (the archive's
    order at that build)."""

    articles: Sequence[Article]
    position: dict[int, int]  # id(article) -> row (the articles are kept, so ids are theirs)
    features: list[_Features]
    limit: int
    weighting: Weighting
    df: np.ndarray  # by vocabulary number
    idf: np.ndarray  # by vocabulary number; 0: left out
    names: list[str]  # the vocabulary in sorted order: the columns
    column: np.ndarray  # by vocabulary number
    x: sp.csr_matrix
    xt: sp.csr_matrix
    top: Top


class RelatedCache(FeatureCache):
    """What ``serve`` keeps between builds: each article's features (see
    :class:`~.tfidf.FeatureCache`) and the last build's rows and lists. ``recomputed``:
    how many rows' lists the last call made by a product (the others were merged)."""

    def __init__(self, keep: bool = True) -> None:
        super().__init__(keep)
        self.state: _State | None = None
        self.recomputed = 0


def related_articles(
    articles: Sequence[Article], limit: int = 5, cache: RelatedCache | None = None
) -> list[tuple[int, ...]]:
    """For each article (the archive's order, newest first), the indices of up to `limit`
    most related others, best first."""
    n = len(articles)
    keeping = cache is not None and cache.features.keeping
    if n < 2 or limit <= 0:
        if cache is not None:
            cache.state = None
        return [() for _ in range(n)]
    features, vocabulary = _all_features(articles, cache)
    state = cache.state if cache is not None and keeping else None
    found = _update(state, articles, features, vocabulary, limit) if state else None
    if found is None:
        found = _full(articles, features, vocabulary, limit, keeping)
    if cache is not None:
        cache.state = found[0] if keeping else None
        cache.recomputed = found[1]
    return as_lists(found[2][0])


def _full(
    articles: Sequence[Article],
    features: list[_Features],
    vocabulary: _Vocabulary,
    limit: int,
    keep: bool,
) -> tuple[_State | None, int, Top]:
    n, terms = len(articles), len(vocabulary.terms)
    weighting = Weighting.of(n)
    df = document_frequencies(features, terms)
    idf = weighting.idf(df)
    names, column = sorted_columns(vocabulary.terms)
    x = vectors(features, idf, column, terms)
    xt = x.T.tocsr()
    found = best(x, xt, np.arange(n), limit)
    if not keep:
        return None, n, found
    position = {id(a): i for i, a in enumerate(articles)}
    state = _State(
        list(articles), position, features, limit, weighting, df, idf, names, column, x, xt, found
    )
    return state, n, found


def _grow(
    names: list[str], column: np.ndarray, terms: list[str]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The sorted columns once the vocabulary grew to ``terms``, and how old columns move."""
    new = sorted(terms[len(column) :])
    at = np.array([bisect.bisect_left(names, t) for t in new], dtype=np.int64)
    moved = np.arange(len(names)) + np.searchsorted(at, np.arange(len(names)), side="right")
    grown = np.empty(len(terms), dtype=np.int64)
    grown[: len(column)] = moved[column]
    order = sorted(range(len(column), len(terms)), key=terms.__getitem__)
    grown[order] = at + np.arange(len(new))
    return sorted(names + new), grown, moved


def _update(
    state: _State,
    articles: Sequence[Article],
    features: list[_Features],
    vocabulary: _Vocabulary,
    limit: int,
) -> tuple[_State, int, Top] | None:
    """The lists made again where their inputs changed; None when a whole computation is
    needed (see the module docstring)."""
    n, before, terms = len(articles), len(state.articles), len(vocabulary.terms)
    weighting = Weighting.of(n)
    if limit != state.limit or weighting != state.weighting:
        return None
    old = np.array([state.position.get(id(a), -1) for a in articles], dtype=np.int64)
    kept = np.flatnonzero(old >= 0)
    if np.any(np.diff(old[kept]) <= 0):  # reordered (or an article given twice)
        return None
    new_of_old = np.full(before + 1, -1, dtype=np.int64)  # [-1]: past the end of a list
    new_of_old[old[kept]] = kept
    removed = np.flatnonzero(new_of_old[:before] < 0)
    added = np.flatnonzero(old < 0)
    if len(added) + len(removed) > FULL_SHARE * n:
        return None

    # Document frequencies, and the features whose idf (or left-out decision) moved.
    gone = document_frequencies([state.features[i] for i in removed], terms)
    came = document_frequencies([features[i] for i in added], terms)
    df = np.zeros(terms, dtype=np.int64)
    df[: len(state.df)] = state.df
    df += came - gone
    idf = np.zeros(terms)
    idf[: len(state.idf)] = state.idf
    touched = np.flatnonzero(came != gone)
    now = weighting.idf(df[touched])
    moved = touched[now != idf[touched]]
    idf[touched] = now

    # Rows to make again: the added ones and those holding a moved feature.
    changed = added
    if len(moved):
        flag = np.zeros(terms + 1, dtype=bool)  # [-1]: a word that does not count
        flag[moved] = True
        lengths = np.fromiter((len(f[0]) for f in features), dtype=np.int64, count=n)
        hits = np.concatenate(
            ([0], np.cumsum(flag[np.frombuffer(b"".join(f[0] for f in features), dtype=np.intc)]))
        )
        ends = np.cumsum(lengths)
        changed = np.union1d(added, np.flatnonzero(hits[ends] > hits[ends - lengths]))
    if len(changed) > FULL_SHARE * n:
        return None

    names, column, x_old = state.names, state.column, state.x
    if terms > len(column):  # new terms: the old columns move, in order
        names, column, moved_cols = _grow(names, column, vocabulary.terms)
        x_old = sp.csr_matrix(
            (x_old.data, moved_cols[x_old.indices], x_old.indptr), shape=(before, terms)
        )
    elif x_old.shape[1] != terms:
        x_old = sp.csr_matrix(x_old, shape=(before, terms))
    made = vectors([features[i] for i in changed], idf, column, terms)
    source = np.where(old >= 0, old, -1)
    source[changed] = before + np.arange(len(changed))
    x = sp.vstack([x_old, made], format="csr")[source]
    xt = x.T.tocsr()

    # Rows whose list held a row now gone or changed are made again by a product too.
    stale = np.zeros(before + 1, dtype=bool)
    stale[removed] = True
    stale[old[np.intersect1d(changed, kept)]] = True
    stale_rows = new_of_old[np.flatnonzero(stale[state.top[0]].any(axis=1))]
    again = np.setdiff1d(stale_rows[stale_rows >= 0], changed)

    cols = np.full((n, limit), -1, dtype=np.int64)
    q = np.zeros((n, limit), dtype=np.int64)
    cols[kept] = new_of_old[state.top[0][old[kept]]]
    q[kept] = state.top[1][old[kept]]
    scores = x[changed] @ xt
    cols[changed], q[changed] = top(scores, changed, limit)
    if len(again):
        cols[again], q[again] = best(x[again], xt, again, limit)

    # Every other row: merge in the changed rows' scores against it (symmetric).
    scores = scores.tocoo()
    by, row, value = changed[scores.row], scores.col.astype(np.int64), quantize(scores.data)
    redone = np.zeros(n, dtype=bool)
    redone[changed] = True
    redone[again] = True
    take = (value > 0) & ~redone[row]
    by, row, value = by[take], row[take], value[take]
    if len(row):
        rows = np.unique(row)
        mine = cols[rows] >= 0
        all_rows = np.concatenate((row, np.repeat(rows, mine.sum(axis=1))))
        all_cols = np.concatenate((by, cols[rows][mine]))
        all_q = np.concatenate((value, q[rows][mine]))
        order = np.lexsort((all_cols, -all_q, all_rows))
        all_rows, all_cols, all_q = all_rows[order], all_cols[order], all_q[order]
        first = np.searchsorted(all_rows, all_rows)
        rank = np.arange(len(all_rows)) - first
        chosen = rank < limit
        cols[rows], q[rows] = -1, 0
        cols[all_rows[chosen], rank[chosen]] = all_cols[chosen]
        q[all_rows[chosen], rank[chosen]] = all_q[chosen]

    position = {id(a): i for i, a in enumerate(articles)}
    found = (cols, q)
    fresh = _State(
        list(articles), position, features, limit, weighting, df, idf, names, column, x, xt, found
    )
    return fresh, len(changed) + len(again), found
