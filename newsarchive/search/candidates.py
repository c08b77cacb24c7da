"""A head basis's candidates (:mod:`.heads`) as arrays, scored for every big term at once.

Every article that comes or goes moves the document count and the average field lengths,
so every big term's head must be checked again: one pass of array operations over all
their candidates, then a few reductions per term telling whether the documents of its last
head still rank above the others, instead of a sort per term.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .bm25 import BM25_B, BM25_K1
from .documents import FIELDS
from .postings import TermPostings

# lunr orders equal scores by where a document first appears: first field, then newest
# first. An order key is field * ORDER_SPAN - slot (slots stay far below it).
ORDER_SPAN = 1 << 48


@dataclass
class Candidates:
    """Documents ascending by slot, with what their scores are made of: per field (rows),
    the term's count and the field's length (0 and 1 where the field lacks the term);
    ``chosen``, the mask of those in the term's last head (None: not known)."""

    slots: np.ndarray  # int64
    order: np.ndarray  # int64: lunr's order among equal scores (ORDER_SPAN)
    counts: np.ndarray  # float64, fields × documents
    lengths: np.ndarray  # float64, fields × documents
    present: np.ndarray  # bool, fields × documents
    chosen: np.ndarray | None = None  # bool

    def postings(self, chosen: np.ndarray) -> TermPostings:
        """The postings of the documents at ``chosen`` (a mask)."""
        out = TermPostings([], [], [])
        for f in range(len(FIELDS)):
            mask = chosen & self.present[f]
            out.slots.append(self.slots[mask].tolist())
            out.counts.append(self.counts[f][mask].astype(np.int64).tolist())
            out.lengths.append(self.lengths[f][mask].astype(np.int64).tolist())
        return out

    def take(self, rows: np.ndarray) -> Candidates:
        """The candidates at ``rows`` (indices or a mask), in that order."""
        chosen = None if self.chosen is None else self.chosen[rows]
        return Candidates(
            self.slots[rows],
            self.order[rows],
            self.counts[:, rows],
            self.lengths[:, rows],
            self.present[:, rows],
            chosen,
        )


def candidates_of(postings: TermPostings, slots: Sequence[int]) -> Candidates:
    """The :class:`Candidates` of the documents at ``slots`` (ascending) in ``postings``."""
    n, nfields = len(slots), len(FIELDS)
    counts, lengths = np.zeros((nfields, n)), np.ones((nfields, n))
    present = np.zeros((nfields, n), dtype=bool)
    order = np.full(n, nfields * ORDER_SPAN, dtype=np.int64)
    for f in reversed(range(nfields)):  # the first field holding the term sets the order
        field_slots = postings.slots[f]
        for j, slot in enumerate(slots):
            i = bisect.bisect_left(field_slots, slot)
            if i < len(field_slots) and field_slots[i] == slot:
                counts[f, j], lengths[f, j] = postings.counts[f][i], postings.lengths[f][i]
                present[f, j] = True
                order[j] = f * ORDER_SPAN - slot
    return Candidates(np.asarray(slots, dtype=np.int64), order, counts, lengths, present)


def every_candidate(postings: TermPostings) -> Candidates:
    """:func:`candidates_of` every document holding the term: in numpy, for a full scoring
    (a loop per posting in Python was a tenth of a cold build's search stage)."""
    nfields = len(FIELDS)
    held = [np.asarray(slots, dtype=np.int64) for slots in postings.slots]
    slots = union(held)
    n = len(slots)
    counts, lengths = np.zeros((nfields, n)), np.ones((nfields, n))
    present = np.zeros((nfields, n), dtype=bool)
    order = np.full(n, nfields * ORDER_SPAN, dtype=np.int64)
    for f in reversed(range(nfields)):  # the first field holding the term sets the order
        rows = np.searchsorted(slots, held[f])
        counts[f, rows], lengths[f, rows] = postings.counts[f], postings.lengths[f]
        present[f, rows] = True
        order[rows] = f * ORDER_SPAN - held[f]
    return Candidates(slots, order, counts, lengths, present)


def union(ascending: Sequence[np.ndarray]) -> np.ndarray:
    """The union of arrays that are each ascending without repeats, as a new such array.

    Each array's values that the union lacks so far are inserted where they go: a linear
    merge, where ``np.unique`` sorted all of them again (a seventh of the search stage at a
    million articles, since a big term's fields hold mostly the same documents)."""
    arrays = sorted(ascending, key=len, reverse=True)
    out = arrays[0].copy() if arrays else np.zeros(0, dtype=np.int64)
    for values in arrays[1:]:
        at = np.searchsorted(out, values)
        new = at == len(out)
        inside = ~new
        new[inside] = out[at[inside]] != values[inside]
        if new.any():
            out = np.insert(out, at[new], values[new])
    return out


def joined(many: Sequence[Candidates]) -> Candidates:
    """The candidates of many terms, one after the other (chosen: all known, else None)."""
    masks = [c.chosen for c in many]
    return Candidates(
        np.concatenate([c.slots for c in many]),
        np.concatenate([c.order for c in many]),
        np.concatenate([c.counts for c in many], axis=1),
        np.concatenate([c.lengths for c in many], axis=1),
        np.concatenate([c.present for c in many], axis=1),
        None if any(m is None for m in masks) else np.concatenate(masks),  # type: ignore[misc]
    )


def scores(
    candidates: Candidates, idfs: float | np.ndarray, averages: Sequence[float]
) -> np.ndarray:
    """Each candidate's one-term score (``idfs``: the term's idf, or each candidate's),
    bit for bit :func:`.bm25.bm25` summed in field order: the same IEEE operations in the
    same order, elementwise; a field without the term adds 0.0, which changes no sum."""
    k1, b = BM25_K1, BM25_B
    total = np.zeros(len(candidates.slots))
    with np.errstate(divide="ignore", invalid="ignore"):  # fields absent everywhere
        for f, spec in enumerate(FIELDS):
            tf, length = candidates.counts[f], candidates.lengths[f]
            score = idfs * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / averages[f])) + tf)
            score = score * spec.boost * 1000
            rounded = np.floor(score)  # js_math_round: halves toward +infinity
            rounded += score - rounded >= 0.5
            total = total + np.where(candidates.present[f], rounded / 1000, 0.0)
    return total


def heads_kept(
    candidates: Candidates, starts: np.ndarray, score: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """For terms whose candidates lie one after the other from ``starts`` (none empty,
    ``chosen`` known), whether the chosen ones are still the first ``size`` in lunr's
    order (score, then order key), and the lowest score among them: as many as there
    should be, and the worst chosen ranks before the best of the others."""
    chosen = candidates.chosen
    assert chosen is not None
    sizes = np.diff(np.append(starts, len(score)))
    term = np.repeat(np.arange(len(starts)), sizes)
    enough = np.add.reduceat(chosen.astype(np.int64), starts) == np.minimum(sizes, size)
    order = candidates.order
    low = np.minimum.reduceat(np.where(chosen, score, np.inf), starts)
    at_low = chosen & (score == low[term])
    latest = np.maximum.reduceat(np.where(at_low, order, np.iinfo(np.int64).min), starts)
    high = np.maximum.reduceat(np.where(chosen, -np.inf, score), starts)
    at_high = ~chosen & (score == high[term])
    earliest = np.minimum.reduceat(np.where(at_high, order, np.iinfo(np.int64).max), starts)
    return enough & ((low > high) | ((low == high) & (latest < earliest))), low
