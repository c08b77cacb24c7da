"""The sharded search index: the parts of one lunr index, each loaded only when a query needs it.

The monolithic form ships the whole serialised lunr index and every document's metadata before
the first search (30 MB for 20,000 Reuters articles). Here the same index (the terms of
lunr.js's tokenizer and pipeline, :mod:`newsarchive.textpipe`, and the inputs of its BM25
weights) is cut into files the search page loads as ``<script>`` tags (so ``file://`` works):

``search/entry-<hash>.js``
    The only file the page names: fields, boosts, pipelines, document count, total field
    lengths, a separator and name of every posting shard, tags (name, count, doc-list
    file), year ranges of slots, and the first slot, shift and hash of each metadata group.
``search/p/<hash>.js``
    Posting shards: a contiguous range of the sorted terms, each with, per field, the
    documents that hold it, the term's frequency there and the field's length.
``search/h/<hash>.js``
    For the biggest terms (a shard each), a head: the HEAD_SIZE best documents of the term
    alone, its document count, counts per year and lunr's count for the idf, enough to show
    the first pages of a one-word search without downloading all of the term's postings.
``search/terms-<hash>.js``
    Every term, for the queries whose matches cannot be told from a range (``*port``,
    ``ex*rt``, ``wheet~1``).
``search/t/<hash>.js``
    One tag's documents, for the tag filter.
``search/d/<hash>.js``
    The slots of one year's documents (one file per run of ``years``): for browsing by year
    (one file) and for a query of only prohibited terms, where lunr scores every document.
``search/m/<first>-<chunk>-<hash>.js`` / ``search/x/<first>-<chunk>-<hash>.js``
    URL, title, date and tags (with the name of the text file) / snippet texts, of the
    documents of one chunk of a metadata group (:func:`_article_files`).

Documents are named by slot (:func:`document_slots`): a number made from the article's own
date, ascending with it, that no other article's arrival or removal changes. lunr.js inserts
documents in archive order (newest first), and postings list them in that order; slots sort
the same way (descending), so ties rank as in the monolithic index. Numbering documents by
age instead made back-filling or deleting an article renumber every newer one, changing
nearly every file. Shards store slots (delta-encoded), frequencies and lengths, as unsigned
LEB128 varints in base64. search-core.js computes each weight as lunr.js's Builder does
(:func:`bm25`, the same float operations) and runs lunr.js's ``Index#query`` step for step on
the postings of the query's terms (typed arrays instead of a ``lunr.Index``): a document's
score only involves the terms in the query vector, so scores and order are those of the whole
index (up to the order in which a document's term scores are added: the last bits of a float).

Files are named by a hash of their content, so hosts and browsers may cache them for ever.
Shard boundaries are chosen term by term from a hash of the term and the size of its postings
(content-defined chunking), not by position, so adding or removing terms moves only the
boundaries next to them. Since weights are not stored and postings name slots, an edit, a new
article or a deleted one changes only the shards of the terms whose postings it changes, the
files of its tags, its metadata group and the entry (with the list of all slots).
"""

from __future__ import annotations

import base64
import bisect
import functools
import hashlib
import json
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from .config import Config
from .heads import HEAD_SIZE, HeadBasis, choose_head, head_postings
from .model import Archive, Article, ObjectMemo, hash_fraction
from .postings import (
    BM25_B,
    BM25_K1,
    DocumentTerms,
    IndexStats,
    ShardState,
    TermPostings,
    collect_postings,
    deltas,
    document_terms,
    update_postings,
    varints,
)
from .search import (
    CORE_PATH,
    FIELDS,
    SNIPPET_TEXT_LIMIT,
    UI_PATH,
    SearchAssets,
    data_script,
    document_ref,
    lunr_source,
)
from .textpipe import from_code_units, get_language

FORMAT = 4
LUNR_MIN_PATH = "static/lunr.min.js"
ENTRY_PREFIX = "search/entry-"
SHARD_DIR = "search/p/"
HEAD_DIR = "search/h/"
TAG_DIR = "search/t/"
META_DIR = "search/m/"
TEXT_DIR = "search/x/"
DOCS_DIR = "search/d/"
TERMS_PREFIX = "search/terms-"

