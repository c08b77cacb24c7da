"""lunr.js's BM25: the idf and the weight of a term in a field, operation for operation as
lunr.js's Builder computes them (V8's ``Math.log`` and ``Math.round``), so bit for bit.

The one home of the formula: the Python index builder stores these weights, the sharded
index's heads rank by them, and search-core.js computes the same in the browser; and of
the bound on how far they move when the statistics do (:func:`score_shift`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .documents import FIELDS
from .jsnumbers import js_math_log, js_math_round
from .postings import IndexStats

# lunr.js Builder's BM25 parameters (its defaults, which the site keeps).
BM25_K1 = 1.2
BM25_B = 0.75


@functools.lru_cache(maxsize=1 << 16)  # serve's heads ask again for the same (V8's log is slow)
def idf(with_term: int, count: int) -> float:
    """lunr.idf, with V8's Math.log."""
    return js_math_log(1 + abs((count - with_term + 0.5) / (with_term + 0.5)))


def bm25(idf_: float, tf: int, length: int, average: float, boost: int) -> float:
    """lunr.js Builder#createFieldVectors's weight, operation for operation (so bit for bit),
    rounded as lunr rounds it: Math.round(score * 1000) / 1000."""
    k1, b = BM25_K1, BM25_B
    score = idf_ * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / average)) + tf)
    score *= boost  # lunr then multiplies by the document's boost, always 1 here
    return js_math_round(score * 1000) / 1000


@dataclass(frozen=True)
class Scale:
    """What a term's scores depend on besides its postings: lunr's documentsWithTerm, the
    number of documents and the average field lengths."""

    with_term: int
    count: int
    averages: tuple[float, ...]


def score_shift(at: Scale, stats: IndexStats, with_term: int) -> float:
    """An upper bound on how far any document's score can move from the statistics ``at``
    to ``stats`` (same postings).

    A field's weight is round3(I·B·g) with g = (k1+1)·tf / (k1·(1 − b + b·x) + tf), x the
    field length over its average, so 0 < g < k1+1. Scaling the average by 1/ρ scales x by ρ;
    by the mean value theorem and (u + v)² ≥ 4uv, |Δg| ≤ (k1+1)·|1 − ρ| / (4·min(1, ρ)),
    whatever tf and x. So |Δ(I·B·g)| ≤ B·((k1+1)·|ΔI| + I'·|Δg|), and rounding to thousandths
    adds up to 0.001 per field; the float error, far below 1e-9, gets that much.
    """
    old_idf, new_idf = idf(at.with_term, at.count), idf(with_term, stats.count)
    k1 = BM25_K1
    shift = 0.0
    for f, spec in enumerate(FIELDS):
        rho = at.averages[f] / stats.average(f)
        g_shift = (k1 + 1) * abs(1 - rho) / (4 * min(1.0, rho))
        shift += spec.boost * ((k1 + 1) * abs(new_idf - old_idf) + new_idf * g_shift)
        shift += 0.001 + 1e-9
    return shift
