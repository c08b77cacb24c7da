"""The similarity of articles: their features, TF-IDF rows, and each row's best matches.

Similarity is the cosine of TF-IDF vectors: the words of title and body (lowercased, two or
more letters or digits in any script, stop words and pure numbers left out; a title word
counts ``TITLE_WEIGHT`` times), sublinear term frequency ``1 + ln(count)`` and a bucketed
smoothed idf ``1 + (b(1 + N) - b(1 + df)) · ln 2 / STEPS``, where ``b(x)`` is
``floor(STEPS · log2 x)`` (``ln((1 + N) / (1 + df)) + 1`` rounded to steps of 0.17): one
article more or less then rarely moves an idf, so ``serve`` recomputes few rows (see
:mod:`.update`). Plus one feature per tag (case-insensitive) of weight ``TAG_TF * idf``, so
a tag two articles share says more the rarer it is. Features in only one article (they link
nothing) are left out, and so are those in very many articles and all but each article's
``TOP_FEATURES`` strongest ones: a feature in ``d`` articles costs ``d²`` products in
``X·Xᵀ``, and these say the least.

A row depends only on its article and the idf of its features, and a score on its two rows
(summed in the columns' order, which is the terms' sorted text): so a row or a score made
again alone is bit for bit the one a whole computation makes.
"""

from __future__ import annotations

import bisect
import math
import re
from array import array
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..model import Article
from ..parallel import usable_cores
from ..stopwords import STOP_WORDS  # words that say little of what an article is about

# A word: two or more letters or digits (any script); words of digits only are dropped.
_WORD = re.compile(r"[^\W_]{2,}")
# The same for ASCII text, much faster: every byte but [a-z0-9] becomes a space.
_ASCII_WORDS = bytes(c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256))
_TAG = "\x00"  # prefix of tag features, which no word can start with

TITLE_WEIGHT = 2  # a title word counts as this many occurrences
TAG_TF = 2.0  # a tag's term frequency (before its idf)
STEPS = 4  # idf buckets per doubling of the document frequency (and of N)
# Features in more than this fraction of the articles, or more than MAX_DF_MOST of them,
# are left out (unless they are in at most MAX_DF_FLOOR): with a fixed most, the product's
# cost grows linearly with the number of articles. N is taken at its bucket's low end.
MAX_DF = 0.1
MAX_DF_MOST = 2000
MAX_DF_FLOOR = 50
TOP_FEATURES = 15  # each article keeps only its strongest features (0: all)
ROUND = 10**6  # scores are compared rounded to 1e-6, so float noise never breaks a tie
BLOCK_PRODUCTS = 4_000_000  # rows per block: at most about this many similarity entries ...
BLOCK_ROWS = 4096  # ... and at most this many rows
THREADS = min(4, usable_cores())  # blocks worked on at once
VECTOR_ROWS = 1 << 16  # rows of TF-IDF weights made at a time (see vectors)
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
    articles: Sequence[Article], vocabulary: _Vocabulary | None = None
) -> tuple[list[_Features], _Vocabulary]:
    vocabulary = vocabulary if vocabulary is not None else _Vocabulary()
    return [_article_features(a, vocabulary) for a in articles], vocabulary


def _bits(limit: int) -> int:
    return max(1, int(limit).bit_length())


def _bucket_bounds() -> np.ndarray:
    """``bounds[k]``: the least integer ``x`` with ``x ** STEPS >= 2 ** k`` (exact)."""
    bounds = []
    for k in range(48 * STEPS):
        x = max(1, round(2 ** (k / STEPS)))
        while x**STEPS < 2**k:
            x += 1
        while x > 1 and (x - 1) ** STEPS >= 2**k:
            x -= 1
        bounds.append(x)
    return np.array(bounds, dtype=np.int64)


_BOUNDS = _bucket_bounds()


def buckets(x: np.ndarray) -> np.ndarray:
    """``floor(STEPS · log2 x)`` of positive integers, in integers (no float rounding)."""
    return np.searchsorted(_BOUNDS, x, side="right") - 1


