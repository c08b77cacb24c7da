"""The sharded search index: the parts of one lunr index, each loaded only when a query needs it.

The monolithic form ships the whole serialised lunr index and every document's metadata before
the first search (30 MB for 20,000 Reuters articles). Here the same index (the terms of
lunr.js's tokenizer and pipeline, :mod:`newsarchive.textpipe`, and the inputs of its BM25
weights) is cut into files the search page loads as ``<script>`` tags (so ``file://`` works):

``search/entry-<hash>.js``
    The only file the page names: fields, boosts, pipelines, document count, total field
    lengths, a separator and name of every posting shard, tags (name, count, doc-list
    file), year ranges of document numbers, and the hashes of the metadata files.
``search/p/<hash>.js``
    Posting shards: a contiguous range of the sorted terms, each with, per field, the
    documents that hold it, the term's frequency there and the field's length.
``search/h/<hash>.js``
    For the biggest terms (a shard each), a head: the HEAD_SIZE best documents of the term
    alone, its document count, counts per year and lunr's count for the idf, enough to show
    the first pages of a
    one-word search without downloading all of the term's postings.
``search/terms-<hash>.js``
    Every term, for the queries whose matches cannot be told from a range (``*port``,
    ``ex*rt``, ``wheet~1``).
``search/t/<hash>.js``
    One tag's documents, for the tag filter.
``search/m/<chunk>-<hash>.js`` / ``search/x/<chunk>-<hash>.js``
    URL, title, date and tags (with the names of the text files) / snippet texts, for
    ``META_CHUNK`` / ``TEXT_CHUNK`` consecutive documents, oldest first (so that a new
    article changes only the last ones).

Documents are numbered in archive order (newest first), as lunr.js would insert them, so a
number sorts by date and a year is a range of numbers. Postings list documents in ascending
number, which is the order lunr.js keeps them in, so ties rank as in the monolithic index.
Shards store documents by age (0 = oldest; delta-encoded), frequencies and lengths, as
unsigned LEB128 varints in base64. search-core.js computes each weight as lunr.js's Builder
does (:func:`bm25`, the same float operations), rebuilds a small ``lunr.Index`` holding only
the query's terms and runs lunr.js's own search on it: a
document's score only involves the terms in the query vector, so scores and order are those
of the whole index (up to the order in which a document's term scores are added: the last
bits of a float).

Files are named by a hash of their content, so hosts and browsers may cache them for ever.
Shard boundaries are chosen term by term from a hash of the term and the size of its postings
(content-defined chunking), not by position, so adding or removing terms moves only the
boundaries next to them. Since weights are not stored and postings count ages, an edit or a
new article changes only the shards of the terms whose postings it changes. Metadata files
are named by the hash of their group of META_GROUP, which keeps the entry small (one hash
per 128 articles).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .model import Archive, Article
from .search import (
    CORE_PATH,
    FIELDS,
    SNIPPET_TEXT_LIMIT,
    UI_PATH,
    SearchAssets,
    data_script,
    document_ref,
    index_documents,
    lunr_source,
)
from .textpipe import Language, from_code_units, get_language, js_math_log, js_math_round

FORMAT = 3
# lunr.js Builder's BM25 parameters (its defaults, which the site keeps).
BM25_K1 = 1.2
BM25_B = 0.75
LUNR_MIN_PATH = "static/lunr.min.js"
ENTRY_PREFIX = "search/entry-"
SHARD_DIR = "search/p/"
HEAD_DIR = "search/h/"
TAG_DIR = "search/t/"
META_DIR = "search/m/"
TEXT_DIR = "search/x/"
TERMS_PREFIX = "search/terms-"

# Documents per metadata file: a page of relevance-ranked results needs about one file per
# result, so small files; the entry names them by groups of META_GROUP files.
META_CHUNK = 8
META_GROUP = 16
# Documents per snippet-text file (loaded after the results are shown); divides META_CHUNK.
TEXT_CHUNK = 8
# A term whose postings fill a shard of their own also gets a head: its HEAD_SIZE best
# documents for a one-term query, enough for the first pages of results without the rest.
HEAD_SIZE = 200
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


def varints(numbers: Iterable[int], out: bytearray) -> None:
    """Append unsigned LEB128 varints (7 bits a byte, low first, high bit = more follows)."""
    append = out.append
    for n in numbers:
        while n >= 0x80:
            append((n & 0x7F) | 0x80)
            n >>= 7
        append(n)


def read_varints(data: bytes) -> list[int]:
    """Decode :func:`varints` output (for tests and tools; the browser has its own)."""
    numbers, value, shift = [], 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            numbers.append(value)
            value, shift = 0, 0
    return numbers


def deltas(numbers: Sequence[int]) -> list[int]:
    """Gaps between ascending numbers minus one (the first counted from -1): all >= 0."""
    out, previous = [], -1
    for n in numbers:
        out.append(n - previous - 1)
        previous = n
    return out


@dataclass
class TermPostings:
    """One term's postings: per field, the documents (by age) that hold it, with the term's
    count in that field and the field's length there.

    Weights are not stored: search-core.js computes lunr's BM25 weight of each posting from
    these, the document count and the average field lengths, exactly as lunr.js's Builder
    does (:func:`bm25`). Baked weights would depend on every document (through the average
    length and the document count), so any edit would change every shard; these change only
    with the documents that hold the term. Documents are counted by age (0 = oldest), so a
    new article only appends to the postings of its own terms.
    """

    ages: list[list[int]]  # per field, ascending
    counts: list[list[int]]  # per field, the term's frequency, parallel to ages
    lengths: list[list[int]]  # per field, the field's length in terms, parallel to ages

    def encode(self) -> bytes:
        out = bytearray()
        for ages, counts, lengths in zip(self.ages, self.counts, self.lengths, strict=True):
            varints((len(ages),), out)
            varints(deltas(ages), out)
            varints(counts, out)
            varints(lengths, out)
        return bytes(out)

    @property
    def with_term(self) -> int:
        """lunr.idf's documentsWithTerm: documents counted once per field holding the term."""
        return sum(len(ages) for ages in self.ages)