# Documents in a result's metadata file (on average, see chunk_shift): a page of
# relevance-ranked results needs about one file per result, so small files; the entry names
# them by groups of about META_GROUP documents (between the bounds), one hash and first slot
# per group (an edit renames its group's files: about 16). Snippet texts come in one file per
# metadata file.
META_CHUNK = 8
META_GROUP = 64
META_GROUP_MIN = 8
META_GROUP_MAX = 256
# Slots count seconds from the start of the oldest article's decade (document_slots).
SLOT_BASE_YEARS = 10
# Posting shards aim at a mean size (encoded bytes, before base64 and gzip) of the power of two
# nearest sqrt(ENTRY_BYTES_PER_SHARD * all postings), within these bounds: a rare word then
# costs about as much in its shard as in the entry's table of shards (about 12 gzipped bytes
# per shard), which minimises their sum. 8 kB for 20,000 Reuters articles, 16 kB for 100,000.
SHARD_TARGET_MIN = 4_096
SHARD_TARGET_MAX = 65_536
ENTRY_BYTES_PER_SHARD = 12
# Hex digits of a content hash in a file name. Chunk files also carry their chunk number, so
# their hash only has to tell versions of the same chunk apart.
HASH_DIGITS = 10
CHUNK_HASH_DIGITS = 8


def content_hash(data: bytes, digits: int = HASH_DIGITS) -> str:
    return hashlib.sha256(data).hexdigest()[:digits]


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


def cut_shards(terms: Sequence[str], sizes: Sequence[int], target: int) -> list[list[int]]:
    """Split sorted terms into runs (lists of positions) of about ``target`` bytes.

    Content-defined: a run ends after a term chosen by :func:`_cut_point`, so inserting or
    removing a term changes at most the run that holds it (and a neighbour when that term
    was a cut point). A term of at least half the target has a shard of its own, so a common
    word never brings others along; no run grows beyond twice the target.
    """
    shards: list[list[int]] = []
    current: list[int] = []
    total = 0
    for position, (term, size) in enumerate(zip(terms, sizes, strict=True)):
        big = 2 * size >= target
        if big and current:
            shards.append(current)
            current, total = [], 0
        current.append(position)
        total += size
        if big or total >= 2 * target or _cut_point(term, size, target):
            shards.append(current)
            current, total = [], 0
    if current:
        shards.append(current)
    return shards


def separator(previous: str, first: str) -> str:
    """The shortest prefix of ``first`` that sorts after ``previous`` (which sorts before it).

    The entry names each shard by it instead of its first term: the shard holds the terms
    from its separator up to the next one's.
    """
    for length in range(1, len(first) + 1):
        if first[:length] > previous:
            return first[:length]
    return first


