"""Heads: the best documents of a big term, chosen exactly as lunr.js ranks a one-term query.

A term whose postings fill a shard of their own also gets a head file holding its HEAD_SIZE
best documents, so a one-word search shows its first pages without downloading all of the
term's postings. Choosing them scores every posting of the term, and every score depends on
the average field lengths, which any edit changes: at 20,000 articles that was half a second
of each rebuild in ``serve``. A :class:`HeadBasis` remembers how the last full choice went
(the best 2 × HEAD_SIZE documents and the best score below them); :func:`choose_head` then
rescores only those and keeps the result when a bound on how far the new statistics can move
any score proves that no other document can reach the top (:func:`score_shift`). Otherwise it
scores everything again. Either way the head is the one a full build chooses.
"""

from __future__ import annotations

import bisect
import heapq
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field

from .bm25 import Scale, bm25, idf, score_shift
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
class HeadBasis:
    """The last full choice of a term's head: what it was made from and its best candidates."""

    record: bytes  # the term's encoded postings: the basis holds while they are the same
    postings: TermPostings  # and the postings themselves (see _follow)
    with_term: int  # lunr's documentsWithTerm when the basis was made (its idf)
    starts: tuple[tuple[int, int], ...]  # (year, first slot) of each year (for year counts)
    count: int  # documents in the index
    averages: tuple[float, ...]  # average field lengths
    candidates: list[tuple[int, tuple[tuple[int, int], ...]]]  # slot, (field, posting index)s
    cutoff: float  # the best score outside the candidates; -inf when there is none
    found: int  # documents holding the term
    years: list[list[int]]  # [year, documents], newest year first
    chosen: frozenset[int]  # the documents of the last head chosen from it
    head: TermPostings  # and their postings
    # Pairs of (a lowest score in the last head, a best score that must stay below it), at
    # the statistics ``gaps_at`` (None: the basis's own; see _rechoose): while scores move
    # less than half of every gap, the same documents stay on top.
    gaps: tuple[tuple[float, float], ...]
    first: TermPostings
    first_b64: str = ""  # base64 of first and of head, once asked for
    head_b64: str = ""
    # Per field: (idf, average length) -> weight by (tf, length), for the next rechoice: an
    # edit changes one field's average (a title's), and the other fields' weights stay.
    weights: dict[int, tuple[tuple[float, float], dict[tuple[int, int], float]]] = field(
        default_factory=dict
    )
    # The candidates by (field, tf, length)s (see _classes); None: to be made again.
    classes: dict[tuple[tuple[int, int, int], ...], list[tuple[int, int]]] | None = None
    gaps_at: Scale | None = None

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
    candidates = {slot: [] for _, _, slot in ranked[: BASIS_FACTOR * size]}
    for f, slots in enumerate(postings.slots):
        for i, slot in enumerate(slots):
            places = candidates.get(slot)
            if places is not None:
                places.append((f, i))
    cutoff = -ranked[-1][0] if len(ranked) > BASIS_FACTOR * size else -math.inf
    basis = HeadBasis(
        record,
        postings,
        postings.with_term,
        tuple(starts),
        stats.count,
        tuple(stats.average(f) for f in range(len(FIELDS))),
        [(slot, tuple(places)) for slot, places in candidates.items()],
        cutoff,
        len(score),
        years,
        chosen,
        head,
        ((-ranked[size - 1][0], -ranked[size][0]) if len(ranked) > size else (0.0, 0.0),),
        head,
    )
    # What the next choice from the basis needs, made now: in serve, this build is the
    # one that scored every posting anyway, and the next is an edit waiting for its page.
    basis.classes = _classes(postings, basis.candidates)
    return Head(head, len(score), years), basis


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
    places: dict[int, tuple[tuple[int, int], ...]] = dict(basis.candidates)
    # Per field, the oldest changed document that came or went: positions after it move.
    moves = [math.inf] * len(postings.slots)
    for slot in sorted(changed):
        before = [_present(slots, slot) is not None for slots in old.slots]
        after = [_present(slots, slot) is not None for slots in postings.slots]
        for f, (was, now) in enumerate(zip(before, after, strict=True)):
            if was != now:
                moves[f] = min(moves[f], slot)
        places.pop(slot, None)
        if any(before):
            per_year[_year_of(basis.starts, slot)] -= 1
            found -= 1
        if any(after):
            per_year[year] = per_year.get(year := _year_of(starts, slot), 0) + 1
            found += 1
            places[slot] = ()
    candidates = []
    for slot, where in sorted(places.items()):
        if not where or any(slot > moves[f] for f, _ in where):
            where = tuple(
                (f, i)
                for f, slots in enumerate(postings.slots)
                if (i := _present(slots, slot)) is not None
            )
        candidates.append((slot, where))
    basis.record, basis.postings, basis.starts = record, postings, tuple(starts)
    basis.candidates, basis.found, basis.classes = candidates, found, None
    basis.years = [[y, n] for y, n in sorted(per_year.items(), reverse=True) if n]
    # The shortcut of _rechoose (the same head) held for the old postings only.
    basis.gaps, basis.gaps_at = ((0.0, 0.0),), None
    basis.chosen = frozenset()