# One document's indexed fields: (term -> frequency in order of first occurrence, length).
DocumentTerms = tuple[tuple[dict[str, int], int], ...]


def document_terms(article: Article, language: Language) -> DocumentTerms:
    """The terms lunr.js would index from each field of the article, and the field lengths."""
    document = index_documents([article])[0]
    out = []
    for spec in FIELDS:
        terms = language.terms(document[spec.name])
        out.append((dict(Counter(terms)), len(terms)))
    return tuple(out)


@dataclass
class IndexStats:
    """What a posting's weight needs besides the posting: lunr's document count and, per
    field, the sum of field lengths (lunr.js divides it by the count for the average)."""

    count: int
    length_totals: list[int]

    def average(self, field: int) -> float:
        return self.length_totals[field] / self.count


def collect_postings(by_age: Sequence[DocumentTerms]) -> tuple[dict[str, TermPostings], IndexStats]:
    """Every term's postings from the documents' terms, oldest document first."""
    postings: dict[str, TermPostings] = {}
    nfields = len(FIELDS)
    totals = [0] * nfields
    for age, fields in enumerate(by_age):
        for f, (frequencies, length) in enumerate(fields):
            totals[f] += length
            for term, tf in frequencies.items():
                entry = postings.get(term)
                if entry is None:
                    entry = postings[term] = TermPostings(
                        [[] for _ in range(nfields)],
                        [[] for _ in range(nfields)],
                        [[] for _ in range(nfields)],
                    )
                entry.ages[f].append(age)
                entry.counts[f].append(tf)
                entry.lengths[f].append(length)
    return postings, IndexStats(len(by_age), totals)


@dataclass
class ShardState:
    """The last build's index, kept by ``serve`` so that a rebuild updates the postings of
    the terms an edit touched and re-encodes only the files they are in.

    Documents are compared by identity (the build reuses the DocumentTerms of unchanged
    files), so finding what changed costs one pass over the list.
    """

    language: str = ""
    by_age: list[DocumentTerms] = field(default_factory=list)
    postings: dict[str, TermPostings] = field(default_factory=dict)
    stats: IndexStats = field(default_factory=lambda: IndexStats(0, []))
    records: dict[str, bytes] = field(default_factory=dict)
    files: dict[Hashable, tuple[str, str, bytes]] = field(default_factory=dict)


# Past this many changed documents an update costs more than collecting every posting.
UPDATE_LIMIT = 2_000


