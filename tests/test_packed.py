"""The packed postings of a one-off build: the same records as the postings serve keeps,
and records that decode back to those postings."""

from __future__ import annotations

import random

import pytest

from newsarchive.search.packed import DecodedPostings, collect_records, decoded
from newsarchive.search.postings import DocumentTerms, TermPostings, collect_postings, field_terms
from newsarchive.search.textpipe import ENGLISH

WORDS = "oil wheat bank rates crude trade gold zinc cocoa shares market prices".split()


def _documents(count: int, seed: int) -> list[DocumentTerms]:
    """Title, body and tags texts of random words: terms in one field, two or all three."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        title = " ".join(rng.choices(WORDS, k=rng.randint(1, 4)))
        body = " ".join(rng.choices(WORDS, k=rng.randint(0, 40)))
        tags = " ".join(rng.choices(WORDS[:3], k=rng.randint(0, 2)))
        texts.append(field_terms((title, body, tags), ENGLISH))
    return texts


@pytest.mark.parametrize("base", [0, 3_000_000_000, 5_000_000_000])  # 32- and 64-bit slots
def test_records_are_the_encoded_postings(base: int) -> None:
    by_age = _documents(300, seed=base)
    slots = [base + 7 * n + n % 3 for n in range(len(by_age))]
    postings, stats = collect_postings(by_age, slots)
    records, packed_stats = collect_records(iter(by_age), slots)  # a generator is enough
    assert records == {term: p.encode() for term, p in postings.items()}
    assert list(records) == list(postings)  # terms in the same (first seen) order
    assert (packed_stats.count, packed_stats.length_totals) == (300, stats.length_totals)
    lookup = DecodedPostings(records)
    assert len(lookup) == len(postings) and list(lookup) == list(postings)
    for term, p in postings.items():
        back = lookup[term]
        assert _fields(back) == _fields(p)


def _fields(p: TermPostings) -> tuple[list[list[int]], ...]:
    """The postings' values, whether kept as tuples (serve's, collect_postings) or lists."""
    return tuple([list(values) for values in lists] for lists in (p.slots, p.counts, p.lengths))


def test_decoded_reads_multi_byte_varints() -> None:
    by_age = _documents(3, seed=1)
    slots = [0, 200, 70_000]  # gaps of one, two and three varint bytes
    postings, _ = collect_postings(by_age, slots)
    for p in postings.values():
        again = decoded(p.encode())
        assert _fields(again) == _fields(p)
