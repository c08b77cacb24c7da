"""Heads: the best documents of a big term, chosen exactly as lunr.js ranks a one-term query.

A term whose postings fill a shard of their own also gets a head file holding its HEAD_SIZE
best documents, so a one-word search shows its first pages without downloading all of the
term's postings. Choosing them scores every posting of the term, and every score depends on
the document count and the average field lengths, which every edit, new article or deleted
one changes: at 20,000 articles that was half a second of each rebuild in ``serve``. A
:class:`HeadBasis` remembers how the last full choice went (its best 2 × HEAD_SIZE documents
as arrays, and the best score below them); :func:`choose_head` then rescores only those, in
numpy with lunr.js's float operations, and keeps the result when a bound on how far the new
statistics can move any score proves that no other document can reach the top
(:func:`.bm25.score_shift`). Otherwise it scores everything again. Either way the head is the
one a full build chooses.
"""

from __future__ import annotations

import bisect
import heapq
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .bm25 import BM25_B, BM25_K1, Scale, bm25, idf, score_shift
from .documents import FIELDS
from .postings import IndexStats, TermPostings
from .scripts import b64

HEAD_SIZE = 200
# Documents a basis keeps, as a multiple of the head size: the margin that lets an edit
# elsewhere move scores without a document from outside reaching the head.
BASIS_FACTOR = 2
# lunr orders equal scores by where a document first appears: first field, then newest
# first. An order key is field * ORDER_SPAN - slot (slots stay far below it).
ORDER_SPAN = 1 << 48


@dataclass
class Candidates:
    """A basis's best documents, ascending by slot, with what their scores are made of: per
    field (rows), the term's count and the field's length (0 and 1 where the field lacks
    the term), so that rescoring them all is a few array operations."""

    slots: np.ndarray  # int64
    order: np.ndarray  # int64: lunr's order among equal scores (ORDER_SPAN)
    counts: np.ndarray  # float64, fields × documents
    lengths: np.ndarray  # float64, fields × documents
    present: np.ndarray  # bool, fields × documents

    def scores(self, term_idf: float, averages: Sequence[float]) -> np.ndarray:
        """Each one's one-term score, bit for bit :func:`.bm25.bm25` summed in field order
        (IEEE operations in the same order; a field without the term adds 0.0, exactly)."""
        k1, b = BM25_K1, BM25_B
        total = np.zeros(len(self.slots))
        for f, spec in enumerate(FIELDS):  # a field no candidate has may have no length
            if not self.present[f].any():
                continue
            tf, length = self.counts[f], self.lengths[f]
            score = term_idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / averages[f])) + tf)
            score = score * spec.boost * 1000
            rounded = np.floor(score)  # js_math_round: halves toward +infinity
            rounded += score - rounded >= 0.5
            total = total + np.where(self.present[f], rounded / 1000, 0.0)
        return total

    def postings(self, chosen: np.ndarray) -> TermPostings:
        """The postings of the documents at ``chosen`` (a mask)."""
        out = TermPostings([], [], [])
        for f in range(len(FIELDS)):
            mask = chosen & self.present[f]
            out.slots.append(self.slots[mask].tolist())
            out.counts.append(self.counts[f][mask].astype(np.int64).tolist())
            out.lengths.append(self.lengths[f][mask].astype(np.int64).tolist())
        return out


def candidates_of(postings: TermPostings, slots: Sequence[int]) -> Candidates:
    """The :class:`Candidates` of the documents at ``slots`` (ascending) in ``postings``."""
    n, nfields = len(slots), len(FIELDS)
    counts, lengths = np.zeros((nfields, n)), np.ones((nfields, n))
    present = np.zeros((nfields, n), dtype=bool)
    order = np.full(n, nfields * ORDER_SPAN, dtype=np.int64)
    for f in reversed(range(nfields)):  # the first field holding the term sets the order
        field_slots = postings.slots[f]
        for j, slot in enumerate(slots):
            i = _present(field_slots, slot)
            if i is not None:
                counts[f, j], lengths[f, j] = postings.counts[f][i], postings.lengths[f][i]
                present[f, j] = True
                order[j] = f * ORDER_SPAN - slot
    return Candidates(np.asarray(slots, dtype=np.int64), order, counts, lengths, present)