def update_postings(
    state: ShardState, by_age: Sequence[DocumentTerms]
) -> tuple[dict[str, TermPostings], IndexStats, dict[str, bytes]]:
    """The postings, stats and encoded records of ``by_age``, from ``state`` (the previous
    documents' ones) where the documents are the same; ``state`` is updated in place."""
    old = state.by_age
    if len(old) == len(by_age):
        changed = [age for age, (a, b) in enumerate(zip(old, by_age, strict=True)) if a is not b]
    else:
        same = 0
        for a, b in zip(old, by_age, strict=False):
            if a is not b:
                break
            same += 1
        changed = list(range(same, max(len(old), len(by_age))))
    if len(changed) > UPDATE_LIMIT or not state.stats.length_totals:
        postings, stats = collect_postings(by_age)
        records = {term: p.encode() for term, p in postings.items()}
    else:
        postings, records = state.postings, state.records
        totals = list(state.stats.length_totals)
        gone = set(changed)
        touched: set[str] = set()
        fresh: dict[str, list[tuple[int, int, int, int]]] = {}  # term -> (f, age, tf, len)
        for age in changed:
            if age < len(old):
                for f, (frequencies, length) in enumerate(old[age]):
                    totals[f] -= length
                    touched.update(frequencies)
            if age < len(by_age):
                for f, (frequencies, length) in enumerate(by_age[age]):
                    totals[f] += length
                    for term, tf in frequencies.items():
                        fresh.setdefault(term, []).append((f, age, tf, length))
        touched.update(fresh)
        nfields = len(FIELDS)
        for term in touched:
            entry = postings.get(term) or TermPostings(
                [[] for _ in range(nfields)],
                [[] for _ in range(nfields)],
                [[] for _ in range(nfields)],
            )
            rows = [
                [(a, t, n) for a, t, n in zip(*lists, strict=True) if a not in gone]
                for lists in zip(entry.ages, entry.counts, entry.lengths, strict=True)
            ]
            for f, age, tf, length in fresh.get(term, ()):
                rows[f].append((age, tf, length))
            if not any(rows):
                postings.pop(term, None)
                records.pop(term, None)
                continue
            for f in range(nfields):
                rows[f].sort()
            entry = TermPostings(
                [[r[0] for r in row] for row in rows],
                [[r[1] for r in row] for row in rows],
                [[r[2] for r in row] for row in rows],
            )
            postings[term] = entry
            records[term] = entry.encode()
        stats = IndexStats(len(by_age), totals)
    state.by_age, state.postings, state.stats, state.records = (
        list(by_age),
        postings,
        stats,
        records,
    )
    return postings, stats, records


def idf(with_term: int, count: int) -> float:
    """lunr.idf, with V8's Math.log."""
    return js_math_log(1 + abs((count - with_term + 0.5) / (with_term + 0.5)))


