"""A one-off build's postings, collected packed: the index was most of a cold build's peak.

:func:`.postings.collect_postings` keeps, per term, nine lists (three per field) and ``serve``
needs them as they are, to patch them. A build with no next one only needs each term's
encoded record (what the shard files hold) and, for the few biggest terms, postings to choose
a head from. So here the documents' terms are numbered (:mod:`.termnumbers`) and counted
CHUNK documents at a time in numpy; each chunk's postings (term and field, document, count:
8 bytes a posting) go to BUCKETS buckets by term number; then each bucket's terms are
encoded at once to the very bytes :meth:`.postings.TermPostings.encode` makes
(:mod:`.leb128`), and dropped. :class:`DecodedPostings` gives the postings of a head's term
back from its record. A Python loop per posting and per number was 2.8 of the search stage's
4 CPU seconds at 20,841 articles.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np

from . import leb128
from .documents import FIELDS
from .language import Language
from .postings import IndexStats, TermPostings
from .termnumbers import TermNumbers

CHUNK = 2_048  # documents counted at once (their numbers in a chunk fit 16 bits)
BUCKETS = 64  # postings by term number modulo this, encoded a bucket at a time
BATCH = 1 << 18  # postings of a bucket encoded at once (more for a bigger term)

# One bucket's postings from one chunk: term number * fields + field (ascending), the
# document's number in the chunk, the term's count there; and the chunk's first document.
_Piece = tuple[np.ndarray, np.ndarray, np.ndarray, int]


def collect_records(
    documents: Iterable[tuple[Sequence[str], Language]], slots: Sequence[int]
) -> tuple[dict[str, bytes], IndexStats]:
    """Every term's encoded postings (in the order :func:`.postings.collect_postings` finds
    the terms) from each document's field texts (:func:`.documents.field_texts`) and its
    language, oldest first, at ``slots`` (ascending). ``documents`` may be a generator:
    only CHUNK documents' terms are held at once."""
    numbers = TermNumbers()
    buckets: list[list[_Piece]] = [[] for _ in range(BUCKETS)]
    lengths: list[np.ndarray] = []  # per chunk: each document's field lengths
    found, sizes = array("i"), array("I")
    count = 0
    for texts, language in documents:
        for text in texts:
            terms = numbers.field(text, language)
            found.extend(terms)
            sizes.append(len(terms))
        count += 1
        if count % CHUNK == 0:
            lengths.append(_counted(found, sizes, count - CHUNK, buckets))
            found, sizes = array("i"), array("I")
    if sizes:
        lengths.append(_counted(found, sizes, count - count % CHUNK, buckets))
    assert count == len(slots), "a slot for every document"
    nfields = len(FIELDS)
    every = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64)
    totals = every.reshape(-1, nfields).sum(axis=0, dtype=np.int64).tolist()
    stats = IndexStats(count, totals if count else [0] * nfields)
    records: list[bytes] = [b""] * len(numbers.terms)
    at = np.asarray(slots, dtype=np.int64)
    for k, pieces in enumerate(buckets):
        buckets[k] = []  # freed as the records grow
        _encoded(pieces, k, len(numbers.terms), at, every, records)
    return dict(zip(numbers.terms, records, strict=True)), stats


def _counted(
    found: array[int], sizes: array[int], first: int, buckets: list[list[_Piece]]
) -> np.ndarray:
    """Count one chunk's terms (their numbers ``found``, ``sizes`` a field) into pieces of
    ``buckets``; each of its documents' field lengths (terms not DROPPED, in a row)."""
    nfields = len(FIELDS)
    terms = np.frombuffer(found, dtype=np.int32)
    # Where each term is: its document's number in the chunk * fields + its field.
    cells = np.repeat(np.arange(len(sizes), dtype=np.int32), np.frombuffer(sizes, dtype=np.uint32))
    kept = terms >= 0
    terms, cells = terms[kept], cells[kept]
    lengths = np.bincount(cells, minlength=len(sizes)).astype(np.uint32)
    keys = (terms.astype(np.int64) * nfields + cells % nfields) << 32 | cells // nfields
    keys, counts = np.unique(keys, return_counts=True)  # by term and field, then document
    wide = counts.max(initial=0) >= 1 << 16
    counts = counts.astype(np.uint32 if wide else np.uint16)
    term_fields = (keys >> 32).astype(np.uint32)
    bucket = term_fields // nfields % BUCKETS
    order = np.argsort(bucket, kind="stable")
    bounds = np.searchsorted(bucket[order], np.arange(BUCKETS + 1)).tolist()
    documents = (keys & 0xFFFF).astype(np.uint16)
    for k in range(BUCKETS):
        if bounds[k] < bounds[k + 1]:
            rows = order[bounds[k] : bounds[k + 1]]
            buckets[k].append((term_fields[rows], documents[rows], counts[rows], first))
    return lengths