@dataclass
class HeadBasis:
    """The last full choice of a term's head: what it was made from and its best candidates."""

    record: bytes  # the term's encoded postings: the basis holds while they are the same
    postings: TermPostings  # and the postings themselves (see _follow)
    with_term: int  # lunr's documentsWithTerm when the basis was made (its idf)
    starts: tuple[tuple[int, int], ...]  # (year, first slot) of each year (for year counts)
    count: int  # documents in the index
    averages: tuple[float, ...]  # average field lengths
    candidates: Candidates
    cutoff: float  # the best score outside the candidates; -inf when there is none
    found: int  # documents holding the term
    years: list[list[int]]  # [year, documents], newest year first
    chosen: np.ndarray | None  # the slots of the last head chosen (None: to be made)
    head: TermPostings  # and their postings
    first: TermPostings
    first_b64: str = ""  # base64 of first and of head, once asked for
    head_b64: str = ""

    def scale(self) -> Scale:
        """The statistics the basis was made with (its cutoff holds at them)."""
        return Scale(self.with_term, self.count, self.averages)

    def encode(self, head: TermPostings) -> str:
        """``head``'s postings in base64, kept when it is this basis's first or last head."""
        if head is self.first:
            self.first_b64 = self.first_b64 or _b64(head)
            return self.first_b64
        if head is self.head:
            self.head_b64 = self.head_b64 or _b64(head)
            return self.head_b64
        return _b64(head)


@dataclass
class HeadMemo:
    """Head bases by term: the last build's (``bases``), this build's for the next (``kept``).

    ``remember`` (serve) keeps them at all; ``changed``, the slots whose documents changed
    since the bases were made (:attr:`.postings.PostingsState.changed`; None: unknown).
    """

    bases: dict[str, HeadBasis] = field(default_factory=dict)
    kept: dict[str, HeadBasis] = field(default_factory=dict)
    remember: bool = False
    changed: frozenset[int] | None = None


def _b64(postings: TermPostings) -> str:
    return b64(postings.encode())


@dataclass
class Head:
    postings: TermPostings  # the chosen documents' postings
    found: int
    years: list[list[int]]


def _score_all(
    postings: TermPostings, stats: IndexStats
) -> tuple[dict[int, float], dict[int, int]]:
    """Every document's one-term score, and lunr's order among equal scores: documents in
    the order they first appear (first field, then number, newest first)."""
    count = stats.count
    term_idf = idf(postings.with_term, count)
    score: dict[int, float] = {}
    order: dict[int, int] = {}
    for f, spec in enumerate(FIELDS):
        average, boost, base = stats.average(f), spec.boost, f * ORDER_SPAN
        weights: dict[tuple[int, int], float] = {}  # many postings share (count, length)
        for slot, tf, length in zip(
            postings.slots[f], postings.counts[f], postings.lengths[f], strict=True
        ):
            weight = weights.get((tf, length))
            if weight is None:
                weight = weights[tf, length] = bm25(term_idf, tf, length, average, boost)
            previous = score.get(slot)
            if previous is None:
                score[slot] = weight
                order[slot] = base - slot
            else:
                score[slot] = previous + weight
    return score, order


