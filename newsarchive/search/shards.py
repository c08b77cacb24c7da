"""Posting shards: the sorted terms cut into files of about the same size, each loaded only
when a query needs its terms; the biggest terms get a head (:mod:`.heads`) too, and every
term is listed in one file for the queries whose matches a range cannot tell."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from ..chunking import cut_sized, hash_fraction
from .hashed import HashedFiles
from .heads import HEAD_SIZE, HeadMemo, choose_head, head_postings
from .postings import IndexStats, TermPostings
from .scripts import b64, data_script, js_string
from .textpipe import from_code_units

SHARD_DIR = "search/p/"
HEAD_DIR = "search/h/"
TERMS_PREFIX = "search/terms-"

# Posting shards aim at a mean size (encoded bytes, before base64 and gzip) of the power of two
# nearest sqrt(ENTRY_BYTES_PER_SHARD * all postings), within these bounds: a rare word then
# costs about as much in its shard as in the entry's table of shards (about 12 gzipped bytes
# per shard), which minimises their sum. 8 kB for 20,000 Reuters articles, 16 kB for 100,000.
SHARD_TARGET_MIN = 4_096
SHARD_TARGET_MAX = 65_536
ENTRY_BYTES_PER_SHARD = 12


def shard_target(total: int) -> int:
    """The mean shard size for ``total`` bytes of postings (see SHARD_TARGET_MIN).

    A power of two, so it changes only when the index doubles or halves; and since a cut point
    at one target is also one at half of it (:func:`_cut_point`), doubling it keeps half of
    the boundaries.
    """
    ideal = math.sqrt(ENTRY_BYTES_PER_SHARD * max(total, 1))
    target = 1 << round(math.log2(ideal))
    return min(max(target, SHARD_TARGET_MIN), SHARD_TARGET_MAX)


def _cut_point(term: str, size: int, target: int) -> bool:
    """Whether a shard ends after ``term``: with probability size / target, decided by a hash
    of the term, so the decision depends on no other term."""
    return _term_fraction(term) < size / target


@functools.lru_cache(maxsize=1 << 20)  # serve rebuilds ask again for the same terms
def _term_fraction(term: str) -> float:
    return hash_fraction(term.encode("utf-16-le", "surrogatepass"))


def cut_shards(terms: Sequence[str], sizes: Sequence[int], target: int) -> list[range]:
    """Split sorted terms into runs (ranges of positions) of about ``target`` bytes.

    Content-defined: a run ends after a term chosen by :func:`_cut_point`, so inserting or
    removing a term changes at most the run that holds it (and a neighbour when that term
    was a cut point). A term of at least half the target has a shard of its own, so a common
    word never brings others along; no run grows beyond twice the target.
    """
    size = np.asarray(sizes, dtype=np.int64)
    big = 2 * size >= target
    ends = big.copy()
    ends[:-1] |= big[1:]
    fractions = np.fromiter(map(_term_fraction, terms), dtype=np.float64, count=len(terms))
    ends |= fractions < size / target  # as _cut_point, each term at once
    return cut_sized(ends, sizes, 2 * target)


def separator(previous: str, first: str) -> str:
    """The shortest prefix of ``first`` that sorts after ``previous`` (which sorts before it).

    The entry names each shard by it instead of its first term: the shard holds the terms
    from its separator up to the next one's.
    """
    for length in range(1, len(first) + 1):
        if first[:length] > previous:
            return first[:length]
    return first


def shard_files(
    writer: HashedFiles,
    heads: HeadMemo,
    postings: Mapping[str, TermPostings],
    stats: IndexStats,
    encoded: dict[str, bytes],
    starts: list[tuple[int, int]],
    terms: list[str],
) -> tuple[list[list[str]], str]:
    """Posting shards (and heads of the biggest terms), the term list; the entry's table.
    ``starts``: (year, first slot) of each year (a head counts its documents by year);
    ``terms``: the postings' terms sorted (code-unit form: JavaScript's string order)."""
    records = [encoded[t] for t in terms]
    sizes = [len(r) for r in records]
    stats_key = (stats.count, *stats.length_totals, tuple(starts))
    target = shard_target(sum(sizes))
    table = []
    for run in cut_shards(terms, sizes, target):
        first = "" if not table else separator(terms[run[0] - 1], terms[run[0]])
        key = writer.add(
            SHARD_DIR,
            _shard_script(terms, records, run),
            inputs=(tuple(terms[p] for p in run), tuple(records[p] for p in run)),
        )
        row = [from_code_units(first), key]
        term = terms[run[0]]
        if len(run) == 1 and 2 * sizes[run[0]] >= target:
            head = _head_file(
                writer, heads, term, postings[term], stats, starts, stats_key, records[run[0]]
            )
            if head:
                row.append(head)
        table.append(row)
    terms_key = writer.add(
        TERMS_PREFIX,
        lambda k: data_script("NewsArchiveSearch.addTerms", [from_code_units(t) for t in terms]),
        inputs=tuple(terms),
    )
    return table, terms_key


def _shard_script(terms: list[str], records: list[bytes], run: range) -> Callable[[str], bytes]:
    """The ``make`` of a shard file for :meth:`.HashedFiles.add`: its data is put together only
    when the file is new (in serve, for the few shards a change touches), and once."""
    data: list[Any] = []

    def make(key: str) -> bytes:
        if not data:
            data.append([from_code_units(terms[p]) for p in run])
            data.append(b64(b"".join(records[p] for p in run)))
        return data_script("NewsArchiveSearch.addShard", data, js_string(key))

    return make


def _head_file(
    writer: HashedFiles,
    heads: HeadMemo,
    term: str,
    postings: TermPostings,
    stats: IndexStats,
    starts: Sequence[tuple[int, int]],
    stats_key: tuple[Hashable, ...],
    record: bytes,
) -> str | None:
    """The head file of a big term (None when its postings fit in a head anyway)."""
    inputs = (term, record, stats_key)
    found = writer.memo.get((HEAD_DIR, inputs))
    if found is not None and not found[0]:
        writer.kept[(HEAD_DIR, inputs)] = found
        return None
    if found is None:
        if heads.remember:
            basis = heads.bases.get(term)
            head, basis = choose_head(postings, stats, starts, record, basis, changed=heads.changed)
            heads.kept[term] = basis
        else:
            head, basis = head_postings(postings, stats, starts, keep_basis=False)
        if head.found <= HEAD_SIZE:
            writer.kept[(HEAD_DIR, inputs)] = ("", "", b"")
            return None
        data = [
            from_code_units(term),
            head.found,
            head.years,
            postings.with_term,
            basis.encode(head.postings) if basis else b64(head.postings.encode()),
        ]
    else:
        data = []
        if term in heads.bases:
            heads.kept[term] = heads.bases[term]

    def make(key: str) -> bytes:
        return data_script("NewsArchiveSearch.addHead", data, js_string(key))

    return writer.add(HEAD_DIR, make, inputs=inputs)
