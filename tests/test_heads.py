"""Heads chosen again from a basis (serve's shortcut) are the heads a full scoring chooses."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from newsarchive.build import load_archive
from newsarchive.config import Config
from newsarchive.search import candidates, heads
from newsarchive.search.bm25 import Scale, bm25, idf, score_shift
from newsarchive.search.documents import FIELDS
from newsarchive.search.postings import (
    IndexStats,
    PostingsState,
    TermPostings,
    collect_postings,
    document_terms,
    update_postings,
)
from newsarchive.search.slots import document_slots, year_ranges
from newsarchive.search.textpipe import ENGLISH

SIZE = 50  # a small head, so that the 600 Reuters articles have many terms that need one


@pytest.fixture(scope="module")
def index(reuters_source: Path):
    archive = load_archive(Config(timezone="UTC"), reuters_source)
    oldest = list(archive.articles)[::-1]
    slots = document_slots(oldest)
    postings, stats = collect_postings([document_terms(a, ENGLISH) for a in oldest], slots)
    big = sorted(postings, key=lambda t: (-postings[t].with_term, t))[:60]
    return postings, stats, _starts(oldest, slots), big


def _starts(oldest: list, slots: list[int]) -> list[tuple[int, int]]:
    """(year, first slot) of each year, as the sharded index gives them to heads."""
    return [(year, first) for year, first, _ in year_ranges(oldest, slots)]


def _plain(head: heads.Head) -> tuple:
    p = head.postings
    return p.slots, p.counts, p.lengths, head.found, head.years


def test_rechosen_heads_equal_full_scoring(index) -> None:
    """Edits elsewhere move the average field lengths (and adds, the document count): the
    head from the basis is always the full scoring's, whether the bound let it reuse the
    basis or it fell back; small moves must mostly reuse it."""
    postings, stats, starts, big = index
    rng = random.Random(5)
    reused = fallbacks = 0
    for term in big:
        record = postings[term].encode()
        _, basis = heads.head_postings(postings[term], stats, starts, record, SIZE)
        assert basis is not None
        for _ in range(6):
            scale = rng.choice([1e-5, 1e-4, 1e-3, 3e-2, 0.3])
            totals = [
                max(1, round(t * (1 + rng.uniform(-scale, scale)))) for t in stats.length_totals
            ]
            # New articles without the term (its postings, hence its slots, stay the same).
            moved = IndexStats(stats.count + rng.choice([0, 0, 1, 3]), totals)
            full, _ = heads.head_postings(postings[term], moved, starts, record, SIZE)
            head, used = heads.choose_head(postings[term], moved, starts, record, basis, SIZE)
            assert _plain(head) == _plain(full), term
            if used is basis:
                reused += 1
            else:
                fallbacks += 1
    assert reused > len(big) * 2, (reused, fallbacks)


def test_heads_follow_a_long_drift_of_the_statistics(index, monkeypatch) -> None:
    """serve's edits move the averages a little each time, always the same way over a long
    session: the shortcut measures each move from the last rechoice (not from the basis),
    so it keeps holding (the basis kept, no posting scored again: full scoring is the only
    caller of every_candidate) while the head is still the full scoring's at every step."""
    postings, stats, starts, big = index
    scored = []
    real = heads.every_candidate
    monkeypatch.setattr(heads, "every_candidate", lambda *a: scored.append(1) or real(*a))
    steps = shortcuts = 0
    for term in big[:20]:
        record = postings[term].encode()
        _, basis = heads.head_postings(postings[term], stats, starts, record, SIZE)
        totals = list(stats.length_totals)
        for step in range(40):
            totals = [t * (1 + 2e-4) + step % 3 for t in totals]
            moved = IndexStats(stats.count, totals)
            full, _ = heads.head_postings(postings[term], moved, starts, record, SIZE)
            del scored[:]
            last = basis
            head, basis = heads.choose_head(postings[term], moved, starts, record, basis, SIZE)
            assert _plain(head) == _plain(full), (term, step)
            assert (basis is last) == (not scored), (term, step)  # kept, or scored afresh
            steps += 1
            shortcuts += basis is last
    assert shortcuts > steps * 0.25, (shortcuts, steps)