def document_slots(oldest: Sequence[Article]) -> list[int]:
    """Each article's slot (oldest first): the seconds from its date (UTC) back to the
    start of the decade of the oldest article, or one more than the previous slot when that
    second is taken (articles of the same second, in archive order).

    A slot depends on the article's own date only, not on how many articles are older, so
    adding or deleting one leaves every other slot alone (a packed run of same-second
    articles shifts only within itself; a new oldest decade renumbers all: rare).
    """
    if not oldest:
        return []
    year = _utc(oldest[0]).year
    base = datetime(year - year % SLOT_BASE_YEARS, 1, 1, tzinfo=UTC)
    second = timedelta(seconds=1)
    slots, previous = [], -1
    for article in oldest:
        previous = max((_utc(article) - base) // second, previous + 1)
        slots.append(previous)
    return slots


def _utc(article: Article) -> datetime:
    posted = article.posted
    return posted.astimezone(UTC) if posted.tzinfo else posted.replace(tzinfo=UTC)


def year_ranges(oldest: Sequence[Article], slots: Sequence[int]) -> list[list[int]]:
    """``[year, first slot, last slot]`` runs of one year's articles (usually one per year),
    oldest first: from the actual slots, so an article packed past New Year keeps its year."""
    runs: list[list[int]] = []
    for article, slot in zip(oldest, slots, strict=True):
        year = article.posted.year
        if runs and runs[-1][0] == year:
            runs[-1][2] = slot
        else:
            runs.append([year, slot, slot])
    return runs


def year_starts(oldest: Sequence[Article], slots: Sequence[int]) -> list[tuple[int, int]]:
    """(year, first slot) of each run of one year's articles, oldest first."""
    return [(year, first) for year, first, _ in year_ranges(oldest, slots)]


def _slot_fraction(slot: int) -> float:
    """A hash of a slot in [0, 1) (splitmix64's finaliser): where metadata groups start."""
    z = (slot + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return (z ^ (z >> 31)) / 2**64


def meta_groups(slots: Sequence[int]) -> list[range]:
    """Positions of the documents of each metadata group (about META_GROUP of them).

    Content-defined: a document starts a group when the hash of its slot falls under
    1 / META_GROUP, so adding or deleting a document changes its own group only (two,
    when it starts one or when a bound interferes).
    """
    groups, start = [], 0
    cut = 1 / META_GROUP
    for i, slot in enumerate(slots):
        size = i - start
        if size >= META_GROUP_MAX or (size >= META_GROUP_MIN and _slot_fraction(slot) < cut):
            groups.append(range(start, i))
            start = i
    if start < len(slots):
        groups.append(range(start, len(slots)))
    return groups


@functools.lru_cache(maxsize=1 << 14)  # serve asks again for the same groups
def chunk_shift(offsets: tuple[int, ...]) -> int:
    """The shift k that cuts a group into chunks ``offset >> k`` (offset: slot - the group's
    first slot): the largest k at which a document's chunk holds at most META_CHUNK
    documents on average, weighed by document (a result lands in a big chunk more often).
    Articles cluster in time (office hours), so chunks are uneven (4 documents a file on
    average for Reuters); the bound keeps the metadata files of a page of results small."""

    def fits(k: int) -> bool:
        sizes: dict[int, int] = {}
        for offset in offsets:
            sizes[offset >> k] = sizes.get(offset >> k, 0) + 1
        return sum(n * n for n in sizes.values()) <= META_CHUNK * len(offsets)

    low, high = 0, max(offsets).bit_length()
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def tag_numbers(archive: Archive, state: ShardState | None = None) -> list[list[int]]:
    """Each article's tags as numbers into ``archive.tags`` (the page's tag order). With a
    ``state`` (serve), the same article object among the same tags keeps its numbers."""
    names = tuple(tag.name for tag in archive.tags)
    numbers = {name.casefold(): i for i, name in enumerate(names)}

    def of(article: Article) -> list[int]:
        tags = (n.casefold() for n in article.tags)
        return list(dict.fromkeys(numbers[n] for n in tags if n in numbers))

    if state is None:
        return [of(a) for a in archive.articles]
    if state.tag_numbers[0] != names:
        state.tag_numbers = (names, ObjectMemo())
    memo = state.tag_numbers[1]
    out = [memo.get(a, lambda a=a: of(a)) for a in archive.articles]
    memo.next_build()
    return out


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _js_string(value: str) -> str:
    return json.dumps(value)


@dataclass(frozen=True)
class MetaGroup:
    """A metadata group's files as the last build made them, and what they were made from:
    the very same article objects with the same tags (by slug) give the same files."""

    articles: tuple[Article, ...]
    tags: tuple[tuple[str, ...], ...]
    shift: int
    key: str
    files: tuple[tuple[str, bytes], ...]


@dataclass
class _Writer:
    """Collects the files, naming each by a hash of its content.

    ``memo`` holds the previous build's files by what they were made from (see ShardState);
    a file made from the same inputs is taken from it instead of being encoded again.
    """

    files: dict[str, bytes]
    memo: dict[Hashable, tuple[str, str, bytes]] = field(default_factory=dict)
    kept: dict[Hashable, tuple[str, str, bytes]] = field(default_factory=dict)

    bases: dict[str, HeadBasis] = field(default_factory=dict)  # by term
    kept_bases: dict[str, HeadBasis] = field(default_factory=dict)
    rows: ObjectMemo[tuple[str, str, str]] | None = None  # metadata rows by article (serve)
    groups: dict[tuple[int, ...], MetaGroup] = field(default_factory=dict)  # by slots (serve)
    kept_groups: dict[tuple[int, ...], MetaGroup] = field(default_factory=dict)
    remember: bool = False  # keep head bases for the next build (serve)
    changed: frozenset[int] | None = None  # slots changed since the bases (ShardState.changed)

    def put(self, path: str, data: bytes) -> None:
        if self.files.get(path, data) != data:  # a hash collision: refuse, never overwrite
            raise RuntimeError(f"content hash collision at {path}")
        self.files[path] = data

    def add(
        self,
        prefix: str,
        make: Callable[[str], bytes],
        digits: int = HASH_DIGITS,
        inputs: Hashable = None,
    ) -> str:
        """Write ``make(key)`` (bytes) under ``prefix + key + .js``; return the key.

        The key is the hash of ``make("")``, the content without its own name, so a file
        that names itself (to register its data) is still named by its content. ``inputs``:
        everything ``make`` depends on, to reuse the previous build's file.
        """
        if inputs is not None:
            found = self.memo.get((prefix, inputs))
            if found is not None:
                self.kept[(prefix, inputs)] = found
                self.put(found[1], found[2])
                return found[0]
        key = content_hash(make(""), digits)
        path, data = f"{prefix}{key}.js", make(key)
        self.put(path, data)
        if inputs is not None:
            self.kept[(prefix, inputs)] = (key, path, data)
        return key


def _shard_files(
    writer: _Writer,
    postings: dict[str, TermPostings],
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
                writer, term, postings[term], stats, starts, stats_key, records[run[0]]
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


def _shard_script(terms: list[str], records: list[bytes], run: list[int]) -> Callable[[str], bytes]:
    """The ``make`` of a shard file for :meth:`_Writer.add`: its data is put together only
    when the file is new (in serve, for the few shards a change touches), and once."""
    data: list[Any] = []

    def make(key: str) -> bytes:
        if not data:
            data.append([from_code_units(terms[p]) for p in run])
            data.append(_b64(b"".join(records[p] for p in run)))
        return data_script("NewsArchiveSearch.addShard", data, _js_string(key))

    return make


def _head_file(
    writer: _Writer,
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
        if writer.remember:
            basis = writer.bases.get(term)
            head, basis = choose_head(
                postings, stats, starts, record, basis, changed=writer.changed
            )
            writer.kept_bases[term] = basis
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
            basis.encode(head.postings) if basis else _b64(head.postings.encode()),
        ]
    else:
        data = []
        if term in writer.bases:
            writer.kept_bases[term] = writer.bases[term]

    def make(key: str) -> bytes:
        return data_script("NewsArchiveSearch.addHead", data, _js_string(key))

    return writer.add(HEAD_DIR, make, inputs=inputs)


def _tag_files(
    writer: _Writer, archive: Archive, doc_tags: list[list[int]], slots: Sequence[int]
) -> list[list[Any]]:
    """One file per tag with the slots of its articles; the entry's rows
    ``[name, count, file, slug]`` (the slug left out when it equals the name)."""
    tag_slots: list[list[int]] = [[] for _ in archive.tags]
    for slot, tags in zip(slots, doc_tags, strict=True):
        for t in tags:
            tag_slots[t].append(slot)
    rows: list[list[Any]] = []
    for tag, docs in zip(archive.tags, tag_slots, strict=True):
        encoded = bytearray()
        varints(deltas(docs), encoded)
        slug, data = _js_string(tag.slug), _js_string(_b64(bytes(encoded)))
        key = writer.add(
            TAG_DIR, lambda k, s=slug, d=data: f"NewsArchiveSearch.addTag({s}, {d});\n".encode()
        )
        rows.append([tag.name, len(docs), key] + ([] if tag.slug == tag.name else [tag.slug]))
    return rows


def _docs_files(writer: _Writer, slots: Sequence[int], years: list[list[int]]) -> list[str]:
    """Each year's documents (their slots), a file per run of ``years`` named in the entry in
    the same order: browsing a year loads its own, not a list of the whole archive."""
    keys, start = [], 0
    for _, first, last in years:
        end = bisect.bisect_right(slots, last, start)
        encoded = bytearray()
        varints(deltas([slot - first for slot in slots[start:end]]), encoded)
        data = f"NewsArchiveSearch.addDocs({first}, {_js_string(_b64(bytes(encoded)))});\n"
        script = data.encode()
        keys.append(writer.add(DOCS_DIR, lambda k, d=script: d))
        start = end
    return keys


def _short_url(article: Article) -> str:
    """The article's URL without the ``/YYYY/MM/DD/`` its date gives (search-core.js adds
    it back); the whole URL, starting with ``/``, when they differ."""
    url, date = document_ref(article), article.posted.isoformat()
    day = f"/{date[:4]}/{date[5:7]}/{date[8:10]}/"
    return url[len(day) :] if url.startswith(day) and len(url) > len(day) else url


def _article_files(
    writer: _Writer,
    archive: Archive,
    oldest: Sequence[Article],
    slots: Sequence[int],
    doc_tags: list[list[int]],
) -> tuple[str, str]:
    """Metadata chunks and their snippet texts; the entry's groups and their hashes.

    A group (:func:`meta_groups`) with first slot F and shift k (:func:`chunk_shift`) puts
    the document at slot S in chunk C = (S - F) >> k, file ``m/F-C-<group hash>.js``, with
    its texts in ``x/F-C-<hash>.js``: the page finds a document's file from its slot and
    the entry's list of (F, k) and hashes, without a table of documents. Metadata files
    are named by the hash of their group, so the entry names a group, not each file: an
    edit renames the group's small files; a new article, the files of its group only.
    """
    slugs = [tag.slug for tag in archive.tags]

    def make_row(article: Article) -> tuple[str, str, str]:
        return _short_url(article), article.title, article.posted.isoformat()

    def row(article: Article) -> tuple[str, str, str]:
        """URL, title and date; the last build's when it is the same article object."""
        if writer.rows is None:
            return make_row(article)
        return writer.rows.get(article, lambda: make_row(article))

    table: list[int] = []  # per group: first slot (delta from the previous one), shift
    group_keys = []
    previous = 0
    for group in meta_groups(slots):
        first = slots[group.start]
        group_slots = tuple(slots[p] for p in group)
        tags = tuple(tuple(slugs[t] for t in doc_tags[p]) for p in group)
        kept = writer.groups.get(group_slots)
        if (
            kept is not None
            and kept.tags == tags
            and all(
                a is b for a, b in zip(kept.articles, oldest[group.start : group.stop], strict=True)
            )
        ):
            for path, data in kept.files:
                writer.put(path, data)
            writer.kept_groups[group_slots] = kept
            table += [first - previous, kept.shift]
            previous = first
            group_keys.append(kept.key)
            continue
        shift = chunk_shift(tuple(slot - first for slot in group_slots))
        chunks: dict[int, list[int]] = {}
        for p in group:
            chunks.setdefault((slots[p] - first) >> shift, []).append(p)
        scripts = []
        text_paths = []
        for chunk, positions in chunks.items():
            name = f"{first}-{chunk}"
            texts = [oldest[p].body_text[:SNIPPET_TEXT_LIMIT] for p in positions]
            text_key = writer.add(
                f"{TEXT_DIR}{name}-",
                lambda k, t=texts, n=name: data_script(
                    "NewsArchiveSearch.addTexts", t, _js_string(n)
                ),
                CHUNK_HASH_DIGITS,
                inputs=tuple(texts),
            )
            text_paths.append(f"{TEXT_DIR}{name}-{text_key}.js")
            base = first + (chunk << shift)
            data = {
                "docs": [[*row(oldest[p]), list(tags[p - group.start])] for p in positions],
                "at": [slots[p] - base for p in positions],
                "text": text_key,
            }
            inputs = (META_DIR, name, repr(data))  # repr: cheaper than the script, as telling
            found = writer.memo.get(inputs)
            script = (
                found[2]
                if found
                else data_script("NewsArchiveSearch.addMeta", data, _js_string(name))
            )
            writer.kept[inputs] = ("", "", script)
            scripts.append((name, script))
        key = content_hash(b"".join(script for _, script in scripts), CHUNK_HASH_DIGITS)
        files = [(f"{META_DIR}{name}-{key}.js", script) for name, script in scripts]
        for path, data in files:
            writer.put(path, data)
        if writer.remember:
            texts = tuple((p, writer.files[p]) for p in text_paths)
            writer.kept_groups[group_slots] = MetaGroup(
                tuple(oldest[group.start : group.stop]), tags, shift, key, (*files, *texts)
            )
        table += [first - previous, shift]
        previous = first
        group_keys.append(key)
    encoded = bytearray()
    varints(table, encoded)
    return _b64(bytes(encoded)), "".join(group_keys)


def sharded_assets(
    archive: Archive,
    config: Config,
    terms: Sequence[DocumentTerms] | None = None,
    state: ShardState | None = None,
) -> SearchAssets:
    """Everything the sharded search page loads; only the entry is named by the page.

    ``terms``: each article's :func:`document_terms`, in archive order, when the caller has
    them already (``serve`` keeps them between builds). ``state``: the previous build's
    index, updated here; the files are the same as without it.
    """
    language = get_language(config.language)
    articles = list(archive.articles)
    if terms is None:
        terms = [document_terms(article, language) for article in articles]
    if state is not None and state.language != language.code:
        state.language, state.by_age, state.slots, state.stats, state.files = (
            language.code,
            [],
            [],
            IndexStats(0, []),
            {},
        )
    # Everything per document is oldest first, by slot (see document_slots).
    oldest = articles[::-1]
    slots = document_slots(oldest)
    if state is None:
        postings, stats = collect_postings(terms[::-1], slots)
        records = {term: p.encode() for term, p in postings.items()}
    else:
        postings, stats, records = update_postings(state, terms[::-1], slots)
    files: dict[str, bytes] = {LUNR_MIN_PATH: lunr_source(minified=True)}
    writer = _Writer(
        files,
        state.files if state is not None else {},
        bases=state.heads if state is not None else {},
        rows=state.rows if state is not None else None,
        groups=state.groups if state is not None else {},
        remember=state is not None,
        changed=state.changed if state is not None else None,
    )
    years = year_ranges(oldest, slots)
    starts = [(year, first) for year, first, _ in years]
    terms_sorted = sorted(postings) if state is None else state.terms
    shard_table, terms_key = _shard_files(writer, postings, stats, records, starts, terms_sorted)
    # Tags are named by slug in the metadata: numbers would shift when a tag is added.
    doc_tags = tag_numbers(archive, state)[::-1]
    tag_rows = _tag_files(writer, archive, doc_tags, slots)
    docs_keys = _docs_files(writer, slots, years)
    groups, meta_keys = _article_files(writer, archive, oldest, slots, doc_tags)
    entry = {
        "format": FORMAT,
        "language": language.code,
        "pipeline": language.index_labels,
        "searchPipeline": language.search_pipeline().serialize(),
        "fields": [f.name for f in FIELDS],
        "boosts": [f.boost for f in FIELDS],
        "bm25": [BM25_K1, BM25_B],
        "count": len(articles),
        "lengths": stats.length_totals,
        "shards": shard_table,
        "terms": terms_key,
        "tags": tag_rows,
        "years": years,
        "docs": docs_keys,
        "headSize": HEAD_SIZE,
        "hashSize": CHUNK_HASH_DIGITS,
        "groups": groups,
        "meta": meta_keys,
        "paths": {
            "shard": SHARD_DIR,
            "head": HEAD_DIR,
            "terms": TERMS_PREFIX,
            "tag": TAG_DIR,
            "meta": META_DIR,
            "text": TEXT_DIR,
            "docs": DOCS_DIR,
        },
    }
    entry_key = writer.add(ENTRY_PREFIX, lambda k: data_script("NewsArchiveSearch.setEntry", entry))
    if state is not None:
        state.files, state.heads, state.groups = writer.kept, writer.kept_bases, writer.kept_groups
        state.rows.next_build()
    scripts = [LUNR_MIN_PATH, CORE_PATH, f"{ENTRY_PREFIX}{entry_key}.js", UI_PATH]
    return SearchAssets(files=files, scripts=scripts)