@dataclass(frozen=True)
class Weighting:
    """What the number of articles decides: its bucket and the most articles a feature may
    be in. It moves only when N leaves its bucket (by about a sixth)."""

    n_bucket: int
    most: float

    @classmethod
    def of(cls, n: int) -> Weighting:
        bucket = int(buckets(np.array([1 + n]))[0])
        low = int(_BOUNDS[bucket]) - 1  # the least N in this bucket
        return cls(bucket, max(min(MAX_DF * low, MAX_DF_MOST), MAX_DF_FLOOR))

    def idf(self, df: np.ndarray) -> np.ndarray:
        """Each feature's idf from its document frequency; 0 for a feature left out."""
        idf = 1.0 + (self.n_bucket - buckets(1 + df)) * (math.log(2) / STEPS)
        return np.where((df >= 2) & (df <= self.most), idf, 0.0)


def document_frequencies(features: Sequence[_Features], terms: int) -> np.ndarray:
    """How many of these articles have each vocabulary number."""
    numbers = np.frombuffer(b"".join(f[0] for f in features), dtype=np.intc)
    return np.bincount(numbers[numbers >= 0], minlength=terms)


def sorted_columns(terms: list[str]) -> tuple[list[str], np.ndarray]:
    """The terms in sorted order, and each vocabulary number's place in it (its column)."""
    order = sorted(range(len(terms)), key=terms.__getitem__)
    column = np.empty(len(terms), dtype=np.int64)
    column[order] = np.arange(len(terms))
    return [terms[i] for i in order], column