def test_basis_not_used_for_other_postings(index) -> None:
    postings, stats, starts, big = index
    first, second = big[0], big[1]
    kept, basis = heads.head_postings(postings[first], stats, starts, b"", SIZE)
    plain, none = heads.head_postings(postings[first], stats, starts, keep_basis=False, size=SIZE)
    assert none is None and _plain(plain) == _plain(kept)  # a cold build keeps no basis
    record = postings[second].encode()
    head, used = heads.choose_head(postings[second], stats, starts, record, basis, SIZE)
    full, _ = heads.head_postings(postings[second], stats, starts, record, SIZE)
    assert used is not basis and _plain(head) == _plain(full)


def test_score_shift_bounds_every_weight_change() -> None:
    """The bound of bm25.score_shift holds for any count and length, checked against
    postings.bm25 itself (the float operations of lunr.js) on random statistics."""
    rng = random.Random(11)
    for _ in range(3000):
        count = rng.randint(2, 200_000)
        with_term = rng.randint(1, count)
        averages = [rng.uniform(1, 500) for _ in FIELDS]
        at = Scale(with_term, count, tuple(averages))
        # An added or deleted document may hold the term too.
        new_with = max(1, with_term + rng.choice([0, 0, 1, -1, 3]))
        new_count = max(with_term, new_with, count + rng.choice([0, 1, -1, 5]))
        factor = 1 + rng.uniform(-0.2, 0.2) * rng.choice([1e-4, 1e-2, 1])
        totals = [a * factor * new_count for a in averages]
        stats = IndexStats(new_count, totals)  # type: ignore[arg-type]
        shift = score_shift(at, stats, new_with)
        old_idf, new_idf = idf(with_term, count), idf(new_with, new_count)
        change = 0.0
        for f, spec in enumerate(FIELDS):
            tf, length = rng.randint(1, 40), rng.randint(1, 5000)
            before = bm25(old_idf, tf, length, averages[f], spec.boost)
            after = bm25(new_idf, tf, length, stats.average(f), spec.boost)
            change += abs(after - before)
        assert change <= shift


