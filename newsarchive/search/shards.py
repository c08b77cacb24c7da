"""Posting shards: the sorted terms cut into files of about the same size, each loaded only
when a query needs its terms; the biggest terms get a head (:mod:`.heads`) too, and every
term is listed in one file for the queries whose matches a range cannot tell."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Hashable, Mapping, Sequence

from .hashed import HashedFiles
from .heads import HEAD_SIZE, Head, HeadBasis, HeadMemo, choose_heads, head_postings
from .postings import IndexStats, PostingsState, TermPostings
from .scripts import b64, data_literal, data_script, js_string
from .shardcuts import ShardMemo, ShardRun, cut_shards, recut
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

    A power of two, so it changes only when the index doubles or halves; and since a cut
    point at one target is also one at half of it (:func:`.shardcuts.cut_point`), doubling
    it keeps half of the boundaries.
    """
    ideal = math.sqrt(ENTRY_BYTES_PER_SHARD * max(total, 1))
    target = 1 << round(math.log2(ideal))
    return min(max(target, SHARD_TARGET_MIN), SHARD_TARGET_MAX)


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
    encoded: Mapping[str, bytes],
    starts: list[tuple[int, int]],
    terms: list[str],
    memo: ShardMemo | None = None,
    update: PostingsState | None = None,
) -> tuple[list[list[str]], str]:
    """Posting shards (and heads of the biggest terms), the term list; the entry's table.
    ``starts``: (year, first slot) of each year (a head counts its documents by year);
    ``terms``: the postings' terms sorted (code-unit form: JavaScript's string order).

    serve (``memo``, the last build's runs, and ``update``, the postings state whose
    records and terms these are) cuts again only around the terms the update changed
    (:func:`.shardcuts.recut`) and keeps the other runs' files."""
    total = update.size if update is not None else sum(map(len, encoded.values()))
    target = shard_target(total)
    changed = update.changed_terms if update is not None else None
    if memo is not None and update is not None and changed is not None:
        follows = memo.serial == update.serial - 1 and memo.target == target
    else:
        follows = False
    if memo is not None and follows:
        plan = recut(terms, encoded, memo.runs, changed or (), target)
    else:
        sizes = list(map(len, map(encoded.__getitem__, terms)))
        plan = [(run, None) for run in cut_shards(terms, sizes, target)]
    stats_key = (stats.count, *stats.length_totals, tuple(starts))
    table = []
    big: list[tuple[list[str], str]] = []  # the rows of terms that may need a head
    runs: list[ShardRun] = []
    kept_files = []
    for run, old in plan:
        term = terms[run.start]
        before = terms[run.start - 1] if run.start else ""
        if old is not None and old.before == before:
            made = old
        else:
            name = from_code_units(separator(before, term)) if run.start else ""
            if old is not None:
                made = dataclasses.replace(old, before=before, separator=name)
            else:
                part = terms[run.start : run.stop]
                key = writer.add(
                    SHARD_DIR,
                    _shard_script(part, encoded),
                    inputs=(tuple(part), tuple(map(encoded.__getitem__, part))),
                )
                path = f"{SHARD_DIR}{key}.js"
                data = writer.files.get(path, b"") if memo is not None else b""
                made = ShardRun(term, len(run), key, (path, data), before, name)
        if old is not None:
            kept_files.append(made.file)
        runs.append(made)
        row = [made.separator, made.key]
        if len(run) == 1 and 2 * len(encoded[term]) >= target:
            big.append((row, term))
        table.append(row)
    _head_files(writer, heads, big, postings, stats, starts, stats_key, encoded)
    writer.put_all(kept_files)
    if memo is not None and update is not None:
        memo.serial, memo.target, memo.runs = update.serial, target, runs
    terms_key = writer.add(
        TERMS_PREFIX,
        lambda k: data_script("NewsArchiveSearch.addTerms", [from_code_units(t) for t in terms]),
        inputs=tuple(terms),
    )
    return table, terms_key