def bm25(idf_: float, tf: int, length: int, average: float, boost: int) -> float:
    """lunr.js Builder#createFieldVectors's weight, operation for operation (so bit for bit),
    rounded as lunr rounds it: Math.round(score * 1000) / 1000."""
    k1, b = BM25_K1, BM25_B
    score = idf_ * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / average)) + tf)
    score *= boost  # lunr then multiplies by the document's boost, always 1 here
    return js_math_round(score * 1000) / 1000


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
    digest = hashlib.sha256(term.encode("utf-16-le", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < size / target


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


def year_ranges(articles: Sequence[Article]) -> list[list[int]]:
    """``[year, first, end)`` runs of document numbers (newest first: usually one per year)."""
    runs: list[list[int]] = []
    for number, article in enumerate(articles):
        year = article.posted.year
        if runs and runs[-1][0] == year:
            runs[-1][2] = number + 1
        else:
            runs.append([year, number, number + 1])
    return runs


def tag_numbers(archive: Archive) -> list[list[int]]:
    """Each article's tags as numbers into ``archive.tags`` (the page's tag order)."""
    numbers = {tag.name.casefold(): i for i, tag in enumerate(archive.tags)}
    return [
        list(dict.fromkeys(numbers[n.casefold()] for n in a.tags if n.casefold() in numbers))
        for a in archive.articles
    ]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _js_string(value: str) -> str:
    return json.dumps(value)


@dataclass
class _Writer:
    """Collects the files, naming each by a hash of its content.

    ``memo`` holds the previous build's files by what they were made from (see ShardState);
    a file made from the same inputs is taken from it instead of being encoded again.
    """

    files: dict[str, bytes]
    memo: dict[Hashable, tuple[str, str, bytes]] = field(default_factory=dict)
    kept: dict[Hashable, tuple[str, str, bytes]] = field(default_factory=dict)

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


def head_postings(
    postings: TermPostings, stats: IndexStats, articles: Sequence[Article], size: int = HEAD_SIZE
) -> tuple[TermPostings, int, list[list[int]]]:
    """The postings of the ``size`` best documents of a one-term query, the number of
    documents it finds and how many per year (newest year first).

    lunr scores a document of a one-term query by adding, field by field in field order,
    the term's weights in its fields (the query vector has the single value 1), and sorts
    ties in the order the documents first appear: by first field, then by number (newest
    first). The same float additions here pick exactly lunr's top ``size``; lunr's own search
    then ranks them in the page.
    """
    last = stats.count - 1
    term_idf = idf(postings.with_term, stats.count)
    score: dict[int, float] = {}
    first_seen: dict[int, tuple[int, int]] = {}
    for f, spec in enumerate(FIELDS):
        average = stats.average(f)
        for age, tf, length in zip(
            postings.ages[f], postings.counts[f], postings.lengths[f], strict=True
        ):
            weight = bm25(term_idf, tf, length, average, spec.boost)
            if age in score:
                score[age] += weight
            else:
                score[age] = weight
                first_seen[age] = (f, last - age)
    ranked = sorted(score, key=lambda age: (-score[age], first_seen[age]))
    top = set(ranked[:size])
    head = TermPostings([], [], [])
    for ages, counts, lengths in zip(postings.ages, postings.counts, postings.lengths, strict=True):
        kept = [i for i, age in enumerate(ages) if age in top]
        head.ages.append([ages[i] for i in kept])
        head.counts.append([counts[i] for i in kept])
        head.lengths.append([lengths[i] for i in kept])
    years = Counter(articles[last - age].posted.year for age in score)
    return head, len(score), [[y, years[y]] for y in sorted(years, reverse=True)]


def _shard_files(
    writer: _Writer,
    postings: dict[str, TermPostings],
    stats: IndexStats,
    encoded: dict[str, bytes],
    articles: Sequence[Article],
) -> tuple[list[list[str]], str]:
    """Posting shards (and heads of the biggest terms), the term list; the entry's table."""
    terms = sorted(postings)  # code-unit form: JavaScript's string order
    records = [encoded[t] for t in terms]
    sizes = [len(r) for r in records]
    # A head also counts its documents by year: the archive's years (by number) count too.
    years = hashlib.sha1(",".join(str(a.posted.year) for a in articles).encode()).digest()
    stats_key = (stats.count, *stats.length_totals, years)
    target = shard_target(sum(sizes))
    table = []
    for run in cut_shards(terms, sizes, target):
        first = "" if not table else separator(terms[run[0] - 1], terms[run[0]])
        shard_terms = [from_code_units(terms[p]) for p in run]
        data = [shard_terms, _b64(b"".join(records[p] for p in run))]
        key = writer.add(
            SHARD_DIR,
            lambda k, d=data: data_script("NewsArchiveSearch.addShard", d, _js_string(k)),
            inputs=(tuple(terms[p] for p in run), tuple(records[p] for p in run)),
        )
        row = [from_code_units(first), key]
        term = terms[run[0]]
        if len(run) == 1 and 2 * sizes[run[0]] >= target:
            head = _head_file(
                writer, term, postings[term], stats, articles, stats_key, records[run[0]]
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


def _head_file(
    writer: _Writer,
    term: str,
    postings: TermPostings,
    stats: IndexStats,
    articles: Sequence[Article],
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
        head, count, years = head_postings(postings, stats, articles)
        if count <= HEAD_SIZE:
            writer.kept[(HEAD_DIR, inputs)] = ("", "", b"")
            return None
        data = [from_code_units(term), count, years, postings.with_term, _b64(head.encode())]
    else:
        data = []

    def make(key: str) -> bytes:
        return data_script("NewsArchiveSearch.addHead", data, _js_string(key))

    return writer.add(HEAD_DIR, make, inputs=inputs)


def _tag_files(writer: _Writer, archive: Archive, doc_tags: list[list[int]]) -> list[list[Any]]:
    """One file per tag with the ages of its articles; the entry's rows
    ``[name, count, file, slug]`` (the slug left out when it equals the name)."""
    tag_ages: list[list[int]] = [[] for _ in archive.tags]
    for age, tags in enumerate(doc_tags):
        for t in tags:
            tag_ages[t].append(age)
    rows: list[list[Any]] = []
    for tag, docs in zip(archive.tags, tag_ages, strict=True):
        encoded = bytearray()
        varints(deltas(docs), encoded)
        slug, data = _js_string(tag.slug), _js_string(_b64(bytes(encoded)))
        key = writer.add(
            TAG_DIR, lambda k, s=slug, d=data: f"NewsArchiveSearch.addTag({s}, {d});\n".encode()
        )
        rows.append([tag.name, len(docs), key] + ([] if tag.slug == tag.name else [tag.slug]))
    return rows


def _short_url(article: Article) -> str:
    """The article's URL without the ``/YYYY/MM/DD/`` its date gives (search-core.js adds
    it back); the whole URL, starting with ``/``, when they differ."""
    url, date = document_ref(article), article.posted.isoformat()
    day = f"/{date[:4]}/{date[5:7]}/{date[8:10]}/"
    return url[len(day) :] if url.startswith(day) and len(url) > len(day) else url


def _article_files(
    writer: _Writer, archive: Archive, ages: Sequence[Article], doc_tags: list[list[int]]
) -> str:
    """Snippet texts, and metadata chunks that name them; the entry's string of group hashes.

    Metadata files are named by the hash of their group (META_GROUP chunks), so the entry
    names a group, not each file: an edit renames the group's small files.
    """
    text_keys = []
    for chunk, start in enumerate(range(0, len(ages), TEXT_CHUNK)):
        texts = [a.body_text[:SNIPPET_TEXT_LIMIT] for a in ages[start : start + TEXT_CHUNK]]
        text_keys.append(
            writer.add(
                f"{TEXT_DIR}{chunk}-",
                lambda k, t=texts, c=chunk: data_script("NewsArchiveSearch.addTexts", t, c),
                CHUNK_HASH_DIGITS,
                inputs=tuple(texts),
            )
        )
    slugs = [tag.slug for tag in archive.tags]
    per_meta = META_CHUNK // TEXT_CHUNK
    scripts = []
    for chunk, start in enumerate(range(0, len(ages), META_CHUNK)):
        rows = [
            [_short_url(a), a.title, a.posted.isoformat(), [slugs[t] for t in tags]]
            for a, tags in zip(
                ages[start : start + META_CHUNK], doc_tags[start : start + META_CHUNK], strict=True
            )
        ]
        data = {"docs": rows, "texts": text_keys[chunk * per_meta : (chunk + 1) * per_meta]}
        inputs = (META_DIR, chunk, repr(data))  # repr: cheaper than the script, as telling
        found = writer.memo.get(inputs)
        script = found[2] if found else data_script("NewsArchiveSearch.addMeta", data, chunk)
        writer.kept[inputs] = ("", "", script)
        scripts.append(script)
    group_keys = []
    for start in range(0, len(scripts), META_GROUP):
        key = content_hash(b"".join(scripts[start : start + META_GROUP]), CHUNK_HASH_DIGITS)
        for chunk in range(start, min(start + META_GROUP, len(scripts))):
            writer.put(f"{META_DIR}{chunk}-{key}.js", scripts[chunk])
        group_keys.append(key)
    return "".join(group_keys)


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
        state.language, state.by_age, state.stats, state.files = (
            language.code,
            [],
            IndexStats(0, []),
            {},
        )
    if state is None:
        postings, stats = collect_postings(terms[::-1])
        records = {term: p.encode() for term, p in postings.items()}
    else:
        postings, stats, records = update_postings(state, terms[::-1])
    files: dict[str, bytes] = {LUNR_MIN_PATH: lunr_source(minified=True)}
    writer = _Writer(files, state.files if state is not None else {})
    shard_table, terms_key = _shard_files(writer, postings, stats, records, articles)
    # Per-article files are keyed by age (0 = oldest), not by document number (0 = newest),
    # so that a new article only changes the last files and the lists of its own tags. Tags
    # are named by slug in them: numbers would shift when a tag is added.
    doc_tags = tag_numbers(archive)[::-1]
    tag_rows = _tag_files(writer, archive, doc_tags)
    meta_keys = _article_files(writer, archive, articles[::-1], doc_tags)
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
        "years": year_ranges(articles),
        "headSize": HEAD_SIZE,
        "metaSize": META_CHUNK,
        "metaGroup": META_GROUP,
        "textSize": TEXT_CHUNK,
        "hashSize": CHUNK_HASH_DIGITS,
        "meta": meta_keys,
        "paths": {
            "shard": SHARD_DIR,
            "head": HEAD_DIR,
            "terms": TERMS_PREFIX,
            "tag": TAG_DIR,
            "meta": META_DIR,
            "text": TEXT_DIR,
        },
    }
    entry_key = writer.add(ENTRY_PREFIX, lambda k: data_script("NewsArchiveSearch.setEntry", entry))
    if state is not None:
        state.files = writer.kept
    scripts = [LUNR_MIN_PATH, CORE_PATH, f"{ENTRY_PREFIX}{entry_key}.js", UI_PATH]
    return SearchAssets(files=files, scripts=scripts)
