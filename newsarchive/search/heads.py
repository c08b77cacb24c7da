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
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .bm25 import Scale, idf, score_shift
from .candidates import (
    Candidates,
    candidates_of,
    every_candidate,
    heads_kept,
    joined,
    scores,
)
from .documents import FIELDS
from .postings import IndexStats, TermPostings
from .scripts import b64

HEAD_SIZE = 200
# Documents a basis keeps, as a multiple of the head size: the margin that lets an edit
# elsewhere move scores without a document from outside reaching the head.
BASIS_FACTOR = 2
# Past those, a basis keeps (up to BASIS_MOST × the head size) the documents scoring within
# BASIS_MARGIN of the head's lowest: where scores crowd (rounded to thousandths, thousands
# of documents tie), the best one left out would else score as the head's last, and no
# move of the statistics, however small, could keep the basis.
BASIS_MOST = 6
BASIS_MARGIN = 0.02


@dataclass
class HeadBasis:
    """The last full choice of a term's head: what it was made from and its best candidates."""

    record: bytes  # the term's encoded postings: the basis holds while they are the same
    postings: TermPostings  # and the postings themselves (see _follow)
    with_term: int  # lunr's documentsWithTerm when the basis was made (its idf)
    starts: tuple[tuple[int, int], ...]  # (year, first slot) of each year (for year counts)
    count: int  # documents in the index
    averages: tuple[float, ...]  # average field lengths
    candidates: Candidates  # and which of them the last head chose
    cutoff: float  # the best score outside the candidates; -inf when there is none
    found: int  # documents holding the term
    years: list[list[int]]  # [year, documents], newest year first
    head: TermPostings  # the last head's postings
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
    every = every_candidate(postings)
    averages = [stats.average(f) for f in range(len(FIELDS))]
    score = scores(every, idf(postings.with_term, stats.count), averages)
    # lunr's order: score descending, then where a document first appears (candidates.order)
    ranked = np.lexsort((every.order, -score))[: BASIS_MOST * size + 1 if keep_basis else size]
    top = score[ranked]
    chosen = np.zeros(len(score), dtype=bool)
    chosen[ranked[:size]] = True
    head = every.postings(chosen)
    present = every.slots.tolist()
    per_year: dict[int, int] = {}
    for i, (year, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else math.inf
        found = bisect.bisect_left(present, end) - bisect.bisect_left(present, start)
        if found:
            per_year[year] = per_year.get(year, 0) + found
    years = [[y, per_year[y]] for y in sorted(per_year, reverse=True)]
    if not keep_basis:
        return Head(head, len(present), years), None
    keep = min(BASIS_FACTOR * size, len(ranked))
    if keep > size:
        floor = float(top[size - 1]) - BASIS_MARGIN
        while keep < BASIS_MOST * size and keep < len(ranked) and top[keep] >= floor:
            keep += 1
    candidates = every.take(np.sort(ranked[:keep]))  # by slot, as every is
    candidates.chosen = chosen[np.sort(ranked[:keep])]
    cutoff = float(top[keep]) if len(ranked) > keep else -math.inf
    basis = HeadBasis(
        record,
        postings,
        postings.with_term,
        tuple(starts),
        stats.count,
        tuple(stats.average(f) for f in range(len(FIELDS))),
        candidates,
        cutoff,
        len(present),
        years,
        head,
        head,
    )
    return Head(head, len(present), years), basis


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
    document that holds the term instead of scoring every posting again. (One term of
    :func:`choose_heads`, which serve calls.)
    """
    return choose_heads([(postings, record, basis)], stats, starts, changed, size)[0]


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
    gone = np.isin(was.slots, list(changed))
    new = candidates_of(postings, came)
    if was.chosen is not None:  # a changed document of the head: its postings change
        new.chosen = None if was.chosen[gone].any() else np.zeros(len(came), dtype=bool)
    merged = joined([was.take(~gone), new])
    basis.candidates = merged.take(np.argsort(merged.slots, kind="stable"))
    basis.record, basis.postings, basis.starts = record, postings, tuple(starts)
    basis.found = found
    basis.years = [[y, n] for y, n in sorted(per_year.items(), reverse=True) if n]


def _rechoose(
    postings: TermPostings,
    stats: IndexStats,
    basis: HeadBasis,
    size: int,
    score: np.ndarray,
) -> Head | None:
    """The head from the basis's candidates rescored at ``stats`` (their ``score``), or
    None when a document outside them might now score into it (its bound, the cutoff moved
    by at most the score shift, does not stay below the last one taken)."""
    candidates = basis.candidates
    ranked = np.lexsort((candidates.order, -score))[:size]
    if not len(ranked) or not _inside(postings, stats, basis, float(score[ranked[-1]])):
        return None
    chosen = np.zeros(len(score), dtype=bool)
    chosen[ranked] = True
    if candidates.chosen is None or not np.array_equal(chosen, candidates.chosen):
        candidates.chosen, basis.head, basis.head_b64 = chosen, candidates.postings(chosen), ""
    return Head(basis.head, basis.found, basis.years)


def _inside(postings: TermPostings, stats: IndexStats, basis: HeadBasis, last: float) -> bool:
    """Whether no document outside the candidates can reach the ``last`` score taken."""
    if basis.cutoff == -math.inf:
        return True
    return basis.cutoff + score_shift(basis.scale(), stats, postings.with_term) < last


def choose_heads(
    items: Sequence[tuple[TermPostings, bytes, HeadBasis | None]],
    stats: IndexStats,
    starts: Sequence[tuple[int, int]],
    changed: frozenset[int] | None,
    size: int = HEAD_SIZE,
) -> list[tuple[Head, HeadBasis]]:
    """:func:`choose_head` of many terms, each (postings, record, basis): the candidates
    of every basis that may serve are rescored in one pass, and a term whose last head's
    documents still come first (candidates.heads_kept) keeps it without a sort."""
    out: list[tuple[Head, HeadBasis] | None] = [None] * len(items)
    usable: list[int] = []
    for i, (postings, record, basis) in enumerate(items):
        if basis is not None:
            same = basis.record == record and basis.starts == tuple(starts)
            if not same and changed is not None:
                _follow(basis, postings, starts, record, changed)
            if same or changed is not None:
                usable.append(i)
    batch = [i for i in usable if len(items[i][2].candidates.slots)]  # type: ignore[union-attr]
    if batch:
        bases = [items[i][2] for i in batch]
        every = joined([b.candidates for b in bases])  # type: ignore[union-attr]
        sizes = [len(b.candidates.slots) for b in bases]  # type: ignore[union-attr]
        firsts = np.cumsum([0, *sizes[:-1]])
        idfs = np.repeat([idf(items[i][0].with_term, stats.count) for i in batch], sizes)
        averages = [stats.average(f) for f in range(len(FIELDS))]
        score = scores(every, idfs, averages)
        if every.chosen is None:  # an unknown head is never kept (none chosen: too few)
            masks = [b.candidates.chosen for b in bases]  # type: ignore[union-attr]
            every.chosen = np.concatenate(
                [
                    np.zeros(n, dtype=bool) if m is None else m
                    for m, n in zip(masks, sizes, strict=True)
                ]
            )
        kept, low = heads_kept(every, firsts, score, size)
        for k, i in enumerate(batch):
            postings, basis = items[i][0], bases[k]
            assert basis is not None
            if kept[k] and _inside(postings, stats, basis, float(low[k])):
                out[i] = Head(basis.head, basis.found, basis.years), basis
                continue
            part = score[firsts[k] : firsts[k] + sizes[k]]
            head = _rechoose(postings, stats, basis, size, part)
            if head is not None:
                out[i] = head, basis
    for i, (postings, record, _) in enumerate(items):
        if out[i] is None:
            head, new = head_postings(postings, stats, starts, record, size)
            assert new is not None
            out[i] = head, new
    return out  # type: ignore[return-value]