def _classes(
    postings: TermPostings, candidates: list[tuple[int, tuple[tuple[int, int], ...]]]
) -> dict[tuple[tuple[int, int, int], ...], list[tuple[int, int]]]:
    """Candidates by their (field, tf, length)s, each class's (order key, slot)s sorted."""
    classes: dict[tuple[tuple[int, int, int], ...], list[tuple[int, int]]] = {}
    for slot, places in candidates:
        signature = tuple((f, postings.counts[f][i], postings.lengths[f][i]) for f, i in places)
        classes.setdefault(signature, []).append((places[0][0] * ORDER_SPAN - slot, slot))
    for members in classes.values():
        members.sort()
    return classes


def _rechoose(
    postings: TermPostings, stats: IndexStats, basis: HeadBasis, size: int
) -> Head | None:
    shift = score_shift(basis.scale(), stats, postings.with_term)
    at = basis.gaps_at
    moved = shift if at is None else score_shift(at, stats, postings.with_term)
    if all(high + moved < low - moved for low, high in basis.gaps):
        return Head(basis.head, basis.found, basis.years)
    count = stats.count
    term_idf = idf(postings.with_term, count)
    averages = [stats.average(f) for f in range(len(FIELDS))]
    weights: list[dict[tuple[int, int], float]] = []
    for f, average in enumerate(averages):
        kept = basis.weights.get(f)
        if kept is None or kept[0] != (term_idf, average):
            kept = basis.weights[f] = ((term_idf, average), {})
        weights.append(kept[1])
    if basis.classes is None:
        basis.classes = _classes(postings, basis.candidates)
    # A class of candidates shares its (field, tf, length)s, hence its score: score each
    # class once, then take members in lunr's order (score, then order key).
    scored = []
    for signature, members in basis.classes.items():
        total = None
        for f, tf, length in signature:
            weight = weights[f].get((tf, length))
            if weight is None:
                boost = FIELDS[f].boost
                weight = weights[f][tf, length] = bm25(term_idf, tf, length, averages[f], boost)
            total = weight if total is None else total + weight
        assert total is not None
        scored.append((-total, members))
    scored.sort(key=operator.itemgetter(0))
    best: list[tuple[float, int, int]] = []
    i = cut = 0  # cut: where the last group of equal scores taken from starts
    split = False  # whether that group was taken only in part
    while i < len(scored) and len(best) < size:
        j = i + 1
        while j < len(scored) and scored[j][0] == scored[i][0]:
            j += 1
        tied = scored[i][1] if j == i + 1 else list(heapq.merge(*(m for _, m in scored[i:j])))
        room = size - len(best)
        best += [(scored[i][0], order, slot) for order, slot in tied[:room]]
        cut, split, i = i, len(tied) > room, j
    # Every other document scored at most cutoff before; it must stay below the last kept.
    outside = basis.cutoff + shift
    if basis.cutoff != -math.inf and not outside < -best[-1][0]:
        return None
    chosen = frozenset(slot for _, _, slot in best)
    if chosen != basis.chosen:
        basis.chosen, basis.head, basis.head_b64 = chosen, _postings_of(postings, chosen), ""
    # The gaps at these statistics, for the next rebuild's shortcut above: between the
    # lowest score taken and the best one left out; a class taken in part always ties with
    # itself (lunr's order key decides, and it does not move), so only the classes above
    # and below it must not cross it. Classes of equal scores split by the cut: none.
    low = -scored[cut][0]
    basis.gaps = ((low, max(-scored[i][0] if i < len(scored) else -math.inf, outside)),)
    if split and i - cut > 1:
        basis.gaps = ((0.0, 0.0),)
    elif split and cut > 0:
        basis.gaps += ((-scored[cut - 1][0], low),)
    basis.gaps_at = Scale(postings.with_term, stats.count, tuple(averages))
    return Head(basis.head, basis.found, basis.years)
