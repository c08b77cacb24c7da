"""lunr.js's BM25: the idf and the weight of a term in a field, operation for operation as
lunr.js's Builder computes them (V8's ``Math.log`` and ``Math.round``), so bit for bit.

The one home of the formula: the Python index builder stores these weights, the sharded
index's heads rank by them, and search-core.js computes the same in the browser.
"""

from __future__ import annotations

from .jsnumbers import js_math_log, js_math_round

# lunr.js Builder's BM25 parameters (its defaults, which the site keeps).
BM25_K1 = 1.2
BM25_B = 0.75


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