def grow_columns(
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


_TF = np.array([TAG_TF])  # term frequency weight by count (0: a tag)


def _tf(counts: np.ndarray) -> np.ndarray:
    global _TF
    most = int(counts.max()) if len(counts) else 0
    if most >= len(_TF):  # math.log, one number at a time: the same bits on every path
        _TF = np.array([TAG_TF] + [1.0 + math.log(c) for c in range(1, 2 * most + 1)])
    return _TF[counts]


def vectors(
    features: Sequence[_Features], idf: np.ndarray, column: np.ndarray, columns: int
) -> sp.csr_matrix:
    """Rows of L2-normalised TF-IDF weights, pruned as the module docstring says (``idf``
    and ``column`` by vocabulary number; idf 0: the feature is left out).

    Made VECTOR_ROWS rows at a time: every step is within a row, so the rows are the same
    whichever way they are cut, and the arrays of all features at once (gigabytes at a
    million articles, the build's peak) are never made."""
    n = len(features)
    parts = [
        _pruned(features[start : start + VECTOR_ROWS], idf, column, columns)
        for start in range(0, max(n, 1), VECTOR_ROWS)  # one part, empty, when n is 0
    ]
    counts, cols, data = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
    del parts
    # 32-bit indices (when they fit) keep scipy's product fast.
    index = np.int32 if len(data) < 2**31 and columns < 2**31 else np.int64
    indptr = np.zeros(n + 1, dtype=index)
    np.cumsum(counts, out=indptr[1:])
    matrix = sp.csr_matrix((data, cols.astype(index), indptr), shape=(n, columns))
    matrix.sort_indices()
    return matrix


def _pruned(
    features: Sequence[_Features], idf: np.ndarray, column: np.ndarray, columns: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`vectors` of some rows: entries per row, then the entries' columns and
    weights, row by row."""
    n = len(features)
    lengths = np.fromiter((len(f[0]) for f in features), dtype=np.int64, count=n)
    rows = np.repeat(np.arange(n, dtype=np.int32), lengths)
    terms = np.frombuffer(b"".join(f[0] for f in features), dtype=np.intc)
    counts = np.frombuffer(b"".join(f[1] for f in features), dtype=np.intc)
    keep = terms >= 0
    rows, terms, counts = rows[keep], terms[keep], counts[keep]
    weight = idf[terms]
    keep = weight > 0
    rows, cols, weight = rows[keep], column[terms[keep]], weight[keep]
    weight *= _tf(counts[keep])
    del terms, counts
    if TOP_FEATURES and len(weight):
        # Each row's strongest features: by row, then weight (to 2**-16, descending), then
        # column, as one integer key.
        quantum = np.rint(weight * 65536).astype(np.int64)
        w_bits, c_bits = _bits(int(quantum.max())), _bits(columns)
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
    # Single precision: the product is a third faster, and scores are compared to 1e-6.
    return np.bincount(rows, minlength=n), cols.astype(np.int64), weight.astype(np.float32)


def _matrix(features: list[_Features], vocabulary: _Vocabulary) -> sp.csr_matrix:
    """The whole matrix of these articles (tests and benchmarks look at it)."""
    terms = len(vocabulary.terms)
    idf = Weighting.of(len(features)).idf(document_frequencies(features, terms))
    return vectors(features, idf, sorted_columns(vocabulary.terms)[1], terms)


# Each row's best matches: columns (-1 past the end) and scores times ROUND, best first.
Top = tuple[np.ndarray, np.ndarray]


def best(x: sp.csr_matrix, xt: sp.csr_matrix, own: np.ndarray, limit: int) -> Top:
    """The best ``limit`` matches of each row of ``x`` among the rows of ``xt``'s matrix
    (``own``: each row's own number there, never its own match), in blocks of rows."""
    n = xt.shape[1]
    # A row has at most as many similarity entries as the document frequencies of its
    # features add up to: blocks of rows are cut where that sum reaches the budget
    # (BLOCK_PRODUCTS shared by the blocks that THREADS work on at once).
    threads = max(1, THREADS)
    count = x.shape[0]
    rows = np.repeat(np.arange(count), np.diff(x.indptr))
    cost = np.cumsum(np.bincount(rows, weights=np.diff(xt.indptr)[x.indices], minlength=count))
    most_rows = min(BLOCK_ROWS, 1 << (63 - _Q_BITS - _bits(n)))  # _top's keys fit 63 bits
    blocks: list[tuple[int, int]] = []
    start = 0
    while start < count:
        budget = (cost[start - 1] if start else 0) + BLOCK_PRODUCTS / threads
        stop = max(start + 1, int(np.searchsorted(cost, budget, side="right")))
        blocks.append((start, min(stop, start + most_rows)))
        start = blocks[-1][1]

    def block(bounds: tuple[int, int]) -> Top:
        a, b = bounds
        return top(x[a:b] @ xt, own[a:b], limit)

    if threads == 1 or len(blocks) <= 1:
        parts = [block(bounds) for bounds in blocks]
    else:  # scipy's product and numpy's sorts let go of the GIL
        with ThreadPoolExecutor(threads) as pool:
            parts = list(pool.map(block, blocks))
    if not parts:
        return np.full((0, limit), -1, dtype=np.int64), np.zeros((0, limit), dtype=np.int64)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def quantize(scores: np.ndarray) -> np.ndarray:
    """Scores as integers (times ROUND): the form every comparison is made in."""
    q_max = (1 << _Q_BITS) - 1
    return np.clip(np.rint(scores.astype(np.float64) * ROUND).astype(np.int64), 0, q_max)


def top(scores: sp.csr_matrix, own: np.ndarray, limit: int) -> Top:
    """Each row's best ``limit`` columns by score rounded to 1/ROUND, ties to the lower
    column; never the row's own article (``own``), never a score that is not positive."""
    rows_n, n = scores.shape
    cols_out = np.full((rows_n, limit), -1, dtype=np.int64)
    q_out = np.zeros((rows_n, limit), dtype=np.int64)
    indptr = scores.indptr.astype(np.int64)
    data = scores.data
    if not len(data):
        return cols_out, q_out
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
    q = quantize(data[keep])
    c_bits = _bits(n)
    # One sortable key: row, then score (descending), then column.
    key = (rows << (q_bits + c_bits)) | ((q_max - q) << c_bits) | cols
    key.sort()
    rows = key >> (q_bits + c_bits)
    cols = key & ((1 << c_bits) - 1)
    q = q_max - ((key >> c_bits) & q_max)
    good = (q > 0) & (cols != own[rows])
    rows, cols, q = rows[good], cols[good], q[good]
    first = np.searchsorted(rows, np.arange(rows_n + 1))
    rank = np.arange(len(rows)) - first[rows]
    chosen = rank < limit
    rows, rank = rows[chosen], rank[chosen]
    cols_out[rows, rank] = cols[chosen]
    q_out[rows, rank] = q[chosen]
    return cols_out, q_out


def as_lists(columns: np.ndarray) -> list[tuple[int, ...]]:
    """The rows of a table of best matches as tuples, without the -1 past their ends."""
    rows = columns.tolist()
    lists = list(map(tuple, rows))
    if columns.shape[1]:
        for i in np.flatnonzero(columns[:, -1] < 0).tolist():  # short lists
            lists[i] = tuple(c for c in rows[i] if c >= 0)
    return lists
