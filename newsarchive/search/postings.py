"""A lunr index's postings, as the sharded index stores them: per term and field, the
documents (by slot) that hold the term, its frequency there and the field's length.

Kept apart from the file layout (:mod:`.shards`) because ``serve`` updates them in place
(:func:`update_postings`) and the head selection (:mod:`.heads`) scores them.
"""

from __future__ import annotations

import bisect
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..changes import differing, unchanged_ends
from ..model import Article
from .documents import FIELDS, field_texts
from .leb128 import varints
from .textpipe import Language


def deltas(numbers: Sequence[int]) -> list[int]:
    """Gaps between ascending numbers minus one (the first counted from -1): all >= 0."""
    out, previous = [], -1
    for n in numbers:
        out.append(n - previous - 1)
        previous = n
    return out


@dataclass
class TermPostings:
    """One term's postings: per field, the documents (by slot) that hold it, with the term's
    count in that field and the field's length there.

    Weights are not stored: search-core.js computes lunr's BM25 weight of each posting from
    these, the document count and the average field lengths, exactly as lunr.js's Builder
    does (:func:`.bm25.bm25`). Baked weights would depend on every document (through the average
    length and the document count), so any edit would change every shard; these change only
    with the documents that hold the term. Documents are named by slot (a number made from
    the article's own date, ascending with it: :func:`.slots.document_slots`),
    so adding or removing an article anywhere changes only the postings of its own terms.
    """

    slots: list[Sequence[int]]  # per field, ascending
    counts: list[Sequence[int]]  # per field, the term's frequency, parallel to slots
    lengths: list[Sequence[int]]  # per field, the field's length in terms, parallel to slots

    def frozen(self) -> TermPostings:
        """Itself with tuples per field, as serve keeps it: lists (an empty one for each field
        without the term; most terms are in few documents) were 81 MB of 720 at 20,841."""
        self.slots, self.counts, self.lengths = (
            list(map(tuple, lists)) for lists in (self.slots, self.counts, self.lengths)
        )
        return self

    def encode(self) -> bytes:
        out = bytearray()
        for f in range(len(self.slots)):
            self.encode_field(f, out)
        return bytes(out)

    def encode_field(self, f: int, out: bytearray) -> None:
        slots = self.slots[f]
        varints((len(slots),), out)
        varints(deltas(slots), out)
        varints(self.counts[f], out)
        varints(self.lengths[f], out)

    def encode_from(
        self, old: TermPostings, record: bytes, changed: tuple[int, int] | None = None
    ) -> bytes:
        """:meth:`encode`, taking the bytes of each field whose lists are ``old``'s very
        lists from ``old``'s ``record``: a title edit re-encodes the title postings of
        its terms, not their thousands of body postings. ``changed``: the lowest and
        highest slot whose postings may differ from ``old``'s; then a field that differs
        is re-encoded only between them, the rest of its bytes taken from ``record`` (a
        new article's body postings of a common word are one more at the end)."""
        if len(record) < REENCODE_WHOLE:
            return self.encode()
        # The last byte of each varint; a field's part is its count, then 3 per posting.
        last_bytes = np.flatnonzero(np.frombuffer(record, dtype=np.uint8) < 0x80)
        out = bytearray()
        start = varint = 0
        for f, slots in enumerate(old.slots):
            first = varint  # the field's count varint
            varint += 1 + 3 * len(slots)
            end = int(last_bytes[varint - 1]) + 1
            same = self.slots[f] is slots and self.counts[f] is old.counts[f]
            if same and self.lengths[f] is old.lengths[f]:
                out += record[start:end]
            elif changed is not None:
                self._splice_field(f, old, record, last_bytes, first, changed, out)
            else:
                self.encode_field(f, out)
            start = end
        return bytes(out)

    def _splice_field(
        self,
        f: int,
        old: TermPostings,
        record: bytes,
        last_bytes: np.ndarray,
        first: int,
        changed: tuple[int, int],
        out: bytearray,
    ) -> None:
        """Field ``f`` encoded as :meth:`encode_field` does, where only the postings of
        slots in ``changed`` (inclusive) differ from ``old``'s, whose field starts at
        varint ``first`` of ``record``: the postings before and after those are the same,
        so are their bytes, but for the delta of the first one after (its previous slot
        may have changed)."""

        def at(k: int) -> int:  # where varint k of the record starts
            return int(last_bytes[k - 1]) + 1 if k else 0

        was, slots = old.slots[f], self.slots[f]
        m, n = len(was), len(slots)
        head = bisect.bisect_left(was, changed[0])
        tail = m - bisect.bisect_right(was, changed[1])
        varints((n,), out)
        out += record[at(first + 1) : at(first + 1 + head)]
        previous = slots[head - 1] if head else -1
        for slot in slots[head : n - tail + 1 if tail else n]:
            varints((slot - previous - 1,), out)
            previous = slot
        if tail:
            out += record[at(first + 1 + m - tail + 1) : at(first + 1 + m)]
        for part, lists in ((1, self.counts[f]), (2, self.lengths[f])):
            begin = first + 1 + part * m
            out += record[at(begin) : at(begin + head)]
            varints(lists[head : n - tail], out)
            out += record[at(begin + m - tail) : at(begin + m)]

    @property
    def with_term(self) -> int:
        """lunr.idf's documentsWithTerm: documents counted once per field holding the term."""
        return sum(len(slots) for slots in self.slots)