def _encoded(
    pieces: list[_Piece],
    k: int,
    nterms: int,
    slots: np.ndarray,
    lengths: np.ndarray,
    records: list[bytes],
) -> None:
    """The records of the terms numbered ``k`` modulo BUCKETS, from their ``pieces`` (in
    document order), BATCH postings or so at a time (each takes some 150 bytes a posting
    while it is encoded)."""
    mine = range(k, nterms, BUCKETS)
    if not mine:
        return
    nfields = len(FIELDS)
    keys = np.concatenate([p[0] for p in pieces])
    order = np.argsort(keys, kind="stable")  # by term and field; each in document order
    keys = keys[order]
    documents = np.concatenate([p[1].astype(np.int64) + p[3] for p in pieces])[order]
    counts = np.concatenate([p[2] for p in pieces])[order]
    del order
    terms = (keys // nfields - k) // BUCKETS  # the term's place in ``mine``
    starts = np.searchsorted(terms, np.arange(len(mine) + 1)).tolist()
    first = 0
    while first < len(mine):
        last = bisect.bisect_right(starts, starts[first] + BATCH) - 1
        last = min(max(last, first + 1), len(mine))
        run = slice(starts[first], starts[last])
        made = _records(
            terms[run] - first, keys[run] % nfields, documents[run], counts[run], slots, lengths
        )
        for i, record in enumerate(made, first):
            records[mine[i]] = record
        first = last


def _records(
    terms: np.ndarray,
    fields: np.ndarray,
    documents: np.ndarray,
    counts: np.ndarray,
    slots: np.ndarray,
    lengths: np.ndarray,
) -> list[bytes]:
    """The records of terms 0, 1, ... (each with a posting at least) from their postings,
    by term and field, then document: :meth:`.postings.TermPostings.encode`'s layout, per
    term and field the count, the slots' gaps (:func:`.postings.deltas`), the counts and
    the field lengths."""
    nfields = len(FIELDS)
    groups = terms * nfields + fields  # each term's fields
    sizes = np.bincount(groups, minlength=(int(terms[-1]) + 1) * nfields)
    firsts = np.cumsum(sizes) - sizes
    ranks = np.arange(len(groups)) - firsts[groups]
    widths = 1 + 3 * sizes  # a field: its count, then gaps, counts and lengths
    heads = np.cumsum(widths) - widths
    values = np.empty(int(heads[-1] + widths[-1]), dtype=np.uint64)
    values[heads] = sizes
    at = slots[documents]
    previous = np.concatenate(([-1], at[:-1]))
    previous[ranks == 0] = -1
    place = heads[groups] + 1 + ranks
    values[place] = at - previous - 1
    place += sizes[groups]
    values[place] = counts
    place += sizes[groups]
    values[place] = lengths[documents * nfields + fields]
    data, starts = leb128.encode(values)
    bounds = starts[np.append(heads[::nfields], len(values))].tolist()
    return [data[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]


def decoded(record: bytes) -> TermPostings:
    """The postings :meth:`.postings.TermPostings.encode` made ``record`` from."""
    numbers = leb128.decode(record).astype(np.int64)
    out = TermPostings([], [], [])
    at = 0
    for _ in FIELDS:
        n = int(numbers[at])
        gaps = numbers[at + 1 : at + 1 + n]
        out.slots.append((np.cumsum(gaps + 1) - 1).tolist())
        out.counts.append(numbers[at + 1 + n : at + 1 + 2 * n].tolist())
        out.lengths.append(numbers[at + 1 + 2 * n : at + 1 + 3 * n].tolist())
        at += 1 + 3 * n
    return out


class DecodedPostings(Mapping[str, TermPostings]):
    """Postings by term, decoded from the records when asked for (the shards ask for those
    of the few terms that get a head)."""

    def __init__(self, records: dict[str, bytes]):
        self.records = records

    def __getitem__(self, term: str) -> TermPostings:
        return decoded(self.records[term])

    def __iter__(self) -> Iterator[str]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)