def _shard_script(terms: list[str], encoded: Mapping[str, bytes]) -> Callable[[str], bytes]:
    """The ``make`` of a shard file for :meth:`.HashedFiles.add`: its data is put together only
    when the file is new (in serve, for the few shards a change touches), and once."""
    literal: list[str] = []

    def make(key: str) -> bytes:
        if not literal:
            words = [from_code_units(t) for t in terms]
            literal.append(data_literal([words, b64(b"".join(map(encoded.__getitem__, terms)))]))
        return data_script("NewsArchiveSearch.addShard", None, js_string(key), literal=literal[0])

    return make


def _head_files(
    writer: HashedFiles,
    heads: HeadMemo,
    big: list[tuple[list[str], str]],
    postings: Mapping[str, TermPostings],
    stats: IndexStats,
    starts: Sequence[tuple[int, int]],
    stats_key: tuple[Hashable, ...],
    encoded: Mapping[str, bytes],
) -> None:
    """The head files of big terms, each named at the end of its row (none when the
    term's postings fit in a head anyway). serve chooses them from the last build's bases
    all at once (:func:`.heads.choose_heads`)."""
    wanted: list[tuple[list[str], str]] = []
    for row, term in big:
        inputs = (term, encoded[term], stats_key)
        found = writer.memo.get((HEAD_DIR, inputs))
        if found is None:
            wanted.append((row, term))
            continue
        # The same postings at the same statistics.
        writer.kept[(HEAD_DIR, inputs)] = found
        if term in heads.bases:
            heads.kept[term] = heads.bases[term]
        if found[0]:
            writer.put(found[1], found[2])
            row.append(found[0])
    if not heads.remember:  # a one-off build: one term decoded at a time (all of them at
        # once, as lists, were two of the search stage's three GB at a million articles)
        for row, term in wanted:
            p = postings[term]
            head, _ = head_postings(p, stats, starts, keep_basis=False)
            key = _head_file(writer, term, p, starts, stats_key, encoded[term], head, None)
            if key:
                row.append(key)
            del p  # before the next term's are decoded
        return
    got = [postings[t] for _, t in wanted]
    items = [(p, encoded[t], heads.bases.get(t)) for p, (_, t) in zip(got, wanted, strict=True)]
    chosen = choose_heads(items, stats, starts, heads.changed)
    for (row, term), p, (head, basis) in zip(wanted, got, chosen, strict=True):
        if basis is not None:
            heads.kept[term] = basis
        key = _head_file(writer, term, p, starts, stats_key, encoded[term], head, basis)
        if key:
            row.append(key)


def _head_file(
    writer: HashedFiles,
    term: str,
    postings: TermPostings,
    starts: Sequence[tuple[int, int]],
    stats_key: tuple[Hashable, ...],
    record: bytes,
    head: Head,
    basis: HeadBasis | None,
) -> str | None:
    """The head file of a big term (None when its postings fit in a head anyway)."""
    inputs = (term, record, stats_key)
    if head.found <= HEAD_SIZE:
        writer.kept[(HEAD_DIR, inputs)] = ("", "", b"")
        return None
    encoded = basis.encode(head.postings) if basis else b64(head.postings.encode())
    data = [from_code_units(term), head.found, head.years, postings.with_term, encoded]

    def make(key: str) -> bytes:
        return data_script("NewsArchiveSearch.addHead", data, js_string(key))

    # Its content: the head's postings, and the count, years and documentsWithTerm that the
    # record and the years' starts give. Statistics that move leave most heads as they were.
    content = (HEAD_DIR, term, record, tuple(starts), encoded)
    key = writer.add(HEAD_DIR, make, inputs=content)
    made = writer.kept.get((HEAD_DIR, content))
    if made is not None:
        writer.kept[(HEAD_DIR, inputs)] = made
    return key