# One document's fields: (terms in order of first occurrence, their frequencies, length);
# serve keeps every one: dicts were 42 MB of 20,000 articles' 720, these are 21 MB.
DocumentTerms = tuple[tuple[tuple[str, ...], "array[int]", int], ...]


def document_terms(article: Article, language: Language) -> DocumentTerms:
    """The terms lunr.js would index from each field of the article, and the field lengths."""
    return field_terms(field_texts(article), language)


def field_terms(texts: Sequence[str], language: Language) -> DocumentTerms:
    """The terms lunr.js would index from each field's text (:func:`.documents.field_texts`)."""
    out = []
    for text in texts:
        terms = language.terms(text)
        counts = Counter(terms)
        out.append((tuple(counts), array("I", counts.values()), len(terms)))
    return tuple(out)


@dataclass
class IndexStats:
    """What a posting's weight needs besides the posting: lunr's document count and, per
    field, the sum of field lengths (lunr.js divides it by the count for the average)."""

    count: int
    length_totals: list[int]

    def average(self, field: int) -> float:
        return self.length_totals[field] / self.count


def collect_postings(
    by_age: Sequence[DocumentTerms], slots: Sequence[int] | None = None
) -> tuple[dict[str, TermPostings], IndexStats]:
    """Every term's postings from the documents' terms, oldest document first, each named
    by its slot (ascending; by default its age: 0, 1, ...)."""
    postings: dict[str, TermPostings] = {}
    nfields = len(FIELDS)
    totals = [0] * nfields
    for slot, fields in zip(range(len(by_age)) if slots is None else slots, by_age, strict=True):
        for f, (terms, frequencies, length) in enumerate(fields):
            totals[f] += length
            for term, tf in zip(terms, frequencies, strict=True):
                entry = postings.get(term)
                if entry is None:
                    made = ([[] for _ in range(nfields)] for _ in range(3))
                    entry = postings[term] = TermPostings(*made)
                entry.slots[f].append(slot)  # type: ignore[attr-defined]
                entry.counts[f].append(tf)  # type: ignore[attr-defined]
                entry.lengths[f].append(length)  # type: ignore[attr-defined]
    for entry in postings.values():
        entry.frozen()
    return postings, IndexStats(len(by_age), totals)


