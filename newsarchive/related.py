"""Related articles, computed at build time: for each article, the others most similar to it.

Similarity is the cosine of TF-IDF vectors: the words of title and body (lowercased, two or
more letters or digits in any script, stop words and pure numbers left out; a title word
counts ``TITLE_WEIGHT`` times), sublinear term frequency ``1 + ln(count)`` and smoothed idf
``ln((1 + N) / (1 + df)) + 1`` over the articles given, plus one feature per tag
(case-insensitive) of weight ``TAG_TF * idf``, so a tag two articles share says more the
rarer it is. Features in only one article (they link nothing) are left out, and so are
those in very many articles and all but each article's ``TOP_FEATURES`` strongest ones:
a feature in ``d`` articles costs ``d²`` products in ``X·Xᵀ``, and these say the least. On
20,000 Reuters articles the chosen lists keep about 96% of the similarity of the lists an
unpruned computation picks (``bench/related.py --compare``).

``X·Xᵀ`` is computed in blocks of rows; each row keeps only its best ``limit`` entries
(scores rounded to 1e-6, ties to the lower index), so memory stays bounded.

Per-article work (tokenising, counting) is kept in a :class:`RelatedCache` between the
builds of ``serve``, found again only for the very same :class:`Article` object; the matrix
is made again every build from the articles given alone (its columns are the terms in
sorted order, whatever order the cache met them in), so the result is the same with or
without a cache, whatever builds the cache saw before.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp

from .memo import ObjectMemo
from .model import Article
from .parallel import usable_cores
from .stopwords import STOP_WORDS  # words that say little of what an article is about

__all__ = ["RelatedCache", "related_articles"]


# A word: two or more letters or digits (any script); words of digits only are dropped.
_WORD = re.compile(r"[^\W_]{2,}")
# The same for ASCII text, much faster: every byte but [a-z0-9] becomes a space.
_ASCII_WORDS = bytes(c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256))
_TAG = "\x00"  # prefix of tag features, which no word can start with

TITLE_WEIGHT = 2  # a title word counts as this many occurrences
TAG_TF = 2.0  # a tag's term frequency (before its idf)
# Features in more than this fraction of the articles, or more than MAX_DF_MOST of them,
# are left out (unless they are in at most MAX_DF_FLOOR): with a fixed most, the product's
# cost grows linearly with the number of articles.
MAX_DF = 0.1
MAX_DF_MOST = 2000
MAX_DF_FLOOR = 50
TOP_FEATURES = 15  # each article keeps only its strongest features (0: all)
ROUND = 10**6  # scores are compared rounded to 1e-6, so float noise never breaks a tie
BLOCK_PRODUCTS = 4_000_000  # rows per block: at most about this many similarity entries ...
BLOCK_ROWS = 4096  # ... and at most this many rows
THREADS = min(4, usable_cores())  # blocks worked on at once
_Q_BITS = 21  # 2 * ROUND < 2**_Q_BITS
_SAMPLE = 128  # entries per row that bound the row's best scores from below (see _top)


class _Vocabulary(dict[str, int]):
    """Every term ever seen: the words that count (not stop words, not numbers, two letters
    or more) and the tags are numbered in order of arrival, the others are -1. Looking up
    a new term numbers it."""

    def __init__(self) -> None:
        super().__init__()
        self.terms: list[str] = []

    def __missing__(self, term: str) -> int:
        word = not term.startswith(_TAG)
        if word and (len(term) < 2 or term in STOP_WORDS or term.isdigit()):
            number = -1
        else:
            number = len(self.terms)
            self.terms.append(term)
        self[term] = number
        return number


# One article's features: vocabulary numbers (-1: a word that does not count) and counts.
_Features = tuple[array, array]


class RelatedCache:
    """What ``serve`` keeps between builds: each article's features, keyed by the very
    Article object (unchanged articles stay the same objects between builds), and the
    vocabulary they are numbered in. ``keep=False`` (a one-off build) keeps nothing."""

    def __init__(self, keep: bool = True) -> None:
        self.features: ObjectMemo[_Features] = ObjectMemo(keep)
        self.vocabulary = _Vocabulary()


def _words(text: str) -> list[str]:
    text = text.lower()
    if text.isascii():
        return text.encode().translate(_ASCII_WORDS).decode().split()
    return _WORD.findall(text)


def _article_features(article: Article, vocabulary: _Vocabulary) -> _Features:
    """The article's distinct words (in order of first appearance; title words count
    ``TITLE_WEIGHT`` times) then its tags (count 0): vocabulary numbers and counts."""
    title = _words(article.title)
    counts = Counter(title * TITLE_WEIGHT + _words(article.body_text))
    tags = dict.fromkeys(_TAG + t.strip().casefold() for t in article.tags if t.strip())
    times = array("i", counts.values())
    times.extend([0] * len(tags))
    numbers = array("i", map(vocabulary.__getitem__, counts))
    numbers.extend(map(vocabulary.__getitem__, tags))
    return numbers, times


def _all_features(
    articles: Sequence[Article], cache: RelatedCache | None
) -> tuple[list[_Features], _Vocabulary]:
    cache = cache if cache is not None else RelatedCache(keep=False)
    memo, vocabulary = cache.features, cache.vocabulary
    found: list[_Features] = []
    for article in articles:
        features = memo.find(article)
        if features is None:
            features = _article_features(article, vocabulary)
        memo.keep(article, features)
        found.append(features)
    memo.next_build()
    return found, vocabulary


def _bits(limit: int) -> int:
    return max(1, int(limit).bit_length())


def _matrix(features: list[_Features], vocabulary: _Vocabulary) -> sp.csr_matrix:
    """Rows of L2-normalised TF-IDF weights, pruned as the module docstring says.

    Columns are numbered by the terms' sorted text, so the matrix (and every float sum made
    from it) depends only on the articles, not on the order a cache first saw the terms."""
    n = len(features)
    lengths = np.fromiter((len(f[0]) for f in features), dtype=np.int64, count=n)
    rows = np.repeat(np.arange(n, dtype=np.int32), lengths)
    terms = np.frombuffer(b"".join(f[0] for f in features), dtype=np.intc)
    counts = np.frombuffer(b"".join(f[1] for f in features), dtype=np.intc)
    keep = terms >= 0
    rows, terms, counts = rows[keep], terms[keep], counts[keep]
    used = np.unique(terms)
    names = [vocabulary.terms[i] for i in used.tolist()]
    rank = np.zeros(len(vocabulary.terms), dtype=np.int32)
    rank[used[sorted(range(len(names)), key=names.__getitem__)]] = np.arange(len(used))
    cols = rank[terms]
    del terms
    df = np.bincount(cols, minlength=len(used))
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    term_df = df[cols]
    keep = (term_df >= 2) & (term_df <= max(min(MAX_DF * n, MAX_DF_MOST), MAX_DF_FLOOR))
    del term_df
    rows, cols, counts = rows[keep], cols[keep], counts[keep]
    tf = np.where(counts > 0, 1.0 + np.log(np.maximum(counts, 1)), TAG_TF)
    weight = tf * idf[cols]
    if TOP_FEATURES and len(weight):
        # Each row's strongest features: by row, then weight (to 2**-16, descending), then
        # column, as one integer key.
        quantum = np.rint(weight * 65536).astype(np.int64)
        w_bits, c_bits = _bits(int(quantum.max())), _bits(len(used))
        if _bits(n) + w_bits + c_bits <= 63:
            key = (
                (rows.astype(np.int64) << (w_bits + c_bits))
                | (((1 << w_bits) - 1 - quantum) << c_bits)
                | cols
            )
            order = np.argsort(key, kind="stable")
        else:
            order = np.lexsort((cols, -quantum, rows))
        rows, cols, weight = rows[order], cols[order], weight[order]
        starts = np.searchsorted(rows, np.arange(n))
        strong = np.arange(len(rows)) - starts[rows] < TOP_FEATURES
        rows, cols, weight = rows[strong], cols[strong], weight[strong]
    norms = np.sqrt(np.bincount(rows, weights=weight * weight, minlength=n))
    weight /= norms[rows]
    # 32-bit indices (when they fit) keep scipy's product fast.
    index = np.int32 if len(weight) < 2**31 else np.int64
    indptr = np.zeros(n + 1, dtype=index)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    # Single precision: the product is a third faster, and scores are compared to 1e-6.
    data = weight.astype(np.float32)
    matrix = sp.csr_matrix((data, cols.astype(index), indptr), shape=(n, len(used)))
    matrix.sort_indices()
    return matrix


def related_articles(
    articles: Sequence[Article], limit: int = 5, cache: RelatedCache | None = None
) -> list[tuple[int, ...]]:
    """For each article (the archive's order, newest first), the indices of up to `limit`
    most related others, best first."""
    n = len(articles)
    if n < 2 or limit <= 0:
        return [() for _ in range(n)]
    features, vocabulary = _all_features(articles, cache)
    x = _matrix(features, vocabulary)
    xt = x.T.tocsr()
    # A row has at most as many similarity entries as the document frequencies of its
    # features add up to: blocks of rows are cut where that sum reaches the budget
    # (BLOCK_PRODUCTS shared by the blocks that THREADS work on at once).
    threads = max(1, THREADS)
    rows = np.repeat(np.arange(n), np.diff(x.indptr))
    cost = np.cumsum(np.bincount(rows, weights=np.diff(xt.indptr)[x.indices], minlength=n))
    most_rows = min(BLOCK_ROWS, 1 << (63 - _Q_BITS - _bits(n)))  # _top's keys fit 63 bits
    blocks: list[tuple[int, int]] = []
    start = 0
    while start < n:
        budget = (cost[start - 1] if start else 0) + BLOCK_PRODUCTS / threads
        stop = max(start + 1, int(np.searchsorted(cost, budget, side="right")))
        blocks.append((start, min(stop, start + most_rows)))
        start = blocks[-1][1]

    def block(bounds: tuple[int, int]) -> list[tuple[int, ...]]:
        return _top(x[bounds[0] : bounds[1]] @ xt, bounds[0], limit, n)

    if threads == 1 or len(blocks) == 1:
        parts = [block(bounds) for bounds in blocks]
    else:  # scipy's product and numpy's sorts let go of the GIL
        with ThreadPoolExecutor(threads) as pool:
            parts = list(pool.map(block, blocks))
    return [row for part in parts for row in part]


def _top(scores: sp.csr_matrix, start: int, limit: int, n: int) -> list[tuple[int, ...]]:
    """Each row's best ``limit`` columns by score rounded to 1/ROUND, ties to the lower
    column; never the row's own article, never a score that is not positive."""
    rows_n = scores.shape[0]
    indptr = scores.indptr.astype(np.int64)
    data = scores.data
    if not len(data):
        return [() for _ in range(rows_n)]
    # The (limit + 1)-th best of a few entries of a row is a lower bound of the row's
    # (limit + 1)-th best: only entries that can round to at least that are sorted.
    wanted = limit + 1
    sample = max(_SAMPLE, wanted)
    sizes = np.diff(indptr)
    step = np.maximum(sizes // sample, 1)  # entries spread over the whole row
    take = indptr[:-1, None] + step[:, None] * np.arange(sample)
    inside = take < indptr[1:, None]
    values = np.where(inside, data[np.minimum(take, len(data) - 1)], -np.inf)
    bound = np.partition(values, sample - wanted, axis=1)[:, sample - wanted]
    keep = np.flatnonzero(data >= np.repeat(bound - 2.0 / ROUND, sizes))
    rows = np.searchsorted(indptr, keep, side="right") - 1
    cols = scores.indices[keep].astype(np.int64)
    q_bits = _Q_BITS
    q_max = (1 << q_bits) - 1
    q = np.clip(np.rint(data[keep].astype(np.float64) * ROUND).astype(np.int64), 0, q_max)
    c_bits = _bits(n)
    # One sortable key: row, then score (descending), then column.
    key = (rows << (q_bits + c_bits)) | ((q_max - q) << c_bits) | cols
    key.sort()
    rows = key >> (q_bits + c_bits)
    cols = key & ((1 << c_bits) - 1)
    q = q_max - ((key >> c_bits) & q_max)
    good = (q > 0) & (cols != rows + start)
    rows, cols = rows[good], cols[good]
    first = np.searchsorted(rows, np.arange(rows_n + 1))
    rank = np.arange(len(rows)) - first[rows]
    top = rank < limit
    rows, cols = rows[top], cols[top]
    first = np.searchsorted(rows, np.arange(rows_n + 1)).tolist()
    picked = cols.tolist()
    return [tuple(picked[first[r] : first[r + 1]]) for r in range(rows_n)]