def head_postings(
    postings: TermPostings,
    stats: IndexStats,
    starts: Sequence[tuple[int, int]],
    record: bytes = b"",
    size: int = HEAD_SIZE,
    keep_basis: bool = True,
) -> tuple[Head, HeadBasis | None]:
    """The ``size`` best documents of a one-term query by scoring every posting, and (with
    ``keep_basis``: serve) the basis for choosing them again (:func:`choose_head`).

    lunr scores a document of a one-term query by adding, field by field in field order,
    the term's weights in its fields (the query vector has the single value 1), and sorts
    ties in the order the documents first appear. The same float additions here pick
    exactly lunr's top ``size``; lunr's own search then ranks them in the page. ``starts``:
    (year, first slot) of each year, oldest first, to count the documents per year.
    """
    score, order = _score_all(postings, stats)
    ranked = heapq.nsmallest(
        BASIS_FACTOR * size + 1 if keep_basis else size,
        zip(map(operator.neg, score.values()), order.values(), score, strict=True),
    )
    chosen = frozenset(slot for _, _, slot in ranked[:size])
    head = _postings_of(postings, chosen)
    present = sorted(score)
    per_year: dict[int, int] = {}
    for i, (year, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else math.inf
        found = bisect.bisect_left(present, end) - bisect.bisect_left(present, start)
        if found:
            per_year[year] = per_year.get(year, 0) + found
    years = [[y, per_year[y]] for y in sorted(per_year, reverse=True)]
    if not keep_basis:
        return Head(head, len(score), years), None
    best = sorted(slot for _, _, slot in ranked[: BASIS_FACTOR * size])
    candidates = candidates_of(postings, best)
    cutoff = -ranked[-1][0] if len(ranked) > BASIS_FACTOR * size else -math.inf
    basis = HeadBasis(
        record,
        postings,
        postings.with_term,
        tuple(starts),
        stats.count,
        tuple(stats.average(f) for f in range(len(FIELDS))),
        candidates,
        cutoff,
        len(score),
        years,
        np.asarray(sorted(chosen), dtype=np.int64),
        head,
        head,
    )
    return Head(head, len(score), years), basis


def _postings_of(postings: TermPostings, top: frozenset[int]) -> TermPostings:
    head = TermPostings([], [], [])
    for slots, counts, lengths in zip(
        postings.slots, postings.counts, postings.lengths, strict=True
    ):
        kept = [i for i, slot in enumerate(slots) if slot in top]
        head.slots.append([slots[i] for i in kept])
        head.counts.append([counts[i] for i in kept])
        head.lengths.append([lengths[i] for i in kept])
    return head


def choose_head(
    postings: TermPostings,
    stats: IndexStats,
    starts: Sequence[tuple[int, int]],
    record: bytes,
    basis: HeadBasis | None,
    size: int = HEAD_SIZE,
    changed: frozenset[int] | None = None,
) -> tuple[Head, HeadBasis]:
    """The head of :func:`head_postings`, from ``basis`` when it provably gives the same.

    ``changed``: the slots whose documents may differ since ``basis`` last matched the
    term's postings (None: any); with them a basis follows an added, deleted or edited
    document that holds the term instead of scoring every posting again.
    """
    if basis is not None:
        same = basis.record == record and basis.starts == tuple(starts)
        if not same and changed is not None:
            _follow(basis, postings, starts, record, changed)
        if same or changed is not None:
            head = _rechoose(postings, stats, basis, size)
            if head is not None:
                return head, basis
    head, new = head_postings(postings, stats, starts, record, size)
    assert new is not None
    return head, new


def _present(slots: Sequence[int], slot: int) -> int | None:
    """The position of ``slot`` in one field's ascending slots, or None."""
    i = bisect.bisect_left(slots, slot)
    return i if i < len(slots) and slots[i] == slot else None


def _year_of(starts: Sequence[tuple[int, int]], slot: int) -> int:
    return starts[bisect.bisect_right([start for _, start in starts], slot) - 1][0]


def _follow(
    basis: HeadBasis,
    postings: TermPostings,
    starts: Sequence[tuple[int, int]],
    record: bytes,
    changed: frozenset[int],
) -> None:
    """Move ``basis`` onto the term's new postings, where only the documents at ``changed``
    slots differ: they become candidates (or leave), the count and years follow. Every other
    document's postings, hence its score bound (the cutoff), are what the basis was made
    with, and so is its year: a slot stays in its year's range (ranges are cut between the
    actual slots of consecutive years), whatever came or went elsewhere."""
    if record == basis.record:  # the documents holding the term are the same
        basis.postings, basis.starts = postings, tuple(starts)
        return
    old = basis.postings
    per_year = dict(basis.years)
    found = basis.found
    came: list[int] = []
    for slot in sorted(changed):
        if any(_present(slots, slot) is not None for slots in old.slots):
            per_year[_year_of(basis.starts, slot)] -= 1
            found -= 1
        if any(_present(slots, slot) is not None for slots in postings.slots):
            per_year[year] = per_year.get(year := _year_of(starts, slot), 0) + 1
            found += 1
            came.append(slot)
    was = basis.candidates
    stay = ~np.isin(was.slots, list(changed))
    new = candidates_of(postings, came)
    merged = Candidates(
        np.concatenate((was.slots[stay], new.slots)),
        np.concatenate((was.order[stay], new.order)),
        np.concatenate((was.counts[:, stay], new.counts), axis=1),
        np.concatenate((was.lengths[:, stay], new.lengths), axis=1),
        np.concatenate((was.present[:, stay], new.present), axis=1),
    )
    by_slot = np.argsort(merged.slots, kind="stable")
    basis.candidates = Candidates(
        merged.slots[by_slot],
        merged.order[by_slot],
        merged.counts[:, by_slot],
        merged.lengths[:, by_slot],
        merged.present[:, by_slot],
    )
    basis.record, basis.postings, basis.starts = record, postings, tuple(starts)
    basis.found = found
    if basis.chosen is not None and np.isin(basis.chosen, list(changed)).any():
        basis.chosen = None  # a document of the head changed: its postings are made again
    basis.years = [[y, n] for y, n in sorted(per_year.items(), reverse=True) if n]


def _rechoose(
    postings: TermPostings, stats: IndexStats, basis: HeadBasis, size: int
) -> Head | None:
    """The head from the basis's candidates rescored at ``stats``, or None when a document
    outside them might now score into it (its bound, the cutoff moved by at most the
    score shift, does not stay below the last one taken)."""
    averages = [stats.average(f) for f in range(len(FIELDS))]
    candidates = basis.candidates
    with np.errstate(divide="ignore", invalid="ignore"):
        score = candidates.scores(idf(postings.with_term, stats.count), averages)
    ranked = np.lexsort((candidates.order, -score))[:size]
    if not len(ranked):
        return None
    if basis.cutoff != -math.inf:
        outside = basis.cutoff + score_shift(basis.scale(), stats, postings.with_term)
        if not outside < float(score[ranked[-1]]):
            return None
    chosen = candidates.slots[np.sort(ranked)]
    if basis.chosen is None or not np.array_equal(chosen, basis.chosen):
        mask = np.zeros(len(score), dtype=bool)
        mask[ranked] = True
        basis.chosen, basis.head, basis.head_b64 = chosen, candidates.postings(mask), ""
    return Head(basis.head, basis.found, basis.years)