@dataclass
class PostingsState:
    """The last build's postings, kept by ``serve`` so that a rebuild updates the postings of
    the terms an edit touched instead of collecting them all again.

    Documents are compared by slot and identity (the build reuses the DocumentTerms of
    unchanged files), so finding what changed costs one pass over the list.
    """

    by_age: list[DocumentTerms] = field(default_factory=list)  # oldest first
    slots: list[int] = field(default_factory=list)  # parallel to by_age
    postings: dict[str, TermPostings] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)  # the postings' terms, sorted
    stats: IndexStats = field(default_factory=lambda: IndexStats(0, []))
    records: dict[str, bytes] = field(default_factory=dict)  # encoded postings by term
    # The slots whose documents the last update changed, removed or added, and the terms
    # whose records it changed, added or removed (None: it collected everything).
    changed: frozenset[int] | None = None
    changed_terms: set[str] | None = None
    size: int = 0  # bytes of all records
    serial: int = 0  # updates made: what changed_terms follows (see shards.ShardMemo)


# Past this many changed documents an update costs more than collecting every posting.
UPDATE_LIMIT = 2_000
# Up to this many, a term's postings are patched in place of a copy (see _patched).
FEW_CHANGES = 64
# Records shorter than this are encoded whole again (see TermPostings.encode_from).
REENCODE_WHOLE = 512


def changed_documents(
    old_slots: Sequence[int],
    old: Sequence[DocumentTerms],
    slots: Sequence[int],
    new: Sequence[DocumentTerms],
) -> tuple[list[int], list[int]]:
    """Positions in ``old`` of the documents that went or changed, and in ``new`` of those
    that came or changed: if the lists are not as long, the run between the ends where both
    terms and slots are the very same objects (in C; one there that stayed goes and comes
    back) unless long (a new article retagged a few old ones), else a merge of the slots."""
    if old_slots is slots or old_slots == slots:  # an identity test per document, in C
        changed = differing(old, new)
        return changed, changed
    if len(old_slots) != len(slots):  # documents came or went: one run between same ends
        heads, tails = zip(unchanged_ends(old, new), unchanged_ends(old_slots, slots), strict=True)
        head, tail = min(heads), min(tails)
        if len(new) - tail - head <= UPDATE_LIMIT:
            return list(range(head, len(old) - tail)), list(range(head, len(new) - tail))
    gone: list[int] = []
    came: list[int] = []
    i = j = 0
    while i < len(old_slots) or j < len(slots):
        if j == len(slots) or (i < len(old_slots) and old_slots[i] < slots[j]):
            gone.append(i)
            i += 1
        elif i == len(old_slots) or slots[j] < old_slots[i]:
            came.append(j)
            j += 1
        else:
            if old[i] is not new[j]:
                gone.append(i)
                came.append(j)
            i += 1
            j += 1
    return gone, came


def update_postings(
    state: PostingsState, by_age: Sequence[DocumentTerms], slots: Sequence[int] | None = None
) -> tuple[dict[str, TermPostings], IndexStats, dict[str, bytes]]:
    """The postings, stats and encoded records of ``by_age`` (oldest first, at ``slots``;
    by default their ages), from ``state`` (the previous documents' ones) where the
    documents are the same; ``state`` is updated in place."""
    slots = list(range(len(by_age))) if slots is None else list(slots)
    old, old_slots = state.by_age, state.slots
    gone, came = changed_documents(old_slots, old, slots, by_age)
    if len(gone) + len(came) > 2 * UPDATE_LIMIT or not state.stats.length_totals:
        postings, stats = collect_postings(by_age, slots)
        records = {term: p.encode() for term, p in postings.items()}
        state.changed, state.terms = None, sorted(postings)
        state.changed_terms, state.size = None, sum(map(len, records.values()))
    else:
        postings, records = state.postings, state.records
        totals = list(state.stats.length_totals)
        gone_slots = {old_slots[i] for i in gone}
        state.changed = frozenset(gone_slots.union(slots[j] for j in came))
        state.changed_terms = moved = set()
        touched: set[str] = set()
        fresh: dict[str, list[tuple[int, int, int, int]]] = {}  # term -> (f, slot, tf, len)
        for i in gone:
            for f, (terms_was, _, length) in enumerate(old[i]):
                totals[f] -= length
                touched.update(terms_was)
        for j in came:
            for f, (terms_now, frequencies, length) in enumerate(by_age[j]):
                totals[f] += length
                for term, tf in zip(terms_now, frequencies, strict=True):
                    fresh.setdefault(term, []).append((f, slots[j], tf, length))
        touched.update(fresh)
        nfields = len(FIELDS)
        few = len(gone) + len(came) <= FEW_CHANGES
        bounds = (min(state.changed), max(state.changed)) if state.changed else None
        terms = state.terms  # kept sorted: sorting 100,000 terms again took 25 ms
        for term in touched:
            entry = postings.get(term)
            known = entry is not None
            entry = entry or TermPostings(*([()] * nfields for _ in range(3)))
            was = entry
            entry = (_patched if few else _rebuilt)(entry, gone_slots, fresh.get(term, ()))
            if known and entry == was:  # a changed document's term, as it was (a title edit's body)
                continue
            moved.add(term)
            old = records.pop(term, b"")
            state.size -= len(old)
            if not any(entry.slots):
                if known:
                    del terms[bisect.bisect_left(terms, term)]
                postings.pop(term, None)
                continue
            if not known:
                bisect.insort(terms, term)
            postings[term] = entry
            record = entry.encode_from(was, old, bounds) if known else entry.encode()
            records[term] = record
            state.size += len(record)
        stats = IndexStats(len(by_age), totals)
    state.serial += 1
    state.by_age, state.slots, state.postings, state.stats, state.records = (
        list(by_age),
        slots,
        postings,
        stats,
        records,
    )
    return postings, stats, records


