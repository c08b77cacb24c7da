"""Related articles for a whole archive, and again after a few articles change (``serve``).

``serve`` keeps the last build's rows and lists (:class:`RelatedCache`). When the kept
articles are in the same relative order and N stayed in its bucket, it makes again only the
rows of added articles (an edit is a removal and an addition) and of those holding a feature
whose idf or left-out decision moved; the lists of those rows, and of rows whose list an
unknown row may now enter, by a product each; every other list by merging in the changed
rows' scores (ties to the lower index; kept rows keep their order, so old ties stay decided).
Rows and scores made alone are bit for bit those of a whole computation (:mod:`.tfidf`), so
the lists are a clean build's. Otherwise it computes everything. Articles are known by
identity (see :mod:`newsarchive.incremental`) and numbered by *slot* for as long as they
live, so nothing kept is renumbered when articles come or go. :func:`related_rows` also
says which rows list other articles than at the last call, by slot (:mod:`.carry`): the
model stage remakes only those, though a new article moves every position after it.
docs/related.md tells more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import scipy.sparse as sp

from ..model import Article
from ..placing import RelatedRows
from .carry import Rows, carried, differ, merge, redone_rows, union
from .tfidf import (
    Top,
    Weighting,
    _article_features,
    _Features,
    _Vocabulary,
    as_lists,
    best,
    document_frequencies,
    grow_columns,
    sorted_columns,
    top,
    vectors,
)

FULL_SHARE = 0.25  # past this share of rows to make again, computing all is as quick
SPARE_SLOTS = 1024  # slots of gone articles kept (beyond one per living one) before renumbering


@dataclass(frozen=True)
class _Slots:
    """The articles of the last build by slot (None: gone), with their features, and all
    their terms in one array (``starts``: where each slot's begin, and the end)."""

    position: dict[int, int]  # id(article) -> slot (the articles are held, so ids stay theirs)
    held: list[Article | None]
    features: list[_Features | None]
    terms: np.ndarray
    starts: np.ndarray

    @classmethod
    def of(cls, articles: Sequence[Article], features: list[_Features]) -> _Slots:
        position = {id(a): i for i, a in enumerate(articles)}
        terms = np.frombuffer(b"".join(f[0] for f in features), dtype=np.intc)
        return cls(position, list(articles), list(features), terms, _starts(features, 0))


def _starts(features: Sequence[_Features], first: int) -> np.ndarray:
    lengths = np.fromiter((len(f[0]) for f in features), dtype=np.int64, count=len(features))
    return first + np.concatenate(([0], np.cumsum(lengths)))


@dataclass(frozen=True)
class _State:
    """One build's rows and lists (rows: the archive's order at that build)."""

    slots: _Slots
    slot_of_row: np.ndarray
    limit: int
    weighting: Weighting
    df: np.ndarray  # by vocabulary number
    idf: np.ndarray  # by vocabulary number; 0: left out
    names: list[str]  # the vocabulary in sorted order: the columns
    column: np.ndarray  # by vocabulary number
    x: sp.csr_matrix
    xt: sp.csr_matrix
    top: Top
    given: Sequence[Article]  # the articles as given (their rows), by identity


class RelatedCache:
    """What ``serve`` keeps between builds: the vocabulary features are numbered in and the
    last build's state. ``keep=False`` (a one-off build) keeps no state. ``recomputed``:
    how many rows' lists the last call made by a product (the others were merged)."""

    def __init__(self, keep: bool = True) -> None:
        self.keeping = keep
        self.vocabulary = _Vocabulary()
        self.state: _State | None = None
        self.recomputed = 0

    def features_of(self, article: Article) -> _Features | None:
        """The features kept for this very article object, if any."""
        slots = self.state.slots if self.state is not None else None
        slot = slots.position.get(id(article)) if slots is not None else None
        return slots.features[slot] if slots is not None and slot is not None else None


def related_articles(
    articles: Sequence[Article], limit: int = 5, cache: RelatedCache | None = None
) -> list[tuple[int, ...]]:
    """For each article (the archive's order, newest first), the indices of up to `limit`
    most related others, best first."""
    found = _relate(articles, limit, cache)
    return as_lists(found[0]) if found is not None else [() for _ in articles]


def related_rows(
    articles: Sequence[Article], limit: int = 5, cache: RelatedCache | None = None
) -> RelatedRows:
    """:func:`related_articles` for the model stage, with which rows list other articles
    than at the last call (``serve``): rows are then tuples only when looked at, so an
    article that comes or goes (every number after it moves) does not make every list
    again."""
    since = cache.state.given if cache is not None and cache.state is not None else None
    found = _relate(articles, limit, cache)
    if found is None:
        return RelatedRows([() for _ in articles])
    cols, redone = found
    if redone is None:
        return RelatedRows(as_lists(cols))
    return RelatedRows(Rows(cols), redone.tolist(), since)


def _relate(
    articles: Sequence[Article], limit: int, cache: RelatedCache | None
) -> tuple[np.ndarray, np.ndarray | None] | None:
    """Each article's best matches (a table by row, -1 past a list's end), and the rows
    whose articles may differ from the last call's (None: any); None when no article can
    have any."""
    n = len(articles)
    cache = cache if cache is not None else RelatedCache(keep=False)
    state, cache.state = cache.state, None
    if n < 2 or limit <= 0:
        return None
    vocabulary, found = cache.vocabulary, None
    features: list[_Features] | None = None
    if state is not None:
        slot = list(map(state.slots.position.get, map(id, articles), repeat(-1, n)))
        fresh = {i: _article_features(articles[i], vocabulary) for i, s in enumerate(slot) if s < 0}
        found = _update(state, articles, slot, fresh, vocabulary, limit)
        kept = state.slots.features
        if found is None:
            features = [fresh[i] if s < 0 else kept[s] for i, s in enumerate(slot)]  # type: ignore[misc]
    if found is None:
        if features is None:
            features = [_article_features(a, vocabulary) for a in articles]
        state_now, cache.recomputed, cols = _full(
            articles, features, vocabulary, limit, cache.keeping
        )
        cache.state = state_now
        return cols, None
    cache.state, cache.recomputed, cols, redone = found
    return cols, redone


def _full(
    articles: Sequence[Article],
    features: list[_Features],
    vocabulary: _Vocabulary,
    limit: int,
    keep: bool,
) -> tuple[_State | None, int, np.ndarray]:
    n, terms = len(articles), len(vocabulary.terms)
    weighting = Weighting.of(n)
    df = document_frequencies(features, terms)
    idf = weighting.idf(df)
    names, column = sorted_columns(vocabulary.terms)
    x = vectors(features, idf, column, terms)
    if not keep:  # the features are the caller's to drop: free them for the products
        features.clear()
    xt = x.T.tocsr()
    found = best(x, xt, np.arange(n), limit)
    if not keep:
        return None, n, found[0]
    slots = _Slots.of(articles, features)
    rows = np.arange(n)
    state = _State(slots, rows, limit, weighting, df, idf, names, column, x, xt, found, articles)
    return state, n, found[0]


def _update(
    state: _State,
    articles: Sequence[Article],
    slot: list[int],
    fresh: dict[int, _Features],
    vocabulary: _Vocabulary,
    limit: int,
) -> tuple[_State, int, np.ndarray, np.ndarray] | None:
    """The lists made again where their inputs changed (a table, see :func:`_relate`), and
    the rows whose articles differ; None when a whole computation is needed (see the
    module docstring). Changes ``state`` only once it cannot fail."""
    n, before, terms = len(articles), len(state.slot_of_row), len(vocabulary.terms)
    weighting = Weighting.of(n)
    if limit != state.limit or weighting != state.weighting:
        return None
    slots = state.slots
    row_of_slot = np.full(len(slots.held) + 1, -1, dtype=np.int64)  # [-1]: no slot
    row_of_slot[state.slot_of_row] = np.arange(before)
    slot_now = np.array(slot, dtype=np.int64)
    old = row_of_slot[slot_now]
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
    gone_slots = state.slot_of_row[removed]
    gone = document_frequencies([slots.features[s] for s in gone_slots], terms)  # type: ignore[misc]
    came = document_frequencies([fresh[i] for i in added.tolist()], terms)
    df = np.zeros(terms, dtype=np.int64)
    df[: len(state.df)] = state.df
    df += came - gone
    idf = np.zeros(terms)
    idf[: len(state.idf)] = state.idf
    touched = np.flatnonzero(came != gone)
    was = idf[touched]
    now = weighting.idf(df[touched])
    idf[touched] = now
    up, down = touched[now > was], touched[now < was]

    # Rows that may change: the added ones, those where a feature whose weight fell is
    # kept (one not kept stays out), those holding a feature whose weight rose.
    holders = state.xt[state.column[down]].indices.astype(np.int64)
    if len(up):
        flag = np.zeros(terms + 1, dtype=bool)  # [-1]: a word that does not count
        flag[up] = True
        at = np.flatnonzero(flag[slots.terms])
        holding = row_of_slot[np.searchsorted(slots.starts, at, side="right") - 1]
        holders = np.concatenate((holders, holding[holding >= 0]))
    holders = new_of_old[holders]
    candidates = union(n, added, holders[holders >= 0])
    if len(candidates) > FULL_SHARE * n:
        return None

    names, column, x_old = state.names, state.column, state.x
    if terms > len(column):  # new terms: the old columns move, in order
        names, column, moved_cols = grow_columns(names, column, vocabulary.terms)
        x_old = sp.csr_matrix(
            (x_old.data, moved_cols[x_old.indices], x_old.indptr), shape=(before, terms)
        )
    slot_now[added] = len(slots.held) + np.arange(len(added))
    made = vectors(
        [
            fresh[i] if i in fresh else slots.features[s]
            for i, s in zip(candidates.tolist(), slot_now[candidates].tolist(), strict=True)
        ],
        idf,
        column,
        terms,
    )  # type: ignore[misc]
    differs = differ(made, x_old, old[candidates])
    changed, made = candidates[differs], made[differs]
    source = old.copy()
    source[changed] = before + np.arange(len(changed))
    x = sp.vstack([x_old, made], format="csr")[source]
    xt = x.T.tocsr()

    scores = x[changed] @ xt
    cols, q, again, touched = carried(state.top, old, kept, removed, changed, scores, limit)
    cols[changed], q[changed] = top(scores, changed, limit)
    if len(again):
        cols[again], q[again] = best(x[again], xt, again, limit)
    merge(cols, q, scores, changed, union(n, changed, again), touched, limit)
    redone = redone_rows(cols, slot_now, state.top[0], state.slot_of_row, old, kept)

    # From here on the state is changed in place: the slots of gone and added articles.
    for s in gone_slots.tolist():
        del slots.position[id(slots.held[s])]
        slots.held[s] = slots.features[s] = None
    for i in added.tolist():
        slots.position[id(articles[i])] = len(slots.held)
        slots.held.append(articles[i])
        slots.features.append(fresh[i])
    added_features = [fresh[i] for i in added.tolist()]
    if len(slots.held) > 2 * n + SPARE_SLOTS:  # mostly gone: number the living again
        living = [slots.features[s] for s in slot_now.tolist()]
        slots, slot_now = _Slots.of(articles, living), np.arange(n)  # type: ignore[arg-type]
    elif len(added):
        terms_now = b"".join(f[0] for f in added_features)
        slots = _Slots(
            slots.position,
            slots.held,
            slots.features,
            np.concatenate((slots.terms, np.frombuffer(terms_now, dtype=np.intc))),
            np.concatenate((slots.starts, _starts(added_features, slots.starts[-1])[1:])),
        )
    found = (cols, q)
    fresh_state = _State(
        slots, slot_now, limit, weighting, df, idf, names, column, x, xt, found, articles
    )
    return fresh_state, len(changed) + len(again), cols, redone