@pytest.mark.parametrize("together", [False, True])
def test_bases_follow_added_deleted_and_edited_documents(
    reuters_source: Path, together: bool
) -> None:
    """serve's changes to documents that hold a big term (publish the newest, in a new year
    too, retract it, edit one in the middle, add and delete one in the middle): the basis
    follows the changed documents and gives the full scoring's head; it is not thrown away."""
    archive = load_archive(Config(timezone="UTC"), reuters_source)
    oldest = list(archive.articles)[::-1]
    by_age = [document_terms(a, ENGLISH) for a in oldest]
    slots = document_slots(oldest)
    starts = _starts(oldest, slots)
    state = PostingsState()
    update_postings(state, by_age, slots)
    big = sorted(state.postings, key=lambda t: (-state.postings[t].with_term, t))[:40]
    bases = {}
    for term in big:
        record = state.records[term]
        _, bases[term] = heads.head_postings(
            state.postings[term], state.stats, starts, record, SIZE
        )
    later = slots[-1] + 10**8  # three years on
    new_year = [*starts, (starts[-1][0] + 1, later)]
    # A gap between two slots in the middle, for a back-filled article.
    gap = next(i for i in range(len(slots) // 2, len(slots)) if slots[i + 1] - slots[i] > 1)
    mid = len(slots) // 3
    steps = [
        ("publish", [*by_age, by_age[len(by_age) // 2]], [*slots, slots[-1] + 60], starts),
        ("retract", by_age, slots, starts),
        ("publish in a new year", [*by_age, by_age[3]], [*slots, later], new_year),
        ("retract it", by_age, slots, starts),
        ("edit", [*by_age[:300], by_age[10], *by_age[301:]], slots, starts),
        ("edit back", by_age, slots, starts),
        (
            "add in the middle",
            [*by_age[: gap + 1], by_age[7], *by_age[gap + 1 :]],
            [*slots[: gap + 1], slots[gap] + 1, *slots[gap + 1 :]],
            starts,
        ),
        ("delete it", by_age, slots, starts),
        (
            "delete in the middle",
            by_age[:mid] + by_age[mid + 1 :],
            slots[:mid] + slots[mid + 1 :],
            starts,
        ),
        ("add it back", by_age, slots, starts),
    ]
    followed = 0
    for name, documents, numbers, years in steps:
        update_postings(state, documents, numbers)
        assert state.changed is not None and len(state.changed) == 1, name
        if together:  # as serve's shard_files asks: every big term at once
            items = [(state.postings[t], state.records[t], bases[t]) for t in big]
            chosen = heads.choose_heads(items, state.stats, years, state.changed, SIZE)
            for term, (head, used) in zip(big, chosen, strict=True):
                postings, record = state.postings[term], state.records[term]
                full, _ = heads.head_postings(postings, state.stats, years, record, SIZE)
                assert _plain(head) == _plain(full), (name, term)
                followed += used is bases[term] and used.record == record
                bases[term] = used
            continue
        for term in big:
            postings, record = state.postings[term], state.records[term]
            full, _ = heads.head_postings(postings, state.stats, years, record, SIZE)
            basis = bases[term]
            head, used = heads.choose_head(
                postings, state.stats, years, record, basis, SIZE, changed=state.changed
            )
            assert _plain(head) == _plain(full), (name, term)
            followed += used is basis and basis.record == record
            bases[term] = used
    assert followed > len(big) * len(steps) * 0.9, followed


def test_candidate_scores_are_bm25_bit_for_bit() -> None:
    """Rescoring candidates in numpy (Candidates.scores) gives the very floats of bm25
    summed in field order, as _score_all (and lunr.js) adds them, for random postings."""
    rng = random.Random(23)
    for _ in range(200):
        slots = sorted(rng.sample(range(10_000), rng.randint(1, 300)))
        postings = TermPostings([], [], [])
        for _f in FIELDS:
            held = sorted(s for s in slots if rng.random() < 0.6)
            postings.slots.append(held)
            postings.counts.append([rng.randint(1, 60) for _ in held])
            postings.lengths.append([rng.randint(1, 3000) for _ in held])
        slots = sorted({s for f in postings.slots for s in f})
        if not slots:
            continue
        count = rng.randint(len(slots), 200_000)
        term_idf = idf(postings.with_term, count)
        averages = [rng.uniform(0.5, 900) for _ in FIELDS]
        got = candidates.scores(
            candidates.candidates_of(postings, slots), term_idf, averages
        ).tolist()
        want = []
        for slot in slots:
            total = None
            for f, spec in enumerate(FIELDS):
                if slot in postings.slots[f]:
                    i = postings.slots[f].index(slot)
                    w = bm25(
                        term_idf,
                        postings.counts[f][i],
                        postings.lengths[f][i],
                        averages[f],
                        spec.boost,
                    )
                    total = w if total is None else total + w
            want.append(total)
        assert got == want


def _old_head(postings: TermPostings, stats: IndexStats, size: int, keep_basis: bool) -> tuple:
    """head_postings as it was in Python (a dict of scores, heapq), for comparison: the
    head's postings, found, and with a basis its candidates' slots, chosen mask and cutoff."""
    term_idf = idf(postings.with_term, stats.count)
    score: dict[int, float] = {}
    order: dict[int, int] = {}
    for f, spec in enumerate(FIELDS):
        for slot, tf, length in zip(
            postings.slots[f], postings.counts[f], postings.lengths[f], strict=True
        ):
            w = bm25(term_idf, tf, length, stats.average(f), spec.boost)
            if slot in score:
                score[slot] += w
            else:
                score[slot], order[slot] = w, f * candidates.ORDER_SPAN - slot
    ranked = sorted((-score[s], order[s], s) for s in score)
    ranked = ranked[: heads.BASIS_MOST * size + 1 if keep_basis else size]
    chosen = {slot for _, _, slot in ranked[:size]}
    head = [
        [[x for s, x in zip(slots, xs, strict=True) if s in chosen] for xs in lists]
        for slots, lists in zip(
            postings.slots,
            zip(postings.slots, postings.counts, postings.lengths, strict=True),
            strict=True,
        )
    ]
    out: tuple = (head, len(score))
    if keep_basis:
        keep = min(heads.BASIS_FACTOR * size, len(ranked))
        if keep > size:
            floor = -ranked[size - 1][0] - heads.BASIS_MARGIN
            while keep < heads.BASIS_MOST * size and keep < len(ranked):
                if -ranked[keep][0] < floor:
                    break
                keep += 1
        best = sorted(slot for _, _, slot in ranked[:keep])
        cutoff = -ranked[keep][0] if len(ranked) > keep else float("-inf")
        out += (best, [s in chosen for s in best], cutoff)
    return out


@pytest.mark.parametrize("keep_basis", [False, True])
def test_head_postings_equal_the_python_scoring(index, keep_basis: bool) -> None:
    """head_postings scores in numpy (every_candidate, scores, lexsort): the very heads,
    counts and bases of the Python scoring it replaced, on Reuters terms and random ones."""
    postings, stats, starts, big = index
    rng = random.Random(31)
    cases = [(postings[t], stats) for t in big]
    for _ in range(100):
        p = TermPostings([], [], [])
        pool = sorted(rng.sample(range(5_000), rng.randint(1, 400)))
        for _f in FIELDS:
            held = [s for s in pool if rng.random() < 0.5]
            p.slots.append(held)
            p.counts.append([rng.choice((1, 1, 2, 3)) for _ in held])  # many ties
            p.lengths.append([rng.choice((10, 20, 300)) for _ in held])
        if p.with_term:
            cases.append((p, IndexStats(6_000, [60_000, 900_000, 12_000])))
    for p, at in cases:
        head, basis = heads.head_postings(p, at, starts, b"", SIZE, keep_basis=keep_basis)
        got: tuple = ([head.postings.slots, head.postings.counts, head.postings.lengths],)
        got += (head.found,)
        if keep_basis:
            assert basis is not None
            c = basis.candidates
            assert c.chosen is not None
            got += (c.slots.tolist(), c.chosen.tolist(), basis.cutoff)
            made = candidates.candidates_of(p, c.slots.tolist())
            assert c.order.tolist() == made.order.tolist()
            assert (c.counts == made.counts).all() and (c.lengths == made.lengths).all()
        want = _old_head(p, at, SIZE, keep_basis)
        assert got[1:] == want[1:]
        assert [list(x) for x in zip(*want[0], strict=True)] == got[0]  # fields × lists


def test_union_of_ascending_slots_is_numpys_unique() -> None:
    """every_candidate merges each field's slots (ascending, no repeats) in linear time:
    the very array np.unique makes of them all, including empty and disjoint fields."""
    rng = np.random.default_rng(5)
    for _ in range(2_000):
        held = [
            np.unique(rng.integers(0, rng.integers(1, 80), rng.integers(0, 50)))
            for _ in range(rng.integers(0, 5))
        ]
        want = np.unique(np.concatenate(held)) if held else np.zeros(0, dtype=np.int64)
        got = candidates.union(held)
        assert got.dtype == np.int64
        assert got.tolist() == want.tolist()
        assert not any(np.shares_memory(got, h) for h in held)  # a new array, as np.unique's