Fresh = Sequence[tuple[int, int, int, int]]  # (field, slot, tf, length) of changed documents


def _rebuilt(entry: TermPostings, gone: set[int], fresh: Fresh) -> TermPostings:
    """``entry`` without the ``gone`` slots, plus ``fresh``: filtered and sorted again."""
    rows = [
        [(a, t, n) for a, t, n in zip(*lists, strict=True) if a not in gone]
        for lists in zip(entry.slots, entry.counts, entry.lengths, strict=True)
    ]
    for f, slot, tf, length in fresh:
        rows[f].append((slot, tf, length))
    for row in rows:
        row.sort()
    return TermPostings(
        [tuple(r[0] for r in row) for row in rows],
        [tuple(r[1] for r in row) for row in rows],
        [tuple(r[2] for r in row) for row in rows],
    )


def _patched(entry: TermPostings, gone: set[int], fresh: Fresh) -> TermPostings:
    """:func:`_rebuilt` for a few changed documents. A field whose postings of them come
    back the same (an edited title's body) keeps its very tuples, which encode_from takes
    as encoded; another is copied, those slots found by bisection, removed and inserted."""
    out = TermPostings([], [], [])
    for f, lists in enumerate(zip(entry.slots, entry.counts, entry.lengths, strict=True)):
        was, counts, lengths = lists
        mine = {(slot, tf, length) for field_, slot, tf, length in fresh if field_ == f}
        at = (bisect.bisect_left(was, slot) for slot in gone)
        removed = {(was[i], counts[i], lengths[i]) for i in at if i < len(was) and was[i] in gone}
        if mine != removed:
            lists = _spliced(lists, gone, sorted(mine))
        for column, values in zip((out.slots, out.counts, out.lengths), lists, strict=True):
            column.append(values)
    return out


def _spliced(
    lists: tuple[Sequence[int], ...], gone: set[int], fresh: list[tuple[int, int, int]]
) -> tuple[tuple[int, ...], ...]:
    """One field's postings without the ``gone`` slots, with ``fresh`` (slot, tf, length)."""
    slots, counts, lengths = map(list, lists)
    for slot in sorted(gone, reverse=True):
        i = bisect.bisect_left(slots, slot)
        if i < len(slots) and slots[i] == slot:
            del slots[i], counts[i], lengths[i]
    for slot, tf, length in fresh:
        i = bisect.bisect_left(slots, slot)
        slots.insert(i, slot)
        counts.insert(i, tf)
        lengths.insert(i, length)
    return tuple(slots), tuple(counts), tuple(lengths)
