"""A one-off build's postings, collected packed: the index was most of a cold build's peak.

:func:`.postings.collect_postings` keeps, per term, nine lists (three per field) and ``serve``
needs them as they are, to patch them. A build with no next one only needs each term's
encoded record (what the shard files hold) and, for the few biggest terms, postings to choose
a head from. So here each term's postings grow as one flat array of machine integers (the
document's number and its frequency and field in one: 8 bytes a posting, where the lists
took 24 plus 750 a term; slots and field lengths are looked up by document number), are
encoded to the very bytes :meth:`.postings.TermPostings.encode` makes, and dropped;
:class:`DecodedPostings` gives the postings of a head's term back from its record.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import compress

from .documents import FIELDS
from .postings import DocumentTerms, IndexStats, TermPostings


def collect_records(
    by_age: Iterable[DocumentTerms], slots: Sequence[int]
) -> tuple[dict[str, bytes], IndexStats]:
    """Every term's encoded postings (in the order :func:`.postings.collect_postings` finds
    the terms) from the documents' terms, oldest first, at ``slots`` (ascending). ``by_age``
    may be a generator: each document's terms are needed only while it is collected."""
    nfields = len(FIELDS)
    flat: dict[str, array[int]] = {}  # per posting: the document's number, tf * nfields + field
    lengths: list[array[int]] = [array("I") for _ in range(nfields)]  # by document number
    totals = [0] * nfields
    count = 0
    for number, (_, fields) in enumerate(zip(slots, by_age, strict=True)):
        count += 1
        for f, (terms, frequencies, length) in enumerate(fields):
            totals[f] += length
            lengths[f].append(length)
            for term, tf in zip(terms, frequencies, strict=True):
                entry = flat.get(term)
                if entry is None:
                    entry = flat[term] = array("I")
                entry.extend((number, tf * nfields + f))
    records = {}
    for term in list(flat):  # freed as the records grow
        records[term] = _unpacked(flat.pop(term), slots, lengths).encode()
    return records, IndexStats(count, totals)


def _unpacked(
    flat: array[int], slots: Sequence[int], lengths: Sequence[array[int]]
) -> TermPostings:
    """A flat array's postings, per field: the documents' slots and field lengths looked up
    by their numbers (a length stored with every posting of its document was a quarter of
    a million-article build's peak)."""
    nfields = len(FIELDS)
    numbers, codes = flat[0::2], flat[1::2]
    fields = [code % nfields for code in codes]
    counts = [code // nfields for code in codes]
    out = TermPostings([], [], [])
    for f in range(nfields):
        present = fields.count(f)
        if present == len(fields):  # all in one field (most terms): no selection
            chosen: Iterable[int] = numbers
            out.counts.append(counts)
        elif not present:
            chosen = ()
            out.counts.append([])
        else:
            mask = [x == f for x in fields]
            chosen = list(compress(numbers, mask))
            out.counts.append(list(compress(counts, mask)))
        out.slots.append(list(map(slots.__getitem__, chosen)))
        out.lengths.append(list(map(lengths[f].__getitem__, chosen)))
    return out


def decoded(record: bytes) -> TermPostings:
    """The postings :meth:`.postings.TermPostings.encode` made ``record`` from."""
    numbers = _varints(record)
    out = TermPostings([], [], [])
    for _ in FIELDS:
        n = next(numbers)
        slots, previous = [], -1
        for _ in range(n):
            previous += next(numbers) + 1
            slots.append(previous)
        out.slots.append(slots)
        out.counts.append([next(numbers) for _ in range(n)])
        out.lengths.append([next(numbers) for _ in range(n)])
    return out


def _varints(data: bytes) -> Iterator[int]:
    """The unsigned LEB128 varints of ``data`` (see :func:`.postings.varints`)."""
    value = shift = 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            yield value
            value = shift = 0


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
